"""Classical test theory: item statistics, distractor tables, review flags and candidate scores.

Everything works on the long-format :class:`ResponseTable`, so candidates who sat different
forms are handled: an item's statistics use the candidates who were shown it, and a candidate's
score is the proportion of the points on offer in their own form.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from assay.errors import ValidationFailed
from assay.scoring.responses import ResponseTable

# Review thresholds (docs/scoring.md explains each).
TOO_EASY_P = 0.95
TOO_HARD_P = 0.10
LOW_DISCRIMINATION = 0.15
UNUSED_DISTRACTOR_SHARE = 0.02
# Kelley's 27 %: the split that makes upper/lower comparisons most sensitive for a normal spread.
EXTREME_GROUP_FRACTION = 0.27


@dataclass(frozen=True)
class ItemStatistics:
    """How an item behaved: its difficulty, discrimination and time."""

    id: str
    responses: int
    max_score: float
    p_value: float  # mean score as a share of the item's maximum (proportion correct if 0/1)
    discrimination: float  # corrected item-total (item-rest) correlation; NaN if undefined
    mean_seconds: float | None


@dataclass(frozen=True)
class OptionCount:
    """How often one option was picked, overall and in the upper and lower groups."""

    option: str
    is_key: bool
    picked: int
    upper: int
    lower: int
    share: float
    upper_share: float
    lower_share: float


@dataclass(frozen=True)
class DistractorTable:
    """A choice item's options by the upper and lower 27 % of the candidates who saw it."""

    item: str
    responses: int
    upper_group: int
    lower_group: int
    key_known: bool
    options: tuple[OptionCount, ...]


@dataclass(frozen=True)
class ItemFlag:
    """A reason for a content reviewer to look at an item."""

    item: str
    code: str
    message: str


@dataclass(frozen=True)
class Reliability:
    """Cronbach's alpha and the standard error of measurement, over complete responses."""

    alpha: float
    sem: float  # in points of the total score
    candidates: int
    items: int


@dataclass(frozen=True)
class ClassicalScore:
    """A candidate's (weighted) proportion of points with its standard error."""

    candidate: str
    skill: str
    score: float
    se: float
    items: int


FLAG_CODES = (
    "too_easy",
    "too_hard",
    "low_discrimination",
    "negative_discrimination",
    "unused_distractor",
    "strong_distractor",
)


# --- item statistics -------------------------------------------------------------------------


def max_scores(
    table: ResponseTable, declared: Mapping[str, float] | None = None
) -> npt.NDArray[np.float64]:
    """Each item's maximum score: as declared, else the highest observed (at least 1)."""
    declared = declared or {}
    observed = np.zeros(len(table.items))
    np.maximum.at(observed, table.item_index, table.scores)
    result = np.array(
        [
            float(declared.get(item, max(observed[index], 1.0)))
            for index, item in enumerate(table.items)
        ]
    )
    if np.any(result <= 0):
        raise ValidationFailed("every item's maximum score must be positive")
    return result


def item_statistics(
    table: ResponseTable, *, declared_max: Mapping[str, float] | None = None
) -> list[ItemStatistics]:
    """p-value, corrected item-total correlation and mean time of every item.

    The "total" a candidate's item score is correlated with is their proportion of points on
    the *other* items of their form (the rest score), so the item does not correlate with
    itself and forms of different lengths stay comparable. With one form this is the usual
    corrected point-biserial: a proportion is a linear function of the rest-score sum.
    """
    maxima = max_scores(table, declared_max)
    earned = np.bincount(
        table.candidate_index, weights=table.scores, minlength=len(table.candidates)
    )
    offered = np.bincount(
        table.candidate_index,
        weights=maxima[table.item_index],
        minlength=len(table.candidates),
    )
    statistics: list[ItemStatistics] = []
    for index, item in enumerate(table.items):
        rows = table.item_index == index
        who = table.candidate_index[rows]
        scores = table.scores[rows]
        rest_offered = offered[who] - maxima[index]
        has_rest = rest_offered > 0
        rest = (earned[who][has_rest] - scores[has_rest]) / rest_offered[has_rest]
        seconds = table.seconds[rows]
        timed = seconds[~np.isnan(seconds)]
        statistics.append(
            ItemStatistics(
                id=item,
                responses=int(scores.size),
                max_score=float(maxima[index]),
                p_value=float(np.mean(scores) / maxima[index]),
                discrimination=pearson(scores[has_rest], rest),
                mean_seconds=float(np.mean(timed)) if timed.size else None,
            )
        )
    return statistics


