"""The overview (landing page), the story list and story pages, and the entity pages of
``borderwatch web`` (issue 17). Registered on the app by :func:`flows.web.create_app`, which
passes its helpers (templates, CSRF check, caches, clock).

* ``/overview?window=24h|7d|30d|custom&from=YYYY-MM-DD&to=YYYY-MM-DD``: the map of distinct
  flagged stories per state in the window (disputed states outlined, spikes badged), the top
  groups and officials with the change against the previous window of the same length, the
  daily chart of the last 30 days, and how many stories arrived since the last visit (cookie).
* ``/stories`` (the same filters as ``/articles``): one row per story; ``/stories/<key>``: every
  copy side by side; ``POST /stories/<key>/review`` marks every copy.
* ``/entity/<state|group|official>/<id>?days=30|90|365``: chart with the spike threshold, latest
  stories, co-mentions, roles over time (officials); ``/daily.csv?entity=TYPE:ID&days=N``.
"""

from __future__ import annotations

import csv
import io
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from fastapi import FastAPI, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse
from sqlalchemy import Engine

from config.settings import Settings
from flows import charts
from flows import digest as dg
from storage import review as rv
from storage import stories as sr
from storage.db import session_scope

WINDOWS = {"24h": timedelta(hours=24), "7d": timedelta(days=7), "30d": timedelta(days=30)}
CHART_DAYS = (30, 90, 365)
SEEN_COOKIE = "bw_seen"
OVERVIEW_CACHE_SECONDS = 30.0
TOP_N = 10
CUSTOM_CACHE_SIZE = 32


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


def load_watchlist_meta(settings: Settings) -> Any:
    try:
        from config.watchlist_loader import load_watchlist

        return load_watchlist(settings.watchlist)
    except Exception:  # a broken watchlist must not take the web app down; pages degrade
        return None


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


