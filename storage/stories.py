"""Queries of the overview, the story list and the entity pages (issue 17).

A *story* is a story cluster (copies of one story across outlets); an article without a cluster
is a story of its own. Its key is ``c<cluster id>`` or ``a<article id>`` (:class:`StoryKey`).
"Distinct flagged stories" counts stories with at least one flagged article in the window; a
place mention counts for its state, as in the spike rule (storage.spikes.entity_series).
Dates are ``coalesce(published_at, fetched_at)`` (storage._sql.when_expr). Every function
takes a Session first and returns plain dataclasses; the same SQL runs on SQLite and PostgreSQL.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo
from typing import Any, cast

from sqlalchemy import ColumnElement, Select, and_, case, func, or_, select, true
from sqlalchemy.orm import Session

from storage._sql import story_expr, when_expr
from storage.briefs import ArticleBrief, Entity, list_select, to_brief
from storage.review_queue import STATUSES, mark, mentions_for, texts_for
from storage.search import ArticleFilter, apply_filter
from storage.tables import Article, Mention

ENTITY_TYPES = ("state", "group", "official")


# ---------------------------------------------------------------- story keys


@dataclass(frozen=True, order=True)
class StoryKey:
    kind: str  # "c" (story cluster) or "a" (a single article without a cluster)
    id: int

    def __str__(self) -> str:
        return f"{self.kind}{self.id}"

    @classmethod
    def parse(cls, value: str) -> StoryKey | None:
        m = re.fullmatch(r"([ca])(\d{1,18})", value or "")
        return cls(m.group(1), int(m.group(2))) if m else None

    @classmethod
    def of(cls, a: ArticleBrief) -> StoryKey:
        return cls("c", a.cluster_id) if a.cluster_id is not None else cls("a", a.id)


def _key_of(v: int) -> StoryKey:
    return StoryKey("c", v) if v > 0 else StoryKey("a", -v)


# ---------------------------------------------------------------- stories


def _union(lists: Sequence[list[Entity]]) -> list[Entity]:
    seen: dict[str, Entity] = {}
    for items in lists:
        for e in items:
            seen.setdefault(e.id, e)
    return list(seen.values())


@dataclass(frozen=True)
class StoryRow:
    """One story: every copy (flagged or not), oldest first."""

    key: StoryKey
    articles: list[ArticleBrief]

    @property
    def flagged(self) -> list[ArticleBrief]:
        return [a for a in self.articles if a.flagged] or self.articles

    @property
    def lead(self) -> ArticleBrief:
        return self.flagged[0]

    @property
    def headline(self) -> str:
        return self.lead.title or self.lead.url

    @property
    def first_seen(self) -> datetime:
        return min(a.fetched_at for a in self.articles)

    @property
    def stub(self) -> bool:
        """Every copy holds only its feed's text (issue 19)."""
        return all(a.is_stub for a in self.articles)

    @property
    def stub_label(self) -> str:
        return self.lead.stub_label if self.stub else ""

    @property
    def when(self) -> datetime:
        return min(a.when for a in self.articles)

    @property
    def latest(self) -> datetime:
        return max(a.when for a in self.articles)

    @property
    def size(self) -> int:
        return len(self.articles)

    @property
    def outlets(self) -> list[str]:
        return list(dict.fromkeys(a.outlet for a in self.articles if a.outlet))

    @property
    def languages(self) -> list[str]:
        return sorted({a.language for a in self.articles if a.language})

    @property
    def states(self) -> list[Entity]:
        return _union([a.states for a in self.articles])

    @property
    def groups(self) -> list[Entity]:
        return _union([a.groups for a in self.articles])

    @property
    def officials(self) -> list[Entity]:
        return _union([a.officials for a in self.articles])

    @property
    def reasons(self) -> list[str]:
        return list(dict.fromkeys(r for a in self.articles for r in a.reasons))

    @property
    def status(self) -> str:
        """The shared review status of its flagged copies, else 'mixed' (as the CLI)."""
        st = {a.review_status for a in self.flagged}
        return st.pop() if len(st) == 1 else "mixed"


