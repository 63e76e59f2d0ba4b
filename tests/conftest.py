"""Test wiring: a migrated database per run (SQLite or PostgreSQL), a savepoint per test.

Choose the database with `--database-url`; the default is a fresh SQLite file. `make test`
runs the suite once on each. Tests that touch the database are marked `db` automatically.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

# Settings are read from the environment once; point them at throwaway places before any import.
_VAR_DIR = Path(tempfile.mkdtemp(prefix="assay-test-"))
os.environ["ASSAY_VAR_DIR"] = str(_VAR_DIR)
os.environ["ASSAY_ENVIRONMENT"] = "test"
os.environ["ASSAY_SECRET_KEY"] = "test-secret-key-not-for-production"

DB_FIXTURES = {"db", "engine", "client", "org", "api_client"}


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--database-url",
        default=os.environ.get("ASSAY_TEST_DATABASE_URL", ""),
        help="SQLAlchemy URL of the database to test on (default: a fresh SQLite file).",
    )


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "db: touches the application database (run on SQLite and PostgreSQL)"
    )
    url = config.getoption("--database-url") or f"sqlite:///{_VAR_DIR / 'test.db'}"
    os.environ["ASSAY_DATABASE_URL"] = url


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if DB_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.db)


@pytest.fixture(scope="session")
def engine() -> Iterator[object]:
    from sqlalchemy import text

    from assay.db import migrate
    from assay.db.engine import get_engine

    engine = get_engine()
    if engine.dialect.name == "postgresql":
        with engine.begin() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
    migrate.upgrade()
    yield engine
    engine.dispose()


@pytest.fixture
def db(engine: object) -> Iterator[object]:
    """A session in a transaction rolled back after the test; commits become savepoints."""
    from sqlalchemy import Engine
    from sqlalchemy.orm import Session

    assert isinstance(engine, Engine)
    connection = engine.connect()
    outer = connection.begin()
    session = Session(
        bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False
    )
    try:
        yield session
    finally:
        session.close()
        outer.rollback()
        connection.close()


@pytest.fixture(autouse=True)
def _fresh_rate_limits() -> None:
    from assay.web import ratelimit

    ratelimit.reset_storage()
