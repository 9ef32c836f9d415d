"""``/entity/<state|group|official>/<id>?days=30|90|365``: chart with the spike threshold, latest
stories, co-mentions, roles over time (officials); ``/daily.csv?entity=TYPE:ID&days=N``."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime, timedelta
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse

from flows.review import charts
from flows.web.deps import Web, WebDep
from flows.web.routes.overview import OVERVIEW_CACHE_SECONDS
from storage import stories as sr

CHART_DAYS = (30, 90, 365)

router = APIRouter()


def parse_days(request: Request) -> int | None:
    try:
        days = int(request.query_params.get("days", "30"))
    except ValueError:
        return None
    return days if days in CHART_DAYS else None


def series_for(web: Web, etype: str, eid: str, days: int) -> list[tuple[date, int]]:
    last = web.local_day(web.clock())
    with web.session() as s:
        return sr.daily_counts(
            s, etype, eid, first=last - timedelta(days=days - 1), last=last, tz=web.tz
        )


@router.get("/entity/{etype}/{eid}", response_class=HTMLResponse)
def entity(request: Request, web: WebDep, etype: str, eid: str) -> Response:
    if etype not in sr.ENTITY_TYPES:
        return web.error(request, 404, f"no entity type {etype!r}: state, group or official")
    days = parse_days(request)
    if days is None:
        return web.error(request, 400, "days must be 30, 90 or 365")
    names = web.names
    metas: dict[str, dict[str, Any]] = {
        "state": web.states,
        "group": web.groups,
        "official": web.officials,
    }
    known = metas[etype]
    if eid not in known and (etype, eid) not in names:
        with web.session() as s:
            if not sr.has_mentions(s, etype, eid):
                return web.error(request, 404, f"no {etype} {eid!r} in the watchlist or the news")

    def make() -> dict[str, Any]:
        tz = web.tz
        daily = series_for(web, etype, eid, days)
        last = daily[-1][0]
        start = datetime(daily[0][0].year, daily[0][0].month, daily[0][0].day, tzinfo=tz)
        end = datetime(last.year, last.month, last.day, tzinfo=tz) + timedelta(days=1)
        with web.session() as s:
            co = sr.co_mentions(s, etype, eid, start, end)
            latest = sr.latest_stories(s, etype, eid, limit=15)
        return {"daily": daily, "co": co, "latest": latest}

    data = web.cached(f"entity:{etype}:{eid}:{days}", OVERVIEW_CACHE_SECONDS, make)
    dates = [d for d, _ in data["daily"]]
    vals = [n for _, n in data["daily"]]
    threshold = charts.spike_threshold_line(vals)
    name = web.name_of(etype, eid)
    series: list[tuple[str, list[int]]] = [(f"flagged stories: {name}", vals)]
    # ?compare=TYPE:ID (repeatable, up to 4): more entities as lines on the same chart
    compare: list[str] = []
    for raw in request.query_params.getlist("compare")[:4]:
        ctype, _, cid = raw.partition(":")
        if ctype not in sr.ENTITY_TYPES or not cid or (ctype, cid) == (etype, eid):
            return web.error(request, 400, f"compare must be TYPE:ID (state/group/official): {raw}")
        compare.append(raw)
        series.append((web.name_of(ctype, cid), [n for _, n in series_for(web, ctype, cid, days)]))
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
    if etype == "official" and eid in web.officials:
        for t in web.officials[eid].terms:
            where = t.jurisdiction
            where_name = names.get(("state", where)) or web.place_names.get(where) or where.upper()
            roles.append((t, where_name, ("state", where) in names))
    filter_qs = urlencode({etype: eid})
    return web.page(
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
            "state": web.states.get(eid) if etype == "state" else None,
            "group": web.groups.get(eid) if etype == "group" else None,
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


@router.get("/daily.csv")
def daily_csv(request: Request, web: WebDep) -> Response:
    """Daily distinct flagged stories for one or more entities (``entity=TYPE:ID``, repeated;
    none = all flagged stories) over ``days`` days, with each entity's spike threshold (from
    the 14 days before each day)."""
    days = parse_days(request)
    if days is None:
        return web.error(request, 400, "days must be 30, 90 or 365")
    wanted: list[tuple[str | None, str | None]] = []
    for raw in request.query_params.getlist("entity"):
        kind, _, key = raw.partition(":")
        if kind not in sr.ENTITY_TYPES or not key:
            return web.error(request, 400, f"entity must be TYPE:ID (state/group/official): {raw}")
        wanted.append((kind, key))
    if not wanted:
        wanted = [(None, None)]
    columns: list[tuple[str, list[tuple[date, int]]]] = []
    last = web.local_day(web.clock())
    with web.session() as s:
        for etype, eid in wanted:
            columns.append(
                (
                    f"{etype}:{eid}" if etype else "all",
                    sr.daily_counts(
                        s, etype, eid, first=last - timedelta(days=days - 1), last=last, tz=web.tz
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
