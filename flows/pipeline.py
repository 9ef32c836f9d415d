"""One poll cycle as plain Python: fetch feeds → new entries → fetch pages → extract+tag
(process pool) → store in batches → record each feed's outcome.

No Prefect here. ``flows.poll`` wraps the same steps in Prefect tasks (one task per batch of
feeds or articles, never per article); the CLI runs them directly when no Prefect API is set.

A feed's validators (ETag, Last-Modified, body hash) are saved only after its new articles
are stored, so a run killed midway re-reads the feed next time and loses nothing.
"""

from __future__ import annotations

import asyncio
import contextvars
import hashlib
import logging
import os
import socket
import threading
import time
import uuid
from collections.abc import Callable, Coroutine, Iterator, Sequence
from concurrent.futures import Executor, Future, ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any, TypeVar
from urllib.parse import urlsplit

from sqlalchemy import Engine

from config import clock
from config.settings import Settings
from extractors.errors import BorderwatchError, error_kind, is_transient
from extractors.feeds import parse_feed
from extractors.http import Fetcher, FetchPolicy
from extractors.models import FeedEntry, FeedSource, TextSource
from extractors.urls import canonical_url, link_header_canonical
from flows.schedule import next_check
from flows.stubs import StubRetryPolicy
from flows.worker import (
    PageJob,
    PageResult,
    extraction_pool,
    process_page,
    with_feed,
)
from storage import repository as repo
from storage.db import run_transaction, session_scope

log = logging.getLogger("borderwatch.poll")
STORE_CHUNK = 25  # results stored per transaction while the batch goes on
# pages fetched or being fetched but not yet extracted, per extraction process: keeps the poll
# process's memory flat whatever the batch size (each page is ~100-300 KB) while keeping
# enough requests in flight to hide the network behind the workers
PAGES_IN_FLIGHT_PER_WORKER = 16
GAP_FILL_THREADS = 8  # gap fills of one feed batch run side by side
POLL_LANES = 2  # leased shares in flight at once per poll run (see run_lanes)
LANE_STAGGER = 2.0  # seconds between the starts of two lanes
HEARTBEAT_SECONDS = 10.0  # how often a run writes its heartbeat and renews its leases
T = TypeVar("T")


def fetch_policy(settings: Settings) -> FetchPolicy:
    return FetchPolicy(
        user_agent=settings.user_agent,
        connect_timeout=settings.connect_timeout,
        read_timeout=settings.read_timeout,
        total_timeout=settings.total_timeout,
        max_feed_bytes=settings.max_feed_bytes,
        max_article_bytes=settings.max_article_bytes,
        max_redirects=settings.max_redirects,
        per_host_concurrency=settings.per_host_concurrency,
        per_host_delay=settings.per_host_delay,
        global_concurrency=settings.global_concurrency,
        retries=settings.retries,
        allow_private=settings.allow_private_addresses,
    )


