"""Soak benchmark (issue 19): ``borderwatch serve`` for 15 minutes with a per-minute cron and
SQLite against the simulated news web (bench/newsweb.py) with rotating windows, archives and
faults. ``make bench-soak`` (``python -m bench.bench_soak [--minutes 15]``).

The web: 30 feeds on 10 hosts, 10 items per feed, 2 new items per feed per minute (one every
30 s, so a feed's window turns over in 5 minutes), archives at ``?paged=N``, and the faults of
``newsweb --faults``: the last feed answers 500 for ever (unreachable), some pages answer 500
for ever (one in ten of feeds 0-9 with a working AMP twin listed by feeds 10-19 that names its
canonical only in an HTTP Link header; one in ten of feeds 20-28 with no twin), and one page in
13 answers 503 for its first minute. Publication starts with the first feed request and stops
``--drain`` minutes before the end. After the 15 minutes the bench lets serve drain: it stops
it between runs once every reachable feed has been fetched since publication stopped (at most
``--grace`` minutes more; the time it took is reported as ``drain_after_minutes_s``).

It reports: stories published on reachable feeds against stored (distinct stories: an AMP
twin and its canonical are one story; also counted over the stories published before each
feed's last completed fetch started, the ones a poller could have seen), duplicate rows (rows
beyond one per story), stubs left (rows whose text is not from the page) and why (the fault of
their page), gaps detected and filled, the fetches recorded, and the RSS of the whole serve
tree (serve, the Prefect server, the serving child and the flow runs with their extraction
workers) per minute: its floor between runs (no flow run alive) and its peak. ``--json PATH``
writes the numbers.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from datetime import datetime
from pathlib import Path
from typing import Any

from bench.corpus import REPO_ROOT
from bench.measure import tree_rss
from bench.newsweb import NewsWeb, WebConfig, fault_of, published_at

STORY = re.compile(r"/(news|lite)/(\d+)/(\d+)\.html$")


def story_of(url: str) -> tuple[int, int] | None:
    m = STORY.search(url if url.endswith(".html") else url + ".html")
    return (int(m.group(2)), int(m.group(3))) if m else None


def analyse(db_url: str, cfg: WebConfig, top: int, started: datetime) -> dict[str, Any]:
    """Compare what the web published with what borderwatch stored."""
    from sqlalchemy import func, select

    from storage.db import open_database, session_scope
    from storage.tables import Article, ArticleUrl, Feed, FeedGap

    engine = open_database(db_url)
    try:
        with session_scope(engine) as s:
            last_ok = {
                int(name.removeprefix("bench-")): at
                for name, at in s.execute(select(Feed.name, Feed.last_success_at))
            }
            rows = s.execute(
                select(Article.id, Article.canonical_url, Article.url, Article.text_source)
            ).all()
            aliases = list(s.scalars(select(ArticleUrl.url)))
            gaps = s.execute(
                select(
                    func.count(),
                    func.count(FeedGap.filled_at),
                    func.coalesce(func.sum(FeedGap.items_found), 0),
                    func.count(FeedGap.fill_error),
                )
            ).one()
            gap_feeds = s.scalar(select(func.count(func.distinct(FeedGap.feed_id))))
    finally:
        engine.dispose()
    reachable = [i for i in range(cfg.feeds) if fault_of(cfg, i, 0) != "feed_500"]
    published = {(i, j) for i in reachable for j in range(top)}
    per_story: Counter[tuple[int, int]] = Counter()
    stubs: Counter[str] = Counter()
    unknown_rows = 0
    for _id, canonical, url, source in rows:
        st = story_of(canonical) or story_of(url)
        if st is None:
            unknown_rows += 1
            continue
        per_story[st] += 1
        if source != "page":
            stubs[f"{source}: {fault_of(cfg, *st) or 'no fault'}"] += 1
    # a story whose URL is only an alias of another story's row was folded into it (lost)
    folded = {st for u in aliases if (st := story_of(u))} - set(per_story)
    stored = published & set(per_story)
    missing = published - stored
    missing_why = Counter(fault_of(cfg, *st) or "no fault" for st in missing)
    # what could have been seen: published before the feed's last completed fetch started
    seeable = {
        (i, j)
        for i, j in published
        if last_ok.get(i) is not None and published_at(cfg, started, j) < last_ok[i]
    }
    return {
        "published_reachable": len(published),
        "stored_of_published": len(stored),
        "stored_pct": round(100 * len(stored) / max(1, len(published)), 2),
        "published_before_last_poll": len(seeable),
        "stored_of_those": len(seeable & stored),
        "stored_of_those_pct": round(100 * len(seeable & stored) / max(1, len(seeable)), 2),
        "missing_by_fault": dict(missing_why),
        "missing_folded_into_another_row": len(published & folded),
        "rows": len(rows),
        "duplicate_rows": sum(n - 1 for n in per_story.values()) + unknown_rows,
        "stubs_left": dict(stubs),
        "stubs_total": sum(stubs.values()),
        "gaps_detected": gaps[0],
        "gaps_filled": gaps[1],
        "gap_items_stored": int(gaps[2]),
        "gap_fill_errors": gaps[3],
        "feeds_with_gaps": gap_feeds,
    }


def fetch_counts(db_url: str) -> dict[str, Any]:
    from sqlalchemy import func, select

    from storage.db import open_database, session_scope
    from storage.tables import Feed, FeedFetch

    engine = open_database(db_url)
    try:
        with session_scope(engine) as s:
            per_feed = s.execute(
                select(FeedFetch.feed_id, func.count()).group_by(FeedFetch.feed_id)
            ).all()
            outcomes = {
                o: n
                for o, n in s.execute(
                    select(FeedFetch.outcome, func.count()).group_by(FeedFetch.outcome)
                )
            }
            intervals = Counter(s.scalars(select(Feed.interval_seconds)))
    finally:
        engine.dispose()
    counts = sorted(n for _, n in per_feed)
    return {
        "fetches": sum(counts),
        "fetches_per_feed_min": counts[0] if counts else 0,
        "fetches_per_feed_max": counts[-1] if counts else 0,
        "outcomes": outcomes,
        "final_intervals_s": {str(k): v for k, v in sorted(intervals.items())},
    }


def run(args: argparse.Namespace) -> dict[str, Any]:
    publish_for = max(0.0, (args.minutes - args.drain) * 60)
    cfg = WebConfig(
        hosts=args.hosts,
        feeds=args.feeds,
        items=args.items,
        latency_ms=args.latency_ms,
        new_every=60 / args.per_minute,
        new_per_step=1,
        rotate=True,
        archive=True,
        faults=True,
        publish_for=publish_for,
    )
    work = Path(args.workdir or tempfile.mkdtemp(prefix="bw-soak-"))
    data = work / "data"
    if data.exists():
        shutil.rmtree(data)
    data.mkdir(parents=True)
    db_url = f"sqlite:///{data / 'borderwatch.db'}"
    samples: list[tuple[float, int, bool]] = []
    grace = 0.0
    with NewsWeb(cfg) as web:
        feeds = web.write_feeds_yaml(work / "feeds.yaml")
        env = {
            **os.environ,
            "BORDERWATCH_DATA_DIR": str(data),
            "BORDERWATCH_DATABASE_URL": db_url,
            "BORDERWATCH_FEEDS": str(feeds),
            "BORDERWATCH_POLL_CRON": "* * * * *",
            "BORDERWATCH_ALLOW_PRIVATE_ADDRESSES": "true",
        }
        env.pop("PREFECT_API_URL", None)
        log = open(work / "serve.log", "wb")  # noqa: SIM115 - closed below
        proc = subprocess.Popen(
            [sys.executable, "-m", "flows.cli", "serve", "--port", str(args.port)],
            cwd=REPO_ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        t0 = time.monotonic()
        done = threading.Event()

        def watch() -> None:
            while not done.is_set():
                samples.append((time.monotonic() - t0, tree_rss(proc.pid), runs_active(proc.pid)))
                done.wait(1.0)

        th = threading.Thread(target=watch, daemon=True)
        th.start()
        try:
            while time.monotonic() - t0 < args.minutes * 60:
                if proc.poll() is not None:
                    raise RuntimeError(f"serve exited early ({proc.returncode}); see serve.log")
                time.sleep(2)
            # drain: publication stopped --drain minutes ago; stop between runs once every
            # reachable feed has been fetched since (up to --grace more minutes)
            end = time.monotonic()
            started = web.stats()["started"]
            pub_end = datetime.fromisoformat(started).timestamp() + publish_for if started else 0
            while time.monotonic() - end < args.grace * 60:
                if not runs_active(proc.pid) and caught_up(db_url, cfg, pub_end):
                    break
                time.sleep(1)
            grace = time.monotonic() - end
        finally:
            done.set()  # no samples while serve shuts down (not "between runs")
            th.join()
            proc.send_signal(signal.SIGINT)
            try:
                proc.wait(90)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
            log.close()
        stats = web.stats()
    report = analyse(db_url, cfg, int(stats["top"]), datetime.fromisoformat(stats["started"]))
    report.update(fetch_counts(db_url))
    report["web"] = {
        k: stats[k] for k in ("top", "feeds_200", "feeds_304", "pages", "archive_pages")
    } | {
        "faults_served": stats["faults_served"],
        "max_inflight_per_host": stats["max_inflight_per_host"],
        "min_gap_per_host_s": stats["min_gap_per_host_s"],
    }
    report["config"] = {
        "minutes": args.minutes,
        "publishing_minutes": publish_for / 60,
        "feeds": args.feeds,
        "hosts": args.hosts,
        "items": args.items,
        "new_per_feed_per_minute": args.per_minute,
        "cron": "* * * * *",
        "database": "sqlite",
        "drain_after_minutes_s": round(grace, 1),
    }
    report["memory_mb_per_minute"] = memory_per_minute(samples)
    floors = [m["between_runs"] for m in report["memory_mb_per_minute"] if m["between_runs"]]
    report["memory_floor_first_last_mb"] = [floors[0], floors[-1]] if floors else None
    report["memory_floor_growth_mb"] = round(floors[-1] - floors[0], 1) if floors else None
    report["run_errors"] = _run_errors(work / "serve.log")
    return report


def caught_up(db_url: str, cfg: WebConfig, pub_end: float) -> bool:
    """Has every reachable feed had a successful fetch since publication stopped?"""
    from sqlalchemy import select

    from storage.db import open_database, session_scope
    from storage.tables import Feed

    engine = open_database(db_url)
    try:
        with session_scope(engine) as s:
            rows = s.execute(select(Feed.name, Feed.last_success_at)).all()
    finally:
        engine.dispose()
    reachable = {f"bench-{i}" for i in range(cfg.feeds) if fault_of(cfg, i, 0) != "feed_500"}
    ok = {n for n, at in rows if at is not None and at.timestamp() >= pub_end}
    return reachable <= ok


def runs_active(pid: int) -> bool:
    """Is a flow run (a ``prefect.engine`` process) running under serve?"""
    import psutil

    try:
        for p in psutil.Process(pid).children(recursive=True):
            try:
                if "prefect.engine" in " ".join(p.cmdline()):
                    return True
            except psutil.Error:
                continue
    except psutil.Error:
        return False
    return False


def memory_per_minute(samples: list[tuple[float, int, bool]]) -> list[dict[str, Any]]:
    """Per minute of the soak: the serve tree's RSS between runs (the lowest sample with no
    flow run alive; null when a run lasted the whole minute) and its peak (MB)."""
    by_min: dict[int, list[tuple[int, bool]]] = {}
    for t, rss, active in samples:
        if rss:
            by_min.setdefault(int(t // 60), []).append((rss, active))
    out = []
    for m, v in sorted(by_min.items()):
        idle = [r for r, a in v if not a]
        out.append(
            {
                "minute": m,
                "between_runs": round(min(idle) / 2**20, 1) if idle and m > 0 else None,
                "peak": round(max(r for r, _ in v) / 2**20, 1),
                "runs_active_s": sum(1 for _, a in v if a),
            }
        )
    return out


def _run_errors(log: Path) -> dict[str, int]:
    """Crashed / failed flow runs as the serve log reports them."""
    text = log.read_text(encoding="utf-8", errors="replace") if log.exists() else ""
    return {
        "completed": len(re.findall(r"Flow run '[^']+' - Finished in state Completed", text)),
        "failed": len(re.findall(r"Flow run '[^']+' - Finished in state (?:Failed|Crashed)", text)),
        "tracebacks": text.count("Traceback (most recent call last)"),
    }


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--minutes", type=float, default=15)
    ap.add_argument("--drain", type=float, default=2, help="minutes at the end with no news")
    ap.add_argument("--feeds", type=int, default=30)
    ap.add_argument("--hosts", type=int, default=10)
    ap.add_argument("--items", type=int, default=10)
    ap.add_argument("--per-minute", type=int, default=2)
    ap.add_argument("--latency-ms", type=float, default=20)
    ap.add_argument("--grace", type=float, default=10, help="minutes to let the last run end")
    ap.add_argument("--port", type=int, default=4277, help="the local Prefect server's port")
    ap.add_argument("--workdir", help="keep the database and serve.log here")
    ap.add_argument("--json", help="write the report here")
    args = ap.parse_args(argv)
    report = run(args)
    text = json.dumps(report, indent=2)
    if args.json:
        Path(args.json).write_text(text + "\n", encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
