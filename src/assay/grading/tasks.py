"""Background jobs of the grading domain: grade a submission; sweep up lost work."""

from __future__ import annotations

import logging
import uuid
from functools import lru_cache

from assay.db.engine import transaction
from assay.grading import service
from assay.jobs import enqueue, job, sweep
from assay.kit.clock import utcnow

log = logging.getLogger(__name__)


@lru_cache(maxsize=1)
def sandbox_problem() -> str | None:
    """Why this process cannot grade (no root, no bubblewrap, no cgroups), or None if it can.

    Checked once per process. A worker that cannot grade leaves submissions pending for one
    that can, and says why once, instead of failing every job.
    """
    from assay.grading.sandbox import Sandbox, SandboxUnavailable  # noqa: PLC0415

    try:
        Sandbox.check()
    except SandboxUnavailable as exc:
        log.warning("grading is off in this process, submissions stay pending: %s", exc)
        return str(exc)
    return None


@job("grading.grade")
def grade_submission(submission_id: str) -> None:
    from assay.grading.engine import GradingInfrastructureError, grade  # noqa: PLC0415
    from assay.grading.packages import load_package  # noqa: PLC0415

    if sandbox_problem() is not None:
        return  # never unsandboxed; a capable worker's sweep will take it
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
    if sandbox_problem() is not None:
        return
    with transaction() as session:
        ids = service.stale_submissions(session, now=utcnow())
    for ident in ids:
        enqueue("grading.grade", str(ident))
