"""What every route of the web app needs, as one FastAPI dependency: ``web: WebDep``.

:class:`Web` is built once per app by :func:`flows.web.app.create_app` and holds the settings,
the engine, the clock, the watchlist (loaded once, through config.watchlist_loader), the
templates and the caches; routes open a session with ``web.session()`` (a session per request
part, committed before the response is built, so a redirect after a POST never races its
commit) and render with ``web.page`` / ``web.error``.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from fastapi import Depends, Request, Response
from fastapi.templating import Jinja2Templates
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from config.settings import Settings
from config.watchlist_model import Group, Official, State, Watchlist
from flows.review.spikes import Spike, spikes_at
from flows.web.cache import LruCache, TtlCache
from storage import review_queue as review_queue_db
from storage import search as search_db
from storage.db import session_scope

CACHE_SECONDS = 60.0
SPIKE_CACHE_SECONDS = 300.0
CUSTOM_CACHE_SIZE = 32
FILTER_KEYS = (
    "q",
    "date_from",
    "date_to",
    "state",
    "group",
    "official",
    "outlet",
    "language",
    "status",
    "scope",
)


def load_watchlist_meta(settings: Settings) -> Watchlist | None:
    try:
        from config.watchlist_loader import load_watchlist

        return load_watchlist(settings.watchlist)
    except Exception:  # a broken watchlist must not take the web app down; pages degrade
        return None


def entity_names(wl: Watchlist | None) -> dict[tuple[str, str], str]:
    """(type, id) → display name of the watchlist's states, groups and officials."""
    names: dict[tuple[str, str], str] = {}
    if wl is None:
        return names
    for etype, items in (("state", wl.states), ("group", wl.groups), ("official", wl.officials)):
        for item in items:
            names[(etype, item.id)] = item.name
    return names


def _parse_day(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


@dataclass
class Web:
    settings: Settings
    engine: Engine
    clock: Callable[[], datetime]
    templates: Jinja2Templates
    watchlist: Watchlist | None
    tz: ZoneInfo = field(init=False)
    names: dict[tuple[str, str], str] = field(init=False)
    states: dict[str, State] = field(init=False)
    groups: dict[str, Group] = field(init=False)
    officials: dict[str, Official] = field(init=False)
    place_names: dict[str, str] = field(init=False)
    disputed: set[str] | None = field(init=False)
    cache: TtlCache = field(init=False, default_factory=TtlCache)
    custom_overviews: LruCache = field(
        init=False, default_factory=lambda: LruCache(CUSTOM_CACHE_SIZE)
    )

    def __post_init__(self) -> None:
        wl = self.watchlist
        self.tz = ZoneInfo(self.settings.timezone)
        self.names = entity_names(wl)
        self.states = {s.id: s for s in (wl.states if wl else ())}
        self.officials = {o.id: o for o in (wl.officials if wl else ())}
        self.groups = {g.id: g for g in (wl.groups if wl else ())}
        self.place_names = {p.id: p.name for p in (wl.places if wl else ())}
        self.disputed = {s.id for s in self.states.values() if s.disputed} or None

    # ------------------------------------------------------------ data

    def session(self) -> AbstractContextManager[Session]:
        return session_scope(self.engine)

    def cached(self, key: str, ttl: float, make: Callable[[], Any]) -> Any:
        return self.cache.get(key, ttl, make)

    def spikes(self) -> list[Spike]:
        def now() -> list[Spike]:
            with self.session() as s:
                return spikes_at(s, self.clock())

        result: list[Spike] = self.cached("spikes", SPIKE_CACHE_SECONDS, now)
        return result

    def options(self) -> search_db.FilterOptions:
        def now() -> search_db.FilterOptions:
            with self.session() as s:
                return search_db.filter_options(s)

        result: search_db.FilterOptions = self.cached("options", CACHE_SECONDS, now)
        return result

    # ------------------------------------------------------------ names and days

    def name_of(self, etype: str, eid: str) -> str:
        return self.names.get((etype, eid), eid)

    def local(self, d: datetime | None) -> str:
        return d.astimezone(self.tz).strftime("%Y-%m-%d %H:%M") if d else "–"

    def local_day(self, d: datetime) -> date:
        return d.astimezone(self.tz).date()

    # ------------------------------------------------------------ requests and pages

    def parse_filter(self, request: Request) -> tuple[search_db.ArticleFilter, dict[str, str]]:
        """The article filter of the query (``/articles``, ``/stories``, the exports) and the
        query arguments it came from."""
        qp = request.query_params
        tz = self.tz
        args = {k: qp.get(k, "").strip() for k in FILTER_KEYS if qp.get(k, "").strip()}
        d_from, d_to = _parse_day(args.get("date_from")), _parse_day(args.get("date_to"))
        status = args.get("status")
        f = search_db.ArticleFilter(
            date_from=(
                datetime(d_from.year, d_from.month, d_from.day, tzinfo=tz) if d_from else None
            ),
            date_to=(
                datetime(d_to.year, d_to.month, d_to.day, tzinfo=tz) + timedelta(days=1)
                if d_to
                else None
            ),
            state=args.get("state"),
            group=args.get("group"),
            official=args.get("official"),
            outlet=args.get("outlet"),
            language=args.get("language"),
            status=status if status in review_queue_db.STATUSES else None,
            q=args.get("q"),
            flagged_only=args.get("scope", "flagged") != "all",
        )
        return f, args

    def page(self, request: Request, name: str, ctx: dict[str, Any], status: int = 200) -> Response:
        ctx = {"request": request, "csrf": request.state.csrf, **ctx}
        return self.templates.TemplateResponse(request, name, ctx, status_code=status)

    def error(self, request: Request, status: int, message: str) -> Response:
        return self.page(request, "error.html", {"status": status, "message": message}, status)


def get_web(request: Request) -> Web:
    web: Web = request.app.state.web
    return web


WebDep = Annotated[Web, Depends(get_web)]
