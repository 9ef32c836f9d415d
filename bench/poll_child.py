"""One borderwatch poll, as ``borderwatch poll --json`` runs it without Prefect, in its own
process (so the harness can watch the RSS of it and its extraction workers).

    python -m bench.poll_child --feeds FILE --db URL [--set key=value …] [--pipeline MODULE]

Prints one JSON line: the PollSummary plus ``steps`` (wall seconds of each pipeline step,
timed through run_poll's ``stage`` hook), ``import_s`` and CPU seconds of this process and
of its (joined) worker processes. ``--pipeline`` runs a prototype copy instead of
flows.pipeline.poll (see bench/README.md).
"""

from __future__ import annotations

import time

T_START = time.perf_counter()

import argparse  # noqa: E402
import importlib  # noqa: E402
import json  # noqa: E402
import resource  # noqa: E402
from collections.abc import Callable  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--feeds", required=True)
    ap.add_argument("--db", required=True)
    ap.add_argument("--set", action="append", default=[], help="settings override key=value")
    ap.add_argument("--pipeline", default="flows.pipeline.poll")
    a = ap.parse_args()

    from config.settings import load_settings
    from config.sources import load_feeds
    from storage.db import open_database

    pipeline = importlib.import_module(a.pipeline)
    overrides: dict[str, Any] = {
        "database_url": a.db,
        "allow_private_addresses": True,
        "data_dir": str(Path(a.feeds).parent),
    }
    for kv in a.set:
        k, v = kv.split("=", 1)
        overrides[k] = json.loads(v) if v[:1] in "0123456789-[{tf" else v
    settings = load_settings(**overrides)
    sources = load_feeds(Path(a.feeds))
    engine = open_database(settings.db_url)
    import_s = time.perf_counter() - T_START

    steps: dict[str, float] = {}

    def stage(name: str, fn: Callable[..., Any]) -> Callable[..., Any]:
        def timed(*args: Any, **kw: Any) -> Any:
            t = time.perf_counter()
            try:
                return fn(*args, **kw)
            finally:
                steps[name] = steps.get(name, 0.0) + time.perf_counter() - t

        return timed

    t = time.perf_counter()
    summary = pipeline.run_poll(settings, engine, sources, stage=stage)
    run_s = time.perf_counter() - t
    engine.dispose()
    me = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    out = summary.as_dict()
    out.pop("failed_feeds", None)
    out.update(
        steps=steps,
        run_s=run_s,
        import_s=import_s,
        cpu_main_s=me.ru_utime + me.ru_stime,
        cpu_workers_s=kids.ru_utime + kids.ru_stime,
        failed=summary.failed_feeds[:3],
    )
    print(json.dumps(out, default=str))


if __name__ == "__main__":
    main()
