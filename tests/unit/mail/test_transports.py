"""Mail transports honour one interface; SMTP delivery is idempotent and retried."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from email import message_from_bytes
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy.orm import Session

from assay.config import Settings
from assay.mail import service
from assay.mail.models import MailMessage
from assay.mail.transport import OutboxTransport, SmtpTransport
from tests.factories import make_org


class Inbox:
    def __init__(self) -> None:
        self.messages: list[Any] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(message_from_bytes(envelope.content))
        return "250 OK"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def smtp_server() -> Iterator[tuple[Inbox, int]]:
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    yield inbox, port
    controller.stop()


def test_smtp_transport_delivers_a_real_message(smtp_server: tuple[Inbox, int]) -> None:
    inbox, port = smtp_server
    settings = Settings(smtp_host="127.0.0.1", smtp_port=port, smtp_starttls=False)
    SmtpTransport(settings).deliver(to="cand@example.com", subject="Your assessment", body="Hello")
    assert len(inbox.messages) == 1
    message = inbox.messages[0]
    assert message["To"] == "cand@example.com"
    assert message["Subject"] == "Your assessment"
    assert message.get_payload().strip() == "Hello"


def test_outbox_transport_accepts_without_sending() -> None:
    OutboxTransport().deliver(to="x@example.com", subject="s", body="b")


def test_delivery_marks_sent_once_and_records_failures(
    db: Session, smtp_server: tuple[Inbox, int]
) -> None:
    inbox, port = smtp_server
    org = make_org(db)
    message = MailMessage(
        organization_id=org.organization.id,
        category="candidate",
        to_address="cand@example.com",
        subject="s",
        body="b",
        status="pending",
    )
    db.add(message)
    db.flush()

    dead = SmtpTransport(
        Settings(smtp_host="127.0.0.1", smtp_port=free_port(), smtp_starttls=False)
    )
    service.deliver(db, message_id=message.id, transport=dead)
    assert (message.status, message.attempts) == ("pending", 1)
    assert message.last_error

    live = SmtpTransport(Settings(smtp_host="127.0.0.1", smtp_port=port, smtp_starttls=False))
    service.deliver(db, message_id=message.id, transport=live)
    service.deliver(db, message_id=message.id, transport=live)  # a duplicate job changes nothing
    assert message.status == "sent"
    assert len(inbox.messages) == 1
