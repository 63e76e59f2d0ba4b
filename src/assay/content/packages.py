"""Sandbox checks of coding and SQL packages, delegated to the grading engine.

The engine (``assay.grading``) owns the package format and the sandbox; the content validator
asks it to grade each package's known solutions and judges the outcome: the reference passes
every hidden and sample test, the starter fails every hidden test, each mutant fails at least
one. The engine is imported lazily so that schema-only checks never need a sandbox.
"""

from __future__ import annotations

import functools
import importlib
import itertools
import threading
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from assay.content.check import Check, VerifierUnavailable

DETAIL_CHARS = 300


def _import(name: str) -> Any:
    try:
        return importlib.import_module(name)
    except ImportError as exc:  # absent, or half-installed: either way nothing can be run
        raise VerifierUnavailable(f"the grading engine cannot be imported ({exc})") from exc


def _names(tests: Any) -> str:
    return ", ".join(test.name for test in tests)


def _why(tests: Any) -> str:
    """The first failure's verdict and staff-side detail, short."""
    first = next(iter(tests))
    detail = (first.detail or first.message).strip().replace("\n", " ")
    if len(detail) > DETAIL_CHARS:
        detail = detail[: DETAIL_CHARS - 3] + "..."
    return f"{first.verdict.value}: {detail}" if detail else str(first.verdict.value)


class GradingEngineVerifier:
    """Grades reference, starter and mutants with ``assay.grading.engine.grade``."""

    def __init__(self) -> None:
        self._packages = _import("assay.grading.packages")
        self._engine = _import("assay.grading.engine")
        sandbox_module = _import("assay.grading.sandbox")
        self._sandbox_class = sandbox_module.Sandbox
        try:
            self._sandbox_class.check()
        except sandbox_module.SandboxUnavailable as exc:
            raise VerifierUnavailable(f"no sandbox on this host: {exc}") from exc
        # One sandbox slot (its own uid and cgroup) per worker thread: parallel runs must
        # never share a slot.
        self._slots = itertools.count()
        self._local = threading.local()

    def _sandbox(self) -> Any:
        if not hasattr(self._local, "sandbox"):
            self._local.sandbox = self._sandbox_class(slot=next(self._slots))
        return self._local.sandbox

    def plan(self, package_dir: Path) -> list[Check]:
        """One job per sandbox run-set: reference (hidden + sample), starter, each mutant."""
        try:
            package = self._packages.load_package(package_dir)
        except self._packages.PackageError as exc:
            message = f"package: {_relative(exc.path, package_dir)}: {exc.message}"
            return [lambda: [message]]
        jobs: list[Check] = []
        for language in package.language_names():
            jobs.append(self._guarded(package, language, self._reference_problems))
            jobs.append(self._guarded(package, language, self._starter_problems))
            for name in sorted(package.mutants(language)):
                jobs.append(
                    self._guarded(package, language, functools.partial(self._mutant_problems, name))
                )
        return jobs

    def _guarded(
        self, package: Any, language: str, check: Callable[[Any, str], list[str]]
    ) -> Check:
        """A job that turns engine failures into messages instead of exceptions."""
        reference_name = "reference.sql" if language == "sql" else f"{language}/reference"

        def job() -> list[str]:
            try:
                return check(package, language)
            except self._engine.TaskPackageDefect as exc:
                # The engine grades against the reference's own output (SQL), so a reference
                # that does not run surfaces as a package defect in every job: one message.
                return [f"{reference_name}: {exc}"]
            except self._engine.GradingInfrastructureError as exc:
                return [f"{reference_name}: could not be graded ({type(exc).__name__}: {exc})"]
            except self._engine.SolutionError as exc:
                return [f"{reference_name}: not a solution the engine accepts: {exc}"]

        return job

    def _grade(self, package: Any, files: Mapping[str, str], language: str, suite: str) -> Any:
        return self._engine.grade(
            package, files, language=language, suite=suite, sandbox=self._sandbox()
        )

    def _reference_problems(self, package: Any, language: str) -> list[str]:
        name = "reference.sql" if language == "sql" else f"{language}/reference"
        problems: list[str] = []
        for suite in ("hidden", "sample"):
            report = self._grade(package, package.reference(language), language, suite)
            failed = [test for test in report.tests if not test.passed]
            if not report.tests:
                problems.append(f"{name}: the {suite} suite has no tests")
            elif failed:
                problems.append(f"{name}: fails {suite} test(s) {_names(failed)} ({_why(failed)})")
        return problems

    def _starter_problems(self, package: Any, language: str) -> list[str]:
        name = "starter (empty query)" if language == "sql" else f"{language}/starter"
        report = self._grade(package, package.starter(language), language, "hidden")
        passed = [test for test in report.tests if test.passed]
        if passed:
            return [
                f"{name}: passes hidden test(s) {_names(passed)}; "
                "the starter must fail every hidden test"
            ]
        return []

    def _mutant_problems(self, mutant: str, package: Any, language: str) -> list[str]:
        name = f"mutants/{mutant}.sql" if language == "sql" else f"{language}/mutants/{mutant}"
        report = self._grade(package, package.mutants(language)[mutant], language, "hidden")
        if report.tests and all(test.passed for test in report.tests):
            return [f"{name}: passes every hidden test; a mutant must fail at least one"]
        return []


def _relative(path: Path, package_dir: Path) -> str:
    try:
        return Path(path).resolve().relative_to(package_dir.resolve()).as_posix() or "."
    except ValueError:
        return str(path)
