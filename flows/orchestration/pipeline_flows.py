"""Prefect flows over the plain pipeline (flows.pipeline): one task per batch of feeds or
articles (``prefect_stage`` wraps each step), never per article; and the fan-out flows that
start several runs of a deployment (poll-cycle, backfill-cycle)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from prefect import flow, task
from prefect.artifacts import create_table_artifact
from prefect.cache_policies import NO_CACHE

from config.settings import get_settings
from config.sources import load_feeds
from flows.pipeline.poll import run_poll
from flows.pipeline.records import PollSummary
from storage.db import database

if TYPE_CHECKING:
    from prefect.client.schemas.objects import FlowRun


def prefect_stage(name: str, fn: Any) -> Any:
    # tasks take the run's live objects (client, pool, DB engine): never cache or hash them
    return task(fn, name=name, cache_policy=NO_CACHE, retries=0)


def publish_summary(summary: PollSummary) -> None:
    create_table_artifact(
        key="poll-summary",
        table=[
            {
                "feeds": summary.feeds,
                "ok": summary.feeds_ok,
                "not modified": summary.feeds_not_modified,
                "failed": summary.feeds_failed,
                "new articles": summary.new_articles,
                "flagged": summary.flagged,
                "article errors": summary.article_errors,
                "seconds": summary.seconds,
            }
        ],
        description="borderwatch poll run",
    )


@flow(name="poll", log_prints=True)
def poll(feeds_path: str | None = None, due_only: bool = False) -> dict[str, Any]:
    """Poll the configured feeds once (only those whose next check is due, with due_only);
    store new articles with their tags."""
    settings = get_settings()
    sources = load_feeds(Path(feeds_path) if feeds_path else settings.feeds)
    with database(settings) as engine:
        summary = run_poll(settings, engine, sources, stage=prefect_stage, due_only=due_only)
    publish_summary(summary)
    print(
        f"feeds ok={summary.feeds_ok} not_modified={summary.feeds_not_modified} "
        f"failed={summary.feeds_failed} new={summary.new_articles} flagged={summary.flagged}"
    )
    return summary.as_dict()


@flow(name="retag", log_prints=True)
def retag(since: str | None = None) -> dict[str, Any]:
    """Re-apply the current watchlist to stored articles tagged with another version."""
    from datetime import UTC, date, datetime

    from config.watchlist_loader import load_watchlist
    from extractors.tagger import Tagger
    from flows.pipeline.retag import run_retag

    settings = get_settings()
    with database(settings) as engine:
        day = date.fromisoformat(since) if since else None
        summary = run_retag(
            engine,
            Tagger(load_watchlist(settings.watchlist)),
            stage=prefect_stage,
            since=datetime(day.year, day.month, day.day, tzinfo=UTC) if day else None,
            watchlist=settings.watchlist,
            workers=settings.workers or (os.cpu_count() or 1),
        )
    print(
        f"retagged {summary.retagged} of {summary.candidates}; {summary.flag_changes} flags changed"
    )
    return {
        "version": summary.version,
        "candidates": summary.candidates,
        "retagged": summary.retagged,
        "flag_changes": summary.flag_changes,
    }


@flow(name="backfill", log_prints=True)
def backfill(
    since: str,
    until: str | None = None,
    feeds: list[str] | None = None,
    source: str = "feed-archive",
    urls_file: str | None = None,
    reextract: bool = False,
    feeds_path: str | None = None,
) -> dict[str, Any]:
    """Backfill a date range (resumable; a repeat adds nothing). See flows/pipeline/backfill.py."""
    from datetime import date

    from prefect.artifacts import create_markdown_artifact

    from flows.pipeline.backfill import BackfillRequest, run_backfill

    settings = get_settings()
    req = BackfillRequest(
        since=date.fromisoformat(since),
        until=date.fromisoformat(until) if until else None,
        feeds=tuple(feeds or ()),
        source=source,
        urls_file=urls_file,
        reextract=reextract,
    )
    with database(settings) as engine:
        summary = run_backfill(
            settings,
            engine,
            load_feeds(Path(feeds_path) if feeds_path else settings.feeds),
            req,
            stage=prefect_stage,
        )
    rows = "\n".join(f"| {k} | {v} |" for k, v in summary.as_dict().items())
    create_markdown_artifact(
        key="backfill-summary",
        markdown=f"# Backfill {since} .. {until or 'today'} ({source})\n\n"
        f"| | |\n|---|---|\n{rows}\n",
    )
    print(
        f"backfill: {summary.new_articles} new, {summary.known} known, "
        f"{summary.pages} pages, errors: {len(summary.source_errors)}"
    )
    return summary.as_dict()


@flow(name="poll-cycle", log_prints=True)
def poll_cycle(workers: int = 2, deployment: str = "poll/worker") -> list[str]:
    """Fan one poll cycle out to ``workers`` runs of the poll deployment. The runs share the
    feed list through feed leases (each feed is polled by one of them); used with a process
    work pool and several `prefect worker` processes, possibly on several machines."""
    from prefect.deployments import run_deployment

    runs: list[FlowRun] = [
        run_deployment(  # type: ignore[misc]  # sync call: returns a FlowRun, not a coroutine
            name=deployment, parameters={"due_only": True}, timeout=0, as_subflow=False
        )
        for _ in range(max(1, workers))
    ]
    ids = [str(r.id) for r in runs]
    print(f"started {len(ids)} poll runs: {', '.join(ids)}")
    return ids


@flow(name="backfill-cycle", log_prints=True)
def backfill_cycle(
    since: str,
    until: str | None = None,
    feeds: list[str] | None = None,
    source: str = "feed-archive",
    urls_file: str | None = None,
    workers: int = 2,
    deployment: str = "backfill/adhoc",
) -> list[str]:
    """Fan one backfill out to ``workers`` runs of the backfill deployment, as poll-cycle does
    for polls. The runs share the request's hosts through host leases (each host is fetched
    by one of them at a time; checkpoints let a run continue what another gave up), each run
    fetching its hosts at once and extracting on its own cores."""
    from prefect.deployments import run_deployment

    params: dict[str, Any] = {"since": since, "until": until, "source": source}
    if feeds:
        params["feeds"] = feeds
    if urls_file:
        params["urls_file"] = urls_file
    runs: list[FlowRun] = [
        run_deployment(  # type: ignore[misc]  # sync call: returns a FlowRun, not a coroutine
            name=deployment, parameters=params, timeout=0, as_subflow=False
        )
        for _ in range(max(1, workers))
    ]
    ids = [str(r.id) for r in runs]
    print(f"started {len(ids)} backfill runs: {', '.join(ids)}")
    return ids
