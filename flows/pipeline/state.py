"""What the steps of a poll run share: the run's attributes (declared once here for the
type checker, set by ``PollRun.__init__``), the private event loop thread that runs the
fetcher, the stage timer and the extraction pool."""

from __future__ import annotations

import asyncio
import os
import threading
from collections.abc import Coroutine, Sequence
from concurrent.futures import Executor
from datetime import datetime
from typing import TYPE_CHECKING, Any, TypeVar

from sqlalchemy import Engine

from config.settings import Settings
from config.sources import FeedSource
from extractors.http import Fetcher
from flows.pipeline.extraction_pool import extraction_pool
from flows.pipeline.stubs import StubRetryPolicy
from storage import feeds as feeds_db

if TYPE_CHECKING:
    from flows.pipeline.extraction_pool import PageJob
    from flows.pipeline.records import ArticleTask, FeedOutcome, PollSummary

T = TypeVar("T")


class LoopThread:
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


class RunState:
    """The state of one poll run that its steps (the mixins ``PollRun`` is made of) share."""

    settings: Settings
    engine: Engine
    due_only: bool
    feed_ids: dict[str, int]
    states: dict[int, feeds_db.FeedState]
    sources: list[FeedSource]
    by_id: dict[int, FeedSource]
    feed_hosts: dict[int, str]
    owner: str  # who holds this run's leases: <machine>:<pid>:<random>
    _handled: set[int]
    _leased: set[int]
    _host_feeds: dict[str, set[int]]
    _released: dict[str, datetime]
    _lease_lock: threading.Lock
    _store_lock: threading.Lock
    summary: PollSummary
    _io: LoopThread
    fetcher: Fetcher
    _pool: Executor | None
    _in_flight: asyncio.Semaphore | None
    outcomes: dict[int, FeedOutcome]
    stub_policy: StubRetryPolicy

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

    if TYPE_CHECKING:  # steps one mixin calls on another (defined in the sibling mixins)

        def detect_gaps(self, outcomes: Sequence[FeedOutcome]) -> list[FeedOutcome]: ...

        def _release_done_hosts(self, hosts: Sequence[str]) -> None: ...

        def hold_host(self, host: str) -> None: ...

        async def _page_job(self, task: ArticleTask) -> PageJob: ...
