"""Moved to flows.orchestration.deployments."""

# TEMPORARY facade (issue 18): deleted at merge
from flows.orchestration.deployments import (
    PREFECT_ENV,
    _stop,
    build_deployments,
    free_port,
    run_serve,
    serve_deployments,
    wait_healthy,
)

__all__ = [
    "build_deployments",
    "run_serve",
    "serve_deployments",
    "PREFECT_ENV",
    "_stop",
    "free_port",
    "wait_healthy",
]
