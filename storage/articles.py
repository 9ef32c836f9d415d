"""Articles: store (with mentions, URL aliases, feed links and story cluster), link, upgrade a
stub in place, merge twins, list, count and prune.

Every write is an idempotent upsert (INSERT … ON CONFLICT) that behaves the same on SQLite
and PostgreSQL, so two pollers writing at once never duplicate or lose a row.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import (
    Connection,
    bindparam,
    case,
    delete,
    func,
    select,
    update,
)
from sqlalchemy.orm import Session
from sqlalchemy.orm.util import identity_key

from extractors.fingerprint import lsh_buckets
from extractors.models import ArticleRecord, Mention, TextSource
from storage._sql import (
    ARTICLE_FEEDS,
    ARTICLE_URLS,
    ARTICLES,
    BUCKETS,
    CLUSTERS,
    SIGNATURES,
    STUB_RETRIES,
    insert_stmt,
    mention_row,
    table_of,
    when_expr,
    write_conn,
)
from storage.dedup import (
    DEFAULT_DEDUP,
    DedupPolicy,
    assign_cluster,
    existing_copy,
    index_signature,
    join_clusters,
    nearest_cluster,
)
from storage.tables import (
    Article,
    ArticleUrl,
    Feed,
    LshBucket,
    ReviewEvent,
    utcnow,
)
from storage.tables import Mention as MentionTable
from storage.tagging import other_officials, replace_tags


def known_urls(session: Session, urls: Iterable[str]) -> set[str]:
    """Which of these URLs (any spelling seen before) already belong to a stored article."""
    wanted = list(set(urls))
    found: set[str] = set()
    for i in range(0, len(wanted), 500):
        chunk = wanted[i : i + 500]
        found.update(session.scalars(select(ArticleUrl.url).where(ArticleUrl.url.in_(chunk))))
    return found


_ARTICLE_BY_CANONICAL = select(ARTICLES.c.id).where(
    ARTICLES.c.canonical_url == bindparam("canonical_url")
)
_ARTICLE_BY_URL = select(ARTICLE_URLS.c.article_id).where(ARTICLE_URLS.c.url == bindparam("url"))


def _add_mentions(conn: Connection, article_id: int, mentions: Sequence[Mention]) -> None:
    if mentions:
        conn.execute(insert_stmt(conn, "mentions"), [mention_row(article_id, m) for m in mentions])


def store_article(
    session: Session, rec: ArticleRecord, policy: DedupPolicy = DEFAULT_DEDUP
) -> tuple[int, bool]:
    """Insert the article with its mentions, URL aliases, feed link and story cluster in the
    caller's transaction. Returns (article id, created). An article already stored under its
    canonical URL, or a copy of one in the same outlet (same text; or same headline within a
    week and similar text) only gains the new URL aliases and feed link."""
    conn = write_conn(session)
    # A stub with only the feed's summary is not compared by text: feeds often give many
    # stories one generic summary ("Leer más"), which must not make them one row or one story
    # cluster. It is found by URL only, and gets its fingerprints when its page text arrives.
    by_text = TextSource(rec.text_source) is not TextSource.FEED_SUMMARY
    if not by_text:
        rec = replace(rec, signature=None)
    article_id = existing_copy(conn, rec, policy) if by_text else None
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
            cluster_id = nearest_cluster(conn, rec.signature, keys, since, policy)
        article_id = conn.execute(
            insert_stmt(conn, "article"),
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
            assign_cluster(session, conn, article_id, rec, keys, now, cluster_id)
            _add_mentions(conn, article_id, rec.mentions)
    if not created:
        # the same story again (a twin by canonical URL, or a copy in the same outlet): when the
        # stored row is a stub and this copy has better text, the row takes it, in place
        upgrade_if_better(session, article_id, rec, policy)
    urls = {rec.canonical_url, rec.url, *rec.aliases}
    conn.execute(
        insert_stmt(conn, "urls"), [{"url": u, "article_id": article_id} for u in sorted(urls)]
    )
    if rec.feed_id is not None:
        conn.execute(
            insert_stmt(conn, "feeds"),
            {"article_id": article_id, "feed_id": rec.feed_id, "first_seen_at": utcnow()},
        )
    return article_id, created


_TEXT_SOURCE_OF = select(ARTICLES.c.text_source).where(ARTICLES.c.id == bindparam("article_id"))


def upgrade_if_better(
    session: Session, article_id: int, rec: ArticleRecord, policy: DedupPolicy = DEFAULT_DEDUP
) -> bool:
    """Upgrade the stored article with ``rec`` when its text is better (page > feed content >
    feed summary). Returns whether it did."""
    current = write_conn(session).execute(_TEXT_SOURCE_OF, {"article_id": article_id})
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
    conn = write_conn(session)
    now = utcnow()
    values: dict[str, Any] = {
        # an article flagged only now arrives in the review queue and the digest now (they
        # take what arrived by fetched_at); otherwise it keeps its arrival time
        "fetched_at": (
            case((ARTICLES.c.flagged.is_(False), now), else_=ARTICLES.c.fetched_at)
            if rec.flagged
            else ARTICLES.c.fetched_at
        ),
        "text": rec.text,
        "content_hash": rec.content_hash,
        "text_source": TextSource(rec.text_source).value,
        "raw_html": rec.raw_html_gz,
        "published_at": func.coalesce(ARTICLES.c.published_at, rec.published_at),
    }
    if rec.title:
        values.update(title=rec.title, title_key=rec.title_key)
    if rec.author:
        values["author"] = rec.author
    if rec.language:
        values["language"] = rec.language
    conn.execute(update(ARTICLES).where(ARTICLES.c.id == article_id).values(**values))
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
    conn.execute(delete(SIGNATURES).where(SIGNATURES.c.article_id == article_id))
    conn.execute(delete(BUCKETS).where(BUCKETS.c.article_id == article_id))
    own = conn.execute(
        select(ARTICLES.c.cluster_id).where(ARTICLES.c.id == article_id)
    ).scalar_one()
    found: int | None = None
    if rec.signature:
        keys = lsh_buckets(rec.signature)
        found = nearest_cluster(
            conn, rec.signature, keys, now - timedelta(days=policy.window_days), policy
        )
        index_signature(conn, article_id, rec.signature, keys, now)
    cluster_id = join_clusters(session, conn, article_id, own, found, now)
    if TextSource(rec.text_source) is TextSource.PAGE:
        conn.execute(delete(STUB_RETRIES).where(STUB_RETRIES.c.article_id == article_id))
    if session.identity_map:  # a loaded copy of the row must not keep the stub's values
        obj = session.identity_map.get(identity_key(Article, article_id))
        if obj is not None:
            session.expire(obj)
    return cluster_id


def article_id_by_url(session: Session, url: str) -> int | None:
    """The stored article known under this URL (any spelling seen), if any."""
    found = write_conn(session).execute(_ARTICLE_BY_URL, {"url": url}).scalar()
    return int(found) if found is not None else None


def merge_twin(session: Session, gone_id: int, keep_id: int) -> None:
    """Fold the article ``gone_id`` into its twin ``keep_id`` (the same story under another URL,
    found when a stub's page named the twin as its canonical): its URLs, feeds and review
    history move over, its review decision too when the twin has none yet ('new'); their story
    clusters become one; then the row goes (with its mentions, fingerprints and retry state)."""
    if gone_id == keep_id:
        return
    conn = write_conn(session)
    a = ARTICLES.c
    urls = ARTICLE_URLS.c
    conn.execute(update(ARTICLE_URLS).where(urls.article_id == gone_id).values(article_id=keep_id))
    feeds = conn.execute(
        select(ARTICLE_FEEDS.c.feed_id, ARTICLE_FEEDS.c.first_seen_at).where(
            ARTICLE_FEEDS.c.article_id == gone_id
        )
    ).all()
    if feeds:
        conn.execute(
            insert_stmt(conn, "feeds"),
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
            update(ARTICLES)
            .where(a.id == keep_id)
            .values(
                review_status=gone.review_status,
                review_note=gone.review_note,
                reviewed_at=gone.reviewed_at,
            )
        )
    events = table_of(ReviewEvent)
    conn.execute(update(events).where(events.c.article_id == gone_id).values(article_id=keep_id))
    now = utcnow()
    cluster = join_clusters(session, conn, keep_id, keep.cluster_id, gone.cluster_id, now)
    conn.execute(delete(ARTICLES).where(a.id == gone_id))
    if cluster is not None:
        size = conn.execute(
            select(func.count()).select_from(ARTICLES).where(a.cluster_id == cluster)
        ).scalar_one()
        conn.execute(
            update(CLUSTERS)
            .where(CLUSTERS.c.id == cluster)
            .values(
                size=size,
                updated_at=now,
                representative_id=func.coalesce(
                    select(func.min(a.id))
                    .where(a.cluster_id == cluster, CLUSTERS.c.representative_id == gone_id)
                    .scalar_subquery(),
                    CLUSTERS.c.representative_id,
                ),
            )
        )
    if session.identity_map:
        for key in (identity_key(Article, gone_id), identity_key(Article, keep_id)):
            obj = session.identity_map.get(key)
            if obj is not None:
                session.expire(obj)


def add_urls(session: Session, article_id: int, urls: Sequence[str]) -> None:
    """More spellings of a stored article's URL (a URL already taken stays with its article)."""
    if urls:
        conn = write_conn(session)
        conn.execute(
            insert_stmt(conn, "urls"), [{"url": u, "article_id": article_id} for u in urls]
        )


def link_known(session: Session, url: str, links: Sequence[tuple[int, str]]) -> None:
    """Attach more (feed id, URL) pairs to the stored article known under ``url``."""
    if not links:
        return
    conn = write_conn(session)
    article_id = conn.execute(_ARTICLE_BY_URL, {"url": url}).scalar()
    if article_id is None:
        return
    conn.execute(
        insert_stmt(conn, "urls"),
        [{"url": link, "article_id": article_id} for link in sorted({u for _, u in links})],
    )
    conn.execute(
        insert_stmt(conn, "feeds"),
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
        q = q.where(when_expr() >= since)
    q = q.order_by(when_expr().desc(), Article.id.desc())
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
    has = select(MentionTable.article_id).distinct()
    return list(
        session.scalars(select(Article.id).where(Article.flagged.is_(True), Article.id.not_in(has)))
    )


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
