"""Every query of the results domain; each one is scoped to an organization."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from assay.delivery.models import Attempt, Candidate, Invitation
from assay.grading.models import GradingResult
from assay.results.models import (
    AttemptScore,
    Decision,
    ItemCalibration,
    ItemScore,
    Review,
    ReviewAssignment,
)


def item_scores(
    session: Session, *, organization_id: uuid.UUID, attempt_id: uuid.UUID
) -> Sequence[ItemScore]:
    return session.scalars(
        select(ItemScore)
        .where(ItemScore.organization_id == organization_id, ItemScore.attempt_id == attempt_id)
        .order_by(ItemScore.created_at, ItemScore.item_id)
    ).all()


def item_scores_of_assessment(
    session: Session, *, organization_id: uuid.UUID, assessment_id: uuid.UUID
) -> Sequence[ItemScore]:
    return session.scalars(
        select(ItemScore)
        .join(AttemptScore, AttemptScore.attempt_id == ItemScore.attempt_id)
        .where(
            ItemScore.organization_id == organization_id,
            AttemptScore.assessment_id == assessment_id,
        )
    ).all()


def attempt_score(
    session: Session, *, organization_id: uuid.UUID, attempt_id: uuid.UUID
) -> AttemptScore | None:
    return session.scalar(
        select(AttemptScore).where(
            AttemptScore.organization_id == organization_id,
            AttemptScore.attempt_id == attempt_id,
        )
    )


def attempt_scores_of(
    session: Session, *, organization_id: uuid.UUID, assessment_ids: Sequence[uuid.UUID]
) -> Sequence[AttemptScore]:
    return session.scalars(
        select(AttemptScore).where(
            AttemptScore.organization_id == organization_id,
            AttemptScore.assessment_id.in_(assessment_ids),
        )
    ).all()


def assessments_sharing_items(
    session: Session, *, organization_id: uuid.UUID, item_ids: Sequence[str]
) -> Sequence[uuid.UUID]:
    """Assessments of the organization on which at least one of ``item_ids`` was scored."""
    return session.scalars(
        select(AttemptScore.assessment_id)
        .join(ItemScore, ItemScore.attempt_id == AttemptScore.attempt_id)
        .where(AttemptScore.organization_id == organization_id, ItemScore.item_id.in_(item_ids))
        .distinct()
    ).all()


def candidate_of_attempt(
    session: Session, *, organization_id: uuid.UUID, attempt_id: uuid.UUID
) -> tuple[Candidate, Invitation, Attempt] | None:
    row = session.execute(
        select(Candidate, Invitation, Attempt)
        .join(Invitation, Invitation.candidate_id == Candidate.id)
        .join(Attempt, Attempt.invitation_id == Invitation.id)
        .where(Attempt.organization_id == organization_id, Attempt.id == attempt_id)
    ).first()
    return (row[0], row[1], row[2]) if row else None


def attempt_for_job(session: Session, attempt_id: uuid.UUID) -> Attempt | None:
    return session.get(Attempt, attempt_id)


def latest_result(session: Session, *, submission_id: uuid.UUID) -> GradingResult | None:
    return session.scalar(
        select(GradingResult)
        .where(GradingResult.submission_id == submission_id)
        .order_by(GradingResult.created_at.desc(), GradingResult.id)
        .limit(1)
    )


def attempt_of_submission(session: Session, *, submission_id: uuid.UUID) -> uuid.UUID | None:
    from assay.delivery.models import Response  # noqa: PLC0415 - only this query needs it

    return session.scalar(
        select(Response.attempt_id).where(Response.submission_id == submission_id)
    )


def reviews_of(
    session: Session, *, organization_id: uuid.UUID, attempt_id: uuid.UUID
) -> Sequence[tuple[ReviewAssignment, Review]]:
    rows = session.execute(
        select(ReviewAssignment, Review)
        .join(Review, Review.assignment_id == ReviewAssignment.id)
        .where(
            ReviewAssignment.organization_id == organization_id,
            ReviewAssignment.attempt_id == attempt_id,
        )
        .order_by(Review.submitted_at)
    ).all()
    return [(row[0], row[1]) for row in rows]


def calibrations(
    session: Session, *, organization_id: uuid.UUID, item_ids: Sequence[str]
) -> Sequence[ItemCalibration]:
    return session.scalars(
        select(ItemCalibration).where(
            ItemCalibration.organization_id == organization_id,
            ItemCalibration.item_id.in_(item_ids),
        )
    ).all()


def all_item_scores(session: Session, *, organization_id: uuid.UUID) -> Sequence[ItemScore]:
    return session.scalars(
        select(ItemScore).where(ItemScore.organization_id == organization_id)
    ).all()


def decisions_of(
    session: Session, *, organization_id: uuid.UUID, candidate_ids: Sequence[uuid.UUID]
) -> Sequence[Decision]:
    """Decisions on the candidates, oldest first (the last one per candidate is current)."""
    return session.scalars(
        select(Decision)
        .where(
            Decision.organization_id == organization_id, Decision.candidate_id.in_(candidate_ids)
        )
        .order_by(Decision.decided_at, Decision.created_at)
    ).all()


def stale_attempt_ids(session: Session) -> Sequence[uuid.UUID]:
    """Attempts whose stored scores are missing or older than a grading result or a review."""
    from sqlalchemy import or_  # noqa: PLC0415

    from assay.delivery.models import Response  # noqa: PLC0415

    newer_result = (
        select(Response.attempt_id)
        .join(GradingResult, GradingResult.submission_id == Response.submission_id)
        .join(AttemptScore, AttemptScore.attempt_id == Response.attempt_id)
        .where(GradingResult.created_at > AttemptScore.computed_at)
    )
    newer_review = (
        select(ReviewAssignment.attempt_id)
        .join(Review, Review.assignment_id == ReviewAssignment.id)
        .join(AttemptScore, AttemptScore.attempt_id == ReviewAssignment.attempt_id)
        .where(Review.submitted_at > AttemptScore.computed_at)
    )
    unscored = (
        select(Attempt.id)
        .outerjoin(AttemptScore, AttemptScore.attempt_id == Attempt.id)
        .where(Attempt.finished_at.is_not(None), AttemptScore.id.is_(None))
    )
    return session.scalars(
        select(Attempt.id).where(
            or_(
                Attempt.id.in_(newer_result),
                Attempt.id.in_(newer_review),
                Attempt.id.in_(unscored),
            )
        )
    ).all()
