"""Moved to flows.cli.review."""

# TEMPORARY facade (issue 18): deleted at merge
from flows.cli.review import highlight_rich, register

__all__ = [
    "highlight_rich",
    "register",
]
