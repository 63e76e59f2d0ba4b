"""Queue mail in the same transaction as the change that caused it; deliver after commit."""

from __future__ import annotations

import smtplib
import uuid
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from assay.config import get_settings
from assay.kit.clock import utcnow
from assay.kit.pagination import PageParams, paginate
from assay.mail.models import MailMessage
from assay.mail.transport import MailTransport, transport_for

MAX_ATTEMPTS = 5


def send(
    session: Session,
    *,
    organization_id: uuid.UUID,
    category: str,
    to: str,
    subject: str,
    body: str,
) -> MailMessage:
    """Record the message; SMTP delivery happens in a job once the transaction commits."""
    smtp = bool(get_settings().smtp_host)
    message = MailMessage(
        organization_id=organization_id,
        category=category,
        to_address=to,
        subject=subject,
        body=body,
        status="pending" if smtp else "outbox",
        sent_at=None if smtp else utcnow(),
    )
    session.add(message)
    session.flush()
    if smtp:
        from assay.jobs import enqueue_after_commit  # noqa: PLC0415 - jobs imports domains lazily

        enqueue_after_commit(session, "mail.deliver", str(message.id))
    return message


def deliver(
    session: Session, *, message_id: uuid.UUID, transport: MailTransport | None = None
) -> None:
    message = session.get(MailMessage, message_id)
    if message is None or message.status != "pending":
        return  # already delivered by an earlier attempt: delivery is idempotent
    transport = transport or transport_for(get_settings())
    message.attempts += 1
    try:
        transport.deliver(to=message.to_address, subject=message.subject, body=message.body)
    except (OSError, smtplib.SMTPException) as exc:
        message.last_error = str(exc)[:2000]
        if message.attempts >= MAX_ATTEMPTS:
            message.status = "failed"
        return
    message.status = "sent"
    message.sent_at = utcnow()


def pending_ids(session: Session) -> Sequence[uuid.UUID]:
    return session.scalars(select(MailMessage.id).where(MailMessage.status == "pending")).all()


def list_outbox(
    session: Session, *, organization_id: uuid.UUID, categories: Sequence[str], page: PageParams
) -> Sequence[MailMessage]:
    statement = select(MailMessage).where(
        MailMessage.organization_id == organization_id, MailMessage.category.in_(categories)
    )
    return session.scalars(
        paginate(statement, created_at=MailMessage.created_at, ident=MailMessage.id, params=page)
    ).all()
