"""attention indexes: overview, entity pages and story counts (issue 17)

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-03
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Distinct flagged stories in a date window read (flagged, date, cluster_id, id) of every
# article in the window: with this index they come from the index alone, not the wide article
# rows (measured on 100k articles: 30-day state counts 1.4 s → 0.2 s; bench/README.md).
# An expression index, so not declared in the models (as ix_articles_flagged_when, 0003).
STORY_WHEN_INDEX = (
    "CREATE INDEX IF NOT EXISTS ix_articles_flagged_when_story ON articles "
    "(flagged, coalesce(published_at, fetched_at), cluster_id, id)"
)


def upgrade() -> None:
    op.execute(STORY_WHEN_INDEX)
    # the mentions of an article with what they name: a covering index for the joins of the
    # overview's counts (declared in storage/tables.py)
    op.create_index(
        "ix_mentions_article_entity",
        "mentions",
        ["article_id", "entity_type", "entity_id", "state_id"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index("ix_mentions_article_entity", table_name="mentions")
    op.execute("DROP INDEX IF EXISTS ix_articles_flagged_when_story")
