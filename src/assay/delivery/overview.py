"""The dashboard's overview: assessments with candidate counts, the reviewer's queue, activity."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from assay.accounts.permissions import Permission
from assay.accounts.service import Principal
from assay.assessments.models import Assessment
from assay.delivery import repository
from assay.kit.clock import utcnow

RECENT_SUBMISSIONS = 8


@dataclass(frozen=True)
class AssessmentSummary:
    assessment: Assessment
    invited: int
    started: int
    submitted: int


@dataclass(frozen=True)
class RecentSubmission:
    candidate_name: str
    assessment: Assessment
    finished_at: datetime


@dataclass(frozen=True)
class Overview:
    """What the signed-in member sees first; each part is empty when their role may not see it."""

    assessments: list[AssessmentSummary]
    reviews_waiting: int
    recent: list[RecentSubmission]
    can_view_assessments: bool
    can_review: bool


def overview(session: Session, *, principal: Principal) -> Overview:
    """Four grouped queries, all scoped to the principal's organization."""
    org = principal.organization_id
    can_view = principal.can(Permission.VIEW_ASSESSMENTS)
    can_review = principal.can(Permission.REVIEW) and principal.user_id is not None
    summaries: list[AssessmentSummary] = []
    recent: list[RecentSubmission] = []
    if can_view:
        counts = repository.candidate_counts(session, organization_id=org, now=utcnow())
        summaries = [
            AssessmentSummary(assessment, *counts.get(assessment.id, (0, 0, 0)))
            for assessment in repository.assessments_of(session, organization_id=org)
        ]
        recent = [
            RecentSubmission(candidate.name or "(deleted)", assessment, attempt.finished_at)
            for candidate, assessment, attempt in repository.recent_submissions(
                session, organization_id=org, limit=RECENT_SUBMISSIONS
            )
            if attempt.finished_at is not None
        ]
    waiting = (
        repository.open_reviews_of(session, organization_id=org, user_id=principal.user_id)
        if can_review and principal.user_id is not None
        else 0
    )
    return Overview(summaries, waiting, recent, can_view, can_review)
