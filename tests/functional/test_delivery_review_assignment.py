"""Written answers go to reviewers the moment their section closes, not at the next sweep."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from assay.accounts.permissions import Role
from assay.assessments.models import Form
from assay.delivery import service
from assay.delivery.models import Response
from assay.results import review
from assay.results.models import ReviewAssignment
from tests.delivery_support import invite, make_assessment
from tests.factories import OrgFixture, make_member


def _written_items(db: Session, form_id: uuid.UUID) -> list[tuple[int, str, dict[str, Any]]]:
    form = db.get(Form, form_id)
    assert form is not None
    return [
        (index, service.item_ref(index, number), item)
        for index, section in enumerate(form.sections)
        for number, item in enumerate(service.delivered_items(section))
        if item["kind"] == "free_text"
    ]


def _assignments(db: Session, response_id: uuid.UUID) -> list[ReviewAssignment]:
    return list(
        db.scalars(select(ReviewAssignment).where(ReviewAssignment.response_id == response_id))
    )


def test_closing_a_section_assigns_its_written_answers_to_reviewers(
    client: TestClient, db: Session, org: OrgFixture
) -> None:
    make_member(db, org, role=Role.REVIEWER)
    make_member(db, org, role=Role.REVIEWER)
    assessment = make_assessment(db, org)
    candidate, token = invite(db, org, assessment)
    assert client.post(f"/take/{token}/api/start").status_code == 200
    access = service.resolve_for_candidate(db, candidate_id=candidate.id)
    assert access.attempt is not None
    written = _written_items(db, access.attempt.form_id)
    assert written, "the flagship form has no written item"
    index, ref, _item = written[0]
    for _ in range(index):
        assert client.post(f"/take/{token}/api/sections/next").status_code == 200
    saved = client.post(
        f"/take/{token}/api/answers",
        json={
            "item_id": ref,
            "answer": {"text": "Shard by tenant; cache reads."},
            "sequence": 1,
            "key": uuid.uuid4().hex,
        },
    )
    assert saved.status_code == 200, saved.text
    response = db.scalars(select(Response).where(Response.attempt_id == access.attempt.id)).one()
    assert _assignments(db, response.id) == []  # still open: the answer may change

    closed = client.post(f"/take/{token}/api/sections/next")
    assert closed.status_code == 200, closed.text
    db.expire_all()
    assigned = _assignments(db, response.id)
    assert len(assigned) == review.reviews_per_answer() >= 1
    assert len({a.reviewer_id for a in assigned}) == 2
    assert all(not a.adjudication for a in assigned)

    # Finishing later, and the sweep, add nobody twice.
    assert client.post(f"/take/{token}/api/finish").status_code == 200
    review.assign_pending(db)
    assert len(_assignments(db, response.id)) == review.reviews_per_answer()
