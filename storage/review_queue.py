"""The morning review (issue 7): markers (last review / digest), the flagged articles that
arrived in a window, their details (text, mentions, cluster, history), review decisions and
counts. Functions take a Session first and return plain dataclasses; the same code runs on
SQLite and PostgreSQL.

"New since the last review/digest" uses ``fetched_at`` (when an article arrived); sorting uses
``coalesce(published_at, fetched_at)`` (storage._sql.when_expr).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    func,
    select,
    true,
    update,
)
from sqlalchemy.orm import Session

from extractors.models import Mention
from storage._sql import when_expr
from storage.briefs import ArticleBrief, list_select, to_brief
from storage.tables import (
    Article,
    ReviewEvent,
    ReviewState,
    StoryCluster,
    utcnow,
)
from storage.tables import Mention as MentionTable

STATUSES = ("new", "reviewed", "dismissed", "important")
LAST_REVIEW = "last_review_at"
LAST_DIGEST = "last_digest_at"


@dataclass(frozen=True)
class ReviewEventRow:
    status: str
    note: str | None
    at: datetime


@dataclass(frozen=True)
class ArticleDetail:
    article: ArticleBrief
    text: str
    author: str | None
    mentions: list[Mention]
    cluster: list[ArticleBrief]  # the other articles of its story cluster
    history: list[ReviewEventRow]


# ---------------------------------------------------------------- markers


def get_marker(session: Session, key: str) -> datetime | None:
    """A stored time (``last_review_at``, ``last_digest_at``), or None."""
    value = session.scalar(select(ReviewState.value).where(ReviewState.key == key))
    if not value:
        return None
    d = datetime.fromisoformat(value)
    return d if d.tzinfo else d.replace(tzinfo=UTC)


def set_marker(session: Session, key: str, when: datetime) -> None:
    value = when.astimezone(UTC).isoformat()
    row = session.get(ReviewState, key)
    if row is None:
        session.add(ReviewState(key=key, value=value, updated_at=utcnow()))
    else:
        row.value, row.updated_at = value, utcnow()
    session.flush()


# ---------------------------------------------------------------- review queue and digest


def flagged_articles(
    session: Session,
    *,
    since: datetime | None = None,
    until: datetime | None = None,
    statuses: Sequence[str] | None = None,
    exclude_statuses: Sequence[str] = (),
) -> list[ArticleBrief]:
    """Flagged articles that arrived (``fetched_at``) in (since, until], oldest first."""
    q = list_select().where(Article.flagged == true())
    if since is not None:
        q = q.where(Article.fetched_at > since)
    if until is not None:
        q = q.where(Article.fetched_at <= until)
    if statuses:
        q = q.where(Article.review_status.in_(list(statuses)))
    if exclude_statuses:
        q = q.where(Article.review_status.not_in(list(exclude_statuses)))
    q = q.order_by(when_expr(), Article.id)
    return [to_brief(r) for r in session.execute(q)]


def articles_by_id(session: Session, article_ids: Sequence[int]) -> dict[int, ArticleBrief]:
    out: dict[int, ArticleBrief] = {}
    ids = sorted(set(article_ids))
    for i in range(0, len(ids), 500):
        q = list_select().where(Article.id.in_(ids[i : i + 500]))
        out.update({b.id: b for b in map(to_brief, session.execute(q))})
    return out


def cluster_members(session: Session, cluster_ids: Sequence[int]) -> dict[int, list[ArticleBrief]]:
    """Every article of these story clusters (flagged or not), oldest first."""
    out: dict[int, list[ArticleBrief]] = defaultdict(list)
    ids = sorted(set(cluster_ids))
    for i in range(0, len(ids), 500):
        q = (
            list_select()
            .where(Article.cluster_id.in_(ids[i : i + 500]))
            .order_by(when_expr(), Article.id)
        )
        for r in session.execute(q):
            out[r.cluster_id].append(to_brief(r))
    return dict(out)


def cluster_sizes(session: Session, cluster_ids: Sequence[int]) -> dict[int, int]:
    ids = sorted(set(cluster_ids))
    if not ids:
        return {}
    rows = session.execute(
        select(StoryCluster.id, StoryCluster.size).where(StoryCluster.id.in_(ids))
    )
    return {int(i): int(s) for i, s in rows}


def mentions_for(session: Session, article_ids: Sequence[int]) -> dict[int, list[Mention]]:
    """Each article's mentions (the tagger's :class:`extractors.models.Mention`, as stored;
    ``name`` is left empty), by offset."""
    out: dict[int, list[Mention]] = defaultdict(list)
    ids = sorted(set(article_ids))
    for i in range(0, len(ids), 500):
        q = (
            select(MentionTable)
            .where(MentionTable.article_id.in_(ids[i : i + 500]))
            .order_by(MentionTable.article_id, MentionTable.start, MentionTable.end.desc())
        )
        for m in session.scalars(q):
            out[m.article_id].append(
                Mention(
                    entity_type=m.entity_type,
                    entity_id=m.entity_id,
                    surface=m.surface,
                    start=m.start,
                    end=m.end,
                    snippet=m.snippet,
                    state_id=m.state_id,
                    role=m.role,
                )
            )
    return dict(out)


def texts_for(session: Session, article_ids: Sequence[int]) -> dict[int, str]:
    out: dict[int, str] = {}
    ids = sorted(set(article_ids))
    for i in range(0, len(ids), 500):
        rows = session.execute(
            select(Article.id, Article.text).where(Article.id.in_(ids[i : i + 500]))
        )
        out.update({int(a): t or "" for a, t in rows})
    return out


def article_detail(session: Session, article_id: int) -> ArticleDetail | None:
    row = session.execute(list_select().where(Article.id == article_id)).first()
    if row is None:
        return None
    brief = to_brief(row)
    body = session.execute(
        select(Article.text, Article.author).where(Article.id == article_id)
    ).one()
    cluster: list[ArticleBrief] = []
    if brief.cluster_id is not None:
        cluster = [
            a
            for a in cluster_members(session, [brief.cluster_id]).get(brief.cluster_id, [])
            if a.id != article_id
        ]
    history = [
        ReviewEventRow(e.status, e.note, e.at)
        for e in session.scalars(
            select(ReviewEvent)
            .where(ReviewEvent.article_id == article_id)
            .order_by(ReviewEvent.at, ReviewEvent.id)
        )
    ]
    return ArticleDetail(
        article=brief,
        text=body.text or "",
        author=body.author,
        mentions=mentions_for(session, [article_id]).get(article_id, []),
        cluster=cluster,
        history=history,
    )


def mark(
    session: Session, article_ids: Sequence[int], status: str | None, note: str | None = None
) -> int:
    """Set the review status (None: keep it) and/or note (None: keep it) of these articles and
    record the decision in the review history. Returns how many articles changed."""
    if status is not None and status not in STATUSES:
        raise ValueError(f"unknown review status {status!r}; one of {', '.join(STATUSES)}")
    ids = sorted(set(article_ids))
    if not ids or (status is None and note is None):
        return 0
    now = utcnow()
    values: dict[str, Any] = {"reviewed_at": now}
    if status is not None:
        values["review_status"] = status
    if note is not None:
        values["review_note"] = note.strip() or None
    result = session.execute(update(Article).where(Article.id.in_(ids)).values(**values))
    current = dict(
        session.execute(select(Article.id, Article.review_status).where(Article.id.in_(ids)))
        .tuples()
        .all()
    )
    session.add_all(
        ReviewEvent(article_id=i, status=current[i], note=values.get("review_note"), at=now)
        for i in ids
        if i in current
    )
    session.flush()
    return int(getattr(result, "rowcount", 0) or 0)


def review_counts(session: Session) -> dict[str, int]:
    rows = session.execute(
        select(Article.review_status, func.count())
        .where(Article.flagged == true())
        .group_by(Article.review_status)
    )
    return {str(s): int(n) for s, n in rows}
