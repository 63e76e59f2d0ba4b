"""Every query of integrity; organization-owned rows are always read within one organization.

The anonymous table is the one exception by design: it has no owner, and it is read only for
its hashes, never joined back to anything an organization owns except the caller's own rows.
"""

from __future__ import annotations

import uuid
from collections.abc import Collection, Sequence

from sqlalchemy import delete, or_, select
from sqlalchemy.orm import Session

from assay.delivery.models import (
    Attempt,
    Candidate,
    Invitation,
    Response,
    SaveReceipt,
)
from assay.grading.models import Submission, SubmissionStatus
from assay.integrity.models import (
    AnonymousFingerprint,
    LeakedSolution,
    SimilarityPair,
    SimilarityRun,
    SubmissionFingerprint,
)


def get_submission_for_job(session: Session, submission_id: uuid.UUID) -> Submission | None:
    # Jobs carry only an id; the row says which organization it belongs to.
    return session.get(Submission, submission_id)


def get_fingerprint_of(session: Session, submission_id: uuid.UUID) -> SubmissionFingerprint | None:
    """For jobs, which carry only the submission id; the row itself names its organization."""
    return session.scalar(
        select(SubmissionFingerprint).where(SubmissionFingerprint.submission_id == submission_id)
    )


def fingerprints_of_task(
    session: Session, *, organization_id: uuid.UUID, task_id: str, language: str
) -> Sequence[SubmissionFingerprint]:
    return session.scalars(
        select(SubmissionFingerprint)
        .where(
            SubmissionFingerprint.organization_id == organization_id,
            SubmissionFingerprint.task_id == task_id,
            SubmissionFingerprint.language == language,
        )
        .order_by(SubmissionFingerprint.created_at, SubmissionFingerprint.id)
    ).all()


def leaked_of_task(
    session: Session, *, organization_id: uuid.UUID, task_id: str, language: str
) -> Sequence[LeakedSolution]:
    return session.scalars(
        select(LeakedSolution)
        .where(
            LeakedSolution.organization_id == organization_id,
            LeakedSolution.task_id == task_id,
            LeakedSolution.language == language,
        )
        .order_by(LeakedSolution.created_at, LeakedSolution.id)
    ).all()


def get_leaked(
    session: Session, *, organization_id: uuid.UUID, leaked_id: uuid.UUID
) -> LeakedSolution | None:
    return session.scalar(
        select(LeakedSolution).where(
            LeakedSolution.organization_id == organization_id, LeakedSolution.id == leaked_id
        )
    )


def anonymous_from_other_organizations(
    session: Session, *, organization_id: uuid.UUID, task_id: str, language: str
) -> Sequence[AnonymousFingerprint]:
    """Anonymous fingerprints of a task, minus the caller's own (compared by name already)."""
    own = select(SubmissionFingerprint.anonymous_id).where(
        SubmissionFingerprint.organization_id == organization_id,
        SubmissionFingerprint.anonymous_id.is_not(None),
    )
    return session.scalars(
        select(AnonymousFingerprint)
        .where(
            AnonymousFingerprint.task_id == task_id,
            AnonymousFingerprint.language == language,
            AnonymousFingerprint.id.not_in(own),
        )
        .order_by(AnonymousFingerprint.id)
    ).all()


def get_run(
    session: Session, *, organization_id: uuid.UUID, task_id: str, language: str, lock: bool
) -> SimilarityRun | None:
    query = select(SimilarityRun).where(
        SimilarityRun.organization_id == organization_id,
        SimilarityRun.task_id == task_id,
        SimilarityRun.language == language,
    )
    if lock:
        query = query.with_for_update()
    return session.scalar(query)


def delete_pairs(
    session: Session, *, organization_id: uuid.UUID, task_id: str, language: str
) -> None:
    session.execute(
        delete(SimilarityPair).where(
            SimilarityPair.organization_id == organization_id,
            SimilarityPair.task_id == task_id,
            SimilarityPair.language == language,
        )
    )


def pairs_touching(
    session: Session, *, organization_id: uuid.UUID, submission_ids: Collection[uuid.UUID]
) -> Sequence[SimilarityPair]:
    if not submission_ids:
        return []
    ids = list(submission_ids)
    return session.scalars(
        select(SimilarityPair)
        .where(
            SimilarityPair.organization_id == organization_id,
            or_(SimilarityPair.submission_a_id.in_(ids), SimilarityPair.submission_b_id.in_(ids)),
        )
        .order_by(SimilarityPair.score.desc(), SimilarityPair.id)
    ).all()


