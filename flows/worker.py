"""Moved to flows.pipeline.extraction_pool."""

# TEMPORARY facade (issue 18): deleted at merge
from flows.pipeline.extraction_pool import (
    PageJob,
    PageResult,
    init_worker,
    mention_records,
    process_page,
)

__all__ = [
    "mention_records",
    "PageJob",
    "PageResult",
    "init_worker",
    "process_page",
]
