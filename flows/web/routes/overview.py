"""The landing page: ``/`` redirects to ``/overview``; ``/healthz``.

``/overview?window=24h|7d|30d|custom&from=YYYY-MM-DD&to=YYYY-MM-DD``: the map of distinct
flagged stories per state in the window (disputed states outlined, spikes badged), the top
groups and officials with the change against the previous window of the same length, the daily
chart of the last 30 days, and how many stories arrived since the last visit (cookie).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse, PlainTextResponse, RedirectResponse

from flows.review import charts
from flows.review.spikes import spike_rule_text
from flows.web.deps import Web, WebDep
from storage import stories as sr

WINDOWS = {"24h": timedelta(hours=24), "7d": timedelta(days=7), "30d": timedelta(days=30)}
SEEN_COOKIE = "bw_seen"
OVERVIEW_CACHE_SECONDS = 30.0
TOP_N = 10

router = APIRouter()


@dataclass(frozen=True)
class Window:
    name: str
    start: datetime
    end: datetime

    @property
    def previous(self) -> Window:
        return Window(self.name, self.start - (self.end - self.start), self.start)


@dataclass(frozen=True)
class Ranked:
    id: str
    name: str
    count: int
    previous: int

    @property
    def change(self) -> int:
        return self.count - self.previous


def parse_window(qp: Any, now: datetime, tz: ZoneInfo) -> Window | str:
    """The window of the query (default 7 days up to now), or an error message."""
    name = qp.get("window", "7d") or "7d"
    if name in WINDOWS:
        return Window(name, now - WINDOWS[name], now)
    if name != "custom":
        return f"window must be one of 24h, 7d, 30d, custom; got {name!r}"
    try:
        d_from = date.fromisoformat(qp.get("from", ""))
        d_to = date.fromisoformat(qp.get("to", ""))
    except ValueError:
        return "a custom window needs from=YYYY-MM-DD and to=YYYY-MM-DD"
    if d_to < d_from:
        return "the custom window ends before it starts"
    start = datetime(d_from.year, d_from.month, d_from.day, tzinfo=tz)
    end = datetime(d_to.year, d_to.month, d_to.day, tzinfo=tz) + timedelta(days=1)
    return Window("custom", start, end)


def overview_data(web: Web, w: Window) -> dict[str, Any]:
    prev = w.previous
    with web.session() as s:
        counts = sr.entity_counts(s, "state", w.start, w.end)
        total = sr.story_count(s, w.start, w.end)
        tops: dict[str, list[Ranked]] = {}
        both = sr.entity_counts_two_windows(s, ("group", "official"), prev.start, w.start, w.end)
        for etype in ("group", "official"):
            now_c, prev_c = both[etype]
            ranked = sorted(now_c.items(), key=lambda kv: (-kv[1], web.name_of(etype, kv[0])))
            tops[etype] = [
                Ranked(i, web.name_of(etype, i), n, prev_c.get(i, 0)) for i, n in ranked[:TOP_N]
            ]
        last = web.local_day(web.clock())
        daily = sr.daily_counts(
            s, None, None, first=last - timedelta(days=29), last=last, tz=web.tz
        )
    return {"counts": counts, "total": total, "tops": tops, "daily": daily}


@router.get("/", include_in_schema=False)
def root(request: Request) -> Response:
    qs = request.url.query
    return RedirectResponse("/overview" + (f"?{qs}" if qs else ""), status_code=302)


@router.get("/healthz", include_in_schema=False)
def healthz() -> Response:
    return PlainTextResponse("ok")


@router.get("/overview", response_class=HTMLResponse)
def overview(request: Request, web: WebDep) -> Response:
    now = web.clock()
    w = parse_window(request.query_params, now, web.tz)
    if isinstance(w, str):
        return web.error(request, 400, w)
    # the fixed windows are cached (30 s, refreshed in the background); custom ones in a
    # small LRU (any number of them could be asked for)
    data: dict[str, Any]
    if w.name == "custom":
        data = web.custom_overviews.get(
            (w.start, w.end), OVERVIEW_CACHE_SECONDS, lambda: overview_data(web, w)
        )
    else:
        data = web.cached(
            f"overview:{w.name}", OVERVIEW_CACHE_SECONDS, lambda: overview_data(web, w)
        )
    sp = web.spikes()
    spike_states = {
        x.entity_id: f"{x.count} stories in 24 h (threshold {x.threshold:.1f}): "
        + "; ".join((a.title or a.url) for a in x.evidence[:3])
        for x in sp
        if x.entity_type == "state"
    }
    wq = {"window": w.name}
    if w.name == "custom":
        wq.update({"from": web.local_day(w.start).isoformat(), "to": request.query_params["to"]})
    qs = urlencode(wq)
    svg = charts.map_svg(
        data["counts"],
        disputed=web.disputed,
        spikes=spike_states,
        href=lambda sid: f"/entity/state/{sid}?{qs}",
        caption=f"flagged stories per state, {w.name}",
    )
    days = [d for d, _ in data["daily"]]
    vals = [n for _, n in data["daily"]]
    chart = charts.timeline_svg(
        days,
        [("flagged stories", vals)],
        threshold=None,
        caption="flagged stories per day, last 30 days",
    )
    # new since the last visit: the cookie holds the time of the previous visit
    seen_raw = request.cookies.get(SEEN_COOKIE, "")
    seen: datetime | None = None
    try:
        seen = datetime.fromisoformat(seen_raw) if seen_raw else None
    except ValueError:
        seen = None
    new_count = None
    if seen is not None and seen.tzinfo is not None:
        with web.session() as s:
            new_count = sr.new_stories_since(s, seen, now)
    states_ranked = sorted(
        ((sid, n) for sid, n in data["counts"].items() if n > 0),
        key=lambda kv: (-kv[1], web.name_of("state", kv[0])),
    )
    resp = web.page(
        request,
        "overview.html",
        {
            "nav": "overview",
            "w": w,
            "windows": list(WINDOWS),
            "qs": qs,
            "custom_from": request.query_params.get("from", ""),
            "custom_to": request.query_params.get("to", ""),
            "map": svg,
            "chart": chart,
            "total": data["total"],
            "states_ranked": states_ranked,
            "tops": data["tops"],
            "spikes": sp,
            "rule": spike_rule_text(),
            "seen": seen,
            "new_count": new_count,
            "window_from": web.local_day(w.start),
            "window_to": web.local_day(w.end - timedelta(seconds=1)),
        },
    )
    resp.set_cookie(SEEN_COOKIE, now.isoformat(), samesite="strict", max_age=365 * 86400)
    return resp
