"""Engine, sessions and schema migrations. Same code on SQLite and PostgreSQL."""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, OperationalError, ProgrammingError
from sqlalchemy.orm import Session, sessionmaker

if TYPE_CHECKING:
    from config.settings import Settings

log = logging.getLogger(__name__)
T = TypeVar("T")

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
_PG_MIGRATION_LOCK = 727_001  # pg_advisory_lock key held while migrating


def make_engine(url: str, **kwargs: Any) -> Engine:
    """Create an engine. SQLite: the file's folder is created, WAL mode, a busy timeout,
    foreign keys on. PostgreSQL: psycopg 3 with pre-ping."""
    u = make_url(url)
    if u.get_backend_name() == "sqlite":
        if u.database and u.database != ":memory:":
            Path(u.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": 60}, **kwargs)

        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_conn: Any, _record: Any) -> None:
            # take control of transactions so BEGIN IMMEDIATE below works (pysqlite quirk)
            dbapi_conn.isolation_level = None
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA busy_timeout=60000")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.close()

        @event.listens_for(engine, "begin")
        def _begin(conn: Any) -> None:
            # writers queue on the lock instead of failing with "database is locked" on upgrade
            conn.exec_driver_sql("BEGIN IMMEDIATE")

        return engine
    return create_engine(url, pool_pre_ping=True, **kwargs)


def alembic_config(engine: Engine | None = None) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    if engine is not None:
        cfg.set_main_option("sqlalchemy.url", engine.url.render_as_string(hide_password=False))
    return cfg


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


@contextmanager
def _migration_connection(engine: Engine) -> Iterator[Any]:
    """A connection in one transaction for migrations. On SQLite, foreign-key enforcement is
    switched off first (it cannot change inside a transaction): Alembic's batch mode rebuilds a
    table by copy-and-drop, and with enforcement on, dropping the old table would fire the
    ON DELETE CASCADE / SET NULL actions of the tables that reference it."""
    with engine.connect() as conn:
        sqlite = conn.dialect.name == "sqlite"
        raw = conn.connection.driver_connection if sqlite else None
        if raw is not None:
            raw.execute("PRAGMA foreign_keys=OFF")
        try:
            with conn.begin():
                if conn.dialect.name == "postgresql":
                    conn.execute(
                        text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_MIGRATION_LOCK}
                    )
                yield conn
                if sqlite:
                    bad = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                    if bad:
                        raise RuntimeError(f"migration left foreign-key violations: {bad[:5]}")
        finally:
            if raw is not None:
                raw.execute("PRAGMA foreign_keys=ON")


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Apply migrations up to ``revision`` (idempotent; safe when several processes race)."""
    cfg = alembic_config(engine)
    with _migration_connection(engine) as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)


def downgrade(engine: Engine, revision: str) -> None:
    cfg = alembic_config(engine)
    with _migration_connection(engine) as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, revision)


def ensure_schema(engine: Engine) -> None:
    """Migrate to head on first use; cheap when already there."""
    head = head_revision()
    for attempt in range(5):
        try:
            if current_revision(engine) == head:
                return
            upgrade(engine)
            return
        except (OperationalError, ProgrammingError):
            # another process created the tables between our check and our upgrade
            if attempt == 4:
                raise
            time.sleep(0.2 * (attempt + 1))


def open_database(url: str, *, migrate: bool = True) -> Engine:
    engine = make_engine(url)
    if migrate:
        ensure_schema(engine)
    return engine


@contextmanager
def database(settings: Settings, *, migrate: bool = True) -> Iterator[Engine]:
    """The engine of ``settings.db_url`` for one unit of work (a command, a flow run): opened
    (and migrated to the newest schema, with ``migrate``), yielded, disposed on the way out
    whatever happens inside."""
    engine = open_database(settings.db_url, migrate=migrate)
    try:
        yield engine
    finally:
        engine.dispose()


def session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """One transaction: commit on success, roll back on error."""
    with session_factory(engine)() as session, session.begin():
        yield session


# PostgreSQL's "try the transaction again" errors: deadlock_detected, serialization_failure
RETRYABLE_SQLSTATES = frozenset({"40P01", "40001"})
TRANSACTION_ATTEMPTS = 5


def is_retryable(exc: BaseException) -> bool:
    """A conflict between concurrent transactions that PostgreSQL resolved by aborting this
    one (a deadlock, a serialization failure): running the transaction again is correct."""
    orig = getattr(exc, "orig", None) if isinstance(exc, DBAPIError) else None
    return getattr(orig, "sqlstate", None) in RETRYABLE_SQLSTATES


def run_transaction(
    engine: Engine, work: Callable[[Session], T], *, attempts: int = TRANSACTION_ATTEMPTS
) -> T:
    """``work`` in one transaction, run again from the start (in a new transaction) when
    PostgreSQL aborts it for a deadlock or a serialization failure, up to ``attempts`` times.
    Several pollers or backfill workers storing near-duplicate stories at once grow the same
    story clusters in different orders; one of them is then chosen as the deadlock victim.
    ``work`` must keep its effects inside the session (count in locals, apply after)."""
    for attempt in range(1, attempts + 1):
        try:
            with session_scope(engine) as session:
                return work(session)
        except DBAPIError as exc:
            if attempt == attempts or not is_retryable(exc):
                raise
            log.info("transaction aborted (%s), attempt %d of %d", exc.orig, attempt, attempts)
            time.sleep(random.uniform(0, 0.05 * 2**attempt))
    raise AssertionError("unreachable")


def database_size(engine: Engine) -> int:
    """Bytes on disk: the SQLite file (+ WAL) or pg_database_size."""
    if engine.dialect.name == "sqlite":
        db = engine.url.database
        if not db or db == ":memory:":
            return 0
        return sum(p.stat().st_size for p in (Path(db), Path(db + "-wal")) if p.exists())
    with engine.connect() as conn:
        return int(conn.execute(text("SELECT pg_database_size(current_database())")).scalar_one())


def compact(engine: Engine) -> None:
    """Give freed space back to the file system (SQLite VACUUM; PostgreSQL VACUUM)."""
    if engine.dialect.name == "sqlite":
        # on the driver connection, outside any transaction: the engine's "begin" hook opens
        # BEGIN IMMEDIATE, inside which a checkpoint fails with "database table is locked"
        raw = engine.raw_connection()
        try:
            for sql in (
                "PRAGMA wal_checkpoint(TRUNCATE)",
                "VACUUM",
                "PRAGMA wal_checkpoint(TRUNCATE)",
            ):
                raw.driver_connection.execute(sql)  # type: ignore[union-attr]
        finally:
            raw.close()
        return
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("VACUUM articles"))
