"""PostgreSQL full text in its own table ``articles_fts`` (issue 16: retag on every core)

Until this revision PostgreSQL searched through a GIN expression index on ``articles``
(``ix_articles_fts``, revision 0002). Any UPDATE that changes an indexed column of an article
(``flagged``, ``tagger_version``, ``review_status``, ``cluster_id``) cannot be a HOT update, so
PostgreSQL added an entry to every index, and for that index recomputed ``to_tsvector`` of the
whole text: measured on 5,000 articles of 700 words, one UPDATE of ``flagged`` and
``tagger_version`` took 42 s with the index and 0.17 s without it. A retag of 100k articles
rewrote the search index of every text it did not change.

Now the tsvector lives in ``articles_fts (article_id, tsv)`` with the GIN index, kept by
triggers that fire only when a row is inserted or its ``title`` / ``text`` change, as SQLite's
FTS5 table (also named ``articles_fts``) already was. Deleting an article deletes its row
(foreign key, ON DELETE CASCADE). SQLite: nothing changes.

Revision ID: 0010_pg_search_table
Revises: 0009_stub_retries
Create Date: 2026-12-04
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0010_pg_search_table"
down_revision: str | None = "0009_stub_retries"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# the document of an article, as revision 0002 indexed it
TSV = "to_tsvector('simple', coalesce({p}title, '') || ' ' || coalesce({p}text, ''))"

UPGRADE = [
    "CREATE TABLE articles_fts ("
    " article_id INTEGER PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,"
    " tsv tsvector NOT NULL)",
    "CREATE FUNCTION articles_fts_sync() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
    f"INSERT INTO articles_fts (article_id, tsv) VALUES (NEW.id, {TSV.format(p='NEW.')}) "
    "ON CONFLICT (article_id) DO UPDATE SET tsv = EXCLUDED.tsv; RETURN NULL; END $$",
    "CREATE TRIGGER articles_fts_ai AFTER INSERT ON articles "
    "FOR EACH ROW EXECUTE FUNCTION articles_fts_sync()",
    "CREATE TRIGGER articles_fts_au AFTER UPDATE OF title, text ON articles FOR EACH ROW "
    "WHEN (OLD.title IS DISTINCT FROM NEW.title OR OLD.text IS DISTINCT FROM NEW.text) "
    "EXECUTE FUNCTION articles_fts_sync()",
    f"INSERT INTO articles_fts (article_id, tsv) SELECT id, {TSV.format(p='')} FROM articles",
    "CREATE INDEX ix_articles_fts_tsv ON articles_fts USING gin (tsv)",
    "DROP INDEX IF EXISTS ix_articles_fts",
]

DOWNGRADE = [
    "DROP TRIGGER IF EXISTS articles_fts_au ON articles",
    "DROP TRIGGER IF EXISTS articles_fts_ai ON articles",
    "DROP FUNCTION IF EXISTS articles_fts_sync()",
    "DROP TABLE IF EXISTS articles_fts",
    f"CREATE INDEX IF NOT EXISTS ix_articles_fts ON articles USING gin ({TSV.format(p='')})",
]


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for stmt in UPGRADE:
            op.execute(stmt)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for stmt in DOWNGRADE:
            op.execute(stmt)
