"""The database layer: declarative base, engine and sessions, migrations."""
