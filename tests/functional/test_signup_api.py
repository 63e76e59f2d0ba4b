"""Sign-up over the API, and clear 4xx answers to bad input that leave the database unchanged."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from assay.accounts.models import Organization, User

GOOD = {
    "organization_name": "Acme Hiring",
    "name": "Grace Hopper",
    "email": "Grace@Example.com",
    "password": "a sufficiently long passphrase",
}


def counts(db: Session) -> tuple[int, int]:
    return (
        db.scalar(select(func.count()).select_from(Organization)) or 0,
        db.scalar(select(func.count()).select_from(User)) or 0,
    )


def test_signup_creates_organization_and_owner(client: TestClient, db: Session) -> None:
    response = client.post("/api/v1/signup", json=GOOD)
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["organization"]["name"] == "Acme Hiring"
    assert body["organization"]["slug"] == "acme-hiring"
    assert body["user"]["email"] == "grace@example.com"
    assert body["user"]["role"] == "owner"
    assert "password" not in response.text
    user = db.scalar(select(User).where(User.email == "grace@example.com"))
    assert user is not None
    assert user.password_hash.startswith("$argon2id$")


def test_email_already_taken_is_a_conflict_and_changes_nothing(
    client: TestClient, db: Session
) -> None:
    assert client.post("/api/v1/signup", json=GOOD).status_code == 201
    before = counts(db)
    response = client.post(
        "/api/v1/signup", json={**GOOD, "organization_name": "Other", "email": "grace@example.COM"}
    )
    assert response.status_code == 409
    assert response.json()["error"] == "email_taken"
    assert counts(db) == before


@pytest.mark.parametrize(
    ("password", "fragment"),
    [
        ("short", "at least 12"),
        ("x" * 129, "at most 128"),
        ("aaaaaaaaaaaaaaaa", "too easy"),
        ("password1234", "too easy"),
    ],
)
def test_password_policy(client: TestClient, db: Session, password: str, fragment: str) -> None:
    before = counts(db)
    response = client.post("/api/v1/signup", json={**GOOD, "password": password})
    assert response.status_code == 422
    assert response.json()["error"] == "validation_error"
    assert fragment in response.json()["detail"]
    assert counts(db) == before


@pytest.mark.parametrize(
    ("kwargs", "status", "code"),
    [
        (
            {"content": b'{"organization_name": ', "headers": {"content-type": "application/json"}},
            400,
            "malformed_json",
        ),
        ({"json": {**GOOD, "is_admin": True}}, 422, "validation_error"),
        ({"json": {**GOOD, "email": "not-an-email"}}, 422, "validation_error"),
        ({"json": {k: v for k, v in GOOD.items() if k != "name"}}, 422, "validation_error"),
        (
            {
                "content": b"organization_name=x",
                "headers": {"content-type": "application/x-www-form-urlencoded"},
            },
            415,
            "unsupported_media_type",
        ),
        (
            {"content": b"{}", "headers": {"content-type": "text/plain"}},
            415,
            "unsupported_media_type",
        ),
        (
            {
                "content": b'{"a": "' + b"x" * (3 * 1024 * 1024) + b'"}',
                "headers": {"content-type": "application/json"},
            },
            413,
            "payload_too_large",
        ),
    ],
    ids=[
        "malformed-json",
        "unknown-field",
        "bad-email",
        "missing-field",
        "form-encoded",
        "text-plain",
        "too-large",
    ],
)
def test_bad_input_gets_a_clear_error_and_changes_nothing(
    client: TestClient, db: Session, kwargs: dict[str, object], status: int, code: str
) -> None:
    before = counts(db)
    response = client.post("/api/v1/signup", **kwargs)  # type: ignore[arg-type]
    assert response.status_code == status, response.text
    body = response.json()
    assert body["error"] == code
    assert isinstance(body["detail"], str)
    assert body["detail"]
    assert counts(db) == before


def test_unknown_field_is_named_in_the_detail(client: TestClient) -> None:
    response = client.post("/api/v1/signup", json={**GOOD, "is_admin": True})
    assert "is_admin" in response.json()["detail"]


def test_a_streamed_body_over_the_limit_is_refused(client: TestClient, db: Session) -> None:
    before = counts(db)

    def chunks():  # type: ignore[no-untyped-def]
        yield b'{"organization_name": "'
        for _ in range(40):
            yield b"x" * 100_000
        yield b'"}'

    response = client.post(
        "/api/v1/signup", content=chunks(), headers={"content-type": "application/json"}
    )
    assert response.status_code == 413
    assert response.json()["error"] == "payload_too_large"
    assert counts(db) == before


def test_unknown_route_and_method_use_the_error_shape(client: TestClient) -> None:
    missing = client.get("/api/v1/nothing-here")
    assert missing.status_code == 404
    assert missing.json()["error"] == "not_found"
    wrong = client.put("/api/v1/signup", json=GOOD)
    assert wrong.status_code == 405
    assert wrong.json()["error"] == "method_not_allowed"
