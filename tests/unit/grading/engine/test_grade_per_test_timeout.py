"""Per-test timeouts: a looping test fails alone, as time_limit; the others keep their results."""

import pytest

from assay.grading.engine import grade, messages
from assay.grading.engine.coding import per_test_timeout
from assay.grading.sandbox import Verdict

pytestmark = pytest.mark.sandbox

FIXTURES = "tests/fixtures/tasks"


def test_per_test_timeout_is_half_the_limit_and_at_least_two_seconds():
    assert per_test_timeout(10) == 5
    assert per_test_timeout(5) == 3
    assert per_test_timeout(2) == 2


@pytest.mark.parametrize(
    ("task", "language", "looping", "passing"),
    [
        (
            "py-unit-countdown",
            "python",
            "test_countdown::test_countdown_reaches_zero",
            {
                "test_countdown::test_total_of_a_few_numbers",
                "test_countdown::test_total_of_nothing",
            },
        ),
        (
            # A synchronous loop blocks its file's event loop: node times out the whole file,
            # and the engine runs the file's tests one by one to name the one that loops.
            "node-unit-countdown",
            "node",
            "countdown.test::counts down to zero",
            {"total.test::totals a few numbers", "total.test::totals nothing"},
        ),
        (
            # The looping test shares its file with passing ones: each is then run on its own.
            "node-unit-one-file",
            "node",
            "countdown.test::counts down to zero",
            {
                "countdown.test::total::totals a few numbers (1 + 2 + 3)",
                "countdown.test::total::totals nothing",
            },
        ),
        (
            "java-unit-countdown",
            "java",
            "CountdownTest::countdownReachesZero",
            {"CountdownTest::totalOfAFewNumbers", "CountdownTest::totalOfNothing"},
        ),
    ],
)
def test_only_the_looping_test_hits_the_time_limit(
    load_task, sandbox, task, language, looping, passing
):
    package = load_task(f"{FIXTURES}/{task}")
    solution = package.mutants(language)["loops-forever"]
    report = grade(package, solution, language=language, sandbox=sandbox)
    by_name = {t.name: t for t in report.tests}
    assert set(by_name) == {looping, *passing}, [(t.name, t.detail[:200]) for t in report.tests]
    assert by_name[looping].verdict == Verdict.TIME_LIMIT, by_name[looping].detail
    assert by_name[looping].message == messages.for_verdict(Verdict.TIME_LIMIT, suite="hidden")
    assert all(by_name[name].verdict == Verdict.ACCEPTED for name in passing)
    assert report.verdict == Verdict.TIME_LIMIT
    assert report.score == pytest.approx(3 / 4)  # the passing tests weigh 2 + 1 of 4


@pytest.mark.parametrize(
    ("task", "language"),
    [
        ("py-unit-countdown", "python"),
        ("node-unit-countdown", "node"),
        ("node-unit-one-file", "node"),
        ("java-unit-countdown", "java"),
    ],
)
def test_reference_passes_with_the_timeout_in_place(load_task, sandbox, task, language):
    package = load_task(f"{FIXTURES}/{task}")
    report = grade(package, package.reference(language), language=language, sandbox=sandbox)
    assert report.verdict == Verdict.ACCEPTED, [t.detail for t in report.tests if not t.passed]
    assert report.score == 1.0


def test_when_every_node_test_loops_only_the_first_few_are_run_alone(load_task, sandbox):
    package = load_task(f"{FIXTURES}/node-unit-all-loop")
    solution = package.mutants("node")["loops-forever"]
    report = grade(package, solution, language="node", sandbox=sandbox)
    verdicts = [(t.name, t.verdict) for t in report.tests]
    timed_out = [(f"countdown.test::counts down from {n}", Verdict.TIME_LIMIT) for n in (1, 2, 3)]
    not_run = [(f"countdown.test::counts down from {n}", Verdict.RUNTIME_ERROR) for n in (4, 5)]
    assert verdicts == timed_out + not_run
    assert all(t.message == messages.NOT_RUN for t in report.tests[3:])
    assert report.score == 0