def pearson(x: npt.NDArray[np.float64], y: npt.NDArray[np.float64]) -> float:
    """Pearson's r; NaN with fewer than three pairs or when either side does not vary."""
    if x.size < 3:
        return math.nan
    dx = x - x.mean()
    dy = y - y.mean()
    denominator = math.sqrt(float(np.sum(dx * dx)) * float(np.sum(dy * dy)))
    if denominator == 0.0:
        return math.nan
    return float(np.sum(dx * dy)) / denominator


# --- reliability -----------------------------------------------------------------------------


def cronbach_alpha(matrix: npt.ArrayLike) -> float:
    """Alpha of a complete candidates × items score matrix: k/(k−1) · (1 − Σ var_i / var_total).

    NaN when it is undefined (fewer than two items or candidates, or no spread in totals).
    """
    scores = np.asarray(matrix, dtype=np.float64)
    if scores.ndim != 2:
        raise ValidationFailed("alpha needs a candidates × items matrix")
    candidates, items = (int(size) for size in scores.shape)
    if items < 2 or candidates < 2:
        return math.nan
    total_variance = float(np.var(scores.sum(axis=1), ddof=1))
    if total_variance == 0.0:
        return math.nan
    item_variance = float(np.sum(np.var(scores, axis=0, ddof=1)))
    return items / (items - 1) * (1.0 - item_variance / total_variance)


def form_reliability(
    table: ResponseTable, *, items: Sequence[str] | None = None
) -> Reliability | None:
    """Alpha and SEM over the candidates who answered every one of ``items`` (default: all).

    Alpha needs complete rows; with forms, pass one form's items. None when fewer than two
    items or three complete candidates remain. The SEM is SD(total) · √(1 − alpha), with a
    negative alpha read as 0 (the SEM is then the whole SD: the total says nothing).
    """
    wanted = list(items) if items is not None else list(table.items)
    unknown = [item for item in wanted if item not in table.items]
    if unknown:
        raise ValidationFailed(f"unknown item(s): {', '.join(unknown)}")
    matrix = table.score_matrix()[:, [table.items.index(item) for item in wanted]]
    complete = matrix[~np.isnan(matrix).any(axis=1)]
    if len(wanted) < 2 or complete.shape[0] < 3:
        return None
    alpha = cronbach_alpha(complete)
    spread = float(np.std(complete.sum(axis=1), ddof=1))
    sem = spread * math.sqrt(1.0 - min(max(alpha, 0.0), 1.0)) if not math.isnan(alpha) else spread
    return Reliability(alpha=alpha, sem=sem, candidates=int(complete.shape[0]), items=len(wanted))


# --- distractors -----------------------------------------------------------------------------


