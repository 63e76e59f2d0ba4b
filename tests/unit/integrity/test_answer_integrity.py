"""Answer copying between candidates and responses too fast to have been read."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from assay.integrity.answers import (
    TimedResponse,
    answer_copying,
    poisson_binomial_tail,
    reading_threshold,
    response_time_effort,
    too_fast,
)

OPTIONS = ["a", "b", "c", "d"]


def cohort(candidates: int = 60, items: int = 40, seed: int = 11) -> tuple[dict, dict]:
    """Independent candidates of varied ability; distractors of uneven popularity."""
    rng = np.random.default_rng(seed)
    key = {f"q{i:02d}": "a" for i in range(items)}
    difficulty = rng.normal(0, 1, items)
    popularity = rng.dirichlet([1.0, 1.0, 1.0], items)
    answers: dict[str, dict[str, str]] = {}
    for c in range(candidates):
        ability = rng.normal(0, 1)
        row = {}
        for i, item in enumerate(key):
            if rng.random() < 1 / (1 + np.exp(-(ability - difficulty[i]))):
                row[item] = "a"
            else:
                row[item] = str(rng.choice(["b", "c", "d"], p=popularity[i]))
        answers[f"cand-{c:02d}"] = row
    return answers, key


def test_a_copier_is_flagged_and_independent_candidates_are_not() -> None:
    answers, key = cohort()
    # The weakest candidate is the one a copier gains from, and leaves the most wrong answers.
    weakest = max(answers, key=lambda c: sum(answers[c][i] != key[i] for i in key))
    copier_id = "cand-31" if weakest != "cand-31" else "cand-32"
    copier = dict(answers[copier_id])
    for item in list(key)[:30]:
        copier[item] = answers[weakest][item]  # copied 30 of 40 answers, wrong ones included
    answers[copier_id] = copier
    pairs = answer_copying(answers, key)
    flagged = [(p.a, p.b) for p in pairs if p.flagged]
    assert flagged == [tuple(sorted((weakest, copier_id)))]
    top = pairs[0]
    assert top.identical_wrong > top.expected_identical_wrong * 2
    assert top.p_value < 1e-6


def test_sharing_a_popular_distractor_is_weaker_evidence_than_a_rare_one() -> None:
    # 8 items; on each, 40 of 50 other candidates who err pick "b", a few pick "c" or "d".
    items = [f"q{i}" for i in range(8)]
    key = dict.fromkeys(items, "a")
    answers: dict[str, dict[str, str]] = {}
    for c in range(50):
        answers[f"other-{c:02d}"] = dict.fromkeys(
            items, "b" if c < 40 else ("c" if c < 45 else "d")
        )
    answers["x"] = dict.fromkeys(items, "b")
    answers["y"] = dict.fromkeys(items, "b")  # the same popular distractor 8 times
    answers["u"] = dict.fromkeys(items, "d")
    answers["v"] = dict.fromkeys(items, "d")  # the same rare distractor 8 times
    by_pair = {(p.a, p.b): p for p in answer_copying(answers, key, min_identical_wrong=8)}
    popular, rare = by_pair[("x", "y")], by_pair[("u", "v")]
    assert popular.identical_wrong == rare.identical_wrong == 8
    assert rare.p_value < popular.p_value / 1000
    assert rare.flagged
    assert not popular.flagged


def test_right_answers_and_omissions_are_no_evidence() -> None:
    key = {f"q{i}": "a" for i in range(20)}
    answers = {f"c{i}": dict(key) for i in range(5)}  # everyone right
    answers["blank"] = {}
    assert answer_copying(answers, key, min_identical_wrong=1) == []


def test_multiple_mode_answers_compare_as_sets() -> None:
    key = {f"q{i}": frozenset({"a", "b"}) for i in range(6)}
    answers = {f"c{i}": {item: frozenset({"a", "b"}) for item in key} for i in range(10)}
    answers["x"] = {item: frozenset({"a", "c", "d"}) for item in key}
    answers["y"] = {item: frozenset({"d", "c", "a"}) for item in key}
    pairs = answer_copying(answers, key)
    assert [(p.a, p.b, p.identical_wrong) for p in pairs] == [("x", "y", 6)]


def test_bad_arguments_are_refused() -> None:
    with pytest.raises(ValueError, match="alpha"):
        answer_copying({}, {}, alpha=0)
    with pytest.raises(ValueError, match="distractors"):
        answer_copying({"a": {"q": "b"}, "b": {"q": "c"}}, {"q": "a"}, distractors={"q": 1})


def test_poisson_binomial_tail_matches_enumeration() -> None:
    probabilities = [0.1, 0.5, 0.25, 0.9, 0.05]
    for at_least in range(7):
        exact = 0.0
        for outcome in itertools.product([0, 1], repeat=len(probabilities)):
            if sum(outcome) >= at_least:
                weight = 1.0
                for hit, p in zip(outcome, probabilities, strict=True):
                    weight *= p if hit else 1 - p
                exact += weight
        assert poisson_binomial_tail(probabilities, at_least) == pytest.approx(exact)


def test_responses_faster_than_reading_are_flagged() -> None:
    responses = [
        TimedResponse("short", seconds=3.0, expected_seconds=60, words=10, correct=True),
        TimedResponse("long", seconds=9.0, expected_seconds=60, words=150, correct=True),
        TimedResponse("read", seconds=40.0, expected_seconds=60, words=150, correct=False),
    ]
    # short: 10% of 60 s = 6 s beats 10 words at 600 wpm; long: 150 words need 15 s.
    assert reading_threshold(responses[0]) == pytest.approx(6.0)
    assert reading_threshold(responses[1]) == pytest.approx(15.0)
    rushed = too_fast(responses)
    assert [(r.item_id, r.correct) for r in rushed] == [("short", True), ("long", True)]
    assert response_time_effort(responses) == pytest.approx(1 / 3)
    assert response_time_effort([]) == 1.0


def test_impossible_times_are_refused() -> None:
    with pytest.raises(ValueError, match="positive"):
        too_fast([TimedResponse("q", seconds=-1, expected_seconds=60)])
    with pytest.raises(ValueError, match="positive"):
        too_fast([TimedResponse("q", seconds=5, expected_seconds=0)])
