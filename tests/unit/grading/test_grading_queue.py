"""Grading through the queue: graded once, never lost, re-graded when the tests change.

These tests commit for real (a worker in another process must see the rows), so they clean up
the organizations they create.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, delete, func, select
from sqlalchemy.orm import Session

from assay import jobs
from assay.db.engine import transaction
from assay.errors import NotFound, ValidationFailed
from assay.grading import service
from assay.grading.models import GradingResult, Submission, SubmissionStatus
from assay.kit.clock import utcnow
from tests.factories import make_org

TASK = "token-bucket-rate-limiter"
REFERENCE = (
    Path(__file__).resolve().parents[3] / "content" / "coding" / TASK / "python" / "reference"
)


def reference_files() -> dict[str, str]:
    return {p.name: p.read_text() for p in REFERENCE.iterdir() if p.is_file()}


@pytest.fixture
def committed_org(engine: Engine) -> Iterator[uuid.UUID]:
    with transaction() as session:
        org_id = make_org(session).organization.id
    yield org_id
    from assay.accounts.models import Organization

    with transaction() as session:
        session.execute(delete(Organization).where(Organization.id == org_id))


@pytest.fixture
def drain() -> Iterator[Callable[[], int]]:
    queue = jobs.get_queue()
    queue.huey.flush()

    def run_all() -> int:
        count = 0
        while (task := queue.huey.dequeue()) is not None:
            queue.huey.execute(task)
            count += 1
        return count

    yield run_all
    queue.huey.flush()


def submit(org_id: uuid.UUID, files: dict[str, str] | None = None) -> uuid.UUID:
    with transaction() as session:
        return service.submit(
            session,
            organization_id=org_id,
            task_id=TASK,
            language="python",
            files=files or reference_files(),
        ).id


def state(submission_id: uuid.UUID) -> tuple[SubmissionStatus, int]:
    with transaction() as session:
        submission = session.get(Submission, submission_id)
        assert submission is not None
        results = session.scalar(
            select(func.count())
            .select_from(GradingResult)
            .where(GradingResult.submission_id == submission_id)
        )
        return submission.status, results or 0


def test_submit_refuses_what_cannot_be_graded(db: Session) -> None:
    org = make_org(db)
    with pytest.raises(NotFound, match="No task package"):
        service.submit(
            db,
            organization_id=org.organization.id,
            task_id="nope",
            language="python",
            files={"a.py": ""},
        )
    with pytest.raises(ValidationFailed, match="accepts python"):
        service.submit(
            db, organization_id=org.organization.id, task_id=TASK, language="cobol", files={"a": ""}
        )
    with pytest.raises(ValidationFailed, match="limit is"):
        service.submit(
            db,
            organization_id=org.organization.id,
            task_id=TASK,
            language="python",
            files={"a.py": "x" * 300_000},
        )
    assert db.scalar(select(func.count()).select_from(Submission)) == 0


@pytest.mark.sandbox
def test_a_submission_is_graded_once_even_if_its_job_runs_twice(
    committed_org: uuid.UUID, drain: Callable[[], int]
) -> None:
    submission_id = submit(committed_org)
    jobs.enqueue("grading.grade", str(submission_id))  # a duplicate delivery
    assert drain() >= 2  # both deliveries, and whatever other domains queue once it is graded
    status, results = state(submission_id)
    assert (status, results) == (SubmissionStatus.GRADED, 1)
    with transaction() as session:
        result = session.scalar(
            select(GradingResult).where(GradingResult.submission_id == submission_id)
        )
        assert result is not None
        assert (result.score, result.verdict) == (1.0, "accepted")
        assert all(test["passed"] for test in result.tests)


@pytest.mark.sandbox
def test_a_worker_killed_mid_job_loses_nothing(
    committed_org: uuid.UUID, drain: Callable[[], int]
) -> None:
    submission_id = submit(committed_org)
    drain_before = jobs.get_queue().huey.pending_count()
    assert drain_before == 1
    jobs.get_queue().huey.flush()  # the job goes to the doomed worker instead
    worker = subprocess.Popen(
        [
            sys.executable,
            "-c",
            f"from assay.jobs import run_job; run_job('grading.grade', ['{submission_id}'])",
        ],
        env=os.environ.copy(),
    )
    deadline = time.monotonic() + 60
    while state(submission_id)[0] is not SubmissionStatus.GRADING:
        assert time.monotonic() < deadline, "the worker never claimed the submission"
        assert worker.poll() is None, "the worker finished before it could be killed"
        time.sleep(0.01)
    worker.send_signal(signal.SIGKILL)
    worker.wait()
    assert state(submission_id) == (SubmissionStatus.GRADING, 0)

    # Nothing is queued any more; the sweep finds the submission once its lease has run out.
    jobs.run_sweeps()
    assert drain() == 0 or state(submission_id)[1] == 0
    with transaction() as session:
        submission = session.get(Submission, submission_id)
        assert submission is not None
        submission.lease_expires_at = utcnow() - timedelta(seconds=1)
    jobs.run_sweeps()
    assert drain() >= 1
    assert state(submission_id) == (SubmissionStatus.GRADED, 1)


@pytest.mark.sandbox
def test_regrade_queues_only_what_the_new_tests_have_not_graded(
    committed_org: uuid.UUID, drain: Callable[[], int], monkeypatch: pytest.MonkeyPatch
) -> None:
    submission_id = submit(committed_org)
    drain()
    with transaction() as session:
        assert service.regrade_task(session, task_id=TASK) == 0  # same tests: nothing to do
    # The hidden tests change: the digest changes, and the submission is graded again.
    monkeypatch.setattr("assay.grading.packages.suite_digest", lambda _path: "f" * 64)
    with transaction() as session:
        assert service.regrade_task(session, task_id=TASK) >= 1
    assert state(submission_id)[0] is SubmissionStatus.PENDING


@pytest.mark.sandbox
def test_an_assay_worker_process_grades_from_redis(
    committed_org: uuid.UUID, monkeypatch: pytest.MonkeyPatch
) -> None:
    from assay.config import Settings

    redis_url = "redis://127.0.0.1:6379/14"
    queue = jobs.build_queue(Settings(queue_backend="redis", redis_url=redis_url))
    queue.huey.flush()
    monkeypatch.setattr(jobs, "get_queue", lambda: queue)
    env = {**os.environ, "ASSAY_QUEUE_BACKEND": "redis", "ASSAY_REDIS_URL": redis_url}
    worker = subprocess.Popen(
        [sys.executable, "-m", "assay", "worker", "--workers", "1", "--type", "process"], env=env
    )
    try:
        submission_id = submit(committed_org)
        deadline = time.monotonic() + 120
        while state(submission_id)[0] is not SubmissionStatus.GRADED:
            assert worker.poll() is None, "the worker exited"
            assert time.monotonic() < deadline, "the worker did not grade the submission"
            time.sleep(0.2)
        assert state(submission_id) == (SubmissionStatus.GRADED, 1)
    finally:
        worker.send_signal(signal.SIGTERM)
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()
        queue.huey.flush()
