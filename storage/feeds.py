"""Feeds: sync with feeds.yaml, poll state, fetch history and health, gaps (issue 19).

Functions take a Session first and return plain dataclasses or scalars; the same SQL runs on
SQLite and PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import (
    delete,
    func,
    select,
    update,
)
from sqlalchemy.orm import Session

from config.sources import FeedSource
from extractors.models import FetchOutcome
from storage._sql import (
    insert_for,
)
from storage.tables import (
    ArticleFeed,
    ArticleUrl,
    Feed,
    FeedFetch,
    FeedGap,
    utcnow,
)

FETCH_HISTORY = 30  # fetch events kept per feed
LISTING_KEYS = 1000  # GUIDs and links of a feed's last listing kept for gap detection


def sync_feeds(session: Session, sources: Sequence[FeedSource]) -> dict[str, int]:
    """Make sure every configured feed has a row (matched by URL); returns name -> feed id."""
    ids: dict[str, int] = {}
    for src in sources:
        stmt = (
            insert_for(session, Feed)
            .values(
                name=src.name,
                url=src.url,
                language=src.language,
                country=src.country,
                tags=list(src.tags),
                created_at=utcnow(),
                consecutive_failures=0,
                interval_seconds=900,
            )
            .on_conflict_do_nothing()
        )
        session.execute(stmt)
        feed = session.scalars(select(Feed).where(Feed.url == src.url)).one_or_none()
        if feed is None:  # the name is taken by another URL: the URL changed in feeds.yaml
            feed = session.scalars(select(Feed).where(Feed.name == src.name)).one()
            feed.url = src.url
            feed.etag = feed.last_modified = feed.body_hash = None
        if (feed.name, feed.language, feed.country, feed.tags) != (
            src.name,
            src.language,
            src.country,
            list(src.tags),
        ):
            clash = session.scalars(
                select(Feed).where(Feed.name == src.name, Feed.id != feed.id)
            ).one_or_none()
            if clash is None:
                feed.name = src.name
            feed.language, feed.country, feed.tags = src.language, src.country, list(src.tags)
        ids[src.name] = feed.id
    session.flush()
    return ids


@dataclass(frozen=True)
class FeedState:
    feed_id: int
    etag: str | None
    last_modified: str | None
    body_hash: str | None
    interval_seconds: int = 900
    consecutive_failures: int = 0
    # gap detection: the GUIDs and links of the last listing (None: none kept yet), the time
    # of the last successful fetch, and of the last gap detected
    listing: frozenset[str] | None = None
    listed_at: datetime | None = None
    last_gap_at: datetime | None = None


def feed_states(session: Session, feed_ids: Iterable[int]) -> dict[int, FeedState]:
    rows = session.execute(
        select(
            Feed.id,
            Feed.etag,
            Feed.last_modified,
            Feed.body_hash,
            Feed.interval_seconds,
            Feed.consecutive_failures,
            Feed.listing,
            Feed.listed_at,
            Feed.last_gap_at,
        ).where(Feed.id.in_(list(feed_ids)))
    )
    return {
        r.id: FeedState(
            r.id,
            r.etag,
            r.last_modified,
            r.body_hash,
            r.interval_seconds,
            r.consecutive_failures,
            frozenset(r.listing) if r.listing is not None else None,
            r.listed_at,
            r.last_gap_at,
        )
        for r in rows
    }


@dataclass(frozen=True)
class FetchRecord:
    """What happened when one feed was fetched."""

    feed_id: int
    started_at: datetime
    duration_ms: int
    outcome: FetchOutcome | str  # stored as its string
    http_status: int | None = None
    error_kind: str | None = None
    error: str | None = None
    bytes: int = 0
    entries: int = 0
    new_items: int = 0
    etag: str | None = None
    last_modified: str | None = None
    body_hash: str | None = None
    interval_seconds: int | None = None
    next_check_at: datetime | None = None
    listing: Sequence[str] | None = None  # GUIDs and links listed (ok / empty fetches)
    gap: bool = False  # this fetch detected a gap

    @property
    def failed(self) -> bool:
        return FetchOutcome(self.outcome).failed


def record_fetch(session: Session, rec: FetchRecord) -> None:
    """Store one fetch event and update the feed's health; keeps the last FETCH_HISTORY events."""
    record_fetches(session, [rec])


