"""Prototype changes to flows/pipeline.py, measured by the benchmark (not used by borderwatch).

``BW_PROTO`` picks the variant (comma-separated, combinable):

* ``interleave``: order the new-article tasks round-robin by host before cutting batches, so a
  batch of 200 holds ~2 articles per host instead of ~12 articles of ~17 hosts. With per-host
  delay 1 s, a feed-ordered batch waits ≥ 11 s for its hosts while the workers idle.
* ``stream``: no batch barrier: every task is fetched as soon as politeness allows (at most
  ``window`` pages in flight), handed to the extraction pool when its bytes arrive, and stored
  in batches of ``batch_size`` by a single store thread while fetching and extraction go on.

* ``overlap`` (with ``stream``): the articles of one lease batch of feeds are processed in
  the background while the next batch is leased and its feeds fetched (two batches in
  flight), so one batch's politeness waits overlap the other's extraction.
* ``gzip-in-worker``: the extraction worker gzips the page for storage (level 6, as
  storage.repository does) and the store skips bytes that are gzip already, so the main
  process no longer compresses ~170 KB per article while it also drives the event loop.
* ``recycle``: extraction workers are replaced after ``BW_PROTO_TASKS`` pages (default 500;
  ``max_tasks_per_child``), to bound the memory trafilatura/lxml leave behind in them.
  On Python 3.11.7 this HANGS: once the first workers exit, the pool starts no new ones and
  the poll waits forever (measured here; do not use ``max_tasks_per_child`` on 3.11).

Run: ``BW_PROTO=interleave,stream python -m bench.one --pipeline bench.proto_pipeline``.
"""

from __future__ import annotations

import asyncio
import gzip
import os
import time
from collections import defaultdict, deque
from collections.abc import Callable, Sequence
from concurrent.futures import Executor, Future, ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import replace
from multiprocessing import get_context
from urllib.parse import urlsplit

from sqlalchemy import Engine

from config.settings import Settings
from extractors.models import FeedSource
from flows.pipeline import (
    ArticleTask,
    FeedOutcome,
    PollRun,
    PollSummary,
    Stage,
    chunks,
    direct,
    fetch_feeds_step,
    lease_step,
    new_articles_step,
    process_articles_step,
    record_feeds_step,
)
from flows.worker import PageJob, PageResult, init_worker, process_page


def variant() -> set[str]:
    return {v.strip() for v in os.environ.get("BW_PROTO", "interleave").split(",") if v.strip()}


def interleave_by_host(tasks: Sequence[ArticleTask]) -> list[ArticleTask]:
    """Round-robin over hosts, keeping each host's own order."""
    by_host: dict[str, deque[ArticleTask]] = defaultdict(deque)
    for t in tasks:
        by_host[(urlsplit(t.entry.link).hostname or "").lower()].append(t)
    out: list[ArticleTask] = []
    while by_host:
        for host in list(by_host):
            q = by_host[host]
            out.append(q.popleft())
            if not q:
                del by_host[host]
    return out


def process_page_gz(job: PageJob) -> PageResult:
    """process_page, then gzip the raw page here, in the worker."""
    res = process_page(job)
    if res.record is not None and res.record.raw_html:
        raw = gzip.compress(res.record.raw_html, 6)
        res = replace(res, record=replace(res.record, raw_html=raw))
    return res


def _install_gzip_passthrough() -> None:
    """storage.repository gzips raw_html; leave bytes that are gzip already as they are."""
    import storage.repository as repository

    class _Gzip:
        @staticmethod
        def compress(data: bytes, level: int = 9) -> bytes:
            return data if data[:2] == b"\x1f\x8b" else gzip.compress(data, level)

    repository.gzip = _Gzip  # type: ignore[assignment]


