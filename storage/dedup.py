"""Deduplication and story clusters: the dedup policy, its cached Core statements, the
near-duplicate index (MinHash signatures, LSH buckets) and the clusters it builds.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import (
    Connection,
    bindparam,
    delete,
    select,
    update,
)
from sqlalchemy.orm import Session
from sqlalchemy.orm.util import identity_key

from extractors.fingerprint import estimate_jaccard
from extractors.models import ArticleRecord
from storage._sql import (
    ARTICLE_FEEDS,
    ARTICLES,
    BUCKETS,
    CLUSTERS,
    SIGNATURES,
    insert_stmt,
    when_expr,
)
from storage.tables import (
    Article,
    StoryCluster,
    utcnow,
)


@dataclass(frozen=True)
class DedupPolicy:
    near_duplicate_threshold: float = 0.8  # estimated Jaccard for a syndicated copy
    window_days: int = 30  # near-duplicate candidates are looked up in this window
    republication_days: int = 7  # same headline, same outlet, within this many days …
    republication_min_similarity: float = 0.5  # … and text at least this similar


DEFAULT_DEDUP = DedupPolicy()

# the write path's statements, built once (see storage._sql)
_EXACT_BY_SITE = (
    select(ARTICLES.c.id)
    .where(
        ARTICLES.c.content_hash == bindparam("content_hash"),
        ARTICLES.c.site == bindparam("site"),
    )
    .limit(1)
)
_EXACT_BY_FEED = (
    select(ARTICLES.c.id)
    .join(ARTICLE_FEEDS, ARTICLE_FEEDS.c.article_id == ARTICLES.c.id)
    .where(
        ARTICLES.c.content_hash == bindparam("content_hash"),
        ARTICLE_FEEDS.c.feed_id == bindparam("feed_id"),
    )
    .limit(1)
)
_REPUBLICATIONS = (
    select(ARTICLES.c.id, SIGNATURES.c.minhash)
    .join(SIGNATURES, SIGNATURES.c.article_id == ARTICLES.c.id)
    .where(
        ARTICLES.c.site == bindparam("site"),
        ARTICLES.c.title_key == bindparam("title_key"),
        ARTICLES.c.published_at.between(bindparam("lo"), bindparam("hi")),
    )
)
_LSH_CANDIDATES = (
    select(BUCKETS.c.article_id)
    .where(
        BUCKETS.c.bucket.in_(bindparam("keys", expanding=True)),
        BUCKETS.c.created_at >= bindparam("since"),
    )
    .distinct()
)
_CANDIDATE_SIGNATURES = (
    select(SIGNATURES.c.article_id, SIGNATURES.c.minhash, ARTICLES.c.cluster_id)
    .join(ARTICLES, ARTICLES.c.id == SIGNATURES.c.article_id)
    .where(SIGNATURES.c.article_id.in_(bindparam("ids", expanding=True)))
)
_GROW_CLUSTER = (
    update(CLUSTERS)
    .where(CLUSTERS.c.id == bindparam("cluster_id"))
    .values(size=CLUSTERS.c.size + 1, updated_at=bindparam("now"))
)
_SET_ARTICLE_CLUSTER = (
    update(ARTICLES)
    .where(ARTICLES.c.id == bindparam("article_id"))
    .values(cluster_id=bindparam("cluster_id"))
)


def existing_copy(conn: Connection, rec: ArticleRecord, policy: DedupPolicy) -> int | None:
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


def nearest_cluster(
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


def index_signature(
    conn: Connection, article_id: int, signature: bytes, keys: Sequence[int], now: datetime
) -> None:
    """Index an article for near-duplicate lookups: its MinHash signature and its LSH buckets
    (``keys``)."""
    conn.execute(
        insert_stmt(conn, "signature"),
        {"article_id": article_id, "minhash": signature, "created_at": now},
    )
    buckets = sorted(set(keys))
    conn.execute(
        insert_stmt(conn, "buckets"),
        {"buckets": buckets, "article_id": article_id, "created_at": now}
        if conn.dialect.name == "postgresql"
        else [{"bucket": k, "article_id": article_id, "created_at": now} for k in buckets],
    )


def assign_cluster(
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
        index_signature(conn, article_id, rec.signature, keys, now)
    if cluster_id is None:
        cluster_id = conn.execute(
            insert_stmt(conn, "cluster"),
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


def join_clusters(
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
            update(ARTICLES).where(ARTICLES.c.cluster_id == gone).values(cluster_id=keep)
        ).rowcount
        conn.execute(
            update(CLUSTERS)
            .where(CLUSTERS.c.id == keep)
            .values(size=CLUSTERS.c.size + moved, updated_at=now)
        )
        conn.execute(delete(CLUSTERS).where(CLUSTERS.c.id == gone))
    if session.identity_map:
        for cid in (keep, gone):
            obj = session.identity_map.get(identity_key(StoryCluster, cid))
            if obj is not None:
                session.expire(obj)
    return keep


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
        when_expr(),
    ).where(Article.cluster_id.is_not(None))
    if since is not None:
        q = q.where(when_expr() >= since)
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
