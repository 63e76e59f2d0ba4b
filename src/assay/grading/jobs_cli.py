"""`assay grading`: the grading queue from the command line."""

from __future__ import annotations

import click


@click.group()
def grading() -> None:
    """Queue, sweep and re-grade submissions."""


@grading.command()
@click.option("--task", "task_id", required=True, help="Task id, e.g. token-bucket-rate-limiter.")
def regrade(task_id: str) -> None:
    """Re-grade every submission of a task whose hidden tests changed."""
    from assay.db.engine import transaction  # noqa: PLC0415
    from assay.errors import AppError  # noqa: PLC0415
    from assay.grading import service  # noqa: PLC0415

    try:
        with transaction() as session:
            queued = service.regrade_task(session, task_id=task_id)
    except AppError as exc:
        raise click.ClickException(exc.message) from None
    click.echo(f"Queued {queued} submission(s) of {task_id} for grading.")


@grading.command()
def sweep() -> None:
    """Re-enqueue pending work whose job was lost (also runs every minute in workers)."""
    from assay.jobs import run_sweeps  # noqa: PLC0415

    run_sweeps()
    click.echo("Swept.")
