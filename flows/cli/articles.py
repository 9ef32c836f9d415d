"""`borderwatch tag` (tag a plain text) and `borderwatch articles` (list stored articles or
story clusters)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from config.errors import ConfigError
from flows.cli._common import cli_settings, config_exit, iso, out, parse_day
from storage.db import database


def tag(
    path: Annotated[str, typer.Argument(help="text file to tag, or - for stdin")] = "-",
    on: Annotated[str | None, typer.Option("--date", help="publication date YYYY-MM-DD")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="print JSON (the default output)")] = True,
) -> None:
    """Tag a plain text: states (also via places), officials (role at --date), groups, flag."""
    settings = cli_settings()
    from config.watchlist_loader import load_watchlist
    from extractors.tagger import Tagger

    try:
        wl = load_watchlist(settings.watchlist)
    except ConfigError as exc:
        config_exit(exc)
    text = sys.stdin.read() if path == "-" else Path(path).read_text(encoding="utf-8")
    when = parse_day(on, "--date")
    res = Tagger(wl).tag(text, published=when.date() if when else None)
    print(json.dumps(res.to_json(), ensure_ascii=False))


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
    settings = cli_settings()
    from storage import articles as articles_db
    from storage import dedup as dedup_db
    from storage.db import session_scope

    with database(settings) as engine:
        if clusters:
            with session_scope(engine) as s:
                crows = dedup_db.list_clusters(
                    s, flagged=True if flagged else None, since=parse_day(since, "--since")
                )
            for c in crows[:limit] if limit else crows:
                cobj: dict[str, Any] = {
                    "cluster_id": c.id,
                    "size": c.size,
                    "title": c.title,
                    "first_seen": iso(c.first_seen),
                    "outlets": c.outlets,
                    "article_ids": c.article_ids,
                    "representative_id": c.representative_id,
                    "states": c.states,
                    "flagged": c.flagged,
                }
                if as_json:
                    print(json.dumps(cobj, ensure_ascii=False))
                else:
                    out.print(
                        f"[{c.id}] {c.size}× {c.title} — {', '.join(c.outlets)}", highlight=False
                    )
            return
        with session_scope(engine) as s:
            rows = articles_db.list_articles(
                s,
                flagged=True if flagged else None,
                since=parse_day(since, "--since"),
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
                    "published_at": iso(r.published_at),
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
                (iso(r.published_at) or "")[:16],
                r.feed or "",
                (r.title or "")[:70],
                ",".join(r.states),
                ",".join(r.groups),
                ",".join(r.officials),
                "⚑" if r.flagged else "",
            )
        out.print(table)
