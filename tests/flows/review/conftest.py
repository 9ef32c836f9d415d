"""Fixtures of the review tests: ``seeded`` (tests/flows/review/seed.py)."""

from tests.flows.review.seed import seeded

__all__ = ["seeded"]
