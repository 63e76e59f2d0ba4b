"""Background jobs of the mail domain."""

from __future__ import annotations

import uuid

from assay.db.engine import transaction
from assay.jobs import enqueue, job, sweep
from assay.mail import service


@job("mail.deliver")
def deliver(message_id: str) -> None:
    with transaction() as session:
        service.deliver(session, message_id=uuid.UUID(message_id))


@sweep
def redeliver_pending() -> None:
    with transaction() as session:
        ids = service.pending_ids(session)
    for message_id in ids:
        enqueue("mail.deliver", str(message_id))
