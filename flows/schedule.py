"""Moved to flows.pipeline.cadence."""

# TEMPORARY facade (issue 18): deleted at merge
from flows.pipeline.cadence import (
    GAP_MEMORY,
    GAP_MIN_INTERVAL,
    MAX_INTERVAL,
    MIN_INTERVAL,
    health,
    next_check,
)

__all__ = [
    "health",
    "next_check",
    "MAX_INTERVAL",
    "MIN_INTERVAL",
    "GAP_MIN_INTERVAL",
    "GAP_MEMORY",
]
