"""stub_retries: retry schedule of stubs; articles.text_source page | feed_content | feed_summary
(issue 19)

Revision ID: 0009_stub_retries
Revises: 0008_feed_gaps
Create Date: 2026-12-03
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from storage.tables import UTCDateTime

revision: str = "0009_stub_retries"
down_revision: str | None = "0008_feed_gaps"  # chained after issue-19a at merge
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "stub_retries",
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.Column("url", sa.String(length=2000), nullable=False),
        sa.Column("tries", sa.Integer(), nullable=False),
        sa.Column("next_retry_at", UTCDateTime(), nullable=True),
        sa.Column("error_kind", sa.String(length=32), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["article_id"],
            ["articles.id"],
            name=op.f("fk_stub_retries_article_id_articles"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("article_id", name=op.f("pk_stub_retries")),
    )
    op.create_index(
        op.f("ix_stub_retries_next_retry_at"), "stub_retries", ["next_retry_at"], unique=False
    )
    # rows stored from a feed before this revision said only "feed": read as the weaker source
    op.execute("UPDATE articles SET text_source = 'feed_summary' WHERE text_source = 'feed'")


def downgrade() -> None:
    op.execute("UPDATE articles SET text_source = 'feed' WHERE text_source <> 'page'")
    op.drop_index(op.f("ix_stub_retries_next_retry_at"), table_name="stub_retries")
    op.drop_table("stub_retries")
