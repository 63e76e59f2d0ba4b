"""ORM tables of the results domain: item scores, attempt scores, decisions and human reviews."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Enum, Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from assay.db.base import Base, OrgOwnedMixin
from assay.kit.clock import utcnow


def _str_enum(enum: type[StrEnum], name: str) -> Enum:
    return Enum(
        enum,
        name=name,
        native_enum=False,
        length=16,
        values_callable=lambda e: [m.value for m in e],
    )


class ScoreSource(StrEnum):
    AUTO = "auto"  # keyed, graded by hidden tests, or matched against planted defects
    REVIEW = "review"  # rubric levels given by human reviewers


class ScoreStatus(StrEnum):
    SCORED = "scored"
    PENDING = "pending"  # waiting for grading or for reviews; not counted yet


class DecisionKind(StrEnum):
    ADVANCE = "advance"
    HOLD = "hold"
    REJECT = "reject"


class ReviewStatus(StrEnum):
    OPEN = "open"
    DONE = "done"


class ItemScore(OrgOwnedMixin, Base):
    """The score of one answer (0..1 of the item's maximum) and the evidence behind it."""

    __tablename__ = "item_score"
    __table_args__ = (UniqueConstraint("attempt_id", "item_id"),)

    attempt_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("attempt.id", ondelete="CASCADE"), index=True
    )
    item_id: Mapped[str] = mapped_column(String(120), index=True)
    item_version: Mapped[int]
    kind: Mapped[str] = mapped_column(String(16))
    # The share of the item's credit earned, 0..1; max_points is the item's weight in sums.
    score: Mapped[float] = mapped_column(Float)
    max_points: Mapped[float] = mapped_column(Float, default=1.0)
    # Ordinal category for IRT (0..categories-1): 0/1 for right/wrong items.
    category: Mapped[int] = mapped_column(Integer, default=0)
    categories: Mapped[int] = mapped_column(Integer, default=2)
    evidence: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    source: Mapped[ScoreSource] = mapped_column(
        _str_enum(ScoreSource, "score_source"), default=ScoreSource.AUTO
    )
    status: Mapped[ScoreStatus] = mapped_column(
        _str_enum(ScoreStatus, "score_status"), default=ScoreStatus.SCORED
    )
    seconds: Mapped[float | None] = mapped_column(Float, default=None)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class AttemptScore(OrgOwnedMixin, Base):
    """An attempt's overall and per-skill scores with standard errors, as last computed."""

    __tablename__ = "attempt_score"

    attempt_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("attempt.id", ondelete="CASCADE"), unique=True
    )
    assessment_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("assessment.id", ondelete="CASCADE"), index=True
    )
    # Overall score on a 0..100 scale and its standard error on the same scale.
    overall: Mapped[float] = mapped_column(Float)
    overall_se: Mapped[float] = mapped_column(Float)
    # IRT ability (EAP) and posterior SD when the items were calibrated; None otherwise.
    theta: Mapped[float | None] = mapped_column(Float, default=None)
    theta_sd: Mapped[float | None] = mapped_column(Float, default=None)
    method: Mapped[str] = mapped_column(String(16))  # classical | irt
    # {skill: {"score": 0..100, "se": ..., "items": n, "weight": w}}
    skills: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    pending_items: Mapped[int] = mapped_column(Integer, default=0)
    computed_at: Mapped[datetime] = mapped_column(default=utcnow)


class ItemCalibration(OrgOwnedMixin, Base):
    """IRT parameters of one item version, estimated by MML from the organization's answers."""

    __tablename__ = "item_calibration"
    __table_args__ = (UniqueConstraint("organization_id", "item_id", "item_version"),)

    item_id: Mapped[str] = mapped_column(String(120))
    item_version: Mapped[int]
    model: Mapped[str] = mapped_column(String(8))  # 2pl | grm
    # {"a": ..., "b": ...} or {"a": ..., "thresholds": [...]}
    params: Mapped[dict[str, Any]] = mapped_column(JSON)
    responses: Mapped[int] = mapped_column(Integer)
    calibrated_at: Mapped[datetime] = mapped_column(default=utcnow)


class Decision(OrgOwnedMixin, Base):
    """A hiring decision on a candidate; the newest row is the current one, older rows history."""

    __tablename__ = "candidate_decision"

    candidate_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("candidate.id", ondelete="CASCADE"), index=True
    )
    attempt_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("attempt.id", ondelete="CASCADE"), index=True, default=None
    )
    decision: Mapped[DecisionKind] = mapped_column(_str_enum(DecisionKind, "decision_kind"))
    note: Mapped[str] = mapped_column(Text, default="")
    decided_by: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), default=None
    )
    decided_at: Mapped[datetime] = mapped_column(default=utcnow)


class ReviewAssignment(OrgOwnedMixin, Base):
    """One reviewer asked to grade one free-text or design answer, blind to the others."""

    __tablename__ = "review_assignment"
    __table_args__ = (UniqueConstraint("response_id", "reviewer_id"),)

    response_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("response.id", ondelete="CASCADE"), index=True
    )
    attempt_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("attempt.id", ondelete="CASCADE"), index=True
    )
    item_id: Mapped[str] = mapped_column(String(120))
    reviewer_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    # True for the third reviewer called in when the first ones disagree beyond the threshold.
    adjudication: Mapped[bool] = mapped_column(default=False)
    status: Mapped[ReviewStatus] = mapped_column(
        _str_enum(ReviewStatus, "review_status"), default=ReviewStatus.OPEN
    )


class Review(OrgOwnedMixin, Base):
    """A reviewer's rubric levels and comments for one assignment."""

    __tablename__ = "answer_review"

    assignment_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("review_assignment.id", ondelete="CASCADE"), unique=True
    )
    # {criterion id: level score}, {criterion id: comment}
    levels: Mapped[dict[str, int]] = mapped_column(JSON)
    comments: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    score: Mapped[float] = mapped_column(Float)
    submitted_at: Mapped[datetime] = mapped_column(default=utcnow)
