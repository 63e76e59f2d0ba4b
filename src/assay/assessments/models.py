"""ORM tables of the assessments domain: assessments, their blueprint sections, forms, exposure."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    JSON,
    Enum,
    Float,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    true,
)
from sqlalchemy.orm import Mapped, mapped_column

from assay.db.base import Base, OrgOwnedMixin
from assay.kit.clock import utcnow

# Independent reviews each written answer gets (issue 7): at least two, so that no single
# reviewer decides a score, and at most five, beyond which agreement barely improves.
MIN_REVIEWERS_PER_ANSWER = 2
MAX_REVIEWERS_PER_ANSWER = 5
DEFAULT_REVIEWERS_PER_ANSWER = 2


class AssessmentStatus(StrEnum):
    DRAFT = "draft"  # being built; only previews
    OPEN = "open"  # candidates may be invited and take it
    CLOSED = "closed"  # no new attempts


class Assessment(OrgOwnedMixin, Base):
    """An assessment for one role: what it measures (profile), how (blueprint), and settings."""

    __tablename__ = "assessment"

    title: Mapped[str] = mapped_column(String(200))
    role_title: Mapped[str | None] = mapped_column(String(200), default=None)
    status: Mapped[AssessmentStatus] = mapped_column(
        Enum(
            AssessmentStatus,
            name="assessment_status",
            native_enum=False,
            length=16,
            values_callable=lambda e: [m.value for m in e],
        ),
        default=AssessmentStatus.DRAFT,
    )
    template_id: Mapped[str | None] = mapped_column(String(80), default=None)
    job_description: Mapped[str | None] = mapped_column(Text, default=None)
    seniority: Mapped[str] = mapped_column(String(16), default="mid")
    # skill id -> weight in 0..1, as analysed and then edited by the recruiter
    profile: Mapped[dict[str, float]] = mapped_column(JSON, default=dict)
    total_minutes: Mapped[int] = mapped_column(Integer, default=0)
    languages: Mapped[list[str]] = mapped_column(JSON, default=list)
    deadline: Mapped[datetime | None] = mapped_column(default=None)
    intro: Mapped[str] = mapped_column(Text, default="")
    brand_colour: Mapped[str | None] = mapped_column(String(7), default=None)
    logo: Mapped[bytes | None] = mapped_column(LargeBinary, default=None)
    logo_type: Mapped[str | None] = mapped_column(String(32), default=None)
    # {"focus_loss": bool, "paste": bool, "fullscreen": bool}
    integrity: Mapped[dict[str, bool]] = mapped_column(JSON, default=dict)
    # extra-time options in percent offered per candidate, and whether a custom value is allowed
    accommodations: Mapped[list[int]] = mapped_column(JSON, default=list)
    custom_accommodation: Mapped[bool] = mapped_column(default=True)
    exposure_cap: Mapped[float] = mapped_column(Float, default=0.5)
    # Human review: how many reviewers score each written answer, and whether they see a
    # stable handle instead of the candidate's name (the server defaults fill existing rows).
    reviewers_per_answer: Mapped[int] = mapped_column(
        Integer,
        default=DEFAULT_REVIEWERS_PER_ANSWER,
        server_default=str(DEFAULT_REVIEWERS_PER_ANSWER),
    )
    blind_reviewer_names: Mapped[bool] = mapped_column(default=True, server_default=true())
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class BlueprintSection(OrgOwnedMixin, Base):
    """One timed section of an assessment's blueprint and its item specifications."""

    __tablename__ = "blueprint_section"
    __table_args__ = (UniqueConstraint("assessment_id", "position"),)

    assessment_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("assessment.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int]
    kind: Mapped[str] = mapped_column(String(16))
    minutes: Mapped[int]
    # [{"skill": "sql", "difficulties": ["hard"], "count": 2}, ...]
    specs: Mapped[list[dict[str, Any]]] = mapped_column(JSON)


class Form(OrgOwnedMixin, Base):
    """The concrete items (ids and versions) and option orders drawn for one candidate."""

    __tablename__ = "assessment_form"

    assessment_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("assessment.id", ondelete="CASCADE"), index=True
    )
    seed: Mapped[int] = mapped_column(Integer)
    # [{"kind", "minutes", "items": [{"item_id", "version", "kind", "skill", "difficulty",
    #   "slot", "language", "option_order"}]}]
    sections: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    over_cap: Mapped[list[str]] = mapped_column(JSON, default=list)


class ItemExposure(OrgOwnedMixin, Base):
    """How often one library item was on the organization's forms, out of the forms whose
    pools held it; assembly keeps ``shown / eligible`` under the assessment's cap."""

    __tablename__ = "item_exposure"
    __table_args__ = (UniqueConstraint("organization_id", "item_id"),)

    item_id: Mapped[str] = mapped_column(String(80))
    shown: Mapped[int] = mapped_column(Integer, default=0)
    eligible: Mapped[int] = mapped_column(Integer, default=0)
