"""Tenants never see each other: every /api/v1 route taking an id answers 404 to other orgs."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from assay.accounts import service
from assay.accounts.permissions import Role
from assay.assessments import service as assessments
from assay.assessments.schemas import AssessmentCreate
from tests.delivery_support import invite, make_assessment
from tests.factories import OrgFixture, make_member, make_org
from tests.functional.conftest import api_key_for, bearer


def _started_attempt(db: Session, org: OrgFixture) -> uuid.UUID:
    """An attempt of org A's candidate, started through the real delivery service."""
    from assay.delivery import service as delivery

    _candidate, token = invite(db, org, make_assessment(db, org))
    access = delivery.start(db, token=token, browser_id="b" * 16, ip=None, user_agent=None)
    assert access.attempt is not None
    return access.attempt.id


def _similarity_pair(db: Session, org: OrgFixture) -> uuid.UUID:
    """A flagged pair of org A: a submission and its renamed copy, compared by the service."""
    from assay.integrity import service as integrity
    from assay.integrity.models import SimilarityPair
    from tests.integrity_support import COPY, ORIGINAL, TASK, graded_submission

    for source in (ORIGINAL, COPY):
        submission = graded_submission(db, org, source)
        integrity.fingerprint_submission(db, submission_id=submission.id)
    integrity.compare_task(db, organization_id=org.organization.id, task_id=TASK, language="python")
    return db.scalars(
        select(SimilarityPair.id).where(SimilarityPair.organization_id == org.organization.id)
    ).one()


def _review_assignment(db: Session, org: OrgFixture) -> uuid.UUID:
    """A review assignment of a written answer in org A (its owner may review)."""
    from assay.results import review
    from tests.review_support import written_attempt

    _attempt, responses = written_attempt(db, org, make_assessment(db, org))
    return review.assign_response(db, response=responses[0])[0].id


# How to make a row of org A for each id parameter. A new route with an id parameter that is not
# listed here fails the test, so nobody can add one without proving it is scoped.
Maker = Callable[[Session, OrgFixture], uuid.UUID]
MAKERS: dict[str, Maker] = {
    "member_id": lambda db, org: make_member(db, org, role=Role.REVIEWER).id,
    "key_id": lambda db, org: (
        service.create_api_key(db, principal=org.principal, name="a", role=Role.REVIEWER)[0].id
    ),
    "invitation_id": lambda db, org: (
        service.invite_teammate(
            db,
            principal=org.principal,
            email=f"{uuid.uuid4().hex[:8]}@example.com",
            role=Role.REVIEWER,
        )[0].id
    ),
    "assessment_id": lambda db, org: (
        assessments.create(
            db,
            principal=org.principal,
            data=AssessmentCreate(title="Lead", template_id="lead-back-end-engineer"),
        ).assessment.id
    ),
    "candidate_id": lambda db, org: (
        invite(db, org, make_assessment(db, org))[0].id  # a candidate invited to org A's assessment
    ),
    "attempt_id": _started_attempt,
    "pair_id": _similarity_pair,
    "assignment_id": _review_assignment,
}
# Path parameters that name library content every organization shares (not rows of one org):
# a route keyed only by them has nothing to hide. What it creates is the caller's own row.
SHARED_PARAMS = {"task_id"}


BODIES = {
    "PATCH /api/v1/members/{member_id}": {"role": "recruiter"},
    "PATCH /api/v1/assessments/{assessment_id}": {"intro": "Welcome"},
    "POST /api/v1/assessments/{assessment_id}/blueprint": {},
    "POST /api/v1/assessments/{assessment_id}/candidates": {
        "name": "Eve",
        "email": "e@example.com",
    },
    "POST /api/v1/assessments/{assessment_id}/candidates/import": {"csv": "Eve,e@example.com"},
    "POST /api/v1/candidates/{candidate_id}/extend": {"add_minutes": 5},
    "POST /api/v1/attempts/{attempt_id}/decision": {"decision": "hold"},
    "POST /api/v1/review-assignments/{assignment_id}/review": {"levels": {}},
}


def id_routes(app: FastAPI) -> list[tuple[str, str, list[str]]]:
    """Every /api/v1 operation with a path parameter, from the app's own OpenAPI document."""
    routes = []
    for path, operations in app.openapi()["paths"].items():
        params = re.findall(r"{(\w+)}", path)
        if path.startswith("/api/v1") and params:
            routes.extend((method.upper(), path, params) for method in sorted(operations))
    return routes


def test_every_id_route_hides_other_organizations(
    app: FastAPI, client: TestClient, db: Session
) -> None:
    org_a = make_org(db)
    org_b = make_org(db)
    key_b = api_key_for(db, org_b, "admin")
    routes = id_routes(app)
    assert routes, "no id routes found"
    for method, path, params in routes:
        if set(params) <= SHARED_PARAMS:
            continue
        missing = [p for p in params if p not in MAKERS]
        assert not missing, (
            f"{method} {path}: add a maker for {missing} to prove it is tenant-scoped"
        )
        url = path
        for param in params:
            url = url.replace("{" + param + "}", str(MAKERS[param](db, org_a)))
        db.flush()
        body = BODIES.get(f"{method} {path}")
        response = client.request(method, url, headers=bearer(key_b), json=body)
        assert response.status_code == 404, (
            f"{method} {path} answered {response.status_code}: {response.text}"
        )
        assert response.json()["error"] == "not_found"
        # The same id is visible to its own organization, so the 404 is scoping and not a typo.
        key_a = api_key_for(db, org_a, "admin")
        if method == "GET":
            assert client.get(url, headers=bearer(key_a)).status_code == 200


def test_lists_show_only_the_callers_organization(client: TestClient, db: Session) -> None:
    org_a = make_org(db)
    org_b = make_org(db)
    make_member(db, org_a, role=Role.RECRUITER)
    key_b = api_key_for(db, org_b, "admin")
    assessments.create(db, principal=org_a.principal, data=AssessmentCreate(title="Secret role"))
    for path in [
        "/api/v1/members",
        "/api/v1/api-keys",
        "/api/v1/invitations",
        "/api/v1/outbox",
        "/api/v1/assessments",
    ]:
        body = client.get(path, headers=bearer(key_b)).json()
        text = str(body)
        assert str(org_a.organization.id) not in text
        assert org_a.owner.email not in text, path
        assert "Secret role" not in text, path
