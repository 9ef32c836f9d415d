"""``/stories`` (the same filters as ``/articles``): one row per story; ``/stories/<key>``: every
copy side by side; ``POST /stories/<key>/review`` marks every copy."""

from __future__ import annotations

from urllib.parse import urlencode

from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse

from flows.review.highlight import highlight_html
from flows.web.deps import WebDep
from flows.web.security import csrf_ok, safe_next
from storage import review_queue as review_queue_db
from storage import stories as sr

router = APIRouter()


@router.get("/stories", response_class=HTMLResponse)
def stories(request: Request, web: WebDep) -> Response:
    f, args = web.parse_filter(request)
    try:
        page_no = max(1, int(request.query_params.get("page", "1")))
    except ValueError:
        return web.error(request, 400, "page must be a number")
    with web.session() as s:
        result = sr.search_stories(s, f, page=page_no, per_page=50)
    query = urlencode(args)
    return web.page(
        request,
        "stories.html",
        {
            "nav": "stories",
            "page": result,
            "f": f,
            "args": args,
            "options": web.options(),
            "query": query,
            "page_query": lambda n: urlencode({**args, "page": str(n)}),
            "spikes": web.spikes(),
        },
    )


@router.get("/stories/{key}", response_class=HTMLResponse)
def story(request: Request, web: WebDep, key: str) -> Response:
    k = sr.StoryKey.parse(key)
    if k is None:
        return web.error(request, 404, f"no story {key}")
    with web.session() as s:
        d = sr.story_detail(s, k)
    if d is None:
        return web.error(request, 404, f"no story {key}")
    copies = [
        (a, highlight_html(d.texts.get(a.id, ""), d.mentions.get(a.id, [])))
        for a in d.story.articles
    ]
    return web.page(request, "story.html", {"nav": "stories", "st": d.story, "copies": copies})


@router.post("/stories/{key}/review")
async def story_review(request: Request, web: WebDep, key: str) -> Response:
    form = await request.form()
    if not csrf_ok(request, form.get("csrf_token")):
        return web.error(request, 403, "missing or wrong CSRF token; reload the page and retry")
    k = sr.StoryKey.parse(key)
    status = form.get("status")
    note = form.get("note")
    if status not in review_queue_db.STATUSES:
        return web.error(
            request, 400, f"status must be one of {', '.join(review_queue_db.STATUSES)}"
        )
    with web.session() as s:
        n = sr.mark_story(s, k, str(status), note if isinstance(note, str) else None) if k else 0
    if not n:
        return web.error(request, 404, f"no story {key}")
    return RedirectResponse(safe_next(form.get("next"), f"/stories/{key}"), status_code=303)
