"""Queries of the morning review (issue 7): the review queue, the digest, spikes, the web page's
filtered list, full-text search and export. Functions take a Session first and return plain
dataclasses; the same code runs on SQLite and PostgreSQL.

Time windows: "new since the last review/digest" uses ``fetched_at`` (when an article arrived);
date filters, sorting and spike counts use ``coalesce(published_at, fetched_at)`` (when it
happened, as far as we know).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Integer,
    Select,
    and_,
    bindparam,
    case,
    cast,
    func,
    or_,
    select,
    text,
    true,
    update,
)
from sqlalchemy.orm import Session

from extractors.models import TextSource
from storage.models import (
    Article,
    ArticleFeed,
    Feed,
    Mention,
    StoryCluster,
    UTCDateTime,
    utcnow,
)
from storage.review_models import ReviewEvent, ReviewState

# how review lists, the web pages and the digest mark a stub (text from the feed, not the page)
STUB_LABELS = {
    TextSource.FEED_CONTENT: "stub: feed content only",
    TextSource.FEED_SUMMARY: "stub: feed summary only",
}

STATUSES = ("new", "reviewed", "dismissed", "important")
LAST_REVIEW = "last_review_at"
LAST_DIGEST = "last_digest_at"

# the columns a list needs: never the text or the raw page
_LIST_COLUMNS = (
    Article.id,
    Article.title,
    Article.url,
    Article.canonical_url,
    Article.site,
    Article.published_at,
    Article.fetched_at,
    Article.language,
    Article.flagged,
    Article.reasons,
    Article.tags,
    Article.review_status,
    Article.review_note,
    Article.reviewed_at,
    Article.cluster_id,
    Article.text_source,
    Feed.name,
)


def when_expr() -> ColumnElement[datetime]:
    """The article's date: published, else fetched. Matches the index ix_articles_flagged_when."""
    return func.coalesce(Article.published_at, Article.fetched_at)


# ---------------------------------------------------------------- dataclasses


@dataclass(frozen=True)
class Entity:
    id: str
    name: str
    role: str | None = None


@dataclass(frozen=True)
class ArticleBrief:
    """One article as lists show it (no text)."""

    id: int
    title: str | None
    url: str
    canonical_url: str
    site: str | None
    feed: str | None
    published_at: datetime | None
    fetched_at: datetime
    language: str | None
    flagged: bool
    reasons: list[str]
    states: list[Entity]
    officials: list[Entity]
    groups: list[Entity]
    review_status: str
    review_note: str | None
    reviewed_at: datetime | None
    cluster_id: int | None
    # officials the watchlist does not list, named with a title in the text (id "")
    other_officials: list[Entity] = field(default_factory=list)
    # extractors.models.TextSource: page, feed_content or feed_summary (a stub, issue 19)
    text_source: str = "page"

    @property
    def is_stub(self) -> bool:
        """The text is the feed's, not the page's (the page could not be fetched, or gave
        too little text)."""
        return TextSource.of(self.text_source).is_stub

    @property
    def stub_label(self) -> str:
        """How lists mark a stub ("" for page text)."""
        return STUB_LABELS.get(TextSource.of(self.text_source), "")

    @property
    def when(self) -> datetime:
        return self.published_at or self.fetched_at

    @property
    def outlet(self) -> str:
        return self.feed or self.site or ""


@dataclass(frozen=True)
class MentionSpan:
    entity_type: str
    entity_id: str
    surface: str
    start: int
    end: int
    state_id: str | None = None
    role: str | None = None


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
    mentions: list[MentionSpan]
    cluster: list[ArticleBrief]  # the other articles of its story cluster
    history: list[ReviewEventRow]


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


@dataclass
class EntitySeries:
    """Distinct stories mentioning one entity per day: ``daily[0]`` is the last 24 hours,
    ``daily[i]`` the 24 hours before that, and so on."""

    entity_type: str  # state | group | official
    entity_id: str
    name: str
    daily: list[int]
    evidence: list[ArticleBrief] = field(default_factory=list)  # articles of the last 24 h


@dataclass(frozen=True)
class FilterOptions:
    states: list[str]
    groups: list[str]
    officials: list[str]
    outlets: list[str]
    languages: list[str]


# ---------------------------------------------------------------- rows → dataclasses


