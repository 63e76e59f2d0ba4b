"""Scores, overall verdicts, the report's JSON shape and the fd-3 report protocol."""

from assay.grading.engine import GradeReport, TestOutcome
from assay.grading.engine.execution import read_sections
from assay.grading.sandbox import Verdict


def outcome(name, weight, verdict):
    return TestOutcome(name, weight, verdict, message="m")


def report(*tests):
    return GradeReport(
        task="t", version=1, language="python", suite="hidden", suite_digest="d", tests=tests
    )


def test_score_is_the_weighted_share_passed():
    graded = report(
        outcome("a", 3, Verdict.ACCEPTED),
        outcome("b", 1, Verdict.WRONG_ANSWER),
        outcome("c", 1, Verdict.ACCEPTED),
    )
    assert graded.score == 0.8
    assert graded.verdict == Verdict.WRONG_ANSWER


def test_all_passed_is_accepted():
    graded = report(outcome("a", 1, Verdict.ACCEPTED), outcome("b", 2, Verdict.ACCEPTED))
    assert graded.verdict == Verdict.ACCEPTED
    assert graded.score == 1.0


def test_verdict_is_the_first_failing_tests():
    graded = report(
        outcome("a", 1, Verdict.ACCEPTED),
        outcome("b", 1, Verdict.TIME_LIMIT),
        outcome("c", 1, Verdict.WRONG_ANSWER),
    )
    assert graded.verdict == Verdict.TIME_LIMIT


def test_nothing_to_pass_scores_zero():
    assert report().score == 0.0
    assert report().verdict == Verdict.WRONG_ANSWER


def test_json_shape():
    data = report(outcome("a", 2, Verdict.RUNTIME_ERROR)).to_dict()
    assert data == {
        "task": "t",
        "score": 0.0,
        "verdict": "runtime_error",
        "tests": [
            {"name": "a", "weight": 2, "verdict": "runtime_error", "passed": False, "message": "m"}
        ],
    }


def test_sections_need_the_token_and_exact_lengths():
    good = b"tok\njunit - 3\nabccompile_error - 0\n"
    sections = read_sections(good, "tok")
    assert sections is not None
    assert [(s.kind, s.label, s.payload) for s in sections] == [
        ("junit", "-", b"abc"),
        ("compile_error", "-", b""),
    ]
    assert read_sections(good, "other") is None  # forged: wrong token
    assert read_sections(b"", "tok") is None  # nothing reported
    assert read_sections(b"tok\njunit - 10\nabc", "tok") is None  # cut short
    assert read_sections(b"tok\njunit - 3\nabcgarbage", "tok") is None  # trailing junk
    assert read_sections(b"tok\n", "tok") == []
