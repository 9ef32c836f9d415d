"""The web page's filtered article list: filters, full-text search (FTS5 on SQLite, a GIN
tsvector on PostgreSQL), paging, export, and the filter menus' options. Date filters and
sorting use ``coalesce(published_at, fetched_at)`` (storage._sql.when_expr).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Select,
    and_,
    func,
    or_,
    select,
    text,
    true,
)
from sqlalchemy.orm import Session

from storage._sql import when_expr
from storage.briefs import ArticleBrief, list_select, to_brief
from storage.tables import (
    Article,
    ArticleFeed,
    Feed,
)
from storage.tables import Mention as MentionTable


@dataclass(frozen=True)
class ArticleFilter:
    """The web page's filters; every field optional."""

    date_from: datetime | None = None  # inclusive
    date_to: datetime | None = None  # exclusive
    state: str | None = None
    group: str | None = None
    official: str | None = None
    outlet: str | None = None  # feed name or site
    language: str | None = None
    status: str | None = None
    q: str | None = None  # full-text search
    flagged_only: bool = True


@dataclass(frozen=True)
class Page:
    rows: list[ArticleBrief]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


@dataclass(frozen=True)
class FilterOptions:
    states: list[str]
    groups: list[str]
    officials: list[str]
    outlets: list[str]
    languages: list[str]


def fts_query(q: str) -> str:
    """User words → a safe FTS5 query: every word must occur (quoted, so no FTS syntax)."""
    words = re.findall(r"\w+", q, flags=re.UNICODE)
    return " ".join(f'"{w}"' for w in words)


def mention_filter(etype: str, eid: str) -> ColumnElement[bool]:
    if etype == "state":
        cond: ColumnElement[bool] = or_(
            and_(MentionTable.entity_type == "state", MentionTable.entity_id == eid),
            and_(MentionTable.entity_type == "place", MentionTable.state_id == eid),
        )
    else:
        cond = and_(MentionTable.entity_type == etype, MentionTable.entity_id == eid)
    return Article.id.in_(select(MentionTable.article_id).where(cond))


def apply_filter(session: Session, q: Select[Any], f: ArticleFilter) -> Select[Any] | None:
    """Add the filter's conditions; None when the filter can match nothing."""
    if f.flagged_only:
        q = q.where(Article.flagged == true())
    if f.date_from is not None:
        q = q.where(when_expr() >= f.date_from)
    if f.date_to is not None:
        q = q.where(when_expr() < f.date_to)
    if f.state:
        q = q.where(mention_filter("state", f.state))
    if f.group:
        q = q.where(mention_filter("group", f.group))
    if f.official:
        q = q.where(mention_filter("official", f.official))
    if f.outlet:
        feed_ids = select(Feed.id).where(Feed.name == f.outlet)
        q = q.where(or_(Article.feed_id.in_(feed_ids), Article.site == f.outlet))
    if f.language:
        q = q.where(Article.language == f.language)
    if f.status:
        q = q.where(Article.review_status == f.status)
    if f.q and f.q.strip():
        if session.get_bind().dialect.name == "sqlite":
            match = fts_query(f.q)
            if not match:
                return None
            q = q.where(
                Article.id.in_(
                    text("SELECT rowid FROM articles_fts WHERE articles_fts MATCH :fts").bindparams(
                        fts=match
                    )
                )
            )
        else:
            # the tsvector table kept by triggers (revision 0010), as FTS5's on SQLite
            q = q.where(
                Article.id.in_(
                    text(
                        "SELECT article_id FROM articles_fts "
                        "WHERE tsv @@ plainto_tsquery('simple', :tsq)"
                    ).bindparams(tsq=f.q.strip())
                )
            )
    return q


def search_articles(
    session: Session, f: ArticleFilter, *, page: int = 1, per_page: int = 50
) -> Page:
    """One page of the filtered articles, newest first, and the total."""
    page, per_page = max(1, page), max(1, min(per_page, 500))
    q = apply_filter(session, list_select(), f)
    if q is None:
        return Page([], 0, page, per_page)
    counted = apply_filter(session, select(func.count()).select_from(Article), f)
    assert counted is not None
    total = int(session.scalar(counted) or 0)
    q = (
        q.order_by(when_expr().desc(), Article.id.desc())
        .limit(per_page)
        .offset((page - 1) * per_page)
    )
    return Page([to_brief(r) for r in session.execute(q)], total, page, per_page)


def export_articles(
    session: Session, f: ArticleFilter, *, limit: int = 100_000, batch: int = 1000
) -> Iterator[ArticleBrief]:
    """The whole filtered view (at most ``limit`` rows), newest first, fetched in batches."""
    q = apply_filter(session, list_select(), f)
    if q is None:
        return
    q = q.order_by(when_expr().desc(), Article.id.desc()).limit(limit)
    for r in session.execute(q.execution_options(yield_per=batch)):
        yield to_brief(r)


def filter_options(session: Session) -> FilterOptions:
    """The values the web page's filter menus offer."""
    ents: dict[str, set[str]] = defaultdict(set)
    rows = session.execute(
        select(MentionTable.entity_type, MentionTable.entity_id)
        .where(MentionTable.entity_type.in_(["state", "group", "official"]))
        .distinct()
    )
    for etype, eid in rows:
        ents[etype].add(eid)
    places = session.scalars(
        select(MentionTable.state_id).where(MentionTable.state_id.is_not(None)).distinct()
    )
    ents["state"].update(p for p in places if p)
    outlets = sorted(session.scalars(select(Feed.name)))
    langs = session.scalars(
        select(Article.language).where(Article.language.is_not(None)).distinct()
    )
    return FilterOptions(
        states=sorted(ents["state"]),
        groups=sorted(ents["group"]),
        officials=sorted(ents["official"]),
        outlets=outlets,
        languages=sorted(x for x in langs if x),
    )


def feeds_of(session: Session, article_ids: Sequence[int]) -> dict[int, list[str]]:
    """Every feed each article came through (syndicated or cross-posted copies)."""
    out: dict[int, list[str]] = defaultdict(list)
    ids = sorted(set(article_ids))
    for i in range(0, len(ids), 500):
        rows = session.execute(
            select(ArticleFeed.article_id, Feed.name)
            .join(Feed, Feed.id == ArticleFeed.feed_id)
            .where(ArticleFeed.article_id.in_(ids[i : i + 500]))
            .order_by(Feed.name)
        )
        for aid, name in rows:
            out[int(aid)].append(str(name))
    return dict(out)
