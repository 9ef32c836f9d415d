"""`borderwatch web`: the review web app (FastAPI, server-rendered with Jinja2).

Security model:

* bound to 127.0.0.1 by default; :func:`check_bind` refuses any other address unless
  ``BORDERWATCH_WEB_TOKEN`` is set. With a token every request must present it: header
  ``Authorization: Bearer <token>``, cookie ``bw_token``, or once ``?token=<token>`` (which sets
  the cookie and redirects to the same URL without it).
* article text is HTML-escaped by the templates (and by :func:`flows.digest.highlight_html`,
  which escapes each piece between mention offsets); a strict Content-Security-Policy
  (``script-src 'self'``) keeps any inline script from running even if escaping failed.
* every state-changing request is a POST carrying a CSRF token: a random per-session value in
  the cookie ``bw_csrf`` (SameSite=Strict) that must equal the form field ``csrf_token``;
  otherwise 403.
"""

from __future__ import annotations

import csv
import hmac
import io
import ipaddress
import json
import secrets
import threading
import time
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

import yaml
from fastapi import FastAPI, Request, Response
from fastapi.responses import HTMLResponse, PlainTextResponse, RedirectResponse, StreamingResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from sqlalchemy import Engine

from config.settings import Settings
from flows import digest as dg
from flows import web_overview
from flows.schedule import health
from storage import repository as repo
from storage import review as rv
from storage.db import open_database, session_scope
from storage.models import utcnow

HERE = Path(__file__).resolve().parent
CSRF_COOKIE = "bw_csrf"
TOKEN_COOKIE = "bw_token"
CACHE_SECONDS = 60.0
SPIKE_CACHE_SECONDS = 300.0
PER_PAGE = 50
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' "
    "data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
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


class BindError(RuntimeError):
    pass


def is_loopback(host: str) -> bool:
    if host in ("localhost", "localhost.localdomain"):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def check_bind(host: str, token: str) -> None:
    """Refuse a non-loopback bind address without a token."""
    if not is_loopback(host) and not token:
        raise BindError(
            f"refusing to listen on {host}: set BORDERWATCH_WEB_TOKEN to serve beyond loopback"
        )


def entity_names(watchlist: Path) -> dict[tuple[str, str], str]:
    """(type, id) → display name from the watchlist's state, group and official files."""
    names: dict[tuple[str, str], str] = {}
    try:
        top = yaml.safe_load(watchlist.read_text(encoding="utf-8")) or {}
        files = [watchlist, *(watchlist.parent / p for p in top.get("include") or [])]
    except (OSError, yaml.YAMLError, AttributeError):
        return names
    for p in files:
        try:
            doc = yaml.safe_load(p.read_text(encoding="utf-8")) or {}
        except (OSError, yaml.YAMLError):
            continue
        if not isinstance(doc, dict):
            continue
        for key, etype in (("states", "state"), ("groups", "group"), ("officials", "official")):
            for item in doc.get(key) or []:
                if isinstance(item, dict) and item.get("id") and item.get("name"):
                    names[(etype, str(item["id"]))] = str(item["name"])
    return names


@dataclass
class _Cached:
    at: float
    value: Any


