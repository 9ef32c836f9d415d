"""``make bench``: one run, one table, written into bench/README.md.

    .venv/bin/python -m bench.run             # the whole benchmark (< 10 minutes)
    .venv/bin/python -m bench.run --memory    # only the 10k-article peak-RSS run (~17 min today)
    .venv/bin/python -m bench.run --quick     # tiny sizes, nothing written (smoke test)

What runs (see bench/README.md for the method):

1. the extraction ceiling: trafilatura.extract over the benchmark pages, 1 process and one
   process per core (best of 2; also cores × pages per CPU-second), and borderwatch's own
   per-page work on all cores;
2. at 0 ms and at 50 ms latency, on the simulated web (bench/newsweb.py): borderwatch's poll
   (default politeness: 2 connections and 1 s between requests per host) and the naive
   sequential baseline (bench/baseline.py), each in a child process whose process tree RSS is
   sampled;
3. the idle re-poll: 500 feeds on 500 hosts, polled once, then again with nothing new;
4. (``--memory``) a 10k-article poll for peak RSS.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from bench import ceiling
from bench.corpus import REPO_ROOT, data_dir, missing_message
from bench.measure import ChildRun, run_child
from bench.newsweb import NewsWeb, WebConfig
from bench.report import machine_line, md_table, update_section

MB = 1024 * 1024
OTHER_BENCHES = ("bench_tagger", "bench_web")  # owned by others; their output is included


@dataclass(frozen=True)
class Plan:
    hosts: int = 100
    feeds: int = 200
    items: int = 10  # throughput runs: feeds × items articles
    baseline_feeds: int = 12  # the baseline polls the first N feeds only (it is slow)
    idle_hosts: int = 500
    idle_feeds: int = 500
    idle_items: int = 2
    idle_latency_ms: float = 50.0
    latencies: tuple[float, ...] = (0.0, 50.0)
    ceiling_tries: int = 2
    memory_hosts: int = 200
    memory_feeds: int = 500
    memory_items: int = 20  # 10,000 articles


QUICK = Plan(
    hosts=4,
    feeds=4,
    items=3,
    baseline_feeds=2,
    idle_hosts=6,
    idle_feeds=6,
    idle_items=1,
    idle_latency_ms=0.0,
    latencies=(0.0,),
    ceiling_tries=1,
)


def log(msg: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


# ------------------------------------------------------------------ steps


def poll(
    web: NewsWeb,
    workdir: Path,
    name: str,
    *,
    db: str | None = None,
    timeout: float = 900,
    **settings: Any,
) -> ChildRun:
    feeds = web.write_feeds_yaml(workdir / f"{name}-feeds.yaml")
    db = db or f"sqlite:///{workdir / (name + '.db')}"
    args = ["--feeds", str(feeds), "--db", db]
    for k, v in settings.items():
        args += ["--set", f"{k}={v}"]
    return run_child("bench.poll_child", args, timeout=timeout)


def baseline(web: NewsWeb, workdir: Path, name: str, feeds: int) -> ChildRun:
    urls = web.feed_urls()[:feeds]
    return run_child("bench.baseline", ["--db", str(workdir / f"{name}.db"), *urls])


def ceilings(plan: Plan) -> dict[str, float]:
    cores = os.cpu_count() or 1
    watchlist = str(REPO_ROOT / "config" / "watchlist.yaml")
    out = {
        "one": max(ceiling.pages_per_second(1) for _ in range(plan.ceiling_tries)),
        "all_wall": max(ceiling.pages_per_second(cores) for _ in range(plan.ceiling_tries)),
        "cpu": max(ceiling.cpu_pages_per_second() for _ in range(plan.ceiling_tries)),
    }
    # the all-cores ceiling: the measured pool rate, or cores × the per-CPU-second rate when
    # other processes on a shared machine held the pool back (whichever is higher)
    out["all"] = max(out["all_wall"], cores * out["cpu"])
    try:
        out["bw_all"] = ceiling.pages_per_second(
            cores, workload="process_page", watchlist=watchlist
        )
        out["bw_cpu"] = ceiling.cpu_pages_per_second("process_page", watchlist)
    except Exception as exc:  # the tagger may not be there yet
        log(f"process_page ceiling skipped: {type(exc).__name__}: {exc}")
    return out


@dataclass
class Throughput:
    latency_ms: float
    bw: ChildRun
    base: ChildRun
    web_stats: dict[str, Any]

    @property
    def bw_rate(self) -> float:
        return float(self.bw.result["new_articles"]) / float(self.bw.result["run_s"])

    @property
    def base_rate(self) -> float:
        return float(self.base.result["articles"]) / float(self.base.result["seconds"])


def throughput(plan: Plan, latency: float, workdir: Path) -> Throughput:
    cfg = WebConfig(plan.hosts, plan.feeds, plan.items, latency_ms=latency)
    with NewsWeb(cfg) as web:
        log(f"borderwatch poll, {plan.feeds}×{plan.items} articles, {latency:g} ms")
        bw = poll(web, workdir, f"bw-{latency:g}")
        stats = web.stats()
        log(
            f"  {bw.result['new_articles']} new in {bw.result['run_s']:.1f}s; "
            f"errors {bw.result['article_errors']}, failed feeds {bw.result['feeds_failed']}"
        )
    # the baseline gets a fresh server, so that its requests are its own
    with NewsWeb(cfg) as web:
        log(f"baseline, {plan.baseline_feeds}×{plan.items} articles, {latency:g} ms")
        base = baseline(web, workdir, f"base-{latency:g}", plan.baseline_feeds)
        log(f"  {base.result['articles']} in {base.result['seconds']:.1f}s")
    return Throughput(latency, bw, base, stats)


@dataclass
class Idle:
    prime: ChildRun
    again: ChildRun
    web_stats: dict[str, Any]


def idle(plan: Plan, workdir: Path) -> Idle:
    cfg = WebConfig(plan.idle_hosts, plan.idle_feeds, plan.idle_items, plan.idle_latency_ms)
    with NewsWeb(cfg) as web:
        db = f"sqlite:///{workdir / 'idle.db'}"
        log(f"idle: priming poll of {plan.idle_feeds} feeds on {plan.idle_hosts} hosts")
        prime = poll(web, workdir, "idle", db=db)
        before = web.stats()
        log("idle: re-poll, nothing new")
        again = poll(web, workdir, "idle", db=db)
        after = web.stats()
    stats = {k: after[k] - before[k] for k in ("feeds_200", "feeds_304", "pages", "other")}
    log(f"  re-poll {again.result['run_s']:.2f}s ({stats})")
    return Idle(prime, again, stats)


def memory_run(plan: Plan, workdir: Path) -> ChildRun:
    cfg = WebConfig(plan.memory_hosts, plan.memory_feeds, plan.memory_items, latency_ms=0)
    with NewsWeb(cfg) as web:
        n = plan.memory_feeds * plan.memory_items
        log(f"memory: one poll of {n} articles")
        r = poll(web, workdir, "memory", timeout=3600)
    log(
        f"  {r.result['new_articles']} new in {r.result['run_s']:.1f}s, "
        f"peak {r.peak_rss / MB:.0f} MB"
    )
    return r


def other_tables() -> str:
    parts = []
    for mod in OTHER_BENCHES:
        if not (REPO_ROOT / "bench" / f"{mod}.py").exists():
            continue
        log(f"running bench.{mod}")
        try:
            p = subprocess.run(
                [sys.executable, "-m", f"bench.{mod}"],
                cwd=REPO_ROOT,
                capture_output=True,
                text=True,
                timeout=300,
            )
            text = p.stdout.strip() or f"(no output; exit {p.returncode}) {p.stderr[-500:]}"
        except subprocess.TimeoutExpired:
            text = "(timed out after 300 s)"
        parts.append(f"### `bench/{mod}.py`\n\n{text}")
    return "\n\n".join(parts)


# ------------------------------------------------------------------ table


def _f(x: float, nd: int = 1) -> str:
    return f"{x:.{nd}f}"


def _other_cpu(r: dict[str, Any]) -> float:
    """CPU seconds of every process of the poll's tree but the poll process itself."""
    tree = r.get("cpu_tree_s")
    if tree is None:
        return float(r.get("cpu_workers_s", 0.0))
    return max(float(tree) - float(r["cpu_main_s"]), float(r.get("cpu_workers_s", 0.0)))


