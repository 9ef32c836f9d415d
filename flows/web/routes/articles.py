"""``/articles``: the filtered, paged article list with the spikes; ``/articles/<id>``: one
article with its mentions marked; ``POST /articles/<id>/review`` sets its status and note."""

from __future__ import annotations

from urllib.parse import urlencode

from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse

from flows.review.highlight import highlight_html
from flows.review.spikes import spike_rule_text
from flows.web.deps import WebDep
from flows.web.security import csrf_ok, safe_next
from storage import review_queue as review_queue_db
from storage import search as search_db

PER_PAGE = 50

router = APIRouter()


@router.get("/articles", response_class=HTMLResponse)
def articles(request: Request, web: WebDep) -> Response:
    f, args = web.parse_filter(request)
    try:
        page_no = max(1, int(request.query_params.get("page", "1")))
        per_page = max(1, min(200, int(request.query_params.get("per_page", str(PER_PAGE)))))
    except ValueError:
        return web.error(request, 400, "page and per_page must be numbers")
    with web.session() as s:
        result = search_db.search_articles(s, f, page=page_no, per_page=per_page)
    options = web.options()
    spikes = web.spikes()
    query = urlencode(args)

    def page_query(n: int) -> str:
        extra = {"page": str(n)}
        if per_page != PER_PAGE:
            extra["per_page"] = str(per_page)
        return urlencode({**args, **extra})

    sp_links = [urlencode({sp.entity_type: sp.entity_id, "scope": "all"}) for sp in spikes]
    return web.page(
        request,
        "list.html",
        {
            "nav": "articles",
            "page": result,
            "f": f,
            "args": args,
            "options": options,
            "query": query,
            "page_query": page_query,
            "spikes": spikes,
            "sp_links": sp_links,
            "rule": spike_rule_text(),
        },
    )


@router.get("/articles/{article_id}", response_class=HTMLResponse)
def article(request: Request, web: WebDep, article_id: int) -> Response:
    with web.session() as s:
        d = review_queue_db.article_detail(s, article_id)
    if d is None:
        return web.error(request, 404, f"no article {article_id}")
    ref = request.headers.get("referer", "")
    back = "/articles"
    if "/articles?" in ref:
        back = "/articles?" + ref.split("/articles?", 1)[1]
    return web.page(
        request,
        "article.html",
        {
            "nav": "articles",
            "d": d,
            "a": d.article,
            "body": highlight_html(d.text, d.mentions),
            "back": back,
        },
    )


@router.post("/articles/{article_id}/review")
async def review(request: Request, web: WebDep, article_id: int) -> Response:
    form = await request.form()
    if not csrf_ok(request, form.get("csrf_token")):
        return web.error(request, 403, "missing or wrong CSRF token; reload the page and retry")
    status = form.get("status")
    note = form.get("note")
    if status not in review_queue_db.STATUSES:
        return web.error(
            request, 400, f"status must be one of {', '.join(review_queue_db.STATUSES)}"
        )
    with web.session() as s:
        if review_queue_db.article_detail(s, article_id) is None:
            return web.error(request, 404, f"no article {article_id}")
        review_queue_db.mark(
            s, [article_id], str(status), str(note) if isinstance(note, str) else None
        )
    return RedirectResponse(safe_next(form.get("next"), f"/articles/{article_id}"), status_code=303)
