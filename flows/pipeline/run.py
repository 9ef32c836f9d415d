"""One poll cycle as plain Python: fetch feeds → new entries → fetch pages → extract+tag
(process pool) → store in batches → record each feed's outcome.

No Prefect here. ``flows.orchestration.pipeline_flows`` wraps the same steps in Prefect tasks
(one task per batch of feeds or articles, never per article); the CLI runs them directly when
no Prefect API is set.

A feed's validators (ETag, Last-Modified, body hash) are saved only after its new articles
are stored, so a run killed midway re-reads the feed next time and loses nothing.

``PollRun`` is made of one mixin per step: leases (step 0 and 4), feeds (1, 2), gap_fill (2),
articles (3, 3b); their shared state is declared in ``state.RunState``.
"""

from __future__ import annotations

import asyncio
import os
import socket
import threading
import time
import uuid
from collections.abc import Sequence
from concurrent.futures import Executor
from datetime import datetime

from sqlalchemy import Engine

from config.settings import Settings
from config.sources import FeedSource
from extractors.http import Fetcher, FetchPolicy
from flows.pipeline.articles import ArticlesMixin
from flows.pipeline.feeds import FeedsMixin
from flows.pipeline.gap_fill import GapsMixin
from flows.pipeline.leases import LeaseKeeper, LeasesMixin
from flows.pipeline.records import FeedOutcome, PollSummary, host_of
from flows.pipeline.state import LoopThread, RunState
from flows.pipeline.stubs import StubRetryPolicy
from storage import feeds as feeds_db
from storage import leases as leases_db
from storage.db import session_scope


class PollRun(LeasesMixin, FeedsMixin, GapsMixin, ArticlesMixin, RunState):
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
            self.feed_ids = feeds_db.sync_feeds(s, sources)
            self.states = feeds_db.feed_states(s, self.feed_ids.values())
        self.sources = list(sources)
        self.by_id = {self.feed_ids[src.name]: src for src in self.sources}
        self.feed_hosts = {fid: host_of(src.url) for fid, src in self.by_id.items()}
        # who holds this run's feed leases (several pollers may share one feed list)
        self.owner = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"
        self._handled: set[int] = set()  # feeds leased by this run so far
        self._leased: set[int] = set()  # … and not yet released
        self._host_feeds: dict[str, set[int]] = {}  # leased hosts -> their unreleased feeds
        self._released: dict[str, datetime] = {}  # hosts released -> the lease_until written
        self._lease_lock = threading.Lock()
        self._store_lock = threading.Lock()
        self.summary = PollSummary()
        self._io = LoopThread()
        self.fetcher: Fetcher = self._io.run(self._open_fetcher())
        self._pool: Executor | None = None
        self._in_flight: asyncio.Semaphore | None = None
        self.outcomes: dict[int, FeedOutcome] = {}
        self.stub_policy = StubRetryPolicy.from_settings(settings)
        self._keeper = LeaseKeeper(self)  # heartbeat now, then renewals while the run works

    async def _open_fetcher(self) -> Fetcher:
        f = Fetcher(FetchPolicy.from_settings(self.settings))
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
                    leases_db.release_feeds(s, owner=self.owner, feed_ids=sorted(self._leased))
                if self._host_feeds:
                    leases_db.release_hosts(
                        s,
                        owner=self.owner,
                        hosts=sorted(self._host_feeds),
                        now=leases_db.db_now(s),
                        gap=self.settings.per_host_delay,
                    )
                leases_db.drop_worker(s, self.owner)
            self._leased.clear()
            self._host_feeds.clear()
            self._io.run(self.fetcher.__aexit__(None, None, None))
        finally:
            self._io.close()
            if self._pool is not None:
                self._pool.shutdown(wait=True, cancel_futures=True)

    def finish(self) -> PollSummary:
        self.summary.feeds = len(self.outcomes)
        for o in self.outcomes.values():
            if o.outcome.failed:
                self.summary.feeds_failed += 1
                self.summary.failed_feeds.append(
                    {
                        "feed": o.name,
                        "error_kind": o.error_kind,
                        "error": o.error,
                        "http_status": o.http_status,
                    }
                )
            elif o.outcome.same_content:
                self.summary.feeds_not_modified += 1
            else:
                self.summary.feeds_ok += 1
        self.summary.seconds = round(time.perf_counter() - self._t0, 3)
        return self.summary
