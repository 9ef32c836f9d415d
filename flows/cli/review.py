"""`borderwatch review`, `borderwatch digest` and `borderwatch web` (issue 7).

Registered on the main typer app by flows/cli/__init__.py through :func:`register`.

``review --json`` prints JSON lines, one object per story cluster, in review order (states with
most stories first, then each state's stories, important first, newest first)::

    {"cluster_id": 12,                  # null for an article without a story cluster
     "state_group": {"id": "zacatecas", "name": "Zacatecas"},   # the heading it is listed
                                        # under: its most-tagged state, null = no state
     "states": [{"id": "zacatecas", "name": "Zacatecas"}, ...], # all states of its articles
     "headline": "…", "size": 3,        # size = articles in the whole cluster
     "outlets": ["Feed A", "site-b.example"],
     "status": "new",                   # shared review status of its articles, or "mixed"
     "articles": [                      # the flagged articles in the review window
        {"id": 1, "title": "…", "url": "…", "feed": "Feed A", "site": "a.example",
         "published_at": "2026-11-20T09:00:00Z", "fetched_at": "…Z", "language": "es",
         "states": [{"id", "name"}], "officials": [{"id", "name", "role"}],
         "groups": [{"id", "name"}], "reasons": ["…"], "review_status": "new",
         "review_note": null}]}

Keys are only ever added, never renamed or removed.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import date, datetime
from typing import Annotated, Any
from zoneinfo import ZoneInfo

import typer
from rich.console import Console
from rich.markup import escape
from rich.text import Text

from config.errors import ConfigError
from config.settings import Settings, load_settings
from extractors.models import Mention
from flows.review.export import dumps, story_json
from flows.review.highlight import clean_spans
from flows.review.stories import StateGroup, Story, collect_stories
from storage import briefs as briefs_db
from storage import review_queue as review_queue_db

out = Console(highlight=False)
err = Console(stderr=True, highlight=False)

STYLE = {
    "state": "bold blue",
    "place": "blue",
    "group": "bold red",
    "official": "bold green",
    "term": "yellow",
}
STATUS_KEYS = {"r": "reviewed", "d": "dismissed", "i": "important", "u": "new"}
HELP = (
    "[bold]N[/] open story N · [bold]r N[/] reviewed · [bold]d N[/] dismissed · "
    "[bold]i N[/] important · [bold]u N[/] back to new (add a note after N: 'd 3 old news') · "
    "[bold]l[/] list · [bold]q[/] quit"
)
ITEM_HELP = (
    "[bold]r[/] reviewed · [bold]d[/] dismissed · [bold]i[/] important · [bold]u[/] new "
    "(a note may follow: 'i escalating') · [bold]n TEXT[/] note only · [bold]2..[/] read copy "
    "· [bold]b[/] back"
)


def _settings() -> Settings:
    try:
        return load_settings()
    except ConfigError as exc:
        err.print(f"[bold red]config error:[/] {escape(str(exc))}")
        raise typer.Exit(2) from None


def _parse_since(value: str | None, tz: str) -> datetime | None:
    """YYYY-MM-DD (local midnight in ``tz``) or a full ISO date-time."""
    if value is None:
        return None
    try:
        if len(value) == 10:
            d = date.fromisoformat(value)
            return datetime(d.year, d.month, d.day, tzinfo=ZoneInfo(tz))
        dt = datetime.fromisoformat(value.replace("Z", "+00:00"))
        return dt if dt.tzinfo else dt.replace(tzinfo=ZoneInfo(tz))
    except ValueError:
        err.print(f"--since: expected YYYY-MM-DD or an ISO date-time, got {value!r}")
        raise typer.Exit(2) from None


def highlight_rich(text: str, spans: list[Mention]) -> Text:
    """The article text with every mention styled by its kind (the text is not markup)."""
    t = Text(text)
    for m in clean_spans(text, spans):
        t.stylize(STYLE.get(m.entity_type, "reverse"), m.start, m.end)
    return t


def _names(ents: list[briefs_db.Entity]) -> str:
    return ", ".join(e.name for e in ents)


# ---------------------------------------------------------------- review


def _queue(
    settings: Settings, engine: Any, since: datetime | None, all_new: bool
) -> tuple[list[StateGroup], datetime | None]:
    from storage.db import session_scope

    with session_scope(engine) as s:
        start = since
        if start is None and not all_new:
            start = review_queue_db.get_marker(s, review_queue_db.LAST_REVIEW)
        arts = review_queue_db.flagged_articles(s, since=start, statuses=("new",))
        return collect_stories(s, arts), start


def _show_list(rows: list[tuple[StateGroup, Story]], tz: ZoneInfo) -> None:
    current: object = object()
    for n, (g, st) in enumerate(rows, 1):
        if g is not current:
            out.rule(f"[bold]{escape(g.title)}[/] ({len(g.stories)})", align="left")
            current = g
        when = st.when.astimezone(tz).strftime("%m-%d %H:%M")
        outlets = ", ".join(st.outlets[:3]) + (" …" if len(st.outlets) > 3 else "")
        ents = "; ".join(x for x in (_names(st.groups), _names(st.officials)) if x)
        status = "" if st.status == "new" else f" [magenta]\\[{st.status}][/]"
        if st.stub:
            status += f" [yellow]\\[{st.stub_label}][/]"
        out.print(
            f"[bold cyan]{n:>3}[/] {when}  [bold]{escape(st.headline)}[/]{status}\n"
            f"      [dim]{escape(outlets)}"
            + (f" ({st.size} copies)" if st.size > 1 else "")
            + (f" · {escape(ents)}" if ents else "")
            + f" · {escape('; '.join(st.reasons))}[/]"
        )


def _show_item(
    st: Story, which: int, tz: ZoneInfo, load: Callable[[int], review_queue_db.ArticleDetail | None]
) -> None:
    a = st.articles[min(which, len(st.articles) - 1)]
    d = load(a.id)
    if d is None:
        out.print("[red]article gone[/]")
        return
    out.rule(f"[bold]{escape(a.title or a.url)}[/]")
    out.print(
        f"{escape(a.outlet)} · {a.when.astimezone(tz):%Y-%m-%d %H:%M} · {escape(a.url)}\n"
        f"states: {escape(_names(a.states)) or '-'} · groups: {escape(_names(a.groups)) or '-'}"
        f" · officials: {escape(_names(a.officials + a.other_officials)) or '-'}\n"
        f"flagged because: {escape('; '.join(a.reasons)) or '-'} · status: {a.review_status}"
        + (f" · note: {escape(a.review_note)}" if a.review_note else "")
        + (f"\n[yellow]{escape(a.stub_label)}[/]" if a.is_stub else "")
    )
    if len(st.articles) > 1:
        copies = ", ".join(f"{i}: {o.outlet}" for i, o in enumerate(st.articles, 1))
        out.print(f"[dim]copies in this review: {escape(copies)}[/]")
    if d.cluster:
        out.print(
            "[dim]same story elsewhere: "
            + escape(", ".join(sorted({o.outlet for o in d.cluster if o.outlet})))
            + "[/]"
        )
    out.print()
    out.print(highlight_rich(d.text, d.mentions))
    out.print()


def _ask(prompt: str) -> str | None:
    try:
        return input(prompt)
    except EOFError:
        return None


def _interactive(settings: Settings, engine: Any, groups: list[StateGroup]) -> int:
    from storage.db import session_scope

    tz = ZoneInfo(settings.timezone)
    rows = [(g, st) for g in groups for st in g.stories]
    changed = 0

    def apply(st: Story, status: str | None, note: str | None) -> None:
        nonlocal changed
        ids = [a.id for a in st.articles]
        with session_scope(engine) as s:
            review_queue_db.mark(s, ids, status, note)
            fresh = review_queue_db.articles_by_id(s, ids)
        st.articles = [fresh.get(a.id, a) for a in st.articles]
        changed += len(ids)
        what = status or "note saved"
        out.print(
            f"[green]✓ {escape(st.headline[:60])}: {what}[/]"
            + (f" — {escape(note)}" if note else "")
        )

    def load(aid: int) -> review_queue_db.ArticleDetail | None:
        with session_scope(engine) as s:
            return review_queue_db.article_detail(s, aid)

    _show_list(rows, tz)
    out.print(HELP)
    while True:
        line = _ask("review> ")
        if line is None:
            break
        line = line.strip()
        if not line:
            continue
        if line in ("q", "quit", "exit"):
            break
        if line in ("l", "list", "ls"):
            _show_list(rows, tz)
            continue
        if line in ("h", "?", "help"):
            out.print(HELP)
            continue
        parts = line.split(maxsplit=2)
        cmd = parts[0].lower()
        if cmd.isdigit():
            n = int(cmd)
            if not 1 <= n <= len(rows):
                out.print(f"[red]no story {n}[/] (1–{len(rows)})")
                continue
            st = rows[n - 1][1]
            which = 0
            _show_item(st, which, tz, load)
            out.print(ITEM_HELP)
            while True:
                sub = _ask(f"story {n}> ")
                if sub is None:
                    return changed
                sub = sub.strip()
                if not sub:
                    continue
                key, _, rest = sub.partition(" ")
                key = key.lower()
                if key in ("b", "back", "q"):
                    break
                if key.isdigit():
                    which = int(key) - 1
                    _show_item(st, which, tz, load)
                elif key in STATUS_KEYS:
                    apply(st, STATUS_KEYS[key], rest.strip() or None)
                    break
                elif key == "n":
                    apply(st, None, rest.strip() or "")
                else:
                    out.print(ITEM_HELP)
            continue
        if cmd in STATUS_KEYS and len(parts) >= 2 and parts[1].isdigit():
            n = int(parts[1])
            if not 1 <= n <= len(rows):
                out.print(f"[red]no story {n}[/] (1–{len(rows)})")
                continue
            apply(rows[n - 1][1], STATUS_KEYS[cmd], parts[2].strip() if len(parts) > 2 else None)
            continue
        out.print(f"[red]?[/] {escape(line)}\n{HELP}")
    return changed


def review(
    as_json: Annotated[
        bool, typer.Option("--json", help="print the queue as JSON lines, one per story")
    ] = False,
    since: Annotated[
        str | None, typer.Option(help="arrived on/after YYYY-MM-DD (default: the last review)")
    ] = None,
    all_new: Annotated[
        bool, typer.Option("--all", help="every unreviewed flagged article, however old")
    ] = False,
) -> None:
    """Review new flagged articles since the last review, one row per story, by state.

    Open a story to read it with its mentions highlighted; mark it reviewed, dismissed or
    important with a note. Decisions are saved at once; quitting records the review time."""
    settings = _settings()
    from storage.db import database, session_scope
    from storage.tables import utcnow

    with database(settings) as engine:
        started = utcnow()
        groups, start = _queue(settings, engine, _parse_since(since, settings.timezone), all_new)
        if as_json:
            for g in groups:
                for st in g.stories:
                    print(dumps(story_json(g, st)))
            return
        n_st = sum(len(g.stories) for g in groups)
        n_art = sum(len(st.articles) for g in groups for st in g.stories)
        when = (
            start.astimezone(ZoneInfo(settings.timezone)).strftime("%Y-%m-%d %H:%M")
            if start
            else "the beginning"
        )
        out.print(
            f"[bold]{n_st} stories[/] ({n_art} new flagged articles) since {when}"
            + ("" if n_st else " — nothing to review")
        )
        if n_st:
            changed = _interactive(settings, engine, groups)
            out.print(f"{changed} article decisions saved")
        with session_scope(engine) as s:
            review_queue_db.set_marker(s, review_queue_db.LAST_REVIEW, started)


# ---------------------------------------------------------------- digest


def digest(
    since: Annotated[
        str | None,
        typer.Option(help="items arrived since YYYY-MM-DD (default: the previous digest)"),
    ] = None,
    fmt: Annotated[str, typer.Option("--format", help="md, html, or both (md,html)")] = "md",
    no_notify: Annotated[
        bool, typer.Option("--no-notify", help="do not send to BORDERWATCH_NOTIFY_URLS")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="print the summary as JSON")] = False,
) -> None:
    """Write the digest of flagged stories since the previous digest to
    <data_dir>/digests/DATE.md (or .html), grouped by state then story, with spikes; send the
    summary to the apprise URLs in BORDERWATCH_NOTIFY_URLS.

    Runs as a Prefect flow run (artifact morning-digest) when PREFECT_API_URL is set."""
    settings = _settings()
    formats = [x.strip() for x in fmt.split(",") if x.strip()]
    if not formats or any(x not in ("md", "html") for x in formats):
        err.print(f"--format: md, html or md,html; got {fmt!r}")
        raise typer.Exit(2)
    start = _parse_since(since, settings.timezone)
    if os.environ.get("PREFECT_API_URL"):
        from flows.orchestration.digest import digest as digest_flow

        summary = digest_flow(
            since=start.isoformat() if start else None,
            formats=",".join(formats),
            send=not no_notify,
        )
        errors: list[str] = []
    else:
        from flows.orchestration.digest import run_digest
        from storage.db import database

        with database(settings) as engine:
            result = run_digest(settings, engine, since=start, formats=formats, send=not no_notify)
        summary, errors = result.as_dict(), result.errors
    if as_json:
        print(dumps(summary))
    else:
        out.print(
            f"digest {summary['date']}: {summary['stories']} stories ({summary['articles']} "
            f"flagged articles) in {len(summary['states'])} state groups, "
            f"{len(summary['spikes'])} spikes"
        )
        for sp in summary["spikes"]:
            out.print(f"  spike: {escape(sp['name'])} ({sp['type']}): {sp['count']} stories")
        for p in summary["files"]:
            out.print(f"  wrote {escape(p)}")
        if summary["notified"] is not None:
            out.print("  notified" if summary["notified"] else "  [red]notification failed[/]")
    for e in errors:
        err.print(escape(e))


# ---------------------------------------------------------------- web


def web(
    host: Annotated[str | None, typer.Option(help="bind address (BORDERWATCH_WEB_HOST)")] = None,
    port: Annotated[int | None, typer.Option(help="port (BORDERWATCH_WEB_PORT)")] = None,
) -> None:
    """Serve the review web app (default http://127.0.0.1:8765).

    Anywhere but loopback it refuses to start unless BORDERWATCH_WEB_TOKEN is set; with a
    token, open http://HOST:PORT/?token=TOKEN once."""
    settings = _settings()
    from flows.web import BindError, check_bind, create_app

    h, p = host or settings.web_host, port or settings.web_port
    try:
        check_bind(h, settings.web_token)
    except BindError as exc:
        err.print(f"[bold red]{escape(str(exc))}[/]")
        raise typer.Exit(2) from None
    import uvicorn

    app = create_app(settings)
    shown = f"[{h}]" if ":" in h else h
    out.print(f"borderwatch web on http://{shown}:{p}/ (Ctrl-C to stop)")
    uvicorn.run(app, host=h, port=p, log_level="warning", proxy_headers=False)


def register(app: typer.Typer) -> None:
    app.command("review")(review)
    app.command("digest")(digest)
    app.command("web")(web)