def _entities(tags: dict[str, Any] | None, key: str) -> list[Entity]:
    out: list[Entity] = []
    for item in (tags or {}).get(key) or []:
        if isinstance(item, dict) and item.get("id"):
            out.append(
                Entity(str(item["id"]), str(item.get("name") or item["id"]), item.get("role"))
            )
    return out


def _other_officials(tags: dict[str, Any] | None) -> list[Entity]:
    """The unlisted officials of a tagging ("listed": false, no id)."""
    return [
        Entity("", str(item.get("name") or ""), item.get("role"))
        for item in (tags or {}).get("officials") or []
        if isinstance(item, dict) and item.get("listed") is False and item.get("name")
    ]


def _brief(row: Any) -> ArticleBrief:
    tags = row.tags if isinstance(row.tags, dict) else {}
    return ArticleBrief(
        id=row.id,
        title=row.title,
        url=row.url,
        canonical_url=row.canonical_url,
        site=row.site,
        feed=row.name,
        published_at=row.published_at,
        fetched_at=row.fetched_at,
        language=row.language,
        flagged=bool(row.flagged),
        reasons=[str(r) for r in (row.reasons or [])],
        states=_entities(tags, "states"),
        officials=_entities(tags, "officials"),
        groups=_entities(tags, "groups"),
        review_status=row.review_status,
        review_note=row.review_note,
        reviewed_at=row.reviewed_at,
        cluster_id=row.cluster_id,
        other_officials=_other_officials(tags),
        text_source=TextSource.of(getattr(row, "text_source", "page")).value,
    )


def _list_select() -> Select[Any]:
    return select(*_LIST_COLUMNS).outerjoin(Feed, Feed.id == Article.feed_id)


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
    q = _list_select().where(Article.flagged == true())
    if since is not None:
        q = q.where(Article.fetched_at > since)
    if until is not None:
        q = q.where(Article.fetched_at <= until)
    if statuses:
        q = q.where(Article.review_status.in_(list(statuses)))
    if exclude_statuses:
        q = q.where(Article.review_status.not_in(list(exclude_statuses)))
    q = q.order_by(when_expr(), Article.id)
    return [_brief(r) for r in session.execute(q)]


def articles_by_id(session: Session, article_ids: Sequence[int]) -> dict[int, ArticleBrief]:
    out: dict[int, ArticleBrief] = {}
    ids = sorted(set(article_ids))
    for i in range(0, len(ids), 500):
        q = _list_select().where(Article.id.in_(ids[i : i + 500]))
        out.update({b.id: b for b in map(_brief, session.execute(q))})
    return out


def cluster_members(session: Session, cluster_ids: Sequence[int]) -> dict[int, list[ArticleBrief]]:
    """Every article of these story clusters (flagged or not), oldest first."""
    out: dict[int, list[ArticleBrief]] = defaultdict(list)
    ids = sorted(set(cluster_ids))
    for i in range(0, len(ids), 500):
        q = (
            _list_select()
            .where(Article.cluster_id.in_(ids[i : i + 500]))
            .order_by(when_expr(), Article.id)
        )
        for r in session.execute(q):
            out[r.cluster_id].append(_brief(r))
    return dict(out)


def cluster_sizes(session: Session, cluster_ids: Sequence[int]) -> dict[int, int]:
    ids = sorted(set(cluster_ids))
    if not ids:
        return {}
    rows = session.execute(
        select(StoryCluster.id, StoryCluster.size).where(StoryCluster.id.in_(ids))
    )
    return {int(i): int(s) for i, s in rows}


