"""The assessments API: templates, job descriptions, blueprints, settings, previews, forms."""

from __future__ import annotations

import base64
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from assay.assessments import service
from assay.assessments.index import get_content_index
from assay.assessments.models import Form, ItemExposure
from assay.assessments.schemas import AssessmentCreate
from assay.content.schemas import ChoiceItem, CodeReviewTask, FreeTextTask
from tests.factories import OrgFixture
from tests.functional.conftest import api_key_for, bearer

FLAGSHIP = "tests/fixtures/job_descriptions/tuning/flagship-lead-back-end-engineer.txt"
GERMAN = "tests/fixtures/job_descriptions/tuning/german-backend-entwickler.txt"
HTML = "tests/fixtures/job_descriptions/tuning/html-job-board-python.txt"
# Keys of the library formats that only graders and authors may see.
SECRET_KEYS = {"correct", "rationale", "defects", "rubric", "reference", "mutants", "hidden"}


def read(path: str) -> str:
    with open(path, encoding="utf-8") as handle:
        return handle.read()


def create(client: TestClient, key: str, **body: Any) -> Any:
    return client.post("/api/v1/assessments", json=body, headers=bearer(key))


def from_template(client: TestClient, key: str) -> dict[str, Any]:
    response = create(client, key, title="Lead BE", template_id="lead-back-end-engineer")
    assert response.status_code == 201, response.text
    return dict(response.json())


def all_keys(value: object) -> set[str]:
    if isinstance(value, dict):
        return set(value) | {k for v in value.values() for k in all_keys(v)}
    if isinstance(value, list):
        return {k for v in value for k in all_keys(v)}
    return set()


def test_role_templates_list_the_lead_back_end_engineer(
    client: TestClient, db: Session, org: OrgFixture
) -> None:
    response = client.get("/api/v1/role-templates", headers=bearer(api_key_for(db, org)))
    assert response.status_code == 200
    (template,) = response.json()["items"]
    assert template["id"] == "lead-back-end-engineer"
    assert template["total_minutes"] == 90
    assert len(template["duties"]) == 22


def test_create_from_template_plans_the_seed_blueprint(
    client: TestClient, db: Session, org: OrgFixture
) -> None:
    body = from_template(client, api_key_for(db, org, "recruiter"))
    blueprint = body["blueprint"]
    assert body["status"] == "draft"
    assert body["role_title"] == "Lead Back-End Engineer"
    assert [s["kind"] for s in blueprint["sections"]] == [
        "knowledge",
        "coding",
        "sql",
        "code_review",
        "design",
    ]
    assert blueprint["total_minutes"] == 90 == sum(s["minutes"] for s in blueprint["sections"])
    assert blueprint["languages"] == ["python", "node", "java"]
    # Whatever the library lacks is named, with the skill and the count.
    for shortfall in blueprint["shortfalls"]:
        missing = shortfall["needed"] - shortfall["available"]
        assert f"needs {missing} more" in shortfall["message"]
        assert shortfall["message"] in body["messages"]
    assert blueprint["complete"] is (not blueprint["shortfalls"])


def test_job_description_to_profile_to_blueprint(
    client: TestClient, db: Session, org: OrgFixture
) -> None:
    key = api_key_for(db, org, "recruiter")
    analysis = client.post(
        "/api/v1/jd/analyze", json={"text": read(FLAGSHIP)}, headers=bearer(key)
    ).json()
    assert analysis["seniority"] == "lead"
    skills = {s["id"]: s for s in analysis["skills"]}
    assert {"system-design", "sql", "security", "leadership"} <= set(skills)
    evidence = skills["sql"]["evidence"][0]
    assert analysis["text"][evidence["start"] : evidence["end"]] == evidence["text"]

    # The recruiter drops one skill, adds another and re-weights a third.
    profile = [{"id": s, "weight": v["weight"]} for s, v in skills.items() if s != "java"]
    profile = [p if p["id"] != "security" else {"id": "security", "weight": 0.2} for p in profile]
    profile.append({"id": "observability", "weight": 0.9})
    created = create(
        client, key, title="From JD", job_description=read(FLAGSHIP), seniority="lead"
    ).json()
    assert created["blueprint"] is not None
    planned = client.post(
        f"/api/v1/assessments/{created['id']}/blueprint",
        json={"profile": profile, "seniority": "lead", "languages": ["python", "node"]},
        headers=bearer(key),
    )
    assert planned.status_code == 200, planned.text
    body = planned.json()
    weights = {p["id"]: p["weight"] for p in body["profile"]}
    assert "java" not in weights
    assert weights["observability"] == 0.9
    assert body["blueprint"]["languages"] == ["python", "node"]
    knowledge = body["blueprint"]["sections"][0]
    assert "observability" in {spec["skill"] for spec in knowledge["specs"]}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "The job description is empty."),
        ("   \n\t ", "The job description is empty."),
        ("Python developer wanted. " * 6000, "Text truncated at 100 kB."),
        (read(HTML), "Text was HTML"),
        (read(GERMAN), "non-English"),
        ("We need a cheerful person to water the office plants every Monday.", "No technical"),
    ],
)
def test_bad_job_descriptions_get_a_message_not_a_crash(
    client: TestClient, db: Session, org: OrgFixture, text: str, message: str
) -> None:
    key = api_key_for(db, org, "recruiter")
    response = client.post("/api/v1/jd/analyze", json={"text": text}, headers=bearer(key))
    assert response.status_code == 200, response.text
    assert any(message in m for m in response.json()["messages"]), response.json()["messages"]
    created = create(client, key, title="Odd", job_description=text)
    assert created.status_code == 201, created.text
    assert any(message in m for m in created.json()["messages"])


