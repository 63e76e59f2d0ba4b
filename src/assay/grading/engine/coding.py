"""Grading coding tasks: unit-test suites (pytest, node:test, JUnit 5), io cases, performance."""

from __future__ import annotations

import io
import math
import re
import signal
import zipfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from assay.grading.packages import (
    CodingManifest,
    IoCase,
    IoTests,
    Language,
    Performance,
    TaskPackage,
)
from assay.grading.sandbox import Limits, RunRequest, RunResult, Sandbox, Verdict

from . import messages
from .comparators import io_comparator
from .errors import TaskPackageDefect
from .execution import Section, WrappedRun, encode, run, run_wrapper, tail
from .junit import JUnitCase, MalformedReport, is_assertion, parse
from .languages import (
    HEAP_EXHAUSTED,
    PYTHON,
    PYTHON_ENV,
    TESTS_DIR,
    io_script,
    java_compile_script,
    node_test_label,
    reported_name,
    unit_script,
)
from .report import Suite, TestOutcome

WHOLE_RUN = "(all tests)"
PERFORMANCE = "performance"
_PARAMS = re.compile(r"\[.*\]$")
_RUN_FAILURES = (Verdict.TIME_LIMIT, Verdict.MEMORY_LIMIT, Verdict.OUTPUT_LIMIT)
# How node:test's junit report describes a test file whose process died of SIGABRT.
_NODE_ABORTED = "signal: 'SIGABRT'"
# How each runner reports a test stopped by its per-test timeout: pytest-timeout's failure
# message, node:test's failure type, JUnit's exception type.
_PYTEST_TIMEOUT = "Failed: Timeout >"
_NODE_TIMEOUT = "testTimeoutFailure"
_JUNIT_TIMEOUT = "java.util.concurrent.TimeoutException"
# A JavaScript regular expression that matches no name: node:test then lists every test, skipped.
NODE_MATCH_NONE = "(?!)"
# A node:test file with more tests than this is not re-run test by test after a timeout; and
# once this many of its tests have timed out on their own, the rest are not run.
MAX_ISOLATED_TESTS = 50
MAX_ISOLATED_TIMEOUTS = 3


def limits_for(manifest: CodingManifest, language: Language, *, cpu: float | None = None) -> Limits:
    """Sandbox limits of one test run; Java gets more processes for the JVM's threads."""
    cpu_seconds = cpu if cpu is not None else manifest.time_limit_seconds
    return Limits(
        cpu_seconds=cpu_seconds,
        wall_seconds=cpu_seconds * 2 + 5,
        memory_mb=manifest.memory_mb,
        pids=128 if language == Language.JAVA else 64,
    )


def per_test_timeout(cpu_seconds: float) -> int:
    """Seconds one unit test may run: half the suite's CPU limit, at least 2 s.

    Half, so that a looping test leaves the rest of the suite CPU time to finish; the
    suite's own limits stay as the backstop (two looping tests still exhaust them).
    """
    return max(2, math.ceil(cpu_seconds / 2))


def grade_unit(
    package: TaskPackage,
    solution: Mapping[str, str],
    *,
    language: Language,
    suite: Suite,
    sandbox: Sandbox,
) -> list[TestOutcome]:
    """Run the suite's unit tests against the solution; one outcome per reported test."""
    manifest = _coding(package)
    files = package.languages[language]
    tests = files.hidden_tests if suite == "hidden" else files.sample_tests
    wrapped = _run_unit(sandbox, manifest, language, solution, tests)
    weights = manifest.tests.weights
    isolate = None
    if language == Language.NODE:
        isolate = _NodeFileRerun(sandbox, manifest, solution, tests, suite, weights).outcomes
    outcomes = _unit_outcomes(wrapped, language, suite, weights, isolate=isolate)
    if suite == "hidden" and manifest.performance is not None:
        outcomes.append(
            _performance(
                sandbox,
                package,
                performance=manifest.performance,
                language=language,
                solution=solution,
                suite=suite,
            )
        )
    return outcomes


def _run_unit(
    sandbox: Sandbox,
    manifest: CodingManifest,
    language: Language,
    solution: Mapping[str, str],
    tests: Mapping[str, str],
    *,
    cpu: float | None = None,
    node_file: str | None = None,
    node_name_pattern: str | None = None,
) -> WrappedRun:
    limits = limits_for(manifest, language, cpu=cpu)
    script = unit_script(
        language,
        solution,
        tests,
        manifest.memory_mb,
        test_timeout=per_test_timeout(limits.cpu_seconds),
        node_file=node_file,
        node_name_pattern=node_name_pattern,
    )
    laid_out = {**encode(solution), **{f"{TESTS_DIR}/{p}": c.encode() for p, c in tests.items()}}
    env = PYTHON_ENV if language == Language.PYTHON else {}
    return run_wrapper(sandbox, script, laid_out, limits, env)


