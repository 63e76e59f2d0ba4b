"""Item response theory: 2PL and graded-response calibration by EM, EAP scoring, norms.

Both models are one model here: an item with categories 0..K has K ordered thresholds and
P(X ≥ k | θ) = logistic(a (θ − b_k)). With K = 1 that is the 2PL (b = b_1); with K > 1 it is
Samejima's graded response model. Calibration is marginal maximum likelihood by the EM
algorithm of Bock and Aitkin (1981) over a fixed quadrature grid on a N(0, 1) ability
distribution, with weak priors on the item parameters (Bayes modal estimation, Mislevy 1986) so
that an item everyone answers right still gets finite parameters. Candidates answer only the
items of their form: the likelihood runs over observed responses only.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import numpy.typing as npt
from scipy import sparse, special

from assay.errors import ValidationFailed
from assay.scoring.responses import ResponseTable

Model = Literal["2pl", "grm"]
MODELS: tuple[Model, ...] = ("2pl", "grm")

# 61 equally spaced nodes on [-6, 6] (mirt's default grid): fine enough that EAP scores and
# expected counts do not move when the grid is refined, wide enough for perfect scores.
QUADRATURE_POINTS = 61
QUADRATURE_BOUND = 6.0

# Priors on item parameters, as penalties on the M-step (their modes are a = 1, b = 0):
# log a ~ N(0, 0.5²) is BILOG-MG's default slope prior: a = 0.37 or 2.7 is two SDs out, so
# 1,000 responses overwhelm it, while an item with no information cannot run off to a = 40.
# b ~ N(0, 2²) only matters for items nearly everyone (or no one) gets right.
LOG_A_PRIOR_SD = 0.5
B_PRIOR_SD = 2.0

# Below these counts IRT parameters are too noisy to report; the CLI warns (docs/scoring.md).
MIN_RESPONSES_PER_ITEM = 200
MIN_CANDIDATES = 100

# Keep logarithms finite when a category probability underflows at an extreme node.
_FLOOR = 1e-300


@dataclass(frozen=True)
class ItemParameters:
    """A calibrated item: discrimination ``a`` and ordered thresholds b_1 < ... < b_K.

    ``scores`` are the raw scores of categories 0..K (scores never observed in calibration
    are collapsed into the category below, so they may skip values).
    """

    id: str
    a: float
    thresholds: tuple[float, ...]
    scores: tuple[float, ...]

    @property
    def b(self) -> float:
        """The difficulty of a right/wrong item (its single threshold)."""
        if len(self.thresholds) != 1:
            raise ValueError(f"item {self.id} has {len(self.thresholds)} thresholds, not one")
        return self.thresholds[0]

    def category_of(self, score: float) -> int:
        """The category a raw score falls in: the highest whose score does not exceed it."""
        return max(bisect.bisect_right(self.scores, score + 1e-9) - 1, 0)


@dataclass(frozen=True)
class AbilityEstimate:
    """A candidate's EAP ability and its posterior standard deviation, on the N(0, 1) scale."""

    id: str
    theta: float
    se: float
    responses: int  # responses that entered the estimate


@dataclass(frozen=True)
class Calibration:
    """The result of :func:`calibrate`."""

    model: Model
    items: tuple[ItemParameters, ...]
    candidates: tuple[AbilityEstimate, ...]
    iterations: int
    converged: bool
    log_likelihood: float  # marginal log-likelihood of the responses at the final parameters
    reliability: float  # marginal reliability of the EAP scores of these candidates
    warnings: tuple[str, ...] = field(default=())


@dataclass(frozen=True)
class NormPercentile:
    """Where an ability falls in a norm group, with the range its standard error spans."""

    percentile: float
    low: float  # percentile at theta − se
    high: float  # percentile at theta + se
    group_size: int


@dataclass(frozen=True)
class Quadrature:
    """Fixed nodes and normalised N(0, 1) weights."""

    nodes: npt.NDArray[np.float64]
    log_weights: npt.NDArray[np.float64]

    @classmethod
    def normal(cls, points: int = QUADRATURE_POINTS, bound: float = QUADRATURE_BOUND) -> Quadrature:
        nodes = np.linspace(-bound, bound, points)
        log_density = -0.5 * nodes**2
        return cls(nodes=nodes, log_weights=log_density - special.logsumexp(log_density))