def distractor_tables(
    table: ResponseTable,
    *,
    keys: Mapping[str, Sequence[str]] | None = None,
    options: Mapping[str, Sequence[str]] | None = None,
    declared_max: Mapping[str, float] | None = None,
) -> list[DistractorTable]:
    """Option counts by upper and lower 27 % groups for every item with recorded choices.

    Groups are formed among the candidates who saw the item, ranked by their proportion of
    points over their whole form (ties keep response order). ``keys`` name each item's correct
    option(s); without them the key is the set of options every full-score response picked.
    ``options`` lists each item's options so that one nobody picked still shows up.
    """
    maxima = max_scores(table, declared_max)
    proportions = _candidate_proportions(table, maxima)
    tables: list[DistractorTable] = []
    for index, item in enumerate(table.items):
        rows = np.flatnonzero(table.item_index == index)
        picks = [_picked(table.choices[row]) for row in rows]
        if not any(picks):
            continue
        scores = table.scores[rows]
        key = (
            set(keys[item])
            if keys and item in keys
            else _inferred_key(picks, scores, maxima[index])
        )
        ranked = rows[np.argsort(-proportions[table.candidate_index[rows]], kind="stable")]
        size = max(1, round(EXTREME_GROUP_FRACTION * rows.size))
        upper = {int(row) for row in ranked[:size]}
        lower = {int(row) for row in ranked[-size:]}
        listed = list(options[item]) if options and item in options else []
        seen = sorted({option for chosen in picks for option in chosen} | key)
        counts: list[OptionCount] = []
        for option in listed + [option for option in seen if option not in listed]:
            chose = [option in chosen for chosen in picks]
            picked = sum(chose)
            in_upper = sum(1 for row, hit in zip(rows, chose, strict=True) if hit and row in upper)
            in_lower = sum(1 for row, hit in zip(rows, chose, strict=True) if hit and row in lower)
            counts.append(
                OptionCount(
                    option=option,
                    is_key=option in key,
                    picked=picked,
                    upper=in_upper,
                    lower=in_lower,
                    share=picked / rows.size,
                    upper_share=in_upper / size,
                    lower_share=in_lower / size,
                )
            )
        tables.append(
            DistractorTable(
                item=item,
                responses=int(rows.size),
                upper_group=size,
                lower_group=size,
                key_known=bool(key),
                options=tuple(counts),
            )
        )
    return tables


def _picked(choice: str | None) -> frozenset[str]:
    """The options in a choice cell; a multiple-answer response lists them comma-separated."""
    if not choice:
        return frozenset()
    return frozenset(part.strip() for part in choice.split(",") if part.strip())


def _inferred_key(
    picks: Sequence[frozenset[str]], scores: npt.NDArray[np.float64], maximum: float
) -> set[str]:
    full = [
        chosen for chosen, score in zip(picks, scores, strict=True) if score >= maximum and chosen
    ]
    return set(frozenset.intersection(*full)) if full else set()


def _candidate_proportions(
    table: ResponseTable, maxima: npt.NDArray[np.float64]
) -> npt.NDArray[np.float64]:
    earned = np.bincount(
        table.candidate_index, weights=table.scores, minlength=len(table.candidates)
    )
    offered = np.bincount(
        table.candidate_index,
        weights=maxima[table.item_index],
        minlength=len(table.candidates),
    )
    return earned / offered


# --- flags -----------------------------------------------------------------------------------


def flag_items(
    statistics: Sequence[ItemStatistics], distractors: Sequence[DistractorTable] = ()
) -> list[ItemFlag]:
    """Every review flag the statistics raise, in item order."""
    flags: list[ItemFlag] = []
    tables = {table.item: table for table in distractors}
    for item in statistics:
        flags.extend(_difficulty_flags(item))
        flags.extend(_discrimination_flags(item))
        if item.id in tables:
            flags.extend(_distractor_flags(tables[item.id]))
    return flags


def _difficulty_flags(item: ItemStatistics) -> list[ItemFlag]:
    if item.p_value > TOO_EASY_P:
        return [
            ItemFlag(
                item.id,
                "too_easy",
                f"p = {item.p_value:.2f} > {TOO_EASY_P}: almost everyone gets it right; "
                "it separates no one",
            )
        ]
    if item.p_value < TOO_HARD_P:
        return [
            ItemFlag(
                item.id,
                "too_hard",
                f"p = {item.p_value:.2f} < {TOO_HARD_P}: almost no one gets it right; "
                "check the key and the wording",
            )
        ]
    return []


