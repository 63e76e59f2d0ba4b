"""API keys: shown once, stored as a digest, scoped to their organization, last use recorded."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from assay.accounts.models import ApiKey
from tests.factories import OrgFixture
from tests.functional.conftest import api_key_for, bearer


def test_key_is_shown_once_and_stored_as_a_digest(
    client: TestClient, db: Session, org: OrgFixture
) -> None:
    admin_key = api_key_for(db, org, "admin")
    created = client.post(
        "/api/v1/api-keys", json={"name": "ATS", "role": "recruiter"}, headers=bearer(admin_key)
    )
    assert created.status_code == 201, created.text
    secret = created.json()["key"]
    assert secret.startswith("assay_")
    assert created.json()["prefix"] == secret[:12]

    row = db.scalar(select(ApiKey).where(ApiKey.name == "ATS"))
    assert row is not None
    assert secret not in (row.key_digest, row.prefix)
    assert len(row.key_digest) == 64

    listed = client.get("/api/v1/api-keys", headers=bearer(admin_key)).json()
    assert secret not in str(listed)
    shown = client.get(f"/api/v1/api-keys/{row.id}", headers=bearer(admin_key)).json()
    assert "key" not in shown


def test_key_authenticates_and_records_last_use(
    client: TestClient, db: Session, org: OrgFixture
) -> None:
    key = api_key_for(db, org, "recruiter")
    row = db.scalar(select(ApiKey).where(ApiKey.organization_id == org.organization.id))
    assert row is not None
    assert row.last_used_at is None
    response = client.get("/api/v1/organization", headers=bearer(key))
    assert response.status_code == 200
    assert response.json()["id"] == str(org.organization.id)
    db.refresh(row)
    assert row.last_used_at is not None


def test_missing_malformed_unknown_and_revoked_keys_are_refused(
    client: TestClient, db: Session, org: OrgFixture
) -> None:
    assert client.get("/api/v1/organization").json()["error"] == "not_authenticated"
    malformed = client.get("/api/v1/organization", headers={"Authorization": "Basic abc"})
    assert (malformed.status_code, malformed.json()["error"]) == (401, "invalid_authorization")
    unknown = client.get("/api/v1/organization", headers=bearer("assay_not-a-real-key"))
    assert (unknown.status_code, unknown.json()["error"]) == (401, "invalid_api_key")

    admin_key = api_key_for(db, org, "admin")
    victim = client.post("/api/v1/api-keys", json={"name": "old"}, headers=bearer(admin_key)).json()
    revoked = client.delete(f"/api/v1/api-keys/{victim['id']}", headers=bearer(admin_key))
    assert revoked.status_code == 200
    assert revoked.json()["revoked_at"] is not None
    response = client.get("/api/v1/organization", headers=bearer(victim["key"]))
    assert (response.status_code, response.json()["error"]) == (401, "revoked_api_key")


def test_a_key_cannot_act_above_its_creator_or_as_owner(
    client: TestClient, db: Session, org: OrgFixture
) -> None:
    admin_key = api_key_for(db, org, "admin")
    owner_key = client.post(
        "/api/v1/api-keys", json={"name": "x", "role": "owner"}, headers=bearer(admin_key)
    )
    assert owner_key.status_code == 403
    recruiter_key = api_key_for(db, org, "recruiter")
    response = client.post("/api/v1/api-keys", json={"name": "x"}, headers=bearer(recruiter_key))
    assert response.status_code == 403
    assert response.json()["error"] == "forbidden"
