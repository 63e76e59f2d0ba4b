"""ORM tables of the delivery domain: who is invited, their attempt, answers and signals."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from assay.db.base import Base, OrgOwnedMixin
from assay.kit.clock import utcnow


class Candidate(OrgOwnedMixin, Base):
    """A person invited to take one assessment. Name and email are personal data."""

    __tablename__ = "candidate"
    # One candidate per address and assessment, also when two registrations race (NULL, a
    # deleted candidate's email, never conflicts).
    __table_args__ = (UniqueConstraint("assessment_id", "email"),)

    assessment_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("assessment.id", ondelete="CASCADE"), index=True
    )
    # None once the candidate's data has been deleted at their request.
    name: Mapped[str | None] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(320), index=True)
    # Accommodation: section time limits are multiplied by this (1.25 = +25 %).
    time_factor: Mapped[float] = mapped_column(default=1.0)
    extra_minutes: Mapped[int] = mapped_column(Integer, default=0)
    deleted_at: Mapped[datetime | None] = mapped_column(default=None)


class Invitation(OrgOwnedMixin, Base):
    """A candidate's unique link. Only the token's digest is stored; it expires at the deadline."""

    __tablename__ = "candidate_invitation"

    candidate_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("candidate.id", ondelete="CASCADE"), unique=True
    )
    token_digest: Mapped[str] = mapped_column(String(64), unique=True)
    expires_at: Mapped[datetime]
    opened_at: Mapped[datetime | None] = mapped_column(default=None)
    reminded_at: Mapped[datetime | None] = mapped_column(default=None)
    revoked_at: Mapped[datetime | None] = mapped_column(default=None)


class Attempt(OrgOwnedMixin, Base):
    """One candidate's run through their form; every time limit here is the server's."""

    __tablename__ = "attempt"

    invitation_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("candidate_invitation.id", ondelete="CASCADE"), unique=True
    )
    # The candidate's own form (assay.assessments): items, versions and option orders.
    form_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("assessment_form.id", ondelete="RESTRICT"), index=True
    )
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    section_index: Mapped[int] = mapped_column(default=0)
    section_started_at: Mapped[datetime]
    section_deadline: Mapped[datetime]
    # [{"started_at", "deadline", "closed_at"}] per section reached, for the record and reports.
    section_log: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    finished_at: Mapped[datetime | None] = mapped_column(default=None)
    browser_id: Mapped[str] = mapped_column(String(64))
    # Every browser that used the link; a second one is flagged, never blocked.
    browsers: Mapped[list[str]] = mapped_column(JSON, default=list)
    second_browser: Mapped[bool] = mapped_column(default=False)
    ip: Mapped[str | None] = mapped_column(String(64), default=None)
    user_agent: Mapped[str | None] = mapped_column(String(400), default=None)
    # After a deletion request: what stays, without identity (documented in ADR 0013).
    aggregate: Mapped[dict[str, Any] | None] = mapped_column(JSON, default=None)


class Response(OrgOwnedMixin, Base):
    """The latest saved answer to one item of one attempt."""

    __tablename__ = "response"
    __table_args__ = (UniqueConstraint("attempt_id", "item_id"),)

    attempt_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("attempt.id", ondelete="CASCADE"), index=True
    )
    item_id: Mapped[str] = mapped_column(String(120))
    item_version: Mapped[int]
    section_index: Mapped[int]
    answer: Mapped[dict[str, Any]] = mapped_column(JSON)
    # The browser's per-item counter: a save older than the stored one is never applied.
    sequence: Mapped[int]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    # The final graded submission of a coding or SQL answer (assay.grading).
    submission_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("submission.id", ondelete="SET NULL"), default=None
    )


class SaveReceipt(OrgOwnedMixin, Base):
    """One save request, keyed by the browser's idempotency key: a replay changes nothing."""

    __tablename__ = "save_receipt"
    __table_args__ = (UniqueConstraint("attempt_id", "idempotency_key"),)

    attempt_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("attempt.id", ondelete="CASCADE"), index=True
    )
    idempotency_key: Mapped[str] = mapped_column(String(64))
    item_id: Mapped[str] = mapped_column(String(120))
    sequence: Mapped[int]
    applied: Mapped[bool]


class IntegrityEvent(OrgOwnedMixin, Base):
    """A signal (never a verdict): focus loss, paste, full-screen exit, IP or browser change."""

    __tablename__ = "integrity_event"

    attempt_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("attempt.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(32))
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    client_at: Mapped[datetime | None] = mapped_column(default=None)
    server_at: Mapped[datetime] = mapped_column(default=utcnow)
    ip: Mapped[str | None] = mapped_column(String(64), default=None)
    user_agent: Mapped[str | None] = mapped_column(String(400), default=None)


class PublicLink(OrgOwnedMixin, Base):
    """An assessment's optional self-registration link; its slug is public by design."""

    __tablename__ = "public_link"

    assessment_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("assessment.id", ondelete="CASCADE"), unique=True
    )
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    # Turned off links keep their slug, so turning the link on again restores the same address.
    enabled: Mapped[bool] = mapped_column(default=True)
