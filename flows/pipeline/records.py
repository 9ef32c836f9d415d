"""The records a poll run passes between its steps: a feed's fetch outcome (and the fetch
record it becomes), a gap, a new article to fetch, the run's summary; and the small pure
helpers over them (listing keys, host of a URL, round-robin by host, date window, chunks).
No I/O here."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any, TypeVar
from urllib.parse import urlsplit

from extractors.models import FeedEntry, FetchOutcome
from extractors.urls import canonical_url
from flows.pipeline.cadence import next_check
from storage import feeds as feeds_db

T = TypeVar("T")


@dataclass
class FeedOutcome:
    feed_id: int
    name: str
    language: str | None
    started_at: datetime
    duration_ms: int = 0
    outcome: FetchOutcome = FetchOutcome.ERROR
    http_status: int | None = None
    error_kind: str | None = None
    error: str | None = None
    bytes: int = 0
    entries: list[FeedEntry] = field(default_factory=list)
    skipped: int = 0
    new_items: int = 0
    etag: str | None = None
    last_modified: str | None = None
    body_hash: str | None = None
    retry_after: float | None = None
    gap: Gap | None = None  # this fetch found a gap (issue 19)

    @property
    def listing(self) -> list[str]:
        """The GUIDs and links (as given and canonical) this fetch listed."""
        return sorted(listing_keys(self.entries))

    @property
    def listing_span(self) -> float | None:
        """Seconds from the oldest to the newest dated item listed."""
        dated = [e.published for e in self.entries if e.published]
        return (max(dated) - min(dated)).total_seconds() if len(dated) > 1 else None

    def record(self, state: feeds_db.FeedState | None) -> feeds_db.FetchRecord:
        failed = self.outcome.failed
        cadence = next_check(
            self.started_at,
            interval=state.interval_seconds if state else 0,
            outcome=self.outcome,
            new_items=self.new_items,
            consecutive_failures=(state.consecutive_failures if state else 0) + int(failed),
            retry_after=self.retry_after,
            gap=self.gap is not None,
            listing_span=self.listing_span,
            last_gap_at=state.last_gap_at if state else None,
        )
        return feeds_db.FetchRecord(
            feed_id=self.feed_id,
            started_at=self.started_at,
            duration_ms=self.duration_ms,
            outcome=self.outcome,
            http_status=self.http_status,
            error_kind=self.error_kind,
            error=self.error,
            bytes=self.bytes,
            entries=len(self.entries),
            new_items=self.new_items,
            etag=self.etag,
            last_modified=self.last_modified,
            body_hash=self.body_hash,
            interval_seconds=cadence.interval_seconds,
            next_check_at=cadence.next_check_at,
            listing=self.listing if self.outcome.listed else None,
            gap=self.gap is not None,
        )


@dataclass(frozen=True)
class Gap:
    """Items of a feed published in [start, end) were probably missed (recorded as gap_id)."""

    gap_id: int
    start: datetime
    end: datetime


def listing_keys(entries: Sequence[FeedEntry]) -> set[str]:
    keys: set[str] = set()
    for e in entries:
        keys.add(e.link)
        keys.add(canonical_url(e.link))
        if e.guid:
            keys.add(e.guid)
    return keys


@dataclass
class PollSummary:
    feeds: int = 0
    feeds_ok: int = 0
    feeds_not_modified: int = 0
    feeds_failed: int = 0
    entries: int = 0
    new_articles: int = 0
    flagged: int = 0
    known: int = 0
    article_errors: int = 0
    stubs_retried: int = 0  # stubs whose page was fetched again (issue 19)
    stubs_upgraded: int = 0  # … and now hold the page's text
    stubs_merged: int = 0  # … of which the page named another stored article: folded into it
    out_of_range: int = 0  # backfills: fetched, but the page's date was outside the range
    gaps: int = 0  # feeds whose fetch found a gap (issue 19)
    gap_items: int = 0  # missed items the gap fills stored
    seconds: float = 0.0
    stage_seconds: dict[str, float] = field(default_factory=dict)
    failed_feeds: list[dict[str, Any]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class ArticleTask:
    """A new entry to fetch; ``others`` are more (feed id, link) pairs for the same article."""

    feed_id: int | None
    language: str | None
    entry: FeedEntry
    canonical: str
    others: list[tuple[int, str]] = field(default_factory=list)
    # backfills: keep the article only if its page's date falls in [start, end)
    window: tuple[datetime, datetime | None] | None = None


def host_of(url: str) -> str:
    """A URL's host as the fetcher's politeness keys it (lower-case host name)."""
    return (urlsplit(url).hostname or "").lower()


def interleave_hosts(tasks: Sequence[ArticleTask]) -> list[ArticleTask]:
    """Order tasks round-robin across hosts. Entries arrive grouped by feed (so by host); a batch
    cut from that order would hit a few hosts, each capped by the per-host politeness limits,
    while the others sit idle. Round-robin keeps every batch spread over as many hosts as
    possible, so the fetches overlap and extraction stays busy."""
    by_host: dict[str, list[ArticleTask]] = {}
    for t in tasks:
        by_host.setdefault(urlsplit(t.entry.link).netloc, []).append(t)
    queues = list(by_host.values())
    out: list[ArticleTask] = []
    for i in range(max((len(q) for q in queues), default=0)):
        out.extend(q[i] for q in queues if i < len(q))
    return out


def in_window(when: datetime | None, window: tuple[datetime, datetime | None]) -> bool:
    """Undated pages are kept: nothing says they are out of range."""
    if when is None:
        return True
    start, end = window
    return when >= start and (end is None or when < end)


def chunks(items: Sequence[T], size: int) -> Iterator[Sequence[T]]:
    for i in range(0, len(items), max(1, size)):
        yield items[i : i + size]