def _unit_outcomes(
    wrapped: WrappedRun,
    language: Language,
    suite: Suite,
    weights: Mapping[str, float],
    *,
    isolate: Callable[[str], list[TestOutcome] | None] | None = None,
) -> list[TestOutcome]:
    """One outcome per reported test; ``isolate`` re-runs a node:test file that timed out."""
    failure = _run_failure(wrapped)
    if failure is not None:
        return _whole_run_failed(failure[0], weights, suite, detail=failure[1])
    sections = wrapped.sections or []
    heap_exhausted = {s.label: s.payload for s in sections if s.kind == "heap_exhausted"}
    outcomes: list[TestOutcome] = []
    for section in sections:
        if section.kind != "junit":
            continue
        try:
            cases = parse(section.payload)
        except MalformedReport as exc:
            return _whole_run_failed(Verdict.RUNTIME_ERROR, weights, suite, detail=str(exc))
        if isolate is not None and _whole_file_timed_out(cases):
            isolated = isolate(section.label)
            if isolated is not None:
                outcomes += isolated
                continue
        for case in cases:
            name = reported_name(language, case, section.label)
            detail = f"{case.message}\n{case.text}".strip()
            verdict = _case_verdict(case, detail, heap_exhausted.get(section.label, b""))
            message = (
                messages.NOT_RUN
                if case.status == "skipped"
                else messages.for_verdict(verdict, suite=suite, detail=detail)
            )
            outcomes.append(
                TestOutcome(name, _weight(weights, name), verdict, message, detail=detail[:8000])
            )
    if not outcomes:
        return _whole_run_failed(
            Verdict.RUNTIME_ERROR, weights, suite, detail="no test results were reported"
        )
    return outcomes + _not_run(outcomes, weights, suite)


def _whole_file_timed_out(cases: list[JUnitCase]) -> bool:
    """node:test's report of a test file stopped as a whole at the per-test timeout.

    A test that never yields (a busy loop) blocks its file's event loop, so its own timer
    cannot fire; the runner then stops the file and reports it alone, the other tests unheard.
    """
    return len(cases) == 1 and cases[0].name.startswith("/") and cases[0].type == _NODE_TIMEOUT


@dataclass(frozen=True)
class _NodeFileRerun:
    """The tests of a node:test file that timed out as a whole, each run on its own.

    So a looping test costs only its own weight, as pytest's and JUnit's per-test timeouts
    already ensure: one run lists the file's tests (a name pattern that matches none reports
    each as skipped), then one run per test, until MAX_ISOLATED_TIMEOUTS of them have timed
    out (the rest are not run).
    """

    sandbox: Sandbox
    manifest: CodingManifest
    solution: Mapping[str, str]
    tests: Mapping[str, str]
    suite: Suite
    weights: Mapping[str, float]

    def outcomes(self, label: str) -> list[TestOutcome] | None:
        """None when the file's tests cannot be listed (the loop is in the file's own top
        level) or are too many: the file's report stands."""
        path = next((p for p in self.tests if node_test_label(p) == label), None)
        listed = None if path is None else self._cases(path, NODE_MATCH_NONE)
        if path is None or listed is None or _whole_file_timed_out(listed):
            return None
        names = [(case.suites, case.name) for case in listed if not case.name.startswith("/")]
        if not names or len(names) > MAX_ISOLATED_TESTS:
            return None
        outcomes = []
        timeouts = 0
        for suites, name in names:
            full_name = "::".join((label, *suites, name))
            weight = _weight(self.weights, full_name)
            if timeouts >= MAX_ISOLATED_TIMEOUTS:  # a loop everywhere: bound the time spent
                detail = f"not run: {timeouts} tests of this file timed out before it"
                outcomes.append(
                    TestOutcome(full_name, weight, Verdict.RUNTIME_ERROR, messages.NOT_RUN, detail)
                )
                continue
            ran = [
                c for c in self._cases(path, f"^{re.escape(name)}$") or [] if c.status != "skipped"
            ]
            # Its own result, or the file's again: this test is the one that never yields.
            case = next((c for c in ran if (c.suites, c.name) == (suites, name)), None)
            if case is None and _whole_file_timed_out(ran):
                case = ran[0]
            if case is None:
                verdict, detail = Verdict.RUNTIME_ERROR, "not reported when run on its own"
            else:
                if _timed_out(case):
                    timeouts += 1
                detail = f"{case.message}\n{case.text}".strip()
                verdict = _case_verdict(case, detail, b"")
            message = messages.for_verdict(verdict, suite=self.suite, detail=detail)
            outcomes.append(TestOutcome(full_name, weight, verdict, message, detail=detail))
        return outcomes

    def _cases(self, path: str, pattern: str) -> list[JUnitCase] | None:
        """The report of one test file run with a name pattern; None if it produced none."""
        wrapped = _run_unit(
            self.sandbox,
            self.manifest,
            Language.NODE,
            self.solution,
            self.tests,
            node_file=path,
            node_name_pattern=pattern,
        )
        reports = [s for s in wrapped.sections or [] if s.kind == "junit"]
        if _run_failure(wrapped) is not None or not reports:
            return None
        try:
            return parse(reports[0].payload)
        except MalformedReport:
            return None


