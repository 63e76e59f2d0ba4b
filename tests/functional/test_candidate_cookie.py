"""The candidate's browser cookie is as hardened as the staff session cookie."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from assay.config import get_settings
from tests.delivery_support import invite, make_assessment
from tests.factories import OrgFixture


def test_browser_cookie_is_secure_httponly_and_same_site(
    client: TestClient, db: Session, org: OrgFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(get_settings(), "base_url", "https://assay.example")
    _candidate, token = invite(db, org, make_assessment(db, org))
    response = client.post(f"/take/{token}/api/start")
    assert response.status_code == 200, response.text
    cookie = next(h for h in response.headers.get_list("set-cookie") if "browser" in h.lower())
    flags = {part.strip().lower() for part in cookie.split(";")}
    assert {"httponly", "secure", "samesite=lax"} <= flags, cookie
