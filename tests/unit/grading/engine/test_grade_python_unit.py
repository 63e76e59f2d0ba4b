"""End to end: the token bucket package through pytest in the sandbox, and every verdict."""

import textwrap

import pytest

from assay.grading.engine import grade
from assay.grading.sandbox import Verdict

pytestmark = pytest.mark.sandbox

TASK = "content/coding/token-bucket-rate-limiter"
EXACT = "test_token_bucket::test_acquiring_exactly_the_remaining_tokens_succeeds"


@pytest.fixture(scope="module")
def bucket(load_task):
    return load_task(TASK)


@pytest.fixture(scope="module")
def tight(load_task):
    # Same package with a 2 s / 96 MB budget so limit verdicts come quickly.
    return load_task(TASK, time_limit_seconds=2.0, memory_mb=96)


def test_reference_passes_every_hidden_test(bucket, sandbox):
    report = grade(bucket, bucket.reference("python"), language="python", sandbox=sandbox)
    assert report.verdict == Verdict.ACCEPTED, [t.detail for t in report.tests if not t.passed]
    assert report.score == 1.0
    names = {t.name: t.weight for t in report.tests}
    assert names[EXACT] == 2
    assert names["test_token_bucket::test_new_bucket_is_full"] == 1
    assert names["test_token_bucket::test_invalid_configuration_is_rejected[0-1.0]"] == 1
    assert names["performance"] == 2
    assert report.suite_digest == bucket.digest


def test_starter_fails_hidden_tests(bucket, sandbox):
    report = grade(bucket, bucket.starter("python"), language="python", sandbox=sandbox)
    assert report.score == 0.0
    assert report.verdict == Verdict.RUNTIME_ERROR  # NotImplementedError, not an assertion


def test_every_mutant_fails_a_hidden_test(bucket, sandbox):
    failed = {}
    for name, files in bucket.mutants("python").items():
        report = grade(bucket, files, language="python", sandbox=sandbox)
        assert report.verdict != Verdict.ACCEPTED, name
        assert 0 < report.score < 1, name
        failed[name] = {t.name: t.verdict for t in report.tests if not t.passed}
    assert failed["off-by-one-capacity"][EXACT] == Verdict.WRONG_ANSWER
    assert "test_token_bucket::test_refill_keeps_fractional_tokens" in failed["integer-refill"]
    assert "test_token_bucket::test_refill_never_exceeds_capacity" in failed["uncapped-refill"]
    # Functionally right but too slow: only the performance test catches it.
    assert failed["fraction-arithmetic"] == {"performance": Verdict.TIME_LIMIT}


def test_sample_suite_shows_details_hidden_does_not(bucket, sandbox):
    mutant = bucket.mutants("python")["off-by-one-capacity"]
    sample = grade(bucket, mutant, language="python", suite="sample", sandbox=sandbox)
    failing = next(t for t in sample.tests if not t.passed)
    assert failing.name == "test_sample::test_tokens_run_out_then_refill"
    assert "assert" in failing.message  # the candidate can see sample tests anyway
    hidden = grade(bucket, mutant, language="python", sandbox=sandbox)
    for test in hidden.tests:
        assert "assert" not in test.message
        assert "rate_limiter" not in test.message


def solution(code):
    return {"rate_limiter.py": code}


def test_syntax_error_is_a_compile_error(tight, sandbox):
    report = grade(
        tight, solution("class TokenBucket(:\n"), language="python", suite="sample", sandbox=sandbox
    )
    assert report.verdict == Verdict.COMPILE_ERROR
    assert report.score == 0.0
    assert "SyntaxError" in report.tests[0].message  # sample suite: the compiler's words


def test_compile_error_lists_weighted_hidden_tests(tight, sandbox):
    report = grade(tight, solution("def (\n"), language="python", sandbox=sandbox)
    assert report.verdict == Verdict.COMPILE_ERROR
    assert EXACT in {t.name for t in report.tests}
    assert "SyntaxError" not in report.tests[0].message


def test_infinite_loop_is_time_limit(tight, sandbox):
    report = grade(
        tight,
        solution("while True:\n    pass\n"),
        language="python",
        suite="sample",
        sandbox=sandbox,
    )
    assert report.verdict == Verdict.TIME_LIMIT


def test_memory_hog_is_memory_limit(tight, sandbox):
    hog = "blocks = []\nwhile True:\n    blocks.append(bytearray(8 << 20))\n"
    report = grade(tight, solution(hog), language="python", suite="sample", sandbox=sandbox)
    assert report.verdict == Verdict.MEMORY_LIMIT


def test_killing_the_runner_is_a_runtime_error(tight, sandbox):
    report = grade(
        tight,
        solution("import os\nos._exit(0)\n"),
        language="python",
        suite="sample",
        sandbox=sandbox,
    )
    assert report.verdict == Verdict.RUNTIME_ERROR
    assert report.score == 0.0


def test_a_forged_report_is_not_believed(tight, sandbox):
    forged = textwrap.dedent(
        """
        import os
        xml = (b'<testsuites><testsuite name="pytest"><testcase classname="tests.test_sample"'
               b' name="test_new_bucket_is_full" file="tests/test_sample.py"/>'
               b'</testsuite></testsuites>')
        for path in ('/proc/self/fd/3', f'/proc/{os.getppid()}/fd/3'):
            try:
                fd = os.open(path, os.O_WRONLY)
                os.write(fd, b'guess\\njunit - %d\\n' % len(xml) + xml)
            except OSError:
                pass
        os._exit(0)
        """
    )
    report = grade(tight, solution(forged), language="python", suite="sample", sandbox=sandbox)
    assert report.score == 0.0
    assert report.verdict == Verdict.RUNTIME_ERROR


def test_submitted_extra_files_never_join_the_run(bucket, sandbox):
    files = {
        **bucket.reference("python"),
        "conftest.py": (
            "import pytest\n@pytest.hookimpl\ndef pytest_collection_modifyitems(items):\n"
            "    items.clear()\n"
        ),
        "tests/test_sample.py": "def test_nothing():\n    pass\n",
    }
    files["rate_limiter.py"] = bucket.starter("python")["rate_limiter.py"]
    report = grade(bucket, files, language="python", suite="sample", sandbox=sandbox)
    assert report.score == 0.0
    assert {t.name for t in report.tests} == {
        "test_sample::test_new_bucket_is_full",
        "test_sample::test_tokens_run_out_then_refill",
        "test_sample::test_invalid_capacity_is_rejected",
    }
