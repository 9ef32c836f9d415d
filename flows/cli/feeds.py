"""`borderwatch feeds`: feed health (a table, a compact layout in narrow terminals, JSON
lines) and feed management (add, remove, import, export, check)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from config import clock
from config.errors import ConfigError
from config.settings import Settings
from flows.cli._common import cli_settings, config_exit, err, iso, out
from storage.db import database

feeds_app = typer.Typer(help="Feed health and feed management.")


@feeds_app.callback(invoke_without_command=True)
def feeds(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="JSON lines, one per feed")] = False,
) -> None:
    """Feed health: last status, last success, consecutive failures, articles stored,
    health (live, quiet, stale, failing, new), interval and next check."""
    if ctx.invoked_subcommand is not None:
        return
    settings = cli_settings()
    from flows.feed_health import feed_health
    from storage import feeds as feeds_db
    from storage.db import session_scope

    with database(settings) as engine, session_scope(engine) as s:
        rows = feeds_db.feed_rows(s)
    now = clock.utcnow()
    states = {r.id: feed_health(r, now) for r in rows}
    if as_json:
        for r in rows:
            print(
                json.dumps(
                    {
                        "name": r.name,
                        "url": r.url,
                        "health": states[r.id],
                        "last_status": r.last_status,
                        "last_outcome": r.last_outcome,
                        "last_error": r.last_error,
                        "last_checked_at": iso(r.last_checked_at),
                        "last_success_at": iso(r.last_success_at),
                        "consecutive_failures": r.consecutive_failures,
                        "failing_since": iso(r.failing_since),
                        "interval_seconds": r.interval_seconds,
                        "next_check_at": iso(r.next_check_at),
                        "articles": r.articles,
                        "gaps": r.gaps,
                        "last_gap": r.last_gap.as_dict() if r.last_gap else None,
                    },
                    ensure_ascii=False,
                )
            )
        return
    if out.width < WIDE_FEEDS:
        _feeds_compact(rows, states)
        return
    table = Table(
        "feed",
        "health",
        "last status",
        "outcome",
        "last success",
        "failures",
        "articles",
        "interval",
        "next check",
        "gaps",
        "last error",
    )
    for r in rows:
        table.add_row(
            r.name,
            states[r.id],
            str(r.last_status or "-"),
            r.last_outcome or "-",
            (iso(r.last_success_at) or "never")[:16],
            str(r.consecutive_failures),
            str(r.articles),
            f"{r.interval_seconds // 60} min",
            (iso(r.next_check_at) or "now")[:16],
            str(r.gaps),
            "; ".join(
                x
                for x in (
                    (
                        f"{r.last_error} (since {(iso(r.failing_since) or '')[:16]})"
                        if r.last_error
                        else ""
                    ),
                    _gap_detail(r.last_gap),
                )
                if x
            ),
        )
    out.print(table)


WIDE_FEEDS = 120  # below this terminal width `borderwatch feeds` prints the compact layout
HEALTH_STYLE = {
    "live": "green",
    "quiet": "yellow",
    "stale": "dark_orange",
    "failing": "bold red",
    "new": "blue",
}


def _feeds_compact(rows: Any, states: dict[int, str]) -> None:
    """`borderwatch feeds` for a narrow terminal (80 columns): two or three lines per feed,
    every value labelled, long values wrapped under an indent (never a column squeezed to one
    letter)."""
    import textwrap

    from rich.text import Text

    width = max(40, out.width)
    indent = " " * 9

    def para(text: str, style: str) -> None:
        for line in textwrap.wrap(
            text, width=width, initial_indent=indent, subsequent_indent=indent + "  "
        ):
            out.print(Text(line, style=style), overflow="fold", crop=False)

    for r in rows:
        h = states[r.id]
        head = Text()
        head.append(f"{h:<8}", style=HEALTH_STYLE.get(h, ""))
        head.append(" ")
        head.append(r.name, style="bold")
        head.append(
            f"  {r.last_status or '-'} {r.last_outcome or '-'} · {r.articles} articles",
            style="dim",
        )
        out.print(head, overflow="fold")
        para(
            f"last ok {(iso(r.last_success_at) or 'never')[:16].replace('T', ' ')}"
            f" · next {(iso(r.next_check_at) or 'now')[:16].replace('T', ' ')}"
            f" · every {r.interval_seconds // 60} min"
            + (f" · {r.consecutive_failures} failures" if r.consecutive_failures else ""),
            "dim",
        )
        if r.last_error:
            since = (iso(r.failing_since) or "")[:16].replace("T", " ")
            para(f"error: {r.last_error}" + (f" (since {since})" if since else ""), "red")
        if r.last_gap:
            para(f"gaps: {r.gaps} · {_gap_detail(r.last_gap)}", "yellow")


def _gap_detail(g: Any) -> str:
    """The health detail of a feed's last gap: when, the window missed, what the fill found."""
    if g is None:
        return ""

    def hm(d: Any) -> str:
        return (iso(d) or "")[:16].replace("T", " ")

    fill = (
        f"filled {hm(g.filled_at)}: {g.items_found} missed items stored"
        if g.filled_at
        else "not filled yet"
    )
    if g.fill_error:
        fill += f" ({g.fill_error})"
    return f"last gap {hm(g.detected_at)}, items {hm(g.window_start)} .. {hm(g.window_end)}; {fill}"


