"""End to end: the real poll pipeline against the bundled local news site, on both engines."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from config.sources import load_feeds
from flows.pipeline.poll import run_poll
from storage import articles as articles_db
from storage import feeds as feeds_db
from storage.db import open_database, session_scope
from storage.tables import Article, FeedFetch, Mention


def _poll(settings, db_url, feeds_file, workers=1):
    settings = settings.model_copy(update={"database_url": db_url, "workers": workers})
    engine = open_database(db_url)
    try:
        return run_poll(settings, engine, load_feeds(feeds_file)), engine
    except BaseException:
        engine.dispose()
        raise


@pytest.mark.parametrize("workers", [1, 2], ids=["in-process", "process-pool"])
def test_poll_stores_tags_and_is_idempotent(settings, db_url, demo_site, tmp_path, workers):
    feeds_file = tmp_path / "feeds.yaml"
    demo_site.write_feeds_yaml(feeds_file)
    summary, engine = _poll(settings, db_url, feeds_file, workers)
    try:
        n_expected = len(demo_site.article_urls())
        assert summary.new_articles == n_expected
        assert summary.article_errors == 0
        # the broken feeds are recorded, the others land
        assert summary.feeds_failed == 2
        failed = {f["feed"]: f for f in summary.failed_feeds}
        assert any(f["http_status"] == 500 for f in failed.values())
        assert any(f["error_kind"] == "not_a_feed" for f in failed.values())
        assert n_expected == 45  # the demo site's fixed content
        assert summary.flagged == 36
        with session_scope(engine) as s:
            assert s.scalar(select(func.count()).select_from(Article)) == n_expected
            assert (
                s.scalar(
                    select(func.count()).select_from(Article).where(func.length(Article.text) < 200)
                )
                == 0
            )
            assert s.scalar(select(func.count()).select_from(Mention)) > n_expected
            assert articles_db.articles_without_mentions(s) == []
            rows = {r.name: r for r in feeds_db.feed_rows(s)}
            broken = [r for r in rows.values() if r.consecutive_failures]
            assert len(broken) == 2 and all(r.last_error for r in broken)
            assert all(r.articles > 0 for r in rows.values() if not r.consecutive_failures)
            # new items halved the default 15 minutes to the 10-minute floor; a failure keeps it
            assert {r.name: r.interval_seconds for r in rows.values()} == {
                r.name: (900 if r.consecutive_failures else 600) for r in rows.values()
            }
            flagged = articles_db.list_articles(s, flagged=True)
            assert all(r.states for r in flagged)

        again, _ = _poll(settings, db_url, feeds_file, workers)
        engine2 = _
        engine2.dispose()
        assert again.new_articles == 0
        assert again.feeds_not_modified == again.feeds - 2  # ETag / Last-Modified → 304
        with session_scope(engine) as s:
            assert s.scalar(select(func.count()).select_from(Article)) == n_expected
            assert s.scalar(select(func.count()).select_from(FeedFetch)) == 2 * again.feeds
            # nothing new stretched 10 minutes by 1.5x; the failing feeds kept their 15 minutes
            # and, failing twice now, wait 30 minutes
            rows = {r.name: r for r in feeds_db.feed_rows(s)}
            assert {r.interval_seconds for r in rows.values()} == {900}
            waits = {
                r.name: (r.next_check_at - r.last_checked_at).total_seconds()
                for r in rows.values()
                if r.next_check_at and r.last_checked_at
            }
            assert waits == {
                r.name: (1800.0 if r.consecutive_failures == 2 else 900.0) for r in rows.values()
            }
    finally:
        engine.dispose()


def test_a_poll_right_after_another_waits_for_the_hosts_gap(settings, db_url, demo_site, tmp_path):
    # the first run releases its host with a politeness gap (per_host_delay) ahead; a run
    # started inside that gap waits for it and polls every feed, instead of leasing nothing
    # and ending with the feeds unpolled (seen as "0 feeds" in make demo's second poll)
    feeds_file = tmp_path / "feeds.yaml"
    demo_site.write_feeds_yaml(feeds_file)
    slow = settings.model_copy(update={"per_host_delay": 0.25})
    first, engine = _poll(slow, db_url, feeds_file)
    engine.dispose()
    second, engine = _poll(slow, db_url, feeds_file)
    engine.dispose()
    n_feeds = len(demo_site.feeds())
    assert (first.feeds, first.feeds_failed) == (n_feeds, 2)
    assert (second.feeds, second.feeds_not_modified, second.feeds_failed) == (n_feeds, 6, 2)
    assert second.new_articles == 0
