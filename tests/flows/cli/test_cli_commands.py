"""CLI commands that had no test of their own: prune, db upgrade, retag --since, bad dates,
feeds check, the feed health words at their boundaries and the `blocked` outcome of a poll.

Everything runs in-process (typer's CliRunner) on real databases, with the injectable clock
(config/clock.py) placing the run at fixed instants, so nothing depends on today.
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import func, inspect, select, text, update
from typer.testing import CliRunner

from config import clock
from config.settings import load_settings
from flows.cli import app
from storage.db import open_database, session_scope
from tests.conftest import ROOT, create_pg_database, drop_pg_database, require_pg

runner = CliRunner()

# a fixed instant after the demo's last publication (2026-11-24 23:45 UTC)
T0 = datetime(2026, 11, 26, 15, 0, tzinfo=UTC)
DEMO_ARTICLES = 45


def invoke(*args: str, input: str | None = None) -> Any:
    return runner.invoke(app, list(args), input=input)


def one_line(output: str) -> str:
    """Rich wraps long lines at the terminal width; the words are what counts."""
    return " ".join(output.split())


def poll_demo(demo_site: Any, tmp_path: Path) -> Path:
    feeds = tmp_path / "feeds.yaml"
    demo_site.write_feeds_yaml(feeds)
    r = invoke("poll", "--feeds", str(feeds))
    assert r.exit_code == 0, r.output
    assert r.output.splitlines()[1] == (
        f"new articles: {DEMO_ARTICLES} (flagged: 36, already known: 0, article errors: 0)"
    )
    return feeds


@pytest.fixture
def on_db(settings: Any, db_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """The CLI pointed at the ``db_url`` database (SQLite file or PostgreSQL)."""
    monkeypatch.setenv("BORDERWATCH_DATABASE_URL", db_url)
    return db_url


def _rows(url: str, sql: str) -> list[Any]:
    eng = open_database(url)
    try:
        with eng.connect() as c:
            return list(c.execute(text(sql)).all())
    finally:
        eng.dispose()


# ---------------------------------------------------------------- prune

PRUNE_LINE = re.compile(
    r"^dropped raw HTML of (\d+) articles fetched before (\S+); "
    r"database size \d+\.\d\d MB -> \d+\.\d\d MB$"
)


def _prune(age: str) -> tuple[int, datetime]:
    r = invoke("prune", "--raw-older-than", age)
    assert r.exit_code == 0, r.output
    m = PRUNE_LINE.match(one_line(r.stdout))
    assert m, r.output
    return int(m.group(1)), datetime.fromisoformat(m.group(2))


def test_prune_raw_html_by_age_keeps_the_text(on_db, demo_site, tmp_path):
    with clock.travel(T0):
        poll_demo(demo_site, tmp_path)
    texts = dict(_rows(on_db, "SELECT id, text FROM articles"))
    assert len(texts) == DEMO_ARTICLES
    assert _rows(on_db, "SELECT count(*) FROM articles WHERE raw_html IS NOT NULL") == [
        (DEMO_ARTICLES,)
    ]
    with clock.travel(T0 + timedelta(minutes=5)):
        n, cutoff = _prune("1d")  # just fetched: nothing is a day old
    assert n == 0
    assert T0 - timedelta(days=1) < cutoff < T0 - timedelta(days=1) + timedelta(minutes=6)
    with clock.travel(T0 + timedelta(days=2)):
        n, cutoff = _prune("1d")
        assert n == DEMO_ARTICLES
        assert T0 + timedelta(days=1) <= cutoff < T0 + timedelta(days=1, minutes=1)
        assert _prune("1d")[0] == 0  # a repeat drops nothing more
    assert _rows(on_db, "SELECT count(*) FROM articles WHERE raw_html IS NOT NULL") == [(0,)]
    # text (and so tags, search and review) stays
    assert dict(_rows(on_db, "SELECT id, text FROM articles")) == texts
    assert all(texts.values())


@pytest.mark.parametrize("age", ["90x", "d", "-1d", "90 days"])
def test_prune_rejects_a_bad_age(settings, age):
    r = invoke("prune", "--raw-older-than", age)
    assert r.exit_code == 2
    assert r.stderr.strip() == f"expected an age like 90d, 12h or 4w, got {age!r}"
    assert r.stdout == ""


# ---------------------------------------------------------------- db upgrade


def _script_head() -> str:
    heads = ScriptDirectory(str(ROOT / "storage" / "migrations")).get_heads()
    assert len(heads) == 1, heads  # one linear history
    return heads[0]


@pytest.fixture(params=["sqlite", "postgres"])
def fresh_db_url(request, settings, tmp_path, monkeypatch) -> Iterator[str]:
    """A database nobody has opened yet (no tables at all)."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'fresh' / 'bw.db'}"
        assert not (tmp_path / "fresh").exists()
    else:
        require_pg()
        url = create_pg_database("bw_fresh")
    monkeypatch.setenv("BORDERWATCH_DATABASE_URL", url)
    yield url
    if request.param == "postgres":
        drop_pg_database(url)


