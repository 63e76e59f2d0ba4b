"""JSON endpoints of human review: the reviewer's queue, one assignment, reviews, agreement."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, status

from assay.results import review
from assay.results.models import Review
from assay.results.review_schemas import (
    AgreementOut,
    AssignedOut,
    CriterionOut,
    EarlierReviewOut,
    ItemAgreementOut,
    LevelOut,
    QueueEntryOut,
    QueueOut,
    ReviewCreate,
    ReviewerAgreementOut,
    ReviewOut,
    ReviewSubmittedOut,
    ReviewTaskOut,
    finite,
)
from assay.web.deps import ApiPrincipal, DbSession

router = APIRouter(tags=["review"])


def review_out(row: Review) -> ReviewOut:
    return ReviewOut(
        levels=dict(row.levels),
        comments=dict(row.comments),
        share=round(row.score, 4),
        submitted_at=row.submitted_at,
    )


def task_out(task: review.ReviewTask) -> ReviewTaskOut:
    return ReviewTaskOut(
        assignment_id=task.assignment.id,
        item_id=task.task.id,
        title=task.task.title,
        prompt=task.task.prompt,
        answer=task.answer,
        words=task.words,
        candidate=task.candidate_label,
        adjudication=task.assignment.adjudication,
        status=task.assignment.status.value,
        rubric=[
            CriterionOut(
                id=c.id,
                title=c.title,
                weight=c.weight,
                levels=[
                    LevelOut(score=lv.score, label=lv.label, descriptor=lv.descriptor)
                    for lv in c.levels
                ],
            )
            for c in task.task.rubric
        ],
        own_review=review_out(task.own_review) if task.own_review else None,
        earlier_reviews=[
            EarlierReviewOut(label=e.label, levels=e.levels, comments=e.comments, share=e.share)
            for e in task.earlier_reviews
        ],
    )


@router.get("/reviews/queue", response_model=QueueOut)
def get_queue(session: DbSession, principal: ApiPrincipal) -> QueueOut:
    """The signed-in reviewer's open assignments (an API key has no queue of its own)."""
    entries = review.queue(session, principal=principal)
    return QueueOut(
        items=[
            QueueEntryOut(
                assignment_id=e.assignment.id,
                item_id=e.assignment.item_id,
                title=e.title,
                candidate=e.candidate_label,
                adjudication=e.assignment.adjudication,
                assigned_at=e.assignment.created_at,
            )
            for e in entries
        ]
    )


@router.post(
    "/attempts/{attempt_id}/review-assignments",
    response_model=AssignedOut,
    status_code=status.HTTP_201_CREATED,
)
def assign_attempt(
    attempt_id: uuid.UUID,
    session: DbSession,
    principal: ApiPrincipal,
    reviewers: Annotated[int | None, Query(ge=1, le=10)] = None,
) -> AssignedOut:
    """Send the attempt's written answers to reviewers now (the sweep does it each minute)."""
    created = review.assign_attempt(
        session, principal=principal, attempt_id=attempt_id, count=reviewers
    )
    return AssignedOut(created=len(created))


@router.get("/review-assignments/{assignment_id}", response_model=ReviewTaskOut)
def get_assignment(
    assignment_id: uuid.UUID, session: DbSession, principal: ApiPrincipal
) -> ReviewTaskOut:
    """The prompt, the answer and the rubric; never other reviews or scores, and the name
    only when the assessment shows names to reviewers."""
    return task_out(review.review_task(session, principal=principal, assignment_id=assignment_id))


@router.post(
    "/review-assignments/{assignment_id}/review",
    response_model=ReviewSubmittedOut,
    status_code=status.HTTP_201_CREATED,
)
def submit_review(
    assignment_id: uuid.UUID, body: ReviewCreate, session: DbSession, principal: ApiPrincipal
) -> ReviewSubmittedOut:
    """A level for every criterion, optional comments; once per assignment."""
    outcome = review.submit(
        session,
        principal=principal,
        assignment_id=assignment_id,
        levels=body.levels,
        comments=body.comments,
    )
    return ReviewSubmittedOut(
        review=review_out(outcome.review),
        answer_complete=outcome.answer_complete,
        final=outcome.final,
        adjudication_requested=outcome.adjudication is not None,
        disagreement=outcome.disagreement,
    )


def agreement_out(report: review.AgreementReport) -> AgreementOut:
    return AgreementOut(
        assessment_id=report.assessment_id,
        alpha=finite(report.alpha),
        alpha_meaning=report.alpha_words,
        summary=report.summary,
        reviews=report.reviews,
        adjudicated=report.adjudicated,
        open_adjudications=report.open_adjudications,
        items=[
            ItemAgreementOut(
                item_id=i.item_id,
                title=i.title,
                answers=i.answers,
                pairs=i.pairs,
                kappa=finite(i.kappa),
                meaning=i.words,
            )
            for i in report.items
        ],
        reviewers=[
            ReviewerAgreementOut(
                reviewer_id=r.reviewer_id,
                name=r.name,
                reviews=r.reviews,
                pairs=r.pairs,
                kappa=finite(r.kappa),
                meaning=r.words,
            )
            for r in report.reviewers
        ],
    )


@router.get("/assessments/{assessment_id}/review-agreement", response_model=AgreementOut)
def get_agreement(
    assessment_id: uuid.UUID, session: DbSession, principal: ApiPrincipal
) -> AgreementOut:
    """How consistently reviewers apply the rubrics: kappa per item and reviewer, alpha overall."""
    return agreement_out(
        review.agreement_report(session, principal=principal, assessment_id=assessment_id)
    )
