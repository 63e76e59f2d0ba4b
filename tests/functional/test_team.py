"""Teammates: invitations by email with a role, role changes and removal, enforced per role."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from assay.accounts.models import TeamInvitation, User
from assay.accounts.permissions import Role
from assay.kit.clock import utcnow
from assay.mail.models import MailMessage
from tests.factories import PASSWORD, OrgFixture, make_member
from tests.functional.conftest import api_key_for, bearer
from tests.functional.test_sessions import csrf


def invite(client: TestClient, key: str, email: str, role: str) -> object:
    return client.post(
        "/api/v1/invitations", json={"email": email, "role": role}, headers=bearer(key)
    )


def test_invitation_is_mailed_and_accepting_it_joins_with_the_role(
    client: TestClient, db: Session, org: OrgFixture
) -> None:
    key = api_key_for(db, org, "admin")
    response = invite(client, key, "new.reviewer@example.com", "reviewer")
    assert response.status_code == 201, response.text  # type: ignore[attr-defined]
    mail = db.scalar(
        select(MailMessage).where(MailMessage.to_address == "new.reviewer@example.com")
    )
    assert mail is not None
    assert mail.status == "outbox"
    assert mail.category == "team"
    link = re.search(r"/join/(\S+)", mail.body)
    assert link
    token = link.group(1)

    page = client.get(f"/join/{token}")
    assert page.status_code == 200
    assert "reviewer" in page.text
    response = client.post(
        f"/join/{token}",
        data={"name": "Rita", "password": PASSWORD, "csrf_token": csrf(client, f"/join/{token}")},
        follow_redirects=False,
    )
    assert response.status_code == 303  # type: ignore[attr-defined]
    user = db.scalar(select(User).where(User.email == "new.reviewer@example.com"))
    assert user is not None
    assert (user.role, user.organization_id) == (Role.REVIEWER, org.organization.id)
    again = client.get(f"/join/{token}")
    assert again.status_code == 410


def test_expired_and_unknown_invitation_links(
    client: TestClient, db: Session, org: OrgFixture
) -> None:
    key = api_key_for(db, org, "admin")
    invite(client, key, "late@example.com", "recruiter")
    mail = db.scalar(select(MailMessage).where(MailMessage.to_address == "late@example.com"))
    assert mail is not None
    token = mail.body.split("/join/")[1].split()[0]
    invitation = db.scalar(select(TeamInvitation).where(TeamInvitation.email == "late@example.com"))
    assert invitation is not None
    invitation.expires_at = utcnow() - timedelta(minutes=1)
    db.flush()
    assert client.get(f"/join/{token}").status_code == 410
    assert "expired" in client.get(f"/join/{token}").text
    assert client.get("/join/not-a-token").status_code == 404


def test_revoked_invitation_cannot_be_used(
    client: TestClient, db: Session, org: OrgFixture
) -> None:
    key = api_key_for(db, org, "admin")
    created = invite(client, key, "gone@example.com", "recruiter").json()  # type: ignore[attr-defined]
    assert (
        client.delete(f"/api/v1/invitations/{created['id']}", headers=bearer(key)).status_code
        == 200
    )
    mail = db.scalar(select(MailMessage).where(MailMessage.to_address == "gone@example.com"))
    assert mail is not None
    token = mail.body.split("/join/")[1].split()[0]
    assert client.get(f"/join/{token}").status_code == 404


@pytest.mark.parametrize(
    ("acting", "invited", "status"),
    [
        ("admin", "owner", 403),
        ("admin", "admin", 201),
        ("recruiter", "reviewer", 403),
        ("reviewer", "reviewer", 403),
    ],
)
def test_who_may_invite_whom(
    client: TestClient, db: Session, org: OrgFixture, acting: str, invited: str, status: int
) -> None:
    key = api_key_for(db, org, acting)
    assert invite(client, key, f"{acting}-{invited}@example.com", invited).status_code == status  # type: ignore[attr-defined]


def test_owners_may_make_owners_and_the_last_owner_stays(
    client: TestClient, db: Session, org: OrgFixture
) -> None:
    from assay.accounts import service

    member = make_member(db, org, role=Role.RECRUITER)
    service.change_role(db, principal=org.principal, user_id=member.id, role=Role.OWNER)
    assert member.role is Role.OWNER
    service.change_role(db, principal=org.principal, user_id=member.id, role=Role.ADMIN)
    from assay.errors import Conflict

    with pytest.raises(Conflict, match="at least one owner"):
        service.change_role(db, principal=org.principal, user_id=org.owner.id, role=Role.ADMIN)


def test_member_role_change_and_removal_over_the_api(
    client: TestClient, db: Session, org: OrgFixture
) -> None:
    key = api_key_for(db, org, "admin")
    member = make_member(db, org, role=Role.REVIEWER)
    changed = client.patch(
        f"/api/v1/members/{member.id}", json={"role": "recruiter"}, headers=bearer(key)
    )
    assert changed.status_code == 200
    assert changed.json()["role"] == "recruiter"
    bad = client.patch(
        f"/api/v1/members/{member.id}", json={"role": "emperor"}, headers=bearer(key)
    )
    assert bad.status_code == 422
    removed = client.delete(f"/api/v1/members/{member.id}", headers=bearer(key))
    assert removed.status_code == 204
    db.refresh(member)
    assert member.is_active is False
    owner_removal = client.delete(f"/api/v1/members/{org.owner.id}", headers=bearer(key))
    assert owner_removal.status_code == 403


def test_members_paginate_with_a_cursor(client: TestClient, db: Session, org: OrgFixture) -> None:
    key = api_key_for(db, org, "reviewer")
    for _ in range(4):
        make_member(db, org, role=Role.REVIEWER)
    seen: list[str] = []
    cursor = None
    pages = 0
    while True:
        params = {"limit": 2} | ({"cursor": cursor} if cursor else {})
        page = client.get("/api/v1/members", params=params, headers=bearer(key)).json()
        seen += [m["id"] for m in page["items"]]
        pages += 1
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert pages == 3
    assert len(seen) == len(set(seen)) == 5
    bad = client.get("/api/v1/members", params={"cursor": "!!nonsense"}, headers=bearer(key))
    assert (bad.status_code, bad.json()["error"]) == (400, "invalid_cursor")
    too_many = client.get("/api/v1/members", params={"limit": 1000}, headers=bearer(key))
    assert too_many.status_code == 422


def test_outbox_hides_team_invitations_from_recruiters(
    client: TestClient, db: Session, org: OrgFixture
) -> None:
    admin = api_key_for(db, org, "admin")
    invite(client, admin, "someone@example.com", "admin")
    assert len(client.get("/api/v1/outbox", headers=bearer(admin)).json()["items"]) == 1
    recruiter = api_key_for(db, org, "recruiter")
    assert client.get("/api/v1/outbox", headers=bearer(recruiter)).json()["items"] == []
