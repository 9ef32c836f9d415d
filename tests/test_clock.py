"""The one injectable clock (config/clock.py)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from config import clock

CHILD = "from config import clock; print(clock.utcnow().isoformat())"


def test_travel_moves_utcnow_and_today_and_restores() -> None:
    real = clock.utcnow()
    at = datetime(2026, 12, 31, 23, 50, tzinfo=ZoneInfo("America/Mexico_City"))
    with clock.travel(at):
        now = clock.utcnow()
        assert timedelta(0) <= now - at < timedelta(seconds=5)
        assert clock.today("America/Mexico_City").isoformat() == "2026-12-31"
        assert clock.today().isoformat() == "2027-01-01"  # UTC is already past midnight
    assert abs(clock.utcnow() - real) < timedelta(seconds=5)


def test_environment_clock_is_shared_with_child_processes() -> None:
    """A child started later inherits the parent's offset, not the start instant: every
    process of one run reads the same clock."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("BORDERWATCH_CLOCK")}
    env["BORDERWATCH_CLOCK_AT"] = "2026-12-31T23:50:00-06:00"
    parent = subprocess.run(
        [
            sys.executable,
            "-c",
            "import os, subprocess, sys, time\n"
            "from config import clock\n"
            "time.sleep(1.5)\n"
            f"child = subprocess.run([sys.executable, '-c', {CHILD!r}], capture_output=True,"
            " text=True, check=True)\n"
            "print(child.stdout.strip())\n"
            "print(clock.utcnow().isoformat())\n",
        ],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    child_now, parent_now = (datetime.fromisoformat(x) for x in parent.stdout.split())
    start = datetime(2026, 12, 31, 23, 50, tzinfo=UTC) + timedelta(hours=6)
    assert child_now - start >= timedelta(seconds=1.5)  # it did not start the clock again
    assert abs(parent_now - child_now) < timedelta(seconds=5)


def test_freeze_holds_the_clock_still() -> None:
    at = datetime(2026, 11, 26, 12, tzinfo=UTC)
    with clock.freeze(at):
        first = clock.utcnow()
        time.sleep(0.05)
        assert clock.utcnow() == first == at
        assert clock.timestamp() == at.timestamp()
    assert clock.utcnow() != at
