"""Feed health, computed once for the CLI (``borderwatch feeds``) and the web (``/feeds``): each
feed's stored row with its health word (the rule is :func:`flows.schedule.health`)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from flows.schedule import health
from storage import repository as repo


def health_of(row: repo.FeedRow, now: datetime) -> str:
    """The health word (live, quiet, stale, failing, new) of one feed row at ``now``."""
    return health(
        now,
        consecutive_failures=row.consecutive_failures,
        last_success_at=row.last_success_at,
        last_new_item_at=row.last_new_item_at,
        last_checked_at=row.last_checked_at,
    )


def feeds_with_health(session: Session, now: datetime) -> list[tuple[repo.FeedRow, str]]:
    """Every feed's row with its health at ``now``, in the order of repo.feed_rows."""
    return [(r, health_of(r, now)) for r in repo.feed_rows(session)]