def stage_rows(r: dict[str, Any]) -> list[list[str]]:
    steps, st = r["steps"], r["stage_seconds"]
    run_s = r["run_s"]
    process = steps.get("fetch-extract-tag-store", 0.0)
    store = st.get("store", 0.0)
    accounted = sum(steps.values())
    workers = r.get("workers", os.cpu_count() or 1)
    busy = st.get("extract", 0.0) + st.get("tag", 0.0)
    fx_wall = process - store
    rows = [
        ["lease feeds (wall)", _f(steps.get("lease-feeds", 0.0), 2)],
        ["fetch feeds (wall)", _f(steps.get("fetch-feeds", 0.0), 2)],
        ["select new entries (wall)", _f(steps.get("select-new-entries", 0.0), 2)],
        ["fetch articles + extract + tag (wall)", _f(fx_wall, 2)],
        [
            "  · article fetches (Σ over requests, incl. politeness waits)",
            _f(st.get("fetch_articles", 0.0), 1),
        ],
        ["  · extract (Σ worker seconds)", _f(st.get("extract", 0.0), 1)],
        ["  · tag + fingerprint (Σ worker seconds)", _f(st.get("tag", 0.0), 1)],
        [
            f"  · extraction workers busy ({workers} processes)",
            f"{100 * busy / max(workers * fx_wall, 1e-9):.0f} %",
        ],
        ["store (wall, main process)", _f(store, 2)],
        ["record feed health (wall)", _f(steps.get("record-feed-health", 0.0), 2)],
        [
            "orchestration (PollRun setup/teardown: feed sync, fetcher, pool start/stop; "
            "time between steps)",
            _f(run_s - accounted, 2),
        ],
        ["= poll total (run_poll wall)", _f(run_s, 2)],
        ["process start + imports + DB open (not in the rates)", _f(r["import_s"], 2)],
        [
            "CPU: poll process / the rest of the tree: extraction workers, fork server (s)",
            f"{r['cpu_main_s']:.1f} / {_other_cpu(r):.1f}",
        ],
    ]
    return rows


