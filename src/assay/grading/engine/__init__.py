"""The grading engine: runs a solution against a task package's tests and returns a report.

from assay.grading.engine import grade, GradeReport, TestOutcome, GradingInfrastructureError
"""

from __future__ import annotations

from assay.grading.packages import suite_digest

from .errors import GradingInfrastructureError, TaskPackageDefect
from .grader import SolutionError, grade
from .report import GradeReport, Suite, TestOutcome

__all__ = [
    "GradeReport",
    "GradingInfrastructureError",
    "SolutionError",
    "Suite",
    "TaskPackageDefect",
    "TestOutcome",
    "grade",
    "suite_digest",
]
