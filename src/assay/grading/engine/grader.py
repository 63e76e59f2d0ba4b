"""grade(): one entry point for every task kind, sample and hidden suites alike."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import PurePosixPath

from assay.config import get_settings
from assay.grading.packages import CodingManifest, Language, TaskPackage
from assay.grading.sandbox import Sandbox

from .coding import grade_io, grade_unit
from .report import GradeReport, Suite
from .sql import grade_sql


class SolutionError(ValueError):
    """The submitted files do not fit the task (unknown language, no .sql file, ...)."""


def grade(
    package: TaskPackage,
    files: Mapping[str, str],
    *,
    language: str,
    suite: Suite = "hidden",
    sandbox: Sandbox | None = None,
) -> GradeReport:
    """Grade a solution (path -> content) against a package's sample or hidden suite.

    Pure with respect to our application: takes contents, returns a report, touches no
    application database. Raises GradingInfrastructureError when the grade could not be
    computed (retry later), SolutionError when the files cannot be a solution to this task.
    """
    if suite not in ("hidden", "sample"):
        raise SolutionError(f"suite must be 'hidden' or 'sample', not {suite!r}")
    if language not in package.language_names():
        raise SolutionError(
            f"{package.id} accepts {', '.join(package.language_names())}, not {language!r}"
        )
    manifest = package.manifest
    if isinstance(manifest, CodingManifest):
        lang = Language(language)
        solution = solution_files(package, lang, files)
        box = sandbox or Sandbox()
        if manifest.tests.kind == "unit":
            tests = grade_unit(package, solution, language=lang, suite=suite, sandbox=box)
        else:
            tests = grade_io(package, solution, language=lang, suite=suite, sandbox=box)
    else:
        if manifest.dialect == "sqlite":
            sandbox = sandbox or Sandbox()
        tests = grade_sql(
            package,
            sql_query(files),
            suite=suite,
            sandbox=sandbox,
            postgres_dsn=get_settings().grading_postgres_dsn,
        )
    return GradeReport(
        task=package.id,
        version=package.manifest.version,
        language=language,
        suite=suite,
        suite_digest=package.digest,
        tests=tuple(tests),
    )


def solution_files(
    package: TaskPackage, language: Language, files: Mapping[str, str]
) -> dict[str, str]:
    """The starter's files, each replaced by the candidate's version when submitted.

    Only the starter's file names are taken: a submitted conftest.py or extra test file
    must never join the test run.
    """
    starter = package.languages[language].starter
    return {name: files.get(name, content) for name, content in starter.items()}


def sql_query(files: Mapping[str, str]) -> str:
    """The one .sql file of a SQL solution."""
    queries = [content for name, content in files.items() if PurePosixPath(name).suffix == ".sql"]
    if len(queries) != 1:
        raise SolutionError(f"a SQL solution is exactly one .sql file, got {len(queries)}")
    return queries[0]
