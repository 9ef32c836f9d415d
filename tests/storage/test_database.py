"""storage.db.database: one engine per unit of work, migrated, disposed whatever happens."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from config.settings import Settings
from storage.db import current_revision, database, head_revision


def test_database_opens_migrates_and_disposes(settings: Settings, db_url: str) -> None:
    with database(settings.model_copy(update={"database_url": db_url})) as engine:
        pool = engine.pool
        assert current_revision(engine) == head_revision()
        with engine.connect() as conn:
            assert conn.execute(text("SELECT 1")).scalar() == 1
    assert engine.pool is not pool  # dispose() replaced the pool: its connections are closed


def test_database_disposes_on_error(settings: Settings) -> None:
    with pytest.raises(RuntimeError, match="boom"), database(settings) as engine:
        pool = engine.pool
        raise RuntimeError("boom")
    assert engine.pool is not pool


def test_database_without_migrations(settings: Settings) -> None:
    with database(settings, migrate=False) as engine:
        assert current_revision(engine) is None