def test_db_upgrade_on_a_fresh_database_is_idempotent(fresh_db_url):
    from storage.db import make_engine
    from storage.tables import Base

    head = _script_head()
    r = invoke("db", "upgrade")
    assert r.exit_code == 0, r.output
    assert r.stdout == f"database at revision {head}\n"
    url = load_settings().db_url
    eng = make_engine(url)
    try:
        tables = set(inspect(eng).get_table_names())
        extra = tables - set(Base.metadata.tables) - {"alembic_version"}
        if eng.dialect.name == "sqlite":  # the FTS5 index of the articles and its shadow tables
            fts = {"articles_fts"} | {
                f"articles_fts_{x}" for x in ("config", "data", "docsize", "idx")
            }
            assert extra == fts
        else:  # the tsvector table of the search, kept by triggers (revision 0010)
            assert extra == {"articles_fts"}
        assert set(Base.metadata.tables) <= tables
        with eng.connect() as c:
            assert c.execute(text("SELECT version_num FROM alembic_version")).all() == [(head,)]
    finally:
        eng.dispose()
    r = invoke("db", "upgrade")
    assert r.exit_code == 0, r.output
    assert r.stdout == f"database at revision {head}\n"
    eng = make_engine(url)
    try:
        assert set(inspect(eng).get_table_names()) == tables
        with eng.connect() as c:
            assert c.execute(text("SELECT version_num FROM alembic_version")).all() == [(head,)]
    finally:
        eng.dispose()


# ---------------------------------------------------------------- retag --since

RETAG_LINE = re.compile(r"^retagged (\d+) of (\d+) articles with (\S+); (\d+) flags changed$")


def _retag(*args: str) -> tuple[int, int, str, int]:
    r = invoke("retag", *args)
    assert r.exit_code == 0, r.output
    m = RETAG_LINE.match(one_line(r.stdout))
    assert m, r.output
    return int(m.group(1)), int(m.group(2)), m.group(3), int(m.group(4))


def test_retag_since_then_the_rest_then_nothing(on_db, demo_site, tmp_path):
    from config.watchlist_loader import load_watchlist
    from extractors.tagger import Tagger
    from storage.tables import Article, Mention

    version = Tagger(load_watchlist(load_settings().watchlist)).version
    with clock.travel(T0):
        poll_demo(demo_site, tmp_path)
    eng = open_database(on_db)
    try:
        with session_scope(eng) as s:
            assert set(s.scalars(select(Article.tagger_version))) == {version}
            n_mentions = s.scalar(select(func.count()).select_from(Mention))
            flags = dict(s.execute(select(Article.id, Article.flagged)).tuples().all())
            s.execute(update(Article).values(tagger_version="older-tagger"))
        hits = sum(demo_site.hits.values())
        # the demo publishes 17 articles on or after 2026-11-20 (UTC), 28 before
        assert _retag("--since", "2026-11-20") == (17, 17, version, 0)
        with session_scope(eng) as s:
            rows = s.execute(select(Article.published_at, Article.tagger_version)).all()
        cut = datetime(2026, 11, 20, tzinfo=UTC)
        assert sorted(v for p, v in rows if p >= cut) == [version] * 17
        assert sorted(v for p, v in rows if p < cut) == ["older-tagger"] * 28
        assert _retag() == (28, 28, version, 0)
        assert _retag() == (0, 0, version, 0)
        with session_scope(eng) as s:
            assert set(s.scalars(select(Article.tagger_version))) == {version}
            # the same watchlist gives the same mentions (replaced, not added) and flags
            assert s.scalar(select(func.count()).select_from(Mention)) == n_mentions
            assert dict(s.execute(select(Article.id, Article.flagged)).tuples().all()) == flags
        assert sum(demo_site.hits.values()) == hits  # nothing fetched
    finally:
        eng.dispose()


