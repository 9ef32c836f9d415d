"""Stubs (issue 19): a row stored from the feed because its page fetch failed transiently is
re-fetched on a schedule and upgraded in place; permanent failures are final; a canonical given
only in an HTTP ``Link`` header makes AMP twins one row, which keeps the better text.

Everything runs against a real local HTTP server, a real SQLite file and real PostgreSQL, with
the injectable clock frozen (exact retry times) and travelled forward between polls."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from xml.sax.saxutils import escape

import pytest
from sqlalchemy import func, select

from config import clock
from config.sources import parse_feeds
from extractors.models import TextSource
from flows.pipeline.poll import run_poll
from flows.pipeline.stubs import StubRetryPolicy
from storage import articles as articles_db
from storage import review_queue as review_queue_db
from storage import stubs as stubs_db
from storage.db import session_scope
from storage.tables import Article, ArticleFeed, ArticleUrl, HostLease, StoryCluster, StubRetry

T0 = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)

FULL = " ".join(
    [
        "Un ataque armado atribuido al Cártel de Sinaloa dejó cinco muertos en Culiacán, "
        "Sinaloa, informó la Fiscalía estatal este martes."
    ]
    * 4
)
SUMMARY = "Resumen breve de una nota local."
AMP_TEXT = " ".join(
    ["Versión AMP: hombres armados incendiaron vehículos en Reynosa, Tamaulipas, esta noche."] * 5
)


def _html(title: str, body: str) -> bytes:
    return (
        f"<html><head><title>{title}</title></head><body><article><h1>{title}</h1>"
        f"<p>{body}</p></article></body></html>"
    ).encode()


class NewsServer:
    """One outlet on 127.0.0.1:<port>. ``routes`` maps a path to a list of responses
    (status, headers, body), served in turn; the last one repeats. ``hits`` counts requests."""

    def __init__(self) -> None:
        self.routes: dict[str, list[tuple[int, dict[str, str], bytes]]] = {}
        self.hits: Counter[str] = Counter()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:  # noqa: N802
                path = self.path
                server.hits[path] += 1
                seq = server.routes.get(path) or [(404, {}, b"not found")]
                status, headers, body = seq[min(server.hits[path], len(seq)) - 1]
                self.send_response(status)
                for k, v in {"Content-Type": "text/html; charset=utf-8", **headers}.items():
                    self.send_header(k, v)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def page(self, path: str, *responses: tuple[int, dict[str, str], bytes]) -> str:
        self.routes[path] = list(responses)
        return self.url(path)

    def feed(self, path: str, items: list[tuple[str, str, str]]) -> str:
        """An RSS feed of (link, title, summary) items."""
        body = "".join(
            f"<item><title>{escape(t)}</title><link>{escape(link)}</link>"
            f"<guid>{escape(link)}</guid><description>{escape(d)}</description>"
            "<pubDate>Fri, 20 Nov 2026 10:00:00 +0000</pubDate></item>"
            for link, t, d in items
        )
        xml = (
            '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
            f"<title>{path}</title><link>{self.url('/')}</link>{body}</channel></rss>"
        ).encode()
        return self.page(path, (200, {"Content-Type": "application/rss+xml"}, xml))

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def outlets() -> Iterator[tuple[NewsServer, NewsServer]]:
    a, b = NewsServer(), NewsServer()
    yield a, b
    a.close()
    b.close()


def _poll(settings: Any, engine: Any, feeds: list[tuple[str, str]], at: datetime) -> Any:
    sources = parse_feeds({"feeds": [{"name": n, "url": u} for n, u in feeds]})
    with clock.freeze(at):
        return run_poll(settings, engine, sources)


def _retry(engine: Any, article_id: int) -> StubRetry | None:
    with session_scope(engine) as s:
        row = s.get(StubRetry, article_id)
        if row is not None:
            s.expunge(row)
        return row


OK = 200
HTML: dict[str, str] = {}
UNAVAILABLE = (503, {}, b"busy")


def test_503_once_stub_upgraded_in_place_keeping_id_review_and_cluster(settings, engine, outlets):
    a, b = outlets
    story = a.page("/news/ataque-culiacan", UNAVAILABLE, (OK, HTML, _html("Ataque", FULL)))
    # another outlet carries the same text (a wire copy): its own row and story cluster
    wire = b.page("/wire/ataque", (OK, HTML, _html("Ataque en Culiacán", FULL)))
    feeds = [
        ("outlet-a", a.feed("/feed.xml", [(story, "Ataque en Culiacán", SUMMARY)])),
        ("outlet-b", b.feed("/feed.xml", [(wire, "Ataque en Culiacán", SUMMARY)])),
    ]
    first = _poll(settings, engine, feeds, T0)
    assert (first.new_articles, first.stubs_retried) == (2, 0)
    with session_scope(engine) as s:
        stub = s.scalars(select(Article).where(Article.url == story)).one()
        copy = s.scalars(select(Article).where(Article.url == wire)).one()
        stub_id, stub_cluster, copy_id, copy_cluster = (
            stub.id,
            stub.cluster_id,
            copy.id,
            copy.cluster_id,
        )
        assert (stub.text, stub.text_source, stub.flagged) == (SUMMARY, "feed_summary", False)
        assert stub_cluster != copy_cluster
        assert review_queue_db.mark(s, [stub_id], "important", "seen as a stub") == 1
    retry = _retry(engine, stub_id)
    assert retry is not None
    assert (retry.tries, retry.next_retry_at, retry.error_kind) == (
        0,
        T0 + timedelta(minutes=5),
        "server_error",
    )
    assert a.hits["/news/ataque-culiacan"] == 1

    # one second before it is due: no re-fetch
    early = _poll(settings, engine, feeds, T0 + timedelta(minutes=5) - timedelta(seconds=1))
    assert (early.stubs_retried, a.hits["/news/ataque-culiacan"]) == (0, 1)

    later = _poll(settings, engine, feeds, T0 + timedelta(minutes=5))
    assert (later.new_articles, later.stubs_retried, later.stubs_upgraded) == (0, 1, 1)
    assert a.hits["/news/ataque-culiacan"] == 2
    with session_scope(engine) as s:
        assert s.scalar(select(func.count()).select_from(Article)) == 2
        row = s.get(Article, stub_id)
        assert row is not None
        assert (row.url, row.text, row.text_source, row.flagged) == (story, FULL, "page", True)
        assert (row.review_status, row.review_note) == ("important", "seen as a stub")
        # flagged only now: it arrives in the review queue and the digest now
        assert row.fetched_at == T0 + timedelta(minutes=5)
        queue = review_queue_db.flagged_articles(s, since=T0 + timedelta(minutes=1))
        assert [b.id for b in queue] == [stub_id]
        assert row.raw_html is not None
        # it joined the cluster its full text belongs to (the wire copy's): one cluster of
        # two, under the older id
        keep = min(stub_cluster, copy_cluster)
        assert (row.cluster_id, s.get(Article, copy_id).cluster_id) == (keep, keep)
        assert s.get(StoryCluster, max(stub_cluster, copy_cluster)) is None
        assert s.get(StoryCluster, keep).size == 2
        listed = {r.id: r for r in articles_db.list_articles(s)}
        assert listed[stub_id].text_source == "page"
        assert listed[stub_id].states == ["sinaloa"]
    assert _retry(engine, stub_id) is None  # no schedule left

    # nothing more to do: a later poll neither re-fetches nor changes the row
    again = _poll(settings, engine, feeds, T0 + timedelta(days=2))
    assert (again.stubs_retried, a.hits["/news/ataque-culiacan"]) == (0, 2)


def test_retry_schedule_doubles_from_5_minutes_and_stops_after_6_tries(settings, engine, outlets):
    a, _ = outlets
    story = a.page("/news/siempre-caida", UNAVAILABLE)
    feeds = [("outlet-a", a.feed("/feed.xml", [(story, "Nota caída", SUMMARY)]))]
    _poll(settings, engine, feeds, T0)
    with session_scope(engine) as s:
        stub_id = s.scalars(select(Article.id)).one()
    waits = []
    now = T0
    for tries in range(1, 7):
        retry = _retry(engine, stub_id)
        assert retry is not None and retry.next_retry_at is not None
        waits.append(int((retry.next_retry_at - now).total_seconds()))
        now = retry.next_retry_at
        summary = _poll(settings, engine, feeds, now)
        assert (summary.stubs_retried, summary.stubs_upgraded) == (1, 0)
        retry = _retry(engine, stub_id)
        assert retry is not None
        assert (retry.tries, retry.error_kind) == (tries, "server_error")
    assert waits == [300, 600, 1200, 2400, 4800, 9600]
    assert retry.next_retry_at is None  # out of tries: final
    assert a.hits["/news/siempre-caida"] == 7  # the first fetch and 6 re-fetches
    _poll(settings, engine, feeds, now + timedelta(days=3))
    assert a.hits["/news/siempre-caida"] == 7
    with session_scope(engine) as s:
        assert [(st.article_id, st.text_source, st.tries) for st in stubs_db.stub_states(s)] == [
            (stub_id, "feed_summary", 6)
        ]


def test_retry_waits_are_capped_at_one_day():
    policy = StubRetryPolicy(first_seconds=300, max_seconds=86400, tries=12)
    assert [policy.delay(n) for n in range(1, 13)] == [
        300,
        600,
        1200,
        2400,
        4800,
        9600,
        19200,
        38400,
        76800,
        86400,
        86400,
        86400,
    ]
    assert policy.next_retry(T0, tries=11, transient=True) == T0 + timedelta(days=1)
    assert policy.next_retry(T0, tries=12, transient=True) is None
    assert policy.next_retry(T0, tries=0, transient=False) is None


@pytest.mark.parametrize(
    ("status", "retry_after", "wait"),
    [
        (429, "3600", 3600),  # the server asks for an hour: later than the 5 minutes
        (503, "120", 300),  # sooner than the schedule: the schedule holds
        (503, "999999", 86400),  # never more than a day
    ],
)
def test_retry_after_pushes_the_first_retry_later(
    settings, engine, outlets, status, retry_after, wait
):
    a, _ = outlets
    story = a.page("/news/ocupada", (status, {"Retry-After": retry_after}, b"later"))
    _poll(settings, engine, [("outlet-a", a.feed("/feed.xml", [(story, "N", SUMMARY)]))], T0)
    with session_scope(engine) as s:
        stub_id = s.scalars(select(Article.id)).one()
    retry = _retry(engine, stub_id)
    assert retry is not None
    assert retry.next_retry_at == T0 + timedelta(seconds=wait)
    assert retry.error_kind == ("rate_limited" if status == 429 else "server_error")


@pytest.mark.parametrize(
    ("status", "kind"), [(404, "http_404"), (410, "http_410"), ("loop", "redirects")]
)
def test_permanent_failure_is_final(settings, engine, outlets, status, kind):
    a, _ = outlets
    if status == "loop":
        a.page("/loop-b", (302, {"Location": a.url("/news/gone")}, b""))
        story = a.page("/news/gone", (302, {"Location": a.url("/loop-b")}, b""))
    else:
        story = a.page("/news/gone", (status, {}, b"gone"))
    feeds = [("outlet-a", a.feed("/feed.xml", [(story, "Nota borrada", SUMMARY)]))]
    _poll(settings, engine, feeds, T0)
    hits = a.hits["/news/gone"]
    with session_scope(engine) as s:
        stub_id, source = s.execute(select(Article.id, Article.text_source)).one()
    assert source == "feed_summary"
    retry = _retry(engine, stub_id)
    assert retry is not None
    assert (retry.tries, retry.next_retry_at, retry.error_kind) == (0, None, kind)
    summary = _poll(settings, engine, feeds, T0 + timedelta(days=2))
    assert summary.stubs_retried == 0
    assert a.hits["/news/gone"] == hits


@pytest.mark.parametrize("order", ["stub_first", "same_poll", "twin_first"])
def test_canonical_only_in_link_header_amp_twin_is_one_row_with_better_text(
    settings, engine, outlets, order
):
    a, _ = outlets
    canonical = a.url("/news/incendio-reynosa")
    # the canonical page keeps failing (the row from its feed is a stub) …
    a.page("/news/incendio-reynosa", (500, {}, b"error"))
    # … its AMP twin, on the same site under another path, declares the canonical only in
    # an HTTP header (its HTML has no rel=canonical)
    amp = a.page(
        "/amp-edition/incendio-reynosa.html",
        (OK, {"Link": f'<{canonical}>; rel="canonical"'}, _html("Incendio en Reynosa", AMP_TEXT)),
    )
    main = ("main", a.feed("/feed.xml", [(canonical, "Incendio en Reynosa", SUMMARY)]))
    amp_feed = ("amp", a.feed("/amp-feed.xml", [(amp, "Incendio en Reynosa", SUMMARY)]))
    if order == "stub_first":
        _poll(settings, engine, [main], T0)
        _poll(settings, engine, [main, amp_feed], T0 + timedelta(minutes=1))
    elif order == "same_poll":
        _poll(settings, engine, [main, amp_feed], T0)
    else:
        _poll(settings, engine, [amp_feed], T0)
        _poll(settings, engine, [amp_feed, main], T0 + timedelta(minutes=1))
    with session_scope(engine) as s:
        rows = s.scalars(select(Article)).all()
        assert len(rows) == 1
        art = rows[0]
        assert (art.canonical_url, art.text, art.text_source) == (canonical, AMP_TEXT, "page")
        assert art.flagged is True
        urls = set(s.scalars(select(ArticleUrl.url).where(ArticleUrl.article_id == art.id)))
        assert urls == {canonical, amp}
        feeds = s.scalars(select(ArticleFeed.feed_id).where(ArticleFeed.article_id == art.id))
        assert len(set(feeds)) == 2
        assert s.scalar(select(func.count()).select_from(StubRetry)) == 0
        assert s.scalar(select(func.count()).select_from(StoryCluster)) == 1


def test_text_source_ranks_page_over_feed_content_over_summary():
    ranked = sorted(TextSource, key=lambda t: t.rank, reverse=True)
    assert ranked == [TextSource.PAGE, TextSource.FEED_CONTENT, TextSource.FEED_SUMMARY]
    assert TextSource.of("feed") is TextSource.FEED_SUMMARY  # rows stored before issue 19


def test_stubs_with_one_generic_summary_stay_apart(settings, engine, outlets):
    """Feeds often give every item the same summary: stubs are not merged or clustered by it."""
    a, _ = outlets
    one = a.page("/news/uno", (404, {}, b"gone"))
    two = a.page("/news/dos", (404, {}, b"gone"))
    items = [(one, "Primera nota", "Leer más"), (two, "Segunda nota", "Leer más")]
    summary = _poll(settings, engine, [("outlet-a", a.feed("/feed.xml", items))], T0)
    assert summary.new_articles == 2
    with session_scope(engine) as s:
        rows = s.execute(select(Article.url, Article.cluster_id).order_by(Article.url)).all()
        assert [u for u, _ in rows] == sorted([one, two])
        assert len({c for _, c in rows}) == 2


def test_amp_twin_stub_folds_into_the_stored_canonical_when_its_page_arrives(
    settings, engine, outlets
):
    """The other way round: the canonical page is stored first; its AMP twin's page answers 503
    (a stub of its own: nothing names the canonical yet). When the twin's page arrives with the
    Link header, the stub is folded into the canonical row: one row, the review decision kept."""
    a, _ = outlets
    canonical = a.page("/news/incendio", (OK, HTML, _html("Incendio en Reynosa", AMP_TEXT)))
    amp = a.page(
        "/amp-edition/incendio.html",
        UNAVAILABLE,
        (OK, {"Link": f'<{canonical}>; rel="canonical"'}, _html("Incendio en Reynosa", AMP_TEXT)),
    )
    main = ("main", a.feed("/feed.xml", [(canonical, "Incendio en Reynosa", SUMMARY)]))
    amp_feed = ("amp", a.feed("/amp-feed.xml", [(amp, "Incendio en Reynosa", "Otro resumen")]))
    _poll(settings, engine, [main, amp_feed], T0)
    with session_scope(engine) as s:
        ids = dict(s.execute(select(Article.url, Article.id)).tuples().all())
        assert set(ids) == {canonical, amp}
        assert review_queue_db.mark(s, [ids[amp]], "important", "twin") == 1
    later = _poll(settings, engine, [main, amp_feed], T0 + timedelta(minutes=5))
    assert (later.stubs_retried, later.stubs_upgraded, later.stubs_merged) == (1, 1, 1)
    with session_scope(engine) as s:
        rows = s.scalars(select(Article)).all()
        assert [r.id for r in rows] == [ids[canonical]]
        art = rows[0]
        assert (art.text, art.text_source) == (AMP_TEXT, "page")
        assert (art.review_status, art.review_note) == ("important", "twin")
        urls = set(s.scalars(select(ArticleUrl.url).where(ArticleUrl.article_id == art.id)))
        assert urls == {canonical, amp}
        feeds = s.scalars(select(ArticleFeed.feed_id).where(ArticleFeed.article_id == art.id))
        assert len(set(feeds)) == 2
        assert s.scalar(select(func.count()).select_from(StubRetry)) == 0
        clusters = s.execute(select(StoryCluster.id, StoryCluster.size)).all()
        assert [(c, n) for c, n in clusters] == [(art.cluster_id, 1)]


def test_stub_on_a_host_another_worker_holds_waits_for_its_lease(settings, engine, outlets):
    """Politeness across workers holds for stub re-fetches too (issues 16 and 19): a due stub
    whose host another worker has leased is not fetched; it keeps its lease time (now +
    lease_seconds), its tries unchanged, and is re-fetched once the host is free."""
    a, _ = outlets
    story = a.page("/news/balacera", UNAVAILABLE, (OK, HTML, _html("Balacera", FULL)))
    feeds = [("outlet-a", a.feed("/feed.xml", [(story, "Balacera en Culiacán", SUMMARY)]))]
    assert _poll(settings, engine, feeds, T0).new_articles == 1
    with session_scope(engine) as s:
        stub_id = s.scalars(select(Article.id).where(Article.url == story)).one()
        # another worker holds the outlet's host (the host key of the politeness limiter;
        # the first poll left its row, released)
        s.merge(
            HostLease(
                host="127.0.0.1", lease_owner="other-worker", lease_until=T0 + timedelta(days=1)
            )
        )
    due = T0 + timedelta(minutes=5)
    held = _poll(settings, engine, feeds, due)
    assert (held.stubs_retried, a.hits["/news/balacera"]) == (0, 1)
    retry = _retry(engine, stub_id)
    assert retry is not None
    assert (retry.tries, retry.next_retry_at) == (
        0,
        due + timedelta(seconds=settings.lease_seconds),
    )
    with session_scope(engine) as s:  # the other worker is done with the host
        lease = s.get(HostLease, "127.0.0.1")
        assert lease is not None and lease.lease_owner == "other-worker"
        lease.lease_owner, lease.lease_until = None, T0
    freed = _poll(settings, engine, feeds, due + timedelta(seconds=settings.lease_seconds))
    assert (freed.stubs_retried, freed.stubs_upgraded, a.hits["/news/balacera"]) == (1, 1, 2)
    assert _retry(engine, stub_id) is None
    with session_scope(engine) as s:
        assert s.get(Article, stub_id).text_source == "page"
        # the run gave the host back when it closed
        assert s.get(HostLease, "127.0.0.1").lease_owner is None
