"""ORM tables of the mail domain."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from assay.db.base import Base, OrgOwnedMixin


class MailMessage(OrgOwnedMixin, Base):
    """One message as sent (or to be sent): what the recruiter sees in the outbox."""

    __tablename__ = "mail_message"

    # "team" mail (teammate invitations) is shown only to those who manage the team:
    # its link grants a role.
    category: Mapped[str] = mapped_column(String(16), index=True)
    to_address: Mapped[str] = mapped_column(String(320))
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    # outbox: kept in the app only (no SMTP configured); pending -> sent | failed via SMTP.
    status: Mapped[str] = mapped_column(String(16), index=True)
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(Text, default=None)
    sent_at: Mapped[datetime | None] = mapped_column(default=None)
