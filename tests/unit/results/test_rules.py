"""Item scoring rules: choice keys, partial credit, code review matching, rubrics, tests."""

from __future__ import annotations

import math

import pytest

from assay.content.schemas import ChoiceItem, CodeReviewTask, FreeTextTask
from assay.delivery.content import _library_items
from assay.results import rules


def _first(kind: type, **where: object) -> object:
    for item, _path in _library_items().values():
        if isinstance(item, kind) and all(getattr(item, k) == v for k, v in where.items()):
            return item
    pytest.skip(f"no {kind.__name__} {where} in the library")


def test_single_choice_is_one_for_exactly_the_key() -> None:
    item = _first(ChoiceItem, mode="single")
    assert isinstance(item, ChoiceItem)
    wrong = next(o.id for o in item.options if not o.correct)
    assert rules.score_choice(item, item.keys).score == 1.0
    assert rules.score_choice(item, [wrong]).score == 0.0
    assert rules.score_choice(item, [*item.keys, wrong]).score == 0.0
    assert rules.score_choice(item, []).category == 0


def test_multiple_choice_is_right_minus_wrong_floored_at_zero() -> None:
    item = _first(ChoiceItem, mode="multiple")
    assert isinstance(item, ChoiceItem)
    keys = item.keys
    wrong = [o.id for o in item.options if not o.correct]
    k = len(keys)
    full = rules.score_choice(item, keys)
    assert (full.score, full.category, full.categories) == (1.0, k, k + 1)
    one_each = rules.score_choice(item, [keys[0], wrong[0]])
    assert one_each.score == 0.0
    assert one_each.evidence["right"] == [keys[0]]
    assert one_each.evidence["wrong"] == [wrong[0]]
    if k >= 2:
        assert rules.score_choice(item, [keys[0]]).score == pytest.approx(1 / k)
    everything = rules.score_choice(item, [o.id for o in item.options])
    assert everything.score == max(k - len(wrong), 0) / k


def test_code_review_matches_marks_within_the_line_tolerance() -> None:
    task = _first(CodeReviewTask)
    assert isinstance(task, CodeReviewTask)
    tol = task.line_tolerance

    def isolated(defect: object) -> bool:
        # No other defect within reach of a mark near this one, so one mark finds one defect.
        return all(
            other is defect
            or other.file != defect.file
            or other.lines[0] > defect.lines[1] + 2 * tol + 1
            or other.lines[1] < defect.lines[0] - 2 * tol - 1
            for other in task.defects
        )

    alone = [d for d in task.defects if isolated(d)]
    if len(alone) < 2:
        pytest.skip("no two isolated defects")
    first, second = alone[0], alone[1]
    near = {"file": first.file, "line": first.lines[1] + tol, "text": "missing check"}
    far = {"file": first.file, "line": first.lines[1] + tol + 500, "text": "style"}
    wrong_file = {"file": "nowhere.py", "line": first.lines[0], "text": "?"}
    outcome = rules.score_code_review(task, [near, far, wrong_file])
    n = len(task.defects)
    recall, precision = 1 / n, 1 / 3
    assert outcome.evidence["recall"] == pytest.approx(recall, abs=1e-4)
    assert outcome.evidence["precision"] == pytest.approx(precision, abs=1e-4)
    assert outcome.score == pytest.approx(5 * precision * recall / (4 * precision + recall))
    found = {d["id"]: d["found"] for d in outcome.evidence["defects"]}
    assert found[first.id] is True
    assert found[second.id] is False
    assert outcome.evidence["comments"][0]["matched"][0] == first.id
    both = rules.score_code_review(
        task,
        [
            {"file": first.file, "line": first.lines[0] - tol, "text": "a"},
            {"file": second.file, "line": second.lines[0], "text": "b"},
        ],
    )
    assert both.evidence["precision"] == 1.0
    assert both.evidence["recall"] == pytest.approx(2 / n, abs=1e-4)
    assert rules.score_code_review(task, []).score == 0.0


def test_work_sample_is_the_weighted_share_and_pending_until_graded() -> None:
    pending = rules.score_work_sample(None)
    assert pending.pending
    graded = rules.score_work_sample(
        {
            "score": 0.75,
            "verdict": "wrong_answer",
            "tests": [
                {"name": "basic", "weight": 3, "passed": True, "verdict": "accepted"},
                {"name": "performance", "weight": 1, "passed": False, "verdict": "time_limit"},
            ],
        }
    )
    assert graded.score == 0.75
    assert graded.category == 3
    assert [t["name"] for t in graded.evidence["tests"]] == ["basic", "performance"]


def test_free_text_needs_the_required_reviews_and_averages_rubric_shares() -> None:
    task = _first(FreeTextTask)
    assert isinstance(task, FreeTextTask)
    top = {c.id: max(level.score for level in c.levels) for c in task.rubric}
    zero = {c.id: 0 for c in task.rubric}
    one = rules.score_free_text(task, [{"levels": top}], required=2)
    assert one.pending
    two = rules.score_free_text(task, [{"levels": top}, {"levels": zero}], required=2)
    assert not two.pending
    assert math.isclose(two.score, 0.5)
    adjudicated = rules.score_free_text(
        task,
        [{"levels": top}, {"levels": zero}, {"levels": top, "adjudication": True}],
        required=2,
    )
    assert adjudicated.score == 1.0