@dataclass
class FeedOutcome:
    feed_id: int
    name: str
    language: str | None
    started_at: datetime
    duration_ms: int = 0
    outcome: str = "error"
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

    def record(self, state: repo.FeedState | None) -> repo.FetchRecord:
        failed = self.outcome in ("error", "blocked")
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
        return repo.FetchRecord(
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
            listing=self.listing if self.outcome in ("ok", "empty") else None,
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


class _LoopThread:
    """A private event loop in a thread, so sync callers (Prefect tasks) share one Fetcher
    (and so one set of per-host limits) for the whole run."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self._thread = threading.Thread(
            target=self.loop.run_forever, daemon=True, name="borderwatch-io"
        )
        self._thread.start()

    def run(self, coro: Coroutine[Any, Any, T]) -> T:
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result()

    def close(self) -> None:
        self.loop.call_soon_threadsafe(self.loop.stop)
        self._thread.join(timeout=10)
        self.loop.close()


@dataclass
class _StoreTally:
    """What one store transaction did, applied to the run's summary after it commits."""

    new: int = 0
    flagged: int = 0
    article_errors: int = 0
    out_of_range: int = 0
    new_items: dict[int, int] = field(default_factory=dict)  # feed id -> new stories


class PollRun:
    """State of one poll cycle. Use as a context manager; call the steps in order."""

    def __init__(
        self,
        settings: Settings,
        engine: Engine,
        sources: Sequence[FeedSource],
        *,
        due_only: bool = False,
    ):
        self.settings = settings
        self.engine = engine
        self.due_only = due_only
        self._t0 = time.perf_counter()
        with session_scope(engine) as s:
            self.feed_ids = repo.sync_feeds(s, sources)
            self.states = repo.feed_states(s, self.feed_ids.values())
        self.sources = list(sources)
        self.by_id = {self.feed_ids[src.name]: src for src in self.sources}
        self.feed_hosts = {fid: host_of(src.url) for fid, src in self.by_id.items()}
        # who holds this run's feed leases (several pollers may share one feed list)
        self.owner = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"
        self._handled: set[int] = set()  # feeds leased by this run so far
        self._leased: set[int] = set()  # … and not yet released
        self._host_feeds: dict[str, set[int]] = {}  # leased hosts -> their unreleased feeds
        self._lease_lock = threading.Lock()
        self._store_lock = threading.Lock()
        self.summary = PollSummary()
        self._io = _LoopThread()
        self.fetcher: Fetcher = self._io.run(self._open_fetcher())
        self._pool: Executor | None = None
        self._in_flight: asyncio.Semaphore | None = None
        self.outcomes: dict[int, FeedOutcome] = {}
        self.stub_policy = StubRetryPolicy.from_settings(settings)
        self._keeper = LeaseKeeper(self)  # heartbeat now, then renewals while the run works

    async def _open_fetcher(self) -> Fetcher:
        f = Fetcher(fetch_policy(self.settings))
        await f.__aenter__()
        return f

    def __enter__(self) -> PollRun:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        try:
            self._keeper.stop()
            with session_scope(self.engine) as s:
                if self._leased:  # an error midway: let another worker take them at once
                    repo.release_feeds(s, owner=self.owner, feed_ids=sorted(self._leased))
                if self._host_feeds:
                    repo.release_hosts(
                        s,
                        owner=self.owner,
                        hosts=sorted(self._host_feeds),
                        now=repo.db_now(s),
                        gap=self.settings.per_host_delay,
                    )
                repo.drop_worker(s, self.owner)
            self._leased.clear()
            self._host_feeds.clear()
            self._io.run(self.fetcher.__aexit__(None, None, None))
        finally:
            self._io.close()
            if self._pool is not None:
                self._pool.shutdown(wait=True, cancel_futures=True)

    def _add_time(self, stage: str, seconds: float) -> None:
        self.summary.stage_seconds[stage] = self.summary.stage_seconds.get(stage, 0.0) + seconds

    @property
    def workers(self) -> int:
        """Extraction processes: settings.workers, or one per core."""
        return self.settings.workers or (os.cpu_count() or 1)

    @property
    def pool(self) -> Executor:
        """Extraction workers: one process per core (or settings.workers); 1 = in-process."""
        if self._pool is None:
            self._pool = extraction_pool(str(self.settings.watchlist), self.workers)
        return self._pool

    # ------------------------------------------------------------ step 0: leases

    def lease_next(self, limit: int) -> list[FeedSource]:
        """Lease the next share of the feeds this run has not polled yet (due ones only, with
        due_only): ceil(due / (2 x live workers)) feeds, at most ``limit``, whole hosts at a
        time (repository.lease_share). Each feed, and each host, is leased by one worker at a
        time; the lease keeper renews them while the batch runs."""
        todo = [fid for fid in self.by_id if fid not in self._handled]
        if not todo:
            return []
        with session_scope(self.engine) as s:
            now = repo.db_now(s)
            live = repo.live_workers(s, now)
            due = repo.count_due(s, todo, now=now, due_only=self.due_only)
            first = not self._handled
            share = min(max(1, limit), repo.share_size(due, live, first=first))
            ids, hosts = repo.lease_share(
                s,
                owner=self.owner,
                feed_hosts={fid: self.feed_hosts[fid] for fid in todo},
                now=now,
                lease_seconds=self.settings.lease_seconds,
                share=share,
                due_only=self.due_only,
            )
        with self._lease_lock:
            self._handled.update(ids)
            self._leased.update(ids)
            for fid in ids:
                self._host_feeds.setdefault(self.feed_hosts[fid], set()).add(fid)
            for h in hosts:  # a host leased with no feed left (raced away): give it back
                self._host_feeds.setdefault(h, set())
        self._release_done_hosts([h for h in hosts if not self._host_feeds.get(h)])
        return [self.by_id[i] for i in ids]

    def hold_host(self, host: str) -> None:
        """Keep (renew) a host lease taken outside lease_next (backfills) until release."""
        with self._lease_lock:
            self._host_feeds.setdefault(host, set())

    def release_host(self, host: str) -> None:
        self._release_done_hosts([host])

    def leases(self) -> tuple[list[int], list[str]]:
        """The feeds and hosts this run holds now (for the lease keeper)."""
        with self._lease_lock:
            return sorted(self._leased), sorted(self._host_feeds)

    def _release_done_hosts(self, hosts: Sequence[str]) -> None:
        if not hosts:
            return
        with session_scope(self.engine) as s:
            repo.release_hosts(
                s,
                owner=self.owner,
                hosts=hosts,
                now=repo.db_now(s),
                gap=self.settings.per_host_delay,
            )
        with self._lease_lock:
            for h in hosts:
                self._host_feeds.pop(h, None)

    # ------------------------------------------------------------ step 1: feeds

    def fetch_feeds(self, sources: Sequence[FeedSource]) -> list[FeedOutcome]:
        t = time.perf_counter()
        outs = self._io.run(self._fetch_feeds(sources))
        self._add_time("fetch_feeds", time.perf_counter() - t)
        for o in outs:
            self.outcomes[o.feed_id] = o
        return outs

    async def _fetch_feeds(self, sources: Sequence[FeedSource]) -> list[FeedOutcome]:
        return list(await asyncio.gather(*(self._fetch_feed(s) for s in sources)))

    async def _fetch_feed(self, src: FeedSource) -> FeedOutcome:
        fid = self.feed_ids[src.name]
        state = self.states.get(fid)
        out = FeedOutcome(fid, src.name, src.language, clock.utcnow())
        t = time.perf_counter()
        try:
            res = await self.fetcher.fetch(
                src.url,
                kind="feed",
                etag=state.etag if state else None,
                last_modified=state.last_modified if state else None,
            )
            out.http_status = res.status
            out.etag, out.last_modified = res.etag, res.last_modified
            out.bytes = len(res.content)
            if res.not_modified:
                out.outcome = "not_modified"
                return out
            out.body_hash = hashlib.sha256(res.content).hexdigest()
            if state and state.body_hash == out.body_hash:
                out.outcome = "unchanged"  # same bytes although the server said 200
                return out
            parsed = parse_feed(res.content, url=res.final_url, headers=res.headers)
            out.entries = list(parsed.entries)
            out.skipped = len(parsed.skipped)
            out.outcome = "ok" if parsed.entries else "empty"
        except BorderwatchError as exc:
            out.outcome = "blocked" if exc.kind == "blocked" else "error"
            out.error_kind, out.error = exc.kind, exc.message
            out.http_status = getattr(exc, "status", out.http_status)
            out.retry_after = getattr(exc, "retry_after", None)
        except Exception as exc:  # an unexpected bug in one feed must not sink the run
            log.exception("feed %s: unexpected error", src.name)
            out.outcome, out.error_kind, out.error = "error", error_kind(exc), repr(exc)
        finally:
            out.duration_ms = int((time.perf_counter() - t) * 1000)
        return out

    # ------------------------------------------------------------ step 2: new entries

    def detect_gaps(self, outcomes: Sequence[FeedOutcome]) -> list[FeedOutcome]:
        """Mark and record the fetches that found a gap: every item listed is new to the feed
        (no GUID or link of its previous listing, none of its stored articles) and even the
        oldest one came after the previous successful fetch, so the items published in
        between were probably missed. Runs before the new items are stored."""
        found: list[FeedOutcome] = []
        for o in outcomes:
            state = self.states.get(o.feed_id)
            if o.outcome != "ok" or not o.entries or state is None:
                continue
            if not state.listing or state.listed_at is None:
                continue  # nothing listed before to compare with (first fetch, empty feed)
            keys = listing_keys(o.entries)
            if keys & state.listing:
                continue
            dated = [e.published for e in o.entries if e.published]
            if len(dated) < len(o.entries) or min(dated) <= state.listed_at:
                continue  # undated items, or the window reaches back to the previous fetch
            with session_scope(self.engine) as s:
                if repo.feed_known_urls(s, o.feed_id, keys):
                    continue
                gap_id = repo.record_gap(
                    s, o.feed_id, detected_at=o.started_at, start=state.listed_at, end=min(dated)
                )
            o.gap = Gap(gap_id, state.listed_at, min(dated))
            found.append(o)
            with self._store_lock:  # the run's lanes share its summary
                self.summary.gaps += 1
            log.warning(
                "feed %s: gap: nothing listed overlaps the previous fetch; items published "
                "%s .. %s were probably missed",
                o.name,
                state.listed_at.isoformat(),
                min(dated).isoformat(),
            )
        return found

    def fill_gaps(self, outcomes: Sequence[FeedOutcome]) -> int:
        """Fetch each gap's missing window from the feed's archive (or the site's sitemap)
        through this run's fetcher (the same per-host limits); record the fill. Returns the
        missed items stored."""
        from flows.backfill import fill_gap

        gapped = [o for o in outcomes if o.gap is not None]

        def one(o: FeedOutcome) -> int:
            assert o.gap is not None
            try:
                return fill_gap(self, self.by_id[o.feed_id], o.gap)
            except Exception as exc:  # one feed's fill must not sink the run: record it
                log.exception("feed %s: gap fill failed", o.name)
                with session_scope(self.engine) as s:
                    repo.finish_gap(
                        s,
                        o.gap.gap_id,
                        filled_at=clock.utcnow(),
                        items_found=0,
                        pages=0,
                        source=None,
                        error=f"{error_kind(exc)}: {exc}",
                    )
                return 0

        # the feeds' fills run side by side (they share the fetcher, so the per-host limits
        # hold across them); each one pages through its own feed's archive
        with ThreadPoolExecutor(
            max(1, min(GAP_FILL_THREADS, len(gapped))), thread_name_prefix="borderwatch-gap"
        ) as ex:
            total = sum(ex.map(one, gapped))
        with self._store_lock:  # the run's lanes share its summary
            self.summary.gap_items += total
        return total

    def new_articles(self, outcomes: Sequence[FeedOutcome]) -> list[ArticleTask]:
        """Entries whose URL (any spelling) is not stored yet, one task per canonical URL.
        Fetches that found a gap are marked first (see detect_gaps)."""
        self.detect_gaps(outcomes)
        return self.fresh_tasks(
            [ArticleTask(o.feed_id, o.language, e, "") for o in outcomes for e in o.entries]
        )

    def fresh_tasks(self, candidates: Sequence[ArticleTask]) -> list[ArticleTask]:
        """Merge candidates by canonical URL and drop those already stored (any spelling);
        a stored story that now also comes through another feed is linked to it."""
        by_canonical: dict[str, ArticleTask] = {}
        for t in candidates:
            c = canonical_url(t.entry.link)
            if c in by_canonical:
                if t.feed_id is not None:
                    by_canonical[c].others.append((t.feed_id, t.entry.link))
            else:
                t.canonical = c
                by_canonical[c] = t
        with self._store_lock, session_scope(self.engine) as s:
            self.summary.entries += len(candidates)
            known = repo.known_urls(
                s, [u for t in by_canonical.values() for u in (t.canonical, t.entry.link)]
            )
            fresh = []
            for t in by_canonical.values():
                if t.canonical in known or t.entry.link in known:
                    self.summary.known += 1
                    # the same story may now also come through another feed: link it
                    mine = [(t.feed_id, t.entry.link)] if t.feed_id is not None else []
                    repo.link_known(s, t.canonical, [*mine, *t.others])
                else:
                    fresh.append(t)
        return interleave_hosts(fresh)

    # ------------------------------------------------------------ step 3: articles

    def process_articles(self, tasks: Sequence[ArticleTask]) -> int:
        """Fetch, extract, tag and store one batch. Returns the number of new articles."""
        return self._io.run(self._process_articles(tasks))

    async def _process_articles(self, tasks: Sequence[ArticleTask]) -> int:
        """Fetch pages concurrently, extract in the pool, and store results in small chunks
        while the rest of the batch is still being fetched and extracted (one store at a
        time, in a thread), so storage overlaps the network and the workers."""
        loop = asyncio.get_running_loop()
        pool = self.pool
        pending: list[tuple[ArticleTask, PageResult]] = []
        store_lock = asyncio.Lock()
        flushes: list[asyncio.Task[None]] = []
        new = 0
        if self._in_flight is None:  # one bound for the run, whatever the batches in flight
            self._in_flight = asyncio.Semaphore(max(32, PAGES_IN_FLIGHT_PER_WORKER * self.workers))
        in_flight = self._in_flight

        async def flush() -> None:
            nonlocal pending, new
            async with store_lock:
                if not pending:
                    return
                chunk, pending = pending, []
                t = time.perf_counter()
                new += await loop.run_in_executor(None, self._store, chunk)
                self._add_time("store", time.perf_counter() - t)

        async def one(task: ArticleTask) -> None:
            async with in_flight:
                job = await self._page_job(task)
                t = time.perf_counter()
                fut: Future[PageResult] = pool.submit(process_page, job)
                del job  # the page bytes now live in the pool's queue only
                result = await asyncio.wrap_future(fut)
            self._add_time("extract_wall", time.perf_counter() - t)
            self._add_time("extract", result.extract_s)
            self._add_time("tag", result.tag_s)
            pending.append((task, result))
            if len(pending) >= STORE_CHUNK and not store_lock.locked():
                flushes.append(asyncio.create_task(flush()))

        await asyncio.gather(*(one(t) for t in tasks))
        await asyncio.gather(*flushes)
        await flush()
        return new

    async def _page_job(self, task: ArticleTask) -> PageJob:
        e = task.entry
        t = time.perf_counter()
        content, final_url, charset, err = b"", "", None, None
        err_kind, transient, header_canonical = None, False, None
        retry_after: float | None = None
        try:
            res = await self.fetcher.fetch(e.link, kind="article")
            content, final_url, charset = res.content, res.final_url, res.charset
            header_canonical = link_header_canonical(res.headers.get("link"), res.final_url)
        except BorderwatchError as exc:
            err = f"{exc.kind}: {exc.message}"
            err_kind, transient = exc.kind, is_transient(exc)
            retry_after = getattr(exc, "retry_after", None)
        finally:
            self._add_time("fetch_articles", time.perf_counter() - t)
        return PageJob(
            link=e.link,
            canonical=task.canonical,
            final_url=final_url,
            content=content,
            charset=charset,
            feed_title=e.title,
            feed_summary=e.summary,
            feed_content_html=e.content_html,
            feed_published=e.published,
            feed_author=e.author,
            feed_language=task.language,
            fetch_error=err,
            fetch_error_kind=err_kind,
            fetch_transient=transient,
            fetch_retry_after=retry_after,
            header_canonical=header_canonical,
        )

    def _store(self, results: list[tuple[ArticleTask, PageResult]]) -> int:
        # one store at a time per run: several batches may be in flight at once (backfills
        # run hosts in threads), and the summary counters are shared. The transaction runs
        # again when PostgreSQL aborts it for a deadlock with another worker's store
        # (run_transaction), so it counts into a tally applied only after the commit.
        with self._store_lock:
            tally = run_transaction(self.engine, lambda s: self._store_in(s, results))
            self.summary.article_errors += tally.article_errors
            self.summary.out_of_range += tally.out_of_range
            self.summary.flagged += tally.flagged
            self.summary.new_articles += tally.new
            for fid, n in tally.new_items.items():
                self.outcomes[fid].new_items += n
        return tally.new

    def _store_in(self, s: Any, results: list[tuple[ArticleTask, PageResult]]) -> _StoreTally:
        tally = _StoreTally()
        for task, res in results:
            if res.record is None:
                tally.article_errors += 1
                log.warning("article %s: %s", task.entry.link, res.error)
                continue
            if task.window and not _in_window(res.record.published_at, task.window):
                tally.out_of_range += 1
                continue
            record = res.record if task.feed_id is None else with_feed(res.record, task.feed_id)
            article_id, created = repo.store_article(s, record)
            if created and res.fetch_error_kind and TextSource(record.text_source).is_stub:
                # stored from the feed because the page fetch failed: retry later, or final
                repo.schedule_stub(
                    s,
                    article_id,
                    url=task.entry.link,
                    tries=0,
                    next_retry_at=self.stub_policy.next_retry(
                        clock.utcnow(),
                        tries=0,
                        transient=res.fetch_transient,
                        retry_after=res.fetch_retry_after,
                    ),
                    error_kind=res.fetch_error_kind,
                    error=res.fetch_error,
                )
            if created:
                tally.new += 1
                # every feed that carried the new story gets the credit (feed health)
                for fid in {task.feed_id, *(f for f, _ in task.others)}:
                    if fid in self.outcomes:
                        tally.new_items[fid] = tally.new_items.get(fid, 0) + 1
                tally.flagged += int(res.record.flagged)
            repo.link_known(s, res.record.canonical_url, task.others)
        return tally

    # ------------------------------------------------------------ step 3b: stubs (issue 19)

    def lease_stubs(self, limit: int) -> list[repo.DueStub]:
        """The next stubs whose page re-fetch is due (by the injectable clock), leased to this
        run for lease_seconds."""
        with session_scope(self.engine) as s:
            return repo.lease_due_stubs(
                s, now=clock.utcnow(), lease_seconds=self.settings.lease_seconds, limit=limit
            )

    def retry_stubs(self, stubs: Sequence[repo.DueStub]) -> int:
        """Fetch the stubs' pages again (through the run's Fetcher: the same per-host limits),
        and upgrade each stub whose page now gives text, in place; the others get their next
        try, or become final. Returns the number upgraded."""
        return self._io.run(self._retry_stubs(stubs))

    async def _retry_stubs(self, stubs: Sequence[repo.DueStub]) -> int:
        pool = self.pool
        # as in _process_articles: a bounded number of pages held in memory at once
        in_flight = asyncio.Semaphore(max(32, PAGES_IN_FLIGHT_PER_WORKER * self.workers))

        async def one(stub: repo.DueStub) -> tuple[repo.DueStub, PageResult]:
            async with in_flight:
                return await fetch_extract(stub)

        async def fetch_extract(stub: repo.DueStub) -> tuple[repo.DueStub, PageResult]:
            task = ArticleTask(
                None,
                stub.language,
                FeedEntry(
                    link=stub.url,
                    title=stub.title,
                    author=stub.author,
                    published=stub.published_at,
                ),
                stub.canonical_url,
            )
            job = await self._page_job(task)
            if not job.content:  # failed again: no extraction (the stub keeps its text)
                return stub, PageResult(
                    None,
                    job.fetch_error_kind,
                    job.fetch_error,
                    fetch_error_kind=job.fetch_error_kind,
                    fetch_error=job.fetch_error,
                    fetch_transient=job.fetch_transient,
                    fetch_retry_after=job.fetch_retry_after,
                )
            t = time.perf_counter()
            result = await asyncio.wrap_future(pool.submit(process_page, job))
            self._add_time("extract_wall", time.perf_counter() - t)
            return stub, result

        done = await asyncio.gather(*(one(st) for st in stubs))
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(None, self._store_retries, done)

    def _store_retries(self, done: Sequence[tuple[repo.DueStub, PageResult]]) -> int:
        now = clock.utcnow()
        # counted in locals and applied after the commit: the transaction may run again
        # (run_transaction, a deadlock with another worker)
        merged, upgraded = run_transaction(
            self.engine, lambda s: self._store_retries_in(s, done, now)
        )
        with self._store_lock:
            self.summary.stubs_retried += len(done)
            self.summary.stubs_merged += merged
            self.summary.stubs_upgraded += upgraded
        return upgraded

    def _store_retries_in(
        self, s: Any, done: Sequence[tuple[repo.DueStub, PageResult]], now: datetime
    ) -> tuple[int, int]:
        merged = upgraded = 0
        for stub, res in done:
            tries = stub.tries + 1
            rec = res.record
            if rec is not None and not TextSource(rec.text_source).is_stub:
                twin = repo.article_id_by_url(s, rec.canonical_url)
                if twin is not None and twin != stub.article_id:
                    # the page names another stored article as its canonical: one story,
                    # one row (the twin's, with the better text)
                    repo.upgrade_if_better(s, twin, rec)
                    repo.merge_twin(s, stub.article_id, twin)
                    merged += 1
                else:
                    repo.upgrade_article(s, stub.article_id, rec)
                    urls = {rec.canonical_url, *rec.aliases} - {stub.canonical_url}
                    repo.add_urls(s, stub.article_id, sorted(urls))
                upgraded += 1
                continue
            # failed again; or fetched but no usable page text (final: nothing to wait for)
            transient = res.record is None and res.fetch_transient
            repo.schedule_stub(
                s,
                stub.article_id,
                url=stub.url,
                tries=tries,
                next_retry_at=self.stub_policy.next_retry(
                    now, tries=tries, transient=transient, retry_after=res.fetch_retry_after
                ),
                error_kind=res.fetch_error_kind or res.error_kind or "no_text",
                error=res.fetch_error or res.error,
            )
        return merged, upgraded

    # ------------------------------------------------------------ step 4: feed records

    def record_feeds(self, outcomes: Sequence[FeedOutcome]) -> None:
        """Store the feeds' fetch outcomes (after their articles) and release their leases."""
        ids = [o.feed_id for o in outcomes]
        with session_scope(self.engine) as s:
            repo.record_fetches(s, [o.record(self.states.get(o.feed_id)) for o in outcomes])
            repo.release_feeds(s, owner=self.owner, feed_ids=ids)
        done: list[str] = []
        with self._lease_lock:
            self._leased.difference_update(ids)
            for fid in ids:
                host = self.feed_hosts.get(fid)
                left = self._host_feeds.get(host) if host is not None else None
                if left is not None:
                    left.discard(fid)
                    if not left:
                        done.append(host)  # type: ignore[arg-type]
        self._release_done_hosts(sorted(set(done)))

    def finish(self) -> PollSummary:
        self.summary.feeds = len(self.outcomes)
        for o in self.outcomes.values():
            if o.outcome in ("error", "blocked"):
                self.summary.feeds_failed += 1
                self.summary.failed_feeds.append(
                    {
                        "feed": o.name,
                        "error_kind": o.error_kind,
                        "error": o.error,
                        "http_status": o.http_status,
                    }
                )
            elif o.outcome in ("not_modified", "unchanged"):
                self.summary.feeds_not_modified += 1
            else:
                self.summary.feeds_ok += 1
        self.summary.seconds = round(time.perf_counter() - self._t0, 3)
        return self.summary


def host_of(url: str) -> str:
    """A URL's host as the fetcher's politeness keys it (lower-case host name)."""
    return (urlsplit(url).hostname or "").lower()


class LeaseKeeper:
    """A thread that keeps a run's leases while it works: every ``lease_seconds / 3`` (at most
    every HEARTBEAT_SECONDS) it writes the worker's heartbeat and extends the leases of the
    feeds and hosts it holds to db_now + lease_seconds. A batch that outlasts its lease is so
    renewed, not stolen; a worker that dies stops renewing and loses its leases at expiry."""

    def __init__(self, run: PollRun) -> None:
        self.run = run
        self.every = max(0.2, min(run.settings.lease_seconds / 3, HEARTBEAT_SECONDS))
        self._stop = threading.Event()
        self.renewals = 0
        with session_scope(run.engine) as s:
            self._beat(s)
        self._thread = threading.Thread(
            target=self._loop, daemon=True, name="borderwatch-lease-keeper"
        )
        self._thread.start()

    def _beat(self, s: Any) -> datetime:
        now = repo.db_now(s)
        repo.heartbeat(
            s, worker_id=self.run.owner, host=socket.gethostname(), pid=os.getpid(), now=now
        )
        return now

    def renew(self) -> None:
        feeds, hosts = self.run.leases()
        with session_scope(self.run.engine) as s:
            now = self._beat(s)
            if feeds or hosts:
                repo.renew_leases(
                    s,
                    owner=self.run.owner,
                    feed_ids=feeds,
                    hosts=hosts,
                    now=now,
                    lease_seconds=self.run.settings.lease_seconds,
                )
        self.renewals += 1

    def _loop(self) -> None:
        while not self._stop.wait(self.every):
            try:
                self.renew()
            except Exception:  # a database hiccup: try again next time, the lease still holds
                log.exception("lease renewal failed")

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=30)


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


