"""The one wall clock of borderwatch.

Every read of "now" in extractors/, storage/ and flows/ goes through :func:`utcnow` (or
:func:`today`), so a test, a benchmark or a replay can move the whole program to another date
and hour. The clock keeps ticking at the real rate from the moment it was set: it is an offset
from the system clock, not a stopped one, so timeouts and durations still behave.

Setting it:

- ``BORDERWATCH_CLOCK_AT=2026-12-31T23:50:00-06:00`` in the environment: the clock reads that
  instant when the process starts (a naive value is taken as UTC). The process then writes the
  offset it chose to ``BORDERWATCH_CLOCK_OFFSET`` in its environment, so the child processes it
  starts later (CLI subprocesses of a test, extraction workers, pollers) share one clock with it
  instead of each starting again at the same instant. ``make test-clock`` runs the suite this
  way on fixed dates.
- :func:`travel` (a context manager) or :func:`set_clock` inside one process; :func:`freeze`
  stops the clock at an instant (for exact boundaries; it does not reach child processes).

Monotonic timers (``time.monotonic``, ``time.perf_counter``) are never shifted: durations,
politeness delays and timeouts are measured with those.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

ENV_VAR = "BORDERWATCH_CLOCK_AT"
OFFSET_VAR = "BORDERWATCH_CLOCK_OFFSET"  # seconds; written for child processes

_offset = timedelta(0)
_frozen: datetime | None = None  # set by freeze(): the clock stands still there


def parse_instant(raw: str) -> datetime:
    """An ISO 8601 instant; a naive value is UTC. Raises ValueError with the bad value."""
    try:
        at = datetime.fromisoformat(raw.strip())
    except ValueError as exc:
        raise ValueError(f"{ENV_VAR}: not an ISO 8601 date-time: {raw!r}") from exc
    return at if at.tzinfo is not None else at.replace(tzinfo=UTC)


def set_clock(at: datetime | None) -> None:
    """Make :func:`utcnow` read ``at`` now and tick on from there; None restores the real clock."""
    global _offset
    if at is None:
        _offset = timedelta(0)
        return
    if at.tzinfo is None:
        at = at.replace(tzinfo=UTC)
    _offset = at - datetime.now(UTC)


@contextmanager
def travel(at: datetime) -> Iterator[None]:
    """Run a block at another date and hour (the clock ticks on from ``at``)."""
    global _offset
    before = _offset
    set_clock(at)
    try:
        yield
    finally:
        _offset = before


@contextmanager
def freeze(at: datetime) -> Iterator[None]:
    """Run a block with the clock standing still at ``at`` (for exact boundaries in tests)."""
    global _frozen
    before = _frozen
    _frozen = at if at.tzinfo is not None else at.replace(tzinfo=UTC)
    try:
        yield
    finally:
        _frozen = before


def utcnow() -> datetime:
    """Now, timezone-aware in UTC."""
    if _frozen is not None:
        return _frozen.astimezone(UTC)
    return datetime.now(UTC) + _offset


def timestamp() -> float:
    """Now as POSIX seconds (for comparing with HTTP dates)."""
    return utcnow().timestamp()


def today(tz: str | None = None) -> date:
    """Today's date in ``tz`` (an IANA name), or in UTC."""
    now = utcnow()
    return (now.astimezone(ZoneInfo(tz)) if tz else now).date()


def _from_environment() -> None:
    global _offset
    inherited = os.environ.get(OFFSET_VAR, "").strip()
    if inherited:
        try:
            _offset = timedelta(seconds=float(inherited))
        except ValueError as exc:
            raise ValueError(f"{OFFSET_VAR}: not a number of seconds: {inherited!r}") from exc
        return
    raw = os.environ.get(ENV_VAR, "").strip()
    if raw:
        set_clock(parse_instant(raw))
        os.environ[OFFSET_VAR] = repr(_offset.total_seconds())


_from_environment()
