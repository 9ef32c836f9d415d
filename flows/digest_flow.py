"""Moved to flows.orchestration.digest."""

# TEMPORARY facade (issue 18): deleted at merge
from flows.orchestration.digest import DigestResult, digest, digest_deployment, run_digest

__all__ = [
    "digest",
    "digest_deployment",
    "run_digest",
    "DigestResult",
]
