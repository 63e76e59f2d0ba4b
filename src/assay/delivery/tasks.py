"""Background jobs of delivery: reminders before the deadline; closing abandoned sections."""

from __future__ import annotations

import uuid

from assay.db.engine import transaction
from assay.delivery import service
from assay.jobs import job, sweep
from assay.kit.clock import utcnow


@job("delivery.remind")
def remind(invitation_id: str) -> None:
    with transaction() as session:
        service.send_reminder(session, invitation_id=uuid.UUID(invitation_id))


@job("delivery.close_overdue")
def close_overdue(attempt_id: str) -> None:
    with transaction() as session:
        service.close_overdue(session, attempt_id=uuid.UUID(attempt_id))


@sweep
def remind_before_deadline() -> None:
    """Each minute: remind, once, everyone whose link expires within a day and who has not begun.

    Each reminder is its own transaction, so one failure never blocks the others, and
    ``reminded_at`` makes a second sweep (or a retried job) send nothing twice.
    """
    with transaction() as session:
        due = service.due_reminders(session, now=utcnow())
    for invitation_id in due:
        remind(str(invitation_id))


@sweep
def close_overdue_attempts() -> None:
    """Queue grading for work samples of candidates who left when their time ran out."""
    with transaction() as session:
        ids = service.overdue_attempts(session, now=utcnow())
    for attempt_id in ids:
        close_overdue(str(attempt_id))
