"""``assay content``: validate the library, count it, and exchange choice items as QTI 3.0."""

from __future__ import annotations

import json
import time
from pathlib import Path

import click

from assay.content.check import PACKAGE_WORKERS, check_library
from assay.content.loader import default_root, load_library


def _emit_json(payload: object) -> None:
    click.echo(json.dumps(payload, indent=2, ensure_ascii=False))


@click.group()
def content() -> None:
    """Validate, count and exchange content."""


@content.command()
@click.argument("path", required=False, type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print a JSON report instead of lines.")
@click.option(
    "--no-run",
    is_flag=True,
    help="Skip the sandbox runs of coding/SQL packages (schema and static rules only).",
)
@click.option(
    "--workers",
    type=click.IntRange(1, 8),
    default=PACKAGE_WORKERS,
    show_default=True,
    help="Coding/SQL packages verified in parallel.",
)
def check(path: Path | None, as_json: bool, no_run: bool, workers: int) -> None:
    """Validate every item under PATH (default: the repository's content/ directory).

    PATH may also be one item file or one package folder. Exits 1 when anything is wrong,
    printing one line per problem: file, field, what is wrong.
    """
    started = time.perf_counter()
    report = check_library(path, run_packages=not no_run, workers=workers)
    if as_json:
        _emit_json(report.as_json())
    else:
        for problem in report.problems:
            click.echo(str(problem))
        for note in report.skipped:
            click.echo(f"note: {note}", err=True)
        verdict = "ok" if report.ok else f"{len(report.problems)} problem(s)"
        elapsed = time.perf_counter() - started
        click.echo(f"checked {report.checked} item(s) in {elapsed:.1f}s: {verdict}", err=True)
    if not report.ok:
        raise SystemExit(1)


@content.command()
@click.argument("path", required=False, type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the counts as JSON.")
@click.option(
    "--primary", is_flag=True, help="Count each item under its primary (first) skill only."
)
def stats(path: Path | None, as_json: bool, primary: bool) -> None:
    """Count the library by type, skill, difficulty and language."""
    from assay.content.stats import library_stats  # noqa: PLC0415 - keeps `check` lean

    library = load_library(path)
    figures = library_stats(library, primary_only=primary)
    if figures.not_counted:
        click.echo(
            f"note: {figures.not_counted} item(s) fail the schema and are not counted; "
            f"run `assay content check {path or default_root()}`",
            err=True,
        )
    if as_json:
        _emit_json(figures.as_json())
        return
    for title, counts in figures.as_json().items():
        click.echo(f"{title}:")
        for name, count in counts.items():
            click.echo(f"  {name:<18} {count:>5}")