@dataclass(frozen=True)
class StoryPage:
    rows: list[StoryRow]
    total: int  # stories
    articles: int  # articles matching the filter
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def stories_by_key(session: Session, keys: Sequence[StoryKey]) -> dict[StoryKey, StoryRow]:
    """Every copy of these stories."""
    cids = sorted({k.id for k in keys if k.kind == "c"})
    aids = sorted({k.id for k in keys if k.kind == "a"})
    found: dict[StoryKey, list[ArticleBrief]] = defaultdict(list)
    for col, ids in ((Article.cluster_id, cids), (Article.id, aids)):
        for i in range(0, len(ids), 500):
            q = list_select().where(col.in_(ids[i : i + 500])).order_by(when_expr(), Article.id)
            for r in session.execute(q):
                b = to_brief(r)
                found[StoryKey.of(b)].append(b)
    return {k: StoryRow(k, arts) for k, arts in found.items() if k in set(keys)}


def search_stories(
    session: Session, f: ArticleFilter, *, page: int = 1, per_page: int = 50
) -> StoryPage:
    """One page of the stories that have an article matching the filter, newest first (by
    their newest matching article). The matching articles are read newest first through the
    date index until the page's stories are found, so early pages cost a few rows."""
    page, per_page = max(1, page), max(1, min(per_page, 500))
    counted = apply_filter(
        session,
        cast("Select[Any]", select(func.count(func.distinct(story_expr())), func.count())),
        f,
    )
    if counted is None:
        return StoryPage([], 0, 0, page, per_page)
    total, articles = session.execute(counted.select_from(Article)).one()
    q = apply_filter(session, select(story_expr()), f)
    assert q is not None
    q = q.select_from(Article).order_by(when_expr().desc(), Article.id.desc())
    wanted = page * per_page
    seen: dict[int, None] = {}
    for (story,) in session.execute(q.execution_options(yield_per=1000)):
        seen.setdefault(int(story), None)
        if len(seen) >= wanted:
            break
    keys = [_key_of(v) for v in list(seen)[(page - 1) * per_page :]]
    rows = stories_by_key(session, keys)
    return StoryPage(
        [rows[k] for k in keys if k in rows], int(total or 0), int(articles or 0), page, per_page
    )


@dataclass(frozen=True)
class StoryDetail:
    story: StoryRow
    texts: dict[int, str]
    mentions: dict[int, list[Any]]


def story_detail(session: Session, key: StoryKey) -> StoryDetail | None:
    row = stories_by_key(session, [key]).get(key)
    if row is None:
        return None
    ids = [a.id for a in row.articles]
    return StoryDetail(row, texts_for(session, ids), mentions_for(session, ids))


def mark_story(session: Session, key: StoryKey, status: str | None, note: str | None) -> int:
    """Set the review status / note of every copy of the story (as ``borderwatch review``)."""
    if status is not None and status not in STATUSES:
        raise ValueError(f"unknown review status {status!r}; one of {', '.join(STATUSES)}")
    row = stories_by_key(session, [key]).get(key)
    if row is None:
        return 0
    return mark(session, [a.id for a in row.articles], status, note)


# ---------------------------------------------------------------- attention


def _entity_cols() -> tuple[ColumnElement[str], ColumnElement[str]]:
    is_place = Mention.entity_type == "place"
    etype = case((is_place, "state"), else_=Mention.entity_type)
    eid = case((is_place, Mention.state_id), else_=Mention.entity_id)
    return etype, eid


def _entity_cond(etype: str, eid: str | None = None) -> ColumnElement[bool]:
    """Mentions of this entity type (and id): a place mention counts for its state."""
    if etype == "state":
        if eid is None:
            return or_(
                Mention.entity_type == "state",
                and_(Mention.entity_type == "place", Mention.state_id.is_not(None)),
            )
        return or_(
            and_(Mention.entity_type == "state", Mention.entity_id == eid),
            and_(Mention.entity_type == "place", Mention.state_id == eid),
        )
    if eid is None:
        return Mention.entity_type == etype
    return and_(Mention.entity_type == etype, Mention.entity_id == eid)


def _window(start: datetime | None, end: datetime | None) -> list[ColumnElement[bool]]:
    when = when_expr()
    out: list[ColumnElement[bool]] = [Article.flagged == true()]
    if start is not None:
        out.append(when >= start)
    if end is not None:
        out.append(when < end)
    return out


def entity_counts(
    session: Session, etype: str, start: datetime | None, end: datetime | None
) -> dict[str, int]:
    """Distinct flagged stories per entity of this type with a date in [start, end)."""
    _, eid = _entity_cols()
    q = (
        select(eid, func.count(func.distinct(story_expr())))
        .select_from(Mention)
        .join(Article, Article.id == Mention.article_id)
        .where(_entity_cond(etype), *_window(start, end))
        .group_by(eid)
    )
    return {str(k): int(n) for k, n in session.execute(q) if k is not None}


