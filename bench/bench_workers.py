"""Throughput with 1 and 2 pollers sharing one feed list through feed leases (issue 10).

    .venv/bin/python -m bench.bench_workers [--feeds 200] [--items 10] [--hosts 100]

Each case: a fresh PostgreSQL database, the simulated news web (bench/newsweb.py, 50 ms
latency), W `borderwatch poll --due` processes started together (each with its own extraction
pool of one process per core); articles/s = new articles / wall time until the last poller
ends. On a 2-core machine the pollers compete for the same cores, so expect little gain:
this measures the coordination cost, not a speed-up.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

from sqlalchemy import create_engine, text

from bench.newsweb import NewsWeb, WebConfig

PG = os.environ.get("BORDERWATCH_BENCH_PG", "postgresql+psycopg://postgres@127.0.0.1:5432")


def run_case(workers: int, cfg: WebConfig, tmp: Path) -> dict[str, float]:
    name = f"bw_bench_workers_{uuid.uuid4().hex[:8]}"
    admin = create_engine(f"{PG}/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(text(f'CREATE DATABASE "{name}"'))
    db = f"{PG}/{name}"
    try:
        with NewsWeb(cfg) as web:
            feeds = web.write_feeds_yaml(tmp / f"feeds-{workers}.yaml")
            env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_API")}
            env.update(
                {
                    "BORDERWATCH_DATABASE_URL": db,
                    "BORDERWATCH_FEEDS": str(feeds),
                    "BORDERWATCH_ALLOW_PRIVATE_ADDRESSES": "true",
                    "BORDERWATCH_FEED_BATCH": "100",
                }
            )
            subprocess.run(
                [sys.executable, "-m", "flows.cli", "db", "upgrade"],
                env=env,
                check=True,
                capture_output=True,
            )
            t0 = time.perf_counter()
            procs = [
                subprocess.Popen(
                    [sys.executable, "-m", "flows.cli", "poll", "--due", "--json"],
                    env=env,
                    stdout=subprocess.PIPE,
                    text=True,
                )
                for _ in range(workers)
            ]
            outs = [json.loads(p.communicate()[0].strip().splitlines()[-1]) for p in procs]
            wall = time.perf_counter() - t0
        new = sum(o["new_articles"] for o in outs)
        return {
            "workers": workers,
            "articles": new,
            "seconds": round(wall, 1),
            "articles_per_s": round(new / wall, 1),
            "feeds_per_worker": [o["feeds"] for o in outs],
        }  # type: ignore[dict-item]
    finally:
        with admin.connect() as c:
            c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--feeds", type=int, default=200)
    ap.add_argument("--items", type=int, default=10)
    ap.add_argument("--hosts", type=int, default=100)
    ap.add_argument("--latency-ms", type=float, default=50)
    a = ap.parse_args()
    cfg = WebConfig(hosts=a.hosts, feeds=a.feeds, items=a.items, latency_ms=a.latency_ms)
    rows = []
    with tempfile.TemporaryDirectory() as d:
        for w in (1, 2):
            rows.append(run_case(w, cfg, Path(d)))
            print(json.dumps(rows[-1]), flush=True)
    print("\n| pollers | articles | seconds | articles/s | feeds per poller |")
    print("|---:|---:|---:|---:|---|")
    for r in rows:
        print(
            f"| {r['workers']} | {r['articles']} | {r['seconds']} | {r['articles_per_s']} | "
            f"{r['feeds_per_worker']} |"
        )


if __name__ == "__main__":
    main()