def render(
    plan: Plan,
    ceil: dict[str, float],
    runs: list[Throughput],
    idle_res: Idle | None,
    mem: ChildRun | None,
) -> str:
    cores = os.cpu_count() or 1
    hdr = ["", *[f"{t.latency_ms:g} ms latency" for t in runs]]
    rows: list[list[str]] = [
        ["borderwatch poll, articles/s", *[_f(t.bw_rate) for t in runs]],
        [
            "  articles (new / errors)",
            *[f"{t.bw.result['new_articles']} / {t.bw.result['article_errors']}" for t in runs],
        ],
        [
            "  poll seconds (process wall incl. start-up)",
            *[f"{t.bw.result['run_s']:.1f} ({t.bw.wall:.1f})" for t in runs],
        ],
        ["naive baseline, articles/s", *[_f(t.base_rate) for t in runs]],
        [
            "  articles, seconds",
            *[f"{t.base.result['articles']}, {t.base.result['seconds']:.1f}" for t in runs],
        ],
        [
            "**ratio borderwatch / baseline**",
            *[f"**{t.bw_rate / t.base_rate:.1f}×**" for t in runs],
        ],
        [
            f"**borderwatch / all-cores ceiling ({_f(ceil['all'])} pages/s)**",
            *[f"**{100 * t.bw_rate / ceil['all']:.0f} %**" for t in runs],
        ],
        ["peak RSS, borderwatch process tree", *[f"{t.bw.peak_rss / MB:.0f} MB" for t in runs]],
        ["peak RSS, baseline", *[f"{t.base.peak_rss / MB:.0f} MB" for t in runs]],
        [
            "politeness seen by the server: max concurrent / min gap per host",
            *[
                f"{t.web_stats['max_inflight_per_host']} / {t.web_stats['min_gap_per_host_s']} s"
                for t in runs
            ],
        ],
    ]
    out = [
        f"Measured {machine_line()}.",
        "",
        f"Simulated web: {plan.hosts} hosts (127.1.x.y), {plan.feeds} feeds × {plan.items} "
        f"items = {plan.feeds * plan.items} articles for borderwatch, the first "
        f"{plan.baseline_feeds} feeds ({plan.baseline_feeds * plan.items} articles) for the "
        "baseline; borderwatch with its defaults (per_host_concurrency 2, per_host_delay 1 s, "
        f"global_concurrency 64, {cores} extraction processes, SQLite). Rates count new articles "
        "over the poll's own wall time (process start-up excluded).",
        "",
        md_table(hdr, rows),
        "",
        md_table(
            ["extraction ceiling (no network, no storage)", "pages/s"],
            [
                ["trafilatura.extract, 1 process (wall)", _f(ceil["one"])],
                ["trafilatura.extract, per CPU-second of one process", _f(ceil["cpu"])],
                [f"trafilatura.extract, {cores} processes (wall)", _f(ceil["all_wall"])],
                [
                    f"**all-cores ceiling used below** = max({cores} processes wall, "
                    f"{cores} × per CPU-second)",
                    f"**{_f(ceil['all'])}**",
                ],
                *(
                    [
                        [
                            f"borderwatch process_page (extract_article + tag), {cores} "
                            "processes (wall)",
                            _f(ceil["bw_all"]),
                        ],
                        [
                            "borderwatch process_page, per CPU-second of one process",
                            _f(ceil["bw_cpu"]),
                        ],
                    ]
                    if "bw_all" in ceil
                    else []
                ),
            ],
        ),
    ]
    if idle_res is not None:
        a, p = idle_res.again.result, idle_res.prime.result
        out += [
            "",
            md_table(
                [
                    f"idle re-poll: {plan.idle_feeds} feeds on {plan.idle_hosts} hosts, "
                    f"{plan.idle_latency_ms:g} ms latency",
                    "value",
                ],
                [
                    ["priming poll (articles, seconds)", f"{p['new_articles']}, {p['run_s']:.1f}"],
                    ["**re-poll with nothing new, poll seconds**", f"**{a['run_s']:.2f}**"],
                    ["  process wall incl. start-up", _f(idle_res.again.wall, 2)],
                    [
                        "  feeds not modified / new articles",
                        f"{a['feeds_not_modified']} / {a['new_articles']}",
                    ],
                    [
                        "  server saw: feeds 200 / 304, pages",
                        (
                            f"{idle_res.web_stats['feeds_200']} / "
                            f"{idle_res.web_stats['feeds_304']}, "
                            f"{idle_res.web_stats['pages']}"
                        ),
                    ],
                    ["  peak RSS", f"{idle_res.again.peak_rss / MB:.0f} MB"],
                    *[["  " + k, _f(v, 2)] for k, v in a["steps"].items()],
                ],
            ),
        ]
    if mem is not None:
        out += ["", memory_table(mem)]
    out += [
        "",
        "Per-stage breakdown of the borderwatch polls above (seconds):",
        "",
        md_table(
            ["stage", *[f"{t.latency_ms:g} ms" for t in runs]],
            [
                [r[0], *[stage_rows(t.bw.result)[i][1] for t in runs]]
                for i, r in enumerate(stage_rows(runs[0].bw.result))
            ],
        ),
    ]
    return "\n".join(out)


