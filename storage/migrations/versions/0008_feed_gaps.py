"""feed_gaps and the feed's last listing: gap detection and gap fill (issue 19)

Revision ID: 0008_feed_gaps
Revises: 0006
Create Date: 2026-12-03
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008_feed_gaps"
down_revision: str | None = "0007_worker_heartbeats"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("feeds") as batch:
        batch.add_column(sa.Column("listing", sa.JSON(), nullable=True))
        batch.add_column(sa.Column("listed_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("last_gap_at", sa.DateTime(timezone=True), nullable=True))
    op.create_table(
        "feed_gaps",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("feed_id", sa.Integer(), nullable=False),
        sa.Column("detected_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("window_start", sa.DateTime(timezone=True), nullable=False),
        sa.Column("window_end", sa.DateTime(timezone=True), nullable=False),
        sa.Column("filled_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("items_found", sa.Integer(), nullable=False),
        sa.Column("fill_pages", sa.Integer(), nullable=False),
        sa.Column("fill_source", sa.String(length=32), nullable=True),
        sa.Column("fill_error", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["feed_id"],
            ["feeds.id"],
            name=op.f("fk_feed_gaps_feed_id_feeds"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_feed_gaps")),
    )
    op.create_index("ix_feed_gaps_feed_detected", "feed_gaps", ["feed_id", "detected_at"])


def downgrade() -> None:
    op.drop_index("ix_feed_gaps_feed_detected", table_name="feed_gaps")
    op.drop_table("feed_gaps")
    with op.batch_alter_table("feeds") as batch:
        batch.drop_column("last_gap_at")
        batch.drop_column("listed_at")
        batch.drop_column("listing")
