from datetime import UTC, datetime, timedelta

import pytest

from flows.feed_health import health
from flows.pipeline.cadence import MAX_INTERVAL, MIN_INTERVAL, next_check

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
    from flows.pipeline.records import ArticleTask, interleave_hosts

    tasks = [
        ArticleTask(1, None, FeedEntry(link=f"https://{h}.example/{i}"), "")
        for h in "aab"
        for i in range(3)
    ]  # a, a, a, a, a, a (dupes ok), b, b, b
    order = [t.entry.link.split("//")[1][0] for t in interleave_hosts(tasks)]
    assert order[:4] == ["a", "b", "a", "b"]
    assert sorted(order) == sorted(t.entry.link.split("//")[1][0] for t in tasks)


def _after(interval: int, outcome: str = "ok", new_items: int = 0, failures: int = 0, **kw):
    return next_check(
        NOW,
        interval=interval,
        outcome=outcome,
        new_items=new_items,
        consecutive_failures=failures,
        **kw,
    )


def test_exact_interval_after_each_outcome():
    # new items halve the interval (integer seconds), down to the 10-minute floor
    assert [_after(i, new_items=1).interval_seconds for i in (3600, 1800, 1300, 900, 600)] == [
        1800,
        900,
        650,
        600,
        600,
    ]
    # nothing new stretches it by 1.5x, up to one day, whatever the non-error outcome
    for outcome in ("ok", "not_modified", "unchanged", "empty"):
        got = [_after(i, outcome).interval_seconds for i in (600, 900, 1350, 60000, 86400)]
        assert got == [900, 1350, 2025, 86400, 86400], outcome
    # the next check is exactly one interval away
    c = _after(900)
    assert (c.interval_seconds, c.next_check_at) == (1350, NOW + timedelta(seconds=1350))
    # no interval stored yet: the default 15 minutes is the starting point
    assert _after(0).interval_seconds == 1350
    assert _after(0, new_items=2).interval_seconds == 600


def test_exact_failure_backoff_keeps_the_interval():
    waits = [
        (_after(1350, "error", failures=n).next_check_at - NOW).total_seconds() for n in range(1, 9)
    ]
    assert waits == [900, 1800, 3600, 7200, 14400, 28800, 57600, 86400]
    # a failure does not change the feed's own interval; a blocked address backs off the same
    assert _after(1350, "error", failures=3).interval_seconds == 1350
    assert _after(1350, "blocked", failures=2).next_check_at == NOW + timedelta(seconds=1800)


def test_retry_after_on_a_success_still_pushes_back():
    c = _after(900, "ok", new_items=1, retry_after=3600)
    assert (c.interval_seconds, c.next_check_at) == (600, NOW + timedelta(hours=1))
    c = _after(900, "ok", new_items=1, retry_after=60)  # shorter than the interval: ignored
    assert c.next_check_at == NOW + timedelta(seconds=600)


def test_health_words_at_their_boundaries():
    def h(age: timedelta) -> str:
        return health(
            NOW,
            consecutive_failures=0,
            last_success_at=NOW,
            last_new_item_at=NOW - age,
            last_checked_at=NOW,
        )

    assert h(timedelta(hours=24)) == "live"
    assert h(timedelta(hours=24, seconds=1)) == "quiet"
    assert h(timedelta(days=7)) == "quiet"
    assert h(timedelta(days=7, seconds=1)) == "stale"


# ---------------------------------------------------------------- gaps (issue 19)


def test_a_gap_halves_the_interval_within_half_the_listing_span_down_to_two_minutes():
    from flows.pipeline.cadence import GAP_MIN_INTERVAL

    def after_gap(interval, span):
        return next_check(
            NOW,
            interval=interval,
            outcome="ok",
            new_items=10,
            consecutive_failures=0,
            gap=True,
            listing_span=span,
        )

    c = after_gap(600, 540)  # 10 items one minute apart: the window turns over in ~9 min
    assert (c.interval_seconds, c.next_check_at) == (270, NOW + timedelta(seconds=270))
    assert after_gap(600, 3600).interval_seconds == 300  # a long span: just halved
    assert after_gap(600, None).interval_seconds == 300  # undated: just halved
    assert after_gap(600, 60).interval_seconds == GAP_MIN_INTERVAL == 120  # never below 2 min
    assert after_gap(150, 3600).interval_seconds == 120


def test_recent_gaps_keep_the_two_minute_floor_then_it_returns_to_ten():
    from flows.pipeline.cadence import GAP_MEMORY

    def busy(last_gap_at, interval=270):
        return next_check(
            NOW,
            interval=interval,
            outcome="ok",
            new_items=2,
            consecutive_failures=0,
            last_gap_at=last_gap_at,
        ).interval_seconds

    assert busy(NOW - timedelta(minutes=4)) == 135
    assert busy(NOW - timedelta(minutes=4), interval=135) == 120
    assert busy(NOW - GAP_MEMORY) == 135  # the boundary is still "recent"
    assert busy(NOW - GAP_MEMORY - timedelta(seconds=1)) == MIN_INTERVAL  # gaps stopped
    assert busy(None, interval=120) == MIN_INTERVAL
    # a quiet fetch still stretches, and failures and Retry-After still win over the floor
    quiet = next_check(
        NOW,
        interval=120,
        outcome="not_modified",
        new_items=0,
        consecutive_failures=0,
        last_gap_at=NOW - timedelta(minutes=2),
    )
    assert quiet.interval_seconds == 180
    failed = next_check(
        NOW,
        interval=120,
        outcome="error",
        new_items=0,
        consecutive_failures=1,
        retry_after=600,
        gap=False,
        last_gap_at=NOW - timedelta(minutes=2),
    )
    assert failed.next_check_at == NOW + timedelta(minutes=15)
    limited = next_check(
        NOW,
        interval=600,
        outcome="ok",
        new_items=10,
        consecutive_failures=0,
        retry_after=900,
        gap=True,
        listing_span=540,
    )
    assert (limited.interval_seconds, limited.next_check_at) == (
        270,
        NOW + timedelta(seconds=900),
    )
