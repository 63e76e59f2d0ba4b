"""Signals from choice answers: copied answers between candidates, answers given too fast.

Answer copying. Two candidates who know the material agree on right answers; that proves
nothing. Agreement on *wrong* answers is the classical evidence (Holland's K-index, Wollack's
omega, van der Linden and Sotaridona's generalized binomial test all build on it). We use a
conditional form that needs no fitted response model:

* take one candidate as the possible source. On each item the other candidate got wrong, an
  independent wrong answer would coincide with the source's with probability p_o, the
  popularity of the source's distractor o among the rest of the cohort's wrong answers
  (leave-the-pair-out, add-one smoothed over the item's distractors). Sharing a distractor
  that everyone falls for is cheap; sharing a rare one is expensive (the idea behind Wollack's
  omega, without a fitted nominal response model);
* the number of identical wrong answers is then a sum of independent Bernoulli(p_i), a
  Poisson-binomial variable; its exact upper tail P(X >= observed) is the p-value. Either
  candidate may be the source: the pair's p-value is twice the smaller of the two;
* a pair is flagged when the p-value survives a Bonferroni correction over all pairs.

Rushed answers. A response faster than it takes to read the item was not read: the bound is
the larger of a fraction of the item's expected time (Wise and Ma's normative threshold, 10%)
and the item's words at a fast skimming speed. Response-time effort (Wise and Kong 2005) is
the share of a candidate's responses above the bound.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from itertools import combinations

import numpy as np
import numpy.typing as npt

# An answer is an option id (single mode) or a frozenset of ids (multiple mode); None = omitted.
Answer = Hashable | None

DEFAULT_ALPHA = 0.001
DEFAULT_MIN_IDENTICAL_WRONG = 3
DEFAULT_FAST_FRACTION = 0.10
DEFAULT_SKIM_WORDS_PER_MINUTE = 600.0


@dataclass(frozen=True)
class AnswerCopyingPair:
    """Two candidates whose identical wrong answers are unlikely to be coincidence."""

    a: str
    b: str
    identical_wrong: int
    both_wrong: int  # items both answered wrongly: the opportunities to coincide
    expected_identical_wrong: float
    p_value: float
    flagged: bool


def answer_copying(
    answers: Mapping[str, Mapping[str, Answer]],
    key: Mapping[str, Answer],
    *,
    alpha: float = DEFAULT_ALPHA,
    min_identical_wrong: int = DEFAULT_MIN_IDENTICAL_WRONG,
    distractors: Mapping[str, int] | None = None,
) -> list[AnswerCopyingPair]:
    """Candidate pairs with at least ``min_identical_wrong`` identical wrong answers, most
    suspicious first. ``answers`` maps candidate -> item -> answer, ``key`` item -> correct
    answer, ``distractors`` item -> number of wrong options (default: the distinct wrong
    answers seen, plus one). ``flagged`` applies ``alpha`` with a Bonferroni correction over
    every pair of candidates."""
    if not 0 < alpha < 1:
        raise ValueError("alpha must lie strictly between 0 and 1")
    candidates = sorted(answers)
    items = sorted(key)
    codes, counts, wrong_totals, sizes = _encode(answers, key, candidates, items, distractors)
    pair_count = max(len(candidates) * (len(candidates) - 1) // 2, 1)
    found = []
    for first, second in combinations(range(len(candidates)), 2):
        row_a, row_b = codes[first], codes[second]
        both = (row_a > 0) & (row_b > 0)
        identical = int((both & (row_a == row_b)).sum())
        if identical < min_identical_wrong:
            continue
        popularity = _Popularity(counts, wrong_totals, sizes, row_a, row_b)
        directions = [popularity.match_chances(source, both) for source in (row_a, row_b)]
        p_value = min(1.0, 2 * min(poisson_binomial_tail(c, identical) for c in directions))
        found.append(
            AnswerCopyingPair(
                a=candidates[first],
                b=candidates[second],
                identical_wrong=identical,
                both_wrong=int(both.sum()),
                expected_identical_wrong=float(max(c.sum() for c in directions)),
                p_value=p_value,
                flagged=p_value < alpha / pair_count,
            )
        )
    found.sort(key=lambda pair: (pair.p_value, pair.a, pair.b))
    return found


def _encode(
    answers: Mapping[str, Mapping[str, Answer]],
    key: Mapping[str, Answer],
    candidates: list[str],
    items: list[str],
    distractors: Mapping[str, int] | None,
) -> tuple[
    npt.NDArray[np.int64], list[Counter[int]], npt.NDArray[np.float64], npt.NDArray[np.float64]
]:
    """Answers as codes (-1 omitted, 0 right, k > 0 the k-th distinct wrong answer of the item),
    per-item counts of each wrong code, wrong-answer totals and distractor counts."""
    codes = np.full((len(candidates), len(items)), -1, dtype=np.int64)
    counts: list[Counter[int]] = []
    for column, item in enumerate(items):
        wrong_ids: dict[Answer, int] = {}
        for row, candidate in enumerate(candidates):
            answer = answers[candidate].get(item)
            if answer is None:
                continue
            if answer == key[item]:
                codes[row, column] = 0
            else:
                codes[row, column] = wrong_ids.setdefault(answer, len(wrong_ids) + 1)
        counts.append(Counter(int(c) for c in codes[:, column] if c > 0))
        if distractors is not None and distractors.get(item, 0) < len(wrong_ids):
            raise ValueError(f"item {item}: more distinct wrong answers than distractors")
    totals = np.array([sum(c.values()) for c in counts], dtype=np.float64)
    sizes = np.array(
        [
            float(distractors[item]) if distractors and item in distractors else len(c) + 1.0
            for item, c in zip(items, counts, strict=True)
        ]
    )
    return codes, counts, totals, sizes


@dataclass(frozen=True)
class _Popularity:
    """Distractor popularity per item, with one pair's own answers left out."""

    counts: list[Counter[int]]
    wrong_totals: npt.NDArray[np.float64]
    sizes: npt.NDArray[np.float64]
    row_a: npt.NDArray[np.int64]
    row_b: npt.NDArray[np.int64]

    def share(self, column: int, code: int) -> float:
        """Smoothed share of the rest of the cohort's wrong answers that picked ``code``."""
        own = int(self.row_a[column] == code) + int(self.row_b[column] == code)
        others = self.wrong_totals[column] - 2
        chosen = self.counts[column].get(code, 0) - own
        return float((chosen + 1.0) / (others + self.sizes[column]))

    def match_chances(
        self, source: npt.NDArray[np.int64], both: npt.NDArray[np.bool_]
    ) -> npt.NDArray[np.float64]:
        """For each item both got wrong: the chance an independent wrong answer equals the
        source's."""
        columns = np.nonzero(both)[0].tolist()
        return np.array([self.share(c, int(source[c])) for c in columns], dtype=np.float64)


