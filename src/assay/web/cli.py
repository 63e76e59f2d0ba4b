"""`assay serve`: the web application (and, on the embedded queue, a worker beside it)."""

from __future__ import annotations

import click


@click.command()
@click.option("--host", default=None, help="Interface to bind (default: ASSAY_HOST or 127.0.0.1).")
@click.option("--port", default=None, type=int, help="Port (default: ASSAY_PORT or 8000).")
@click.option(
    "--worker/--no-worker",
    default=None,
    help="Run a job worker inside the server process (default: yes on the embedded queue).",
)
def serve(host: str | None, port: int | None, worker: bool | None) -> None:
    """Serve the web application and the JSON API."""
    import uvicorn  # noqa: PLC0415

    from assay.config import get_settings  # noqa: PLC0415
    from assay.web.middleware import configure_logging  # noqa: PLC0415

    settings = get_settings()
    configure_logging()
    if worker is None:
        worker = settings.queue_backend == "embedded"
    if worker:
        from assay.grading.tasks import sandbox_problem  # noqa: PLC0415
        from assay.jobs.worker import start_background_worker  # noqa: PLC0415

        problem = sandbox_problem()
        if problem:
            click.echo(
                f"Grading is off: {problem}. Code and SQL answers are kept and wait, pending, "
                "for a worker that can sandbox them (run `assay worker` as root).",
                err=True,
            )
        start_background_worker()
    click.echo(
        f"Assay is starting on http://{host or settings.host}:{port or settings.port} "
        "(Ctrl-C stops it).",
        err=True,
    )
    uvicorn.run(
        "assay.app:create_app",
        factory=True,
        host=host or settings.host,
        port=port or settings.port,
        log_config=None,
        access_log=False,
        proxy_headers=False,
    )