# --- the model ------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Layout:
    """Where each item's categories sit in the padded (item, category) arrays."""

    thresholds: npt.NDArray[np.intp]  # K per item
    threshold_mask: npt.NDArray[np.bool_]  # (J, Kmax): threshold k exists
    category_mask: npt.NDArray[np.bool_]  # (J, Kmax + 1): category k exists

    @classmethod
    def of(cls, thresholds: Sequence[int]) -> _Layout:
        counts = np.asarray(thresholds, dtype=np.intp)
        widest = int(counts.max())
        positions = np.arange(widest + 1)
        return cls(
            thresholds=counts,
            threshold_mask=positions[None, 1:] <= counts[:, None],
            category_mask=positions[None, :] <= counts[:, None],
        )


def _cumulative(
    a: npt.NDArray[np.float64],
    b: npt.NDArray[np.float64],
    layout: _Layout,
    nodes: npt.NDArray[np.float64],
) -> npt.NDArray[np.float64]:
    """P(X ≥ k | θ) as (J, Kmax + 2, Q): 1 for k = 0, 0 beyond an item's last category."""
    items, widest = b.shape
    star = np.zeros((items, widest + 2, nodes.size))
    star[:, 0, :] = 1.0
    logits = a[:, None, None] * (
        nodes[None, None, :] - np.where(layout.threshold_mask, b, 0.0)[..., None]
    )
    star[:, 1:-1, :] = np.where(layout.threshold_mask[..., None], special.expit(logits), 0.0)
    return star


