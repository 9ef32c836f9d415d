"""Tags of stored articles: replace an article's mentions, tags and flag (one or many at
once), the stale batches a retag reads, unlisted officials, flags.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import (
    bindparam,
    delete,
    func,
    select,
    update,
)
from sqlalchemy.orm import Session
from sqlalchemy.orm.util import identity_key

from extractors.models import Mention
from storage._sql import (
    insert_stmt,
    mention_row,
    when_expr,
    write_conn,
)
from storage.tables import (
    Article,
)
from storage.tables import Mention as MentionTable


@dataclass(frozen=True)
class TagInput:
    id: int
    text: str
    title: str | None
    published_at: datetime | None


def _stale_filter(version: str, since: datetime | None) -> Any:
    cond = (Article.tagger_version.is_(None)) | (Article.tagger_version != version)
    if since is not None:
        cond = cond & (when_expr() >= since)
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
    mentions: Sequence[Mention]


def replace_tags(
    session: Session,
    article_id: int,
    *,
    flagged: bool,
    reasons: Sequence[str],
    tags: dict[str, Any],
    tagger_version: str,
    mentions: Sequence[Mention],
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
    conn = write_conn(session)
    ids = [w.article_id for w in writes]
    for k in range(0, len(ids), 1000):
        conn.execute(delete(MentionTable).where(MentionTable.article_id.in_(ids[k : k + 1000])))
    rows = [mention_row(w.article_id, m) for w in writes for m in w.mentions]
    if rows:
        conn.execute(insert_stmt(conn, "mentions"), rows)
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
