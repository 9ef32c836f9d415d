"""All queries. Functions take a Session first and return plain dataclasses or scalars.

Every write is an idempotent upsert (INSERT … ON CONFLICT) that behaves the same on SQLite
and PostgreSQL, so two pollers writing at once never duplicate or lose a row.
"""

from __future__ import annotations

import gzip
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import (
    BigInteger,
    Connection,
    Integer,
    Table,
    bindparam,
    case,
    delete,
    func,
    select,
    text,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session
from sqlalchemy.orm.util import identity_key

from config import clock
from extractors.fingerprint import estimate_jaccard, lsh_buckets
from extractors.models import ArticleRecord, FeedSource, MentionRecord, TextSource
from storage.models import (
    Article,
    ArticleFeed,
    ArticleSignature,
    ArticleUrl,
    BackfillCursor,
    BackfillJob,
    Base,
    Feed,
    FeedFetch,
    FeedGap,
    HostLease,
    LshBucket,
    Mention,
    PollWorker,
    StoryCluster,
    StubRetry,
    utcnow,
)
from storage.review_models import ReviewEvent

FETCH_HISTORY = 30  # fetch events kept per feed
LISTING_KEYS = 1000  # GUIDs and links of a feed's last listing kept for gap detection


def _insert(session: Session, table: type[Base]) -> Any:
    if session.get_bind().dialect.name == "postgresql":
        return postgresql.insert(table)
    return sqlite.insert(table)


# ---------------------------------------------------------------- feeds


def sync_feeds(session: Session, sources: Sequence[FeedSource]) -> dict[str, int]:
    """Make sure every configured feed has a row (matched by URL); returns name -> feed id."""
    ids: dict[str, int] = {}
    for src in sources:
        stmt = (
            _insert(session, Feed)
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
    outcome: str  # ok | not_modified | unchanged | empty | blocked | error
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
        return self.outcome in ("error", "blocked")


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
        if rec.outcome in ("ok", "empty"):
            feed.listing = sorted(set(rec.listing or ()))[:LISTING_KEYS]
        if rec.gap:
            feed.last_gap_at = rec.started_at
        if rec.new_items:
            feed.last_new_item_at = rec.started_at
        if rec.outcome != "not_modified":
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


# ---------------------------------------------------------------- articles


def known_urls(session: Session, urls: Iterable[str]) -> set[str]:
    """Which of these URLs (any spelling seen before) already belong to a stored article."""
    wanted = list(set(urls))
    found: set[str] = set()
    for i in range(0, len(wanted), 500):
        chunk = wanted[i : i + 500]
        found.update(session.scalars(select(ArticleUrl.url).where(ArticleUrl.url.in_(chunk))))
    return found


@dataclass(frozen=True)
class DedupPolicy:
    near_duplicate_threshold: float = 0.8  # estimated Jaccard for a syndicated copy
    window_days: int = 30  # near-duplicate candidates are looked up in this window
    republication_days: int = 7  # same headline, same outlet, within this many days …
    republication_min_similarity: float = 0.5  # … and text at least this similar


DEFAULT_DEDUP = DedupPolicy()


# The per-article write path (store_article, link_known) runs Core statements on the session's
# connection against the tables, not the ORM entities: each statement is built once per dialect
# with bind parameters (so SQLAlchemy's compiled cache is hit every time) and rows go in as
# executemany. The ORM's bulk-insert machinery and a fresh compile per multi-row VALUES shape
# cost several times the database's own work here.


def _table(model: type[Base]) -> Table:
    table = model.__table__
    assert isinstance(table, Table)
    return table


_ARTICLES = _table(Article)
_ARTICLE_FEEDS = _table(ArticleFeed)
_ARTICLE_URLS = _table(ArticleUrl)
_SIGNATURES = _table(ArticleSignature)
_BUCKETS = _table(LshBucket)
_CLUSTERS = _table(StoryCluster)
_MENTIONS = _table(Mention)
_STUB_RETRIES = _table(StubRetry)

_EXACT_BY_SITE = (
    select(_ARTICLES.c.id)
    .where(
        _ARTICLES.c.content_hash == bindparam("content_hash"),
        _ARTICLES.c.site == bindparam("site"),
    )
    .limit(1)
)
_EXACT_BY_FEED = (
    select(_ARTICLES.c.id)
    .join(_ARTICLE_FEEDS, _ARTICLE_FEEDS.c.article_id == _ARTICLES.c.id)
    .where(
        _ARTICLES.c.content_hash == bindparam("content_hash"),
        _ARTICLE_FEEDS.c.feed_id == bindparam("feed_id"),
    )
    .limit(1)
)
_REPUBLICATIONS = (
    select(_ARTICLES.c.id, _SIGNATURES.c.minhash)
    .join(_SIGNATURES, _SIGNATURES.c.article_id == _ARTICLES.c.id)
    .where(
        _ARTICLES.c.site == bindparam("site"),
        _ARTICLES.c.title_key == bindparam("title_key"),
        _ARTICLES.c.published_at.between(bindparam("lo"), bindparam("hi")),
    )
)
_LSH_CANDIDATES = (
    select(_BUCKETS.c.article_id)
    .where(
        _BUCKETS.c.bucket.in_(bindparam("keys", expanding=True)),
        _BUCKETS.c.created_at >= bindparam("since"),
    )
    .distinct()
)
_CANDIDATE_SIGNATURES = (
    select(_SIGNATURES.c.article_id, _SIGNATURES.c.minhash, _ARTICLES.c.cluster_id)
    .join(_ARTICLES, _ARTICLES.c.id == _SIGNATURES.c.article_id)
    .where(_SIGNATURES.c.article_id.in_(bindparam("ids", expanding=True)))
)
_ARTICLE_BY_CANONICAL = select(_ARTICLES.c.id).where(
    _ARTICLES.c.canonical_url == bindparam("canonical_url")
)
_ARTICLE_BY_URL = select(_ARTICLE_URLS.c.article_id).where(_ARTICLE_URLS.c.url == bindparam("url"))
_GROW_CLUSTER = (
    update(_CLUSTERS)
    .where(_CLUSTERS.c.id == bindparam("cluster_id"))
    .values(size=_CLUSTERS.c.size + 1, updated_at=bindparam("now"))
)
_SET_ARTICLE_CLUSTER = (
    update(_ARTICLES)
    .where(_ARTICLES.c.id == bindparam("article_id"))
    .values(cluster_id=bindparam("cluster_id"))
)

# INSERT … ON CONFLICT statements, per dialect; the rows come as parameters (executemany)
_INSERTS: dict[tuple[str, str], Any] = {}


def _build_insert(dialect: str, name: str) -> Any:
    dml = postgresql.insert if dialect == "postgresql" else sqlite.insert
    if name == "article":
        return (
            dml(_ARTICLES)
            .on_conflict_do_nothing(index_elements=["canonical_url"])
            .returning(_ARTICLES.c.id)
        )
    if name == "cluster":
        return dml(_CLUSTERS).returning(_CLUSTERS.c.id)
    if name == "buckets" and dialect == "postgresql":
        # one statement for the ~20 rows: INSERT … SELECT unnest(:buckets), :article_id, …
        # (psycopg's executemany costs a round of Python work per row)
        rows = select(
            func.unnest(bindparam("buckets", type_=postgresql.ARRAY(BigInteger))),
            bindparam("article_id", type_=Integer),
            bindparam("created_at", type_=_BUCKETS.c.created_at.type),
        )
        return (
            dml(_BUCKETS)
            .from_select(["bucket", "article_id", "created_at"], rows)
            .on_conflict_do_nothing()
        )
    table = {
        "signature": _SIGNATURES,
        "buckets": _BUCKETS,
        "mentions": _MENTIONS,
        "urls": _ARTICLE_URLS,
        "feeds": _ARTICLE_FEEDS,
    }[name]
    return dml(table).on_conflict_do_nothing()


def _insert_stmt(conn: Connection, name: str) -> Any:
    key = (conn.dialect.name, name)
    stmt = _INSERTS.get(key)
    if stmt is None:
        stmt = _INSERTS[key] = _build_insert(conn.dialect.name, name)
    return stmt


def _write_conn(session: Session) -> Connection:
    """The session's connection, after the autoflush an ORM statement would have done."""
    if session.autoflush:
        session.flush()
    return session.connection()


def _existing_copy(conn: Connection, rec: ArticleRecord, policy: DedupPolicy) -> int | None:
    """An already stored article that ``rec`` is a copy of, in the same outlet: the exact same
    text, or the same headline within a week with text that is not substantially different."""
    found: int | None = None
    if rec.site:
        found = conn.execute(
            _EXACT_BY_SITE, {"content_hash": rec.content_hash, "site": rec.site}
        ).scalar()
    elif rec.feed_id is not None:
        found = conn.execute(
            _EXACT_BY_FEED, {"content_hash": rec.content_hash, "feed_id": rec.feed_id}
        ).scalar()
    if found is not None:
        return found
    if not (rec.site and rec.title_key and rec.published_at and rec.signature):
        return None
    lo = rec.published_at - timedelta(days=policy.republication_days)
    hi = rec.published_at + timedelta(days=policy.republication_days)
    rows = conn.execute(
        _REPUBLICATIONS, {"site": rec.site, "title_key": rec.title_key, "lo": lo, "hi": hi}
    ).all()
    for aid, sig in rows:
        if estimate_jaccard(sig, rec.signature) >= policy.republication_min_similarity:
            return int(aid)
    return None


def _nearest_cluster(
    conn: Connection, signature: bytes, keys: Sequence[int], since: datetime, policy: DedupPolicy
) -> int | None:
    """The story cluster of the nearest near-duplicate (estimated Jaccard ≥ threshold) among
    the articles sharing an LSH bucket with ``signature`` since ``since``."""
    candidates = list(conn.execute(_LSH_CANDIDATES, {"keys": keys, "since": since}).scalars())
    best: tuple[float, int | None] = (0.0, None)
    if candidates:
        for _aid, sig, cid in conn.execute(_CANDIDATE_SIGNATURES, {"ids": candidates}):
            sim = estimate_jaccard(sig, signature)
            if sim >= policy.near_duplicate_threshold and sim > best[0] and cid is not None:
                best = (sim, cid)
    return best[1]


def _assign_cluster(
    session: Session,
    conn: Connection,
    article_id: int,
    rec: ArticleRecord,
    keys: Sequence[int],
    now: datetime,
    cluster_id: int | None,
) -> int:
    """Index the new article for near-duplicate lookups (signature, LSH buckets) and put it
    into ``cluster_id`` (its nearest near-duplicate's cluster, already set on the row by the
    INSERT) or, when that is None, into a new cluster of its own."""
    if rec.signature:
        conn.execute(
            _insert_stmt(conn, "signature"),
            {"article_id": article_id, "minhash": rec.signature, "created_at": now},
        )
        buckets = sorted(set(keys))
        conn.execute(
            _insert_stmt(conn, "buckets"),
            {"buckets": buckets, "article_id": article_id, "created_at": now}
            if conn.dialect.name == "postgresql"
            else [{"bucket": k, "article_id": article_id, "created_at": now} for k in buckets],
        )
    if cluster_id is None:
        cluster_id = conn.execute(
            _insert_stmt(conn, "cluster"),
            {"representative_id": article_id, "size": 1, "created_at": now, "updated_at": now},
        ).scalar_one()
        conn.execute(_SET_ARTICLE_CLUSTER, {"article_id": article_id, "cluster_id": cluster_id})
    else:
        conn.execute(_GROW_CLUSTER, {"cluster_id": cluster_id, "now": now})
        if session.identity_map:  # a loaded copy of the cluster must not keep the old size
            obj = session.identity_map.get(identity_key(StoryCluster, cluster_id))
            if obj is not None:
                session.expire(obj, ["size", "updated_at"])
    return cluster_id


def _insert_mentions(session: Session, article_id: int, mentions: Sequence[MentionRecord]) -> None:
    if mentions:
        _add_mentions(_write_conn(session), article_id, mentions)


def _add_mentions(conn: Connection, article_id: int, mentions: Sequence[MentionRecord]) -> None:
    if mentions:
        conn.execute(
            _insert_stmt(conn, "mentions"), [_mention_row(article_id, m) for m in mentions]
        )


def _mention_row(article_id: int, m: MentionRecord) -> dict[str, Any]:
    return {
        "article_id": article_id,
        "entity_type": m.entity_type,
        "entity_id": m.entity_id,
        "surface": m.surface[:500],
        "start": m.start,
        "end": m.end,
        "snippet": m.snippet,
        "state_id": m.state_id,
        "role": m.role,
    }


def store_article(
    session: Session, rec: ArticleRecord, policy: DedupPolicy = DEFAULT_DEDUP
) -> tuple[int, bool]:
    """Insert the article with its mentions, URL aliases, feed link and story cluster in the
    caller's transaction. Returns (article id, created). An article already stored under its
    canonical URL, or a copy of one in the same outlet (same text; or same headline within a
    week and similar text) only gains the new URL aliases and feed link."""
    conn = _write_conn(session)
    # A stub with only the feed's summary is not compared by text: feeds often give many
    # stories one generic summary ("Leer más"), which must not make them one row or one story
    # cluster. It is found by URL only, and gets its fingerprints when its page text arrives.
    by_text = TextSource(rec.text_source) is not TextSource.FEED_SUMMARY
    if not by_text:
        rec = replace(rec, signature=None)
    article_id = _existing_copy(conn, rec, policy) if by_text else None
    created = False
    if article_id is None:
        now = utcnow()
        # the near-duplicate lookup comes before the INSERT so that joining an existing
        # cluster needs no UPDATE of the new row (no LSH rows can exist for an unborn id)
        keys: list[int] = []
        cluster_id: int | None = None
        if rec.signature:
            keys = lsh_buckets(rec.signature)
            since = now - timedelta(days=policy.window_days)
            cluster_id = _nearest_cluster(conn, rec.signature, keys, since, policy)
        article_id = conn.execute(
            _insert_stmt(conn, "article"),
            {
                "canonical_url": rec.canonical_url,
                "url": rec.url,
                "feed_id": rec.feed_id,
                "title": rec.title,
                "author": rec.author,
                "published_at": rec.published_at,
                "fetched_at": utcnow(),
                "language": rec.language,
                "text": rec.text,
                "raw_html": rec.raw_html_gz,
                "content_hash": rec.content_hash,
                "text_source": TextSource(rec.text_source).value,
                "flagged": rec.flagged,
                "reasons": list(rec.reasons),
                "tags": rec.tags,
                "other_officials": other_officials(rec.tags),
                "tagger_version": rec.tagger_version,
                "review_status": "new",
                "site": rec.site,
                "title_key": rec.title_key,
                "cluster_id": cluster_id,
            },
        ).scalar()
        created = article_id is not None
        if article_id is None:
            article_id = conn.execute(
                _ARTICLE_BY_CANONICAL, {"canonical_url": rec.canonical_url}
            ).scalar_one()
        else:
            _assign_cluster(session, conn, article_id, rec, keys, now, cluster_id)
            _add_mentions(conn, article_id, rec.mentions)
    if not created:
        # the same story again (a twin by canonical URL, or a copy in the same outlet): when the
        # stored row is a stub and this copy has better text, the row takes it, in place
        upgrade_if_better(session, article_id, rec, policy)
    urls = {rec.canonical_url, rec.url, *rec.aliases}
    conn.execute(
        _insert_stmt(conn, "urls"), [{"url": u, "article_id": article_id} for u in sorted(urls)]
    )
    if rec.feed_id is not None:
        conn.execute(
            _insert_stmt(conn, "feeds"),
            {"article_id": article_id, "feed_id": rec.feed_id, "first_seen_at": utcnow()},
        )
    return article_id, created


_TEXT_SOURCE_OF = select(_ARTICLES.c.text_source).where(_ARTICLES.c.id == bindparam("article_id"))


def upgrade_if_better(
    session: Session, article_id: int, rec: ArticleRecord, policy: DedupPolicy = DEFAULT_DEDUP
) -> bool:
    """Upgrade the stored article with ``rec`` when its text is better (page > feed content >
    feed summary). Returns whether it did."""
    current = _write_conn(session).execute(_TEXT_SOURCE_OF, {"article_id": article_id})
    if TextSource(rec.text_source).rank > TextSource.of(current.scalar_one()).rank:
        upgrade_article(session, article_id, rec, policy)
        return True
    return False


def upgrade_article(
    session: Session, article_id: int, rec: ArticleRecord, policy: DedupPolicy = DEFAULT_DEDUP
) -> int | None:
    """Give a stored article (a stub) the text of ``rec``, in place: text, page bytes, title
    (when ``rec`` has one), tags (with other_officials), flag, mentions and fingerprints are
    replaced; the id, canonical URL, feeds, review state and publication date (when known)
    stay. The article keeps its story cluster and joins the cluster its new text belongs to
    (its nearest near-duplicate's): the two clusters become one, under the older id. With
    page text, its retry schedule is dropped. Returns the article's cluster id."""
    conn = _write_conn(session)
    now = utcnow()
    values: dict[str, Any] = {
        # an article flagged only now arrives in the review queue and the digest now (they
        # take what arrived by fetched_at); otherwise it keeps its arrival time
        "fetched_at": (
            case((_ARTICLES.c.flagged.is_(False), now), else_=_ARTICLES.c.fetched_at)
            if rec.flagged
            else _ARTICLES.c.fetched_at
        ),
        "text": rec.text,
        "content_hash": rec.content_hash,
        "text_source": TextSource(rec.text_source).value,
        "raw_html": rec.raw_html_gz,
        "published_at": func.coalesce(_ARTICLES.c.published_at, rec.published_at),
    }
    if rec.title:
        values.update(title=rec.title, title_key=rec.title_key)
    if rec.author:
        values["author"] = rec.author
    if rec.language:
        values["language"] = rec.language
    conn.execute(update(_ARTICLES).where(_ARTICLES.c.id == article_id).values(**values))
    replace_tags(
        session,
        article_id,
        flagged=rec.flagged,
        reasons=rec.reasons,
        tags=rec.tags,
        tagger_version=rec.tagger_version or "",
        mentions=rec.mentions,
    )
    # fingerprints: the stub's (of the feed's text) go, the new text's come
    conn.execute(delete(_SIGNATURES).where(_SIGNATURES.c.article_id == article_id))
    conn.execute(delete(_BUCKETS).where(_BUCKETS.c.article_id == article_id))
    own = conn.execute(
        select(_ARTICLES.c.cluster_id).where(_ARTICLES.c.id == article_id)
    ).scalar_one()
    found: int | None = None
    if rec.signature:
        keys = lsh_buckets(rec.signature)
        found = _nearest_cluster(
            conn, rec.signature, keys, now - timedelta(days=policy.window_days), policy
        )
        conn.execute(
            _insert_stmt(conn, "signature"),
            {"article_id": article_id, "minhash": rec.signature, "created_at": now},
        )
        buckets = sorted(set(keys))
        conn.execute(
            _insert_stmt(conn, "buckets"),
            {"buckets": buckets, "article_id": article_id, "created_at": now}
            if conn.dialect.name == "postgresql"
            else [{"bucket": k, "article_id": article_id, "created_at": now} for k in buckets],
        )
    cluster_id = _join_clusters(session, conn, article_id, own, found, now)
    if TextSource(rec.text_source) is TextSource.PAGE:
        conn.execute(delete(_STUB_RETRIES).where(_STUB_RETRIES.c.article_id == article_id))
    if session.identity_map:  # a loaded copy of the row must not keep the stub's values
        obj = session.identity_map.get(identity_key(Article, article_id))
        if obj is not None:
            session.expire(obj)
    return cluster_id


def _join_clusters(
    session: Session,
    conn: Connection,
    article_id: int,
    own: int | None,
    found: int | None,
    now: datetime,
) -> int | None:
    """Put the article's cluster ``own`` and the cluster ``found`` together (the older id
    stays; the other's articles move to it and the other goes)."""
    if found is None or found == own:
        return own
    if own is None:
        conn.execute(_SET_ARTICLE_CLUSTER, {"article_id": article_id, "cluster_id": found})
        conn.execute(_GROW_CLUSTER, {"cluster_id": found, "now": now})
        keep, gone = found, None
    else:
        keep, gone = min(own, found), max(own, found)
        moved = conn.execute(
            update(_ARTICLES).where(_ARTICLES.c.cluster_id == gone).values(cluster_id=keep)
        ).rowcount
        conn.execute(
            update(_CLUSTERS)
            .where(_CLUSTERS.c.id == keep)
            .values(size=_CLUSTERS.c.size + moved, updated_at=now)
        )
        conn.execute(delete(_CLUSTERS).where(_CLUSTERS.c.id == gone))
    if session.identity_map:
        for cid in (keep, gone):
            obj = session.identity_map.get(identity_key(StoryCluster, cid))
            if obj is not None:
                session.expire(obj)
    return keep


# ---------------------------------------------------------------- stubs (issue 19)


def article_id_by_url(session: Session, url: str) -> int | None:
    """The stored article known under this URL (any spelling seen), if any."""
    found = _write_conn(session).execute(_ARTICLE_BY_URL, {"url": url}).scalar()
    return int(found) if found is not None else None


def merge_twin(session: Session, gone_id: int, keep_id: int) -> None:
    """Fold the article ``gone_id`` into its twin ``keep_id`` (the same story under another URL,
    found when a stub's page named the twin as its canonical): its URLs, feeds and review
    history move over, its review decision too when the twin has none yet ('new'); their story
    clusters become one; then the row goes (with its mentions, fingerprints and retry state)."""
    if gone_id == keep_id:
        return
    conn = _write_conn(session)
    a = _ARTICLES.c
    urls = _ARTICLE_URLS.c
    conn.execute(update(_ARTICLE_URLS).where(urls.article_id == gone_id).values(article_id=keep_id))
    feeds = conn.execute(
        select(_ARTICLE_FEEDS.c.feed_id, _ARTICLE_FEEDS.c.first_seen_at).where(
            _ARTICLE_FEEDS.c.article_id == gone_id
        )
    ).all()
    if feeds:
        conn.execute(
            _insert_stmt(conn, "feeds"),
            [{"article_id": keep_id, "feed_id": f, "first_seen_at": t} for f, t in feeds],
        )
    rows = {
        r.id: r
        for r in conn.execute(
            select(a.id, a.review_status, a.review_note, a.reviewed_at, a.cluster_id).where(
                a.id.in_([gone_id, keep_id])
            )
        )
    }
    gone, keep = rows[gone_id], rows[keep_id]
    if keep.review_status == "new" and gone.review_status != "new":
        conn.execute(
            update(_ARTICLES)
            .where(a.id == keep_id)
            .values(
                review_status=gone.review_status,
                review_note=gone.review_note,
                reviewed_at=gone.reviewed_at,
            )
        )
    events = _table(ReviewEvent)
    conn.execute(update(events).where(events.c.article_id == gone_id).values(article_id=keep_id))
    now = utcnow()
    cluster = _join_clusters(session, conn, keep_id, keep.cluster_id, gone.cluster_id, now)
    conn.execute(delete(_ARTICLES).where(a.id == gone_id))
    if cluster is not None:
        size = conn.execute(
            select(func.count()).select_from(_ARTICLES).where(a.cluster_id == cluster)
        ).scalar_one()
        conn.execute(
            update(_CLUSTERS)
            .where(_CLUSTERS.c.id == cluster)
            .values(
                size=size,
                updated_at=now,
                representative_id=func.coalesce(
                    select(func.min(a.id))
                    .where(a.cluster_id == cluster, _CLUSTERS.c.representative_id == gone_id)
                    .scalar_subquery(),
                    _CLUSTERS.c.representative_id,
                ),
            )
        )
    if session.identity_map:
        for key in (identity_key(Article, gone_id), identity_key(Article, keep_id)):
            obj = session.identity_map.get(key)
            if obj is not None:
                session.expire(obj)


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
    stmt = _insert(session, StubRetry).values(article_id=article_id, **values)
    session.execute(stmt.on_conflict_do_update(index_elements=["article_id"], set_=values))


def add_urls(session: Session, article_id: int, urls: Sequence[str]) -> None:
    """More spellings of a stored article's URL (a URL already taken stays with its article)."""
    if urls:
        conn = _write_conn(session)
        conn.execute(
            _insert_stmt(conn, "urls"), [{"url": u, "article_id": article_id} for u in urls]
        )


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


def link_known(session: Session, url: str, links: Sequence[tuple[int, str]]) -> None:
    """Attach more (feed id, URL) pairs to the stored article known under ``url``."""
    if not links:
        return
    conn = _write_conn(session)
    article_id = conn.execute(_ARTICLE_BY_URL, {"url": url}).scalar()
    if article_id is None:
        return
    conn.execute(
        _insert_stmt(conn, "urls"),
        [{"url": link, "article_id": article_id} for link in sorted({u for _, u in links})],
    )
    conn.execute(
        _insert_stmt(conn, "feeds"),
        [
            {"article_id": article_id, "feed_id": f, "first_seen_at": utcnow()}
            for f in sorted({f for f, _ in links})
        ],
    )


@dataclass(frozen=True)
class ArticleRow:
    id: int
    url: str
    canonical_url: str
    title: str | None
    published_at: datetime | None
    fetched_at: datetime
    feed: str | None
    language: str | None
    flagged: bool
    reasons: list[str]
    states: list[str]
    officials: list[str]
    groups: list[str]
    review_status: str
    cluster_id: int | None = None
    text: str | None = None
    other_officials: list[dict[str, Any]] = field(default_factory=list)
    text_source: str = TextSource.PAGE.value


def list_articles(
    session: Session,
    *,
    flagged: bool | None = None,
    since: datetime | None = None,
    with_text: bool = False,
    limit: int | None = None,
) -> list[ArticleRow]:
    q = select(Article, Feed.name).outerjoin(Feed, Feed.id == Article.feed_id)
    if flagged is not None:
        q = q.where(Article.flagged.is_(flagged))
    if since is not None:
        q = q.where(func.coalesce(Article.published_at, Article.fetched_at) >= since)
    q = q.order_by(
        func.coalesce(Article.published_at, Article.fetched_at).desc(), Article.id.desc()
    )
    if limit:
        q = q.limit(limit)
    rows = []
    for art, feed_name in session.execute(q).tuples():
        tags = art.tags or {}
        rows.append(
            ArticleRow(
                id=art.id,
                url=art.url,
                canonical_url=art.canonical_url,
                title=art.title,
                published_at=art.published_at,
                fetched_at=art.fetched_at,
                feed=feed_name,
                language=art.language,
                flagged=art.flagged,
                reasons=list(art.reasons or []),
                states=[s["id"] for s in tags.get("states", [])],
                officials=[o["id"] for o in tags.get("officials", []) if o.get("id")],
                groups=[g["id"] for g in tags.get("groups", [])],
                review_status=art.review_status,
                cluster_id=art.cluster_id,
                text=art.text if with_text else None,
                other_officials=list(art.other_officials or []),
                text_source=TextSource.of(art.text_source).value,
            )
        )
    return rows


def count_articles(session: Session) -> int:
    return int(session.scalar(select(func.count()).select_from(Article)) or 0)


def articles_without_mentions(session: Session) -> list[int]:
    """Flagged articles that have no mention rows: should never exist (crash-safety check)."""
    has = select(Mention.article_id).distinct()
    return list(
        session.scalars(select(Article.id).where(Article.flagged.is_(True), Article.id.not_in(has)))
    )


@dataclass(frozen=True)
class ClusterRow:
    id: int
    size: int
    representative_id: int | None
    title: str | None
    first_seen: datetime | None
    outlets: list[str]
    article_ids: list[int]
    states: list[str]
    flagged: bool


def list_clusters(
    session: Session, *, flagged: bool | None = None, since: datetime | None = None
) -> list[ClusterRow]:
    """Each story cluster once, with its outlets (sites) and articles, newest first."""
    q = select(
        Article.cluster_id,
        Article.id,
        Article.site,
        Article.title,
        Article.flagged,
        Article.tags,
        func.coalesce(Article.published_at, Article.fetched_at),
    ).where(Article.cluster_id.is_not(None))
    if since is not None:
        q = q.where(func.coalesce(Article.published_at, Article.fetched_at) >= since)
    groups: dict[int, list[Any]] = {}
    for row in session.execute(q.order_by(Article.id)):
        groups.setdefault(int(row[0]), []).append(row)
    reps = (
        dict(
            session.execute(
                select(StoryCluster.id, StoryCluster.representative_id).where(
                    StoryCluster.id.in_(list(groups))
                )
            )
            .tuples()
            .all()
        )
        if groups
        else {}
    )
    out: list[ClusterRow] = []
    for cid, rows in groups.items():
        is_flagged = any(r[4] for r in rows)
        if flagged is not None and is_flagged != flagged:
            continue
        rep_id = reps.get(cid)
        rep = next((r for r in rows if r[1] == rep_id), rows[0])
        states = sorted({s["id"] for r in rows for s in (r[5] or {}).get("states", [])})
        out.append(
            ClusterRow(
                id=cid,
                size=len(rows),
                representative_id=rep_id,
                title=rep[3],
                first_seen=min(r[6] for r in rows),
                outlets=sorted({r[2] for r in rows if r[2]}),
                article_ids=[r[1] for r in rows],
                states=states,
                flagged=is_flagged,
            )
        )
    out.sort(key=lambda c: (c.first_seen or utcnow(), c.id), reverse=True)
    return out


def prune_raw_html(session: Session, older_than: datetime) -> int:
    """Drop the stored page bytes of articles fetched before ``older_than``; text, tags and
    clusters stay. Also trims the near-duplicate index to the same horizon."""
    ids = list(
        session.scalars(
            select(Article.id).where(Article.fetched_at < older_than, Article.raw_html.is_not(None))
        )
    )
    for k in range(0, len(ids), 500):
        session.execute(
            update(Article).where(Article.id.in_(ids[k : k + 500])).values(raw_html=None)
        )
    session.execute(delete(LshBucket).where(LshBucket.created_at < older_than))
    n = len(ids)
    return int(n or 0)


# ---------------------------------------------------------------- retagging


@dataclass(frozen=True)
class TagInput:
    id: int
    text: str
    title: str | None
    published_at: datetime | None


def _stale_filter(version: str, since: datetime | None) -> Any:
    cond = (Article.tagger_version.is_(None)) | (Article.tagger_version != version)
    if since is not None:
        cond = cond & (func.coalesce(Article.published_at, Article.fetched_at) >= since)
    return cond


def count_stale_tags(session: Session, *, version: str, since: datetime | None = None) -> int:
    """Articles tagged with another tagger version (code or watchlist) than ``version``."""
    return int(
        session.scalar(
            select(func.count()).select_from(Article).where(_stale_filter(version, since))
        )
        or 0
    )


def stale_tag_batch(
    session: Session,
    *,
    version: str,
    since: datetime | None = None,
    after_id: int = 0,
    limit: int = 200,
) -> list[TagInput]:
    """The next batch (by id) of articles to retag; keyset paging so a batch is cheap."""
    rows = session.execute(
        select(Article.id, Article.text, Article.title, Article.published_at)
        .where(_stale_filter(version, since), Article.id > after_id)
        .order_by(Article.id)
        .limit(limit)
    )
    return [TagInput(r.id, r.text, r.title, r.published_at) for r in rows]


@dataclass(frozen=True)
class TagWrite:
    """A new tagging of one stored article."""

    article_id: int
    flagged: bool
    reasons: Sequence[str]
    tags: dict[str, Any]
    tagger_version: str
    mentions: Sequence[MentionRecord]


def replace_tags(
    session: Session,
    article_id: int,
    *,
    flagged: bool,
    reasons: Sequence[str],
    tags: dict[str, Any],
    tagger_version: str,
    mentions: Sequence[MentionRecord],
) -> None:
    """Swap an article's mentions, tags and flag for a new tagging, atomically."""
    replace_tags_many(
        session, [TagWrite(article_id, flagged, reasons, tags, tagger_version, mentions)]
    )


_RETAG = (
    update(Article.__table__)  # type: ignore[arg-type]
    .where(Article.__table__.c.id == bindparam("_id"))
    .values(
        flagged=bindparam("_flagged"),
        reasons=bindparam("_reasons"),
        tags=bindparam("_tags"),
        other_officials=bindparam("_other"),
        tagger_version=bindparam("_version"),
    )
)


def replace_tags_many(session: Session, writes: Sequence[TagWrite]) -> None:
    """Swap the mentions, tags, unlisted officials (``other_officials``) and flag of many
    articles in a few statements: one DELETE of their mentions, one INSERT of the new ones,
    one executemany UPDATE of the articles."""
    if not writes:
        return
    conn = _write_conn(session)
    ids = [w.article_id for w in writes]
    for k in range(0, len(ids), 1000):
        conn.execute(delete(Mention).where(Mention.article_id.in_(ids[k : k + 1000])))
    rows = [_mention_row(w.article_id, m) for w in writes for m in w.mentions]
    if rows:
        conn.execute(_insert_stmt(conn, "mentions"), rows)
    conn.execute(
        _RETAG,
        [
            {
                "_id": w.article_id,
                "_flagged": w.flagged,
                "_reasons": list(w.reasons),
                "_tags": w.tags,
                "_other": other_officials(w.tags),
                "_version": w.tagger_version,
            }
            for w in writes
        ],
    )
    if session.identity_map:  # loaded copies must not keep the old tags
        for w in writes:
            obj = session.identity_map.get(identity_key(Article, w.article_id))
            if obj is not None:
                session.expire(obj)


def other_officials(tags: dict[str, Any] | None) -> list[dict[str, Any]]:
    """The unlisted officials of a tagging (``"listed": false`` in its officials), as stored
    per article: [{"name", "role"}]."""
    return [
        {"name": o.get("name"), "role": o.get("role")}
        for o in (tags or {}).get("officials") or []
        if isinstance(o, dict) and o.get("listed") is False
    ]


@dataclass(frozen=True)
class FlagRow:
    id: int
    flagged: bool


def flags_of(session: Session, ids: Sequence[int]) -> list[FlagRow]:
    return [
        FlagRow(r.id, r.flagged)
        for r in session.execute(
            select(Article.id, Article.flagged).where(Article.id.in_(list(ids)))
        )
    ]


# ---------------------------------------------------------------- backfill progress


@dataclass(frozen=True)
class CursorState:
    position: int = 0
    next_url: str | None = None
    done: bool = False


def backfill_job(session: Session, key: str, params: dict[str, Any]) -> int:
    """The job for these parameters, created on first use (so an identical request resumes)."""
    session.execute(
        _insert(session, BackfillJob)
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
    stmt = _insert(session, BackfillCursor).values(job_id=job_id, source=source, **values)
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
    when = func.coalesce(Article.published_at, Article.fetched_at)
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
    conn = _write_conn(session)
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


# ---------------------------------------------------------------- work sharing


def release_feeds(session: Session, *, owner: str, feed_ids: Sequence[int]) -> None:
    if feed_ids:
        session.execute(
            update(Feed)
            .where(Feed.id.in_(list(feed_ids)), Feed.lease_owner == owner)
            .values(lease_owner=None, lease_until=None)
        )


# ---------------------------------------------------------------- scale-out (issue 16)

MIN_SHARE = 2  # feeds: the smallest share a lease takes (a host's feeds come whole anyway)
LIVE_SECONDS = 30  # a worker whose heartbeat is older than this is not counted as live


def db_now(session: Session) -> datetime:
    """Now by the DATABASE clock (one clock for every worker on every machine), moved by the
    injectable clock's offset (config/clock.py), so that under BORDERWATCH_CLOCK_AT lease and
    due times compare with what the pipeline wrote (clock.utcnow())."""
    if session.get_bind().dialect.name == "postgresql":
        raw = session.scalar(text("SELECT now()"))
        assert isinstance(raw, datetime)
        now = raw.astimezone(UTC)
    else:
        stamp = session.scalar(text("SELECT strftime('%Y-%m-%d %H:%M:%f', 'now')"))
        now = datetime.fromisoformat(str(stamp)).replace(tzinfo=UTC)
    return now + (clock.utcnow() - datetime.now(UTC))


def share_size(due: int, live_workers: int, *, first: bool = True, minimum: int = MIN_SHARE) -> int:
    """Feeds one lease takes: a run's first lease takes ceil(due / (2 x live workers)), half a
    fair share, which leaves work for workers started at the same time but not yet seen; its
    later leases take a fair share of what is left, ceil(due / live workers) (the others have
    had their heartbeat by then, and a batch costs one politeness round whatever its size, so
    halving the shares down to a long tail of small batches would cost rounds). At least
    ``minimum``; a worker leases again as it finishes a share, so fast workers take more."""
    if due <= 0:
        return 0
    return max(minimum, math.ceil(due / ((2 if first else 1) * max(1, live_workers))))


def heartbeat(session: Session, *, worker_id: str, host: str, pid: int, now: datetime) -> None:
    """Record that this worker is alive now (an upsert of its poll_workers row)."""
    stmt = _insert(session, PollWorker).values(
        worker_id=worker_id, host=host[:255], pid=pid, started_at=now, last_seen=now
    )
    session.execute(
        stmt.on_conflict_do_update(index_elements=["worker_id"], set_={"last_seen": now})
    )


def drop_worker(session: Session, worker_id: str) -> None:
    session.execute(delete(PollWorker).where(PollWorker.worker_id == worker_id))


def live_workers(session: Session, now: datetime, *, within: float = LIVE_SECONDS) -> int:
    """Workers seen within ``within`` seconds (at least 1: the caller is one)."""
    n = session.scalar(
        select(func.count())
        .select_from(PollWorker)
        .where(PollWorker.last_seen >= now - timedelta(seconds=within))
    )
    return max(1, int(n or 0))


def _free_feeds(now: datetime, due_only: bool) -> Any:
    cond = (Feed.lease_until.is_(None)) | (Feed.lease_until < now)
    if due_only:
        cond = cond & ((Feed.next_check_at.is_(None)) | (Feed.next_check_at <= now))
    return cond


def count_due(session: Session, feed_ids: Sequence[int], *, now: datetime, due_only: bool) -> int:
    """Feeds among these that are free to lease now (and due, with due_only)."""
    n = 0
    ids = list(feed_ids)
    for k in range(0, len(ids), 1000):
        n += int(
            session.scalar(
                select(func.count())
                .select_from(Feed)
                .where(Feed.id.in_(ids[k : k + 1000]), _free_feeds(now, due_only))
            )
            or 0
        )
    return n


def lease_hosts(
    session: Session,
    *,
    owner: str,
    hosts: Sequence[str],
    now: datetime,
    lease_seconds: float,
    limit: int,
) -> list[str]:
    """Lease up to ``limit`` of these hosts (in the given order) to ``owner``: a host is
    free when it has no lease or its lease expired. PostgreSQL: ``FOR UPDATE SKIP LOCKED``;
    SQLite: the write transaction (BEGIN IMMEDIATE) serializes leasing."""
    if not hosts or limit <= 0:
        return []
    session.execute(
        _insert(session, HostLease)
        .values([{"host": h} for h in dict.fromkeys(hosts)])
        .on_conflict_do_nothing()
    )
    q = select(HostLease.host).where(
        HostLease.host.in_(list(hosts)),
        (HostLease.lease_until.is_(None)) | (HostLease.lease_until < now),
    )
    if session.get_bind().dialect.name == "postgresql":
        q = q.with_for_update(skip_locked=True)
    free = set(session.scalars(q))
    got = [h for h in dict.fromkeys(hosts) if h in free][:limit]
    if got:
        session.execute(
            update(HostLease)
            .where(HostLease.host.in_(got))
            .values(lease_owner=owner, lease_until=now + timedelta(seconds=lease_seconds))
        )
    return got


def lease_share(
    session: Session,
    *,
    owner: str,
    feed_hosts: Mapping[int, str],
    now: datetime,
    lease_seconds: float,
    share: int,
    due_only: bool,
) -> tuple[list[int], list[str]]:
    """Lease a share of these feeds (``feed_hosts``: feed id -> its host) to ``owner``, whole
    hosts at a time: hosts are taken (most overdue first) until the share is reached, with
    every free (and due) feed of each. A host leased by another worker is skipped, so one
    host's pages are fetched by one worker at a time across all workers (politeness).
    Returns (feed ids, hosts)."""
    if not feed_hosts or share <= 0:
        return [], []
    ids = list(feed_hosts)
    rows: list[tuple[int, datetime | None]] = []
    for k in range(0, len(ids), 1000):
        rows.extend(
            (r.id, r.next_check_at)
            for r in session.execute(
                select(Feed.id, Feed.next_check_at).where(
                    Feed.id.in_(ids[k : k + 1000]), _free_feeds(now, due_only)
                )
            )
        )
    if not rows:
        return [], []
    never = datetime.min.replace(tzinfo=UTC)
    rows.sort(key=lambda r: (r[1] or never, r[0]))
    by_host: dict[str, list[int]] = {}
    for fid, _ in rows:
        by_host.setdefault(feed_hosts[fid], []).append(fid)
    order = list(by_host)  # most overdue host first
    taken: list[str] = []
    feeds: list[int] = []
    # lease hosts in small rounds: the hosts needed to reach the share, then more if some
    # were taken by another worker in between
    pos = 0
    while len(feeds) < share and pos < len(order):
        want, n = [], len(feeds)
        while pos < len(order) and n < share:
            want.append(order[pos])
            n += len(by_host[order[pos]])
            pos += 1
        got = lease_hosts(
            session, owner=owner, hosts=want, now=now, lease_seconds=lease_seconds, limit=len(want)
        )
        for h in got:
            taken.append(h)
            feeds.extend(by_host[h])
    if feeds:
        until = now + timedelta(seconds=lease_seconds)
        leased: list[int] = []
        for k in range(0, len(feeds), 1000):
            part = feeds[k : k + 1000]
            session.execute(
                update(Feed)
                .where(Feed.id.in_(part), _free_feeds(now, due_only))
                .values(lease_owner=owner, lease_until=until)
            )
            leased.extend(
                session.scalars(
                    select(Feed.id).where(
                        Feed.id.in_(part), Feed.lease_owner == owner, Feed.lease_until == until
                    )
                )
            )
        keep = set(leased)
        feeds = [f for f in feeds if f in keep]
    return feeds, taken


def renew_leases(
    session: Session,
    *,
    owner: str,
    feed_ids: Sequence[int],
    hosts: Sequence[str],
    now: datetime,
    lease_seconds: float,
) -> int:
    """Extend this owner's leases on these feeds and hosts to now + lease_seconds (a batch
    still running keeps them). Returns the number of feed leases renewed."""
    until = now + timedelta(seconds=lease_seconds)
    n = 0
    ids = list(feed_ids)
    for k in range(0, len(ids), 1000):
        res = session.execute(
            update(Feed)
            .where(Feed.id.in_(ids[k : k + 1000]), Feed.lease_owner == owner)
            .values(lease_until=until)
        )
        n += int(getattr(res, "rowcount", 0) or 0)
    if hosts:
        session.execute(
            update(HostLease)
            .where(HostLease.host.in_(list(hosts)), HostLease.lease_owner == owner)
            .values(lease_until=until)
        )
    return n


def host_lease_owners(session: Session, hosts: Sequence[str], now: datetime) -> dict[str, str]:
    """Who holds the live leases of these hosts."""
    if not hosts:
        return {}
    rows = session.execute(
        select(HostLease.host, HostLease.lease_owner).where(
            HostLease.host.in_(list(hosts)),
            HostLease.lease_owner.is_not(None),
            HostLease.lease_until >= now,
        )
    )
    return {r.host: str(r.lease_owner) for r in rows}


def expire_owner(session: Session, owner: str, now: datetime) -> None:
    """End every lease of a worker known to be dead (its feeds and hosts are free now)."""
    session.execute(
        update(Feed).where(Feed.lease_owner == owner).values(lease_owner=None, lease_until=None)
    )
    session.execute(
        update(HostLease)
        .where(HostLease.lease_owner == owner)
        .values(lease_owner=None, lease_until=None)
    )
    drop_worker(session, owner)


def release_hosts(
    session: Session, *, owner: str, hosts: Sequence[str], now: datetime, gap: float
) -> None:
    """Give these hosts back. The next worker may start on a host ``gap`` seconds from now
    (the per-host delay), so the spacing of requests holds across workers too."""
    if hosts:
        session.execute(
            update(HostLease)
            .where(HostLease.host.in_(list(hosts)), HostLease.lease_owner == owner)
            .values(lease_owner=None, lease_until=now + timedelta(seconds=gap))
        )


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
