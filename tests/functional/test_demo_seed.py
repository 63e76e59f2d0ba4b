"""The demo organization: forty simulated candidates in every state, seeded once, all its own."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from assay.accounts.models import User
from assay.accounts.service import Principal
from assay.assessments.models import Assessment, AssessmentStatus
from assay.delivery import service as delivery
from assay.delivery.models import Attempt, Candidate, IntegrityEvent, Response
from assay.demo.seed import DEMO_EMAIL, demo_organization, seed
from assay.grading.models import Submission, SubmissionStatus
from assay.kit.clock import utcnow
from assay.results.models import AttemptScore, Decision, Review, ReviewAssignment, ReviewStatus

STORY_TABLES = (
    Assessment,
    Candidate,
    Attempt,
    Response,
    Submission,
    IntegrityEvent,
    AttemptScore,
    Decision,
    ReviewAssignment,
    Review,
    User,
)


def _counts(db: Session) -> dict[str, int]:
    return {
        table.__tablename__: db.scalar(select(func.count()).select_from(table)) or 0
        for table in STORY_TABLES
    }


def test_seeding_again_changes_nothing(db: Session) -> None:
    first = seed(db)
    assert first.created
    assert first.candidates == 40
    before = _counts(db)
    again = seed(db)
    assert not again.created
    assert again.candidates == 0
    assert _counts(db) == before


def _rows(db: Session, table: type[Any]) -> int:
    return db.scalar(select(func.count()).select_from(table)) or 0


def test_the_demo_tells_a_story_inside_its_own_organization(db: Session) -> None:
    elsewhere = {table: _rows(db, table) for table in STORY_TABLES}
    seed(db)
    organization = demo_organization(db)
    assert organization is not None
    org = organization.id
    owner = db.scalars(select(User).where(User.email == DEMO_EMAIL)).one()
    principal = Principal(organization_id=organization.id, role=owner.role, user_id=owner.id)
    assessment = db.scalars(
        select(Assessment).where(Assessment.organization_id == organization.id)
    ).one()
    assert assessment.status is AssessmentStatus.OPEN
    assert assessment.template_id == "lead-back-end-engineer"
    assert assessment.integrity["paste"]
    assert assessment.integrity["focus_loss"]

    records = delivery.list_candidates(db, principal=principal, assessment_id=assessment.id)
    states = Counter(record.state.value for record in records)
    assert 35 <= len(records) <= 45
    assert states["submitted"] >= 25
    for early in ("invited", "opened", "started"):
        assert states[early] >= 2, states
    assert len({r.candidate.email for r in records}) == len(records)
    assert all(r.candidate.email and "@example." in r.candidate.email for r in records)

    now = utcnow()
    week_ago = now - timedelta(days=8)
    for record in records:
        assert week_ago <= record.candidate.created_at <= now
        if record.attempt is not None and record.attempt.finished_at is not None:
            assert record.attempt.started_at < record.attempt.finished_at <= now

    # Every submitted attempt sent its work samples to grading; the worker grades them later.
    submissions = db.scalars(select(Submission).where(Submission.organization_id == org)).all()
    assert len(submissions) >= states["submitted"]
    assert {s.status for s in submissions} == {SubmissionStatus.PENDING}
    linked = db.scalars(
        select(Response.submission_id).where(
            Response.organization_id == org, Response.submission_id.is_not(None)
        )
    )
    assert set(linked) == {s.id for s in submissions}

    # Some design answers are fully reviewed, some wait; the recruiter has decided on a few.
    statuses = Counter(
        a.status
        for a in db.scalars(select(ReviewAssignment).where(ReviewAssignment.organization_id == org))
    )
    assert statuses[ReviewStatus.DONE] > 0
    assert statuses[ReviewStatus.OPEN] > 0
    decisions = db.scalars(select(Decision).where(Decision.organization_id == org)).all()
    assert {d.decision.value for d in decisions} == {"advance", "hold", "reject"}
    assert all(d.note for d in decisions)
    signals = db.scalars(select(IntegrityEvent).where(IntegrityEvent.organization_id == org))
    kinds = {e.kind for e in signals}
    assert kinds
    assert kinds <= {"paste", "focus_loss"}
    scores = select(AttemptScore).where(AttemptScore.organization_id == org)
    assert len(db.scalars(scores).all()) == states["submitted"]

    # Everything the story wrote belongs to the demo organization: no other tenant gained rows.
    for table in STORY_TABLES:
        others = select(func.count()).select_from(table).where(table.organization_id != org)
        assert db.scalar(others) == elsewhere[table], table.__tablename__
