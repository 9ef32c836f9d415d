"""`borderwatch poll` (one poll cycle, as a Prefect flow run when PREFECT_API_URL is set)
and `borderwatch serve` (the scheduled job: a local Prefect server and the deployments)."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Annotated

import typer

from config.errors import ConfigError
from flows.cli._common import cli_settings, config_exit, out
from storage.db import database


def poll(
    feeds: Annotated[
        Path | None, typer.Option(help="feeds file (default: BORDERWATCH_FEEDS)")
    ] = None,
    due: Annotated[bool, typer.Option("--due", help="only feeds whose next check is due")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="print the summary as JSON")] = False,
) -> None:
    """Poll every configured feed once (or only the due ones) and store new articles.

    Runs as a Prefect flow run when PREFECT_API_URL is set, otherwise directly.
    Exit 0 when the run completed, even if some feeds failed; 2 on a config error."""
    settings = cli_settings()
    from config.sources import load_feeds

    try:
        sources = load_feeds(feeds or settings.feeds)
        from config.watchlist_loader import load_watchlist

        load_watchlist(settings.watchlist)  # fail fast on a bad watchlist, before any fetch
    except ConfigError as exc:
        config_exit(exc)
    if os.environ.get("PREFECT_API_URL"):
        from flows.orchestration.pipeline_flows import poll as poll_flow

        summary = poll_flow(feeds_path=str(feeds or settings.feeds), due_only=due)
    else:
        from flows.pipeline.poll import run_poll

        with database(settings) as engine:
            summary = run_poll(settings, engine, sources, due_only=due).as_dict()
    if as_json:
        print(json.dumps(summary, default=str))
        return
    out.print(
        f"feeds: {summary['feeds']} ({summary['feeds_ok']} ok, "
        f"{summary['feeds_not_modified']} not modified, {summary['feeds_failed']} failed)\n"
        f"new articles: {summary['new_articles']} (flagged: {summary['flagged']}, "
        f"already known: {summary['known']}, article errors: {summary['article_errors']})\n"
        f"time: {summary['seconds']:.1f}s",
        highlight=False,
    )
    for f in summary["failed_feeds"]:
        out.print(f"  failed: {f['feed']}: {f['error_kind']}: {f['error']}", highlight=False)
    if summary.get("stubs_retried"):
        out.print(
            f"stubs: {summary['stubs_retried']} pages fetched again, "
            f"{summary['stubs_upgraded']} upgraded in place",
            highlight=False,
        )


def serve(
    port: Annotated[int, typer.Option(help="port of the local Prefect server")] = 4200,
) -> None:
    """Run the scheduled job: poll every 15 minutes (BORDERWATCH_POLL_CRON).

    Starts a local Prefect server under <data_dir>/prefect unless PREFECT_API_URL is set."""
    settings = cli_settings()
    from flows.orchestration.deployments import run_serve

    raise typer.Exit(run_serve(settings, port=port, echo=out.print))
