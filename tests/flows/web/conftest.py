"""Fixtures of the web app tests: ``seeded`` (tests/flows/review/seed.py)."""

from tests.flows.review.seed import seeded

__all__ = ["seeded"]
