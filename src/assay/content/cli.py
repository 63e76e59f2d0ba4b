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


@content.command("export-qti")
@click.argument("outdir", type=click.Path(path_type=Path, file_okay=False))
@click.option(
    "--from",
    "source",
    type=click.Path(path_type=Path, exists=True),
    help="Library or folder to export (default: the repository's content/).",
)
def export_qti_command(outdir: Path, source: Path | None) -> None:
    """Export every choice item as an IMS QTI 3.0 package in OUTDIR."""
    from assay.content.qti import QtiError, export_qti  # noqa: PLC0415
    from assay.content.schemas import ChoiceItem  # noqa: PLC0415

    report = check_library(source, run_packages=False)
    library = load_library(source)
    choice_sources = {
        loaded.display for loaded in library.items if loaded.folder_type in {"choice", None}
    }
    broken = [p for p in report.problems if p.path in choice_sources]
    if broken:
        for problem in broken:
            click.echo(str(problem))
        click.echo("export refused: fix the choice items above first", err=True)
        raise SystemExit(1)
    items = [item for _, item in library.valid() if isinstance(item, ChoiceItem)]
    if outdir.exists() and any(outdir.iterdir()):
        raise click.ClickException(f"{outdir} is not empty; export into a new folder")
    try:
        count = export_qti(items, outdir)
    except QtiError as exc:  # our own output failed our validator: a bug, said plainly
        raise click.ClickException(f"export produced invalid QTI: {exc}") from exc
    click.echo(f"exported {count} choice item(s) to {outdir}", err=True)


@content.command("import-qti")
@click.argument("path", type=click.Path(path_type=Path, exists=True))
@click.option(
    "--into",
    type=click.Path(path_type=Path, file_okay=False),
    help="Choice folder to write into, as <into>/<primary-skill>/<id>.yaml "
    "(default: the library's content/choice/).",
)
@click.option(
    "--skill",
    help="Primary skill for items from other tools (they carry no assay metadata).",
)
@click.option("--replace", is_flag=True, help="Overwrite items that already exist at the target.")
def import_qti_command(path: Path, into: Path | None, skill: str | None, replace: bool) -> None:
    """Import the choice items of a QTI 3.0 package (a folder with imsmanifest.xml, or a .zip).

    Nothing is written unless every item passes the library's checks.
    """
    from assay.content.qti import ImportDefaults, import_qti  # noqa: PLC0415

    library = default_root()
    target = into or library / "choice"
    report = import_qti(
        path, target, library=library, defaults=ImportDefaults(skill=skill), replace=replace
    )
    for file, message in report.problems:
        click.echo(f"{file}: {message}")
    if report.problems:
        click.echo("import refused: nothing was written", err=True)
        raise SystemExit(1)
    for written in report.written:
        click.echo(f"wrote {written}", err=True)
    click.echo(f"imported {len(report.written)} choice item(s) into {target}", err=True)