def test_a_description_with_no_skills_makes_a_draft_without_blueprint(
    client: TestClient, db: Session, org: OrgFixture
) -> None:
    key = api_key_for(db, org, "recruiter")
    body = create(client, key, title="Plants", job_description="Water the plants.").json()
    assert body["blueprint"] is None
    assert any("No blueprint yet" in m for m in body["messages"])
    replan = client.post(
        f"/api/v1/assessments/{body['id']}/blueprint", json={}, headers=bearer(key)
    )
    assert replan.status_code == 422
    assert "profile is empty" in replan.json()["detail"]


def test_preview_has_no_keys_and_records_nothing(
    client: TestClient, db: Session, org: OrgFixture
) -> None:
    key = api_key_for(db, org, "recruiter")
    assessment = from_template(client, key)
    url = f"/api/v1/assessments/{assessment['id']}/preview"
    first = client.get(url, params={"seed": 11}, headers=bearer(key))
    assert first.status_code == 200, first.text
    form = first.json()
    assert not all_keys(form) & SECRET_KEYS
    text = first.text
    index = get_content_index()
    shown = [i for s in form["sections"] for i in s["items"]]
    assert shown
    assert {s["kind"] for s in form["sections"]} >= {"knowledge", "coding", "sql", "code_review"}
    for record in index.items:
        item = record.item
        if isinstance(item, ChoiceItem):
            assert all(o.rationale not in text for o in item.options)
        if isinstance(item, CodeReviewTask):
            assert all(d.description not in text for d in item.defects)
        if isinstance(item, FreeTextTask):
            assert all(c.levels[0].descriptor not in text for c in item.rubric)
        assert record.id not in text  # library ids often name the answer
    assert client.get(url, params={"seed": 11}, headers=bearer(key)).json() == form
    assert db.scalar(select(func.count()).select_from(Form)) == 0
    assert db.scalar(select(func.count()).select_from(ItemExposure)) == 0


def test_draw_form_stores_the_form_and_counts_exposure(db: Session, org: OrgFixture) -> None:
    planned = service.create(
        db,
        principal=org.principal,
        data=AssessmentCreate(title="Lead", template_id="lead-back-end-engineer"),
    )
    forms = [service.draw_form(db, assessment=planned.assessment, seed=s) for s in (1, 2, 3)]
    ids = [tuple(i["item_id"] for s in f.sections for i in s["items"]) for f in forms]
    assert len(set(ids)) > 1
    orders = {
        tuple(i["option_order"]) for s in forms[0].sections for i in s["items"] if i["option_order"]
    }
    assert orders
    rows = db.scalars(
        select(ItemExposure).where(ItemExposure.organization_id == org.organization.id)
    ).all()
    shown = {r.item_id: r.shown for r in rows}
    assert sum(shown.values()) == sum(len(set(i)) for i in ids)
    assert all(r.eligible == 3 for r in rows if r.item_id in ids[0])
    again = service.drawn_form_of(forms[0])
    assert [i.item_id for s in again.sections for i in s.items] == list(ids[0])


