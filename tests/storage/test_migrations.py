"""Alembic upgrade from empty and downgrade, on SQLite and on a fresh PostgreSQL database."""

import pytest
from sqlalchemy import inspect

from storage.db import current_revision, downgrade, head_revision, make_engine, upgrade
from storage.tables import Base
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


def _seed_0001(engine) -> None:
    from sqlalchemy import text

    with engine.begin() as c:
        c.execute(
            text(
                "INSERT INTO feeds (id, name, url, tags, created_at, consecutive_failures, "
                "interval_seconds) VALUES (1, 'A', 'https://a.example/feed', '[]', "
                "'2026-11-01 00:00:00', 0, 900)"
            )
        )
        c.execute(
            text(
                "INSERT INTO articles (id, canonical_url, url, feed_id, fetched_at, text, "
                "content_hash, text_source, flagged, reasons, tags, review_status) VALUES "
                "(1, 'https://a.example/x', 'https://a.example/x', 1, "
                "'2026-11-01 00:00:00', 'Balacera en Culiacán', 'h', 'page', true, '[]', "
                "'{}', 'new')"
            )
        )
        c.execute(
            text("INSERT INTO article_urls (url, article_id) VALUES ('https://a.example/x', 1)")
        )
        c.execute(
            text(
                "INSERT INTO article_feeds (article_id, feed_id, first_seen_at) "
                "VALUES (1, 1, '2026-11-01 00:00:00')"
            )
        )
        c.execute(
            text(
                "INSERT INTO mentions (article_id, entity_type, entity_id, surface, start, "
                "\"end\", snippet) VALUES (1, 'place', 'culiacan-sin', 'Culiacán', 12, 20, '')"
            )
        )
        c.execute(
            text(
                "INSERT INTO feed_fetches (feed_id, started_at, duration_ms, outcome, bytes, "
                "entries, new_items) VALUES (1, '2026-11-01 00:00:00', 5, 'ok', 10, 1, 1)"
            )
        )


def _counts(engine) -> dict[str, int]:
    from sqlalchemy import text

    with engine.connect() as c:
        return {
            t: c.execute(text(f"SELECT count(*) FROM {t}")).scalar_one()
            for t in (
                "feeds",
                "articles",
                "article_urls",
                "article_feeds",
                "mentions",
                "feed_fetches",
            )
        }


def _check_data_survives(url: str) -> None:
    from alembic.script import ScriptDirectory

    from storage.db import alembic_config

    revisions = [r.revision for r in ScriptDirectory.from_config(alembic_config()).walk_revisions()]
    revisions.reverse()  # oldest first
    engine = make_engine(url)
    try:
        upgrade(engine, revisions[0])
        _seed_0001(engine)
        before = _counts(engine)
        for rev in revisions[1:]:  # one step at a time, data kept at every step
            upgrade(engine, rev)
            assert _counts(engine) == before, rev
        for rev in reversed(revisions[:-1]):
            downgrade(engine, rev)
            assert _counts(engine) == before, rev
    finally:
        engine.dispose()


def test_sqlite_upgrade_from_each_revision_keeps_data(tmp_path):
    _check_data_survives(f"sqlite:///{tmp_path / 'd.db'}")


@pytest.mark.postgres
def test_postgres_upgrade_from_each_revision_keeps_data():
    require_pg()
    url = create_pg_database("bw_mig")
    try:
        _check_data_survives(url)
    finally:
        drop_pg_database(url)


def test_migrated_to_head(engine):
    assert current_revision(engine) == head_revision()
