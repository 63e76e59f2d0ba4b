"""Background jobs of the grading domain: grade a submission; sweep up lost work."""

from __future__ import annotations

import logging
import uuid

from assay.db.engine import transaction
from assay.grading import service
from assay.jobs import enqueue, job, sweep
from assay.kit.clock import utcnow

log = logging.getLogger(__name__)


@job("grading.grade")
def grade_submission(submission_id: str) -> None:
    from assay.grading.engine import GradingInfrastructureError, grade  # noqa: PLC0415
    from assay.grading.packages import load_package  # noqa: PLC0415

    ident = uuid.UUID(submission_id)
    with transaction() as session:
        claim = service.claim(session, submission_id=ident, now=utcnow())
    if claim is None:
        return  # graded already, or another worker holds a live lease
    try:
        package = load_package(service.task_dir(claim.task_id))
        report = grade(package, claim.files, language=claim.language, suite="hidden")
        with transaction() as session:
            service.record(
                session,
                submission_id=ident,
                suite_digest=report.suite_digest,
                score=report.score,
                verdict=report.verdict.value,
                tests=[test.to_dict() for test in report.tests],
            )
    except Exception as exc:
        # Whatever went wrong is ours, not the candidate's: hand the submission back at once
        # so the queue's retry can take it, instead of waiting for the lease to run out.
        with transaction() as session:
            status = service.release(
                session, submission_id=ident, error=f"{type(exc).__name__}: {exc}"
            )
        kind = "infrastructure" if isinstance(exc, GradingInfrastructureError) else "unexpected"
        log.warning("grading %s failed (%s error), now %s: %s", ident, kind, status, exc)
        raise


@sweep
def requeue_stale_submissions() -> None:
    with transaction() as session:
        ids = service.stale_submissions(session, now=utcnow())
    for ident in ids:
        enqueue("grading.grade", str(ident))
