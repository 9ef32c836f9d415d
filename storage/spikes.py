"""Spikes (issue 7): distinct stories mentioning each state, group and official per day, and
the evidence (articles of the last 24 hours) of a series. Counts use
``coalesce(published_at, fetched_at)`` (storage._sql.when_expr).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from sqlalchemy import (
    ColumnElement,
    Integer,
    bindparam,
    case,
    cast,
    func,
    or_,
    select,
)
from sqlalchemy.orm import Session

from storage._sql import story_expr, when_expr
from storage.briefs import ArticleBrief, list_select, to_brief
from storage.search import mention_filter
from storage.tables import (
    Article,
    UTCDateTime,
)
from storage.tables import Mention as MentionTable


@dataclass
class EntitySeries:
    """Distinct stories mentioning one entity per day: ``daily[0]`` is the last 24 hours,
    ``daily[i]`` the 24 hours before that, and so on."""

    entity_type: str  # state | group | official
    entity_id: str
    name: str
    daily: list[int]
    evidence: list[ArticleBrief] = field(default_factory=list)  # articles of the last 24 h


def _day_index(session: Session, now: datetime) -> ColumnElement[int]:
    """Whole days between the article's date and ``now`` (0 = the last 24 hours)."""
    when = when_expr()
    if session.get_bind().dialect.name == "sqlite":
        # UTCDateTime stores naive UTC text on SQLite, which julianday() reads
        naive = now.astimezone(UTC).replace(tzinfo=None).isoformat(sep=" ")
        return cast(func.julianday(naive) - func.julianday(when), Integer)
    at = bindparam("spike_now", now, type_=UTCDateTime())
    return cast(func.floor(func.extract("epoch", at - when) / 86400), Integer)


def entity_series(session: Session, now: datetime, days: int = 14) -> list[EntitySeries]:
    """For every state, group and official mentioned in the last ``days + 1`` days: the number
    of distinct stories (story clusters; an unclustered article is its own story) that mention
    it in each 24-hour window ending at ``now``. A place mention counts for its state.
    Counted in SQL; names and evidence are added by :func:`entity_evidence`."""
    start = now - timedelta(days=days + 1)
    when = when_expr()
    is_place = MentionTable.entity_type == "place"
    inner = (
        select(
            case((is_place, "state"), else_=MentionTable.entity_type).label("etype"),
            case((is_place, MentionTable.state_id), else_=MentionTable.entity_id).label("eid"),
            _day_index(session, now).label("day"),
            story_expr().label("story"),
        )
        .join(Article, Article.id == MentionTable.article_id)
        .where(
            MentionTable.entity_type.in_(["state", "place", "group", "official"]),
            or_(~is_place, MentionTable.state_id.is_not(None)),
            when > start,
            when <= now,
        )
        .subquery()
    )
    q = select(
        inner.c.etype, inner.c.eid, inner.c.day, func.count(func.distinct(inner.c.story))
    ).group_by(inner.c.etype, inner.c.eid, inner.c.day)
    series: dict[tuple[str, str], list[int]] = {}
    for etype, eid, day, n in session.execute(q).tuples():
        if day is None or not 0 <= int(day) <= days:
            continue
        series.setdefault((str(etype), str(eid)), [0] * (days + 1))[int(day)] += int(n)
    return [EntitySeries(t, i, i, counts) for (t, i), counts in series.items()]


def entity_evidence(session: Session, series: EntitySeries, now: datetime) -> EntitySeries:
    """The series with its evidence (articles of the last 24 hours that mention the entity,
    newest first) and its display name from their tags."""
    q = (
        list_select()
        .where(
            mention_filter(series.entity_type, series.entity_id),
            when_expr() > now - timedelta(days=1),
            when_expr() <= now,
        )
        .order_by(when_expr().desc(), Article.id.desc())
        .limit(50)
    )
    ev = [to_brief(r) for r in session.execute(q)]
    name = series.name
    for b in ev:
        ents = {"state": b.states, "group": b.groups, "official": b.officials}.get(
            series.entity_type, []
        )
        found = next((e.name for e in ents if e.id == series.entity_id), None)
        if found:
            name = found
            break
    return EntitySeries(series.entity_type, series.entity_id, name, list(series.daily), ev)
