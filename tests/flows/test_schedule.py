from datetime import UTC, datetime, timedelta

import pytest

from flows.schedule import MAX_INTERVAL, MIN_INTERVAL, health, next_check

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


def test_busy_feed_converges_to_min_interval():
    interval = 900
    for _ in range(10):
        c = next_check(NOW, interval=interval, outcome="ok", new_items=3, consecutive_failures=0)
        interval = c.interval_seconds
    assert interval == MIN_INTERVAL
    assert c.next_check_at == NOW + timedelta(seconds=MIN_INTERVAL)


@pytest.mark.parametrize("outcome", ["ok", "not_modified", "unchanged", "empty"])
def test_dormant_feed_stretches_to_daily(outcome):
    interval = 900
    for _ in range(30):
        interval = next_check(
            NOW, interval=interval, outcome=outcome, new_items=0, consecutive_failures=0
        ).interval_seconds
    assert interval == MAX_INTERVAL


def test_failing_feed_backs_off_but_is_probed_daily():
    waits = [
        next_check(
            NOW, interval=900, outcome="error", new_items=0, consecutive_failures=n
        ).next_check_at
        - NOW
        for n in range(1, 12)
    ]
    assert waits[0] == timedelta(minutes=15)
    assert waits[1] == timedelta(minutes=30)
    assert all(a <= b for a, b in zip(waits, waits[1:], strict=False))
    assert max(waits) == timedelta(days=1)


def test_retry_after_honoured_and_capped():
    c = next_check(
        NOW, interval=900, outcome="error", new_items=0, consecutive_failures=1, retry_after=7200
    )
    assert c.next_check_at == NOW + timedelta(hours=2)
    c = next_check(
        NOW,
        interval=900,
        outcome="error",
        new_items=0,
        consecutive_failures=1,
        retry_after=10 * 86400,
    )
    assert c.next_check_at == NOW + timedelta(days=1)


def test_health_words():
    def h(**kw):
        return health(
            NOW,
            **{
                "consecutive_failures": 0,
                "last_success_at": NOW,
                "last_new_item_at": NOW,
                "last_checked_at": NOW,
                **kw,
            },
        )

    assert h(last_checked_at=None) == "new"
    assert h(consecutive_failures=2) == "failing"
    assert h() == "live"
    assert h(last_new_item_at=NOW - timedelta(days=3)) == "quiet"
    assert h(last_new_item_at=NOW - timedelta(days=9)) == "stale"
    assert h(last_new_item_at=None) == "stale"


def test_interleave_hosts_round_robin():
    from extractors.models import FeedEntry
    from flows.pipeline import ArticleTask, interleave_hosts

    tasks = [
        ArticleTask(1, None, FeedEntry(link=f"https://{h}.example/{i}"), "")
        for h in "aab"
        for i in range(3)
    ]  # a, a, a, a, a, a (dupes ok), b, b, b
    order = [t.entry.link.split("//")[1][0] for t in interleave_hosts(tasks)]
    assert order[:4] == ["a", "b", "a", "b"]
    assert sorted(order) == sorted(t.entry.link.split("//")[1][0] for t in tasks)
