"""The `borderwatch` command line. Output shapes documented in the README are contracts."""

from __future__ import annotations

import json
import logging
import os
import sys
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from config.settings import Settings, load_settings
from extractors.errors import ConfigError

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="borderwatch: border and cartel-violence news monitoring.",
)
db_app = typer.Typer(help="Database maintenance.", no_args_is_help=True)
app.add_typer(db_app, name="db")
out = Console()
err = Console(stderr=True)


def _settings() -> Settings:
    try:
        return load_settings()
    except ConfigError as exc:
        _config_exit(exc)
        raise


def _config_exit(exc: ConfigError) -> None:
    err.print(f"[bold red]config error:[/] {exc}", highlight=False)
    raise typer.Exit(2)


def _engine(settings: Settings) -> Any:
    from storage.db import open_database

    return open_database(settings.db_url)


def _iso(d: datetime | None) -> str | None:
    return d.astimezone(UTC).isoformat().replace("+00:00", "Z") if d else None


def _parse_day(value: str | None, option: str) -> datetime | None:
    if value is None:
        return None
    try:
        d = date.fromisoformat(value)
    except ValueError:
        err.print(f"{option}: expected YYYY-MM-DD, got {value!r}")
        raise typer.Exit(2) from None
    return datetime(d.year, d.month, d.day, tzinfo=UTC)


@app.command()
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
    settings = _settings()
    from config.sources import load_feeds

    try:
        sources = load_feeds(feeds or settings.feeds)
        from config.watchlist_loader import load_watchlist

        load_watchlist(settings.watchlist)  # fail fast on a bad watchlist, before any fetch
    except ConfigError as exc:
        _config_exit(exc)
    if os.environ.get("PREFECT_API_URL"):
        from flows.poll import poll as poll_flow

        summary = poll_flow(feeds_path=str(feeds or settings.feeds), due_only=due)
    else:
        from flows.pipeline import run_poll

        engine = _engine(settings)
        summary = run_poll(settings, engine, sources, due_only=due).as_dict()
        engine.dispose()
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


@app.command()
def tag(
    path: Annotated[str, typer.Argument(help="text file to tag, or - for stdin")] = "-",
    on: Annotated[str | None, typer.Option("--date", help="publication date YYYY-MM-DD")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="print JSON (the default output)")] = True,
) -> None:
    """Tag a plain text: states (also via places), officials (role at --date), groups, flag."""
    settings = _settings()
    from config.watchlist_loader import load_watchlist
    from extractors.tagger import Tagger

    try:
        wl = load_watchlist(settings.watchlist)
    except ConfigError as exc:
        _config_exit(exc)
    text = sys.stdin.read() if path == "-" else Path(path).read_text(encoding="utf-8")
    when = _parse_day(on, "--date")
    res = Tagger(wl).tag(text, published=when.date() if when else None)
    print(json.dumps(res.to_json(), ensure_ascii=False))


@app.command()
def articles(
    flagged: Annotated[bool, typer.Option("--flagged", help="only flagged articles")] = False,
    since: Annotated[str | None, typer.Option(help="published on or after YYYY-MM-DD")] = None,
    with_text: Annotated[bool, typer.Option("--with-text", help="include the text")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="JSON lines, one per article")] = False,
    limit: Annotated[int | None, typer.Option(help="at most this many")] = None,
) -> None:
    """List stored articles, newest first."""
    settings = _settings()
    from storage import repository as repo
    from storage.db import session_scope

    engine = _engine(settings)
    with session_scope(engine) as s:
        rows = repo.list_articles(
            s,
            flagged=True if flagged else None,
            since=_parse_day(since, "--since"),
            with_text=with_text,
            limit=limit,
        )
    if as_json:
        for r in rows:
            obj: dict[str, Any] = {
                "id": r.id,
                "url": r.url,
                "canonical_url": r.canonical_url,
                "title": r.title,
                "published_at": _iso(r.published_at),
                "feed": r.feed,
                "language": r.language,
                "flagged": r.flagged,
                "states": r.states,
                "officials": r.officials,
                "groups": r.groups,
            }
            if with_text:
                obj["text"] = r.text
            print(json.dumps(obj, ensure_ascii=False))
        return
    table = Table("id", "published", "feed", "title", "states", "groups", "officials", "flag")
    for r in rows:
        table.add_row(
            str(r.id),
            (_iso(r.published_at) or "")[:16],
            r.feed or "",
            (r.title or "")[:70],
            ",".join(r.states),
            ",".join(r.groups),
            ",".join(r.officials),
            "⚑" if r.flagged else "",
        )
    out.print(table)


@app.command()
def feeds(
    as_json: Annotated[bool, typer.Option("--json", help="JSON lines, one per feed")] = False,
) -> None:
    """Feed health: last status, last success, consecutive failures, articles stored."""
    settings = _settings()
    from storage import repository as repo
    from storage.db import session_scope

    engine = _engine(settings)
    with session_scope(engine) as s:
        rows = repo.feed_rows(s)
    if as_json:
        for r in rows:
            print(
                json.dumps(
                    {
                        "name": r.name,
                        "url": r.url,
                        "last_status": r.last_status,
                        "last_outcome": r.last_outcome,
                        "last_error": r.last_error,
                        "last_checked_at": _iso(r.last_checked_at),
                        "last_success_at": _iso(r.last_success_at),
                        "consecutive_failures": r.consecutive_failures,
                        "failing_since": _iso(r.failing_since),
                        "interval_seconds": r.interval_seconds,
                        "next_check_at": _iso(r.next_check_at),
                        "articles": r.articles,
                    },
                    ensure_ascii=False,
                )
            )
        return
    table = Table(
        "feed", "last status", "outcome", "last success", "failures", "articles", "last error"
    )
    for r in rows:
        table.add_row(
            r.name,
            str(r.last_status or "-"),
            r.last_outcome or "-",
            (_iso(r.last_success_at) or "never")[:16],
            str(r.consecutive_failures),
            str(r.articles),
            (r.last_error or "")[:60],
        )
    out.print(table)


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Apply database migrations up to the newest schema."""
    settings = _settings()
    from storage.db import current_revision, make_engine, upgrade

    engine = make_engine(settings.db_url)
    upgrade(engine)
    out.print(f"database at revision {current_revision(engine)}")


@app.command()
def serve(
    port: Annotated[int, typer.Option(help="port of the local Prefect server")] = 4200,
) -> None:
    """Run the scheduled job: poll every 15 minutes (BORDERWATCH_POLL_CRON).

    Starts a local Prefect server under <data_dir>/prefect unless PREFECT_API_URL is set."""
    settings = _settings()
    from flows.serve import run_serve

    raise typer.Exit(run_serve(settings, port=port, echo=out.print))


def main() -> None:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    app()


if __name__ == "__main__":
    main()
