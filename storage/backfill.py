"""Backfill progress (jobs and per-source cursors) and re-extraction from stored pages."""

from __future__ import annotations

import gzip
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import (
    bindparam,
    func,
    select,
    update,
)
from sqlalchemy.orm import Session

from extractors.models import ArticleRecord
from storage._sql import (
    insert_for,
    when_expr,
    write_conn,
)
from storage.tables import (
    Article,
    ArticleFeed,
    BackfillCursor,
    BackfillJob,
    utcnow,
)
from storage.tagging import TagWrite, replace_tags, replace_tags_many


@dataclass(frozen=True)
class CursorState:
    position: int = 0
    next_url: str | None = None
    done: bool = False


def backfill_job(session: Session, key: str, params: dict[str, Any]) -> int:
    """The job for these parameters, created on first use (so an identical request resumes)."""
    session.execute(
        insert_for(session, BackfillJob)
        .values(
            key=key,
            params=params,
            status="running",
            created_at=utcnow(),
            updated_at=utcnow(),
            counts={},
        )
        .on_conflict_do_nothing()
    )
    return int(session.scalars(select(BackfillJob.id).where(BackfillJob.key == key)).one())


def backfill_cursor(session: Session, job_id: int, source: str) -> CursorState:
    row = session.get(BackfillCursor, (job_id, source))
    if row is None:
        return CursorState()
    return CursorState(row.position, row.next_url, row.done)


def save_backfill_cursor(session: Session, job_id: int, source: str, state: CursorState) -> None:
    values = dict(
        position=state.position, next_url=state.next_url, done=state.done, updated_at=utcnow()
    )
    stmt = insert_for(session, BackfillCursor).values(job_id=job_id, source=source, **values)
    session.execute(stmt.on_conflict_do_update(index_elements=["job_id", "source"], set_=values))


def done_sources(session: Session, job_id: int) -> set[str]:
    """The sources of a backfill job whose cursor says done."""
    return set(
        session.scalars(
            select(BackfillCursor.source).where(
                BackfillCursor.job_id == job_id, BackfillCursor.done.is_(True)
            )
        )
    )


def finish_backfill_job(session: Session, job_id: int, counts: dict[str, Any]) -> None:
    session.execute(
        update(BackfillJob)
        .where(BackfillJob.id == job_id)
        .values(status="done", counts=counts, updated_at=utcnow())
    )


@dataclass(frozen=True)
class RawPage:
    id: int
    url: str
    canonical_url: str
    raw_html: bytes
    feed_id: int | None
    published_at: datetime | None
    title: str | None


def raw_pages(
    session: Session,
    *,
    since: datetime,
    until: datetime | None,
    feed_ids: Sequence[int] | None,
    after_id: int = 0,
    limit: int = 200,
    decompress: bool = True,
) -> list[RawPage]:
    """Stored pages in a date range, for re-extraction without the network: decompressed, or
    as stored (gzip) with ``decompress=False`` (the extraction workers decompress them)."""
    when = when_expr()
    q = select(Article).where(Article.raw_html.is_not(None), when >= since, Article.id > after_id)
    if until is not None:
        q = q.where(when < until)
    if feed_ids is not None:
        q = q.where(
            Article.id.in_(
                select(ArticleFeed.article_id).where(ArticleFeed.feed_id.in_(list(feed_ids)))
            )
        )
    rows = session.scalars(q.order_by(Article.id).limit(limit)).all()
    return [
        RawPage(
            a.id,
            a.url,
            a.canonical_url,
            gzip.decompress(a.raw_html or b"") if decompress else (a.raw_html or b""),
            a.feed_id,
            a.published_at,
            a.title,
        )
        for a in rows
    ]


_REEXTRACT = (
    update(Article.__table__)  # type: ignore[arg-type]
    .where(Article.__table__.c.id == bindparam("_id"))
    .values(
        text=bindparam("_text"),
        title=bindparam("_title"),
        author=bindparam("_author"),
        language=bindparam("_language"),
        content_hash=bindparam("_hash"),
        title_key=bindparam("_title_key"),
        published_at=func.coalesce(Article.__table__.c.published_at, bindparam("_published")),
    )
)


def update_extractions(session: Session, items: Sequence[tuple[int, ArticleRecord]]) -> None:
    """update_extraction for many articles in a few statements (one executemany UPDATE of
    the texts, then replace_tags_many)."""
    if not items:
        return
    conn = write_conn(session)
    conn.execute(
        _REEXTRACT,
        [
            {
                "_id": aid,
                "_text": rec.text,
                "_title": rec.title,
                "_author": rec.author,
                "_language": rec.language,
                "_hash": rec.content_hash,
                "_title_key": rec.title_key,
                "_published": rec.published_at,
            }
            for aid, rec in items
        ],
    )
    replace_tags_many(
        session,
        [
            TagWrite(
                aid, rec.flagged, rec.reasons, rec.tags, rec.tagger_version or "", rec.mentions
            )
            for aid, rec in items
        ],
    )


def update_extraction(session: Session, article_id: int, rec: ArticleRecord) -> None:
    """Replace an article's extracted text and tags with a fresh extraction of its stored page
    (URL, feeds, review state and story cluster stay)."""
    session.execute(
        update(Article)
        .where(Article.id == article_id)
        .values(
            text=rec.text,
            title=rec.title,
            author=rec.author,
            language=rec.language,
            content_hash=rec.content_hash,
            title_key=rec.title_key,
            published_at=func.coalesce(Article.published_at, rec.published_at),
        )
    )
    replace_tags(
        session,
        article_id,
        flagged=rec.flagged,
        reasons=rec.reasons,
        tags=rec.tags,
        tagger_version=rec.tagger_version or "",
        mentions=rec.mentions,
    )
