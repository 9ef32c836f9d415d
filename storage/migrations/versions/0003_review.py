"""review: review history, review state, list-page indexes

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.tables


revision: str = '0003'
down_revision: str | None = '0002'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The list page sorts flagged articles by coalesce(published_at, fetched_at) DESC, id DESC.
# An expression index is not declared in the models (SQLite reflection skips expression
# indexes, so the models/migrations comparison ignores it); it lives here only.
WHEN_INDEX = (
    "CREATE INDEX IF NOT EXISTS ix_articles_flagged_when ON articles "
    "(flagged, coalesce(published_at, fetched_at) DESC, id DESC)"
)


def upgrade() -> None:
    op.create_table('review_state',
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('value', sa.Text(), nullable=False),
    sa.Column('updated_at', storage.tables.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_review_state'))
    )
    op.create_table('review_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('article_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('at', storage.tables.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['article_id'], ['articles.id'], name=op.f('fk_review_events_article_id_articles'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_review_events'))
    )
    op.create_index('ix_review_events_article_at', 'review_events', ['article_id', 'at'], unique=False)
    op.create_index('ix_mentions_state_id', 'mentions', ['state_id'], unique=False)
    op.execute(WHEN_INDEX)


def downgrade() -> None:
    op.execute("DROP INDEX IF EXISTS ix_articles_flagged_when")
    op.drop_index('ix_mentions_state_id', table_name='mentions')
    op.drop_index('ix_review_events_article_at', table_name='review_events')
    op.drop_table('review_events')
    op.drop_table('review_state')