# ---------------------------------------------------------------- bad dates


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["tag", "-", "--date", "2026-13-01"], "--date: expected YYYY-MM-DD, got '2026-13-01'"),
        (["articles", "--since", "nope"], "--since: expected YYYY-MM-DD, got 'nope'"),
        (["articles", "--json", "--since", "2026-11-31"], "--since: expected YYYY-MM-DD, got "),
        (["backfill", "--since", "x"], "--since: expected YYYY-MM-DD, got 'x'"),
        (
            ["backfill", "--since", "2026-11-01", "--until", "soon"],
            "--until: expected YYYY-MM-DD, got 'soon'",
        ),
        (
            ["digest", "--since", "x", "--no-notify"],
            "--since: expected YYYY-MM-DD or an ISO date-time, got 'x'",
        ),
        (["retag", "--since", "2026-02-30"], "--since: expected YYYY-MM-DD, got '2026-02-30'"),
    ],
)
def test_bad_dates_exit_2_naming_the_option(settings, args, message):
    r = invoke(*args, input="Balacera en Culiacán, Sinaloa.")
    assert r.exit_code == 2, r.output
    if message.endswith("got "):
        message += repr(args[-1])
    assert r.stderr.strip() == message
    assert r.stdout == ""
    # nothing was written: no digest, no backfill job
    assert not (settings.data_dir / "digests").exists()
    if (settings.data_dir / "bw.db").exists():
        assert _rows(settings.db_url, "SELECT count(*) FROM backfill_jobs") == [(0,)]


# ---------------------------------------------------------------- feeds check


def _counts(url: str) -> dict[str, int]:
    return {
        t: _rows(url, f"SELECT count(*) FROM {t}")[0][0]
        for t in ("articles", "feed_fetches", "feeds", "article_urls", "mentions")
    }


def test_feeds_check_probes_every_feed_and_stores_nothing(settings, demo_site, tmp_path):
    with clock.travel(T0):
        feeds = poll_demo(demo_site, tmp_path)
    url = settings.db_url
    before = _counts(url)
    assert before["articles"] == DEMO_ARTICLES
    assert before["feed_fetches"] == 8 and before["feeds"] == 8
    state_sql = "SELECT * FROM feeds ORDER BY id"
    feed_state = _rows(url, state_sql)
    demo_site.reset_hits()
    with clock.travel(T0 + timedelta(hours=1)):
        r = invoke("feeds", "check", "--json", "--feeds", str(feeds))
    assert r.exit_code == 0, r.output
    rows = [json.loads(x) for x in r.stdout.splitlines()]
    assert [x["name"] for x in rows] == [f["name"] for f in demo_site.feeds()]
    got = {
        x["name"]: (x["outcome"], x["http_status"], (x["error"] or "").split(":")[0]) for x in rows
    }
    assert got.pop("Demo broken feed (HTTP 500)") == ("error", 500, "server_error")
    assert got.pop("Demo garbage feed (not XML)") == ("error", 200, "not_a_feed")
    assert set(got.values()) == {("ok", 200, "")}
    assert len(got) == 6
    # the probe reports what the poll recorded for the same answers
    recorded = dict(_rows(url, "SELECT name, last_status FROM feeds"))
    assert {x["name"]: x["http_status"] for x in rows} == recorded
    # each feed was fetched exactly once, no article page
    assert sorted(demo_site.hits.values()) == [1] * 8
    # stored nothing: same row counts, same feed state (no last_checked_at, no backoff change)
    assert _counts(url) == before
    assert _rows(url, state_sql) == feed_state


# ---------------------------------------------------------------- feed health boundaries

NOW = datetime(2026, 11, 26, 12, 0, 0, tzinfo=UTC)


@pytest.fixture
def stopped_clock() -> Iterator[datetime]:
    """The clock held still at NOW, so an age of exactly 24 h is exact."""
    with clock.freeze(NOW):
        yield NOW