def _in_window(when: datetime | None, window: tuple[datetime, datetime | None]) -> bool:
    """Undated pages are kept: nothing says they are out of range."""
    if when is None:
        return True
    start, end = window
    return when >= start and (end is None or when < end)


def chunks(items: Sequence[T], size: int) -> Iterator[Sequence[T]]:
    for i in range(0, len(items), max(1, size)):
        yield items[i : i + size]


Stage = Callable[[str, Callable[..., Any]], Callable[..., Any]]


def direct(_name: str, fn: Callable[..., Any]) -> Callable[..., Any]:
    return fn


def run_poll(
    settings: Settings,
    engine: Engine,
    sources: Sequence[FeedSource],
    *,
    stage: Stage = direct,
    due_only: bool = False,
) -> PollSummary:
    """The whole cycle: lease a batch of feeds, fetch them, fetch/extract/tag/store their new
    articles, record the feeds and release them; repeat until no feed is left. Several
    processes (or machines) can run this at once over one database: each feed is polled by
    one of them. ``stage`` wraps each step (flows.poll passes Prefect's task())."""
    lease = stage("lease-feeds", lease_step)
    fetch = stage("fetch-feeds", fetch_feeds_step)
    select_new = stage("select-new-entries", new_articles_step)
    process = stage("fetch-extract-tag-store", process_articles_step)
    fill = stage("fill-gaps", fill_gaps_step)
    record = stage("record-feed-health", record_feeds_step)
    lease_stubs = stage("lease-due-stubs", lease_stubs_step)
    retry = stage("retry-stubs", retry_stubs_step)
    with PollRun(settings, engine, sources, due_only=due_only) as run:

        def lane() -> None:
            while batch := lease(run, settings.feed_batch):
                outcomes = fetch(run, batch)
                tasks = select_new(run, outcomes)
                for chunk in chunks(tasks, settings.batch_size):
                    process(run, chunk)
                if any(o.gap for o in outcomes):
                    fill(run, outcomes)
                record(run, outcomes)

        run_lanes(lane, POLL_LANES, stagger=LANE_STAGGER)
        # stubs whose page re-fetch is due (issue 19): leased, so each is fetched once
        while stubs := lease_stubs(run, settings.batch_size):
            retry(run, stubs)
        return run.finish()


