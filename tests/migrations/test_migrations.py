"""Migrations are code: they reach head, match the models exactly, and go down and up again."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine

from assay.db import migrate
from assay.db.models import Base


def test_models_and_migrations_do_not_drift(engine: Engine) -> None:
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        diff = compare_metadata(context, Base.metadata)
    assert diff == [], f"models and migrations differ; run `assay db revision -m ...`: {diff}"


def test_database_is_at_head(engine: Engine) -> None:
    with engine.connect() as connection:
        assert migrate.current_revision(connection) == migrate.head_revision()


def test_downgrade_to_base_and_upgrade_again(engine: Engine) -> None:
    migrate.downgrade(None, "base")
    with engine.connect() as connection:
        assert migrate.current_revision(connection) is None
    migrate.upgrade()
    with engine.connect() as connection:
        assert migrate.current_revision(connection) == migrate.head_revision()
