"""Shared private helpers of storage/: the dialect's INSERT, the Core tables and the cached
INSERT … ON CONFLICT statements of the write path, the session's write connection, a mention's
row, the article's date and story expressions. Only storage modules import this.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    ColumnElement,
    Connection,
    Integer,
    Table,
    bindparam,
    case,
    func,
    select,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from extractors.models import Mention
from storage.tables import (
    Article,
    ArticleFeed,
    ArticleSignature,
    ArticleUrl,
    Base,
    LshBucket,
    StoryCluster,
    StubRetry,
)
from storage.tables import Mention as MentionTable


def insert_for(session: Session, table: type[Base]) -> Any:
    """The dialect's INSERT (for its ON CONFLICT clauses) of an ORM table."""
    if session.get_bind().dialect.name == "postgresql":
        return postgresql.insert(table)
    return sqlite.insert(table)


def when_expr() -> ColumnElement[datetime]:
    """The article's date: published, else fetched. Matches the index ix_articles_flagged_when."""
    return func.coalesce(Article.published_at, Article.fetched_at)


def story_expr() -> ColumnElement[int]:
    """One integer per story: the cluster id, or minus the article id without a cluster."""
    return case((Article.cluster_id.is_(None), -Article.id), else_=Article.cluster_id)


# The per-article write path (store_article, link_known) runs Core statements on the session's
# connection against the tables, not the ORM entities: each statement is built once per dialect
# with bind parameters (so SQLAlchemy's compiled cache is hit every time) and rows go in as
# executemany. The ORM's bulk-insert machinery and a fresh compile per multi-row VALUES shape
# cost several times the database's own work here.


def table_of(model: type[Base]) -> Table:
    table = model.__table__
    assert isinstance(table, Table)
    return table


ARTICLES = table_of(Article)
ARTICLE_FEEDS = table_of(ArticleFeed)
ARTICLE_URLS = table_of(ArticleUrl)
SIGNATURES = table_of(ArticleSignature)
BUCKETS = table_of(LshBucket)
CLUSTERS = table_of(StoryCluster)
MENTIONS = table_of(MentionTable)
STUB_RETRIES = table_of(StubRetry)

# INSERT … ON CONFLICT statements, per dialect; the rows come as parameters (executemany)
_INSERTS: dict[tuple[str, str], Any] = {}


def _build_insert(dialect: str, name: str) -> Any:
    dml = postgresql.insert if dialect == "postgresql" else sqlite.insert
    if name == "article":
        return (
            dml(ARTICLES)
            .on_conflict_do_nothing(index_elements=["canonical_url"])
            .returning(ARTICLES.c.id)
        )
    if name == "cluster":
        return dml(CLUSTERS).returning(CLUSTERS.c.id)
    if name == "buckets" and dialect == "postgresql":
        # one statement for the ~20 rows: INSERT … SELECT unnest(:buckets), :article_id, …
        # (psycopg's executemany costs a round of Python work per row)
        rows = select(
            func.unnest(bindparam("buckets", type_=postgresql.ARRAY(BigInteger))),
            bindparam("article_id", type_=Integer),
            bindparam("created_at", type_=BUCKETS.c.created_at.type),
        )
        return (
            dml(BUCKETS)
            .from_select(["bucket", "article_id", "created_at"], rows)
            .on_conflict_do_nothing()
        )
    table = {
        "signature": SIGNATURES,
        "buckets": BUCKETS,
        "mentions": MENTIONS,
        "urls": ARTICLE_URLS,
        "feeds": ARTICLE_FEEDS,
    }[name]
    return dml(table).on_conflict_do_nothing()


def insert_stmt(conn: Connection, name: str) -> Any:
    key = (conn.dialect.name, name)
    stmt = _INSERTS.get(key)
    if stmt is None:
        stmt = _INSERTS[key] = _build_insert(conn.dialect.name, name)
    return stmt


def write_conn(session: Session) -> Connection:
    """The session's connection, after the autoflush an ORM statement would have done."""
    if session.autoflush:
        session.flush()
    return session.connection()


def mention_row(article_id: int, m: Mention) -> dict[str, Any]:
    """A mention's row of the mentions table (the surface cut to its column's 500 chars)."""
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
