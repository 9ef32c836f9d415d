"""Ad-hoc backfills of a date range: feed archives, sitemaps or a file of URLs.

The same stages as polling (politeness, extraction, tagging, dedup) through ``PollRun``.
Progress is checkpointed per source in the database after every page, so a backfill killed
midway and started again with the same parameters continues where it stopped; stored URLs are
skipped, so it ends with the same rows as an uninterrupted run. ``--reextract`` re-runs
extraction and tagging on the stored raw HTML with no network at all (``reextract.py``).

Dates: an article whose date is known beforehand (feed entry, sitemap news date) is not fetched
when it is outside the range; otherwise the page's own date decides after fetching (undated
pages are kept).
"""

from __future__ import annotations

import contextvars
import hashlib
import json
import logging
import math
import os
import socket
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import Engine

from config.errors import BorderwatchError
from config.settings import Settings
from config.sources import FeedSource
from extractors.errors import HTTPClientError, error_kind
from extractors.feeds import parse_feed
from extractors.models import FeedEntry
from extractors.sitemaps import (
    archive_page_url,
    guess_paging_style,
    parse_sitemap,
    robots_sitemaps,
)
from extractors.urls import canonical_url
from flows.pipeline.poll import direct
from flows.pipeline.records import ArticleTask, chunks, host_of
from flows.pipeline.run import PollRun
from storage import backfill as backfill_db
from storage import feeds as feeds_db
from storage import leases as leases_db
from storage.db import session_scope

log = logging.getLogger("borderwatch.backfill")
SOURCES = ("feed-archive", "sitemap", "urls")
MAX_PAGES = 500  # per feed archive: a guard against archives that never end
MAX_HOST_THREADS = 32  # hosts backfilled at once by one worker


@dataclass(frozen=True)
class BackfillRequest:
    since: date
    until: date | None = None  # exclusive end; None = up to now
    feeds: tuple[str, ...] = ()  # feed names; empty = all configured feeds
    source: str = "feed-archive"
    urls_file: str | None = None
    reextract: bool = False
    # a gap fill (issue 19): the gap's id (one job per gap) and its exact start; the archive
    # stops at the first page that reaches items the feed carried before the gap
    gap_id: int | None = None
    after: datetime | None = None

    @property
    def window(self) -> tuple[datetime, datetime | None]:
        if self.after is not None:
            return self.after, None
        start = datetime(self.since.year, self.since.month, self.since.day, tzinfo=UTC)
        end = None
        if self.until is not None:
            end = datetime(self.until.year, self.until.month, self.until.day, tzinfo=UTC)
            end += timedelta(days=1)  # --until is inclusive
        return start, end

    def key(self) -> str:
        """Identical requests share a key, so a second run resumes or finds it done."""
        params = asdict(self)
        if self.urls_file:
            params["urls_sha"] = hashlib.sha256(Path(self.urls_file).read_bytes()).hexdigest()
        return hashlib.sha256(json.dumps(params, default=str, sort_keys=True).encode()).hexdigest()


@dataclass
class BackfillSummary:
    job_key: str = ""
    sources: int = 0
    pages: int = 0
    candidates: int = 0
    skipped_out_of_range: int = 0  # known to be out of range before fetching
    fetched: int = 0
    new_articles: int = 0
    flagged: int = 0
    known: int = 0
    out_of_range_after_fetch: int = 0
    article_errors: int = 0
    source_errors: list[str] = field(default_factory=list)
    reextracted: int = 0

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


Progress = Callable[[BackfillSummary], None]


@dataclass(frozen=True)
class Page:
    """One unit of discovered work: candidate entries plus where to continue."""

    entries: list[tuple[FeedEntry, int | None, str | None]]  # entry, feed id, language
    next_state: backfill_db.CursorState


def _when_known(entry: FeedEntry, window: tuple[datetime, datetime | None]) -> bool | None:
    """True/False when the entry's date says in/out of range; None when undated."""
    if entry.published is None:
        return None
    start, end = window
    return entry.published >= start and (end is None or entry.published < end)


