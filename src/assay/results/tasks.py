"""Background jobs of results: rescore an attempt when its answers are graded or reviewed."""

from __future__ import annotations

import uuid

from assay.db.engine import transaction
from assay.jobs import job, sweep
from assay.results import repository, service


@job("results.recompute")
def recompute(attempt_id: str) -> None:
    """Idempotent: it recomputes every stored score of the attempt from its sources."""
    with transaction() as session:
        service.recompute(session, attempt_id=uuid.UUID(attempt_id))


@sweep
def rescore_stale_attempts() -> None:
    """Each minute: rescore finished attempts never scored, and any with a newer grading
    result or review than their scores (so grading never has to know about results)."""
    with transaction() as session:
        stale = repository.stale_attempt_ids(session)
    for attempt_id in stale:
        recompute(str(attempt_id))