def register(
    app: FastAPI,
    *,
    eng: Engine,
    settings: Settings,
    clock: Callable[[], datetime],
    names: dict[tuple[str, str], str],
    page: Callable[..., Response],
    error: Callable[..., Response],
    cached: Callable[[str, float, Callable[[], Any]], Any],
    spikes: Callable[[], list[dg.Spike]],
    options: Callable[[], rv.FilterOptions],
    parse_filter: Callable[[Request], tuple[rv.ArticleFilter, dict[str, str]]],
    csrf_ok: Callable[[Request, Any], bool],
) -> None:
    tz = ZoneInfo(settings.timezone)
    wl = load_watchlist_meta(settings)
    states_meta = {s.id: s for s in (wl.states if wl else ())}
    officials_meta = {o.id: o for o in (wl.officials if wl else ())}
    groups_meta = {g.id: g for g in (wl.groups if wl else ())}
    place_names = {p.id: p.name for p in (wl.places if wl else ())}
    disputed = {s.id for s in states_meta.values() if s.disputed} or None

    def name_of(etype: str, eid: str) -> str:
        return names.get((etype, eid), eid)

    def local_day(d: datetime) -> date:
        return d.astimezone(tz).date()

    # ------------------------------------------------------------ overview

    custom_cache: OrderedDict[tuple[datetime, datetime], tuple[float, dict[str, Any]]] = (
        OrderedDict()
    )
    custom_lock = threading.Lock()

    def overview_data(w: Window) -> dict[str, Any]:
        prev = w.previous
        with session_scope(eng) as s:
            counts = sr.entity_counts(s, "state", w.start, w.end)
            total = sr.story_count(s, w.start, w.end)
            tops: dict[str, list[Ranked]] = {}
            both = sr.entity_counts_two_windows(
                s, ("group", "official"), prev.start, w.start, w.end
            )
            for etype in ("group", "official"):
                now_c, prev_c = both[etype]
                ranked = sorted(now_c.items(), key=lambda kv: (-kv[1], name_of(etype, kv[0])))
                tops[etype] = [
                    Ranked(i, name_of(etype, i), n, prev_c.get(i, 0)) for i, n in ranked[:TOP_N]
                ]
            last = local_day(clock())
            daily = sr.daily_counts(
                s, None, None, first=last - timedelta(days=29), last=last, tz=tz
            )
        return {"counts": counts, "total": total, "tops": tops, "daily": daily}

    @app.get("/overview", response_class=HTMLResponse)
    def overview(request: Request) -> Response:
        now = clock()
        w = parse_window(request.query_params, now, tz)
        if isinstance(w, str):
            return error(request, 400, w)
        # the fixed windows are cached (30 s, refreshed in the background); custom ones in a
        # small LRU (any number of them could be asked for)
        if w.name == "custom":
            ckey = (w.start, w.end)
            with custom_lock:
                hit = custom_cache.get(ckey)
            if hit is None or time.monotonic() - hit[0] > OVERVIEW_CACHE_SECONDS:
                hit = (time.monotonic(), overview_data(w))
            with custom_lock:
                custom_cache[ckey] = hit
                custom_cache.move_to_end(ckey)
                while len(custom_cache) > CUSTOM_CACHE_SIZE:
                    custom_cache.popitem(last=False)
            data = hit[1]
        else:
            data = cached(f"overview:{w.name}", OVERVIEW_CACHE_SECONDS, lambda: overview_data(w))
        sp = spikes()
        spike_states = {
            x.entity_id: f"{x.count} stories in 24 h (threshold {x.threshold:.1f}): "
            + "; ".join((a.title or a.url) for a in x.evidence[:3])
            for x in sp
            if x.entity_type == "state"
        }
        wq = {"window": w.name}
        if w.name == "custom":
            wq.update({"from": local_day(w.start).isoformat(), "to": request.query_params["to"]})
        qs = urlencode(wq)
        svg = charts.map_svg(
            data["counts"],
            disputed=disputed,
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
            with session_scope(eng) as s:
                new_count = sr.new_stories_since(s, seen, now)
        states_ranked = sorted(
            ((sid, n) for sid, n in data["counts"].items() if n > 0),
            key=lambda kv: (-kv[1], name_of("state", kv[0])),
        )
        resp = page(
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
                "rule": dg.spike_rule_text(),
                "seen": seen,
                "new_count": new_count,
                "window_from": local_day(w.start),
                "window_to": local_day(w.end - timedelta(seconds=1)),
            },
        )
        resp.set_cookie(SEEN_COOKIE, now.isoformat(), samesite="strict", max_age=365 * 86400)
        return resp

    # ------------------------------------------------------------ stories

    @app.get("/stories", response_class=HTMLResponse)
    def stories(request: Request) -> Response:
        f, args = parse_filter(request)
        try:
            page_no = max(1, int(request.query_params.get("page", "1")))
        except ValueError:
            return error(request, 400, "page must be a number")
        with session_scope(eng) as s:
            result = sr.search_stories(s, f, page=page_no, per_page=50)
        query = urlencode(args)
        return page(
            request,
            "stories.html",
            {
                "nav": "stories",
                "page": result,
                "f": f,
                "args": args,
                "options": options(),
                "query": query,
                "page_query": lambda n: urlencode({**args, "page": str(n)}),
                "spikes": spikes(),
            },
        )

    @app.get("/stories/{key}", response_class=HTMLResponse)
    def story(request: Request, key: str) -> Response:
        k = sr.StoryKey.parse(key)
        if k is None:
            return error(request, 404, f"no story {key}")
        with session_scope(eng) as s:
            d = sr.story_detail(s, k)
        if d is None:
            return error(request, 404, f"no story {key}")
        copies = [
            (a, dg.highlight_html(d.texts.get(a.id, ""), d.mentions.get(a.id, [])))
            for a in d.story.articles
        ]
        return page(request, "story.html", {"nav": "stories", "st": d.story, "copies": copies})

    @app.post("/stories/{key}/review")
    async def story_review(request: Request, key: str) -> Response:
        form = await request.form()
        if not csrf_ok(request, form.get("csrf_token")):
            return error(request, 403, "missing or wrong CSRF token; reload the page and retry")
        k = sr.StoryKey.parse(key)
        status = form.get("status")
        note = form.get("note")
        if status not in rv.STATUSES:
            return error(request, 400, f"status must be one of {', '.join(rv.STATUSES)}")
        with session_scope(eng) as s:
            n = (
                sr.mark_story(s, k, str(status), note if isinstance(note, str) else None)
                if k
                else 0
            )
        if not n:
            return error(request, 404, f"no story {key}")
        nxt = form.get("next")
        target = f"/stories/{key}"
        if isinstance(nxt, str) and nxt.startswith("/") and not nxt.startswith("//"):
            target = nxt
        return RedirectResponse(target, status_code=303)

    # ------------------------------------------------------------ entities

    def parse_days(request: Request) -> int | None:
        try:
            days = int(request.query_params.get("days", "30"))
        except ValueError:
            return None
        return days if days in CHART_DAYS else None

    def series_for(etype: str, eid: str, days: int) -> list[tuple[date, int]]:
        last = local_day(clock())
        with session_scope(eng) as s:
            return sr.daily_counts(
                s, etype, eid, first=last - timedelta(days=days - 1), last=last, tz=tz
            )

    @app.get("/entity/{etype}/{eid}", response_class=HTMLResponse)
    def entity(request: Request, etype: str, eid: str) -> Response:
        if etype not in sr.ENTITY_TYPES:
            return error(request, 404, f"no entity type {etype!r}: state, group or official")
        days = parse_days(request)
        if days is None:
            return error(request, 400, "days must be 30, 90 or 365")
        known = {"state": states_meta, "group": groups_meta, "official": officials_meta}[etype]
        if eid not in known and (etype, eid) not in names:
            with session_scope(eng) as s:
                if not sr.has_mentions(s, etype, eid):
                    return error(request, 404, f"no {etype} {eid!r} in the watchlist or the news")

        def make() -> dict[str, Any]:
            daily = series_for(etype, eid, days)
            last = daily[-1][0]
            start = datetime(daily[0][0].year, daily[0][0].month, daily[0][0].day, tzinfo=tz)
            end = datetime(last.year, last.month, last.day, tzinfo=tz) + timedelta(days=1)
            with session_scope(eng) as s:
                co = sr.co_mentions(s, etype, eid, start, end)
                latest = sr.latest_stories(s, etype, eid, limit=15)
            return {"daily": daily, "co": co, "latest": latest}

        data = cached(f"entity:{etype}:{eid}:{days}", OVERVIEW_CACHE_SECONDS, make)
        dates = [d for d, _ in data["daily"]]
        vals = [n for _, n in data["daily"]]
        threshold = charts.spike_threshold_line(vals)
        name = name_of(etype, eid)
        series: list[tuple[str, list[int]]] = [(f"flagged stories: {name}", vals)]
        # ?compare=TYPE:ID (repeatable, up to 4): more entities as lines on the same chart
        compare: list[str] = []
        for raw in request.query_params.getlist("compare")[:4]:
            ctype, _, cid = raw.partition(":")
            if ctype not in sr.ENTITY_TYPES or not cid or (ctype, cid) == (etype, eid):
                return error(request, 400, f"compare must be TYPE:ID (state/group/official): {raw}")
            compare.append(raw)
            series.append((name_of(ctype, cid), [n for _, n in series_for(ctype, cid, days)]))
        if compare:
            series[0] = (name, vals)
        chart = charts.timeline_svg(
            dates,
            series,
            threshold=threshold,
            width=900,
            caption=f"flagged stories per day mentioning {name}",
        )
        roles = []
        if etype == "official" and eid in officials_meta:
            for t in officials_meta[eid].terms:
                where = t.jurisdiction
                where_name = names.get(("state", where)) or place_names.get(where) or where.upper()
                roles.append((t, where_name, ("state", where) in names))
        filter_qs = urlencode({etype: eid})
        return page(
            request,
            "entity.html",
            {
                "nav": "overview",
                "etype": etype,
                "eid": eid,
                "name": name,
                "days": days,
                "chart_days": CHART_DAYS,
                "chart": chart,
                "total": sum(vals),
                "peak": max(vals) if vals else 0,
                "co": data["co"],
                "latest": data["latest"],
                "roles": roles,
                "state": states_meta.get(eid) if etype == "state" else None,
                "group": groups_meta.get(eid) if etype == "group" else None,
                "filter_qs": filter_qs,
                "csv_qs": urlencode(
                    [
                        ("entity", f"{etype}:{eid}"),
                        *(("entity", c) for c in compare),
                        ("days", days),
                    ]
                ),
                "compare": compare,
                "days_qs": lambda d: urlencode([("days", d), *(("compare", c) for c in compare)]),
            },
        )

    @app.get("/daily.csv")
    def daily_csv(request: Request) -> Response:
        """Daily distinct flagged stories for one or more entities (``entity=TYPE:ID``,
        repeated; none = all flagged stories) over ``days`` days, with each entity's spike
        threshold (from the 14 days before each day)."""
        days = parse_days(request)
        if days is None:
            return error(request, 400, "days must be 30, 90 or 365")
        wanted: list[tuple[str | None, str | None]] = []
        for raw in request.query_params.getlist("entity"):
            kind, _, key = raw.partition(":")
            if kind not in sr.ENTITY_TYPES or not key:
                return error(request, 400, f"entity must be TYPE:ID (state/group/official): {raw}")
            wanted.append((kind, key))
        if not wanted:
            wanted = [(None, None)]
        columns: list[tuple[str, list[tuple[date, int]]]] = []
        last = local_day(clock())
        with session_scope(eng) as s:
            for etype, eid in wanted:
                columns.append(
                    (
                        f"{etype}:{eid}" if etype else "all",
                        sr.daily_counts(
                            s, etype, eid, first=last - timedelta(days=days - 1), last=last, tz=tz
                        ),
                    )
                )
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        header = ["date"]
        for label, _ in columns:
            header += [label, f"{label} threshold"]
        w.writerow(header)
        thresholds = [charts.spike_threshold_line([n for _, n in col]) for _, col in columns]
        for i, (d, _) in enumerate(columns[0][1]):
            row: list[Any] = [d.isoformat()]
            for (_, col), th in zip(columns, thresholds, strict=True):
                t = th[i]
                row += [col[i][1], "" if t is None else f"{t:.2f}"]
            w.writerow(row)
        return Response(
            buf.getvalue(),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": 'attachment; filename="borderwatch-daily.csv"'},
        )
