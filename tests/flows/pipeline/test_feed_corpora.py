"""Every file of feedparser's own test corpus and of the real-feed samples, served by a local
server, through the real fetch-and-parse stages of a poll: nothing crashes and every feed ends
in a recorded outcome. Skipped when ../shared is absent (a fresh clone has none)."""

from __future__ import annotations

import functools
import threading
from collections import Counter
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from sqlalchemy import select

from config.sources import FeedSource
from flows.pipeline.run import PollRun
from storage.db import open_database, session_scope
from storage.tables import Feed, FeedFetch
from tests.conftest import shared_path

pytestmark = [pytest.mark.shared, pytest.mark.slow]


class Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


def _serve(root: Path) -> tuple[ThreadingHTTPServer, str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(root)))
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


@pytest.mark.parametrize("corpus", ["feedparser-tests", "real-feeds"])
def test_corpus_through_fetch_and_parse(settings, corpus):
    root = shared_path("corpora", corpus)
    files = sorted(
        p for p in root.rglob("*") if p.is_file() and p.suffix in (".xml", ".rss", ".atom", ".rdf")
    )
    assert files
    server, base = _serve(root)
    sources = [
        FeedSource(name=str(p.relative_to(root)), url=f"{base}/{p.relative_to(root)}")
        for p in files
    ]
    engine = open_database(settings.db_url)
    try:
        with PollRun(settings, engine, sources) as run:
            while batch := run.lease_next(200):
                run.record_feeds(run.fetch_feeds(batch))  # fetch + parse; articles not fetched
            summary = run.finish()
        with session_scope(engine) as s:
            outcomes = dict(s.execute(select(Feed.name, Feed.last_outcome)).tuples().all())
            kinds = Counter(s.scalars(select(FeedFetch.error_kind)))
            errors = dict(
                s.execute(select(Feed.name, Feed.last_error).where(Feed.last_error.is_not(None)))
                .tuples()
                .all()
            )
    finally:
        engine.dispose()
        server.shutdown()
        server.server_close()
    assert summary.feeds == len(files)
    assert set(outcomes) == {s.name for s in sources}
    assert None not in outcomes.values()  # every feed has a recorded outcome
    assert kinds["internal"] == 0  # no crash anywhere in fetch or parse
    counts = Counter(outcomes.values())
    # most of feedparser's cases test feed-level elements and have no entries ("empty");
    # the few errors are files that are not feeds at all, each with its reason
    assert counts["error"] <= max(3, 0.02 * len(files)), (counts, errors)
    assert all(e.startswith(("not_a_feed:", "content_type:")) for e in errors.values()), errors