def _feeds_path(settings: Settings, feeds: Path | None) -> Path:
    return feeds or settings.feeds


@feeds_app.command("add")
def feeds_add(
    url: Annotated[str, typer.Argument(help="feed URL (http or https)")],
    name: Annotated[str | None, typer.Option(help="display name (default: the host)")] = None,
    language: Annotated[str | None, typer.Option(help="en, es …")] = None,
    country: Annotated[str | None, typer.Option(help="MX, US …")] = None,
    tag: Annotated[list[str] | None, typer.Option(help="a tag (repeatable)")] = None,
    feeds: Annotated[Path | None, typer.Option(help="feeds file to edit")] = None,
) -> None:
    """Add a feed to the feeds file (comments and layout are kept)."""
    from urllib.parse import urlsplit

    from config.sources import FeedSource, append_feeds

    settings = cli_settings()
    src = FeedSource(
        name=name or urlsplit(url).netloc or url,
        url=url,
        language=language,
        country=country,
        tags=tuple(tag or ()),
    )
    try:
        added = append_feeds(_feeds_path(settings, feeds), [src])
    except ConfigError as exc:
        config_exit(exc)
    out.print(
        f"added {src.name} ({src.url})" if added else f"already listed: {src.url}", highlight=False
    )


@feeds_app.command("remove")
def feeds_remove(
    name: Annotated[str, typer.Argument(help="feed name or URL")],
    feeds: Annotated[Path | None, typer.Option(help="feeds file to edit")] = None,
) -> None:
    """Remove a feed from the feeds file (its stored articles and history stay)."""
    from config.sources import remove_feed

    settings = cli_settings()
    try:
        removed = remove_feed(_feeds_path(settings, feeds), name)
    except ConfigError as exc:
        config_exit(exc)
    if not removed:
        err.print(f"no feed named {name!r}")
        raise typer.Exit(1)
    out.print(f"removed {name}", highlight=False)


@feeds_app.command("import")
def feeds_import(
    opml: Annotated[Path, typer.Argument(help="OPML file (Miniflux, FreshRSS … export)")],
    feeds: Annotated[Path | None, typer.Option(help="feeds file to edit")] = None,
) -> None:
    """Import the feeds of an OPML file; URLs already listed are skipped."""
    from config.sources import append_feeds, read_opml

    settings = cli_settings()
    try:
        found = read_opml(opml)
        added = append_feeds(_feeds_path(settings, feeds), found)
    except ConfigError as exc:
        config_exit(exc)
    out.print(f"imported {len(added)} of {len(found)} feeds", highlight=False)


@feeds_app.command("export")
def feeds_export(
    feeds: Annotated[Path | None, typer.Option(help="feeds file to read")] = None,
) -> None:
    """Print the feeds as OPML 2.0."""
    from config.sources import load_feeds, to_opml

    settings = cli_settings()
    try:
        sources = load_feeds(_feeds_path(settings, feeds))
    except ConfigError as exc:
        config_exit(exc)
    sys.stdout.write(to_opml(sources))


@feeds_app.command("check")
def feeds_check(
    name: Annotated[str | None, typer.Argument(help="feed name (default: all)")] = None,
    feeds: Annotated[Path | None, typer.Option(help="feeds file to read")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="JSON lines")] = False,
) -> None:
    """Probe feeds now (fetch and parse, store nothing) and report each outcome."""
    from config.sources import load_feeds
    from flows.pipeline.feeds import probe_feeds

    settings = cli_settings()
    try:
        sources = load_feeds(_feeds_path(settings, feeds))
    except ConfigError as exc:
        config_exit(exc)
    if name is not None:
        sources = [s for s in sources if name in (s.name, s.url)]
        if not sources:
            err.print(f"no feed named {name!r}")
            raise typer.Exit(1)
    results = probe_feeds(settings, sources)
    if as_json:
        for r in results:
            print(json.dumps(r, ensure_ascii=False))
        return
    table = Table("feed", "outcome", "status", "entries", "bytes", "ms", "error")
    for r in results:
        table.add_row(
            r["name"],
            r["outcome"],
            str(r["http_status"] or "-"),
            str(r["entries"]),
            str(r["bytes"]),
            str(r["duration_ms"]),
            r["error"] or "",
        )
    out.print(table)