def _discrimination_flags(item: ItemStatistics) -> list[ItemFlag]:
    r = item.discrimination
    if math.isnan(r):
        return []
    if r < 0:
        return [
            ItemFlag(
                item.id,
                "negative_discrimination",
                f"item-rest r = {r:.2f} < 0: weaker candidates do better on it; check the key",
            )
        ]
    if r < LOW_DISCRIMINATION:
        return [
            ItemFlag(
                item.id,
                "low_discrimination",
                f"item-rest r = {r:.2f} < {LOW_DISCRIMINATION}: "
                "it barely tracks the rest of the test",
            )
        ]
    return []


def _distractor_flags(table: DistractorTable) -> list[ItemFlag]:
    flags: list[ItemFlag] = []
    keys = [option for option in table.options if option.is_key]
    key_upper = min((option.upper_share for option in keys), default=math.nan)
    for option in table.options:
        if option.is_key or not table.key_known:
            continue
        if option.share < UNUSED_DISTRACTOR_SHARE:
            flags.append(
                ItemFlag(
                    table.item,
                    "unused_distractor",
                    f"option {option.option} picked by {option.share:.0%} "
                    f"(< {UNUSED_DISTRACTOR_SHARE:.0%}): it distracts no one; rewrite or drop it",
                )
            )
        if option.upper_share > key_upper or option.upper_share > option.lower_share:
            flags.append(
                ItemFlag(
                    table.item,
                    "strong_distractor",
                    f"option {option.option} draws {option.upper_share:.0%} of the upper group "
                    f"vs {option.lower_share:.0%} of the lower (key: {key_upper:.0%}): "
                    "it may be defensible, or the key wrong",
                )
            )
    return flags


# --- candidate scores ------------------------------------------------------------------------


def candidate_scores(
    table: ResponseTable, *, declared_max: Mapping[str, float] | None = None
) -> list[ClassicalScore]:
    """Each candidate's proportion of points on their form, with its binomial standard error."""
    weights = {item: {"overall": 1.0} for item in table.items}
    return skill_scores(table, weights, declared_max=declared_max)


def skill_scores(
    table: ResponseTable,
    weights: Mapping[str, Mapping[str, float]],
    *,
    declared_max: Mapping[str, float] | None = None,
) -> list[ClassicalScore]:
    """Weighted proportion of points per candidate and skill, with a standard error.

    ``weights`` maps item id → {skill id: weight}; an item counts towards the skills it
    weighs. The SE treats the item proportions as draws around the candidate's true skill
    score: √(p̃(1 − p̃) / n_eff) with n_eff = (Σw)² / Σw² (the number of items when weights are
    equal) and p̃ = (n_eff·p + ½) / (n_eff + 1), so a perfect or zero score on a handful of
    items still shows its uncertainty instead of an SE of 0.
    """
    if any(w < 0 or not math.isfinite(w) for skills in weights.values() for w in skills.values()):
        raise ValidationFailed("skill weights must be finite and not negative")
    maxima = max_scores(table, declared_max)
    proportion = table.scores / maxima[table.item_index]
    skills = sorted({skill for skills in weights.values() for skill in skills})
    results: list[ClassicalScore] = []
    for skill in skills:
        per_item = np.array([weights.get(item, {}).get(skill, 0.0) for item in table.items])
        row_weight = per_item[table.item_index]
        counted = row_weight > 0
        size = len(table.candidates)
        candidate = table.candidate_index[counted]
        w = row_weight[counted]
        total = np.bincount(candidate, weights=w, minlength=size)
        squares = np.bincount(candidate, weights=w * w, minlength=size)
        earned = np.bincount(candidate, weights=w * proportion[counted], minlength=size)
        items = np.bincount(candidate, minlength=size)
        for index, name in enumerate(table.candidates):
            if total[index] == 0:
                continue
            score = float(earned[index] / total[index])
            n_eff = float(total[index] ** 2 / squares[index])
            shrunk = (n_eff * score + 0.5) / (n_eff + 1.0)
            results.append(
                ClassicalScore(
                    candidate=name,
                    skill=skill,
                    score=score,
                    se=math.sqrt(shrunk * (1.0 - shrunk) / n_eff),
                    items=int(items[index]),
                )
            )
    return results
