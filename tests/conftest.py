"""Shared fixtures: settings on a temp dir, real SQLite files and the real PostgreSQL server.

PostgreSQL: 127.0.0.1:5432, user postgres, trust auth. The suite creates its own database
(``bw_test_<pid>``) and drops it at the end. When the server cannot be reached the PostgreSQL
tests are skipped locally, and FAIL under CI (CI=true).
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text

from config.settings import Settings, load_settings

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"

# Prefect: never touch ~/.prefect, never phone home, never reach a server set in the shell.
os.environ["PREFECT_HOME"] = str(ROOT / ".pytest_prefect")
os.environ["PREFECT_SERVER_ANALYTICS_ENABLED"] = "false"
os.environ["DO_NOT_TRACK"] = "1"
os.environ["PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS"] = "120"
os.environ.pop("PREFECT_API_URL", None)
PG_ADMIN_URL = os.environ.get(
    "BORDERWATCH_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def pg_available() -> str | None:
    """None when PostgreSQL answers, else the reason."""
    try:
        eng = create_engine(PG_ADMIN_URL, connect_args={"connect_timeout": 3})
        with eng.connect() as c:
            c.execute(text("SELECT 1"))
        eng.dispose()
        return None
    except Exception as exc:  # noqa: BLE001 - any failure means "not available"
        return f"{type(exc).__name__}: {exc}"


def require_pg() -> None:
    reason = pg_available()
    if reason is None:
        return
    if IN_CI:
        pytest.fail(f"PostgreSQL is required under CI but not reachable: {reason}")
    pytest.skip(f"PostgreSQL not reachable: {reason}")


def create_pg_database(prefix: str = "bw_test") -> str:
    """Create a fresh empty database and return its URL."""
    name = f"{prefix}_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return PG_ADMIN_URL.rsplit("/", 1)[0] + "/" + name


def drop_pg_database(url: str) -> None:
    name = url.rsplit("/", 1)[1]
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(scope="session")
def pg_database_url() -> Iterator[str]:
    require_pg()
    url = create_pg_database()
    yield url
    drop_pg_database(url)


def _truncate(engine: Engine) -> None:
    from storage.tables import Base

    names = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
    with engine.begin() as c:
        c.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))


@pytest.fixture(params=["sqlite", "postgres"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A migrated, empty database on each engine (the same test runs on both)."""
    from storage.db import open_database

    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'bw.db'}"
        return
    url = request.getfixturevalue("pg_database_url")
    engine = open_database(url)
    _truncate(engine)
    engine.dispose()
    yield url


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    from storage.db import open_database

    eng = open_database(db_url)
    yield eng
    eng.dispose()


@pytest.fixture
def settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Settings:
    """Settings for a test: temp data dir, loopback allowed, no per-host delay, in-process
    extraction. Also exported as BORDERWATCH_* so CLI subprocesses see the same."""
    values = {
        "BORDERWATCH_DATA_DIR": str(tmp_path / "data"),
        "BORDERWATCH_DATABASE_URL": f"sqlite:///{tmp_path / 'data' / 'bw.db'}",
        "BORDERWATCH_ALLOW_PRIVATE_ADDRESSES": "true",
        "BORDERWATCH_PER_HOST_DELAY": "0",
        "BORDERWATCH_WORKERS": "1",
        "BORDERWATCH_RETRIES": "0",
        "BORDERWATCH_TOTAL_TIMEOUT": "10",
    }
    for k, v in values.items():
        monkeypatch.setenv(k, v)
    return load_settings()


@pytest.fixture
def demo_site() -> Iterator[object]:
    from demo.site import DemoSite

    with DemoSite(include_broken=True) as site:
        yield site


def shared_path(*parts: str) -> Path:
    p = SHARED.joinpath(*parts)
    if not p.exists():
        pytest.skip(f"{p} is absent (../shared is not part of a fresh clone)")
    return p
