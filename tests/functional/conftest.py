"""HTTP-level fixtures: the real app, its unit of work bound to the test's savepoint."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from assay.app import create_app
from assay.web.deps import db_session
from tests.factories import OrgFixture, make_org


@pytest.fixture
def app(db: Session) -> FastAPI:
    app = create_app()

    def test_session() -> Iterator[Session]:
        # Same contract as the real dependency: commit on success, roll back on error. What the
        # test set up beforehand counts as committed (it is in the outer, rolled-back transaction).
        db.commit()
        try:
            yield db
            db.commit()
        except BaseException:
            db.rollback()
            raise

    app.dependency_overrides[db_session] = test_session
    return app


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app, base_url="http://testserver") as client:
        yield client


@pytest.fixture
def org(db: Session) -> OrgFixture:
    return make_org(db)


def api_key_for(db: Session, org: OrgFixture, role: str = "admin") -> str:
    from assay.accounts import service
    from assay.accounts.permissions import Role

    _row, key = service.create_api_key(db, principal=org.principal, name="test", role=Role(role))
    db.flush()
    return key


def bearer(key: str) -> dict[str, Any]:
    return {"Authorization": f"Bearer {key}"}