def entity_counts_two_windows(
    session: Session, etypes: Sequence[str], start: datetime, split: datetime, end: datetime
) -> dict[str, tuple[dict[str, int], dict[str, int]]]:
    """For each entity type: (distinct flagged stories per entity in [split, end), the same in
    [start, split)), in one pass (the overview's "change against the previous window")."""
    etype_col, eid = _entity_cols()
    current = case((when_expr() >= split, 1), else_=0)
    q = (
        select(etype_col, eid, current, func.count(func.distinct(story_expr())))
        .select_from(Mention)
        .join(Article, Article.id == Mention.article_id)
        .where(or_(*(_entity_cond(t) for t in etypes)), *_window(start, end))
        .group_by(etype_col, eid, current)
    )
    out: dict[str, tuple[dict[str, int], dict[str, int]]] = {t: ({}, {}) for t in etypes}
    for t, i, cur, n in session.execute(q):
        if i is None or t not in out:
            continue
        out[str(t)][0 if cur else 1][str(i)] = int(n)
    return out


def story_count(session: Session, start: datetime | None, end: datetime | None) -> int:
    """Distinct flagged stories with a date in [start, end)."""
    q = select(func.count(func.distinct(story_expr()))).where(*_window(start, end))
    return int(session.scalar(q) or 0)


def new_stories_since(session: Session, since: datetime, end: datetime) -> int:
    """Distinct flagged stories that arrived (fetched_at) in (since, end]."""
    q = select(func.count(func.distinct(story_expr()))).where(
        Article.flagged == true(), Article.fetched_at > since, Article.fetched_at <= end
    )
    return int(session.scalar(q) or 0)


def daily_counts(
    session: Session,
    etype: str | None,
    eid: str | None,
    *,
    first: date,
    last: date,
    tz: tzinfo,
) -> list[tuple[date, int]]:
    """Distinct flagged stories per local calendar day (``tz``) from ``first`` to ``last``
    inclusive, for one entity (or all flagged stories when ``etype`` is None)."""
    start = datetime(first.year, first.month, first.day, tzinfo=tz)
    end = datetime(last.year, last.month, last.day, tzinfo=tz) + timedelta(days=1)
    q = select(story_expr(), when_expr()).where(*_window(start, end))
    if etype is not None:
        q = q.where(Article.id.in_(select(Mention.article_id).where(_entity_cond(etype, eid))))
    per_day: dict[date, set[int]] = defaultdict(set)
    for story, when in session.execute(q):
        per_day[when.astimezone(tz).date()].add(int(story))
    days = (last - first).days + 1
    out = []
    for i in range(days):
        d = first + timedelta(days=i)
        out.append((d, len(per_day.get(d, ()))))
    return out


def co_mentions(
    session: Session,
    etype: str,
    eid: str,
    start: datetime | None,
    end: datetime | None,
    limit: int = 12,
) -> dict[str, list[tuple[str, int]]]:
    """The other states, groups and officials mentioned in the flagged articles that mention
    this entity, with the number of distinct stories they share; most first."""
    articles = select(Mention.article_id).where(_entity_cond(etype, eid))
    otype, oid = _entity_cols()
    q = (
        select(otype, oid, func.count(func.distinct(story_expr())))
        .select_from(Mention)
        .join(Article, Article.id == Mention.article_id)
        .where(
            _entity_cond("state") | Mention.entity_type.in_(["group", "official"]),
            *_window(start, end),
            Article.id.in_(articles),
        )
        .group_by(otype, oid)
    )
    out: dict[str, list[tuple[str, int]]] = {t: [] for t in ENTITY_TYPES}
    for t, i, n in session.execute(q):
        if i is None or (t == etype and i == eid) or t not in out:
            continue
        out[str(t)].append((str(i), int(n)))
    for t in out:
        out[t] = sorted(out[t], key=lambda x: (-x[1], x[0]))[:limit]
    return out


def has_mentions(session: Session, etype: str, eid: str) -> bool:
    """Whether any stored article mentions this entity (a place counts for its state)."""
    q = select(Mention.id).where(_entity_cond(etype, eid)).limit(1)
    return session.scalar(q) is not None


def latest_stories(session: Session, etype: str, eid: str, *, limit: int = 15) -> list[StoryRow]:
    """The newest flagged stories that mention this entity."""
    f = ArticleFilter(**{etype: eid})  # type: ignore[arg-type]
    return search_stories(session, f, page=1, per_page=limit).rows
