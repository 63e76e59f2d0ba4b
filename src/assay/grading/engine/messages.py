"""The catalogue of candidate-facing grading messages: every word a candidate reads comes from here.

Messages never reveal hidden test contents (inputs, expected values, assertion text); details are
added only for the sample suite, whose tests the candidate can already see.
"""

from __future__ import annotations

from assay.grading.sandbox import Verdict

from .report import Suite

DETAIL_LIMIT = 2000

VERDICT_MESSAGES: dict[Verdict, str] = {
    Verdict.ACCEPTED: "Passed.",
    Verdict.WRONG_ANSWER: "Failed: the result is not what the test expects.",
    Verdict.COMPILE_ERROR: "Your code does not compile, so no test could run.",
    Verdict.RUNTIME_ERROR: "Failed: your code raised an error or exited abnormally.",
    Verdict.TIME_LIMIT: "Failed: the time limit was exceeded.",
    Verdict.MEMORY_LIMIT: "Failed: the memory limit was exceeded.",
    Verdict.OUTPUT_LIMIT: "Failed: your code produced too much output.",
    Verdict.SANDBOX_ERROR: (
        "We could not run this test; it will be retried. This is not your fault."
    ),
}

NOT_RUN = "Failed: this test did not run (the test run stopped before reaching it)."
SLOWER_THAN_BUDGET = "Failed: your solution is too slow compared with the expected complexity."
PERFORMANCE_TESTS_FAILED = "Failed: the performance test did not pass."
QUERY_SYNTAX = "Your query has a syntax error, so it could not run."
QUERY_ERROR = "Failed: your query raised an error on this dataset."
QUERY_TIMEOUT = "Failed: your query exceeded the time limit on this dataset."
TOO_MANY_ROWS = "Failed: your query returned more rows than allowed."
WRONG_COLUMNS = "Failed: the result has the wrong number or names of columns."
WRONG_ROWS = "Failed: the result rows differ from the expected rows."
WRONG_ORDER = "Failed: the rows are right but in the wrong order."


def for_verdict(verdict: Verdict, *, suite: Suite, detail: str = "") -> str:
    """The catalogue message for a verdict, plus the detail when the tests are visible (sample)."""
    return with_detail(VERDICT_MESSAGES[verdict], suite=suite, detail=detail)


def with_detail(message: str, *, suite: Suite, detail: str) -> str:
    if suite != "sample" or not detail.strip():
        return message
    detail = detail.strip()
    if len(detail) > DETAIL_LIMIT:
        detail = detail[:DETAIL_LIMIT] + "\n[… truncated]"
    return f"{message}\n{detail}"
