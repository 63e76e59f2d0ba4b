"""The job queue: both storages honour the same contract, and jobs wait for the commit."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from assay import jobs
from assay.config import Settings

executed: list[tuple[str, ...]] = []


@jobs.job("test.record")
def record(*args: str) -> None:
    executed.append(args)


@pytest.fixture(params=["embedded", "redis"])
def queue(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[jobs.Queue]:
    settings = Settings(
        var_dir=tmp_path,
        queue_backend=request.param,
        redis_url="redis://127.0.0.1:6379/15",
    )
    queue = jobs.build_queue(settings)
    queue.huey.flush()
    executed.clear()
    yield queue
    queue.huey.flush()


def drain(queue: jobs.Queue) -> int:
    """Run what is queued, as a worker would: dequeue, execute."""
    huey = queue.huey
    count = 0
    while (task := huey.dequeue()) is not None:
        huey.execute(task)
        count += 1
    return count


def test_jobs_round_trip_through_each_storage(
    queue: jobs.Queue, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(jobs, "get_queue", lambda: queue)
    marker = uuid.uuid4().hex
    jobs.enqueue("test.record", marker, "b")
    assert queue.huey.pending_count() == 1
    assert drain(queue) == 1
    assert executed == [(marker, "b")]


def test_unknown_job_fails_loudly(queue: jobs.Queue, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(jobs, "get_queue", lambda: queue)
    with pytest.raises(LookupError, match="unknown job"):
        jobs.run_job("no.such.job", [])


def test_jobs_are_enqueued_only_after_commit(
    queue: jobs.Queue, monkeypatch: pytest.MonkeyPatch, db: Session
) -> None:
    monkeypatch.setattr(jobs, "get_queue", lambda: queue)
    jobs.enqueue_after_commit(db, "test.record", "committed")
    assert queue.huey.pending_count() == 0
    db.commit()
    assert queue.huey.pending_count() == 1

    jobs.enqueue_after_commit(db, "test.record", "rolled-back")
    db.rollback()
    db.commit()
    drained = drain(queue)
    assert executed == [("committed",)]
    assert drained == 1
