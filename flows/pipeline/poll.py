"""The poll cycle: ``run_poll`` runs a ``PollRun``'s steps in lanes until no feed is left,
then re-fetches the due stubs. Each step is a module-level function so a stage wrapper (Prefect's
``task``, see flows.orchestration.pipeline_flows) can wrap it."""

from __future__ import annotations

import contextvars
import threading
from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import Engine

from config.settings import Settings
from config.sources import FeedSource
from flows.pipeline.records import ArticleTask, FeedOutcome, PollSummary, chunks
from flows.pipeline.run import PollRun
from storage import stubs as stubs_db

POLL_LANES = 2  # leased shares in flight at once per poll run (see run_lanes)
LANE_STAGGER = 2.0  # seconds between the starts of two lanes


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
    one of them. ``stage`` wraps each step (flows.orchestration.pipeline_flows passes
    Prefect's task())."""
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


def lease_stubs_step(run: PollRun, limit: int) -> list[stubs_db.DueStub]:
    return run.lease_stubs(limit)


def retry_stubs_step(run: PollRun, stubs: Sequence[stubs_db.DueStub]) -> int:
    return run.retry_stubs(stubs)