class StreamRun(PollRun):
    _store_ex: ThreadPoolExecutor | None = None

    @property
    def pool(self) -> Executor:
        if self._pool is None and "recycle" in variant():
            n = self.settings.workers or (os.cpu_count() or 1)
            self._pool = ProcessPoolExecutor(
                n,
                mp_context=get_context("spawn"),
                initializer=init_worker,
                initargs=(str(self.settings.watchlist),),
                max_tasks_per_child=int(os.environ.get("BW_PROTO_TASKS", "500")),
            )
        return super().pool

    @property
    def page_fn(self) -> Callable[[PageJob], PageResult]:
        return process_page_gz if "gzip-in-worker" in variant() else process_page

    @property
    def store_ex(self) -> ThreadPoolExecutor:
        """One store thread for the whole run (SQLite has one writer)."""
        if self._store_ex is None:
            self._store_ex = ThreadPoolExecutor(1, thread_name_prefix="borderwatch-store")
        return self._store_ex

    def close(self) -> None:
        if self._store_ex is not None:
            self._store_ex.shutdown()
        super().close()

    def process_all(self, tasks: Sequence[ArticleTask]) -> int:
        return self._io.run(self._process_all(tasks))

    async def _process_all(self, tasks: Sequence[ArticleTask]) -> int:
        loop = asyncio.get_running_loop()
        pool = self.pool
        window = asyncio.Semaphore(int(os.environ.get("BW_PROTO_WINDOW", "128")))
        pending: list[tuple[ArticleTask, PageResult]] = []
        stores: list[asyncio.Future[int]] = []
        batch = self.settings.batch_size

        def flush() -> None:
            chunk = pending[:]
            pending.clear()
            stores.append(loop.run_in_executor(self.store_ex, self._timed_store, chunk))

        async def one(task: ArticleTask) -> None:
            async with window:
                job = await self._page_job(task)
                t = time.perf_counter()
                fut: Future[PageResult] = pool.submit(self.page_fn, job)
                result = await asyncio.wrap_future(fut)
            self._add_time("extract_wall", time.perf_counter() - t)
            self._add_time("extract", result.extract_s)
            self._add_time("tag", result.tag_s)
            pending.append((task, result))
            if len(pending) >= batch:
                flush()

        await asyncio.gather(*(one(t) for t in tasks))
        if pending:
            flush()
        return sum(await asyncio.gather(*stores))

    def _timed_store(self, chunk: list[tuple[ArticleTask, PageResult]]) -> int:
        t = time.perf_counter()
        try:
            return self._store(chunk)
        finally:
            self._add_time("store", time.perf_counter() - t)


def process_all_step(run: StreamRun, tasks: Sequence[ArticleTask]) -> int:
    return run.process_all(tasks)


def run_poll(
    settings: Settings,
    engine: Engine,
    sources: Sequence[FeedSource],
    *,
    stage: Stage = direct,
    due_only: bool = False,
) -> PollSummary:
    """flows.pipeline.run_poll with the variants of the module doc."""
    v = variant()
    if "gzip-in-worker" in v:
        _install_gzip_passthrough()
    lease = stage("lease-feeds", lease_step)
    fetch = stage("fetch-feeds", fetch_feeds_step)
    select_new = stage("select-new-entries", new_articles_step)
    process = stage("fetch-extract-tag-store", process_articles_step)
    process_all = stage("fetch-extract-tag-store", process_all_step)
    record = stage("record-feed-health", record_feeds_step)
    with StreamRun(settings, engine, sources, due_only=due_only) as run:
        # overlap: the articles of lease batch n are processed in the background while batch
        # n+1 is leased and its feeds fetched (at most 2 batches in flight); a batch's feeds
        # are recorded only after its articles are stored, as before.
        bg = ThreadPoolExecutor(2 if "overlap" in v else 1, thread_name_prefix="bw-batch")
        inflight: deque[tuple[Future[int], Sequence[FeedOutcome]]] = deque()
        while batch := lease(run, settings.feed_batch):
            outcomes = fetch(run, batch)
            tasks = select_new(run, outcomes)
            if "interleave" in v:
                tasks = interleave_by_host(tasks)
            if "stream" in v:
                inflight.append((bg.submit(process_all, run, tasks), outcomes))
            else:
                for chunk in chunks(tasks, settings.batch_size):
                    process(run, chunk)
                record(run, outcomes)
            while inflight and (len(inflight) > 1 or "overlap" not in v):
                fut, outs = inflight.popleft()
                fut.result()
                record(run, outs)
        while inflight:
            fut, outs = inflight.popleft()
            fut.result()
            record(run, outs)
        bg.shutdown()
        return run.finish()
