"""JUnit XML from pytest, node:test and the JUnit 5 console launcher, parsed defensively.

The XML comes from a process that ran candidate code, so it is hostile input: it may be
truncated, malformed, enormous or carry entity tricks. Parsing never raises anything but
MalformedReport, which the engine turns into a runtime_error for the candidate.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from typing import Literal

MAX_CASES = 5000
_DTD = re.compile(rb"<!(DOCTYPE|ENTITY)", re.IGNORECASE)

Status = Literal["passed", "failed", "error", "skipped"]
_STATUS: dict[str, Status] = {"failure": "failed", "error": "error", "skipped": "skipped"}


class MalformedReport(Exception):
    """The test report is not a well-formed JUnit XML document we are willing to read."""


@dataclass(frozen=True)
class JUnitCase:
    """One <testcase> as reported, before a runner turns it into a named weighted test."""

    classname: str
    name: str
    file: str
    status: Status
    message: str = ""
    type: str = ""
    text: str = ""
    suites: tuple[str, ...] = ()  # enclosing <testsuite> names below the root (node describe)


def parse(document: bytes) -> list[JUnitCase]:
    """Every test case in a JUnit XML document, in document order."""
    if _DTD.search(document):
        # Entity expansion and external entities both need a DTD; a test report never has one.
        raise MalformedReport("document type declarations are not allowed")
    try:
        root = ET.fromstring(document)  # noqa: S314 - DTDs rejected above
    except ET.ParseError as exc:
        raise MalformedReport(f"not well-formed XML: {exc}") from exc
    if root.tag not in ("testsuites", "testsuite"):
        raise MalformedReport(f"unexpected root element <{root.tag}>")
    cases: list[JUnitCase] = []
    _collect(root, (), cases, top=True)
    return cases


def _collect(
    element: ET.Element, suites: tuple[str, ...], out: list[JUnitCase], *, top: bool
) -> None:
    for child in element:
        if child.tag == "testsuite":
            # The outermost suite is the runner's ("pytest", "JUnit Jupiter"), not the author's.
            name = child.get("name", "")
            nested = (
                suites
                if top and element.tag == "testsuites" and _is_runner_suite(name)
                else (*suites, name)
            )
            _collect(child, nested, out, top=False)
        elif child.tag == "testcase":
            if len(out) >= MAX_CASES:
                raise MalformedReport(f"more than {MAX_CASES} test cases")
            out.append(_case(child, suites))


def _is_runner_suite(name: str) -> bool:
    return name in ("pytest", "JUnit Jupiter")


def _case(element: ET.Element, suites: tuple[str, ...]) -> JUnitCase:
    status: Status = "passed"
    message = kind = text = ""
    for outcome in element:
        if outcome.tag in ("failure", "error", "skipped"):
            status = _STATUS[outcome.tag]
            message = outcome.get("message", "")
            kind = outcome.get("type", "")
            text = outcome.text or ""
            if status != "skipped":
                break  # a failure outranks a later skipped/system-out element
    return JUnitCase(
        classname=element.get("classname", ""),
        name=element.get("name", ""),
        file=element.get("file", ""),
        status=status,
        message=message,
        type=kind,
        text=text,
        suites=suites,
    )


def is_assertion(case: JUnitCase) -> bool:
    """Whether a failed case failed an assertion (wrong answer) rather than crashing (runtime)."""
    if case.status == "error" and "Assert" not in case.type:
        return False
    evidence = f"{case.type}\n{case.message}\n{_last_line(case.text)}\n{case.text[:2000]}"
    if "ERR_ASSERTION" in evidence or "AssertionFailedError" in evidence:
        return True
    # pytest: a rewritten assert reads "assert 3 == 4", pytest.fail/raises "Failed: ...".
    if case.message.startswith(("assert ", "AssertionError", "Failed: ")):
        return True
    # pytest's long tracebacks end with "path/to/test.py:12: ExceptionType".
    return _last_line(case.text).rsplit(": ", 1)[-1].strip() in ("AssertionError", "Failed")


def _last_line(text: str) -> str:
    lines = [line for line in text.strip().splitlines() if line.strip()]
    return lines[-1] if lines else ""
