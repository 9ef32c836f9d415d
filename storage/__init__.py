"""All SQL of borderwatch: the tables, engine/session, migrations and one query module per
aggregate (feeds, leases, articles, dedup, tagging, stubs, backfill, review_queue, search,
spikes, stories)."""

from storage.db import make_engine, open_database, session_scope

__all__ = ["make_engine", "open_database", "session_scope"]
