"""``/feeds``: every feed with its health (flows/feed_health.py), last fetch and gaps."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse

from flows.feed_health import feeds_with_health
from flows.web.deps import WebDep
from storage.tables import utcnow

router = APIRouter()


@router.get("/feeds", response_class=HTMLResponse)
def feeds(request: Request, web: WebDep) -> Response:
    now = utcnow()
    with web.session() as s:
        pairs = feeds_with_health(s, now)
    return web.page(request, "feeds.html", {"nav": "feeds", "rows": pairs})