@pytest.mark.parametrize(
    ("age", "word"),
    [
        (timedelta(hours=23, minutes=59, seconds=59), "live"),
        (timedelta(hours=24), "live"),
        (timedelta(hours=24, seconds=1), "quiet"),
        (timedelta(days=7), "quiet"),
        (timedelta(days=7, seconds=1), "stale"),
    ],
)
def test_feed_health_words_at_their_boundaries(on_db, stopped_clock, age, word):
    from config.sources import FeedSource
    from storage import feeds as feeds_db
    from storage.tables import Feed

    eng = open_database(on_db)
    try:
        with session_scope(eng) as s:
            feeds_db.sync_feeds(s, [FeedSource("Boundary", "https://boundary.example/rss")])
        r = invoke("feeds", "--json")
        assert [json.loads(x)["health"] for x in r.stdout.splitlines()] == ["new"]
        with session_scope(eng) as s:
            s.execute(
                update(Feed).values(
                    last_checked_at=NOW - timedelta(minutes=5),
                    last_success_at=NOW - timedelta(minutes=5),
                    last_new_item_at=NOW - age,
                    consecutive_failures=0,
                )
            )
        r = invoke("feeds", "--json")
        assert r.exit_code == 0, r.output
        rows = [json.loads(x) for x in r.stdout.splitlines()]
        assert [(x["name"], x["health"]) for x in rows] == [("Boundary", word)]
        # one failure makes any of them failing
        with session_scope(eng) as s:
            s.execute(update(Feed).values(consecutive_failures=1))
        rows = [json.loads(x) for x in invoke("feeds", "--json").stdout.splitlines()]
        assert [x["health"] for x in rows] == ["failing"]
    finally:
        eng.dispose()


# ---------------------------------------------------------------- the blocked outcome


class _CountingServer(ThreadingHTTPServer):
    """A loopback feed server that counts every connection it accepts."""

    daemon_threads = True

    def __init__(self) -> None:
        self.connections = 0
        self.requests = 0
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - http.server's name
                outer.requests += 1
                body = b"<rss version='2.0'><channel><title>x</title></channel></rss>"
                self.send_response(200)
                self.send_header("Content-Type", "application/rss+xml")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *_a: Any) -> None:
                pass

        super().__init__(("127.0.0.1", 0), Handler)

    def verify_request(self, request: Any, client_address: Any) -> bool:
        self.connections += 1
        return True


@pytest.fixture
def counting_server() -> Iterator[_CountingServer]:
    srv = _CountingServer()
    t = threading.Thread(target=srv.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    t.start()
    yield srv
    srv.shutdown()
    srv.server_close()


def test_a_loopback_feed_is_blocked_and_backs_off_like_a_failure(
    on_db, counting_server, tmp_path, monkeypatch
):
    monkeypatch.setenv("BORDERWATCH_ALLOW_PRIVATE_ADDRESSES", "false")
    assert load_settings().allow_private_addresses is False
    port = counting_server.server_address[1]
    feeds = tmp_path / "feeds.yaml"
    feeds.write_text(
        f"feeds:\n  - name: Local\n    url: http://127.0.0.1:{port}/feed.xml\n", encoding="utf-8"
    )
    waits = []
    for n, at in enumerate((T0, T0 + timedelta(minutes=16)), 1):
        with clock.travel(at):
            r = invoke("poll", "--feeds", str(feeds))
            assert r.exit_code == 0, r.output  # a blocked feed is a failed feed, not a crash
            assert r.stdout.splitlines()[0] == "feeds: 1 (0 ok, 0 not modified, 1 failed)"
            rows = [json.loads(x) for x in invoke("feeds", "--json").stdout.splitlines()]
        assert len(rows) == 1
        row = rows[0]
        assert (row["last_outcome"], row["health"], row["consecutive_failures"]) == (
            "blocked",
            "failing",
            n,
        )
        assert row["last_status"] is None and row["last_success_at"] is None
        assert row["last_error"].startswith("blocked: ")
        assert "127.0.0.1" in row["last_error"]
        checked = datetime.fromisoformat(row["last_checked_at"])
        assert at <= checked < at + timedelta(minutes=1)
        assert datetime.fromisoformat(row["failing_since"]) < at + timedelta(minutes=1)
        waits.append(datetime.fromisoformat(row["next_check_at"]) - checked)
    # 15 minutes after the first failure, 30 after the second: the failure backoff
    assert waits == [timedelta(minutes=15), timedelta(minutes=30)]
    assert (counting_server.connections, counting_server.requests) == (0, 0)
    fetches = _rows(on_db, "SELECT outcome, error_kind, http_status FROM feed_fetches")
    assert fetches == [("blocked", "blocked", None)] * 2
    assert _rows(on_db, "SELECT count(*) FROM articles") == [(0,)]
