"""What the command modules share: the consoles, settings (a config error exits 2) and the
date helpers of the output contracts."""

from __future__ import annotations

from datetime import UTC, date, datetime

import typer
from rich.console import Console

from config.errors import ConfigError
from config.settings import Settings, load_settings

out = Console()
err = Console(stderr=True)


def cli_settings() -> Settings:
    try:
        return load_settings()
    except ConfigError as exc:
        config_exit(exc)
        raise


def config_exit(exc: ConfigError) -> None:
    err.print(f"[bold red]config error:[/] {exc}", highlight=False)
    raise typer.Exit(2)


def iso(d: datetime | None) -> str | None:
    return d.astimezone(UTC).isoformat().replace("+00:00", "Z") if d else None


def parse_day(value: str | None, option: str) -> datetime | None:
    if value is None:
        return None
    try:
        d = date.fromisoformat(value)
    except ValueError:
        err.print(f"{option}: expected YYYY-MM-DD, got {value!r}")
        raise typer.Exit(2) from None
    return datetime(d.year, d.month, d.day, tzinfo=UTC)
