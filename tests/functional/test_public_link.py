"""Public self-registration links: off by default, per assessment, rate-limited, closing on time."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from assay.assessments.models import Assessment
from assay.delivery import public
from assay.delivery.models import Candidate
from assay.kit.clock import utcnow
from assay.mail.models import MailMessage
from tests.delivery_support import make_assessment
from tests.factories import OrgFixture, make_org
from tests.functional.test_sessions import csrf, login


@pytest.fixture(autouse=True)
def fresh_limits() -> Iterator[None]:
    public.reset_rate()
    yield
    public.reset_rate()


def _turn_on(client: TestClient, org: OrgFixture, assessment: Assessment) -> str:
    assert login(client, org.owner.email).status_code == 303  # type: ignore[attr-defined]
    page_url = f"/assessments/{assessment.id}/candidates"
    assert "Turn on a public registration link" in client.get(page_url).text
    switched = client.post(
        f"/assessments/{assessment.id}/public-link",
        data={"enabled": "on", "csrf_token": csrf(client, page_url)},
        follow_redirects=False,
    )
    assert switched.status_code == 303
    page = client.get(switched.headers["location"]).text
    assert "The public registration link is on." in page
    match = re.search(r'value="http://[^"]*/apply/([^"]+)"', page)
    assert match, "no public link on the candidates page"
    client.cookies.clear()  # from here on, an anonymous visitor
    return f"/apply/{match.group(1)}"


def _register(client: TestClient, url: str, name: str, email: str) -> object:
    return client.post(url, data={"name": name, "email": email, "csrf_token": csrf(client, url)})


def _mailed_tokens(db: Session, email: str) -> list[str]:
    bodies = db.scalars(
        select(MailMessage.body)
        .where(MailMessage.to_address == email)
        .order_by(MailMessage.created_at, MailMessage.id)
    )
    return [m.group(1) for body in bodies if (m := re.search(r"/take/(\S+)", body))]


def test_a_person_registers_once_and_the_same_email_resumes(
    client: TestClient, db: Session, org: OrgFixture
) -> None:
    assessment = make_assessment(db, org)
    url = _turn_on(client, org, assessment)

    registered = _register(client, url, "Lin Chen", "lin@example.com")
    assert registered.status_code == 200, registered.text  # type: ignore[attr-defined]
    shown = re.search(r'href="http://[^"]*/take/([^"]+)"', registered.text)  # type: ignore[attr-defined]
    assert shown, "the new registration's link is not on the page"
    assert _mailed_tokens(db, "lin@example.com") == [shown.group(1)]
    assert client.post(f"/take/{shown.group(1)}/api/start").status_code == 200

    again = _register(client, url, "Lin C.", "lin@example.com")
    assert again.status_code == 200  # type: ignore[attr-defined]
    assert "/take/" not in again.text  # type: ignore[attr-defined]
    assert "fresh personal link" in again.text  # type: ignore[attr-defined]
    count = select(func.count()).select_from(Candidate)
    assert db.scalar(count.where(Candidate.assessment_id == assessment.id)) == 1
    first, fresh = _mailed_tokens(db, "lin@example.com")
    assert client.get(f"/take/{first}").status_code == 404
    resumed = client.post(f"/take/{fresh}/api/start")
    assert resumed.status_code == 200
    assert resumed.json()["section_index"] == 0


def test_registration_validates_and_is_rate_limited_per_ip(
    client: TestClient, db: Session, org: OrgFixture
) -> None:
    url = _turn_on(client, org, make_assessment(db, org))
    bad = _register(client, url, "", "not-an-email")
    assert bad.status_code == 422  # type: ignore[attr-defined]
    assert "email" in bad.text  # type: ignore[attr-defined]
    limit = int(public.REGISTRATIONS_PER_IP.split("/")[0])
    for number in range(limit - 1):
        assert _register(client, url, "P", f"p{number}@example.com").status_code == 200  # type: ignore[attr-defined]
    limited = _register(client, url, "Q", "q@example.com")
    assert limited.status_code == 429  # type: ignore[attr-defined]
    assert "Too many registrations" in limited.text  # type: ignore[attr-defined]
    assert db.scalar(select(func.count()).where(Candidate.email == "q@example.com")) == 0


def test_the_link_is_off_by_default_closes_at_the_deadline_and_can_be_turned_off(
    client: TestClient, db: Session, org: OrgFixture
) -> None:
    assessment = make_assessment(db, org)
    url = _turn_on(client, org, assessment)
    token = csrf(client, url)
    assessment.deadline = utcnow() - timedelta(minutes=1)
    db.flush()
    assert client.get(url).status_code == 410
    late = client.post(url, data={"name": "Late", "email": "late@x.com", "csrf_token": token})
    assert late.status_code == 410
    assessment.deadline = utcnow() + timedelta(days=1)
    db.flush()
    assert login(client, org.owner.email).status_code == 303  # type: ignore[attr-defined]
    page_url = f"/assessments/{assessment.id}/candidates"
    client.post(
        f"/assessments/{assessment.id}/public-link",
        data={"enabled": "off", "csrf_token": csrf(client, page_url)},
    )
    assert client.get(url).status_code == 404
    assert client.get("/apply/not-a-link").status_code == 404


def test_another_organization_cannot_switch_or_see_the_link(
    client: TestClient, db: Session, org: OrgFixture
) -> None:
    assessment = make_assessment(db, org)
    stranger = make_org(db)
    db.flush()
    assert login(client, stranger.owner.email).status_code == 303  # type: ignore[attr-defined]
    token = csrf(client, "/dashboard")
    switched = client.post(
        f"/assessments/{assessment.id}/public-link", data={"enabled": "on", "csrf_token": token}
    )
    assert switched.status_code == 404
    assert public.public_link_of(db, principal=org.principal, assessment_id=assessment.id) is None
