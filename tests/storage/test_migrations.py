"""Alembic upgrade from empty and downgrade, on SQLite and on a fresh PostgreSQL database."""

import pytest
from sqlalchemy import inspect

from storage.db import current_revision, downgrade, head_revision, make_engine, upgrade
from storage.models import Base
from tests.conftest import create_pg_database, drop_pg_database, require_pg


def _check_round_trip(url: str) -> None:
    engine = make_engine(url)
    try:
        assert current_revision(engine) is None
        upgrade(engine)
        assert current_revision(engine) == head_revision()
        tables = set(inspect(engine).get_table_names())
        assert {t.name for t in Base.metadata.sorted_tables} <= tables
        upgrade(engine)  # idempotent
        downgrade(engine, "base")
        assert current_revision(engine) is None
        assert not (
            {t.name for t in Base.metadata.sorted_tables} & set(inspect(engine).get_table_names())
        )
        upgrade(engine)
        assert current_revision(engine) == head_revision()
    finally:
        engine.dispose()


def test_sqlite_upgrade_downgrade(tmp_path):
    _check_round_trip(f"sqlite:///{tmp_path / 'm.db'}")


@pytest.mark.postgres
def test_postgres_upgrade_downgrade():
    require_pg()
    url = create_pg_database("bw_mig")
    try:
        _check_round_trip(url)
    finally:
        drop_pg_database(url)


def test_models_match_migrations(tmp_path):
    """The schema in models and the one migrations build do not drift apart."""
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    engine = make_engine(f"sqlite:///{tmp_path / 'd.db'}")
    upgrade(engine)
    with engine.connect() as conn:
        ctx = MigrationContext.configure(
            conn,
            opts={
                # the full-text table/index live in migrations only (see revision 0002)
                "include_name": lambda name, type_, parent: (
                    not (name or "").startswith(("articles_fts", "ix_articles_fts"))
                ),
            },
        )
        diff = compare_metadata(ctx, Base.metadata)
    engine.dispose()
    assert diff == []
