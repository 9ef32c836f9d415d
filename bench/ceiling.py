"""The extraction ceiling: ``trafilatura.extract`` (defaults) over the benchmark pages, in one
process and in one process per core, in pages per second. Nothing else runs: no network, no
tagging, no storage; the pages are already in memory in every worker.

Also, for reference, the same for borderwatch's own per-page work
(``flows.pipeline.extraction_pool.process_page``: extract_article + tag + fingerprint),
which is what the poll actually runs.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from typing import Any

from bench.corpus import Page, load_pages

_PAGES: tuple[Page, ...] = ()
_FN: Callable[[Page], Any] | None = None


def _trafilatura_extract(p: Page) -> Any:
    import trafilatura

    return trafilatura.extract(p.html)


def _process_page(p: Page) -> Any:
    from flows.pipeline.extraction_pool import PageJob, process_page

    job = PageJob(
        link=p.url or "https://example.com/a", canonical=p.url or "", final_url="", content=p.html
    )
    return process_page(job)


WORKLOADS: dict[str, Callable[[Page], Any]] = {
    "trafilatura": _trafilatura_extract,
    "process_page": _process_page,
}


def _init(workload: str, watchlist: str | None) -> None:
    global _PAGES, _FN
    _PAGES = load_pages(with_truth=False)
    _FN = WORKLOADS[workload]
    if watchlist:
        from flows.pipeline.extraction_pool import init_worker

        init_worker(watchlist)
    _FN(_PAGES[0])  # warm-up


def _one(i: int) -> int:
    assert _FN is not None
    _FN(_PAGES[i % len(_PAGES)])
    return i


def _ready(_: int) -> int:
    time.sleep(0.2)  # keeps a worker busy so each worker gets one
    return os.getpid()


def cpu_pages_per_second(workload: str = "trafilatura", watchlist: str | None = None) -> float:
    """Pages per CPU-second in this process: what one core gives when nobody else uses it.
    On a shared machine, cores × this is the all-cores ceiling that wall clocks cannot see."""
    n = len(load_pages(with_truth=False))
    _init(workload, watchlist)
    t = time.process_time()
    for i in range(n):
        _one(i)
    return n / (time.process_time() - t)


def pages_per_second(
    processes: int, *, workload: str = "trafilatura", rounds: int = 1, watchlist: str | None = None
) -> float:
    """Pages per second (wall clock) over ``rounds`` passes of all pages, with ``processes``
    processes (1 = in this process)."""
    n = len(load_pages(with_truth=False)) * rounds
    if processes <= 1:
        _init(workload, watchlist)
        t = time.perf_counter()
        for i in range(n):
            _one(i)
        return n / (time.perf_counter() - t)
    with ProcessPoolExecutor(
        processes,
        mp_context=get_context("spawn"),
        initializer=_init,
        initargs=(workload, watchlist),
    ) as pool:
        list(pool.map(_ready, range(processes)))  # all workers started and warm
        t = time.perf_counter()
        list(pool.map(_one, range(n), chunksize=2))
        return n / (time.perf_counter() - t)


if __name__ == "__main__":
    import sys

    from bench.corpus import data_dir, missing_message

    if data_dir() is None:
        print(missing_message())
        raise SystemExit(0)
    cores = os.cpu_count() or 1
    print(f"1 process: {pages_per_second(1):.1f} pages/s", file=sys.stderr)
    print(f"{cores} processes: {pages_per_second(cores):.1f} pages/s", file=sys.stderr)