class Backfill:
    def __init__(
        self,
        settings: Settings,
        engine: Engine,
        run: PollRun,
        req: BackfillRequest,
        progress: Progress | None = None,
    ) -> None:
        self.settings, self.engine, self.run, self.req = settings, engine, run, req
        self.summary = BackfillSummary(job_key=req.key())
        self.progress = progress
        # gap fills: links not to count as "known before the gap" (the current listing, just
        # stored by the poll, and the fill's own earlier pages), and whether the archive
        # reached known items or passed the window's start
        self.exclude: set[str] = set()
        self.covered = False
        self._lock = threading.Lock()
        with session_scope(engine) as s:
            self.job_id = backfill_db.backfill_job(
                s,
                self.summary.job_key,
                {k: (str(v) if isinstance(v, date) else v) for k, v in asdict(req).items()},
            )

    # ------------------------------------------------------------ sources → pages

    def units(self, sources: Sequence[FeedSource]) -> list[tuple[str, Callable[..., Page]]]:
        if self.req.source == "feed-archive":
            return [(f"feed:{s.url}", self._archive_page(s)) for s in sources]
        if self.req.source == "sitemap":
            sites = sorted(
                {f"{urlsplit(s.url).scheme}://{urlsplit(s.url).netloc}/" for s in sources}
            )
            return [(f"sitemap:{site}", self._sitemap_page(site, sources)) for site in sites]
        if self.req.source == "urls":
            assert self.req.urls_file, "--source urls needs a file"
            return [(f"urls:{self.req.urls_file}", self._urls_page(Path(self.req.urls_file)))]
        raise ValueError(f"unknown source {self.req.source!r}; one of {SOURCES}")

    def _fetch(self, url: str, kind: str) -> Any:
        return self.run._io.run(self.run.fetcher.fetch(url, kind=kind))

    def _archive_page(self, src: FeedSource) -> Callable[[backfill_db.CursorState], Page]:
        fid = self.run.feed_ids[src.name]
        style = guess_paging_style(src.url)
        seen_last: set[str] = set()

        def page(state: backfill_db.CursorState) -> Page:
            n = state.position + 1
            url = state.next_url or archive_page_url(src.url, style, n)
            done = backfill_db.CursorState(n, None, True)
            try:
                res = self._fetch(url, "feed")
            except HTTPClientError as exc:
                if exc.status in (404, 410) and n > 1:
                    return Page([], done)  # past the end of the archive
                raise
            parsed = parse_feed(res.content, url=res.final_url, headers=res.headers)
            links = {e.link for e in parsed.entries}
            if not parsed.entries or links <= seen_last:
                return Page([], done)  # empty, or the server ignores the paging parameter
            seen_last.clear()
            seen_last.update(links)
            start, _ = self.req.window
            dated = [e.published for e in parsed.entries if e.published]
            older = bool(dated) and max(dated) < start  # archives run newest first
            entries: list[tuple[FeedEntry, int | None, str | None]] = [
                (e, fid, src.language) for e in parsed.entries
            ]
            if self.req.gap_id is not None:
                reached = self._reached_known(fid, parsed.entries)
                self.covered = self.covered or reached or older
                if reached:
                    return Page(entries, done)
            if older or n >= MAX_PAGES:
                return Page(entries, done)
            return Page(entries, backfill_db.CursorState(n, parsed.next_url, False))

        return page

    def _reached_known(self, feed_id: int, entries: Sequence[FeedEntry]) -> bool:
        """Does this archive page list an item the feed carried before the gap?"""
        keys = {k for e in entries for k in (e.link, canonical_url(e.link))} - self.exclude
        with session_scope(self.engine) as s:
            known = feeds_db.feed_known_urls(s, feed_id, keys)
        self.exclude.update(k for e in entries for k in (e.link, canonical_url(e.link)))
        return bool(known)

    def _sitemap_docs(self, site: str) -> Iterator[str]:
        """Every <urlset> document of a site, in a stable order (index children by lastmod)."""
        try:
            robots = self._fetch(site + "robots.txt", "other").content
            roots = robots_sitemaps(robots, site + "robots.txt")
        except BorderwatchError:
            roots = []
        queue = list(roots or [site + "sitemap.xml"])
        start, _ = self.req.window
        seen: set[str] = set()
        while queue:
            url = queue.pop(0)
            if url in seen:
                continue
            seen.add(url)
            res = self._fetch(url, "other")
            sm = parse_sitemap(res.content, url=res.final_url)
            if sm.children:
                # a child whose lastmod is before the range holds nothing newer
                queue.extend(c.url for c in sm.children if c.lastmod is None or c.lastmod >= start)
            else:
                yield url

    def _sitemap_page(
        self, site: str, sources: Sequence[FeedSource]
    ) -> Callable[[backfill_db.CursorState], Page]:
        host_feed = {urlsplit(s.url).netloc: s for s in sources}
        docs: list[str] | None = None

        def page(state: backfill_db.CursorState) -> Page:
            nonlocal docs
            if docs is None:
                docs = list(self._sitemap_docs(site))
            if state.position >= len(docs):
                return Page([], backfill_db.CursorState(state.position, None, True))
            res = self._fetch(docs[state.position], "other")
            sm = parse_sitemap(res.content, url=res.final_url)
            start, _ = self.req.window
            out: list[tuple[FeedEntry, int | None, str | None]] = []
            for u in sm.urls:
                if u.published is None and u.lastmod is not None and u.lastmod < start:
                    self.add(skipped_out_of_range=1)
                    continue
                src = host_feed.get(urlsplit(u.url).netloc)
                out.append(
                    (
                        FeedEntry(link=u.url, published=u.published),
                        self.run.feed_ids[src.name] if src else None,
                        src.language if src else None,
                    )
                )
            nxt = state.position + 1
            return Page(out, backfill_db.CursorState(nxt, None, nxt >= len(docs)))

        return page

    def _urls_page(self, path: Path) -> Callable[[backfill_db.CursorState], Page]:
        lines = [ln.strip() for ln in path.read_text(encoding="utf-8").splitlines()]
        urls = [ln for ln in lines if ln and not ln.startswith("#")]
        size = max(1, self.settings.batch_size)

        def page(state: backfill_db.CursorState) -> Page:
            chunk = urls[state.position : state.position + size]
            nxt = state.position + len(chunk)
            return Page(
                [(FeedEntry(link=u), None, None) for u in chunk],
                backfill_db.CursorState(nxt, None, nxt >= len(urls)),
            )

        return page

    # ------------------------------------------------------------ pages → articles

    def process_page(self, page: Page) -> None:
        """Fetch/extract/tag/store the page's new, in-range articles. Several hosts' pages are
        processed at once (threads); the counters of the run are totals of this backfill."""
        window = self.req.window
        tasks: list[ArticleTask] = []
        skipped = 0
        for entry, fid, lang in page.entries:
            known = _when_known(entry, window)
            if known is False:
                skipped += 1
                continue
            tasks.append(ArticleTask(fid, lang, entry, "", window=window))
        self.add(skipped_out_of_range=skipped, candidates=len(tasks))
        fresh = self.run.fresh_tasks(tasks)
        new = 0
        for batch in chunks(fresh, self.settings.batch_size):
            new += self.run.process_articles(batch)
        # new articles are counted from this page's own stores: a gap fill shares its poll
        # run (and its summary) with the poll and with the gap fills of other feeds
        self.add(fetched=len(fresh), new_articles=new)

    def add(self, **counts: int) -> None:
        """Add to the summary's own counters and refresh those the run keeps (thread-safe)."""
        with self._lock:
            for k, v in counts.items():
                setattr(self.summary, k, getattr(self.summary, k) + v)
            s = self.run.summary
            self.summary.known = s.known
            self.summary.flagged = s.flagged
            self.summary.out_of_range_after_fetch = s.out_of_range
            self.summary.article_errors = s.article_errors

    def run_unit(
        self,
        source: str,
        next_page: Callable[[backfill_db.CursorState], Page],
        stage: Callable[[str, Callable[..., Any]], Callable[..., Any]],
        keep_going: Callable[[], bool] = lambda: True,
    ) -> bool:
        """Run one unit page by page from its checkpoint. Returns False when it stopped early
        because ``keep_going`` said so (the cursor holds the place: another worker goes on)."""
        with session_scope(self.engine) as s:
            state = backfill_db.backfill_cursor(s, self.job_id, source)
        step = stage("backfill-page", _page_step)
        while not state.done:
            try:
                state = step(self, source, next_page, state)
            except BorderwatchError as exc:
                msg = f"{source}: {exc.kind}: {exc}"
                log.warning("backfill source failed: %s", msg)
                with self._lock:
                    self.summary.source_errors.append(msg)
                return True  # the cursor stays where it was: a re-run retries from here
            if self.progress:
                with self._lock:
                    self.progress(self.summary)
            if not state.done and not keep_going():
                return False
        return True

    def run_units(
        self,
        units: Sequence[tuple[str, Callable[..., Page]]],
        stage: Callable[[str, Callable[..., Any]], Callable[..., Any]],
    ) -> None:
        """Run the units of all hosts at once, each host's units one after the other in a
        thread, so every host is fetched at its polite rate (the fetcher's per-host limits) and
        extraction gets pages from all of them.

        Several backfill workers (processes, machines; see
        flows.orchestration.pipeline_flows.backfill_cycle) started on the same request share
        the hosts: a host is leased (host_leases) while its units run, so one host is fetched
        by one worker at a time; done units (checkpointed cursors) are skipped. A worker holds
        at most ceil(hosts left / live workers) hosts: when another worker starts, the first
        gives hosts up between two pages (the cursor keeps the place)
        and the newcomer takes them."""
        by_key: dict[str, list[tuple[str, Callable[..., Page]]]] = {}
        for source, next_page in units:
            by_key.setdefault(unit_key(source), []).append((source, next_page))
        tried: set[str] = set()  # hosts this worker ran to their end (or to an error)
        held: set[str] = set()
        claim_lock = threading.Lock()

        def cap(s: Any, done: set[str]) -> int:
            left = sum(1 for us in by_key.values() if any(src not in done for src, _ in us))
            return max(1, math.ceil(left / leases_db.live_workers(s, leases_db.db_now(s))))

        def claim() -> str | None | bool:
            """A host key to run, None when nothing is left, False to wait (leased elsewhere,
            or this worker holds its share)."""
            with claim_lock, session_scope(self.engine) as s:
                done = backfill_db.done_sources(s, self.job_id)
                left = [
                    k
                    for k, us in by_key.items()
                    if k not in tried and k not in held and any(src not in done for src, _ in us)
                ]
                if not left:
                    return None if not held else False
                if len(held) >= cap(s, done):
                    return False
                got = leases_db.lease_hosts(
                    s,
                    owner=self.run.owner,
                    hosts=left,
                    now=leases_db.db_now(s),
                    lease_seconds=self.settings.lease_seconds,
                    limit=1,
                )
                if not got:
                    _reap_dead_local_owners(
                        s, leases_db.host_lease_owners(s, left, leases_db.db_now(s))
                    )
                    return False
                held.add(got[0])
                self.run.hold_host(got[0])
                return got[0]

        def keep(key: str) -> bool:
            """Between two pages: keep this host unless this worker holds more than its share."""
            with claim_lock, session_scope(self.engine) as s:
                if len(held) <= cap(s, backfill_db.done_sources(s, self.job_id)):
                    return True
                held.discard(key)
                return False

        def worker() -> None:
            while (key := claim()) is not None:
                if key is False:
                    time.sleep(0.5)  # wait for hosts that other workers run, or for a share
                    continue
                assert isinstance(key, str)
                finished = True
                try:
                    for source, next_page in by_key[key]:
                        try:
                            finished = self.run_unit(source, next_page, stage, lambda: keep(key))
                        except Exception as exc:  # not a fetch error (run_unit records those)
                            # recorded like a failed source, not lost with the thread: its
                            # cursor stays at its last stored page, a re-run resumes there,
                            # and the host's other units still run
                            log.exception("backfill of %s failed", source)
                            with self._lock:
                                self.summary.source_errors.append(
                                    f"{source}: {error_kind(exc)}: {exc}"
                                )
                        if not finished:
                            break
                finally:
                    with claim_lock:
                        held.discard(key)
                        if finished:
                            tried.add(key)
                    self.run.release_host(key)
                if not finished:
                    time.sleep(0.5)  # let the other worker take the host given up

        n = min(len(by_key), MAX_HOST_THREADS)
        threads = [
            threading.Thread(
                target=contextvars.copy_context().run,  # Prefect's flow context in each thread
                args=(worker,),
                name=f"borderwatch-backfill-{i}",
                daemon=True,
            )
            for i in range(n)
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join()


def _page_step(
    bf: Backfill,
    source: str,
    next_page: Callable[[backfill_db.CursorState], Page],
    state: backfill_db.CursorState,
) -> backfill_db.CursorState:
    """One page: discover, process, then checkpoint (after the articles are stored)."""
    page = next_page(state)
    bf.add(pages=1)
    bf.process_page(page)
    with session_scope(bf.engine) as s:
        backfill_db.save_backfill_cursor(s, bf.job_id, source, page.next_state)
    return page.next_state


def _reap_dead_local_owners(s: Any, owners: dict[str, str]) -> None:
    """A backfill killed on this machine and started again must not wait out its old host
    leases (BORDERWATCH_LEASE_SECONDS): an owner ``<this host>:<pid>:…`` whose process is gone
    is dead, and its leases end now. Owners on other machines wait for expiry, as for polls."""
    me = socket.gethostname()
    for owner in set(owners.values()):
        parts = owner.rsplit(":", 2)  # PollRun.owner: <machine>:<pid>:<random>
        if len(parts) != 3 or parts[0] != me or not parts[1].isdigit():
            continue
        try:
            os.kill(int(parts[1]), 0)
        except ProcessLookupError:
            log.warning("backfill: %s is gone; its host leases end now", owner)
            leases_db.expire_owner(s, owner, leases_db.db_now(s))
        except PermissionError:
            pass  # alive, another user's


def unit_key(source: str) -> str:
    """What a backfill unit is leased by: the host of a feed archive or a sitemap; a URL file
    (any hosts) is one unit of its own."""
    kind, _, rest = source.partition(":")
    if kind in ("feed", "sitemap"):
        return host_of(rest)
    return "urls:" + hashlib.sha256(rest.encode()).hexdigest()[:32]


def select_sources(all_sources: Sequence[FeedSource], names: Sequence[str]) -> list[FeedSource]:
    if not names:
        return list(all_sources)
    by_name = {s.name: s for s in all_sources}
    missing = [n for n in names if n not in by_name]
    if missing:
        raise KeyError(f"unknown feed(s): {', '.join(missing)}")
    return [by_name[n] for n in names]


def run_backfill(
    settings: Settings,
    engine: Engine,
    sources: Sequence[FeedSource],
    req: BackfillRequest,
    *,
    progress: Progress | None = None,
    stage: Callable[[str, Callable[..., Any]], Callable[..., Any]] = direct,
) -> BackfillSummary:
    chosen = select_sources(sources, req.feeds)
    if req.reextract:
        from flows.pipeline.reextract import reextract  # it imports this module

        return reextract(settings, engine, chosen, req, progress=progress)
    with PollRun(settings, engine, chosen) as run:
        bf = Backfill(settings, engine, run, req, progress)
        units = bf.units(chosen)
        bf.summary.sources = len(units)
        bf.run_units(units, stage)
        with session_scope(engine) as s:
            if not bf.summary.source_errors and {u for u, _ in units} <= backfill_db.done_sources(
                s, bf.job_id
            ):
                backfill_db.finish_backfill_job(s, bf.job_id, bf.summary.as_dict())
        return bf.summary
