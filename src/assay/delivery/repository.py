"""Every query of the delivery domain; staff queries are always scoped to one organization."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import Session

from assay.assessments.models import Assessment, AssessmentStatus, Form
from assay.delivery.models import (
    Attempt,
    Candidate,
    IntegrityEvent,
    Invitation,
    PublicLink,
    Response,
    SaveReceipt,
)
from assay.grading.models import GradingResult
from assay.mail.models import MailMessage
from assay.results.models import ReviewAssignment, ReviewStatus


def get_form(session: Session, *, organization_id: uuid.UUID, form_id: uuid.UUID) -> Form | None:
    return session.scalar(
        select(Form).where(Form.organization_id == organization_id, Form.id == form_id)
    )


def get_candidate(
    session: Session, *, organization_id: uuid.UUID, candidate_id: uuid.UUID
) -> Candidate | None:
    return session.scalar(
        select(Candidate).where(
            Candidate.organization_id == organization_id, Candidate.id == candidate_id
        )
    )


def find_candidate_by_email(
    session: Session, *, organization_id: uuid.UUID, assessment_id: uuid.UUID, email: str
) -> Candidate | None:
    return session.scalar(
        select(Candidate).where(
            Candidate.organization_id == organization_id,
            Candidate.assessment_id == assessment_id,
            Candidate.email == email,
        )
    )


def list_candidates(
    session: Session, *, organization_id: uuid.UUID, assessment_id: uuid.UUID
) -> Sequence[tuple[Candidate, Invitation, Attempt | None]]:
    rows = session.execute(
        select(Candidate, Invitation, Attempt)
        .join(Invitation, Invitation.candidate_id == Candidate.id)
        .outerjoin(Attempt, Attempt.invitation_id == Invitation.id)
        .where(
            Candidate.organization_id == organization_id,
            Candidate.assessment_id == assessment_id,
        )
        .order_by(Candidate.created_at.desc(), Candidate.name, Candidate.id)
    ).all()
    return [(c, i, a) for c, i, a in rows]


def get_invitation_of(
    session: Session, *, organization_id: uuid.UUID, candidate_id: uuid.UUID
) -> Invitation | None:
    return session.scalar(
        select(Invitation).where(
            Invitation.organization_id == organization_id, Invitation.candidate_id == candidate_id
        )
    )


def get_invitation_by_digest(session: Session, token_digest: str) -> Invitation | None:
    # Unscoped on purpose: the candidate's link is the credential that tells us the org.
    return session.scalar(select(Invitation).where(Invitation.token_digest == token_digest))


def get_attempt_of(
    session: Session, *, organization_id: uuid.UUID, invitation_id: uuid.UUID
) -> Attempt | None:
    return session.scalar(
        select(Attempt).where(
            Attempt.organization_id == organization_id, Attempt.invitation_id == invitation_id
        )
    )


def get_response(
    session: Session, *, organization_id: uuid.UUID, attempt_id: uuid.UUID, item_id: str
) -> Response | None:
    return session.scalar(
        select(Response).where(
            Response.organization_id == organization_id,
            Response.attempt_id == attempt_id,
            Response.item_id == item_id,
        )
    )


def list_responses(
    session: Session, *, organization_id: uuid.UUID, attempt_id: uuid.UUID
) -> Sequence[Response]:
    return session.scalars(
        select(Response)
        .where(Response.organization_id == organization_id, Response.attempt_id == attempt_id)
        .order_by(Response.section_index, Response.item_id)
    ).all()


def get_receipt(
    session: Session, *, organization_id: uuid.UUID, attempt_id: uuid.UUID, key: str
) -> SaveReceipt | None:
    return session.scalar(
        select(SaveReceipt).where(
            SaveReceipt.organization_id == organization_id,
            SaveReceipt.attempt_id == attempt_id,
            SaveReceipt.idempotency_key == key,
        )
    )


def list_receipts(
    session: Session, *, organization_id: uuid.UUID, attempt_id: uuid.UUID
) -> Sequence[SaveReceipt]:
    return session.scalars(
        select(SaveReceipt).where(
            SaveReceipt.organization_id == organization_id, SaveReceipt.attempt_id == attempt_id
        )
    ).all()


def list_events(
    session: Session, *, organization_id: uuid.UUID, attempt_id: uuid.UUID
) -> Sequence[IntegrityEvent]:
    return session.scalars(
        select(IntegrityEvent)
        .where(
            IntegrityEvent.organization_id == organization_id,
            IntegrityEvent.attempt_id == attempt_id,
        )
        .order_by(IntegrityEvent.server_at, IntegrityEvent.id)
    ).all()


def results_of(
    session: Session, *, organization_id: uuid.UUID, submission_id: uuid.UUID
) -> Sequence[GradingResult]:
    return session.scalars(
        select(GradingResult).where(
            GradingResult.organization_id == organization_id,
            GradingResult.submission_id == submission_id,
        )
    ).all()


def candidate_mail(
    session: Session, *, organization_id: uuid.UUID, email: str
) -> Sequence[MailMessage]:
    return session.scalars(
        select(MailMessage).where(
            MailMessage.organization_id == organization_id,
            MailMessage.category == "candidate",
            MailMessage.to_address == email,
        )
    ).all()


def invitations_due_reminder(
    session: Session, *, now: datetime, before: datetime
) -> Sequence[uuid.UUID]:
    """Across organizations (a job): unstarted, unreminded links expiring before ``before``."""
    return session.scalars(
        select(Invitation.id)
        .outerjoin(Attempt, Attempt.invitation_id == Invitation.id)
        .where(
            Attempt.id.is_(None),
            Invitation.reminded_at.is_(None),
            Invitation.revoked_at.is_(None),
            Invitation.expires_at > now,
            Invitation.expires_at <= before,
        )
    ).all()


def get_invitation_for_job(session: Session, invitation_id: uuid.UUID) -> Invitation | None:
    """For jobs, which carry only ids; never reachable from a request."""
    return session.get(Invitation, invitation_id)


def get_attempt_for_job(session: Session, attempt_id: uuid.UUID) -> Attempt | None:
    """For jobs, which carry only ids; never reachable from a request."""
    return session.get(Attempt, attempt_id)


def overdue_attempt_ids(session: Session, *, now: datetime) -> Sequence[uuid.UUID]:
    """Across organizations (a job): attempts whose current section's time has run out."""
    return session.scalars(
        select(Attempt.id).where(Attempt.finished_at.is_(None), Attempt.section_deadline < now)
    ).all()