def record_fetches(session: Session, recs: Sequence[FetchRecord]) -> None:
    """Store fetch events and update their feeds' health, for a batch of feeds at once (one
    query loads the feeds, one statement trims every feed's history to FETCH_HISTORY)."""
    if not recs:
        return
    ids = sorted({r.feed_id for r in recs})
    feeds = {f.id: f for f in session.scalars(select(Feed).where(Feed.id.in_(ids)))}
    for rec in recs:
        _apply_fetch(session, feeds[rec.feed_id], rec)
    session.flush()
    ranked = (
        select(
            FeedFetch.id,
            func.row_number()
            .over(
                partition_by=FeedFetch.feed_id,
                order_by=(FeedFetch.started_at.desc(), FeedFetch.id.desc()),
            )
            .label("rn"),
        )
        .where(FeedFetch.feed_id.in_(ids))
        .subquery()
    )
    stale = select(ranked.c.id).where(ranked.c.rn > FETCH_HISTORY)
    session.execute(
        delete(FeedFetch).where(FeedFetch.id.in_(stale)),
        execution_options={"synchronize_session": False},
    )


def _apply_fetch(session: Session, feed: Feed, rec: FetchRecord) -> None:
    session.add(
        FeedFetch(
            feed_id=rec.feed_id,
            started_at=rec.started_at,
            duration_ms=rec.duration_ms,
            http_status=rec.http_status,
            outcome=rec.outcome,
            error_kind=rec.error_kind,
            error=rec.error,
            bytes=rec.bytes,
            entries=rec.entries,
            new_items=rec.new_items,
        )
    )
    feed.last_checked_at = rec.started_at
    feed.last_status = rec.http_status
    feed.last_outcome = rec.outcome
    if rec.interval_seconds is not None:
        feed.interval_seconds = rec.interval_seconds
    if rec.next_check_at is not None:
        feed.next_check_at = rec.next_check_at
    if rec.failed:
        feed.consecutive_failures += 1
        feed.last_error = f"{rec.error_kind}: {rec.error}" if rec.error_kind else rec.error
        if feed.failing_since is None:
            feed.failing_since = rec.started_at
    else:
        feed.consecutive_failures = 0
        feed.failing_since = None
        feed.last_error = None
        feed.last_success_at = rec.started_at
        feed.listed_at = rec.started_at  # the listing was seen (or confirmed unchanged) now
        if FetchOutcome(rec.outcome).listed:
            feed.listing = sorted(set(rec.listing or ()))[:LISTING_KEYS]
        if rec.gap:
            feed.last_gap_at = rec.started_at
        if rec.new_items:
            feed.last_new_item_at = rec.started_at
        if rec.outcome != FetchOutcome.NOT_MODIFIED:
            feed.etag, feed.last_modified = rec.etag, rec.last_modified
            if rec.body_hash:
                feed.body_hash = rec.body_hash


@dataclass(frozen=True)
class FeedRow:
    id: int
    name: str
    url: str
    language: str | None
    last_status: int | None
    last_outcome: str | None
    last_error: str | None
    last_checked_at: datetime | None
    last_success_at: datetime | None
    last_new_item_at: datetime | None
    consecutive_failures: int
    failing_since: datetime | None
    interval_seconds: int
    next_check_at: datetime | None
    articles: int
    gaps: int = 0  # gaps detected (issue 19)
    last_gap: GapRow | None = None


def feed_rows(session: Session) -> list[FeedRow]:
    counts = dict(
        session.execute(select(ArticleFeed.feed_id, func.count()).group_by(ArticleFeed.feed_id))
        .tuples()
        .all()
    )
    gap_counts = dict(
        session.execute(select(FeedGap.feed_id, func.count()).group_by(FeedGap.feed_id))
        .tuples()
        .all()
    )
    last_gaps = latest_gaps(session)
    return [
        FeedRow(
            id=f.id,
            name=f.name,
            url=f.url,
            language=f.language,
            last_status=f.last_status,
            last_outcome=f.last_outcome,
            last_error=f.last_error,
            last_checked_at=f.last_checked_at,
            last_success_at=f.last_success_at,
            last_new_item_at=f.last_new_item_at,
            consecutive_failures=f.consecutive_failures,
            failing_since=f.failing_since,
            interval_seconds=f.interval_seconds,
            next_check_at=f.next_check_at,
            articles=int(counts.get(f.id, 0)),
            gaps=int(gap_counts.get(f.id, 0)),
            last_gap=last_gaps.get(f.id),
        )
        for f in session.scalars(select(Feed).order_by(Feed.name))
    ]