def _parse_day(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def create_app(
    settings: Settings,
    engine: Engine | None = None,
    *,
    clock: Callable[[], datetime] = utcnow,
) -> FastAPI:
    """The web app over ``settings.db_url`` (or the given engine). ``clock`` gives "now" for the
    overview's windows, the charts and spikes (tests pass a fixed one)."""
    eng = engine or open_database(settings.db_url)
    tz = ZoneInfo(settings.timezone)
    token = settings.web_token
    app = FastAPI(title="borderwatch", docs_url=None, redoc_url=None, openapi_url=None)
    app.state.engine = eng
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")
    templates = Jinja2Templates(directory=str(HERE / "templates"))
    cache: dict[str, _Cached] = {}
    names = entity_names(settings.watchlist)

    lock = threading.Lock()
    refreshing: set[str] = set()

    def cached(key: str, ttl: float, make: Callable[[], Any]) -> Any:
        """``make()`` at most every ``ttl`` seconds. An expired value is still served while a
        background thread recomputes it, so no page waits on the slow spike query twice."""
        now = time.monotonic()
        hit = cache.get(key)
        if hit is None:
            hit = cache[key] = _Cached(now, make())
            return hit.value
        if now - hit.at > ttl:
            with lock:
                start = key not in refreshing
                refreshing.add(key)
            if start:

                def refresh() -> None:
                    try:
                        cache[key] = _Cached(time.monotonic(), make())
                    finally:
                        with lock:
                            refreshing.discard(key)

                threading.Thread(target=refresh, daemon=True, name=f"bw-{key}").start()
        return hit.value

    def options_now() -> rv.FilterOptions:
        with session_scope(eng) as s:
            return rv.filter_options(s)

    def spikes_now() -> list[dg.Spike]:
        with session_scope(eng) as s:
            return dg.spikes_at(s, clock())

    def local(d: datetime | None) -> str:
        return d.astimezone(tz).strftime("%Y-%m-%d %H:%M") if d else "–"

    templates.env.globals.update(local=local, names=names, statuses=rv.STATUSES)
    # the overview, story and entity pages (issue 17)
    web_overview.register(
        app,
        eng=eng,
        settings=settings,
        clock=clock,
        names=names,
        page=lambda *a, **k: page(*a, **k),
        error=lambda *a, **k: error(*a, **k),
        cached=cached,
        spikes=lambda: cached("spikes", SPIKE_CACHE_SECONDS, spikes_now),
        options=lambda: cached("options", CACHE_SECONDS, options_now),
        parse_filter=lambda r: parse_filter(r),
        csrf_ok=lambda r, t: csrf_ok(r, t),
    )

    # ------------------------------------------------------------ middleware

    @app.middleware("http")
    async def guard(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        if token:
            given = request.query_params.get("token")
            if given is not None and hmac.compare_digest(given.encode(), token.encode()):
                rest = [(k, v) for k, v in request.query_params.multi_items() if k != "token"]
                target = request.url.path + ("?" + urlencode(rest) if rest else "")
                resp: Response = RedirectResponse(target, status_code=303)
                resp.set_cookie(
                    TOKEN_COOKIE, token, httponly=True, samesite="strict", max_age=30 * 86400
                )
                return resp
            auth = request.headers.get("authorization", "")
            presented = auth[7:] if auth.lower().startswith("bearer ") else None
            presented = presented or request.cookies.get(TOKEN_COOKIE)
            if not presented or not hmac.compare_digest(presented.encode(), token.encode()):
                return PlainTextResponse("token required", status_code=401)
        csrf = request.cookies.get(CSRF_COOKIE)
        fresh = not csrf or len(csrf) < 20
        request.state.csrf = secrets.token_urlsafe(32) if fresh else csrf
        resp = await call_next(request)
        if fresh:
            resp.set_cookie(CSRF_COOKIE, request.state.csrf, httponly=True, samesite="strict")
        resp.headers.setdefault("Content-Security-Policy", CSP)
        resp.headers.setdefault("X-Content-Type-Options", "nosniff")
        resp.headers.setdefault("Referrer-Policy", "no-referrer")
        resp.headers.setdefault("X-Frame-Options", "DENY")
        return resp

    def csrf_ok(request: Request, form_token: Any) -> bool:
        cookie = request.cookies.get(CSRF_COOKIE)
        return (
            isinstance(form_token, str)
            and bool(cookie)
            and hmac.compare_digest(form_token.encode(), str(cookie).encode())
        )

    def page(request: Request, name: str, ctx: dict[str, Any], status: int = 200) -> Response:
        ctx = {"request": request, "csrf": request.state.csrf, **ctx}
        return templates.TemplateResponse(request, name, ctx, status_code=status)

    def error(request: Request, status: int, message: str) -> Response:
        return page(request, "error.html", {"status": status, "message": message}, status)

    # ------------------------------------------------------------ filters

    def parse_filter(request: Request) -> tuple[rv.ArticleFilter, dict[str, str]]:
        qp = request.query_params
        args = {k: qp.get(k, "").strip() for k in FILTER_KEYS if qp.get(k, "").strip()}
        d_from, d_to = _parse_day(args.get("date_from")), _parse_day(args.get("date_to"))
        status = args.get("status")
        f = rv.ArticleFilter(
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
            status=status if status in rv.STATUSES else None,
            q=args.get("q"),
            flagged_only=args.get("scope", "flagged") != "all",
        )
        return f, args

    # ------------------------------------------------------------ pages

    @app.get("/", include_in_schema=False)
    def root(request: Request) -> Response:
        qs = request.url.query
        return RedirectResponse("/overview" + (f"?{qs}" if qs else ""), status_code=302)

    @app.get("/healthz", include_in_schema=False)
    def healthz() -> Response:
        return PlainTextResponse("ok")

    @app.get("/articles", response_class=HTMLResponse)
    def articles(request: Request) -> Response:
        f, args = parse_filter(request)
        try:
            page_no = max(1, int(request.query_params.get("page", "1")))
            per_page = max(1, min(200, int(request.query_params.get("per_page", str(PER_PAGE)))))
        except ValueError:
            return error(request, 400, "page and per_page must be numbers")
        with session_scope(eng) as s:
            result = rv.search_articles(s, f, page=page_no, per_page=per_page)
        options = cached("options", CACHE_SECONDS, options_now)
        spikes = cached("spikes", SPIKE_CACHE_SECONDS, spikes_now)
        query = urlencode(args)

        def page_query(n: int) -> str:
            extra = {"page": str(n)}
            if per_page != PER_PAGE:
                extra["per_page"] = str(per_page)
            return urlencode({**args, **extra})

        sp_links = [urlencode({sp.entity_type: sp.entity_id, "scope": "all"}) for sp in spikes]
        return page(
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
                "rule": dg.spike_rule_text(),
            },
        )

    @app.get("/articles/{article_id}", response_class=HTMLResponse)
    def article(request: Request, article_id: int) -> Response:
        with session_scope(eng) as s:
            d = rv.article_detail(s, article_id)
        if d is None:
            return error(request, 404, f"no article {article_id}")
        ref = request.headers.get("referer", "")
        back = "/articles"
        if "/articles?" in ref:
            back = "/articles?" + ref.split("/articles?", 1)[1]
        return page(
            request,
            "article.html",
            {
                "nav": "articles",
                "d": d,
                "a": d.article,
                "body": dg.highlight_html(d.text, d.mentions),
                "back": back,
            },
        )

    @app.post("/articles/{article_id}/review")
    async def review(request: Request, article_id: int) -> Response:
        form = await request.form()
        if not csrf_ok(request, form.get("csrf_token")):
            return error(request, 403, "missing or wrong CSRF token; reload the page and retry")
        status = form.get("status")
        note = form.get("note")
        if status not in rv.STATUSES:
            return error(request, 400, f"status must be one of {', '.join(rv.STATUSES)}")
        with session_scope(eng) as s:
            if rv.article_detail(s, article_id) is None:
                return error(request, 404, f"no article {article_id}")
            rv.mark(s, [article_id], str(status), str(note) if isinstance(note, str) else None)
        nxt = form.get("next")
        target = f"/articles/{article_id}"
        if isinstance(nxt, str) and nxt.startswith("/") and not nxt.startswith("//"):
            target = nxt
        return RedirectResponse(target, status_code=303)

    @app.get("/feeds", response_class=HTMLResponse)
    def feeds(request: Request) -> Response:
        now = utcnow()
        with session_scope(eng) as s:
            rows = repo.feed_rows(s)
        pairs = [
            (
                r,
                health(
                    now,
                    consecutive_failures=r.consecutive_failures,
                    last_success_at=r.last_success_at,
                    last_new_item_at=r.last_new_item_at,
                    last_checked_at=r.last_checked_at,
                ),
            )
            for r in rows
        ]
        return page(request, "feeds.html", {"nav": "feeds", "rows": pairs})

    # ------------------------------------------------------------ export

    def export_rows(f: rv.ArticleFilter) -> Iterator[dict[str, Any]]:
        with session_scope(eng) as s:
            for a in rv.export_articles(s, f):
                yield {
                    "id": a.id,
                    "published_at": dg.iso(a.published_at),
                    "fetched_at": dg.iso(a.fetched_at),
                    "feed": a.feed,
                    "site": a.site,
                    "language": a.language,
                    "title": a.title,
                    "url": a.url,
                    "states": [e.id for e in a.states],
                    "groups": [e.id for e in a.groups],
                    "officials": [e.id for e in a.officials],
                    "reasons": a.reasons,
                    "flagged": a.flagged,
                    "review_status": a.review_status,
                    "review_note": a.review_note,
                    "cluster_id": a.cluster_id,
                }

    def _cell(v: Any) -> str:
        s = "; ".join(map(str, v)) if isinstance(v, list) else ("" if v is None else str(v))
        # keep spreadsheets from evaluating a cell as a formula
        return "'" + s if s[:1] in ("=", "+", "-", "@", "\t", "\r") else s

    @app.get("/export.csv")
    def export_csv(request: Request) -> Response:
        f, _ = parse_filter(request)

        def gen() -> Iterator[str]:
            buf = io.StringIO()
            w: Any = None
            for row in export_rows(f):
                if w is None:
                    w = csv.DictWriter(buf, fieldnames=list(row))
                    w.writeheader()
                w.writerow({k: _cell(v) for k, v in row.items()})
                if buf.tell() > 64_000:
                    yield buf.getvalue()
                    buf.seek(0)
                    buf.truncate()
            yield buf.getvalue()

        return StreamingResponse(
            gen(),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": 'attachment; filename="borderwatch.csv"'},
        )

    @app.get("/export.jsonl")
    def export_jsonl(request: Request) -> Response:
        f, _ = parse_filter(request)
        return StreamingResponse(
            (json.dumps(r, ensure_ascii=False) + "\n" for r in export_rows(f)),
            media_type="application/x-ndjson; charset=utf-8",
            headers={"Content-Disposition": 'attachment; filename="borderwatch.jsonl"'},
        )

    return app
