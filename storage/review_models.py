"""Tables of the morning review (issue 7): review history and small key/value state.

Imported by storage.review (and, for Alembic's metadata, at the bottom of storage.models).
The migration is storage/migrations/versions/0003_review.py.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from storage.models import Base, Mention, utcnow


class ReviewState(Base):
    """Key/value state: ``last_review_at``, ``last_digest_at`` (ISO-8601 UTC strings)."""

    __tablename__ = "review_state"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class ReviewEvent(Base):
    """Every review decision (status and note), newest last: the article's review history."""

    __tablename__ = "review_events"
    __table_args__ = (Index("ix_review_events_article_at", "article_id", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"))
    status: Mapped[str] = mapped_column(String(16))
    note: Mapped[str | None] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(default=utcnow)


# place mentions carry the state they are in: the web page's state filter looks them up here
Index("ix_mentions_state_id", Mention.state_id)

# the overview's per-entity story counts join articles to their mentions: with what a mention
# names in the index, the join reads no mention rows (issue 17; migration 0005_attention_indexes)
Index(
    "ix_mentions_article_entity",
    Mention.article_id,
    Mention.entity_type,
    Mention.entity_id,
    Mention.state_id,
)
