"""Test support for human review: finished attempts with written answers, and their reviewers."""

from __future__ import annotations

from sqlalchemy.orm import Session

from assay.assessments.models import Assessment, Form
from assay.content.schemas import FreeTextTask
from assay.delivery import service as delivery
from assay.delivery.content import library_item
from assay.delivery.models import Attempt, Response
from assay.delivery.service import delivered_items
from assay.kit.clock import utcnow
from tests.delivery_support import invite
from tests.factories import OrgFixture


def written_attempt(
    db: Session, org: OrgFixture, assessment: Assessment, *, name: str = "Grace Hopper"
) -> tuple[Attempt, list[Response]]:
    """A finished attempt with a written answer to every free-text item of its form."""
    candidate, token = invite(db, org, assessment)
    candidate.name = name
    access = delivery.start(db, token=token, browser_id="b" * 16, ip="127.0.0.1", user_agent="t")
    attempt = access.attempt
    assert attempt is not None
    form = db.get(Form, attempt.form_id)
    assert form is not None
    responses = []
    for index, section in enumerate(form.sections):
        for item in delivered_items(section):
            content = library_item(item["item_id"])[0]
            if not isinstance(content, FreeTextTask):
                continue
            response = Response(
                organization_id=org.organization.id,
                attempt_id=attempt.id,
                item_id=content.id,
                item_version=content.version,
                section_index=index,
                answer={"text": f"My design for {content.title}: shard by tenant, cache reads."},
                sequence=1,
            )
            db.add(response)
            responses.append(response)
    attempt.finished_at = utcnow()
    db.flush()
    assert responses, "the flagship form has no written item"
    return attempt, responses
