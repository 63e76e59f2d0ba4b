"""Grading results as data: one outcome per test, a weighted score and an overall verdict."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from assay.grading.sandbox import Verdict

Suite = Literal["hidden", "sample"]


@dataclass(frozen=True)
class TestOutcome:
    """The result of one weighted test: a unit test, an io case, a dataset, the performance test."""

    __test__ = False  # not a pytest test class, despite the name

    name: str
    weight: float
    verdict: Verdict
    message: str  # candidate-facing, from the messages catalogue
    detail: str = ""  # staff-only diagnostics (assertion text, stderr); never shown to candidates
    cpu_seconds: float | None = None

    @property
    def passed(self) -> bool:
        return self.verdict == Verdict.ACCEPTED

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "weight": self.weight,
            "verdict": self.verdict.value,
            "passed": self.passed,
            "message": self.message,
        }


@dataclass(frozen=True)
class GradeReport:
    """What grade() returns: keyed by the package's suite digest so results can be re-graded."""

    task: str
    version: int
    language: str
    suite: Suite
    suite_digest: str
    tests: tuple[TestOutcome, ...]
    verdict: Verdict = field(init=False)
    score: float = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "verdict", overall_verdict(self.tests))
        object.__setattr__(self, "score", weighted_score(self.tests))

    def to_dict(self) -> dict[str, Any]:
        """The stable JSON shape printed by `assay grade --json`."""
        return {
            "task": self.task,
            "score": self.score,
            "verdict": self.verdict.value,
            "tests": [test.to_dict() for test in self.tests],
        }


def weighted_score(tests: tuple[TestOutcome, ...]) -> float:
    """The weighted share of tests passed, in 0..1 (0 when there is nothing to pass)."""
    total = sum(test.weight for test in tests)
    if total <= 0:
        return 0.0
    return round(sum(test.weight for test in tests if test.passed) / total, 6)


def overall_verdict(tests: tuple[TestOutcome, ...]) -> Verdict:
    """Accepted when every test passed, otherwise the verdict of the first failing test.

    "First failing test" is the rule candidates know from contest judges, and it makes the
    verdict of a compile error (every test fails with compile_error) come out naturally.
    """
    for test in tests:
        if not test.passed:
            return test.verdict
    return Verdict.ACCEPTED if tests else Verdict.WRONG_ANSWER
