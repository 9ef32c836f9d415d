"""Old home of the review tables, now in storage.tables. Import from there."""

# TEMPORARY facade (issue 18): deleted at merge

from storage.tables import (
    ReviewEvent,
    ReviewState,
)

__all__ = [
    "ReviewEvent",
    "ReviewState",
]
