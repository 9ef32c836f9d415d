"""One borderwatch poll (or baseline) on the simulated web, for profiling and experiments.

    python -m bench.one [--hosts 100 --feeds 200 --items 12 --latency-ms 0]
                        [--pipeline MODULE] [--baseline] [--py-spy FILE]
                        [--set key=value …]

Prints the stage breakdown and the server's politeness statistics. ``--py-spy FILE`` records
a flame graph (SVG; collapsed stacks if FILE ends in .txt) of the poll process and its
extraction workers (needs py-spy).
"""

from __future__ import annotations

import argparse
import json
import shutil
import tempfile
from pathlib import Path

from bench.corpus import data_dir, missing_message
from bench.measure import run_child
from bench.newsweb import NewsWeb, WebConfig
from bench.report import md_table
from bench.run import MB, stage_rows


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--hosts", type=int, default=100)
    ap.add_argument("--feeds", type=int, default=200)
    ap.add_argument("--items", type=int, default=12)
    ap.add_argument("--latency-ms", type=float, default=0.0)
    ap.add_argument("--pipeline", default="flows.pipeline.poll")
    ap.add_argument("--baseline", action="store_true")
    ap.add_argument("--repoll", action="store_true", help="poll twice, report the second")
    ap.add_argument("--py-spy", dest="pyspy", help="write a py-spy flame graph here")
    ap.add_argument("--set", action="append", default=[])
    a = ap.parse_args(argv)
    if data_dir() is None:
        print(missing_message())
        return 0
    cfg = WebConfig(a.hosts, a.feeds, a.items, latency_ms=a.latency_ms)
    with tempfile.TemporaryDirectory(prefix="bw-one-") as tmp, NewsWeb(cfg) as web:
        work = Path(tmp)
        if a.baseline:
            r = run_child("bench.baseline", ["--db", str(work / "b.db"), *web.feed_urls()])
            print(json.dumps(r.result), f"peak {r.peak_rss / MB:.0f} MB")
            return 0
        feeds = web.write_feeds_yaml(work / "feeds.yaml")
        args = ["--feeds", str(feeds), "--db", f"sqlite:///{work / 'bw.db'}"]
        args += ["--pipeline", a.pipeline] + [x for kv in a.set for x in ("--set", kv)]
        wrap: list[str] = []
        if a.pyspy:
            spy = shutil.which("py-spy") or str(Path(__file__).parents[1] / ".venv/bin/py-spy")
            fmt = "raw" if a.pyspy.endswith(".txt") else "flamegraph"
            wrap = [spy, "record", "--subprocesses", "--rate", "50", "-f", fmt, "-o", a.pyspy, "--"]
        if a.repoll:
            run_child("bench.poll_child", args)
        r = run_child("bench.poll_child", args, wrap=wrap)
        res = r.result
        print(
            f"new {res['new_articles']} errors {res['article_errors']} failed feeds "
            f"{res['feeds_failed']} in {res['run_s']:.2f}s = "
            f"{res['new_articles'] / res['run_s']:.1f} articles/s; peak RSS "
            f"{r.peak_rss / MB:.0f} MB ({r.peak_procs} procs)"
        )
        peaks = sorted(r.per_proc_peak.values(), reverse=True)
        print("per-process peak RSS (MB):", [round(x / MB) for x in peaks])
        print(md_table(["stage", "s"], stage_rows(res)))
        print("server:", web.stats())
        if res.get("failed"):
            print("failed:", res["failed"])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
