"""Every query of human review: assignments, reviews, reviewer load; scoped to an organization."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from assay.accounts.models import User
from assay.assessments.models import Assessment, Form
from assay.delivery.models import Attempt, Candidate, Invitation, Response
from assay.results.models import Review, ReviewAssignment, ReviewStatus


def active_members(session: Session, *, organization_id: uuid.UUID) -> Sequence[User]:
    return session.scalars(
        select(User)
        .where(User.organization_id == organization_id, User.is_active.is_(True))
        .order_by(User.created_at, User.id)
    ).all()


def load_of(session: Session, *, organization_id: uuid.UUID) -> dict[uuid.UUID, tuple[int, int]]:
    """reviewer → (open assignments, all assignments) in the organization."""
    rows = session.execute(
        select(
            ReviewAssignment.reviewer_id,
            func.count().filter(ReviewAssignment.status == ReviewStatus.OPEN),
            func.count(),
        )
        .where(ReviewAssignment.organization_id == organization_id)
        .group_by(ReviewAssignment.reviewer_id)
    ).all()
    return {row[0]: (int(row[1]), int(row[2])) for row in rows}


def assignments_of_response(
    session: Session, *, organization_id: uuid.UUID, response_id: uuid.UUID
) -> Sequence[ReviewAssignment]:
    return session.scalars(
        select(ReviewAssignment)
        .where(
            ReviewAssignment.organization_id == organization_id,
            ReviewAssignment.response_id == response_id,
        )
        .order_by(ReviewAssignment.created_at, ReviewAssignment.id)
    ).all()


def get_assignment(
    session: Session, *, organization_id: uuid.UUID, assignment_id: uuid.UUID
) -> ReviewAssignment | None:
    return session.scalar(
        select(ReviewAssignment).where(
            ReviewAssignment.organization_id == organization_id,
            ReviewAssignment.id == assignment_id,
        )
    )


def review_of(
    session: Session, *, organization_id: uuid.UUID, assignment_id: uuid.UUID
) -> Review | None:
    return session.scalar(
        select(Review).where(
            Review.organization_id == organization_id, Review.assignment_id == assignment_id
        )
    )


def reviews_of_response(
    session: Session, *, organization_id: uuid.UUID, response_id: uuid.UUID
) -> Sequence[tuple[ReviewAssignment, Review]]:
    rows = session.execute(
        select(ReviewAssignment, Review)
        .join(Review, Review.assignment_id == ReviewAssignment.id)
        .where(
            ReviewAssignment.organization_id == organization_id,
            ReviewAssignment.response_id == response_id,
        )
        .order_by(Review.submitted_at, Review.id)
    ).all()
    return [(row[0], row[1]) for row in rows]


def open_assignments_of(
    session: Session, *, organization_id: uuid.UUID, reviewer_id: uuid.UUID
) -> Sequence[ReviewAssignment]:
    return session.scalars(
        select(ReviewAssignment)
        .where(
            ReviewAssignment.organization_id == organization_id,
            ReviewAssignment.reviewer_id == reviewer_id,
            ReviewAssignment.status == ReviewStatus.OPEN,
        )
        # Adjudications first: they hold up a final score.
        .order_by(ReviewAssignment.adjudication.desc(), ReviewAssignment.created_at)
    ).all()


def get_response(
    session: Session, *, organization_id: uuid.UUID, response_id: uuid.UUID
) -> Response | None:
    return session.scalar(
        select(Response).where(
            Response.organization_id == organization_id, Response.id == response_id
        )
    )


def finished_responses_short_of(session: Session, *, item_ids: Sequence[str]) -> Sequence[Response]:
    """Answers to ``item_ids`` in finished attempts with fewer regular (non-adjudication)
    assignments than their assessment's reviewers per answer, across organizations (for the
    periodic sweep)."""
    assigned = (
        select(func.count())
        .where(
            ReviewAssignment.response_id == Response.id,
            ReviewAssignment.adjudication.is_(False),
        )
        .correlate(Response)
        .scalar_subquery()
    )
    return session.scalars(
        select(Response)
        .join(Attempt, Attempt.id == Response.attempt_id)
        .join(Form, Form.id == Attempt.form_id)
        .join(Assessment, Assessment.id == Form.assessment_id)
        .where(
            Attempt.finished_at.is_not(None),
            Response.item_id.in_(item_ids),
            assigned < Assessment.reviewers_per_answer,
        )
        .order_by(Response.updated_at, Response.id)
    ).all()


def free_responses_of_attempt(
    session: Session, *, organization_id: uuid.UUID, attempt_id: uuid.UUID, item_ids: Sequence[str]
) -> Sequence[Response]:
    return session.scalars(
        select(Response)
        .where(
            Response.organization_id == organization_id,
            Response.attempt_id == attempt_id,
            Response.item_id.in_(item_ids),
        )
        .order_by(Response.section_index, Response.item_id)
    ).all()


def attempt_in_org(
    session: Session, *, organization_id: uuid.UUID, attempt_id: uuid.UUID
) -> Attempt | None:
    return session.scalar(
        select(Attempt).where(Attempt.organization_id == organization_id, Attempt.id == attempt_id)
    )


def assessment_of_attempt(session: Session, *, attempt_id: uuid.UUID) -> uuid.UUID | None:
    return session.scalar(
        select(Form.assessment_id)
        .join(Attempt, Attempt.form_id == Form.id)
        .where(Attempt.id == attempt_id)
    )


def candidate_name_of_attempt(session: Session, *, attempt_id: uuid.UUID) -> str | None:
    return session.scalar(
        select(Candidate.name)
        .join(Invitation, Invitation.candidate_id == Candidate.id)
        .join(Attempt, Attempt.invitation_id == Invitation.id)
        .where(Attempt.id == attempt_id)
    )


def reviews_of_assessment(
    session: Session, *, organization_id: uuid.UUID, assessment_id: uuid.UUID
) -> Sequence[tuple[ReviewAssignment, Review]]:
    rows = session.execute(
        select(ReviewAssignment, Review)
        .join(Review, Review.assignment_id == ReviewAssignment.id)
        .join(Attempt, Attempt.id == ReviewAssignment.attempt_id)
        .join(Form, Form.id == Attempt.form_id)
        .where(
            ReviewAssignment.organization_id == organization_id,
            Form.assessment_id == assessment_id,
        )
        .order_by(Review.submitted_at, Review.id)
    ).all()
    return [(row[0], row[1]) for row in rows]


def open_adjudications_of_assessment(
    session: Session, *, organization_id: uuid.UUID, assessment_id: uuid.UUID
) -> int:
    return int(
        session.scalar(
            select(func.count())
            .select_from(ReviewAssignment)
            .join(Attempt, Attempt.id == ReviewAssignment.attempt_id)
            .join(Form, Form.id == Attempt.form_id)
            .where(
                ReviewAssignment.organization_id == organization_id,
                Form.assessment_id == assessment_id,
                ReviewAssignment.adjudication.is_(True),
                ReviewAssignment.status == ReviewStatus.OPEN,
            )
        )
        or 0
    )


def items_awaiting_adjudication(
    session: Session, *, organization_id: uuid.UUID, attempt_id: uuid.UUID
) -> set[str]:
    """Item ids of the attempt whose answer went to an adjudicator who has not reviewed yet."""
    return set(
        session.scalars(
            select(ReviewAssignment.item_id).where(
                ReviewAssignment.organization_id == organization_id,
                ReviewAssignment.attempt_id == attempt_id,
                ReviewAssignment.adjudication.is_(True),
                ReviewAssignment.status == ReviewStatus.OPEN,
            )
        )
    )


def users_by_id(
    session: Session, *, organization_id: uuid.UUID, user_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, User]:
    users = session.scalars(
        select(User).where(User.organization_id == organization_id, User.id.in_(user_ids))
    ).all()
    return {user.id: user for user in users}
