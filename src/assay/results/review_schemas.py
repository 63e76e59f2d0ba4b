"""Pydantic I/O of the review API: queue entries, a review task, reviews and agreement."""

from __future__ import annotations

import math
import uuid
from datetime import datetime

from pydantic import BaseModel, Field


def finite(value: float) -> float | None:
    """NaN (undefined) goes out as null: JSON has no NaN."""
    return None if math.isnan(value) else round(value, 4)


class QueueEntryOut(BaseModel):
    assignment_id: uuid.UUID
    item_id: str
    title: str
    candidate: str  # a blind handle, never the name
    adjudication: bool
    assigned_at: datetime


class QueueOut(BaseModel):
    items: list[QueueEntryOut]


class AssignedOut(BaseModel):
    created: int  # assignments made now; answers that had their reviewers are left alone


class LevelOut(BaseModel):
    score: int
    label: str
    descriptor: str


class CriterionOut(BaseModel):
    id: str
    title: str
    weight: float
    levels: list[LevelOut]


class ReviewOut(BaseModel):
    levels: dict[str, int]
    comments: dict[str, str]
    share: float  # weighted share of the rubric's top levels, 0..1
    submitted_at: datetime


class EarlierReviewOut(BaseModel):
    label: str
    levels: dict[str, int]
    comments: dict[str, str]
    share: float


class ReviewTaskOut(BaseModel):
    assignment_id: uuid.UUID
    item_id: str
    title: str
    prompt: str  # Markdown
    answer: str
    words: int
    candidate: str
    adjudication: bool
    status: str
    rubric: list[CriterionOut]
    own_review: ReviewOut | None
    # Only for an adjudication: the regular reviews that disagreed, without reviewer names.
    earlier_reviews: list[EarlierReviewOut]


class ReviewCreate(BaseModel):
    levels: dict[str, int] = Field(description="criterion id → chosen level score")
    comments: dict[str, str] = Field(default_factory=dict, description="criterion id → comment")


class ReviewSubmittedOut(BaseModel):
    review: ReviewOut
    answer_complete: bool
    final: bool
    adjudication_requested: bool
    disagreement: str | None


class ItemAgreementOut(BaseModel):
    item_id: str
    title: str
    answers: int
    pairs: int
    kappa: float | None
    meaning: str


class ReviewerAgreementOut(BaseModel):
    reviewer_id: uuid.UUID
    name: str
    reviews: int
    pairs: int
    kappa: float | None
    meaning: str


class AgreementOut(BaseModel):
    assessment_id: uuid.UUID
    alpha: float | None
    alpha_meaning: str
    summary: str
    reviews: int
    adjudicated: int
    open_adjudications: int
    items: list[ItemAgreementOut]
    reviewers: list[ReviewerAgreementOut]
