"""Test support for delivery: an open assessment from the flagship template, and invitations."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.orm import Session

from assay.assessments import service as assessments
from assay.assessments.models import Assessment, AssessmentStatus
from assay.assessments.schemas import AssessmentCreate
from assay.delivery import service
from assay.delivery.models import Candidate
from tests.factories import OrgFixture


def make_assessment(db: Session, org: OrgFixture, **settings: Any) -> Assessment:
    planned = assessments.create(
        db,
        principal=org.principal,
        data=AssessmentCreate(title="Lead back-end engineer", template_id="lead-back-end-engineer"),
    )
    assessment = planned.assessment
    assessment.status = AssessmentStatus.OPEN
    for name, value in settings.items():
        setattr(assessment, name, value)
    db.flush()
    return assessment


def invite(
    db: Session, org: OrgFixture, assessment: Assessment, *, extra: int = 0
) -> tuple[Candidate, str]:
    candidate, _invitation, token = service.invite(
        db,
        principal=org.principal,
        assessment_id=assessment.id,
        name="Ada Lovelace",
        email=f"ada-{uuid.uuid4().hex[:8]}@example.com",
        extra_time_percent=extra,
    )
    db.flush()
    return candidate, token
