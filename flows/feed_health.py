"""Feed health, computed once for the CLI (``borderwatch feeds``) and the web (``/feeds``): the
rule (:func:`health`) and each stored feed's row with its health word."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Protocol

from sqlalchemy.orm import Session

from storage import feeds as feeds_db


def health(
    now: datetime,
    *,
    consecutive_failures: int,
    last_success_at: datetime | None,
    last_new_item_at: datetime | None,
    last_checked_at: datetime | None,
) -> str:
    """One word a reviewer can act on.

    ``failing``: the last fetch failed (see last error and since when); ``stale``: answering
    but nothing new for 7+ days, or never fetched successfully; ``quiet``: answering, nothing
    new for 1–7 days; ``live``: new items within the last day; ``new``: never checked."""
    if last_checked_at is None:
        return "new"
    if consecutive_failures > 0:
        return "failing"
    if last_success_at is None or last_new_item_at is None:
        return "stale"
    age = now - last_new_item_at
    if age <= timedelta(days=1):
        return "live"
    if age <= timedelta(days=7):
        return "quiet"
    return "stale"


class HealthFacts(Protocol):
    """What ``feed_health`` reads of a feed (``storage.feeds.FeedRow`` has it)."""

    @property
    def consecutive_failures(self) -> int: ...

    @property
    def last_success_at(self) -> datetime | None: ...

    @property
    def last_new_item_at(self) -> datetime | None: ...

    @property
    def last_checked_at(self) -> datetime | None: ...


def feed_health(feed: HealthFacts, now: datetime) -> str:
    """The health word of a stored feed (one place for the CLI and the web app)."""
    return health(
        now,
        consecutive_failures=feed.consecutive_failures,
        last_success_at=feed.last_success_at,
        last_new_item_at=feed.last_new_item_at,
        last_checked_at=feed.last_checked_at,
    )


def feeds_with_health(session: Session, now: datetime) -> list[tuple[feeds_db.FeedRow, str]]:
    """Every feed's row with its health at ``now``, in the order of ``feeds_db.feed_rows``."""
    return [(r, feed_health(r, now)) for r in feeds_db.feed_rows(session)]