def mentions_for(session: Session, article_ids: Sequence[int]) -> dict[int, list[MentionSpan]]:
    out: dict[int, list[MentionSpan]] = defaultdict(list)
    ids = sorted(set(article_ids))
    for i in range(0, len(ids), 500):
        q = (
            select(Mention)
            .where(Mention.article_id.in_(ids[i : i + 500]))
            .order_by(Mention.article_id, Mention.start, Mention.end.desc())
        )
        for m in session.scalars(q):
            out[m.article_id].append(
                MentionSpan(
                    m.entity_type, m.entity_id, m.surface, m.start, m.end, m.state_id, m.role
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
    row = session.execute(_list_select().where(Article.id == article_id)).first()
    if row is None:
        return None
    brief = _brief(row)
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


# ---------------------------------------------------------------- spikes


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
    is_place = Mention.entity_type == "place"
    inner = (
        select(
            case((is_place, "state"), else_=Mention.entity_type).label("etype"),
            case((is_place, Mention.state_id), else_=Mention.entity_id).label("eid"),
            _day_index(session, now).label("day"),
            case((Article.cluster_id.is_(None), -Article.id), else_=Article.cluster_id).label(
                "story"
            ),
        )
        .join(Article, Article.id == Mention.article_id)
        .where(
            Mention.entity_type.in_(["state", "place", "group", "official"]),
            or_(~is_place, Mention.state_id.is_not(None)),
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
        _list_select()
        .where(
            _mention_filter(series.entity_type, series.entity_id),
            when_expr() > now - timedelta(days=1),
            when_expr() <= now,
        )
        .order_by(when_expr().desc(), Article.id.desc())
        .limit(50)
    )
    ev = [_brief(r) for r in session.execute(q)]
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


# ---------------------------------------------------------------- web list, search, export


def fts_query(q: str) -> str:
    """User words → a safe FTS5 query: every word must occur (quoted, so no FTS syntax)."""
    words = re.findall(r"\w+", q, flags=re.UNICODE)
    return " ".join(f'"{w}"' for w in words)


def _mention_filter(etype: str, eid: str) -> ColumnElement[bool]:
    if etype == "state":
        cond: ColumnElement[bool] = or_(
            and_(Mention.entity_type == "state", Mention.entity_id == eid),
            and_(Mention.entity_type == "place", Mention.state_id == eid),
        )
    else:
        cond = and_(Mention.entity_type == etype, Mention.entity_id == eid)
    return Article.id.in_(select(Mention.article_id).where(cond))


def _apply_filter(session: Session, q: Select[Any], f: ArticleFilter) -> Select[Any] | None:
    """Add the filter's conditions; None when the filter can match nothing."""
    if f.flagged_only:
        q = q.where(Article.flagged == true())
    if f.date_from is not None:
        q = q.where(when_expr() >= f.date_from)
    if f.date_to is not None:
        q = q.where(when_expr() < f.date_to)
    if f.state:
        q = q.where(_mention_filter("state", f.state))
    if f.group:
        q = q.where(_mention_filter("group", f.group))
    if f.official:
        q = q.where(_mention_filter("official", f.official))
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
            # the same expression as the GIN index ix_articles_fts (revision 0002)
            q = q.where(
                text(
                    "to_tsvector('simple', coalesce(articles.title, '') || ' ' || "
                    "coalesce(articles.text, '')) @@ plainto_tsquery('simple', :tsq)"
                ).bindparams(tsq=f.q.strip())
            )
    return q


def search_articles(
    session: Session, f: ArticleFilter, *, page: int = 1, per_page: int = 50
) -> Page:
    """One page of the filtered articles, newest first, and the total."""
    page, per_page = max(1, page), max(1, min(per_page, 500))
    q = _apply_filter(session, _list_select(), f)
    if q is None:
        return Page([], 0, page, per_page)
    counted = _apply_filter(session, select(func.count()).select_from(Article), f)
    assert counted is not None
    total = int(session.scalar(counted) or 0)
    q = (
        q.order_by(when_expr().desc(), Article.id.desc())
        .limit(per_page)
        .offset((page - 1) * per_page)
    )
    return Page([_brief(r) for r in session.execute(q)], total, page, per_page)


def export_articles(
    session: Session, f: ArticleFilter, *, limit: int = 100_000, batch: int = 1000
) -> Iterator[ArticleBrief]:
    """The whole filtered view (at most ``limit`` rows), newest first, fetched in batches."""
    q = _apply_filter(session, _list_select(), f)
    if q is None:
        return
    q = q.order_by(when_expr().desc(), Article.id.desc()).limit(limit)
    for r in session.execute(q.execution_options(yield_per=batch)):
        yield _brief(r)


def filter_options(session: Session) -> FilterOptions:
    """The values the web page's filter menus offer."""
    ents: dict[str, set[str]] = defaultdict(set)
    rows = session.execute(
        select(Mention.entity_type, Mention.entity_id)
        .where(Mention.entity_type.in_(["state", "group", "official"]))
        .distinct()
    )
    for etype, eid in rows:
        ents[etype].add(eid)
    places = session.scalars(
        select(Mention.state_id).where(Mention.state_id.is_not(None)).distinct()
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
