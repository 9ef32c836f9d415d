"""backfill progress and feed leases

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.tables

revision: str = '0004'
down_revision: str | None = '0003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('backfill_jobs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('params', sa.JSON(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('created_at', storage.tables.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', storage.tables.UTCDateTime(timezone=True), nullable=False),
    sa.Column('counts', sa.JSON(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_backfill_jobs')),
    sa.UniqueConstraint('key', name=op.f('uq_backfill_jobs_key'))
    )
    op.create_table('backfill_cursors',
    sa.Column('job_id', sa.Integer(), nullable=False),
    sa.Column('source', sa.String(length=2000), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('next_url', sa.String(length=2000), nullable=True),
    sa.Column('done', sa.Boolean(), nullable=False),
    sa.Column('updated_at', storage.tables.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['job_id'], ['backfill_jobs.id'], name=op.f('fk_backfill_cursors_job_id_backfill_jobs'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('job_id', 'source', name=op.f('pk_backfill_cursors'))
    )
    # plain ALTER (no batch copy of `feeds`): adding nullable columns works on both engines
    op.add_column('feeds', sa.Column('lease_owner', sa.String(length=120), nullable=True))
    op.add_column('feeds', sa.Column('lease_until', storage.tables.UTCDateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('feeds', schema=None) as batch_op:
        batch_op.drop_column('lease_until')
        batch_op.drop_column('lease_owner')
    op.drop_table('backfill_cursors')
    op.drop_table('backfill_jobs')