# ---------------------------------------------------------------- gaps (issue 19)


@dataclass(frozen=True)
class GapRow:
    id: int
    feed_id: int
    detected_at: datetime
    window_start: datetime
    window_end: datetime
    filled_at: datetime | None
    items_found: int
    fill_pages: int
    fill_source: str | None
    fill_error: str | None

    def as_dict(self) -> dict[str, Any]:
        def iso(d: datetime | None) -> str | None:
            return d.isoformat() if d else None

        return {
            "detected_at": iso(self.detected_at),
            "window_start": iso(self.window_start),
            "window_end": iso(self.window_end),
            "filled_at": iso(self.filled_at),
            "items_found": self.items_found,
            "fill_pages": self.fill_pages,
            "fill_source": self.fill_source,
            "fill_error": self.fill_error,
        }


def _gap_row(g: FeedGap) -> GapRow:
    return GapRow(
        g.id,
        g.feed_id,
        g.detected_at,
        g.window_start,
        g.window_end,
        g.filled_at,
        g.items_found,
        g.fill_pages,
        g.fill_source,
        g.fill_error,
    )


def record_gap(
    session: Session, feed_id: int, *, detected_at: datetime, start: datetime, end: datetime
) -> int:
    """A gap event: items of ``feed_id`` published in [start, end) were probably missed."""
    gap = FeedGap(
        feed_id=feed_id,
        detected_at=detected_at,
        window_start=start,
        window_end=end,
        items_found=0,
        fill_pages=0,
    )
    session.add(gap)
    session.flush()
    return gap.id


def finish_gap(
    session: Session,
    gap_id: int,
    *,
    filled_at: datetime,
    items_found: int,
    pages: int,
    source: str | None,
    error: str | None = None,
) -> None:
    """Record the gap fill: when it ran, the missed items it stored, the pages it read."""
    session.execute(
        update(FeedGap)
        .where(FeedGap.id == gap_id)
        .values(
            filled_at=filled_at,
            items_found=items_found,
            fill_pages=pages,
            fill_source=source,
            fill_error=error,
        )
    )


def feed_gaps(session: Session, feed_id: int | None = None) -> list[GapRow]:
    """Gap events, newest first (of one feed, or of all)."""
    q = select(FeedGap).order_by(FeedGap.detected_at.desc(), FeedGap.id.desc())
    if feed_id is not None:
        q = q.where(FeedGap.feed_id == feed_id)
    return [_gap_row(g) for g in session.scalars(q)]


def latest_gaps(session: Session) -> dict[int, GapRow]:
    """Each feed's most recent gap event."""
    newest = (
        select(FeedGap.feed_id, func.max(FeedGap.id).label("id")).group_by(FeedGap.feed_id)
    ).subquery()
    rows = session.scalars(select(FeedGap).join(newest, FeedGap.id == newest.c.id))
    return {g.feed_id: _gap_row(g) for g in rows}


def feed_known_urls(session: Session, feed_id: int, urls: Iterable[str]) -> set[str]:
    """Which of these URLs (any spelling) belong to an article this feed already carried."""
    wanted = list(set(urls))
    found: set[str] = set()
    for i in range(0, len(wanted), 500):
        chunk = wanted[i : i + 500]
        found.update(
            session.scalars(
                select(ArticleUrl.url)
                .join(ArticleFeed, ArticleFeed.article_id == ArticleUrl.article_id)
                .where(ArticleFeed.feed_id == feed_id, ArticleUrl.url.in_(chunk))
            )
        )
    return found


@dataclass(frozen=True)
class FetchEvent:
    started_at: datetime
    outcome: str
    http_status: int | None
    error_kind: str | None
    error: str | None
    bytes: int
    duration_ms: int
    entries: int
    new_items: int


def feed_history(session: Session, feed_id: int) -> list[FetchEvent]:
    """The feed's kept fetch events, newest first."""
    return [
        FetchEvent(
            f.started_at,
            f.outcome,
            f.http_status,
            f.error_kind,
            f.error,
            f.bytes,
            f.duration_ms,
            f.entries,
            f.new_items,
        )
        for f in session.scalars(
            select(FeedFetch)
            .where(FeedFetch.feed_id == feed_id)
            .order_by(FeedFetch.started_at.desc(), FeedFetch.id.desc())
        )
    ]
