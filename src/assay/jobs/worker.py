"""Running jobs: `assay worker` processes, or one thread pool inside `assay serve` when embedded."""

from __future__ import annotations

import atexit
import logging

import click
from huey.consumer import Consumer

from assay.jobs import get_queue, load_jobs, run_sweeps

log = logging.getLogger(__name__)


def make_consumer(*, workers: int, worker_type: str = "thread") -> Consumer:
    load_jobs()
    return get_queue().huey.create_consumer(
        workers=workers, worker_type=worker_type, periodic=True, initial_delay=0.1, max_delay=1.0
    )


def start_background_worker(workers: int = 2) -> Consumer:
    """Start job threads in this process (the embedded default); they stop with it."""
    consumer = make_consumer(workers=workers)
    run_sweeps()  # pick up whatever the last run left pending, before serving
    consumer.start()
    atexit.register(consumer.stop)
    return consumer


@click.command()
@click.option("--workers", default=2, show_default=True, help="Jobs run at once in this process.")
@click.option(
    "--type",
    "worker_type",
    type=click.Choice(["thread", "process"]),
    default="process",
    show_default=True,
    help="Worker processes isolate jobs from each other; threads are lighter.",
)
def worker(workers: int, worker_type: str) -> None:
    """Run a worker that takes grading and mail jobs from the queue."""
    from assay.db.engine import get_engine  # noqa: PLC0415
    from assay.web.middleware import configure_logging  # noqa: PLC0415

    configure_logging()
    from assay.grading.tasks import sandbox_problem  # noqa: PLC0415

    if problem := sandbox_problem():
        click.echo(f"Grading is off in this worker: {problem}.", err=True)
    run_sweeps()
    get_engine().dispose()  # worker processes fork: none may inherit the parent's connections
    make_consumer(workers=workers, worker_type=worker_type).run()
