"""Background jobs of integrity: fingerprint a graded submission, compare a task's code."""

from __future__ import annotations

import uuid

from assay.db.engine import transaction
from assay.integrity import repository, service
from assay.jobs import enqueue, job, sweep

SWEEP_BATCH = 200


@job(service.FINGERPRINT_JOB)
def fingerprint_submission(submission_id: str) -> None:
    """Idempotent: a submission fingerprinted already is left as it is."""
    with transaction() as session:
        service.fingerprint_submission(session, submission_id=uuid.UUID(submission_id))


@job(service.COMPARE_JOB)
def compare_task(organization_id: str, task_id: str, language: str) -> None:
    """Idempotent: the task's pairs are replaced by a fresh comparison."""
    with transaction() as session:
        service.compare_task(
            session,
            organization_id=uuid.UUID(organization_id),
            task_id=task_id,
            language=language,
        )


@sweep
def fingerprint_missed_submissions() -> None:
    with transaction() as session:
        ids = repository.graded_without_fingerprint(session, limit=SWEEP_BATCH)
    for ident in ids:
        enqueue(service.FINGERPRINT_JOB, str(ident))