def _case_verdict(case: JUnitCase, detail: str, test_file_stderr: bytes) -> Verdict:
    """The verdict of one reported test; `test_file_stderr` is what its file's process left."""
    if case.status == "passed":
        return Verdict.ACCEPTED
    if case.status == "skipped":
        return Verdict.RUNTIME_ERROR
    if _NODE_ABORTED in detail and _heap_exhausted(signal.SIGABRT, test_file_stderr):
        return Verdict.MEMORY_LIMIT
    if _timed_out(case):
        return Verdict.TIME_LIMIT
    return Verdict.WRONG_ANSWER if is_assertion(case) else Verdict.RUNTIME_ERROR


def _timed_out(case: JUnitCase) -> bool:
    """Whether the runner stopped this test at its per-test timeout."""
    return case.message.startswith(_PYTEST_TIMEOUT) or case.type in (_NODE_TIMEOUT, _JUNIT_TIMEOUT)


def _run_verdict(result: RunResult) -> Verdict:
    """The sandbox's verdict of a program run, with V8's heap abort counted as memory_limit."""
    if result.verdict == Verdict.RUNTIME_ERROR and _heap_exhausted(result.signal, result.stderr):
        return Verdict.MEMORY_LIMIT
    return result.verdict


def _heap_exhausted(signal_number: int | None, stderr: bytes) -> bool:
    """V8 aborted on its own heap limit: SIGABRT, with its marker on stderr.

    The cgroup never sees this (V8 gives up below the limit), so it is decided here, for io
    programs, test runners and node:test's per-file processes alike.
    """
    return signal_number == signal.SIGABRT and HEAP_EXHAUSTED.encode() in stderr


def _run_failure(wrapped: WrappedRun) -> tuple[Verdict, str] | None:
    """Why the run as a whole produced no per-test results, if it did not."""
    result, sections = wrapped.result, wrapped.sections
    if result.verdict in _RUN_FAILURES:
        return result.verdict, result.message
    if sections is None:
        # No trustworthy report: the candidate's code killed the runner, or forged the report.
        return Verdict.RUNTIME_ERROR, f"{result.message}\n{tail(result.stderr)}"
    killed = _killed_runner(sections, result)
    if killed is not None:
        return killed, f"test runner killed: {killed}"
    for section in sections:
        if section.kind == "compile_error":
            return Verdict.COMPILE_ERROR, tail(section.payload)
    return None


def _killed_runner(sections: list[Section], result: RunResult) -> Verdict | None:
    """The verdict for a test runner that died of a signal the sandbox did not see.

    RLIMIT_CPU is per process: when it kills the runner (SIGXCPU) our wrapper shell survives
    and exits normally, so the sandbox reports accepted. The wrapper's status section tells.
    """
    for section in sections:
        if section.kind != "status" or not section.payload.isdigit():
            continue
        code = int(section.payload)
        if code == 128 + signal.SIGXCPU:
            return Verdict.TIME_LIMIT
        if code == 128 + signal.SIGKILL:
            return Verdict.MEMORY_LIMIT if _near_memory_limit(result) else Verdict.RUNTIME_ERROR
        if code == 128 + signal.SIGABRT and _heap_exhausted(signal.SIGABRT, result.stderr):
            return Verdict.MEMORY_LIMIT
    return None


def _near_memory_limit(result: RunResult) -> bool:
    return "memory" in result.message.lower()


