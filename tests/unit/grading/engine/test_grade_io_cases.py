"""io tasks: stdin in, stdout compared; the author's checker runs in the sandbox too."""

import pytest

from assay.grading.engine import grade
from assay.grading.sandbox import Verdict

pytestmark = pytest.mark.sandbox

PAIR_SUM = "tests/fixtures/tasks/py-io-pair-sum"
LINE_SUMS = "tests/fixtures/tasks/io-line-sums"


@pytest.fixture(scope="module")
def pair_sum(load_task):
    return load_task(PAIR_SUM)


@pytest.fixture(scope="module")
def line_sums(load_task):
    return load_task(LINE_SUMS, time_limit_seconds=1.0)


def test_checker_accepts_any_valid_answer(pair_sum, sandbox):
    report = grade(pair_sum, pair_sum.reference("python"), language="python", sandbox=sandbox)
    assert report.verdict == Verdict.ACCEPTED
    # Answers the last valid pair, not the expected file's first: the checker decides.
    last_pair = (
        "import sys\n"
        "n, target, *values = map(int, sys.stdin.read().split())\n"
        "pairs = [(i, j) for j in range(n) for i in range(j) if values[i] + values[j] == target]\n"
        "print(*pairs[-1]) if pairs else print(-1)\n"
    )
    other = grade(pair_sum, {"main.py": last_pair}, language="python", sandbox=sandbox)
    assert other.verdict == Verdict.ACCEPTED, [t.detail for t in other.tests]


def test_checker_rejects_and_weights_count(pair_sum, sandbox):
    report = grade(
        pair_sum, pair_sum.mutants("python")["off-by-one"], language="python", sandbox=sandbox
    )
    verdicts = {t.name: (t.verdict, t.weight) for t in report.tests}
    assert verdicts == {
        "big": (Verdict.WRONG_ANSWER, 2),
        "last": (Verdict.WRONG_ANSWER, 1),
        "many": (Verdict.ACCEPTED, 1),
        "none": (Verdict.ACCEPTED, 1),
    }
    assert report.score == 0.4


def test_python_io_verdicts(line_sums, sandbox):
    def verdict_of(code):
        return grade(
            line_sums, {"main.py": code}, language="python", suite="sample", sandbox=sandbox
        ).verdict

    assert verdict_of(line_sums.reference("python")["main.py"]) == Verdict.ACCEPTED
    assert verdict_of("print(4)\n") == Verdict.WRONG_ANSWER
    assert verdict_of("def broken(:\n") == Verdict.COMPILE_ERROR
    assert verdict_of("raise SystemExit(3)\n") == Verdict.RUNTIME_ERROR
    assert verdict_of("while True:\n    pass\n") == Verdict.TIME_LIMIT
    assert verdict_of("import sys\nwhile True:\n    sys.stdout.write('x' * 65536)\n") == (
        Verdict.OUTPUT_LIMIT
    )


def test_node_io(line_sums, sandbox):
    report = grade(line_sums, line_sums.reference("node"), language="node", sandbox=sandbox)
    assert report.verdict == Verdict.ACCEPTED
    minus = grade(line_sums, line_sums.mutants("node")["minus"], language="node", sandbox=sandbox)
    assert minus.verdict == Verdict.WRONG_ANSWER
    broken = grade(
        line_sums, {"main.js": "const = ;\n"}, language="node", suite="sample", sandbox=sandbox
    )
    assert broken.verdict == Verdict.COMPILE_ERROR


def test_java_io_compiles_once_then_runs_each_case(line_sums, sandbox):
    report = grade(line_sums, line_sums.reference("java"), language="java", sandbox=sandbox)
    assert report.verdict == Verdict.ACCEPTED, [t.detail for t in report.tests]
    crash = grade(line_sums, line_sums.mutants("java")["crash"], language="java", sandbox=sandbox)
    assert crash.verdict == Verdict.RUNTIME_ERROR
    broken = grade(
        line_sums,
        {"Main.java": "public class Main {"},
        language="java",
        suite="sample",
        sandbox=sandbox,
    )
    assert broken.verdict == Verdict.COMPILE_ERROR
    assert "Main.java" in broken.tests[0].message