def _category_probabilities(star: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    """P(X = k | θ) = P(X ≥ k) − P(X ≥ k + 1), as (J, Kmax + 1, Q)."""
    return np.maximum(star[:, :-1, :] - star[:, 1:, :], _FLOOR)


def category_probabilities(item: ItemParameters, theta: npt.ArrayLike) -> npt.NDArray[np.float64]:
    """P(X = k | θ) for k = 0..K of one item, as (K + 1, len(theta))."""
    nodes = np.atleast_1d(np.asarray(theta, dtype=np.float64))
    layout = _Layout.of([len(item.thresholds)])
    star = _cumulative(np.array([item.a]), np.array([item.thresholds]), layout, nodes)
    return np.asarray(_category_probabilities(star)[0], dtype=np.float64)


# --- the M-step: maximise each item's expected complete-data log posterior --------------------
# Items are independent given the E-step's expected counts, so all of them take Fisher-scoring
# (Newton with the expected information) steps at once on (J, K+1, ...) arrays. scipy's
# L-BFGS-B per item gave the same estimates but spent most of its time in BLAS thread start-up
# on these tiny problems (see docs/decisions/0010-psychometrics.md).

_NEWTON_STEPS = 10
_STEP_HALVINGS = 20


def _item_log_posteriors(
    a: npt.NDArray[np.float64],
    b: npt.NDArray[np.float64],
    counts: npt.NDArray[np.float64],
    layout: _Layout,
    nodes: npt.NDArray[np.float64],
) -> npt.NDArray[np.float64]:
    """Σ r log P + log prior, per item (J,); −inf where a ≤ 0 or thresholds are out of order."""
    valid = (a > 0) & np.all((np.diff(b, axis=1) > 0) | ~layout.threshold_mask[:, 1:], axis=1)
    safe_a = np.where(valid, a, 1.0)
    star = _cumulative(safe_a, b, layout, nodes)
    log_likelihood = np.sum(counts * np.log(_category_probabilities(star)), axis=(1, 2))
    log_prior = -0.5 * (np.log(safe_a) / LOG_A_PRIOR_SD) ** 2 - 0.5 * np.sum(
        np.where(layout.threshold_mask, b / B_PRIOR_SD, 0.0) ** 2, axis=1
    )
    return np.where(valid, log_likelihood + log_prior, -np.inf)


def _score_and_information(
    a: npt.NDArray[np.float64],
    b: npt.NDArray[np.float64],
    counts: npt.NDArray[np.float64],
    layout: _Layout,
    nodes: npt.NDArray[np.float64],
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """Gradient (J, P) and expected information (J, P, P) of the item log posteriors.

    Parameters per item are (a, b_1..b_Kmax), P = Kmax + 1; padding thresholds get a zero
    gradient and unit information so that they stay where they are.
    """
    star = _cumulative(a, b, layout, nodes)
    probabilities = _category_probabilities(star)
    slope = (star * (1.0 - star))[:, 1:-1, :]  # (J, Kmax, Q)
    mask = layout.threshold_mask[..., None]
    d_star_da = np.where(mask, slope * (nodes[None, None, :] - b[..., None]), 0.0)
    d_star_db = np.where(mask, -a[:, None, None] * slope, 0.0)

    items, widest = b.shape
    # d P(X = k) / d parameter p, as (J, k, p, Q): P(X = k) = P(X ≥ k) − P(X ≥ k + 1).
    derivative = np.zeros((items, widest + 1, widest + 1, nodes.size))
    padded_da = np.zeros((items, widest + 2, nodes.size))
    padded_da[:, 1:-1, :] = d_star_da
    derivative[:, :, 0, :] = padded_da[:, :-1, :] - padded_da[:, 1:, :]
    thresholds = np.arange(widest)
    derivative[:, thresholds + 1, thresholds + 1, :] = d_star_db  # b_m raises P(X ≥ m) ...
    derivative[:, thresholds, thresholds + 1, :] -= d_star_db  # ... at the cost of category m−1

    gradient = np.einsum("jkq,jkpq->jp", counts / probabilities, derivative)
    at_node = counts.sum(axis=1)  # expected responses at each node
    information = np.einsum(
        "jq,jkpq,jkrq->jpr", at_node, derivative, derivative / probabilities[:, :, None, :]
    )

    # The priors: gradient of the log density, and its curvature at the mode as information.
    gradient[:, 0] -= np.log(a) / (LOG_A_PRIOR_SD**2 * a)
    information[:, 0, 0] += 1.0 / (LOG_A_PRIOR_SD**2 * a**2)
    gradient[:, 1:] -= np.where(layout.threshold_mask, b, 0.0) / B_PRIOR_SD**2
    diagonal = np.where(layout.threshold_mask, 1.0 / B_PRIOR_SD**2, 1.0)
    information[:, thresholds + 1, thresholds + 1] += diagonal
    gradient[:, 1:] = np.where(layout.threshold_mask, gradient[:, 1:], 0.0)
    return gradient, information


def _maximise_items(
    a: npt.NDArray[np.float64],
    b: npt.NDArray[np.float64],
    counts: npt.NDArray[np.float64],
    layout: _Layout,
    nodes: npt.NDArray[np.float64],
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """One M-step: Fisher-scoring steps, halved per item until its log posterior improves."""
    current = _item_log_posteriors(a, b, counts, layout, nodes)
    for _ in range(_NEWTON_STEPS):
        gradient, information = _score_and_information(a, b, counts, layout, nodes)
        step = np.linalg.solve(information, gradient[..., None])[..., 0]
        scale = np.ones_like(a)
        pending = np.ones(a.shape, dtype=bool)
        for _ in range(_STEP_HALVINGS):
            trial_a = a + scale * step[:, 0]
            trial_b = np.where(layout.threshold_mask, b + scale[:, None] * step[:, 1:], b)
            trial = _item_log_posteriors(trial_a, trial_b, counts, layout, nodes)
            accepted = pending & (trial >= current)
            a = np.where(accepted, trial_a, a)
            b = np.where(accepted[:, None], trial_b, b)
            current = np.where(accepted, trial, current)
            pending &= ~accepted
            if not pending.any():
                break
            scale = np.where(pending, scale / 2.0, scale)
        if float(np.max(np.abs(step))) < 1e-8:
            break
    return a, b


# --- the E-step ------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Design:
    """Responses as a sparse candidates × (item, category) indicator matrix."""

    indicators: sparse.csr_array
    responses_per_candidate: npt.NDArray[np.intp]


def _design(table: ResponseTable, items: Sequence[ItemParameters], layout: _Layout) -> _Design:
    """Mark each response's (item, category) column; items outside ``items`` are skipped."""
    first_column = np.cumsum(np.concatenate([[0], layout.thresholds[:-1] + 1]))
    rows: list[npt.NDArray[np.intp]] = []
    columns: list[npt.NDArray[np.intp]] = []
    for index, item in enumerate(items):
        if item.id not in table.items:
            continue  # not administered to anyone in this table
        answered = table.item_index == table.items.index(item.id)
        # The highest category whose score does not exceed the response (see category_of).
        category = np.searchsorted(item.scores, table.scores[answered] + 1e-9, side="right") - 1
        rows.append(table.candidate_index[answered])
        columns.append(first_column[index] + np.maximum(category, 0))
    row = np.concatenate(rows) if rows else np.zeros(0, dtype=np.intp)
    column = np.concatenate(columns) if columns else np.zeros(0, dtype=np.intp)
    indicators = sparse.csr_array(
        (np.ones(row.size), (row, column)),
        shape=(len(table.candidates), int(layout.category_mask.sum())),
    )
    per_candidate = np.bincount(row, minlength=len(table.candidates))
    return _Design(indicators=indicators, responses_per_candidate=per_candidate)


def _posterior(
    design: _Design,
    a: npt.NDArray[np.float64],
    b: npt.NDArray[np.float64],
    layout: _Layout,
    quadrature: Quadrature,
) -> tuple[npt.NDArray[np.float64], float]:
    """Each candidate's posterior over the nodes (N × Q) and the marginal log-likelihood."""
    star = _cumulative(a, b, layout, quadrature.nodes)
    log_probabilities = np.log(_category_probabilities(star))[layout.category_mask]  # (C, Q)
    log_joint = np.asarray(design.indicators @ log_probabilities) + quadrature.log_weights
    log_marginal = special.logsumexp(log_joint, axis=1, keepdims=True)
    return np.exp(log_joint - log_marginal), float(np.sum(log_marginal))


def _expected_counts(
    design: _Design, posterior: npt.NDArray[np.float64], layout: _Layout
) -> npt.NDArray[np.float64]:
    """Expected responses per (item, category, node), zero-padded to (J, Kmax + 1, Q)."""
    flat = np.asarray(design.indicators.T @ posterior)
    counts = np.zeros((*layout.category_mask.shape, posterior.shape[1]))
    counts[layout.category_mask] = flat
    return counts


# --- calibration -----------------------------------------------------------------------------


def calibrate(
    table: ResponseTable,
    *,
    model: Model,
    max_iterations: int = 500,
    tolerance: float = 1e-4,
    quadrature: Quadrature | None = None,
) -> Calibration:
    """Calibrate every item with variance in ``table`` and score its candidates by EAP.

    ``tolerance`` is the largest change of any a or b between EM cycles at which the
    estimates are taken as converged. Items with no variance (everyone scored the same) cannot
    be calibrated: they are left out and named in ``warnings``.
    """
    if model not in MODELS:
        raise ValidationFailed(f"unknown model {model!r} (expected one of {', '.join(MODELS)})")
    quadrature = quadrature or Quadrature.normal()
    warnings: list[str] = []
    starts = _starting_items(table, model=model, warnings=warnings)
    if len(starts) < 2:
        raise ValidationFailed(
            f"{len(starts)} item(s) with variance in the responses; IRT needs at least 2"
        )
    layout = _Layout.of([len(item.thresholds) for item in starts])
    design = _design(table, starts, layout)
    warnings.extend(_sample_size_warnings(table, starts))

    a = np.array([item.a for item in starts])
    b = np.zeros(layout.threshold_mask.shape)
    for index, item in enumerate(starts):
        b[index, : len(item.thresholds)] = item.thresholds
    converged = False
    iterations = 0
    change = math.inf
    for iterations in range(1, max_iterations + 1):  # noqa: B007 - reported after the loop
        posterior, _ = _posterior(design, a, b, layout, quadrature)
        counts = _expected_counts(design, posterior, layout)
        new_a, new_b = _maximise_items(a, b, counts, layout, quadrature.nodes)
        change = max(
            float(np.max(np.abs(new_a - a))),
            float(np.max(np.abs(np.where(layout.threshold_mask, new_b - b, 0.0)))),
        )
        a, b = new_a, new_b
        if change < tolerance:
            converged = True
            break
    if not converged:
        warnings.append(
            f"EM did not converge in {max_iterations} cycles (last change {change:.2g}); "
            "treat the estimates as provisional"
        )
    items = tuple(
        ItemParameters(
            id=item.id,
            a=float(a[index]),
            thresholds=tuple(float(value) for value in b[index, : len(item.thresholds)]),
            scores=item.scores,
        )
        for index, item in enumerate(starts)
    )
    posterior, log_likelihood = _posterior(design, a, b, layout, quadrature)
    candidates = _eap(table, design, posterior, quadrature)
    return Calibration(
        model=model,
        items=items,
        candidates=candidates,
        iterations=iterations,
        converged=converged,
        log_likelihood=log_likelihood,
        reliability=marginal_reliability(candidates),
        warnings=tuple(warnings),
    )


def _starting_items(
    table: ResponseTable, *, model: Model, warnings: list[str]
) -> list[ItemParameters]:
    """Check each item's scores for the model and derive starting values from proportions.

    Starting thresholds invert the marginal proportion at or above each category under a = 1
    (the logistic-normal approximation: P ≈ logistic(−b / 1.18)).
    """
    starts: list[ItemParameters] = []
    for index, item_id in enumerate(table.items):
        scores = table.scores[table.item_index == index]
        _check_scores(item_id, scores, model)
        observed = np.unique(scores)
        if observed.size < 2:
            warnings.append(
                f"item {item_id}: no variance (all {scores.size} responses scored "
                f"{observed[0]:g}); excluded from calibration"
            )
            continue
        if model == "grm":
            skipped = sorted(set(range(int(observed[-1]) + 1)) - {int(s) for s in observed})
            if skipped:
                warnings.append(
                    f"item {item_id}: score(s) {', '.join(map(str, skipped))} never observed; "
                    "merged into the category below"
                )
        at_least = np.array([np.mean(scores >= level) for level in observed[1:]])
        at_least = np.clip(at_least, 0.5 / scores.size, 1 - 0.5 / scores.size)
        thresholds = -1.18 * special.logit(at_least)
        thresholds = np.maximum.accumulate(thresholds + np.arange(thresholds.size) * 1e-3)
        starts.append(
            ItemParameters(
                id=item_id,
                a=1.0,
                thresholds=tuple(float(t) for t in thresholds),
                scores=tuple(float(s) for s in observed),
            )
        )
    return starts


def _check_scores(item_id: str, scores: npt.NDArray[np.float64], model: Model) -> None:
    if model == "2pl":
        wrong = scores[(scores != 0) & (scores != 1)]
        if wrong.size:
            raise ValidationFailed(
                f"item {item_id}: score {wrong[0]:g} is not 0 or 1 (the 2pl model takes "
                "right/wrong scores; use --model grm for partial credit)"
            )
    else:
        wrong = scores[(scores < 0) | (scores != np.round(scores))]
        if wrong.size:
            raise ValidationFailed(
                f"item {item_id}: score {wrong[0]:g} is not a whole number 0..K "
                "(the grm model takes ordered score categories)"
            )


def _sample_size_warnings(table: ResponseTable, items: Sequence[ItemParameters]) -> list[str]:
    messages: list[str] = []
    if len(table.candidates) < MIN_CANDIDATES:
        messages.append(
            f"only {len(table.candidates)} candidates (IRT needs at least {MIN_CANDIDATES} "
            "for stable parameters; see docs/scoring.md)"
        )
    responses = np.bincount(table.item_index, minlength=len(table.items))
    thin = [
        item.id for item in items if responses[table.items.index(item.id)] < MIN_RESPONSES_PER_ITEM
    ]
    if thin:
        shown = ", ".join(thin[:5]) + (f" and {len(thin) - 5} more" if len(thin) > 5 else "")
        messages.append(
            f"{len(thin)} item(s) with fewer than {MIN_RESPONSES_PER_ITEM} responses: {shown}"
        )
    return messages


# --- scoring ---------------------------------------------------------------------------------


def score_candidates(
    items: Sequence[ItemParameters],
    table: ResponseTable,
    *,
    quadrature: Quadrature | None = None,
) -> tuple[AbilityEstimate, ...]:
    """EAP ability and posterior SD of every candidate in ``table`` against calibrated items.

    Responses to items not in ``items`` are ignored; a candidate with none left gets the prior
    (θ = 0, SE = 1) and ``responses == 0``.
    """
    if not items:
        raise ValidationFailed("no calibrated items to score against")
    quadrature = quadrature or Quadrature.normal()
    layout = _Layout.of([len(item.thresholds) for item in items])
    a = np.array([item.a for item in items])
    b = np.zeros(layout.threshold_mask.shape)
    for index, item in enumerate(items):
        b[index, : len(item.thresholds)] = item.thresholds
    design = _design(table, items, layout)
    posterior, _ = _posterior(design, a, b, layout, quadrature)
    return _eap(table, design, posterior, quadrature)


def _eap(
    table: ResponseTable,
    design: _Design,
    posterior: npt.NDArray[np.float64],
    quadrature: Quadrature,
) -> tuple[AbilityEstimate, ...]:
    theta = posterior @ quadrature.nodes
    variance = posterior @ quadrature.nodes**2 - theta**2
    se = np.sqrt(np.maximum(variance, 0.0))
    return tuple(
        AbilityEstimate(
            id=candidate,
            theta=float(theta[index]),
            se=float(se[index]),
            responses=int(design.responses_per_candidate[index]),
        )
        for index, candidate in enumerate(table.candidates)
    )


def marginal_reliability(estimates: Sequence[AbilityEstimate]) -> float:
    """var(EAP) / (var(EAP) + mean posterior variance) over candidates with responses.

    The share of the spread in reported scores that is real differences between candidates
    rather than measurement error; NaN with fewer than two scored candidates.
    """
    scored = [estimate for estimate in estimates if estimate.responses > 0]
    if len(scored) < 2:
        return math.nan
    theta = np.array([estimate.theta for estimate in scored])
    error_variance = float(np.mean([estimate.se**2 for estimate in scored]))
    true_variance = float(np.var(theta))
    return true_variance / (true_variance + error_variance)


def percentile(estimate: AbilityEstimate, norm_group: Sequence[float]) -> NormPercentile:
    """The percentile of ``estimate`` in a norm group of abilities (mid-rank convention).

    A tie counts half: the median candidate of a group is the 50th percentile. ``low`` and
    ``high`` are the percentiles one SE below and above, so a report can say "between".
    """
    group = np.sort(np.asarray(norm_group, dtype=np.float64))
    if group.size == 0:
        raise ValidationFailed("the norm group is empty")

    def at(theta: float) -> float:
        below = np.searchsorted(group, theta, side="left")
        not_above = np.searchsorted(group, theta, side="right")
        return float(100.0 * (below + 0.5 * (not_above - below)) / group.size)

    return NormPercentile(
        percentile=at(estimate.theta),
        low=at(estimate.theta - estimate.se),
        high=at(estimate.theta + estimate.se),
        group_size=int(group.size),
    )


def as_json(calibration: Calibration) -> dict[str, object]:
    """The CLI's JSON document: items, candidates and what the caller should know."""
    items: list[Mapping[str, object]] = []
    for item in calibration.items:
        if calibration.model == "2pl":
            items.append({"id": item.id, "a": item.a, "b": item.b})
        else:
            items.append({"id": item.id, "a": item.a, "thresholds": list(item.thresholds)})
    return {
        "model": calibration.model,
        "items": items,
        "candidates": [{"id": c.id, "theta": c.theta, "se": c.se} for c in calibration.candidates],
        "converged": calibration.converged,
        "iterations": calibration.iterations,
        "marginal_reliability": None
        if math.isnan(calibration.reliability)
        else calibration.reliability,
        "warnings": list(calibration.warnings),
    }