def _weight(weights: Mapping[str, float], name: str) -> float:
    """A test's weight: by its exact name, else its parametrized family's name, else 1."""
    if name in weights:
        return weights[name]
    return weights.get(_PARAMS.sub("", name), 1.0)


def _not_run(
    outcomes: list[TestOutcome], weights: Mapping[str, float], suite: Suite
) -> list[TestOutcome]:
    """Weighted tests missing from the report count as failed: the run never reached them."""
    reported = {o.name for o in outcomes} | {_PARAMS.sub("", o.name) for o in outcomes}
    if suite != "hidden":
        return []  # weights name hidden tests; sample suites have their own names
    return [
        TestOutcome(name, weight, Verdict.RUNTIME_ERROR, messages.NOT_RUN, detail="not reported")
        for name, weight in weights.items()
        if name not in reported
    ]


def _whole_run_failed(
    verdict: Verdict, weights: Mapping[str, float], suite: Suite, *, detail: str
) -> list[TestOutcome]:
    """Every test fails with the run's verdict; the weighted tests are listed by name."""
    message = messages.for_verdict(verdict, suite=suite, detail=detail)
    outcomes = [TestOutcome(WHOLE_RUN, 1.0, verdict, message, detail=detail)]
    if suite == "hidden":
        outcomes += [
            TestOutcome(name, weight, verdict, messages.for_verdict(verdict, suite=suite))
            for name, weight in weights.items()
        ]
    return outcomes


def _performance(
    sandbox: Sandbox,
    package: TaskPackage,
    *,
    performance: Performance,
    language: Language,
    solution: Mapping[str, str],
    suite: Suite,
) -> TestOutcome:
    """Run the performance tests with the reference, then the candidate, in the same sandbox.

    Both runs happen in this call on this machine, so the ratio of CPU times is meaningful
    where absolute times would not be (workers differ, load differs).
    """
    manifest = _coding(package)
    files = package.languages[language]
    tests = files.performance_tests
    baseline = _run_unit(sandbox, manifest, language, files.reference, tests)
    base_outcomes = _unit_outcomes(baseline, language, "sample", {})
    if not all(o.passed for o in base_outcomes):
        failed = "; ".join(f"{o.name}: {o.detail[:300]}" for o in base_outcomes if not o.passed)
        raise TaskPackageDefect(f"{package.id}: reference fails its performance tests: {failed}")
    budget = baseline.result.cpu_seconds * performance.budget_ratio
    cpu_limit = max(manifest.time_limit_seconds, budget * 2 + 1)
    candidate = _run_unit(sandbox, manifest, language, solution, tests, cpu=cpu_limit)
    outcomes = _unit_outcomes(candidate, language, "sample", {})
    used = candidate.result.cpu_seconds
    detail = (
        f"candidate {used:.3f}s CPU, reference {baseline.result.cpu_seconds:.3f}s,"
        f" budget {budget:.3f}s (x{performance.budget_ratio})"
    )
    failing = next((o for o in outcomes if not o.passed), None)
    if failing is not None and failing.verdict != Verdict.TIME_LIMIT:
        return TestOutcome(
            PERFORMANCE,
            performance.weight,
            failing.verdict,
            messages.PERFORMANCE_TESTS_FAILED,
            detail=f"{failing.detail[:2000]}\n{detail}",
            cpu_seconds=used,
        )
    if failing is not None or used > budget:
        return TestOutcome(
            PERFORMANCE,
            performance.weight,
            Verdict.TIME_LIMIT,
            messages.with_detail(messages.SLOWER_THAN_BUDGET, suite=suite, detail=detail),
            detail=detail,
            cpu_seconds=used,
        )
    return TestOutcome(
        PERFORMANCE,
        performance.weight,
        Verdict.ACCEPTED,
        messages.for_verdict(Verdict.ACCEPTED, suite=suite),
        detail=detail,
        cpu_seconds=used,
    )


def grade_io(
    package: TaskPackage,
    solution: Mapping[str, str],
    *,
    language: Language,
    suite: Suite,
    sandbox: Sandbox,
) -> list[TestOutcome]:
    """Run the program once per io case (stdin in, stdout compared); one outcome per case."""
    manifest = _coding(package)
    tests = manifest.tests
    assert isinstance(tests, IoTests)
    cases = package.io_cases[suite]
    files = encode(solution)
    if language == Language.JAVA:
        compiled = _compile_java(sandbox, manifest, solution)
        if isinstance(compiled, str):
            return _io_compile_error(cases, tests.weights, suite, compiled)
        files = compiled
    script = io_script(language, manifest.memory_mb)
    outcomes: list[TestOutcome] = []
    for case in cases:
        result = run(
            sandbox,
            RunRequest(
                argv=["/bin/sh", "-c", script],
                files=files,
                stdin=case.input.encode(),
                limits=limits_for(manifest, language),
            ),
        )
        if result.report:  # only the syntax check writes to fd 3
            return _io_compile_error(cases, tests.weights, suite, tail(result.report))
        outcomes.append(
            _io_outcome(sandbox, package, case=case, result=result, tests=tests, suite=suite)
        )
    return outcomes