def test_settings_are_validated_and_saved(client: TestClient, db: Session, org: OrgFixture) -> None:
    key = api_key_for(db, org, "recruiter")
    assessment = from_template(client, key)
    url = f"/api/v1/assessments/{assessment['id']}"
    png = base64.b64encode(b"\x89PNG\r\n\x1a\n" + b"\x00" * 32).decode()
    response = client.patch(
        url,
        json={
            "deadline": "2031-01-31T17:00:00Z",
            "intro": "Welcome! Take your time.",
            "brand_colour": "#1F4E79",
            "integrity": {"focus_loss": True, "paste": False, "fullscreen": True},
            "accommodations": [25, 100],
            "custom_accommodation": False,
            "total_minutes": 120,
            "languages": ["python"],
            "logo_data_url": f"data:image/png;base64,{png}",
        },
        headers=bearer(key),
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["brand_colour"] == "#1f4e79"
    assert body["integrity"] == {"focus_loss": True, "paste": False, "fullscreen": True}
    assert body["accommodations"] == [25, 100]
    assert body["blueprint"]["total_minutes"] == 120
    assert body["blueprint"]["languages"] == ["python"]
    assert body["deadline"].startswith("2031-01-31T17:00")
    assert body["logo_url"] == f"/assessments/{assessment['id']}/logo"
    for bad, field in [
        ({"brand_colour": "red"}, "brand_colour"),
        ({"accommodations": [33]}, "accommodations"),
        ({"total_minutes": 5}, "total_minutes"),
        ({"languages": ["cobol"]}, "languages"),
        ({"status": "archived"}, "status"),
        ({"colour": "#000000"}, "colour"),
    ]:
        answer = client.patch(url, json=bad, headers=bearer(key))
        assert answer.status_code == 422, (bad, answer.text)
        assert field in answer.json()["detail"]
    svg = base64.b64encode(b"<svg onload=alert(1)>").decode()
    answer = client.patch(
        url, json={"logo_data_url": f"data:image/svg+xml;base64,{svg}"}, headers=bearer(key)
    )
    assert answer.status_code == 422
    assert "no SVG" in answer.json()["detail"]


def test_opening_needs_a_blueprint_the_library_meets(
    client: TestClient, db: Session, org: OrgFixture
) -> None:
    key = api_key_for(db, org, "recruiter")
    empty = create(client, key, title="Empty").json()
    answer = client.patch(
        f"/api/v1/assessments/{empty['id']}", json={"status": "open"}, headers=bearer(key)
    )
    assert answer.status_code == 409
    assert answer.json()["error"] == "no_blueprint"
    knowledge_only = create(
        client, key, title="Security quiz", profile=[{"id": "security", "weight": 1}]
    ).json()
    assert knowledge_only["blueprint"]["complete"], knowledge_only["blueprint"]["shortfalls"]
    opened = client.patch(
        f"/api/v1/assessments/{knowledge_only['id']}", json={"status": "open"}, headers=bearer(key)
    )
    assert opened.status_code == 200
    assert opened.json()["status"] == "open"


def test_impossible_blueprint_requests_are_clear_422s(
    client: TestClient, db: Session, org: OrgFixture
) -> None:
    key = api_key_for(db, org, "recruiter")
    cases: list[tuple[dict[str, Any], str]] = [
        ({"title": "x", "template_id": "astronaut"}, "No role template 'astronaut'"),
        ({"title": "x", "profile": [{"id": "cobol", "weight": 1}]}, "unknown skill id"),
        ({"title": "x", "profile": [{"id": "sql", "weight": 2}]}, "less than or equal to 1"),
        ({"title": "", "template_id": "lead-back-end-engineer"}, "title"),
        (
            {
                "title": "x",
                "profile": [{"id": "sql", "weight": 1}],
                "section_minutes": {"design": 20},
            },
            "no Design section",
        ),
    ]
    for body, detail in cases:
        answer = create(client, key, **body)
        assert answer.status_code == 422, answer.text
        assert detail in answer.json()["detail"]


def test_reviewers_may_not_build_or_see_assessments(
    client: TestClient, db: Session, org: OrgFixture
) -> None:
    reviewer = api_key_for(db, org, "reviewer")
    assessment = from_template(client, api_key_for(db, org, "recruiter"))
    url = f"/api/v1/assessments/{assessment['id']}"
    calls = [
        ("POST", "/api/v1/assessments", {"title": "x", "template_id": "lead-back-end-engineer"}),
        ("POST", "/api/v1/jd/analyze", {"text": "Python"}),
        ("GET", "/api/v1/assessments", None),
        ("GET", "/api/v1/role-templates", None),
        ("GET", url, None),
        ("PATCH", url, {"intro": "hi"}),
        ("POST", f"{url}/blueprint", {}),
        ("GET", f"{url}/preview", None),
    ]
    for method, path, body in calls:
        answer = client.request(method, path, json=body, headers=bearer(reviewer))
        assert answer.status_code == 403, (method, path, answer.text)
        assert answer.json()["error"] == "forbidden"
        anonymous = client.request(method, path, json=body)
        assert anonymous.status_code == 401, (method, path)


def test_list_is_paginated_newest_first(client: TestClient, db: Session, org: OrgFixture) -> None:
    key = api_key_for(db, org, "recruiter")
    for n in range(3):
        create(client, key, title=f"A{n}")
    first = client.get("/api/v1/assessments", params={"limit": 2}, headers=bearer(key)).json()
    assert [a["title"] for a in first["items"]] == ["A2", "A1"]
    rest = client.get(
        "/api/v1/assessments",
        params={"limit": 2, "cursor": first["next_cursor"]},
        headers=bearer(key),
    ).json()
    assert [a["title"] for a in rest["items"]] == ["A0"]
    assert rest["next_cursor"] is None
    bad = client.get("/api/v1/assessments", params={"cursor": "nope"}, headers=bearer(key))
    assert bad.status_code == 400
