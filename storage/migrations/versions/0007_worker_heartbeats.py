"""poll_workers (heartbeats) and host_leases (host-affine leasing) for scale-out (issue 16)

Revision ID: 0007_worker_heartbeats
Revises: 0006
Create Date: 2026-12-03
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.tables

revision: str = "0007_worker_heartbeats"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "poll_workers",
        sa.Column("worker_id", sa.String(length=120), nullable=False),
        sa.Column("host", sa.String(length=255), nullable=False),
        sa.Column("pid", sa.Integer(), nullable=False),
        sa.Column("started_at", storage.tables.UTCDateTime(timezone=True), nullable=False),
        sa.Column("last_seen", storage.tables.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("worker_id", name=op.f("pk_poll_workers")),
    )
    op.create_index(op.f("ix_poll_workers_last_seen"), "poll_workers", ["last_seen"])
    op.create_table(
        "host_leases",
        sa.Column("host", sa.String(length=255), nullable=False),
        sa.Column("lease_owner", sa.String(length=120), nullable=True),
        sa.Column("lease_until", storage.tables.UTCDateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("host", name=op.f("pk_host_leases")),
    )


def downgrade() -> None:
    op.drop_table("host_leases")
    op.drop_index(op.f("ix_poll_workers_last_seen"), table_name="poll_workers")
    op.drop_table("poll_workers")