# --- the dashboard -------------------------------------------------------------------------


def assessments_of(session: Session, *, organization_id: uuid.UUID) -> Sequence[Assessment]:
    """The organization's assessments, open ones first, then drafts, then closed; newest first."""
    rank = case(
        (Assessment.status == AssessmentStatus.OPEN, 0),
        (Assessment.status == AssessmentStatus.DRAFT, 1),
        else_=2,
    )
    return session.scalars(
        select(Assessment)
        .where(Assessment.organization_id == organization_id)
        .order_by(rank, Assessment.created_at.desc(), Assessment.id)
    ).all()


def candidate_counts(
    session: Session, *, organization_id: uuid.UUID, now: datetime
) -> dict[uuid.UUID, tuple[int, int, int]]:
    """(invited, started, submitted) per assessment in one grouped query.

    The same rules as ``service.state_of``: deleted candidates count nowhere, and an invitation
    that expired or was withdrawn before it was started is no longer "invited".
    """
    live = Attempt.id.is_not(None)
    waiting = and_(
        Attempt.id.is_(None), Invitation.expires_at > now, Invitation.revoked_at.is_(None)
    )
    rows = session.execute(
        select(
            Candidate.assessment_id,
            func.sum(case((waiting, 1), else_=0)),
            func.sum(case((and_(live, Attempt.finished_at.is_(None)), 1), else_=0)),
            func.sum(case((Attempt.finished_at.is_not(None), 1), else_=0)),
        )
        .join(Invitation, Invitation.candidate_id == Candidate.id)
        .outerjoin(Attempt, Attempt.invitation_id == Invitation.id)
        .where(Candidate.organization_id == organization_id, Candidate.deleted_at.is_(None))
        .group_by(Candidate.assessment_id)
    ).all()
    return {row[0]: (int(row[1] or 0), int(row[2] or 0), int(row[3] or 0)) for row in rows}


def open_reviews_of(session: Session, *, organization_id: uuid.UUID, user_id: uuid.UUID) -> int:
    return int(
        session.scalar(
            select(func.count())
            .select_from(ReviewAssignment)
            .where(
                ReviewAssignment.organization_id == organization_id,
                ReviewAssignment.reviewer_id == user_id,
                ReviewAssignment.status == ReviewStatus.OPEN,
            )
        )
        or 0
    )


def recent_submissions(
    session: Session, *, organization_id: uuid.UUID, limit: int
) -> Sequence[tuple[Candidate, Assessment, Attempt]]:
    rows = session.execute(
        select(Candidate, Assessment, Attempt)
        .join(Invitation, Invitation.candidate_id == Candidate.id)
        .join(Attempt, Attempt.invitation_id == Invitation.id)
        .join(Assessment, Assessment.id == Candidate.assessment_id)
        .where(
            Candidate.organization_id == organization_id,
            Candidate.deleted_at.is_(None),
            Attempt.finished_at.is_not(None),
        )
        .order_by(Attempt.finished_at.desc(), Attempt.id)
        .limit(limit)
    ).all()
    return [(c, a, t) for c, a, t in rows]


# --- public self-registration links --------------------------------------------------------


def public_link_of(
    session: Session, *, organization_id: uuid.UUID, assessment_id: uuid.UUID
) -> PublicLink | None:
    return session.scalar(
        select(PublicLink).where(
            PublicLink.organization_id == organization_id,
            PublicLink.assessment_id == assessment_id,
        )
    )


def public_link_by_slug(session: Session, slug: str) -> PublicLink | None:
    # Unscoped on purpose: the public address is what tells us the organization.
    return session.scalar(select(PublicLink).where(PublicLink.slug == slug))
