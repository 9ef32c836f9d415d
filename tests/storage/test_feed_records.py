"""storage.feeds on both engines: feed sync, fetch records, health and history."""

from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from config.sources import FeedSource
from storage import feeds as feeds_db
from storage.db import session_scope
from storage.tables import FeedFetch


def test_sync_feeds_idempotent_and_url_change(engine):
    with session_scope(engine) as s:
        ids = feeds_db.sync_feeds(s, [FeedSource("A", "https://a.example/feed", "es")])
        again = feeds_db.sync_feeds(s, [FeedSource("A", "https://a.example/feed", "es")])
        assert ids == again
        moved = feeds_db.sync_feeds(
            s, [FeedSource("A", "https://a.example/rss", "es", tags=("x",))]
        )
        assert moved == ids
        rows = feeds_db.feed_rows(s)
    assert [(r.name, r.url) for r in rows] == [("A", "https://a.example/rss")]


def test_record_fetch_health_and_history_cap(engine):
    t0 = datetime(2026, 11, 25, tzinfo=UTC)
    with session_scope(engine) as s:
        fid = feeds_db.sync_feeds(s, [FeedSource("A", "https://a.example/feed")])["A"]
        for i in range(35):
            feeds_db.record_fetch(
                s,
                feeds_db.FetchRecord(
                    feed_id=fid,
                    started_at=t0 + timedelta(minutes=i),
                    duration_ms=5,
                    outcome="error",
                    http_status=500,
                    error_kind="server_error",
                    error="HTTP 500",
                ),
            )
        row = feeds_db.feed_rows(s)[0]
        assert row.consecutive_failures == 35
        assert row.failing_since == t0
        assert row.last_error == "server_error: HTTP 500"
        assert s.scalar(select(func.count()).select_from(FeedFetch)) == feeds_db.FETCH_HISTORY
        feeds_db.record_fetch(
            s,
            feeds_db.FetchRecord(
                feed_id=fid,
                started_at=t0 + timedelta(hours=1),
                duration_ms=5,
                outcome="ok",
                http_status=200,
                entries=3,
                new_items=2,
                etag='"v1"',
                body_hash="b",
            ),
        )
        row = feeds_db.feed_rows(s)[0]
        assert (row.consecutive_failures, row.failing_since, row.last_error) == (0, None, None)
        assert row.last_success_at == t0 + timedelta(hours=1)
        st = feeds_db.feed_states(s, [fid])[fid]
        assert (st.etag, st.body_hash) == ('"v1"', "b")


def test_record_fetches_batch_keeps_each_feeds_history(engine):
    """One call for many feeds (as the poll records them): every feed's health is updated
    and each keeps its own last FETCH_HISTORY events, the newest ones."""
    t0 = datetime(2026, 11, 25, tzinfo=UTC)
    with session_scope(engine) as s:
        fids = feeds_db.sync_feeds(
            s, [FeedSource(n, f"https://{n.lower()}.example/feed") for n in ("A", "B", "C")]
        )
    for i in range(34):  # 34 poll runs; feed C is only fetched in the last 3
        with session_scope(engine) as s:
            feeds_db.record_fetches(
                s,
                [
                    feeds_db.FetchRecord(
                        feed_id=fids[n],
                        started_at=t0 + timedelta(minutes=i),
                        duration_ms=5,
                        outcome="ok" if n != "B" else "error",
                        http_status=200 if n != "B" else 503,
                        error_kind=None if n != "B" else "server_error",
                        error=None if n != "B" else "HTTP 503",
                        entries=2,
                        new_items=1 if i == 33 else 0,
                    )
                    for n in ("A", "B", "C")
                    if n != "C" or i >= 31
                ],
            )
    with session_scope(engine) as s:
        counts = dict(
            s.execute(select(FeedFetch.feed_id, func.count()).group_by(FeedFetch.feed_id)).all()
        )
        assert counts == {
            fids["A"]: feeds_db.FETCH_HISTORY,
            fids["B"]: feeds_db.FETCH_HISTORY,
            fids["C"]: 3,
        }
        oldest_kept = s.scalar(
            select(func.min(FeedFetch.started_at)).where(FeedFetch.feed_id == fids["A"])
        )
        assert oldest_kept == t0 + timedelta(minutes=34 - feeds_db.FETCH_HISTORY)
        rows = {r.name: r for r in feeds_db.feed_rows(s)}
        assert rows["B"].consecutive_failures == 34 and rows["B"].failing_since == t0
        assert rows["A"].consecutive_failures == 0
        assert rows["A"].last_new_item_at == t0 + timedelta(minutes=33)
        assert rows["C"].last_checked_at == t0 + timedelta(minutes=33)