def _io_outcome(
    sandbox: Sandbox,
    package: TaskPackage,
    *,
    case: IoCase,
    result: RunResult,
    tests: IoTests,
    suite: Suite,
) -> TestOutcome:
    weight = tests.weights.get(case.name, 1.0)
    verdict = _run_verdict(result)
    if verdict != Verdict.ACCEPTED:
        detail = f"{result.message}\n{tail(result.stderr, 2000)}"
        message = messages.for_verdict(verdict, suite=suite, detail=tail(result.stderr, 2000))
        return TestOutcome(case.name, weight, verdict, message, detail, result.cpu_seconds)
    output = result.stdout.decode(errors="replace")
    comparator = tests.comparator
    if comparator.kind == "checker":
        matches, reason = _run_checker(sandbox, package, case, output)
    else:
        compared = io_comparator(comparator.kind, float_tolerance=comparator.float_tolerance)(
            case.expected, output
        )
        matches, reason = compared.matches, compared.reason
    verdict = Verdict.ACCEPTED if matches else Verdict.WRONG_ANSWER
    message = messages.for_verdict(verdict, suite=suite, detail=reason)
    return TestOutcome(case.name, weight, verdict, message, reason, result.cpu_seconds)


def _run_checker(
    sandbox: Sandbox, package: TaskPackage, case: IoCase, output: str
) -> tuple[bool, str]:
    """The task author's checker, run in the sandbox too: exit 0 accepts, exit 1 rejects."""
    assert package.checker is not None
    result = run(
        sandbox,
        RunRequest(
            argv=[PYTHON, "checker.py", "input.txt", "expected.txt", "output.txt"],
            files=encode(
                {
                    "checker.py": package.checker,
                    "input.txt": case.input,
                    "expected.txt": case.expected,
                    "output.txt": output,
                }
            ),
            limits=Limits(cpu_seconds=10, wall_seconds=20, memory_mb=256),
            env={"PYTHONDONTWRITEBYTECODE": "1"},
        ),
    )
    reason = result.stdout.decode(errors="replace").strip()[:500]
    if result.verdict == Verdict.ACCEPTED:
        return True, reason
    if result.verdict == Verdict.RUNTIME_ERROR and result.exit_code == 1:
        return False, reason
    raise TaskPackageDefect(
        f"{package.id}: checker failed on case {case.name}: {result.verdict} {result.message}"
        f" {tail(result.stderr, 1000)}"
    )


def _compile_java(
    sandbox: Sandbox, manifest: CodingManifest, solution: Mapping[str, str]
) -> dict[str, bytes] | str:
    """Class files keyed by /box path, or the compiler's message when it does not compile."""
    wrapped = run_wrapper(
        sandbox,
        java_compile_script(solution, manifest.memory_mb),
        encode(solution),
        Limits(cpu_seconds=30, wall_seconds=60, memory_mb=max(512, manifest.memory_mb), pids=128),
    )
    sections = wrapped.sections or []
    for section in sections:
        if section.kind == "compile_error":
            return section.payload.decode(errors="replace")
        if section.kind == "classes":
            with zipfile.ZipFile(io.BytesIO(section.payload)) as archive:
                return {f"classes/{n}": archive.read(n) for n in archive.namelist()}
    return f"the compiler did not finish: {wrapped.result.verdict} {wrapped.result.message}"


def _io_compile_error(
    cases: tuple[IoCase, ...], weights: Mapping[str, float], suite: Suite, detail: str
) -> list[TestOutcome]:
    message = messages.for_verdict(Verdict.COMPILE_ERROR, suite=suite, detail=detail)
    return [
        TestOutcome(case.name, weights.get(case.name, 1.0), Verdict.COMPILE_ERROR, message, detail)
        for case in cases
    ]


def _coding(package: TaskPackage) -> CodingManifest:
    assert isinstance(package.manifest, CodingManifest)
    return package.manifest


__all__ = ["grade_io", "grade_unit"]
