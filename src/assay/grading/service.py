"""Submissions and their grading: claim with a lease, record once, re-grade on new tests.

Grading is at-least-once and idempotent. A worker claims a submission with a conditional
UPDATE and a lease; a second delivery of the same job finds it claimed or graded and stops.
A worker that dies leaves the lease to expire, and the sweep enqueues the work again. The
result is inserted under a unique (submission, suite digest) key, so a duplicate grading can
never leave two different results.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, cast

from sqlalchemy import CursorResult, or_, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from assay.config import get_settings
from assay.errors import NotFound, ValidationFailed
from assay.grading import repository
from assay.grading.models import GradingResult, Submission, SubmissionStatus
from assay.jobs import enqueue_after_commit

LEASE = timedelta(minutes=5)
MAX_ATTEMPTS = 5
MAX_FILES = 20
MAX_SOURCE_BYTES = 256 * 1024


def task_dir(task_id: str) -> Path:
    """Where a task package lives in the content library (coding or SQL)."""
    root = get_settings().content_dir
    for kind in ("coding", "sql"):
        candidate = root / kind / task_id
        if (candidate / "task.yaml").is_file():
            return candidate
    raise NotFound(f"No task package '{task_id}' in the content library.")


def submit(
    session: Session,
    *,
    organization_id: uuid.UUID,
    task_id: str,
    language: str,
    files: dict[str, str],
) -> Submission:
    """Store a final solution and queue its grading once the transaction commits."""
    from assay.grading.packages import load_package  # noqa: PLC0415 - keeps web start-up light

    package = load_package(task_dir(task_id))
    if language not in package.language_names():
        accepted = ", ".join(package.language_names())
        raise ValidationFailed(f"Task '{task_id}' accepts {accepted}; not {language}.")
    if not files or len(files) > MAX_FILES:
        raise ValidationFailed(f"Submit between 1 and {MAX_FILES} files.")
    size = sum(len(content.encode()) for content in files.values())
    if size > MAX_SOURCE_BYTES:
        raise ValidationFailed(
            f"The solution is {size} bytes; the limit is {MAX_SOURCE_BYTES} bytes."
        )
    submission = Submission(
        organization_id=organization_id,
        task_id=task_id,
        task_version=package.manifest.version,
        language=language,
        files=dict(files),
        status=SubmissionStatus.PENDING,
        suite_digest=package.digest,
    )
    session.add(submission)
    session.flush()
    enqueue_after_commit(session, "grading.grade", str(submission.id))
    return submission


@dataclass(frozen=True)
class Claim:
    """What a worker needs to grade, copied out of the session: data in, data out."""

    submission_id: uuid.UUID
    task_id: str
    language: str
    files: dict[str, Any]
    attempt: int


def claim(session: Session, *, submission_id: uuid.UUID, now: datetime) -> Claim | None:
    """Take the submission for grading, or return None if it is graded or someone holds it."""
    claimed = session.execute(
        update(Submission)
        .where(
            Submission.id == submission_id,
            or_(
                Submission.status == SubmissionStatus.PENDING,
                (Submission.status == SubmissionStatus.GRADING)
                & (Submission.lease_expires_at < now),
            ),
        )
        .values(
            status=SubmissionStatus.GRADING,
            lease_expires_at=now + LEASE,
            attempts=Submission.attempts + 1,
        )
        .execution_options(synchronize_session=False)
    )
    if cast("CursorResult[Any]", claimed).rowcount != 1:  # an UPDATE returns a CursorResult
        return None
    submission = repository.get_submission_for_job(session, submission_id)
    if submission is None:
        return None
    session.refresh(submission)
    return Claim(
        submission_id=submission.id,
        task_id=submission.task_id,
        language=submission.language,
        files=dict(submission.files),
        attempt=submission.attempts,
    )


def record(
    session: Session,
    *,
    submission_id: uuid.UUID,
    suite_digest: str,
    score: float,
    verdict: str,
    tests: list[dict[str, Any]],
) -> GradingResult | None:
    """Store the result once; a duplicate for the same suite is dropped, the first one stands."""
    submission = repository.get_submission_for_job(session, submission_id)
    if submission is None:
        return None
    existing = repository.get_result(
        session, submission_id=submission_id, suite_digest=suite_digest
    )
    if existing is None:
        result = GradingResult(
            organization_id=submission.organization_id,
            submission_id=submission_id,
            suite_digest=suite_digest,
            score=score,
            verdict=verdict,
            tests=tests,
        )
        try:
            with session.begin_nested():
                session.add(result)
        except IntegrityError:
            existing = repository.get_result(
                session, submission_id=submission_id, suite_digest=suite_digest
            )
        else:
            existing = result
    submission.status = SubmissionStatus.GRADED
    submission.suite_digest = suite_digest
    submission.lease_expires_at = None
    submission.last_error = None
    return existing


def release(session: Session, *, submission_id: uuid.UUID, error: str) -> SubmissionStatus | None:
    """Hand the submission back after an infrastructure failure: retried, or failed for good."""
    submission = repository.get_submission_for_job(session, submission_id)
    if submission is None or submission.status is SubmissionStatus.GRADED:
        return None
    submission.last_error = error[:4000]
    submission.lease_expires_at = None
    submission.status = (
        SubmissionStatus.FAILED if submission.attempts >= MAX_ATTEMPTS else SubmissionStatus.PENDING
    )
    return submission.status


def stale_submissions(session: Session, *, now: datetime) -> list[uuid.UUID]:
    return list(repository.stale_submission_ids(session, now=now))


def regrade_task(session: Session, *, task_id: str) -> int:
    """Queue every submission of a task that has no result for the task's current tests."""
    from assay.grading.packages import suite_digest  # noqa: PLC0415

    digest = suite_digest(task_dir(task_id))
    queued = 0
    for submission in repository.submissions_of_task(session, task_id=task_id):
        if repository.get_result(session, submission_id=submission.id, suite_digest=digest):
            continue
        submission.status = SubmissionStatus.PENDING
        submission.suite_digest = digest
        submission.attempts = 0
        submission.lease_expires_at = None
        enqueue_after_commit(session, "grading.grade", str(submission.id))
        queued += 1
    return queued
