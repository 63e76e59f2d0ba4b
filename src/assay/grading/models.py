"""ORM tables of the grading domain: what was submitted, and what grading found."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Enum, Float, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from assay.db.base import Base, OrgOwnedMixin


class SubmissionStatus(StrEnum):
    PENDING = "pending"  # waiting for a worker (or for the sweep to re-enqueue it)
    GRADING = "grading"  # claimed by a worker until lease_expires_at
    GRADED = "graded"  # a result exists for the current suite digest
    FAILED = (
        "failed"  # infrastructure kept failing; an operator must look (never the candidate's fault)
    )


class Submission(OrgOwnedMixin, Base):
    """A solution to grade against a task's hidden tests. Its files never change once written."""

    __tablename__ = "submission"

    task_id: Mapped[str] = mapped_column(String(120), index=True)
    task_version: Mapped[int]
    language: Mapped[str] = mapped_column(String(16))
    files: Mapped[dict[str, Any]] = mapped_column(JSON)
    status: Mapped[SubmissionStatus] = mapped_column(
        Enum(
            SubmissionStatus,
            name="submission_status",
            native_enum=False,
            length=16,
            values_callable=lambda e: [m.value for m in e],
        ),
        index=True,
    )
    suite_digest: Mapped[str] = mapped_column(String(64))
    attempts: Mapped[int] = mapped_column(default=0)
    lease_expires_at: Mapped[datetime | None] = mapped_column(default=None)
    last_error: Mapped[str | None] = mapped_column(Text, default=None)


class GradingResult(OrgOwnedMixin, Base):
    """One grading of one submission against one version of the hidden tests."""

    __tablename__ = "grading_result"
    __table_args__ = (UniqueConstraint("submission_id", "suite_digest"),)

    submission_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("submission.id", ondelete="CASCADE"), index=True
    )
    suite_digest: Mapped[str] = mapped_column(String(64))
    score: Mapped[float] = mapped_column(Float)
    verdict: Mapped[str] = mapped_column(String(24))
    tests: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
