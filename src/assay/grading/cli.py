"""The grading commands: `assay grade` (and the sandbox group, beside it)."""

from __future__ import annotations

import json
from pathlib import Path

import click

from assay.grading.engine import GradingInfrastructureError, SolutionError, Suite
from assay.grading.engine import grade as grade_solution
from assay.grading.engine.cli_support import infer_language, read_solution
from assay.grading.packages import PackageError, load_package
from assay.grading.sandbox import Limits, Sandbox, SandboxUnavailable
from assay.grading.sandbox.languages import LANGUAGES, program_request, program_verdict


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
        chosen: Suite = "sample" if suite == "sample" else "hidden"
        report = grade_solution(package, files, language=language, suite=chosen)
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


# ---------------------------------------------------------------------------------------------
# assay sandbox
# ---------------------------------------------------------------------------------------------


@click.group()
def sandbox() -> None:
    """Run a program in the sandbox."""


@sandbox.command("run")
@click.option("--language", type=click.Choice(LANGUAGES), required=True)
@click.option(
    "--source",
    "source_path",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    required=True,
    help="The program (for java, a file named after its class, e.g. Main.java; for sqlite, SQL).",
)
@click.option("--stdin", "stdin_path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--time-limit",
    type=click.FloatRange(min=0.1, max=120),
    default=5.0,
    show_default=True,
    help="CPU seconds; the wall-clock limit is twice this plus one second.",
)
@click.option("--memory-mb", type=click.IntRange(min=16, max=8192), default=256, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def run(
    *,
    language: str,
    source_path: Path,
    stdin_path: Path | None,
    time_limit: float,
    memory_mb: int,
    as_json: bool,
) -> None:
    """Run SOURCE under the sandbox's limits and print what happened."""
    limits = Limits(cpu_seconds=time_limit, wall_seconds=2 * time_limit + 1, memory_mb=memory_mb)
    try:
        request = program_request(
            language,
            source_path.name,
            source_path.read_bytes(),
            stdin=stdin_path.read_bytes() if stdin_path else b"",
            limits=limits,
        )
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint="--source") from error
    try:
        Sandbox.check()
        result = Sandbox().run(request)
    except SandboxUnavailable as error:
        raise click.ClickException(f"the sandbox is unavailable: {error}") from error
    summary = {
        "verdict": str(program_verdict(language, result)),
        "exit_code": result.exit_code,
        "signal": result.signal,
        "stdout": result.stdout.decode(errors="replace"),
        "stderr": result.stderr.decode(errors="replace"),
        "cpu_seconds": result.cpu_seconds,
        "wall_seconds": result.wall_seconds,
        "peak_memory_kb": result.peak_memory_kb,
    }
    if as_json:
        click.echo(json.dumps(summary))
        return
    click.echo(result.stdout.decode(errors="replace"), nl=False)
    click.echo(result.stderr.decode(errors="replace"), nl=False, err=True)
    click.echo(
        f"{summary['verdict']} (exit {result.exit_code}, signal {result.signal}) "
        f"cpu {result.cpu_seconds:.3f}s wall {result.wall_seconds:.3f}s "
        f"memory {result.peak_memory_kb} KB" + (f": {result.message}" if result.message else ""),
        err=True,
    )
