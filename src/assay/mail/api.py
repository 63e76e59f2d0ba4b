"""JSON endpoints of the mail domain: the organization's outbox."""

from __future__ import annotations

import uuid
from datetime import datetime

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict

from assay.accounts.permissions import Permission
from assay.mail import service
from assay.web.deps import ApiPrincipal, DbSession, Page
from assay.web.schemas import PageOut, page_of

router = APIRouter(tags=["mail"])


class MailOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    category: str
    to_address: str
    subject: str
    body: str
    status: str
    created_at: datetime
    sent_at: datetime | None


@router.get("/outbox", response_model=PageOut[MailOut])
def list_outbox(principal: ApiPrincipal, session: DbSession, page: Page) -> PageOut[MailOut]:
    """Every message Assay sent (or will send) for your organization, newest first."""
    principal.require(Permission.MANAGE_CANDIDATES)
    categories = ["candidate", "team"] if principal.can(Permission.MANAGE_TEAM) else ["candidate"]
    rows = service.list_outbox(
        session, organization_id=principal.organization_id, categories=categories, page=page
    )
    return page_of(rows, page, MailOut.model_validate)
