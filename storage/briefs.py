"""An article as lists show it (no text): :class:`ArticleBrief` with its watchlist entities,
the columns a list selects and the row -> brief conversion. Shared by the review queue, the
search, the spikes and the stories (storage.stories).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import (
    Select,
    select,
)

from extractors.models import TextSource
from storage.tables import (
    Article,
    Feed,
)

# how review lists, the web pages and the digest mark a stub (text from the feed, not the page)
STUB_LABELS = {
    TextSource.FEED_CONTENT: "stub: feed content only",
    TextSource.FEED_SUMMARY: "stub: feed summary only",
}

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


def to_brief(row: Any) -> ArticleBrief:
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


def list_select() -> Select[Any]:
    return select(*_LIST_COLUMNS).outerjoin(Feed, Feed.id == Article.feed_id)
