"""The date parsers of the extractors, one module: every date they read becomes a
timezone-aware UTC datetime, or None when the value is missing or unusable.

* :func:`from_struct_time`: feedparser's ``*_parsed`` tuples (feeds).
* :func:`from_iso`: an ISO 8601 date or date-time (sitemaps' lastmod and publication dates);
  a naive value is read as UTC, a date alone as its midnight UTC.
* :func:`day_from_iso`: the calendar day an ISO value starts with, at midnight UTC (a page's
  date as htmldate gives it); any time of day in the value is ignored.
"""

from __future__ import annotations

import calendar
import re
from datetime import UTC, date, datetime
from typing import Any

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}")


def from_struct_time(value: Any) -> datetime | None:
    """A UTC ``time.struct_time`` (or 9-tuple) as an aware datetime."""
    if not value:
        return None
    try:
        return datetime.fromtimestamp(calendar.timegm(value), tz=UTC)
    except (TypeError, ValueError, OverflowError):
        return None


def from_iso(value: str | None) -> datetime | None:
    """``2024-05-01``, ``2024-05-01T10:00:00Z``, ``2024-05-01T10:00+02:00`` … in UTC."""
    if not value or not _ISO_DATE.match(value.strip()):
        return None
    v = value.strip().replace("Z", "+00:00")
    try:
        dt = datetime.fromisoformat(v)
    except ValueError:
        try:
            d = date.fromisoformat(v[:10])
        except ValueError:
            return None
        dt = datetime(d.year, d.month, d.day)
    return dt.replace(tzinfo=UTC) if dt.tzinfo is None else dt.astimezone(UTC)


def day_from_iso(value: str | None) -> datetime | None:
    """Midnight UTC of the day in the first ten characters of ``value``."""
    if not value:
        return None
    try:
        d = date.fromisoformat(value[:10])
    except ValueError:
        return None
    return datetime(d.year, d.month, d.day, tzinfo=UTC)
