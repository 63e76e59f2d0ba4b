"""Item scoring rules: one answer and its grading evidence in, a 0..1 score and evidence out.

Pure functions, no database: the service feeds them the library item, the saved answer and
the grading result, and stores what they return. The rules are documented in docs/scoring.md.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from assay.content.schemas import ChoiceItem, CodeReviewTask, FreeTextTask

# Work samples and code reviews score on a continuous 0..1 scale; for the graded response
# model they are binned into this many ordered categories (0, ¼, ½, ¾, 1 → 0..4).
CONTINUOUS_CATEGORIES = 5
# A code review is scored by the F-score with β = 2: finding the planted defects (recall)
# counts four times as much as staying quiet elsewhere (precision), because a real reviewer
# also comments on things nobody planted.
REVIEW_BETA = 2.0


@dataclass(frozen=True)
class ItemOutcome:
    """What one answer earned: a share of the item's credit, its IRT category and evidence."""

    score: float
    category: int
    categories: int
    evidence: dict[str, Any] = field(default_factory=dict)
    pending: bool = False


def _binned(score: float) -> int:
    return round(score * (CONTINUOUS_CATEGORIES - 1))


def score_choice(item: ChoiceItem, selected: Sequence[str]) -> ItemOutcome:
    """Single: 1 for exactly the key. Multiple: right minus wrong, floored at 0, out of k."""
    keys = set(item.keys)
    picked = set(selected)
    right = sorted(picked & keys)
    wrong = sorted(picked - keys)
    evidence: dict[str, Any] = {
        "selected": sorted(picked),
        "keys": sorted(keys),
        "right": right,
        "wrong": wrong,
    }
    if item.mode == "single":
        correct = picked == keys
        return ItemOutcome(float(correct), int(correct), 2, evidence)
    points = max(len(right) - len(wrong), 0)
    evidence["points"] = points
    evidence["max_points"] = len(keys)
    return ItemOutcome(points / len(keys), points, len(keys) + 1, evidence)


def score_work_sample(grading: Mapping[str, Any] | None) -> ItemOutcome:
    """The weighted share of hidden tests passed (performance tests are tests too).

    ``grading`` is the latest grading result as {"score", "verdict", "tests"}; None while the
    submission waits for a worker (the item is pending, not zero).
    """
    if grading is None:
        return ItemOutcome(0.0, 0, CONTINUOUS_CATEGORIES, {"tests": []}, pending=True)
    score = min(max(float(grading["score"]), 0.0), 1.0)
    tests = [
        {
            "name": test.get("name"),
            "weight": test.get("weight"),
            "passed": bool(test.get("passed")),
            "verdict": test.get("verdict"),
            "message": test.get("message", ""),
        }
        for test in grading.get("tests", [])
    ]
    evidence = {"verdict": grading.get("verdict"), "tests": tests}
    return ItemOutcome(score, _binned(score), CONTINUOUS_CATEGORIES, evidence)


def _matches(defect: Any, comment: Mapping[str, Any], tolerance: int) -> bool:
    start, end = defect.lines
    line = comment.get("line")
    return (
        comment.get("file") == defect.file
        and isinstance(line, int)
        and start - tolerance <= line <= end + tolerance
    )


def score_code_review(task: CodeReviewTask, comments: Sequence[Mapping[str, Any]]) -> ItemOutcome:
    """Match review comments to planted defects within ``line_tolerance``; score F₂.

    A defect is found when at least one comment on its file lies within its line range widened
    by the tolerance; a comment is on target when it lies near at least one defect. Recall =
    defects found / defects planted; precision = comments on target / comments; the score is
    (1 + β²)·P·R / (β²·P + R) with β = 2, and 0 without comments.
    """
    tolerance = task.line_tolerance
    found: list[dict[str, Any]] = [
        {
            "id": defect.id,
            "file": defect.file,
            "lines": list(defect.lines),
            "category": defect.category,
            "severity": defect.severity,
            "description": defect.description,
            "found": any(_matches(defect, comment, tolerance) for comment in comments),
        }
        for defect in task.defects
    ]
    marks = [
        {
            "file": comment.get("file"),
            "line": comment.get("line"),
            "text": str(comment.get("text", ""))[:2000],
            "matched": [d.id for d in task.defects if _matches(d, comment, tolerance)],
        }
        for comment in comments
    ]
    recall = sum(d["found"] for d in found) / len(found)
    precision = sum(bool(m["matched"]) for m in marks) / len(marks) if marks else 0.0
    beta2 = REVIEW_BETA**2
    denominator = beta2 * precision + recall
    score = (1 + beta2) * precision * recall / denominator if denominator > 0 else 0.0
    evidence = {
        "recall": round(recall, 4),
        "precision": round(precision, 4),
        "f_score": round(score, 4),
        "line_tolerance": tolerance,
        "defects": found,
        "comments": marks,
    }
    return ItemOutcome(score, _binned(score), CONTINUOUS_CATEGORIES, evidence)


def rubric_share(task: FreeTextTask, levels: Mapping[str, int]) -> float:
    """One reviewer's weighted share of the rubric's top levels, 0..1."""
    total = earned = 0.0
    for criterion in task.rubric:
        top = max(level.score for level in criterion.levels)
        total += criterion.weight
        earned += criterion.weight * min(max(levels.get(criterion.id, 0), 0), top) / top
    return earned / total if total else 0.0


def score_free_text(
    task: FreeTextTask,
    reviews: Sequence[Mapping[str, Any]],
    *,
    required: int,
    awaiting_adjudication: bool = False,
) -> ItemOutcome:
    """The mean of the reviewers' rubric shares; pending until ``required`` reviews are in.

    ``reviews`` are {"levels": {criterion: level}, "comments": {...}, "adjudication": bool}.
    When an adjudicator has reviewed, their levels decide the item; while the answer waits for
    an adjudicator (``awaiting_adjudication``) it stays pending: the mean of two reviews that
    disagree is not a score.
    """
    criteria = [
        {
            "id": c.id,
            "title": c.title,
            "weight": c.weight,
            "levels": {str(level.score): level.label for level in c.levels},
        }
        for c in task.rubric
    ]
    evidence: dict[str, Any] = {"criteria": criteria, "reviews": list(reviews)}
    adjudicated = [r for r in reviews if r.get("adjudication")]
    counted = adjudicated or [r for r in reviews if not r.get("adjudication")]
    if awaiting_adjudication and not adjudicated:
        evidence["awaiting_adjudication"] = True
        return ItemOutcome(0.0, 0, CONTINUOUS_CATEGORIES, evidence, pending=True)
    if len(counted) < (1 if adjudicated else required):
        return ItemOutcome(0.0, 0, CONTINUOUS_CATEGORIES, evidence, pending=True)
    shares = [rubric_share(task, r["levels"]) for r in counted]
    score = math.fsum(shares) / len(shares)
    evidence["shares"] = [round(s, 4) for s in shares]
    return ItemOutcome(score, _binned(score), CONTINUOUS_CATEGORIES, evidence)


def unanswered(categories: int) -> ItemOutcome:
    """An item shown and left without an answer scores 0 (as in docs/scoring.md)."""
    return ItemOutcome(0.0, 0, categories, {"answered": False})
