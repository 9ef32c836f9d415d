"""`borderwatch serve`: the scheduled job.

Without PREFECT_API_URL it starts a local Prefect server (``prefect server start`` on
127.0.0.1, its database under <data_dir>/prefect), waits until it is healthy, then serves the
deployments against it in a child process. Ctrl-C / SIGTERM stop the serving process first and
the server second (the other order leaves serve hanging in a retry loop).
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx

from config.settings import Settings

PREFECT_ENV = {
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    "DO_NOT_TRACK": "1",
    "PREFECT_SERVER_SERVICES_DB_VACUUM_ENABLED": "events,flow_runs",
    "PREFECT_UI_ENABLED": "true",
}


def build_deployments(settings: Settings) -> list[Any]:
    """The deployments `serve` registers: poll every 15 minutes (BORDERWATCH_POLL_CRON), the
    digest daily at 07:00 (BORDERWATCH_DIGEST_CRON) in BORDERWATCH_TIMEZONE, and the
    unscheduled retag, backfill and backfill fan-out for ad-hoc runs."""
    from prefect.schedules import Cron

    from flows.orchestration.digest import digest_deployment
    from flows.orchestration.pipeline_flows import backfill, backfill_cycle, poll, retag

    return [
        poll.to_deployment(
            name="scheduled",
            schedule=Cron(settings.poll_cron, timezone=settings.timezone),
            description="Poll the feeds whose next check is due",
            parameters={"due_only": True},
        ),
        digest_deployment(settings),
        retag.to_deployment(name="adhoc", description="Re-tag stored articles"),
        backfill.to_deployment(
            name="adhoc",
            description="Backfill a date range: prefect deployment run 'backfill/adhoc' "
            "-p since=2026-01-01 [-p until=…] [-p source=sitemap]",
        ),
        backfill_cycle.to_deployment(
            name="fanout",
            description="One backfill over several runs of backfill/adhoc that share the "
            "hosts: prefect deployment run 'backfill-cycle/fanout' -p since=2026-01-01 "
            "-p workers=2",
        ),
    ]


def serve_deployments() -> None:
    """Entry point of the serving child process (PREFECT_API_URL is set)."""
    from prefect import serve

    from config.settings import get_settings

    serve(*build_deployments(get_settings()), limit=2)


def free_port(preferred: int) -> int:
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", preferred))
            return preferred
        except OSError:
            s.bind(("127.0.0.1", 0))
            return int(s.getsockname()[1])


def wait_healthy(api_url: str, proc: subprocess.Popen[bytes], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"prefect server exited with code {proc.returncode}")
        try:
            if httpx.get(f"{api_url}/health", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise TimeoutError(f"prefect server not healthy after {timeout:.0f}s")


def _stop(proc: subprocess.Popen[bytes] | None, timeout: float = 30) -> None:
    if proc is None or proc.poll() is not None:
        return
    proc.send_signal(signal.SIGINT)
    try:
        proc.wait(timeout)
    except subprocess.TimeoutExpired:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def run_serve(
    settings: Settings, *, port: int = 4200, startup_timeout: float = 120, echo: Any = print
) -> int:
    env = {**os.environ, **PREFECT_ENV}
    server: subprocess.Popen[bytes] | None = None
    child: subprocess.Popen[bytes] | None = None
    stopping = False

    def on_signal(signum: int, _frame: Any) -> None:
        nonlocal stopping
        stopping = True
        raise KeyboardInterrupt

    old = {s: signal.signal(s, on_signal) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        api_url = env.get("PREFECT_API_URL")
        if not api_url:
            home = (settings.data_dir / "prefect").resolve()
            home.mkdir(parents=True, exist_ok=True)
            port = free_port(port)
            env["PREFECT_HOME"] = str(home)
            api_url = f"http://127.0.0.1:{port}/api"
            env["PREFECT_API_URL"] = api_url
            log = open(home / "server.log", "ab")  # noqa: SIM115 - lives as long as the server
            server = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "prefect",
                    "server",
                    "start",
                    "--host",
                    "127.0.0.1",
                    "--port",
                    str(port),
                ],
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
            echo(f"starting Prefect server (log: {home / 'server.log'}) …")
            wait_healthy(api_url, server, startup_timeout)
        echo(f"Prefect UI: {api_url.removesuffix('/api')}")
        child = subprocess.Popen(
            [
                sys.executable,
                "-c",
                "from flows.orchestration.deployments import serve_deployments; "
                "serve_deployments()",
            ],
            env=env,
            start_new_session=True,
            cwd=Path.cwd(),
        )
        echo(f"serving deployments (poll cron '{settings.poll_cron}'); Ctrl-C to stop")
        while child.poll() is None:
            time.sleep(0.5)
        return child.returncode or 0
    except KeyboardInterrupt:
        return 0
    finally:
        for s in old:  # a second signal must not cut the orderly stop short
            signal.signal(s, signal.SIG_IGN)
        echo("stopping: serve first, then the server …")
        _stop(child)
        _stop(server)
        echo("stopped")
        for s, h in old.items():
            signal.signal(s, h)
