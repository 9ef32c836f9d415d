"""Database maintenance: `borderwatch prune` (drop old page HTML) and `borderwatch db
upgrade` (apply migrations)."""

from __future__ import annotations

from typing import Annotated

import typer

from config import clock
from flows.cli._common import cli_settings, err, iso, out
from storage.db import database

db_app = typer.Typer(help="Database maintenance.", no_args_is_help=True)


def _parse_age(value: str) -> float:
    import re

    m = re.fullmatch(r"(\d+)\s*([dhw])", value.strip())
    if not m:
        err.print(f"expected an age like 90d, 12h or 4w, got {value!r}")
        raise typer.Exit(2)
    n, unit = int(m.group(1)), m.group(2)
    return n * {"h": 3600, "d": 86400, "w": 7 * 86400}[unit]


def prune(
    raw_older_than: Annotated[
        str, typer.Option("--raw-older-than", help="drop page HTML older than this (e.g. 90d)")
    ] = "90d",
) -> None:
    """Drop old raw page HTML (text, tags and clusters stay) and report the database size."""
    from datetime import timedelta

    settings = cli_settings()
    from storage import articles as articles_db
    from storage.db import compact, database_size, session_scope

    with database(settings) as engine:
        before = database_size(engine)
        cutoff = clock.utcnow() - timedelta(seconds=_parse_age(raw_older_than))
        with session_scope(engine) as s:
            n = articles_db.prune_raw_html(s, cutoff)
        compact(engine)
        after = database_size(engine)
        out.print(
            f"dropped raw HTML of {n} articles fetched before {iso(cutoff)}; "
            f"database size {before / 1e6:.2f} MB -> {after / 1e6:.2f} MB",
            highlight=False,
        )


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Apply database migrations up to the newest schema."""
    settings = cli_settings()
    from storage.db import current_revision, upgrade

    with database(settings, migrate=False) as engine:
        upgrade(engine)
        out.print(f"database at revision {current_revision(engine)}")
