"""The scripted distributed set-up: a Prefect server on PostgreSQL, the process work pool,
the deployments of prefect.yaml and two workers; a poll cycle fans out to two poll runs that
share the feeds. Slow (starts a real server), runs in CI."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import create_engine, func, select, text

from storage.db import open_database, session_scope
from storage.tables import Article, Feed
from tests.conftest import PG_ADMIN_URL, ROOT, create_pg_database, drop_pg_database, require_pg

pytestmark = [pytest.mark.slow, pytest.mark.prefect, pytest.mark.postgres]


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_distributed_setup_runs_a_poll_cycle_through_two_workers(demo_site, tmp_path: Path):
    require_pg()
    feeds = tmp_path / "feeds.yaml"
    demo_site.write_feeds_yaml(feeds)
    db_url = create_pg_database("bw_dist")
    prefect_db = f"bw_prefect_{uuid.uuid4().hex[:8]}"
    port = _port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_API", "PREFECT_HOME"))}
    env.update(
        {
            "BORDERWATCH_DATABASE_URL": db_url,
            "BORDERWATCH_FEEDS": str(feeds),
            "BORDERWATCH_ALLOW_PRIVATE_ADDRESSES": "true",
            "BORDERWATCH_WORKERS": "1",
            "BORDERWATCH_PER_HOST_DELAY": "0",
            "BORDERWATCH_FEED_BATCH": "2",
        }
    )
    pg_base = PG_ADMIN_URL.rsplit("/", 1)[0].replace("+psycopg", "+asyncpg")
    proc = subprocess.Popen(
        [
            sys.executable,
            str(ROOT / "scripts" / "serve_distributed.py"),
            "--workers",
            "2",
            "--port",
            str(port),
            "--home",
            str(tmp_path / "prefect"),
            "--prefect-db",
            f"{pg_base}/{prefect_db}",
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    api = f"http://127.0.0.1:{port}/api"
    out = ""
    try:
        assert proc.stdout is not None
        deadline = time.monotonic() + 240
        while time.monotonic() < deadline:
            line = proc.stdout.readline()
            out += line
            if line.startswith("PREFECT_API_URL=") or proc.poll() is not None:
                break
        assert f"PREFECT_API_URL={api}" in out, out
        deps = {
            f"{d['name']}": d
            for d in httpx.post(f"{api}/deployments/filter", json={}, timeout=10).json()
        }
        assert {"scheduled", "worker", "daily", "adhoc", "fanout"} <= set(deps)
        cron = deps["scheduled"]["schedules"][0]["schedule"]
        assert cron["cron"] == "*/15 * * * *"

        # trigger the cycle now instead of waiting for the quarter hour
        r = httpx.post(
            f"{api}/deployments/{deps['scheduled']['id']}/create_flow_run", json={}, timeout=10
        )
        assert r.status_code in (200, 201), r.text
        engine = open_database(db_url)
        expected = len(demo_site.article_urls())
        deadline = time.monotonic() + 240
        done = 0
        while time.monotonic() < deadline:
            with session_scope(engine) as s:
                done = s.scalar(select(func.count()).select_from(Article)) or 0
                unchecked = s.scalar(
                    select(func.count()).select_from(Feed).where(Feed.last_checked_at.is_(None))
                )
            if done == expected and unchecked == 0:
                break
            time.sleep(1)
        engine.dispose()
        assert done == expected
        # every cycle that started fans out one poll per worker: ours, and the schedule's own
        # when the test spans a quarter hour (*/15), so the count follows the cycles, not the clock
        cycle_id = r.json()["id"]

        def cycles_and_polls() -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
            runs = httpx.post(f"{api}/flow_runs/filter", json={}, timeout=10).json()
            cycles = [
                c
                for c in runs
                if c["deployment_id"] == deps["scheduled"]["id"] and c["state_type"] != "SCHEDULED"
            ]
            return cycles, [p for p in runs if p["deployment_id"] == deps["worker"]["id"]]

        def settled(cycles: list[dict[str, Any]], polls: list[dict[str, Any]]) -> bool:
            return len(polls) == 2 * len(cycles) and all(
                x["state_type"] == "COMPLETED" for x in cycles + polls
            )

        cycles, polls = cycles_and_polls()
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not settled(cycles, polls):
            time.sleep(1)
            cycles, polls = cycles_and_polls()
        assert cycle_id in {c["id"] for c in cycles}, cycles
        assert len(cycles) in (1, 2), cycles  # ours, and at most one quarter-hour tick
        assert settled(cycles, polls), (cycles, polls)

        # an ad-hoc backfill fanned out over the two workers (backfill-cycle/fanout starts
        # two runs of backfill/adhoc that share the hosts)
        deps = {
            d["name"] + ":" + d["entrypoint"].rsplit(":", 1)[1]: d
            for d in httpx.post(f"{api}/deployments/filter", json={}, timeout=10).json()
        }
        fanout, adhoc = deps["fanout:backfill_cycle"], deps["adhoc:backfill"]
        r = httpx.post(
            f"{api}/deployments/{fanout['id']}/create_flow_run",
            timeout=10,
            json={"parameters": {"since": "2026-11-20", "source": "sitemap", "workers": 2}},
        )
        assert r.status_code in (200, 201), r.text
        run_id = r.json()["id"]
        deadline = time.monotonic() + 180
        states: list[str] = []
        while time.monotonic() < deadline:
            time.sleep(1)
            runs = httpx.post(f"{api}/flow_runs/filter", json={}, timeout=10).json()
            states = sorted(r["state_type"] for r in runs if r["deployment_id"] == adhoc["id"])
            if len(states) == 2 and set(states) <= {"COMPLETED", "FAILED", "CRASHED"}:
                break
        assert states == ["COMPLETED", "COMPLETED"]
        state = httpx.get(f"{api}/flow_runs/{run_id}", timeout=10).json()["state_type"]
        assert state == "COMPLETED"
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            rest, _ = proc.communicate(timeout=120)
        except subprocess.TimeoutExpired:
            proc.kill()
            rest, _ = proc.communicate()
        out += rest or ""
        drop_pg_database(db_url)
        admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
        with admin.connect() as c:
            c.execute(text(f'DROP DATABASE IF EXISTS "{prefect_db}" WITH (FORCE)'))
        admin.dispose()
    assert proc.returncode == 0, out
    assert "stopping: workers first, then the server" in out
