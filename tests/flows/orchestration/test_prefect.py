"""Prefect integration: the poll flow runs end to end as a flow run, and `borderwatch serve`
registers its deployments with their schedules. These start Prefect API servers (slow)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

pytestmark = [pytest.mark.prefect, pytest.mark.slow]


@pytest.fixture(scope="session")
def prefect_server():
    """One temporary Prefect API for the session (isolated PREFECT_HOME, 120 s start-up)."""
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=120):
        yield


def test_poll_flow_runs_end_to_end(prefect_server, settings, demo_site, tmp_path):
    from prefect import get_client
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterKey

    from flows.orchestration.pipeline_flows import poll

    feeds_file = tmp_path / "feeds.yaml"
    demo_site.write_feeds_yaml(feeds_file)
    state = poll(feeds_path=str(feeds_file), return_state=True)
    assert state.is_completed(), state
    summary = state.result()
    assert summary["new_articles"] == len(demo_site.article_urls())
    assert summary["feeds_failed"] == 2

    import asyncio

    async def artifacts():
        async with get_client() as client:
            return await client.read_artifacts(
                artifact_filter=ArtifactFilter(key=ArtifactFilterKey(any_=["poll-summary"]))
            )

    found = asyncio.run(artifacts())
    assert found and found[0].type == "table"

    again = poll(feeds_path=str(feeds_file))
    assert again["new_articles"] == 0


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


EXPECTED_DEPLOYMENTS = {
    ("poll", "scheduled"): [("*/15 * * * *", "America/Mexico_City")],
    ("digest", "digest"): [("0 7 * * *", "America/Mexico_City")],
    ("retag", "adhoc"): [],
    ("backfill", "adhoc"): [],
    ("backfill-cycle", "fanout"): [],
}


def test_serve_registers_scheduled_deployments_and_stops_cleanly(tmp_path: Path):
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_API", "PREFECT_HOME"))}
    env.update(
        BORDERWATCH_DATA_DIR=str(tmp_path / "data"),
        BORDERWATCH_DATABASE_URL=f"sqlite:///{tmp_path / 'bw.db'}",
    )
    proc = subprocess.Popen(
        [sys.executable, "-m", "flows.cli", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    api = f"http://127.0.0.1:{port}/api"
    try:
        deadline = time.monotonic() + 180
        deployments = []
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                r = httpx.post(f"{api}/deployments/filter", json={}, timeout=5)
                if r.status_code == 200:
                    deployments = r.json()
                    if len(deployments) == len(EXPECTED_DEPLOYMENTS):
                        break
            except httpx.HTTPError:
                pass
            time.sleep(1)
        assert proc.poll() is None, proc.stdout.read() if proc.stdout else ""
        flows = {f["id"]: f["name"] for f in httpx.post(f"{api}/flows/filter", json={}).json()}
        got = {
            (flows[d["flow_id"]], d["name"]): [
                (s["schedule"]["cron"], s["schedule"]["timezone"]) for s in d["schedules"]
            ]
            for d in deployments
        }
        assert got == EXPECTED_DEPLOYMENTS
        assert (tmp_path / "data" / "prefect").is_dir()  # the server's database lives here
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            out, _ = proc.communicate(timeout=90)
        except subprocess.TimeoutExpired:
            proc.kill()
            out, _ = proc.communicate()
            pytest.fail(f"serve did not stop within 90 s after SIGTERM:\n{out}")
    assert proc.returncode == 0, out
    assert "stopping: serve first, then the server" in out
    with pytest.raises(httpx.HTTPError):
        httpx.get(f"{api}/health", timeout=2)
