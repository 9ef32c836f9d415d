"""Stubs (issue 19): the page-fetch state of articles stored from the feed's text, their
re-fetch schedule and leases.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import (
    select,
    update,
)
from sqlalchemy.orm import Session

from extractors.models import TextSource
from storage._sql import (
    insert_for,
)
from storage.tables import (
    Article,
    StubRetry,
    utcnow,
)


def schedule_stub(
    session: Session,
    article_id: int,
    *,
    url: str,
    tries: int,
    next_retry_at: datetime | None,
    error_kind: str | None,
    error: str | None,
) -> None:
    """Record a stub's page-fetch state: the next re-fetch at ``next_retry_at``, or final
    (None) after a permanent failure or the last try."""
    values = {
        "url": url,
        "tries": tries,
        "next_retry_at": next_retry_at,
        "error_kind": error_kind,
        "error": (error or "")[:2000] or None,
        "updated_at": utcnow(),
    }
    stmt = insert_for(session, StubRetry).values(article_id=article_id, **values)
    session.execute(stmt.on_conflict_do_update(index_elements=["article_id"], set_=values))


@dataclass(frozen=True)
class DueStub:
    article_id: int
    url: str
    canonical_url: str
    tries: int
    title: str | None
    author: str | None
    published_at: datetime | None
    language: str | None


def lease_due_stubs(
    session: Session, *, now: datetime, lease_seconds: int, limit: int
) -> list[DueStub]:
    """Stubs whose re-fetch is due at ``now`` (the injectable clock's time, passed in: never the
    database's), oldest due first. Their ``next_retry_at`` moves to now + lease_seconds, so
    another poller does not take them meanwhile and a crashed run's stubs come back."""
    q = (
        select(StubRetry.article_id)
        .where(StubRetry.next_retry_at.is_not(None), StubRetry.next_retry_at <= now)
        .order_by(StubRetry.next_retry_at, StubRetry.article_id)
        .limit(limit)
    )
    if session.get_bind().dialect.name == "postgresql":
        q = q.with_for_update(skip_locked=True)
    ids = list(session.scalars(q))
    if not ids:
        return []
    session.execute(
        update(StubRetry)
        .where(StubRetry.article_id.in_(ids))
        .values(next_retry_at=now + timedelta(seconds=lease_seconds))
    )
    rows = session.execute(
        select(
            StubRetry.article_id,
            StubRetry.url,
            StubRetry.tries,
            Article.canonical_url,
            Article.title,
            Article.author,
            Article.published_at,
            Article.language,
        )
        .join(Article, Article.id == StubRetry.article_id)
        .where(StubRetry.article_id.in_(ids))
        .order_by(StubRetry.article_id)
    )
    return [
        DueStub(
            r.article_id,
            r.url,
            r.canonical_url,
            r.tries,
            r.title,
            r.author,
            r.published_at,
            r.language,
        )
        for r in rows
    ]


@dataclass(frozen=True)
class StubState:
    article_id: int
    url: str
    text_source: str
    tries: int
    next_retry_at: datetime | None  # None: final (permanent failure or out of tries)
    error_kind: str | None
    error: str | None


def stub_states(session: Session) -> list[StubState]:
    """Every stored stub (text not from its page) with its retry state, by id. A stub without
    a retry row was stored before issue 19, or its page gave no text."""
    rows = session.execute(
        select(
            Article.id,
            Article.url,
            Article.text_source,
            StubRetry.tries,
            StubRetry.next_retry_at,
            StubRetry.error_kind,
            StubRetry.error,
        )
        .outerjoin(StubRetry, StubRetry.article_id == Article.id)
        .where(Article.text_source != TextSource.PAGE.value)
        .order_by(Article.id)
    )
    return [StubState(r[0], r[1], r[2], int(r[3] or 0), r[4], r[5], r[6]) for r in rows.tuples()]
