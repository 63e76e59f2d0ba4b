"""The assessment builder's pages: template and pasted description, blueprint, settings, preview."""

from __future__ import annotations

import re
import uuid

from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from assay.accounts.permissions import Role
from assay.assessments.models import Assessment, Form, ItemExposure
from tests.factories import OrgFixture, make_member
from tests.functional.test_sessions import csrf, login

FLAGSHIP = "tests/fixtures/job_descriptions/tuning/flagship-lead-back-end-engineer.txt"


def signed_in(client: TestClient, org: OrgFixture) -> TestClient:
    assert login(client, org.owner.email).status_code == 303  # type: ignore[attr-defined]
    return client


def from_template(client: TestClient) -> str:
    response = client.post(
        "/assessments/new/template",
        data={
            "template_id": "lead-back-end-engineer",
            "title": "Lead BE 2031",
            "csrf_token": csrf(client, "/assessments/new"),
        },
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    match = re.fullmatch(r"/assessments/([0-9a-f-]+)/blueprint", response.headers["location"])
    assert match
    return match.group(1)


def test_nav_dashboard_and_list_link_to_assessments(client: TestClient, org: OrgFixture) -> None:
    signed_in(client, org)
    dashboard = client.get("/dashboard").text
    assert 'href="/assessments"' in dashboard
    page = client.get("/assessments")
    assert page.status_code == 200
    assert "No assessments yet." in page.text
    assert 'href="/assessments/new"' in page.text


def test_template_to_blueprint_to_preview(client: TestClient, db: Session, org: OrgFixture) -> None:
    signed_in(client, org)
    assessment_id = from_template(client)
    blueprint = client.get(f"/assessments/{assessment_id}/blueprint").text
    for section in ("Knowledge", "Coding", "SQL", "Code review", "Design"):
        assert f"<td>{section}</td>" in blueprint
    assert "90 minutes in total" in blueprint
    assert "Lead BE 2031" in client.get("/assessments").text
    preview = client.get(f"/assessments/{assessment_id}/preview", params={"seed": 5})
    assert preview.status_code == 200
    assert "Nothing you do here is recorded" in preview.text
    assert 'type="radio"' in preview.text or 'type="checkbox"' in preview.text
    assert 'class="diff"' in preview.text  # the code review, with line numbers
    assert "<script" not in preview.text.split("<main", 1)[1]
    assert db.scalar(select(func.count()).select_from(Form)) == 0
    assert db.scalar(select(func.count()).select_from(ItemExposure)) == 0


def test_pasted_description_shows_marked_evidence_and_an_editable_table(
    client: TestClient, db: Session, org: OrgFixture
) -> None:
    signed_in(client, org)
    with open(FLAGSHIP, encoding="utf-8") as handle:
        text = handle.read()
    page = client.post(
        "/assessments/new/analyze",
        data={"text": text, "title": "", "csrf_token": csrf(client, "/assessments/new")},
    )
    assert page.status_code == 200
    assert '<mark title="SQL and relational databases" data-skill="sql">' in page.text
    assert "Seniority estimate: <strong>lead</strong>" in page.text
    assert 'id="skill-sql" name="skill" value="sql" checked' in page.text
    assert 'id="skill-go" name="skill" value="go" >' in page.text  # offered, not ticked
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert token
    created = client.post(
        "/assessments/new/profile",
        data={
            "csrf_token": token.group(1),
            "title": "From the seed",
            "seniority": "lead",
            "text": text,
            "skill": ["sql", "security", "observability"],
            "weight-sql": "1",
            "weight-security": "0.4",
            "weight-observability": "0.8",
        },
        follow_redirects=False,
    )
    assert created.status_code == 303, created.text
    row = db.scalar(select(Assessment).where(Assessment.title == "From the seed"))
    assert row is not None
    assert row.profile == {"sql": 1.0, "security": 0.4, "observability": 0.8}
    assert row.job_description == text


def test_bad_pasted_text_gets_a_message(client: TestClient, org: OrgFixture) -> None:
    signed_in(client, org)
    for text, message in [
        ("", "The job description is empty."),
        ("<div><p>Gärtner gesucht für unser Büro</p></div>", "Text was HTML"),
        ("x" * 150_000, "Text truncated at 100 kB."),
    ]:
        page = client.post(
            "/assessments/new/analyze",
            data={"text": text, "csrf_token": csrf(client, "/assessments/new")},
        )
        assert page.status_code == 200
        assert message in page.text


def test_settings_form_saves_and_rejects_bad_values(
    client: TestClient, db: Session, org: OrgFixture
) -> None:
    signed_in(client, org)
    assessment_id = from_template(client)
    url = f"/assessments/{assessment_id}/settings"
    response = client.post(
        url,
        data={
            "csrf_token": csrf(client, url),
            "title": "Renamed",
            "status": "draft",
            "deadline": "2031-03-01T12:00",
            "total_minutes": "100",
            "language": ["python", "node"],
            "focus_loss": "on",
            "accommodation": ["50"],
            "intro": "Hello **candidate**",
            "brand_colour": "#aa3300",
        },
        files={"logo": ("logo.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 16, "image/png")},
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert "Settings+saved" in response.headers["location"]
    row = db.get(Assessment, uuid.UUID(assessment_id))
    assert row is not None
    db.refresh(row)
    assert (row.title, row.total_minutes, row.languages) == ("Renamed", 100, ["python", "node"])
    assert row.integrity == {"focus_loss": True, "paste": False, "fullscreen": False}
    assert row.accommodations == [50]
    assert row.logo_type == "image/png"
    assert client.get(f"/assessments/{assessment_id}/logo").headers["content-type"] == "image/png"
    preview = client.get(f"/assessments/{assessment_id}/preview").text
    assert "Hello <strong>candidate</strong>" in preview
    bad = client.post(
        url,
        data={"csrf_token": csrf(client, url), "title": "Renamed", "brand_colour": "nope"},
        follow_redirects=False,
    )
    assert bad.status_code == 303
    assert "brand_colour" in bad.headers["location"]


def test_forms_require_csrf(client: TestClient, org: OrgFixture) -> None:
    signed_in(client, org)
    assessment_id = from_template(client)
    for path, data in [
        ("/assessments/new/template", {"template_id": "lead-back-end-engineer"}),
        ("/assessments/new/analyze", {"text": "Python"}),
        ("/assessments/new/profile", {"skill": "sql", "title": "x"}),
        (f"/assessments/{assessment_id}/blueprint", {"language": "python"}),
        (f"/assessments/{assessment_id}/settings", {"title": "x"}),
    ]:
        response = client.post(path, data=data, follow_redirects=False)
        assert response.status_code == 403, path
        assert "expired or came from another site" in response.text


def test_reviewers_cannot_open_the_builder(
    client: TestClient, db: Session, org: OrgFixture
) -> None:
    reviewer = make_member(db, org, role=Role.REVIEWER)
    assert login(client, reviewer.email).status_code == 303  # type: ignore[attr-defined]
    assert client.get("/assessments/new").status_code == 403
    assert client.get("/assessments").status_code == 403


def test_pages_need_a_session(client: TestClient) -> None:
    response = client.get("/assessments", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"].startswith("/login?next=")
