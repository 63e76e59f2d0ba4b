"""A Java memory bomb meets the cgroup (memory_limit), not the JVM's own heap limit."""

import pytest

from assay.grading.engine import grade
from assay.grading.sandbox import Verdict

pytestmark = pytest.mark.sandbox

BOMB = """import java.util.ArrayList;
import java.util.List;

public final class FizzBuzz {
    private FizzBuzz() {}

    public static List<String> upTo(int n) {
        List<long[]> hog = new ArrayList<>();
        while (true) hog.add(new long[1 << 20]);
    }
}
"""


def test_java_memory_bomb_is_a_memory_limit(load_task, sandbox):
    fizzbuzz = load_task("tests/fixtures/tasks/java-unit-fizzbuzz", memory_mb=256)
    report = grade(fizzbuzz, {"FizzBuzz.java": BOMB}, language="java", sandbox=sandbox)
    assert report.verdict == Verdict.MEMORY_LIMIT, [t.detail for t in report.tests]
