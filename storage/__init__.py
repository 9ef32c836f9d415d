"""All SQL of borderwatch: models, engine/session, migrations and repository functions."""

from storage.db import make_engine, open_database, session_scope

__all__ = ["make_engine", "open_database", "session_scope"]
