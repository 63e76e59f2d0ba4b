"""A Node memory bomb is a memory_limit, whether the cgroup or V8's own heap limit stops it."""

from collections.abc import Callable

import pytest

from assay.grading.engine import grade
from assay.grading.packages import Language, TaskPackage
from assay.grading.sandbox import Sandbox, Verdict

pytestmark = pytest.mark.sandbox

IO_TASK = "tests/fixtures/tasks/io-line-sums"
UNIT_TASK = "tests/fixtures/tasks/node-unit-slugify"

IO_BOMB = """const hog = [];
while (true) hog.push(new Array(1 << 20).fill(1.5));
"""

# What V8 leaves when it gives up on its heap: the marker on stderr, then abort().
V8_HEAP_ABORT = """process.stderr.write(
  "FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory\\n");
process.abort();
"""

PLAIN_ABORT = "process.abort();\n"

UNIT_BOMB = """function slugify(title) {
  const hog = [];
  while (true) hog.push(new Array(1 << 20).fill(title.length + 0.5));
}

module.exports = { slugify };
"""


def test_node_io_memory_bomb_is_a_memory_limit(
    load_task: Callable[..., TaskPackage], sandbox: Sandbox
) -> None:
    sums = load_task(IO_TASK)
    report = grade(sums, {"main.js": IO_BOMB}, language="node", sandbox=sandbox)
    assert report.verdict == Verdict.MEMORY_LIMIT, [t.detail for t in report.tests]
    assert report.score == 0


def test_node_io_reference_is_still_accepted(
    load_task: Callable[..., TaskPackage], sandbox: Sandbox
) -> None:
    sums = load_task(IO_TASK)
    reference = sums.languages[Language.NODE].reference
    report = grade(sums, reference, language="node", sandbox=sandbox)
    assert report.verdict == Verdict.ACCEPTED, [t.detail for t in report.tests]
    assert report.score == 1


def test_node_io_v8_heap_abort_is_a_memory_limit(
    load_task: Callable[..., TaskPackage], sandbox: Sandbox
) -> None:
    sums = load_task(IO_TASK)
    report = grade(sums, {"main.js": V8_HEAP_ABORT}, language="node", sandbox=sandbox)
    assert report.verdict == Verdict.MEMORY_LIMIT, [t.detail for t in report.tests]
    assert report.tests[0].message.startswith("Failed: the memory limit was exceeded.")


def test_node_io_abort_without_the_heap_marker_is_a_runtime_error(
    load_task: Callable[..., TaskPackage], sandbox: Sandbox
) -> None:
    sums = load_task(IO_TASK)
    report = grade(sums, {"main.js": PLAIN_ABORT}, language="node", sandbox=sandbox)
    assert report.verdict == Verdict.RUNTIME_ERROR, [t.detail for t in report.tests]


def test_node_unit_memory_bomb_is_a_memory_limit(
    load_task: Callable[..., TaskPackage], sandbox: Sandbox
) -> None:
    # Under node:test each process has half the limit, so V8 aborts before the cgroup acts.
    slugify = load_task(UNIT_TASK)
    report = grade(slugify, {"slugify.js": UNIT_BOMB}, language="node", sandbox=sandbox)
    assert report.verdict == Verdict.MEMORY_LIMIT, [t.detail for t in report.tests]
    assert report.score == 0


def test_node_unit_reference_is_still_accepted(
    load_task: Callable[..., TaskPackage], sandbox: Sandbox
) -> None:
    slugify = load_task(UNIT_TASK)
    reference = slugify.languages[Language.NODE].reference
    report = grade(slugify, reference, language="node", sandbox=sandbox)
    assert report.verdict == Verdict.ACCEPTED, [t.detail for t in report.tests]
