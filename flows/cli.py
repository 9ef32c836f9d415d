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

from config import clock
from config.settings import Settings, load_settings
from extractors.errors import ConfigError

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="borderwatch: border and cartel-violence news monitoring.",
)
db_app = typer.Typer(help="Database maintenance.", no_args_is_help=True)
app.add_typer(db_app, name="db")
feeds_app = typer.Typer(help="Feed health and feed management.")
app.add_typer(feeds_app, name="feeds")
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
    if summary.get("stubs_retried"):
        out.print(
            f"stubs: {summary['stubs_retried']} pages fetched again, "
            f"{summary['stubs_upgraded']} upgraded in place",
            highlight=False,
        )


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
    clusters: Annotated[
        bool, typer.Option("--clusters", help="one line per story cluster, with its outlets")
    ] = False,
) -> None:
    """List stored articles, newest first (or story clusters with --clusters)."""
    settings = _settings()
    from storage import repository as repo
    from storage.db import session_scope

    engine = _engine(settings)
    if clusters:
        with session_scope(engine) as s:
            crows = repo.list_clusters(
                s, flagged=True if flagged else None, since=_parse_day(since, "--since")
            )
        for c in crows[:limit] if limit else crows:
            cobj: dict[str, Any] = {
                "cluster_id": c.id,
                "size": c.size,
                "title": c.title,
                "first_seen": _iso(c.first_seen),
                "outlets": c.outlets,
                "article_ids": c.article_ids,
                "representative_id": c.representative_id,
                "states": c.states,
                "flagged": c.flagged,
            }
            if as_json:
                print(json.dumps(cobj, ensure_ascii=False))
            else:
                out.print(f"[{c.id}] {c.size}× {c.title} — {', '.join(c.outlets)}", highlight=False)
        return
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
                "cluster_id": r.cluster_id,
                "other_officials": r.other_officials,
                "text_source": r.text_source,
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


