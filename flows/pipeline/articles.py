"""Step 3 of a poll run: fetch the new articles' pages, extract and tag them in the
extraction pool, store them in small transactions while the batch goes on (each store counts
into a tally applied after its commit: PostgreSQL may run it again after a deadlock); and
step 3b (issue 19): re-fetch the stubs whose retry is due and upgrade them in place."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Sequence
from concurrent.futures import Future
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from config import clock
from config.errors import BorderwatchError
from extractors.errors import FetchError, is_transient
from extractors.models import FeedEntry, TextSource
from extractors.urls import link_header_canonical
from flows.pipeline.extraction_pool import PageJob, PageResult, process_page, with_feed
from flows.pipeline.records import ArticleTask, host_of, in_window
from flows.pipeline.state import RunState
from storage import articles as articles_db
from storage import leases as leases_db
from storage import stubs as stubs_db
from storage.db import run_transaction, session_scope

log = logging.getLogger("borderwatch.poll")
STORE_CHUNK = 25  # results stored per transaction while the batch goes on
# pages fetched or being fetched but not yet extracted, per extraction process: keeps the poll
# process's memory flat whatever the batch size (each page is ~100-300 KB) while keeping
# enough requests in flight to hide the network behind the workers
PAGES_IN_FLIGHT_PER_WORKER = 16


@dataclass
class _StoreTally:
    """What one store transaction did, applied to the run's summary after it commits."""

    new: int = 0
    flagged: int = 0
    article_errors: int = 0
    out_of_range: int = 0
    new_items: dict[int, int] = field(default_factory=dict)  # feed id -> new stories


class ArticlesMixin(RunState):
    """Fetch, extract, tag and store articles; re-fetch due stubs."""

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
            retry_after = exc.retry_after if isinstance(exc, FetchError) else None
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
            if task.window and not in_window(res.record.published_at, task.window):
                tally.out_of_range += 1
                continue
            record = res.record if task.feed_id is None else with_feed(res.record, task.feed_id)
            article_id, created = articles_db.store_article(s, record)
            if created and res.fetch_error_kind and TextSource(record.text_source).is_stub:
                # stored from the feed because the page fetch failed: retry later, or final
                stubs_db.schedule_stub(
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
            articles_db.link_known(s, res.record.canonical_url, task.others)
        return tally

    def lease_stubs(self, limit: int) -> list[stubs_db.DueStub]:
        """The next stubs whose page re-fetch is due (by the injectable clock), leased to this
        run for lease_seconds, on hosts this run holds or can lease now: politeness holds
        across workers for stub re-fetches as for feeds (issue 16). A stub whose host another
        worker holds is not fetched: it keeps its lease time and is due again when that ends,
        its tries unchanged. The hosts leased here are held until the run closes (the stub
        re-fetches are its last step), so the next batch of stubs on one host finds it ours."""
        while True:
            with session_scope(self.engine) as s:
                stubs = stubs_db.lease_due_stubs(
                    s, now=clock.utcnow(), lease_seconds=self.settings.lease_seconds, limit=limit
                )
            if not stubs:
                return []
            hosts = list(dict.fromkeys(host_of(st.url) for st in stubs))
            with self._lease_lock:
                ours = {h for h in hosts if h in self._host_feeds}
                released = {h: self._released[h] for h in hosts if h in self._released}
            wanted = [h for h in hosts if h not in ours]
            if wanted:
                with session_scope(self.engine) as s:
                    now = leases_db.db_now(s)
                    # hosts this run polled and released: again at once if nobody took them
                    # since; the others when free (their politeness gap passed)
                    got = leases_db.reclaim_hosts(
                        s,
                        owner=self.owner,
                        released={h: u for h, u in released.items() if h in wanted},
                        now=now,
                        lease_seconds=self.settings.lease_seconds,
                    )
                    got += leases_db.lease_hosts(
                        s,
                        owner=self.owner,
                        hosts=[h for h in wanted if h not in got],
                        now=now,
                        lease_seconds=self.settings.lease_seconds,
                        limit=len(wanted),
                    )
                for h in got:  # held (renewed by the lease keeper) until the run closes
                    self.hold_host(h)
                ours.update(got)
            mine = [st for st in stubs if host_of(st.url) in ours]
            if mine:  # else every host was busy: lease the next due stubs
                return mine

    def retry_stubs(self, stubs: Sequence[stubs_db.DueStub]) -> int:
        """Fetch the stubs' pages again (through the run's Fetcher: the same per-host limits),
        and upgrade each stub whose page now gives text, in place; the others get their next
        try, or become final. Returns the number upgraded."""
        return self._io.run(self._retry_stubs(stubs))

    async def _retry_stubs(self, stubs: Sequence[stubs_db.DueStub]) -> int:
        pool = self.pool
        # as in _process_articles: a bounded number of pages held in memory at once
        in_flight = asyncio.Semaphore(max(32, PAGES_IN_FLIGHT_PER_WORKER * self.workers))

        async def one(stub: stubs_db.DueStub) -> tuple[stubs_db.DueStub, PageResult]:
            async with in_flight:
                return await fetch_extract(stub)

        async def fetch_extract(stub: stubs_db.DueStub) -> tuple[stubs_db.DueStub, PageResult]:
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

    def _store_retries(self, done: Sequence[tuple[stubs_db.DueStub, PageResult]]) -> int:
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
        self, s: Any, done: Sequence[tuple[stubs_db.DueStub, PageResult]], now: datetime
    ) -> tuple[int, int]:
        merged = upgraded = 0
        for stub, res in done:
            tries = stub.tries + 1
            rec = res.record
            if rec is not None and not TextSource(rec.text_source).is_stub:
                twin = articles_db.article_id_by_url(s, rec.canonical_url)
                if twin is not None and twin != stub.article_id:
                    # the page names another stored article as its canonical: one story,
                    # one row (the twin's, with the better text)
                    articles_db.upgrade_if_better(s, twin, rec)
                    articles_db.merge_twin(s, stub.article_id, twin)
                    merged += 1
                else:
                    articles_db.upgrade_article(s, stub.article_id, rec)
                    urls = {rec.canonical_url, *rec.aliases} - {stub.canonical_url}
                    articles_db.add_urls(s, stub.article_id, sorted(urls))
                upgraded += 1
                continue
            # failed again; or fetched but no usable page text (final: nothing to wait for)
            transient = res.record is None and res.fetch_transient
            stubs_db.schedule_stub(
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
