"""After log-in, `next` only ever leads to a page of this site."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.factories import PASSWORD, OrgFixture
from tests.functional.test_sessions import csrf


@pytest.mark.parametrize(
    "target",
    [
        "/\\evil.example",
        "/\\/evil.example",
        "//evil.example",
        "/\t/evil.example",
        "https://evil.example",
    ],
)
def test_login_never_redirects_to_another_site(
    client: TestClient, org: OrgFixture, target: str
) -> None:
    response = client.post(
        "/login",
        data={
            "email": org.owner.email,
            "password": PASSWORD,
            "next": target,
            "csrf_token": csrf(client),
        },
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert response.headers["location"] == "/dashboard"


def test_login_keeps_a_same_site_next(client: TestClient, org: OrgFixture) -> None:
    response = client.post(
        "/login",
        data={
            "email": org.owner.email,
            "password": PASSWORD,
            "next": "/assessments?x=1",
            "csrf_token": csrf(client),
        },
        follow_redirects=False,
    )
    assert response.headers["location"] == "/assessments?x=1"
