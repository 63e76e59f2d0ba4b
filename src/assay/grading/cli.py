"""The grading commands: `assay grade` (and the sandbox group, beside it)."""

from __future__ import annotations

import json
from pathlib import Path

import click

from assay.grading.engine import GradingInfrastructureError, SolutionError
from assay.grading.engine import grade as grade_solution
from assay.grading.engine.cli_support import infer_language, read_solution
from assay.grading.packages import PackageError, load_package


@click.command()
@click.option(
    "--task",
    "task_dir",
    required=True,
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="Task package directory.",
)
@click.option(
    "--solution",
    "solution_path",
    required=True,
    type=click.Path(exists=True, path_type=Path),
    help="A solution file, or a directory of solution files.",
)
@click.option("--language", default=None, help="Solution language (default: inferred).")
@click.option("--suite", type=click.Choice(["hidden", "sample"]), default="hidden")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
def grade(
    task_dir: Path, solution_path: Path, language: str | None, suite: str, as_json: bool
) -> None:
    """Grade a solution against a task package."""
    try:
        package = load_package(task_dir)
        language = language or infer_language(package, solution_path)
        files = read_solution(package, language, solution_path)
        report = grade_solution(package, files, language=language, suite=suite)  # type: ignore[arg-type]
    except (PackageError, SolutionError) as exc:
        raise click.ClickException(str(exc)) from exc
    except GradingInfrastructureError as exc:
        click.echo(f"Error: grading infrastructure failed (retry): {exc}", err=True)
        raise SystemExit(3) from exc
    if as_json:
        click.echo(json.dumps(report.to_dict(), indent=2))
        return
    click.echo(f"{report.task}: {report.verdict.value}, score {report.score:.3f}")
    for test in report.tests:
        mark = "PASS" if test.passed else "FAIL"
        click.echo(f"  {mark} {test.name} (weight {test.weight:g}): {test.verdict.value}")
