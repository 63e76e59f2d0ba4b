"""Background jobs on a maintained task queue (huey): SQLite embedded by default, Redis at scale.

Jobs are plain functions registered by name and called with string arguments (ids, digests),
never objects. A job is enqueued only after the transaction that asked for it commits, and
every job is idempotent: the durable state lives in our tables (a pending submission, a
pending mail), and a periodic sweep re-enqueues anything whose job was lost.
"""

from __future__ import annotations

import importlib
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from huey import Huey, RedisHuey, SqliteHuey, crontab
from huey.api import TaskWrapper
from sqlalchemy import event
from sqlalchemy.orm import Session, SessionTransaction

from assay.config import Settings, get_settings

log = logging.getLogger(__name__)

JobFunction = Callable[..., None]
_JOBS: dict[str, JobFunction] = {}
_SWEEPS: list[Callable[[], None]] = []

# Domain modules that define jobs; imported when a queue is built so the registry is complete.
JOB_MODULES = (
    "assay.mail.tasks",
    "assay.grading.tasks",
    "assay.delivery.tasks",
    "assay.integrity.tasks",
    "assay.results.tasks",
    "assay.results.review_tasks",
)


def job(name: str) -> Callable[[JobFunction], JobFunction]:
    def register(function: JobFunction) -> JobFunction:
        _JOBS[name] = function
        return function

    return register


def sweep(function: Callable[[], None]) -> Callable[[], None]:
    """Register a function that the periodic sweep runs to re-enqueue lost work."""
    _SWEEPS.append(function)
    return function


def load_jobs() -> None:
    for module in JOB_MODULES:
        importlib.import_module(module)


def run_job(name: str, args: list[str]) -> None:
    load_jobs()
    try:
        function = _JOBS[name]
    except KeyError:
        raise LookupError(f"unknown job {name!r}") from None
    function(*args)


def run_sweeps() -> None:
    load_jobs()
    for function in _SWEEPS:
        try:
            function()
        except Exception:  # a failing sweep must not stop the others; it is logged and retried
            log.exception("sweep %s failed", function.__qualname__)


@dataclass(frozen=True)
class Queue:
    """A huey instance and the one task that dispatches our jobs by name."""

    huey: Huey
    dispatch: TaskWrapper

    def enqueue(self, name: str, *args: str) -> None:
        self.huey.enqueue(self.dispatch.s(name, list(args)))


def build_queue(settings: Settings) -> Queue:
    huey: Huey
    if settings.queue_backend == "redis":
        huey = RedisHuey("assay", url=settings.redis_url)
    else:
        settings.var_dir.mkdir(parents=True, exist_ok=True)
        huey = SqliteHuey("assay", filename=str(settings.var_dir / "queue.db"))
    # One generic task dispatches by name, so domain code never depends on a queue instance.
    dispatch = huey.task(retries=3, retry_delay=5, name="assay_run_job")(run_job)
    huey.periodic_task(crontab(minute="*"), name="assay_sweep")(run_sweeps)
    return Queue(huey=huey, dispatch=dispatch)


@lru_cache
def get_queue() -> Queue:
    return build_queue(get_settings())


def enqueue(name: str, *args: str) -> None:
    get_queue().enqueue(name, *args)


_pending_lock = threading.Lock()


def enqueue_after_commit(session: Session, name: str, *args: str) -> None:
    """Enqueue once the session's transaction commits; dropped if it rolls back."""
    session.connection()  # bind the job to the transaction in progress (autobegin if none yet)
    pending: list[tuple[str, tuple[str, ...]]] = session.info.setdefault("assay_jobs", [])
    pending.append((name, args))
    with _pending_lock:
        if not event.contains(session, "after_commit", _flush_jobs):
            event.listen(session, "after_commit", _flush_jobs)
            event.listen(session, "after_soft_rollback", _drop_jobs)


def _flush_jobs(session: Session) -> None:
    pending: list[tuple[str, tuple[str, ...]]] = session.info.pop("assay_jobs", [])
    for name, args in pending:
        try:
            enqueue(name, *args)
        except Exception:
            # The row that asked for the job is committed; the sweep will enqueue it again.
            log.exception("could not enqueue %s; the periodic sweep will retry", name)


def _drop_jobs(session: Session, previous_transaction: SessionTransaction) -> None:
    # A rolled-back SAVEPOINT (begin_nested) keeps the outer transaction's jobs.
    if not previous_transaction.nested:
        session.info.pop("assay_jobs", None)


def registered_jobs() -> dict[str, Any]:
    load_jobs()
    return dict(_JOBS)
