"""Every query of the grading domain's persistence."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from assay.grading.models import GradingResult, Submission, SubmissionStatus


def get_submission(
    session: Session, *, organization_id: uuid.UUID, submission_id: uuid.UUID
) -> Submission | None:
    return session.scalar(
        select(Submission).where(
            Submission.organization_id == organization_id, Submission.id == submission_id
        )
    )


def get_submission_for_job(session: Session, submission_id: uuid.UUID) -> Submission | None:
    """Jobs carry only the submission id; the row itself names its organization."""
    return session.get(Submission, submission_id)


def get_result(
    session: Session, *, submission_id: uuid.UUID, suite_digest: str
) -> GradingResult | None:
    return session.scalar(
        select(GradingResult).where(
            GradingResult.submission_id == submission_id, GradingResult.suite_digest == suite_digest
        )
    )


def latest_result(
    session: Session, *, organization_id: uuid.UUID, submission_id: uuid.UUID
) -> GradingResult | None:
    return session.scalar(
        select(GradingResult)
        .where(
            GradingResult.organization_id == organization_id,
            GradingResult.submission_id == submission_id,
        )
        .order_by(GradingResult.created_at.desc())
        .limit(1)
    )


def stale_submission_ids(session: Session, *, now: datetime) -> Sequence[uuid.UUID]:
    """Pending work, and claimed work whose worker's lease ran out (the worker died)."""
    return session.scalars(
        select(Submission.id).where(
            or_(
                Submission.status == SubmissionStatus.PENDING,
                (Submission.status == SubmissionStatus.GRADING)
                & (Submission.lease_expires_at < now),
            )
        )
    ).all()


def submissions_of_task(session: Session, *, task_id: str) -> Sequence[Submission]:
    """Across organizations on purpose: re-grading after a task's tests change is an operator's
    command (`assay grading regrade`), and every organization's submissions need the new tests."""
    return session.scalars(select(Submission).where(Submission.task_id == task_id)).all()