def get_pair(
    session: Session, *, organization_id: uuid.UUID, pair_id: uuid.UUID
) -> SimilarityPair | None:
    return session.scalar(
        select(SimilarityPair).where(
            SimilarityPair.organization_id == organization_id, SimilarityPair.id == pair_id
        )
    )


def graded_submissions(
    session: Session, *, organization_id: uuid.UUID, submission_ids: Collection[uuid.UUID]
) -> Sequence[Submission]:
    """The organization's graded submissions among these ids, oldest first."""
    if not submission_ids:
        return []
    return session.scalars(
        select(Submission)
        .where(
            Submission.organization_id == organization_id,
            Submission.id.in_(list(submission_ids)),
            Submission.status == SubmissionStatus.GRADED,
        )
        .order_by(Submission.created_at, Submission.id)
    ).all()


def graded_without_fingerprint(session: Session, *, limit: int) -> Sequence[uuid.UUID]:
    """Graded submissions the fingerprint job has not reached yet (for the sweep)."""
    fingerprinted = select(SubmissionFingerprint.submission_id)
    return session.scalars(
        select(Submission.id)
        .where(
            Submission.status == SubmissionStatus.GRADED,
            Submission.language.in_(("python", "node", "java")),
            Submission.id.not_in(fingerprinted),
        )
        .limit(limit)
    ).all()


# --- delivery rows, read for the integrity panel -------------------------------------------


def get_attempt(
    session: Session, *, organization_id: uuid.UUID, attempt_id: uuid.UUID
) -> Attempt | None:
    return session.scalar(
        select(Attempt).where(Attempt.organization_id == organization_id, Attempt.id == attempt_id)
    )


def assessment_of_attempt(
    session: Session, *, organization_id: uuid.UUID, attempt_id: uuid.UUID
) -> uuid.UUID | None:
    return session.scalar(
        select(Candidate.assessment_id)
        .join(Invitation, Invitation.candidate_id == Candidate.id)
        .join(Attempt, Attempt.invitation_id == Invitation.id)
        .where(Attempt.organization_id == organization_id, Attempt.id == attempt_id)
    )


def attempts_of_assessment(
    session: Session, *, organization_id: uuid.UUID, assessment_id: uuid.UUID
) -> Sequence[tuple[Attempt, Candidate]]:
    rows = session.execute(
        select(Attempt, Candidate)
        .join(Invitation, Attempt.invitation_id == Invitation.id)
        .join(Candidate, Invitation.candidate_id == Candidate.id)
        .where(
            Attempt.organization_id == organization_id,
            Candidate.assessment_id == assessment_id,
        )
        .order_by(Attempt.started_at, Attempt.id)
    ).all()
    return [(attempt, candidate) for attempt, candidate in rows]


def responses_of(
    session: Session, *, organization_id: uuid.UUID, attempt_ids: Collection[uuid.UUID]
) -> Sequence[Response]:
    if not attempt_ids:
        return []
    return session.scalars(
        select(Response).where(
            Response.organization_id == organization_id,
            Response.attempt_id.in_(list(attempt_ids)),
        )
    ).all()


def applied_receipts_of(
    session: Session, *, organization_id: uuid.UUID, attempt_id: uuid.UUID
) -> Sequence[SaveReceipt]:
    return session.scalars(
        select(SaveReceipt)
        .where(
            SaveReceipt.organization_id == organization_id,
            SaveReceipt.attempt_id == attempt_id,
            SaveReceipt.applied.is_(True),
        )
        .order_by(SaveReceipt.created_at, SaveReceipt.id)
    ).all()


def attempts_of_submissions(
    session: Session, *, organization_id: uuid.UUID, submission_ids: Collection[uuid.UUID]
) -> dict[uuid.UUID, tuple[uuid.UUID, str | None]]:
    """submission id -> (attempt id, candidate name) for submissions given as answers."""
    if not submission_ids:
        return {}
    rows = session.execute(
        select(Response.submission_id, Attempt.id, Candidate.name)
        .join(Attempt, Response.attempt_id == Attempt.id)
        .join(Invitation, Attempt.invitation_id == Invitation.id)
        .join(Candidate, Invitation.candidate_id == Candidate.id)
        .where(
            Response.organization_id == organization_id,
            Response.submission_id.in_(list(submission_ids)),
        )
    ).all()
    return {sub: (attempt, name) for sub, attempt, name in rows if sub is not None}
