"""Plain frozen dataclasses passed between the stages. No behaviour beyond small helpers."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any


class TextSource(StrEnum):
    """Where an article's stored text came from, best first: the page itself, the feed's full
    content (content:encoded, Atom content), or only the feed's summary. A row whose text is
    not ``page`` is a *stub*."""

    PAGE = "page"
    FEED_CONTENT = "feed_content"
    FEED_SUMMARY = "feed_summary"

    @property
    def rank(self) -> int:
        """Higher is better: page (2) > feed content (1) > feed summary (0)."""
        return {"page": 2, "feed_content": 1, "feed_summary": 0}[self.value]

    @property
    def is_stub(self) -> bool:
        return self is not TextSource.PAGE

    @classmethod
    def of(cls, value: str | None) -> TextSource:
        """The member for a stored value; rows stored before issue 19 say ``feed``, which is
        read as the weaker of the two feed sources."""
        if value in ("feed", None):
            return cls.FEED_SUMMARY
        return cls(value)


class FetchOutcome(StrEnum):
    """How one feed fetch ended: ``fetches.outcome`` and ``feeds.last_outcome`` (a StrEnum, so
    each member equals the string stored before it existed)."""

    OK = "ok"  # parsed, with entries
    NOT_MODIFIED = "not_modified"  # HTTP 304
    UNCHANGED = "unchanged"  # 200 with the same bytes as the last fetch
    EMPTY = "empty"  # parsed, no usable entries
    BLOCKED = "blocked"  # the address guard refused the URL (BlockedAddress)
    ERROR = "error"  # any other failure

    @property
    def failed(self) -> bool:
        """The fetch failed (error or blocked): counted against the feed, backed off."""
        return self in (FetchOutcome.ERROR, FetchOutcome.BLOCKED)

    @property
    def listed(self) -> bool:
        """The feed was parsed (ok or empty): its listing is what it holds now."""
        return self in (FetchOutcome.OK, FetchOutcome.EMPTY)

    @property
    def same_content(self) -> bool:
        """The server said 304 or sent the same bytes as the last fetch."""
        return self in (FetchOutcome.NOT_MODIFIED, FetchOutcome.UNCHANGED)

    @classmethod
    def parsed(cls, entries: int) -> FetchOutcome:
        """A parsed feed: ``ok`` with entries, ``empty`` without."""
        return cls.OK if entries else cls.EMPTY

    @classmethod
    def of_error(cls, kind: str) -> FetchOutcome:
        """A failed fetch from its error kind (``error_kind(exc)``): ``blocked`` or ``error``."""
        return cls.BLOCKED if kind == "blocked" else cls.ERROR


@dataclass(frozen=True)
class FetchResult:
    """The outcome of one successful HTTP exchange (2xx or 304)."""

    url: str  # what was asked for
    final_url: str  # after redirects
    status: int
    content: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)  # lower-cased names
    etag: str | None = None
    last_modified: str | None = None
    elapsed: float = 0.0  # seconds
    charset: str | None = None  # from the Content-Type header, when given
    attempts: int = 1  # HTTP requests made for the final hop (1 + retries)
    redirects: int = 0  # redirect hops followed
    bytes_read: int = 0  # raw (possibly compressed) bytes read from the network

    @property
    def not_modified(self) -> bool:
        return self.status == 304

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "").split(";")[0].strip().lower()


@dataclass(frozen=True)
class FeedEntry:
    """One usable item of a parsed feed."""

    link: str  # absolute URL as given by the feed (resolved against the feed URL)
    guid: str | None = None
    title: str | None = None
    summary: str | None = None  # plain text of description/summary
    content_html: str | None = None  # content:encoded / atom content, when the feed carries it
    author: str | None = None
    published: datetime | None = None  # timezone-aware UTC


@dataclass(frozen=True)
class ParsedFeed:
    entries: tuple[FeedEntry, ...]
    title: str | None = None
    version: str | None = None  # feedparser's name for the format (rss20, atom10 …)
    bozo: str | None = None  # feedparser's complaint when the XML was not well formed
    skipped: tuple[tuple[str, str], ...] = ()  # (what, reason) for entries without a usable link
    next_url: str | None = None  # rel="next" for archive paging


@dataclass(frozen=True)
class ExtractedArticle:
    """What trafilatura (plus fallbacks) got out of one page."""

    text: str
    title: str | None = None
    author: str | None = None
    published: datetime | None = None
    language: str | None = None
    canonical_url: str | None = None  # rel=canonical / og:url of the page, if any
    sitename: str | None = None
    from_fallback: bool = False  # the text is the caller's fallback (the feed's), not the page's


@dataclass(frozen=True)
class Mention:
    """One mention of a watchlist entity in a text: the tagger's result (``TagResult.mentions``)
    and the record storage keeps, one type (issue 14). ``start``/``end`` are offsets in the
    article text; ``snippet`` the sentence around it; ``state_id`` the state a place or an
    official's office lies in; ``role`` an official's role; ``name`` the entity's canonical name
    (the tagger fills it; storage keeps the entity id and looks the name up)."""

    entity_type: str  # state | place | official | group | term
    entity_id: str
    surface: str
    start: int
    end: int
    snippet: str = ""
    state_id: str | None = None
    role: str | None = None
    name: str = ""


# the storage-side name of the same type (kept for its callers)
MentionRecord = Mention


@dataclass(frozen=True)
class ArticleRecord:
    """One extracted and tagged article, ready to store (storage.articles.store_article)."""

    canonical_url: str
    url: str
    feed_id: int | None
    text: str
    content_hash: str
    title: str | None = None
    author: str | None = None
    published_at: datetime | None = None
    language: str | None = None
    raw_html_gz: bytes | None = None  # the page bytes, gzip-compressed (by the worker)
    text_source: TextSource = TextSource.PAGE
    flagged: bool = False
    reasons: tuple[str, ...] = ()
    tags: dict[str, Any] = field(default_factory=dict)
    tagger_version: str | None = None
    aliases: tuple[str, ...] = ()  # every other URL seen for it
    mentions: tuple[MentionRecord, ...] = ()
    site: str | None = None  # outlet host (see extractors.urls.site_of)
    title_key: str | None = None  # normalized headline
    signature: bytes | None = None  # MinHash of the text (extractors.fingerprint)
