"""Unit tests in the languages' own runners: node:test and JUnit 5, reported as JUnit XML."""

import pytest

from assay.grading.engine import grade
from assay.grading.sandbox import Verdict

pytestmark = pytest.mark.sandbox


@pytest.fixture(scope="module")
def slugify(load_task):
    return load_task("tests/fixtures/tasks/node-unit-slugify")


@pytest.fixture(scope="module")
def fizzbuzz(load_task):
    return load_task("tests/fixtures/tasks/java-unit-fizzbuzz")


def test_node_reference_and_names(slugify, sandbox):
    report = grade(slugify, slugify.reference("node"), language="node", sandbox=sandbox)
    assert report.verdict == Verdict.ACCEPTED
    assert {t.name: t.weight for t in report.tests} == {
        "edge.test::empty title": 1,
        "slugify.test::slugify::lowercases": 2,
        "slugify.test::slugify::collapses separators": 1,
        "slugify.test::slugify::trims dashes": 1,
    }


def test_node_mutant_and_starter(slugify, sandbox):
    mutant = grade(
        slugify, slugify.mutants("node")["no-lowercase"], language="node", sandbox=sandbox
    )
    assert mutant.verdict == Verdict.WRONG_ANSWER
    assert mutant.score == pytest.approx(3 / 5)  # weights 2 + 1 + 1 + 1
    starter = grade(slugify, slugify.starter("node"), language="node", sandbox=sandbox)
    assert starter.verdict == Verdict.RUNTIME_ERROR
    assert starter.score == 0


def test_java_reference_mutant_and_compile_error(fizzbuzz, sandbox):
    reference = grade(fizzbuzz, fizzbuzz.reference("java"), language="java", sandbox=sandbox)
    assert reference.verdict == Verdict.ACCEPTED, [t.detail for t in reference.tests]
    assert {t.name for t in reference.tests} == {
        "FizzBuzzTest::fifteenIsFizzBuzz",
        "FizzBuzzTest::lengthIsN",
        "FizzBuzzTest::fiveIsBuzz",
    }
    mutant = grade(
        fizzbuzz, fizzbuzz.mutants("java")["no-fizzbuzz"], language="java", sandbox=sandbox
    )
    assert mutant.verdict == Verdict.WRONG_ANSWER
    assert mutant.score == pytest.approx(2 / 4)
    broken = grade(
        fizzbuzz,
        {"FizzBuzz.java": "public final class FizzBuzz {"},
        language="java",
        sandbox=sandbox,
    )
    assert broken.verdict == Verdict.COMPILE_ERROR
    assert "FizzBuzzTest::fifteenIsFizzBuzz" in {t.name for t in broken.tests}
