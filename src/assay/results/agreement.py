"""Inter-rater agreement: quadratic-weighted Cohen's kappa and Krippendorff's alpha, in plain words.

Pure functions over ratings, no database. Reviewers score rubric criteria on ordered levels;
kappa compares two raters at a time (an item's pairs of reviewers, or one reviewer against
the others), alpha takes every rating of every answer at once and copes with missing ones.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Literal

Metric = Literal["interval", "ordinal", "nominal"]


def weighted_kappa(pairs: Sequence[tuple[int, int]], categories: int) -> float:
    """Cohen's kappa with quadratic weights for ratings 0..categories-1 by two raters.

    κ = 1 − Σ w·observed / Σ w·expected, with w(i, j) = (i − j)² / (k − 1)² and the expected
    table the product of the two raters' marginals. NaN when undefined: no pairs, or both
    raters always give one and the same level (no disagreement is possible by chance).
    """
    if categories < 2:
        raise ValueError("kappa needs at least two categories")
    if any(not (0 <= a < categories and 0 <= b < categories) for a, b in pairs):
        raise ValueError(f"ratings must lie in 0..{categories - 1}")
    if not pairs:
        return math.nan
    n = len(pairs)
    scale = (categories - 1) ** 2
    observed = math.fsum((a - b) ** 2 for a, b in pairs) / (n * scale)
    first = Counter(a for a, _b in pairs)
    second = Counter(b for _a, b in pairs)
    expected = math.fsum(first[i] * second[j] * (i - j) ** 2 for i in first for j in second) / (
        n * n * scale
    )
    if expected == 0.0:
        return math.nan
    return 1.0 - observed / expected


def _delta(metric: Metric, totals: Mapping[float, float]) -> Callable[[float, float], float]:
    """The squared difference function δ²(c, k) of Krippendorff's alpha for ``metric``."""
    if metric == "interval":
        return lambda c, k: (c - k) ** 2
    if metric == "nominal":
        return lambda c, k: 0.0 if c == k else 1.0
    values = sorted(totals)
    # Ordinal: how many pairable values lie between c and k, halving the two ends.
    cumulative: dict[float, float] = {}
    running: float = 0.0
    for value in values:
        running += totals[value]
        cumulative[value] = running

    def ordinal(c: float, k: float) -> float:
        low, high = min(c, k), max(c, k)
        between = cumulative[high] - cumulative[low] + totals[low]
        return (between - (totals[low] + totals[high]) / 2) ** 2

    return ordinal


def krippendorff_alpha(units: Iterable[Sequence[float]], *, metric: Metric = "interval") -> float:
    """Krippendorff's alpha = 1 − D_o / D_e over units rated by any number of raters.

    Each unit is the list of values the raters gave it (missing ratings simply absent);
    units with fewer than two values cannot be paired and are left out. Built on the
    coincidence matrix: each ordered pair of values within a unit of m values adds 1/(m − 1).
    NaN when fewer than two pairable values exist or every value is the same.
    """
    coincidences: defaultdict[tuple[float, float], float] = defaultdict(float)
    for unit in units:
        values = list(unit)
        m = len(values)
        if m < 2:
            continue
        for i, c in enumerate(values):
            for j, k in enumerate(values):
                if i != j:
                    coincidences[(c, k)] += 1.0 / (m - 1)
    totals: defaultdict[float, float] = defaultdict(float)
    for (c, _k), weight in coincidences.items():
        totals[c] += weight
    n = math.fsum(totals.values())
    if n < 2 or len(totals) < 2:
        return math.nan
    delta = _delta(metric, totals)
    observed = math.fsum(w * delta(c, k) for (c, k), w in coincidences.items()) / n
    expected = math.fsum(totals[c] * totals[k] * delta(c, k) for c in totals for k in totals) / (
        n * (n - 1)
    )
    if expected == 0.0:
        return math.nan
    return 1.0 - observed / expected


def kappa_words(value: float) -> str:
    """Landis and Koch's bands for kappa, as a reader would say them."""
    if math.isnan(value):
        return "not enough paired reviews to tell"
    bands = ((0.8, "almost perfect"), (0.6, "substantial"), (0.4, "moderate"), (0.2, "fair"))
    for floor, words in bands:
        if value > floor:
            return f"{words} agreement"
    if value > 0:
        return "slight agreement"
    return "no better than chance: the reviewers read the rubric differently"


def alpha_words(value: float) -> str:
    """Krippendorff's own thresholds: rely on ≥ 0.8, draw tentative conclusions from ≥ 0.667."""
    if math.isnan(value):
        return "not enough answers with two or more reviews to tell"
    if value >= 0.8:
        return "reliable: reviewers' levels can be trusted"
    if value >= 0.667:
        return "tentative: good enough for a shortlist, not for a close call"
    return "unreliable: the rubric or the reviewers' calibration needs work"


def ordered_pairs(ratings: Sequence[tuple[str, int]]) -> list[tuple[int, int]]:
    """Every pair of ratings of one unit in rater order (first, second), for kappa."""
    ordered = sorted(ratings)
    return [(a[1], b[1]) for i, a in enumerate(ordered) for b in ordered[i + 1 :]]