def poisson_binomial_tail(
    probabilities: Sequence[float] | npt.NDArray[np.float64], at_least: int
) -> float:
    """P(X >= at_least) for X a sum of independent Bernoulli(p_i), computed exactly."""
    if at_least <= 0:
        return 1.0
    values = np.asarray(probabilities, dtype=np.float64)
    if at_least > len(values):
        return 0.0
    distribution = np.zeros(len(values) + 1)
    distribution[0] = 1.0
    for used, p in enumerate(values, start=1):
        distribution[1 : used + 1] = distribution[1 : used + 1] * (1 - p) + distribution[0:used] * p
        distribution[0] *= 1 - p
    return float(min(max(distribution[at_least:].sum(), 0.0), 1.0))


@dataclass(frozen=True)
class TimedResponse:
    """How long a candidate spent on one choice item."""

    item_id: str
    seconds: float
    expected_seconds: float  # the item's expected_seconds from its content file
    words: int = 0  # words in the stem and options: what has to be read
    correct: bool | None = None


@dataclass(frozen=True)
class RushedResponse:
    """A response given faster than the item can be read."""

    item_id: str
    seconds: float
    threshold_seconds: float
    correct: bool | None


def reading_threshold(
    response: TimedResponse,
    *,
    fraction: float = DEFAULT_FAST_FRACTION,
    words_per_minute: float = DEFAULT_SKIM_WORDS_PER_MINUTE,
) -> float:
    """Seconds below which the item cannot have been read."""
    if response.seconds < 0 or response.expected_seconds <= 0 or response.words < 0:
        raise ValueError(f"item {response.item_id}: times must be positive, words non-negative")
    return max(fraction * response.expected_seconds, response.words / words_per_minute * 60.0)


def too_fast(
    responses: Sequence[TimedResponse],
    *,
    fraction: float = DEFAULT_FAST_FRACTION,
    words_per_minute: float = DEFAULT_SKIM_WORDS_PER_MINUTE,
) -> list[RushedResponse]:
    """The responses given faster than their item can be read, in the order given."""
    rushed = []
    for response in responses:
        limit = reading_threshold(response, fraction=fraction, words_per_minute=words_per_minute)
        if response.seconds < limit:
            rushed.append(
                RushedResponse(response.item_id, response.seconds, limit, response.correct)
            )
    return rushed


def response_time_effort(
    responses: Sequence[TimedResponse],
    *,
    fraction: float = DEFAULT_FAST_FRACTION,
    words_per_minute: float = DEFAULT_SKIM_WORDS_PER_MINUTE,
) -> float:
    """Share of responses slow enough to have been read (1.0 for no responses)."""
    if not responses:
        return 1.0
    rushed = too_fast(responses, fraction=fraction, words_per_minute=words_per_minute)
    return 1.0 - len(rushed) / len(responses)
