"""Mail transports behind one small interface: SMTP, or the in-app outbox."""

from __future__ import annotations

import smtplib
import ssl
from email.message import EmailMessage
from typing import Protocol

from assay.config import Settings


class MailTransport(Protocol):
    name: str

    def deliver(self, *, to: str, subject: str, body: str) -> None:
        """Deliver or raise an OSError/smtplib.SMTPException describing why not."""


class OutboxTransport:
    """The embedded default: the message row in the outbox is the delivery."""

    name = "outbox"

    def deliver(self, *, to: str, subject: str, body: str) -> None:
        return None


class SmtpTransport:
    name = "smtp"

    def __init__(self, settings: Settings) -> None:
        self._settings = settings

    def deliver(self, *, to: str, subject: str, body: str) -> None:
        s = self._settings
        message = EmailMessage()
        message["From"] = s.mail_from
        message["To"] = to
        message["Subject"] = subject
        message.set_content(body)
        with smtplib.SMTP(s.smtp_host, s.smtp_port, timeout=30) as client:
            if s.smtp_starttls:
                client.starttls(context=ssl.create_default_context())
            if s.smtp_username:
                client.login(s.smtp_username, s.smtp_password)
            client.send_message(message)


def transport_for(settings: Settings) -> MailTransport:
    return SmtpTransport(settings) if settings.smtp_host else OutboxTransport()
