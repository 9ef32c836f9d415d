"""FetchOutcome: the one vocabulary of a feed fetch's outcome (stored as plain strings)."""

from __future__ import annotations

from extractors.errors import BlockedAddress, FetchTimeout, error_kind
from extractors.models import FetchOutcome


def test_values_are_the_stored_strings() -> None:
    assert [o.value for o in FetchOutcome] == [
        "ok",
        "not_modified",
        "unchanged",
        "empty",
        "blocked",
        "error",
    ]
    assert FetchOutcome.ERROR == "error" and FetchOutcome("not_modified").same_content


def test_groups() -> None:
    assert {o for o in FetchOutcome if o.failed} == {"error", "blocked"}
    assert {o for o in FetchOutcome if o.listed} == {"ok", "empty"}
    assert {o for o in FetchOutcome if o.same_content} == {"not_modified", "unchanged"}


def test_from_a_parse_or_an_error() -> None:
    assert FetchOutcome.parsed(3) == "ok" and FetchOutcome.parsed(0) == "empty"
    assert FetchOutcome.of_error(error_kind(BlockedAddress("no"))) == "blocked"
    assert FetchOutcome.of_error(error_kind(FetchTimeout("slow"))) == "error"
    assert FetchOutcome.of_error(error_kind(KeyError("bug"))) == "error"
