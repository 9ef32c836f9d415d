"""extractors/dates.py: the three date readers (feed tuples, ISO values, a page's day)."""

from __future__ import annotations

import time
from datetime import UTC, datetime

from extractors.dates import day_from_iso, from_iso, from_struct_time


def test_from_struct_time() -> None:
    t = time.struct_time((2024, 5, 1, 10, 30, 0, 2, 122, 0))
    assert from_struct_time(t) == datetime(2024, 5, 1, 10, 30, tzinfo=UTC)
    assert from_struct_time(None) is None
    assert from_struct_time("not a tuple") is None


def test_from_iso() -> None:
    assert from_iso("2024-05-01") == datetime(2024, 5, 1, tzinfo=UTC)
    assert from_iso(" 2024-05-01T10:00:00Z ") == datetime(2024, 5, 1, 10, tzinfo=UTC)
    assert from_iso("2024-05-01T10:00+02:00") == datetime(2024, 5, 1, 8, tzinfo=UTC)
    assert from_iso("2024-05-01 junk") == datetime(2024, 5, 1, tzinfo=UTC)
    for bad in (None, "", "May 1, 2024", "20240501", "2024-13-01"):
        assert from_iso(bad) is None


def test_day_from_iso() -> None:
    assert day_from_iso("2024-05-01T23:30:00-06:00") == datetime(2024, 5, 1, tzinfo=UTC)
    assert day_from_iso("2024-05-01") == datetime(2024, 5, 1, tzinfo=UTC)
    for bad in (None, "", "May 1, 2024", "2024-13-01"):
        assert day_from_iso(bad) is None