def run_lanes(fn: Callable[[], None], n: int, *, stagger: float = 0.0) -> None:
    """Run ``fn`` in ``n`` threads (each with a copy of the caller's context, so Prefect tasks
    called there belong to the flow run) and re-raise the first error. Lane k starts
    ``k x stagger`` seconds after the first (at once when an earlier lane has already ended).

    Why lanes: a lease is a share (half a fair share, repository.share_size), so a worker alone
    leases 25, 13, 7, … of 50 feeds; one batch after the other, each waiting on its hosts'
    politeness, would take several rounds. Lanes keep several shares in flight at once (the
    fetcher's per-host limits and the run's pages-in-flight bound hold across them). Why the
    stagger: pollers started together (poll-cycle) come up seconds apart; a lone early worker
    with every lane leasing at once would hold all feeds before the others arrive."""
    errors: list[BaseException] = []
    ended = threading.Event()

    def guarded(k: int) -> None:
        try:
            if k and ended.wait(k * stagger):
                return  # an earlier lane found nothing left: so would this one
            fn()
        except BaseException as exc:  # noqa: BLE001 - re-raised in the caller below
            errors.append(exc)
        finally:
            ended.set()

    threads = [
        threading.Thread(
            target=contextvars.copy_context().run,
            args=(guarded, i),
            name=f"borderwatch-lane-{i}",
        )
        for i in range(max(1, n))
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        raise errors[0]


# module-level step functions, so Prefect can wrap them as tasks
def lease_step(run: PollRun, limit: int) -> list[FeedSource]:
    return run.lease_next(limit)


def fetch_feeds_step(run: PollRun, sources: Sequence[FeedSource]) -> list[FeedOutcome]:
    return run.fetch_feeds(sources)


def new_articles_step(run: PollRun, outcomes: Sequence[FeedOutcome]) -> list[ArticleTask]:
    return run.new_articles(outcomes)


def process_articles_step(run: PollRun, tasks: Sequence[ArticleTask]) -> int:
    return run.process_articles(tasks)


def fill_gaps_step(run: PollRun, outcomes: Sequence[FeedOutcome]) -> int:
    return run.fill_gaps(outcomes)


def record_feeds_step(run: PollRun, outcomes: Sequence[FeedOutcome]) -> None:
    run.record_feeds(outcomes)


def lease_stubs_step(run: PollRun, limit: int) -> list[repo.DueStub]:
    return run.lease_stubs(limit)


def retry_stubs_step(run: PollRun, stubs: Sequence[repo.DueStub]) -> int:
    return run.retry_stubs(stubs)


__all__ = ["PollRun", "PollSummary", "run_poll"]


def probe_feeds(settings: Settings, sources: Sequence[FeedSource]) -> list[dict[str, Any]]:
    """Fetch and parse feeds now, unconditionally; store nothing (``borderwatch feeds check``)."""

    async def probe(f: Fetcher, src: FeedSource) -> dict[str, Any]:
        t = time.perf_counter()
        row: dict[str, Any] = {
            "name": src.name,
            "url": src.url,
            "outcome": "ok",
            "http_status": None,
            "entries": 0,
            "skipped": 0,
            "bytes": 0,
            "error": None,
        }
        try:
            res = await f.fetch(src.url, kind="feed")
            row["http_status"], row["bytes"] = res.status, len(res.content)
            parsed = parse_feed(res.content, url=res.final_url, headers=res.headers)
            row["entries"], row["skipped"] = len(parsed.entries), len(parsed.skipped)
            row["outcome"] = "ok" if parsed.entries else "empty"
        except BorderwatchError as exc:
            row["outcome"] = "blocked" if exc.kind == "blocked" else "error"
            row["http_status"] = getattr(exc, "status", row["http_status"])
            row["error"] = f"{exc.kind}: {exc.message}"
        row["duration_ms"] = int((time.perf_counter() - t) * 1000)
        return row

    async def main() -> list[dict[str, Any]]:
        async with Fetcher(fetch_policy(settings)) as f:
            return list(await asyncio.gather(*(probe(f, s) for s in sources)))

    return asyncio.run(main())
