"""Browser sessions: log-in, CSRF on every form, a fresh session id, rate limits, log-out."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from assay.accounts.models import AuthSession, Organization
from tests.factories import PASSWORD, OrgFixture


def csrf(client: TestClient, path: str = "/login") -> str:
    page = client.get(path)
    match = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert match, f"no CSRF token on {path}"
    return match.group(1)


def login(client: TestClient, email: str, password: str = PASSWORD) -> object:
    token = csrf(client)
    return client.post(
        "/login",
        data={"email": email, "password": password, "csrf_token": token},
        follow_redirects=False,
    )


def test_login_sets_a_hardened_session_cookie(client: TestClient, org: OrgFixture) -> None:
    response = login(client, org.owner.email)
    assert response.status_code == 303  # type: ignore[attr-defined]
    assert response.headers["location"] == "/dashboard"  # type: ignore[attr-defined]
    cookie = next(
        h for h in response.headers.get_list("set-cookie") if h.startswith("assay_session=")
    )  # type: ignore[attr-defined]
    assert "HttpOnly" in cookie
    assert "SameSite=lax" in cookie
    dashboard = client.get("/dashboard")
    assert dashboard.status_code == 200
    assert org.organization.name in dashboard.text


def test_each_login_gets_a_new_session_id(client: TestClient, org: OrgFixture, db: Session) -> None:
    login(client, org.owner.email)
    first = client.cookies.get("assay_session")
    login(client, org.owner.email)
    second = client.cookies.get("assay_session")
    assert first
    assert second
    assert first != second
    # The session the browser had before is ended, not left usable.
    assert db.scalar(select(func.count()).select_from(AuthSession)) == 1


def test_forms_without_a_valid_csrf_token_are_refused(
    client: TestClient, org: OrgFixture, db: Session
) -> None:
    client.get("/login")
    missing = client.post("/login", data={"email": org.owner.email, "password": PASSWORD})
    assert missing.status_code == 403
    assert "expired or came from another site" in missing.text
    forged = client.post(
        "/login", data={"email": org.owner.email, "password": PASSWORD, "csrf_token": "f" * 64}
    )
    assert forged.status_code == 403
    before = db.scalar(select(func.count()).select_from(Organization))
    signup = client.post(
        "/signup",
        data={
            "organization_name": "X",
            "name": "Y",
            "email": "y@example.com",
            "password": PASSWORD,
        },
    )
    assert signup.status_code == 403
    assert db.scalar(select(func.count()).select_from(Organization)) == before


def test_cookie_authenticated_api_writes_need_the_csrf_header(
    client: TestClient, org: OrgFixture
) -> None:
    login(client, org.owner.email)
    assert client.get("/api/v1/organization").status_code == 200
    refused = client.post("/api/v1/api-keys", json={"name": "k"})
    assert (refused.status_code, refused.json()["error"]) == (403, "csrf_failed")
    token = csrf(client, "/dashboard")
    accepted = client.post("/api/v1/api-keys", json={"name": "k"}, headers={"X-CSRF-Token": token})
    assert accepted.status_code == 201


def test_wrong_password_and_unknown_account_look_the_same(
    client: TestClient, org: OrgFixture
) -> None:
    wrong = login(client, org.owner.email, "not the password at all")
    unknown = login(client, "nobody@example.com", "not the password at all")
    assert wrong.status_code == unknown.status_code == 401  # type: ignore[attr-defined]
    assert "The email or password is wrong." in wrong.text  # type: ignore[attr-defined]
    assert "The email or password is wrong." in unknown.text  # type: ignore[attr-defined]


def test_login_attempts_are_rate_limited_per_account(client: TestClient, org: OrgFixture) -> None:
    statuses = [login(client, org.owner.email, "wrong password!!").status_code for _ in range(10)]  # type: ignore[attr-defined]
    assert set(statuses) == {401}
    limited = login(client, org.owner.email, PASSWORD)
    assert limited.status_code == 429  # type: ignore[attr-defined]
    assert int(limited.headers["retry-after"]) > 0  # type: ignore[attr-defined]
    assert "Too many log-in attempts for this account" in limited.text  # type: ignore[attr-defined]


def test_login_attempts_are_rate_limited_per_ip(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    from assay.config import get_settings

    monkeypatch.setattr(get_settings(), "login_attempts_per_ip", "5/15 minutes")
    statuses = [
        login(client, f"person{n}@example.com", "whatever it is").status_code for n in range(6)
    ]  # type: ignore[attr-defined]
    assert statuses[:5] == [401] * 5
    assert statuses[5] == 429


def test_logout_ends_the_session(client: TestClient, org: OrgFixture, db: Session) -> None:
    login(client, org.owner.email)
    cookie = client.cookies.get("assay_session")
    token = csrf(client, "/dashboard")
    response = client.post("/logout", data={"csrf_token": token}, follow_redirects=False)
    assert response.status_code == 303
    assert db.scalar(select(func.count()).select_from(AuthSession)) == 0
    client.cookies.set("assay_session", cookie or "")
    assert client.get("/dashboard", follow_redirects=False).status_code == 303


def test_pages_behind_login_redirect_and_keep_the_target(client: TestClient) -> None:
    response = client.get("/settings/team", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=/settings/team"


def test_login_never_redirects_off_site(client: TestClient, org: OrgFixture) -> None:
    token = csrf(client)
    response = client.post(
        "/login",
        data={
            "email": org.owner.email,
            "password": PASSWORD,
            "csrf_token": token,
            "next": "//evil.example/x",
        },
        follow_redirects=False,
    )
    assert response.headers["location"] == "/dashboard"


def test_signup_form_creates_an_org_and_signs_in(client: TestClient, db: Session) -> None:
    token = csrf(client, "/signup")
    response = client.post(
        "/signup",
        data={
            "organization_name": "Form Org",
            "name": "Ann",
            "email": "ann@example.com",
            "password": PASSWORD,
            "csrf_token": token,
        },
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert "Form Org" in client.get("/dashboard").text


def test_signup_form_shows_field_errors(client: TestClient) -> None:
    token = csrf(client, "/signup")
    response = client.post(
        "/signup",
        data={
            "organization_name": "Form Org",
            "name": "Ann",
            "email": "ann@example.com",
            "password": "short",
            "csrf_token": token,
        },
    )
    assert response.status_code == 422
    assert "at least 12 characters" in response.text
    assert 'value="ann@example.com"' in response.text