def memory_table(mem: ChildRun) -> str:
    r = mem.result
    return md_table(
        ["10k-article poll (`--memory`)", "value"],
        [
            ["articles (new / errors)", f"{r['new_articles']} / {r['article_errors']}"],
            ["poll seconds, articles/s", f"{r['run_s']:.1f}, {r['new_articles'] / r['run_s']:.1f}"],
            [
                "**peak RSS, process tree**",
                f"**{mem.peak_rss / MB:.0f} MB** ({mem.peak_procs} processes)",
            ],
        ],
    )


# ------------------------------------------------------------------ main


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="borderwatch benchmarks (issue 9)")
    ap.add_argument("--memory", action="store_true", help="only the 10k-article peak-RSS run")
    ap.add_argument("--quick", action="store_true", help="tiny sizes; writes nothing")
    ap.add_argument("--no-write", action="store_true", help="print only, leave README alone")
    ap.add_argument("--workdir", help="keep databases here (default: a temp dir)")
    args = ap.parse_args(argv)
    if data_dir() is None:
        print(missing_message())
        return 0
    plan = QUICK if args.quick else Plan()
    write = not (args.quick or args.no_write)
    t0 = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="bw-bench-", dir=args.workdir) as tmp:
        workdir = Path(tmp)
        if args.memory:
            mem = memory_run(
                plan if not args.quick else replace(plan, memory_feeds=4, memory_items=3), workdir
            )
            body = f"Measured {machine_line()}.\n\n" + memory_table(mem)
            print(body)
            if write:
                update_section("memory", body)
            return 0
        log("extraction ceiling")
        ceil = ceilings(plan)
        log(f"  {ceil}")
        runs = [throughput(plan, lat, workdir) for lat in plan.latencies]
        idle_res = idle(plan, workdir)
    body = render(plan, ceil, runs, idle_res, None)
    mine = time.perf_counter() - t0
    others = other_tables() if write else ""
    body += (
        f"\n\nWhole `make bench`: {time.perf_counter() - t0:.0f} s "
        f"(these measurements {mine:.0f} s, the other benchmarks below the rest)."
    )
    print(body)
    if write:
        update_section("run", body)
        if others:
            update_section("others", others)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
