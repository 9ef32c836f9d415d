"""`borderwatch backfill` (a date range from feed archives, sitemaps or a URL list;
resumable) and `borderwatch retag` (re-apply the current watchlist to stored articles)."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Annotated, Any

import typer

from config.errors import ConfigError
from flows.cli._common import cli_settings, config_exit, err, out, parse_day
from storage.db import database


def backfill(
    since: Annotated[str, typer.Option(help="first day, YYYY-MM-DD")],
    until: Annotated[str | None, typer.Option(help="last day, YYYY-MM-DD (default: today)")] = None,
    feed: Annotated[
        list[str] | None, typer.Option(help="feed name (repeatable; default all)")
    ] = None,
    source: Annotated[str, typer.Option(help="feed-archive | sitemap | urls")] = "feed-archive",
    urls: Annotated[
        Path | None, typer.Option(help="file of URLs, one per line (--source urls)")
    ] = None,
    reextract: Annotated[
        bool, typer.Option("--reextract", help="re-extract and re-tag stored pages, no network")
    ] = False,
    feeds: Annotated[Path | None, typer.Option(help="feeds file")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="print the summary as JSON")] = False,
) -> None:
    """Backfill a date range from feed archives, sitemaps or a URL list. Resumable: the same
    command after an interruption continues where it stopped; a repeat adds nothing."""
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    from config.sources import load_feeds
    from flows.pipeline.backfill import SOURCES, BackfillRequest, run_backfill

    settings = cli_settings()
    if source not in SOURCES:
        err.print(f"--source must be one of {', '.join(SOURCES)}")
        raise typer.Exit(2)
    if source == "urls" and urls is None:
        err.print("--source urls needs --urls FILE")
        raise typer.Exit(2)
    start = parse_day(since, "--since")
    end = parse_day(until, "--until")
    assert start is not None
    req = BackfillRequest(
        since=start.date(),
        until=end.date() if end else None,
        feeds=tuple(feed or ()),
        source=source,
        urls_file=str(urls) if urls else None,
        reextract=reextract,
    )
    try:
        sources = load_feeds(feeds or settings.feeds)
    except ConfigError as exc:
        config_exit(exc)
    if os.environ.get("PREFECT_API_URL"):
        from flows.orchestration.pipeline_flows import backfill as backfill_flow

        result = backfill_flow(
            since=since,
            until=until,
            feeds=list(feed or []),
            source=source,
            urls_file=req.urls_file,
            reextract=reextract,
            feeds_path=str(feeds) if feeds else None,
        )
    else:
        with (
            database(settings) as engine,
            Progress(
                SpinnerColumn(),
                TextColumn("{task.description}"),
                TimeElapsedColumn(),
                console=err,
                transient=True,
            ) as bar,
        ):
            task = bar.add_task("backfill", total=None)

            def show(sm: Any) -> None:
                bar.update(
                    task,
                    description=(
                        f"pages {sm.pages} · candidates {sm.candidates} · fetched {sm.fetched} · "
                        f"new {sm.new_articles} · known {sm.known} · reextracted {sm.reextracted}"
                    ),
                )

            try:
                result = run_backfill(settings, engine, sources, req, progress=show).as_dict()
            except KeyError as exc:
                err.print(str(exc.args[0]))
                raise typer.Exit(2) from None
    if as_json:
        print(json.dumps(result, default=str))
        return
    out.print(
        f"backfill {since}..{until or 'today'} ({source}): {result['pages']} pages, "
        f"{result['candidates']} candidates, {result['fetched']} fetched, "
        f"{result['new_articles']} new ({result['flagged']} flagged), {result['known']} "
        f"already stored, {result['skipped_out_of_range'] + result['out_of_range_after_fetch']}"
        f" out of range, {result['reextracted']} re-extracted",
        highlight=False,
    )
    for e in result["source_errors"]:
        out.print(f"  source failed (re-run to resume): {e}", highlight=False)


def retag(
    since: Annotated[str | None, typer.Option(help="only articles from YYYY-MM-DD on")] = None,
    batch_size: Annotated[int, typer.Option(help="articles per batch")] = 200,
) -> None:
    """Re-apply the current watchlist to stored articles tagged with another version
    (no fetching). Idempotent: a second run touches nothing."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

    settings = cli_settings()
    from config.watchlist_loader import load_watchlist
    from extractors.tagger import Tagger
    from flows.pipeline.retag import run_retag

    try:
        tagger = Tagger(load_watchlist(settings.watchlist))
    except ConfigError as exc:
        config_exit(exc)
    with database(settings) as engine:
        with Progress(
            "retag",
            BarColumn(),
            MofNCompleteColumn(),
            TimeRemainingColumn(),
            console=err,
            transient=True,
        ) as bar:
            task = bar.add_task("retag", total=None)
            summary = run_retag(
                engine,
                tagger,
                since=parse_day(since, "--since"),
                batch_size=batch_size,
                progress=lambda done, total: bar.update(task, completed=done, total=total),
                watchlist=settings.watchlist,
                workers=settings.workers or (os.cpu_count() or 1),
            )
        out.print(
            f"retagged {summary.retagged} of {summary.candidates} articles with "
            f"{summary.version}; {summary.flag_changes} flags changed",
            highlight=False,
        )
