""" "Run sample tests": the visible suite, graded now in the sandbox, results for the candidate."""

from __future__ import annotations

from typing import Any

from assay.errors import ServiceUnavailable, ValidationFailed


def run(*, task_id: str, language: str, files: dict[str, str]) -> dict[str, Any]:
    """Per-test results of the sample suite; staff-only diagnostics are left out."""
    from assay.grading.engine import GradingInfrastructureError, SolutionError, grade  # noqa: PLC0415
    from assay.grading.packages import load_package  # noqa: PLC0415
    from assay.grading.service import task_dir  # noqa: PLC0415

    package = load_package(task_dir(task_id))
    try:
        report = grade(package, files, language=language, suite="sample")
    except SolutionError as exc:
        raise ValidationFailed(str(exc), code="invalid_solution") from exc
    except GradingInfrastructureError as exc:
        raise ServiceUnavailable(
            "The test runner is busy or unavailable; try again in a moment. Your code is saved."
        ) from exc
    return {
        "verdict": report.verdict.value,
        "passed": sum(1 for test in report.tests if test.passed),
        "total": len(report.tests),
        "tests": [
            {"name": test.name, "passed": test.passed, "message": test.message}
            for test in report.tests
        ],
    }
