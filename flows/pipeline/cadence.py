"""Per-feed polling cadence, as pure functions (no Prefect, no SQL).

The Prefect schedule only ticks every 15 minutes; each feed's own next-check time lives in the
database and is set here after every fetch:

* a fetch that found new items halves the interval, one that found none stretches it by 1.5×,
  always within [10 min, 24 h] — busy outlets converge to frequent checks, dormant ones to daily;
* a failing feed backs off exponentially from 15 minutes (15, 30, 60 min … ) but is never
  disabled: the cap of 24 hours means it is still probed at least daily;
* a server's Retry-After (429/503) pushes the next check back, capped at one day;
* gaps (issue 19): a fetch that found a gap (its items share nothing with the previous listing
  and all came after the previous fetch) halves the interval and also brings it within half the
  span its listing covers (the time from its oldest to its newest item: the feed's window turns
  over about that fast), down to a 2-minute floor; while gaps recur (one within the last
  GAP_MEMORY) the floor stays at 2 minutes instead of 10, so a busy feed is not stretched back
  to where it loses items again. Politeness still holds: the per-host limiter spaces every
  request, and Retry-After and the failure back-off win over the shorter interval.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from extractors.models import FetchOutcome

MIN_INTERVAL = 10 * 60
MAX_INTERVAL = 24 * 60 * 60
DEFAULT_INTERVAL = 15 * 60
FAILURE_BASE = 15 * 60
GAP_MIN_INTERVAL = 2 * 60  # the floor while gaps recur
GAP_MEMORY = timedelta(hours=6)  # a gap this recent keeps the 2-minute floor


@dataclass(frozen=True)
class Cadence:
    interval_seconds: int
    next_check_at: datetime


def next_check(
    now: datetime,
    *,
    interval: int,
    outcome: FetchOutcome | str,
    new_items: int,
    consecutive_failures: int,
    retry_after: float | None = None,
    min_interval: int = MIN_INTERVAL,
    max_interval: int = MAX_INTERVAL,
    gap: bool = False,
    listing_span: float | None = None,
    last_gap_at: datetime | None = None,
) -> Cadence:
    """The feed's interval and next check after a fetch ending in ``outcome``.

    ``consecutive_failures`` counts this fetch when it failed. ``gap``: this fetch found a
    gap; ``listing_span``: seconds from its oldest to its newest listed item; ``last_gap_at``:
    the feed's previous gap (recent gaps keep the 2-minute floor)."""
    if gap or (last_gap_at is not None and now - last_gap_at <= GAP_MEMORY):
        min_interval = min(min_interval, GAP_MIN_INTERVAL)
    interval = max(min_interval, min(max_interval, interval or DEFAULT_INTERVAL))
    if FetchOutcome(outcome).failed:
        n = max(1, consecutive_failures)
        wait = float(min(max_interval, FAILURE_BASE * 2 ** min(n - 1, 16)))
    else:
        if gap:
            interval //= 2
            if listing_span:
                interval = min(interval, int(listing_span) // 2)
            interval = max(min_interval, interval)
        elif new_items > 0:
            interval = max(min_interval, interval // 2)
        else:
            interval = min(max_interval, int(interval * 1.5))
        wait = float(interval)
    if retry_after:
        wait = max(wait, min(float(retry_after), float(max_interval)))
    return Cadence(interval, now + timedelta(seconds=wait))
