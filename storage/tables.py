"""The schema: every table, as SQLAlchemy 2 typed models (the review tables of issue 7 too, so
there is one module and no import cycle). Alembic migrations in storage/migrations mirror them."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from config import clock


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC on the way in and out, on SQLite (which stores naive text) too."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def utcnow() -> datetime:
    """Now in UTC, from the one injectable clock (config/clock.py)."""
    return clock.utcnow()


NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {datetime: UTCDateTime(), dict[str, Any]: JSON, list[Any]: JSON}


class Feed(Base):
    __tablename__ = "feeds"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    url: Mapped[str] = mapped_column(String(2000), unique=True)
    language: Mapped[str | None] = mapped_column(String(16))
    country: Mapped[str | None] = mapped_column(String(16))
    tags: Mapped[list[Any]] = mapped_column(default=list)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # conditional GET and change detection
    etag: Mapped[str | None] = mapped_column(String(500))
    last_modified: Mapped[str | None] = mapped_column(String(100))
    body_hash: Mapped[str | None] = mapped_column(String(64))
    # health
    last_checked_at: Mapped[datetime | None]
    last_success_at: Mapped[datetime | None]
    last_new_item_at: Mapped[datetime | None]
    last_status: Mapped[int | None]
    last_outcome: Mapped[str | None] = mapped_column(String(32))
    last_error: Mapped[str | None] = mapped_column(Text)
    consecutive_failures: Mapped[int] = mapped_column(default=0)
    failing_since: Mapped[datetime | None]
    # scheduling
    interval_seconds: Mapped[int] = mapped_column(default=900)
    next_check_at: Mapped[datetime | None] = mapped_column(index=True)
    # work sharing between pollers: a feed is leased by one worker until lease_until
    lease_owner: Mapped[str | None] = mapped_column(String(120))
    lease_until: Mapped[datetime | None]
    # gap detection (issue 19): the GUIDs and links of the last listing, when it was last
    # confirmed (any successful fetch), and when a gap was last detected
    listing: Mapped[list[Any] | None] = mapped_column(JSON)
    listed_at: Mapped[datetime | None]
    last_gap_at: Mapped[datetime | None]


class FeedFetch(Base):
    """One row per feed fetch: the feed's history, newest last."""

    __tablename__ = "feed_fetches"
    __table_args__ = (Index("ix_feed_fetches_feed_started", "feed_id", "started_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    feed_id: Mapped[int] = mapped_column(ForeignKey("feeds.id", ondelete="CASCADE"))
    started_at: Mapped[datetime]
    duration_ms: Mapped[int] = mapped_column(default=0)
    http_status: Mapped[int | None]
    outcome: Mapped[str] = mapped_column(
        String(32)
    )  # ok, not_modified, unchanged, empty, blocked, error
    error_kind: Mapped[str | None] = mapped_column(String(32))
    error: Mapped[str | None] = mapped_column(Text)
    bytes: Mapped[int] = mapped_column(default=0)
    entries: Mapped[int] = mapped_column(default=0)
    new_items: Mapped[int] = mapped_column(default=0)


class FeedGap(Base):
    """A fetch whose items shared nothing with the feed's previous listing and all came after
    the previous fetch: items published in [window_start, window_end) were probably missed.
    The gap fill records when it ran and how many missed items it stored."""

    __tablename__ = "feed_gaps"
    __table_args__ = (Index("ix_feed_gaps_feed_detected", "feed_id", "detected_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    feed_id: Mapped[int] = mapped_column(ForeignKey("feeds.id", ondelete="CASCADE"))
    detected_at: Mapped[datetime]
    window_start: Mapped[datetime]  # the previous successful fetch
    window_end: Mapped[datetime]  # the oldest item of the fetch that found the gap
    filled_at: Mapped[datetime | None]
    items_found: Mapped[int] = mapped_column(default=0)  # missed items the fill stored
    fill_pages: Mapped[int] = mapped_column(default=0)  # archive / sitemap pages read
    fill_source: Mapped[str | None] = mapped_column(String(32))  # feed-archive | sitemap
    fill_error: Mapped[str | None] = mapped_column(Text)


class StoryCluster(Base):
    """Copies of one story (syndicated wire copy, republications) across outlets."""

    __tablename__ = "story_clusters"

    id: Mapped[int] = mapped_column(primary_key=True)
    representative_id: Mapped[int | None] = mapped_column(Integer)  # the first article seen
    size: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class Article(Base):
    __tablename__ = "articles"
    __table_args__ = (Index("ix_articles_site_title", "site", "title_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    canonical_url: Mapped[str] = mapped_column(String(2000), unique=True)
    site: Mapped[str | None] = mapped_column(String(255))  # outlet host, without www.
    title_key: Mapped[str | None] = mapped_column(String(300))  # normalized headline
    cluster_id: Mapped[int | None] = mapped_column(
        ForeignKey("story_clusters.id", ondelete="SET NULL"), index=True
    )
    url: Mapped[str] = mapped_column(String(2000))
    feed_id: Mapped[int | None] = mapped_column(
        ForeignKey("feeds.id", ondelete="SET NULL"), index=True
    )
    title: Mapped[str | None] = mapped_column(Text)
    author: Mapped[str | None] = mapped_column(String(500))
    published_at: Mapped[datetime | None] = mapped_column(index=True)
    fetched_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    language: Mapped[str | None] = mapped_column(String(16))
    text: Mapped[str] = mapped_column(Text, default="")
    raw_html: Mapped[bytes | None] = mapped_column(LargeBinary)  # gzip-compressed page bytes
    content_hash: Mapped[str] = mapped_column(String(64), index=True)
    # extractors.models.TextSource: page | feed_content | feed_summary (a stub)
    text_source: Mapped[str] = mapped_column(String(16), default="page")
    flagged: Mapped[bool] = mapped_column(Boolean, default=False, index=True)
    reasons: Mapped[list[Any]] = mapped_column(default=list)
    tags: Mapped[dict[str, Any]] = mapped_column(default=dict)  # the tagger's JSON for the article
    # officials the watchlist does not list, named with a title: [{"name", "role"}] (issue 14)
    other_officials: Mapped[list[Any]] = mapped_column(default=list)
    tagger_version: Mapped[str | None] = mapped_column(String(64), index=True)
    review_status: Mapped[str] = mapped_column(String(16), default="new", index=True)
    review_note: Mapped[str | None] = mapped_column(Text)
    reviewed_at: Mapped[datetime | None]


class StubRetry(Base):
    """The page-fetch state of a stub (an article stored from the feed's text because its page
    could not be fetched). A transient failure keeps a retry schedule (``next_retry_at``); a
    permanent one, or the last allowed try, leaves ``next_retry_at`` NULL: final, kept so that
    what is left as a stub, and why, can be told. The row goes when the page text arrives."""

    __tablename__ = "stub_retries"

    article_id: Mapped[int] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True
    )
    url: Mapped[str] = mapped_column(String(2000))  # the page to fetch
    tries: Mapped[int] = mapped_column(default=0)  # re-fetches made so far (not the first)
    next_retry_at: Mapped[datetime | None] = mapped_column(index=True)  # NULL = final
    error_kind: Mapped[str | None] = mapped_column(String(32))  # the last failure's kind
    error: Mapped[str | None] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class ArticleFeed(Base):
    """Every feed an article came through."""

    __tablename__ = "article_feeds"

    article_id: Mapped[int] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True
    )
    feed_id: Mapped[int] = mapped_column(
        ForeignKey("feeds.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    first_seen_at: Mapped[datetime] = mapped_column(default=utcnow)


class ArticleUrl(Base):
    """Every URL seen for an article (feed link, tracking variant, redirect target, canonical)."""

    __tablename__ = "article_urls"

    url: Mapped[str] = mapped_column(String(2000), primary_key=True)
    article_id: Mapped[int] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE"), index=True
    )


class Mention(Base):
    __tablename__ = "mentions"
    __table_args__ = (
        UniqueConstraint(
            "article_id", "entity_type", "entity_id", "start", name="uq_mentions_span"
        ),
        Index("ix_mentions_entity", "entity_type", "entity_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE"), index=True
    )
    entity_type: Mapped[str] = mapped_column(String(16))  # state, place, official, group, term
    entity_id: Mapped[str] = mapped_column(String(120))
    surface: Mapped[str] = mapped_column(String(500))
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    snippet: Mapped[str] = mapped_column(Text, default="")
    state_id: Mapped[str | None] = mapped_column(String(64))
    role: Mapped[str | None] = mapped_column(String(200))


class ArticleSignature(Base):
    """MinHash signature of an article's text (512 bytes), for near-duplicate checks."""

    __tablename__ = "article_signatures"

    article_id: Mapped[int] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True
    )
    minhash: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)


class LshBucket(Base):
    """The persisted LSH index: one row per (band bucket, article). Pruned to a time window."""

    __tablename__ = "lsh_buckets"

    bucket: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    article_id: Mapped[int] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)


class BackfillJob(Base):
    """One backfill request; ``key`` identifies identical requests so a re-run resumes."""

    __tablename__ = "backfill_jobs"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(64), unique=True)
    params: Mapped[dict[str, Any]] = mapped_column(default=dict)
    status: Mapped[str] = mapped_column(String(16), default="running")  # running | done
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    counts: Mapped[dict[str, Any]] = mapped_column(default=dict)


class BackfillCursor(Base):
    """Progress of one source of a backfill job (a feed's archive, a sitemap, a URL file)."""

    __tablename__ = "backfill_cursors"

    job_id: Mapped[int] = mapped_column(
        ForeignKey("backfill_jobs.id", ondelete="CASCADE"), primary_key=True
    )
    source: Mapped[str] = mapped_column(String(2000), primary_key=True)
    position: Mapped[int] = mapped_column(default=0)  # next page / sitemap / line to process
    next_url: Mapped[str | None] = mapped_column(String(2000))  # e.g. an Atom rel="next" link
    done: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class PollWorker(Base):
    """A live poller (or backfill worker): its heartbeat row. Live = seen within
    ``storage.leases.LIVE_SECONDS`` by the database clock; share sizes divide the due feeds among
    the live ones (issue 16)."""

    __tablename__ = "poll_workers"

    worker_id: Mapped[str] = mapped_column(String(120), primary_key=True)
    host: Mapped[str] = mapped_column(String(255))
    pid: Mapped[int] = mapped_column(Integer)
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_seen: Mapped[datetime] = mapped_column(index=True)


class HostLease(Base):
    """Host-affine leasing: the web host (lower-case host name, as the fetcher's politeness
    keys it) whose feeds one worker is polling now, so a host's pages are fetched by one worker
    at a time across all workers and machines (issue 16)."""

    __tablename__ = "host_leases"

    host: Mapped[str] = mapped_column(String(255), primary_key=True)
    lease_owner: Mapped[str | None] = mapped_column(String(120))
    lease_until: Mapped[datetime | None]


# ---------------------------------------------------------------- the morning review (issue 7)
# migration: storage/migrations/versions/0003_review.py


class ReviewState(Base):
    """Key/value state: ``last_review_at``, ``last_digest_at`` (ISO-8601 UTC strings)."""

    __tablename__ = "review_state"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class ReviewEvent(Base):
    """Every review decision (status and note), newest last: the article's review history."""

    __tablename__ = "review_events"
    __table_args__ = (Index("ix_review_events_article_at", "article_id", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"))
    status: Mapped[str] = mapped_column(String(16))
    note: Mapped[str | None] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(default=utcnow)


# place mentions carry the state they are in: the web page's state filter looks them up here
Index("ix_mentions_state_id", Mention.state_id)

# the overview's per-entity story counts join articles to their mentions: with what a mention
# names in the index, the join reads no mention rows (issue 17; migration 0005_attention_indexes)
Index(
    "ix_mentions_article_entity",
    Mention.article_id,
    Mention.entity_type,
    Mention.entity_id,
    Mention.state_id,
)