@feeds_app.callback(invoke_without_command=True)
def feeds(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="JSON lines, one per feed")] = False,
) -> None:
    """Feed health: last status, last success, consecutive failures, articles stored,
    health (live, quiet, stale, failing, new), interval and next check."""
    if ctx.invoked_subcommand is not None:
        return
    settings = _settings()
    from flows.schedule import health
    from storage import repository as repo
    from storage.db import session_scope

    engine = _engine(settings)
    with session_scope(engine) as s:
        rows = repo.feed_rows(s)
    now = clock.utcnow()
    states = {
        r.id: health(
            now,
            consecutive_failures=r.consecutive_failures,
            last_success_at=r.last_success_at,
            last_new_item_at=r.last_new_item_at,
            last_checked_at=r.last_checked_at,
        )
        for r in rows
    }
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
                        "last_checked_at": _iso(r.last_checked_at),
                        "last_success_at": _iso(r.last_success_at),
                        "consecutive_failures": r.consecutive_failures,
                        "failing_since": _iso(r.failing_since),
                        "interval_seconds": r.interval_seconds,
                        "next_check_at": _iso(r.next_check_at),
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
            (_iso(r.last_success_at) or "never")[:16],
            str(r.consecutive_failures),
            str(r.articles),
            f"{r.interval_seconds // 60} min",
            (_iso(r.next_check_at) or "now")[:16],
            str(r.gaps),
            "; ".join(
                x
                for x in (
                    (
                        f"{r.last_error} (since {(_iso(r.failing_since) or '')[:16]})"
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
            f"last ok {(_iso(r.last_success_at) or 'never')[:16].replace('T', ' ')}"
            f" · next {(_iso(r.next_check_at) or 'now')[:16].replace('T', ' ')}"
            f" · every {r.interval_seconds // 60} min"
            + (f" · {r.consecutive_failures} failures" if r.consecutive_failures else ""),
            "dim",
        )
        if r.last_error:
            since = (_iso(r.failing_since) or "")[:16].replace("T", " ")
            para(f"error: {r.last_error}" + (f" (since {since})" if since else ""), "red")
        if r.last_gap:
            para(f"gaps: {r.gaps} · {_gap_detail(r.last_gap)}", "yellow")


def _gap_detail(g: Any) -> str:
    """The health detail of a feed's last gap: when, the window missed, what the fill found."""
    if g is None:
        return ""

    def hm(d: Any) -> str:
        return (_iso(d) or "")[:16].replace("T", " ")

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

    from config.sources import append_feeds
    from extractors.models import FeedSource

    settings = _settings()
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
        _config_exit(exc)
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

    settings = _settings()
    try:
        removed = remove_feed(_feeds_path(settings, feeds), name)
    except ConfigError as exc:
        _config_exit(exc)
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

    settings = _settings()
    try:
        found = read_opml(opml)
        added = append_feeds(_feeds_path(settings, feeds), found)
    except ConfigError as exc:
        _config_exit(exc)
    out.print(f"imported {len(added)} of {len(found)} feeds", highlight=False)


@feeds_app.command("export")
def feeds_export(
    feeds: Annotated[Path | None, typer.Option(help="feeds file to read")] = None,
) -> None:
    """Print the feeds as OPML 2.0."""
    from config.sources import load_feeds, to_opml

    settings = _settings()
    try:
        sources = load_feeds(_feeds_path(settings, feeds))
    except ConfigError as exc:
        _config_exit(exc)
    sys.stdout.write(to_opml(sources))


@feeds_app.command("check")
def feeds_check(
    name: Annotated[str | None, typer.Argument(help="feed name (default: all)")] = None,
    feeds: Annotated[Path | None, typer.Option(help="feeds file to read")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="JSON lines")] = False,
) -> None:
    """Probe feeds now (fetch and parse, store nothing) and report each outcome."""
    from config.sources import load_feeds
    from flows.pipeline import probe_feeds

    settings = _settings()
    try:
        sources = load_feeds(_feeds_path(settings, feeds))
    except ConfigError as exc:
        _config_exit(exc)
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


@app.command()
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
    from flows.backfill import SOURCES, BackfillRequest, run_backfill

    settings = _settings()
    if source not in SOURCES:
        err.print(f"--source must be one of {', '.join(SOURCES)}")
        raise typer.Exit(2)
    if source == "urls" and urls is None:
        err.print("--source urls needs --urls FILE")
        raise typer.Exit(2)
    start = _parse_day(since, "--since")
    end = _parse_day(until, "--until")
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
        _config_exit(exc)
    if os.environ.get("PREFECT_API_URL"):
        from flows.poll import backfill as backfill_flow

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
        engine = _engine(settings)
        with Progress(
            SpinnerColumn(),
            TextColumn("{task.description}"),
            TimeElapsedColumn(),
            console=err,
            transient=True,
        ) as bar:
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
        engine.dispose()
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


@app.command()
def retag(
    since: Annotated[str | None, typer.Option(help="only articles from YYYY-MM-DD on")] = None,
    batch_size: Annotated[int, typer.Option(help="articles per batch")] = 200,
) -> None:
    """Re-apply the current watchlist to stored articles tagged with another version
    (no fetching). Idempotent: a second run touches nothing."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

    settings = _settings()
    from config.watchlist_loader import load_watchlist
    from extractors.tagger import Tagger
    from flows.retag import run_retag

    try:
        tagger = Tagger(load_watchlist(settings.watchlist))
    except ConfigError as exc:
        _config_exit(exc)
    engine = _engine(settings)
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
            since=_parse_day(since, "--since"),
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


def _parse_age(value: str) -> float:
    import re

    m = re.fullmatch(r"(\d+)\s*([dhw])", value.strip())
    if not m:
        err.print(f"expected an age like 90d, 12h or 4w, got {value!r}")
        raise typer.Exit(2)
    n, unit = int(m.group(1)), m.group(2)
    return n * {"h": 3600, "d": 86400, "w": 7 * 86400}[unit]


@app.command()
def prune(
    raw_older_than: Annotated[
        str, typer.Option("--raw-older-than", help="drop page HTML older than this (e.g. 90d)")
    ] = "90d",
) -> None:
    """Drop old raw page HTML (text, tags and clusters stay) and report the database size."""
    from datetime import timedelta

    settings = _settings()
    from storage import repository as repo
    from storage.db import compact, database_size, session_scope

    engine = _engine(settings)
    before = database_size(engine)
    cutoff = clock.utcnow() - timedelta(seconds=_parse_age(raw_older_than))
    with session_scope(engine) as s:
        n = repo.prune_raw_html(s, cutoff)
    compact(engine)
    after = database_size(engine)
    out.print(
        f"dropped raw HTML of {n} articles fetched before {_iso(cutoff)}; "
        f"database size {before / 1e6:.2f} MB -> {after / 1e6:.2f} MB",
        highlight=False,
    )


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


from flows.review_cli import register as _register_review  # noqa: E402

_register_review(app)


def main() -> None:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    app()


if __name__ == "__main__":
    main()
