"""Start borderwatch's distributed set-up on this machine.

1. a Prefect server backed by PostgreSQL (PREFECT_API_DATABASE_CONNECTION_URL, asyncpg);
2. the process work pool `borderwatch`;
3. the deployments of prefect.yaml (`prefect deploy --all`);
4. N workers (`prefect worker start --pool borderwatch`).

Ctrl-C / SIGTERM stops the workers first and the server second. Workers on other machines
need only PREFECT_API_URL (printed below), a checkout (BORDERWATCH_REPO) and the same
BORDERWATCH_DATABASE_URL (PostgreSQL). Usage:

    .venv/bin/python scripts/serve_distributed.py [--workers 2] [--port 4200] [--host 0.0.0.0]
        [--prefect-db postgresql+asyncpg://postgres@127.0.0.1:5432/borderwatch_prefect]
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from flows.orchestration.deployments import PREFECT_ENV, _stop, free_port, wait_healthy  # noqa: E402

POOL = "borderwatch"


def ensure_database(url: str) -> None:
    """Create the Prefect database on the PostgreSQL server if it does not exist."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    u = make_url(url)
    admin = create_engine(
        u.set(drivername="postgresql+psycopg", database="postgres"), isolation_level="AUTOCOMMIT"
    )
    with admin.connect() as c:
        exists = c.execute(
            text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": u.database}
        ).scalar()
        if not exists:
            c.execute(text(f'CREATE DATABASE "{u.database}"'))
    admin.dispose()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--port", type=int, default=4200)
    ap.add_argument(
        "--host",
        default="127.0.0.1",
        help="address the Prefect server binds (0.0.0.0 for workers on other machines)",
    )
    ap.add_argument(
        "--prefect-db",
        default=os.environ.get(
            "BORDERWATCH_PREFECT_DB",
            "postgresql+asyncpg://postgres@127.0.0.1:5432/borderwatch_prefect",
        ),
    )
    ap.add_argument("--home", default=str(REPO / "data" / "prefect-distributed"))
    args = ap.parse_args(argv)

    home = Path(args.home)
    home.mkdir(parents=True, exist_ok=True)
    ensure_database(args.prefect_db)
    port = free_port(args.port)
    api = f"http://127.0.0.1:{port}/api"
    env = {
        **os.environ,
        **PREFECT_ENV,
        "PREFECT_HOME": str(home),
        "PREFECT_API_DATABASE_CONNECTION_URL": args.prefect_db,
        "PREFECT_API_URL": api,
        "BORDERWATCH_REPO": str(REPO),
    }
    procs: list[subprocess.Popen[bytes]] = []
    server: subprocess.Popen[bytes] | None = None

    def on_signal(_s: int, _f: Any) -> None:
        raise KeyboardInterrupt

    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, on_signal)
    prefect = [sys.executable, "-m", "prefect"]
    try:
        log = open(home / "server.log", "ab")  # noqa: SIM115 - lives as long as the server
        server = subprocess.Popen(
            [*prefect, "server", "start", "--host", "127.0.0.1", "--port", str(port)],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        print(f"starting Prefect server on PostgreSQL ({args.prefect_db}) …", flush=True)
        wait_healthy(api, server, 180)
        subprocess.run(
            [*prefect, "work-pool", "create", POOL, "--type", "process", "--overwrite"],
            env=env,
            check=True,
            cwd=REPO,
            capture_output=True,
        )
        subprocess.run(
            [*prefect, "--no-prompt", "deploy", "--all"],
            env=env,
            check=True,
            cwd=REPO,
            capture_output=True,
        )
        for i in range(args.workers):
            wlog = open(home / f"worker-{i + 1}.log", "ab")  # noqa: SIM115
            procs.append(
                subprocess.Popen(
                    [
                        *prefect,
                        "worker",
                        "start",
                        "--pool",
                        POOL,
                        "--limit",
                        "2",
                        "--name",
                        f"worker-{i + 1}",
                    ],
                    env=env,
                    cwd=REPO,
                    stdout=wlog,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                )
            )
        print(f"PREFECT_API_URL={api}", flush=True)
        print(f"Prefect UI: {api.removesuffix('/api')}", flush=True)
        print(
            f"{args.workers} workers on pool {POOL!r}; logs in {home}; Ctrl-C to stop", flush=True
        )
        while server.poll() is None and all(p.poll() is None for p in procs):
            time.sleep(0.5)
        return 1
    except KeyboardInterrupt:
        return 0
    finally:
        for sig in (signal.SIGINT, signal.SIGTERM):  # a second signal must not cut this short
            signal.signal(sig, signal.SIG_IGN)
        print("stopping: workers first, then the server …", flush=True)
        for p in procs:
            _stop(p)  # type: ignore[arg-type]
        _stop(server)  # type: ignore[arg-type]
        print("stopped", flush=True)


if __name__ == "__main__":
    sys.exit(main())
