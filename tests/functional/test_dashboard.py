"""The dashboard: assessments (open first) with candidate counts, waiting reviews, recent work."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from assay.assessments.models import AssessmentStatus
from assay.delivery import service as delivery
from assay.kit.clock import utcnow
from assay.results import review
from tests.delivery_support import invite, make_assessment
from tests.factories import OrgFixture, make_org
from tests.functional.test_sessions import login
from tests.review_support import written_attempt


def _row(page: str, title: str) -> list[str]:
    """The cells of the assessments table row whose first cell links to ``title``."""
    for row in re.findall(r"<tr>(.*?)</tr>", page, flags=re.S):
        if f">{title}</a>" in row:
            return [
                re.sub(r"<[^>]+>", "", cell).strip()
                for cell in re.findall(r"<td>(.*?)</td>", row, flags=re.S)
            ]
    raise AssertionError(f"no row for {title}")


def test_dashboard_counts_candidates_by_state_and_lists_open_assessments_first(
    client: TestClient, db: Session, org: OrgFixture
) -> None:
    draft = make_assessment(db, org, title="Draft role", status=AssessmentStatus.DRAFT)
    hiring = make_assessment(db, org, title="Hiring now")
    invite(db, org, hiring)
    invite(db, org, hiring)
    _started, token = invite(db, org, hiring)
    delivery.start(db, token=token, browser_id="b" * 16, ip=None, user_agent=None)
    attempt, responses = written_attempt(db, org, hiring, name="Grace Hopper")
    expired, _token = invite(db, org, hiring)
    invitation = delivery.describe(db, principal=org.principal, candidate_id=expired.id).invitation
    invitation.expires_at = utcnow().replace(year=2000)
    review.assign_response(db, response=responses[0])
    other = make_org(db)
    outsider = make_assessment(db, other, title="Someone else's role")
    invite(db, other, outsider)
    db.flush()

    assert login(client, org.owner.email).status_code == 303  # type: ignore[attr-defined]
    page = client.get("/dashboard").text

    assert page.index(">Hiring now</a>") < page.index(">Draft role</a>")
    assert _row(page, "Hiring now")[1:5] == ["open", "2", "1", "1"]
    assert _row(page, "Draft role")[1:5] == ["draft", "0", "0", "0"]
    assert "Someone else" not in page
    assert f'href="/assessments/{hiring.id}/candidates"' in page
    assert f'href="/assessments/{draft.id}/results"' in page
    assert "1 review waiting for you" in page
    assert "Grace Hopper submitted" in page
    assert attempt.finished_at is not None


def test_a_reviewer_sees_their_queue_but_no_assessments(
    client: TestClient, db: Session, org: OrgFixture
) -> None:
    from assay.accounts.permissions import Role
    from tests.factories import make_member

    make_assessment(db, org, title="Hiring now")
    reviewer = make_member(db, org, role=Role.REVIEWER)
    db.flush()
    assert login(client, reviewer.email).status_code == 303  # type: ignore[attr-defined]
    page = client.get("/dashboard").text
    assert "No reviews are waiting for you." in page
    assert "Hiring now" not in page
