"""IRT calibration and scoring: parameter recovery on seeded simulations, EAP, missing data."""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt
import pytest

from assay.errors import ValidationFailed
from assay.scoring import irt
from assay.scoring.responses import Response, ResponseTable

Matrix = npt.NDArray[np.float64]


def simulate_2pl(seed: int, items: int, candidates: int) -> tuple[Matrix, Matrix, Matrix, Matrix]:
    """True a ~ U(0.5, 2), b ~ N(0, 1), theta ~ N(0, 1) and the 0/1 score matrix."""
    rng = np.random.default_rng(seed)
    a = rng.uniform(0.5, 2.0, items)
    b = rng.normal(0.0, 1.0, items)
    theta = rng.normal(0.0, 1.0, candidates)
    correct = 1.0 / (1.0 + np.exp(-a * (theta[:, None] - b)))
    scores = (rng.random((candidates, items)) < correct).astype(float)
    return a, b, theta, scores


def simulate_grm(seed: int, items: int, candidates: int) -> tuple[Matrix, Matrix, Matrix]:
    """Four-category graded items with spread thresholds; returns a, thresholds, scores."""
    rng = np.random.default_rng(seed)
    a = rng.uniform(0.5, 2.0, items)
    centre = rng.normal(0.0, 1.0, items)
    spread = rng.uniform(0.6, 1.2, items)
    thresholds = np.sort(centre[:, None] + np.array([-1.0, 0.0, 1.0]) * spread[:, None], axis=1)
    theta = rng.normal(0.0, 1.0, candidates)
    at_least = 1.0 / (1.0 + np.exp(-a[None, :, None] * (theta[:, None, None] - thresholds)))
    scores = (rng.random((candidates, items))[:, :, None] < at_least).sum(axis=2).astype(float)
    return a, thresholds, scores


def table_of(scores: Matrix, *, administered: npt.NDArray[np.bool_] | None = None) -> ResponseTable:
    """Long format from a matrix; cells outside ``administered`` get no row at all."""
    shown = np.ones(scores.shape, dtype=bool) if administered is None else administered
    return ResponseTable.from_responses(
        Response(f"cand-{c}", f"item-{i:02d}", float(scores[c, i]))
        for c in range(scores.shape[0])
        for i in range(scores.shape[1])
        if shown[c, i]
    )


def correlation(x: npt.ArrayLike, y: npt.ArrayLike) -> float:
    return float(np.corrcoef(np.asarray(x), np.asarray(y))[0, 1])


def test_2pl_recovers_discriminations_and_difficulties() -> None:
    a, b, _, scores = simulate_2pl(seed=11, items=20, candidates=800)

    result = irt.calibrate(table_of(scores), model="2pl")

    assert result.converged
    assert [item.id for item in result.items] == [f"item-{i:02d}" for i in range(20)]
    # Measured: r(a) 0.93..0.98 and r(b) 0.98..0.997 over seeds 0-19; floors sit below that.
    assert correlation(a, [item.a for item in result.items]) >= 0.90
    assert correlation(b, [item.b for item in result.items]) >= 0.97
    assert float(np.sqrt(np.mean((b - [item.b for item in result.items]) ** 2))) < 0.25


def test_grm_recovers_parameters_with_ordered_thresholds() -> None:
    a, thresholds, scores = simulate_grm(seed=5, items=15, candidates=800)

    result = irt.calibrate(table_of(scores), model="grm")

    estimated = np.array([item.thresholds for item in result.items])
    assert estimated.shape == (15, 3)
    assert np.all(np.diff(estimated, axis=1) > 0)
    assert correlation(a, [item.a for item in result.items]) >= 0.90
    assert correlation(thresholds.ravel(), estimated.ravel()) >= 0.97


def test_grm_keeps_thresholds_ordered_when_a_middle_category_is_rare() -> None:
    rng = np.random.default_rng(3)
    _, _, scores = simulate_grm(seed=9, items=6, candidates=400)
    # Item 0: only a handful reach exactly 2, so b_2 and b_3 nearly coincide.
    scores[:, 0] = np.where(
        scores[:, 0] == 2, np.where(rng.random(400) < 0.95, 3.0, 2.0), scores[:, 0]
    )

    result = irt.calibrate(table_of(scores), model="grm")

    for item in result.items:
        assert list(item.thresholds) == sorted(set(item.thresholds))


def test_2pl_data_calibrated_as_grm_gives_the_same_estimates() -> None:
    _, _, _, scores = simulate_2pl(seed=4, items=8, candidates=300)
    table = table_of(scores)

    as_2pl = irt.calibrate(table, model="2pl", tolerance=1e-6)
    as_grm = irt.calibrate(table, model="grm", tolerance=1e-6)

    for one, other in zip(as_2pl.items, as_grm.items, strict=True):
        assert one.a == pytest.approx(other.a, abs=1e-6)
        assert one.thresholds == pytest.approx(other.thresholds, abs=1e-6)


def test_perfect_and_zero_scores_get_finite_abilities_with_large_errors() -> None:
    _, _, _, scores = simulate_2pl(seed=2, items=12, candidates=500)
    result = irt.calibrate(table_of(scores), model="2pl")
    extremes = ResponseTable.from_responses(
        [Response("all-right", item.id, 1.0) for item in result.items]
        + [Response("all-wrong", item.id, 0.0) for item in result.items]
    )

    top, bottom = irt.score_candidates(result.items, extremes)

    typical_se = float(np.median([c.se for c in result.candidates]))
    assert math.isfinite(top.theta)
    assert math.isfinite(bottom.theta)
    assert top.theta > max(c.theta for c in result.candidates if c.id != "all-right") - 1e-9
    assert bottom.theta < 0 < top.theta
    assert top.se > typical_se
    assert bottom.se > typical_se
    assert top.se < 1.0  # still less uncertain than knowing nothing


def test_items_not_administered_do_not_count_as_wrong() -> None:
    _, _, _, scores = simulate_2pl(seed=8, items=10, candidates=400)
    result = irt.calibrate(table_of(scores), model="2pl")
    first_five = [item.id for item in result.items[:5]]
    answered = [Response("short-form", item, 1.0) for item in first_five]
    with_zeros = answered + [Response("short-form", item.id, 0.0) for item in result.items[5:]]

    (short,) = irt.score_candidates(result.items, ResponseTable.from_responses(answered))
    (only_those,) = irt.score_candidates(result.items[:5], ResponseTable.from_responses(answered))
    (zeros,) = irt.score_candidates(result.items, ResponseTable.from_responses(with_zeros))

    assert short.responses == 5
    assert short.theta == pytest.approx(only_those.theta)
    assert short.se == pytest.approx(only_those.se)
    assert zeros.theta < short.theta - 0.5


def test_calibration_over_overlapping_forms_recovers_the_item_bank() -> None:
    a, b, _, scores = simulate_2pl(seed=21, items=20, candidates=1600)
    # Two forms share items 0-7 as anchors; form A adds 8-13, form B adds 14-19.
    on_form_a = np.arange(1600) % 2 == 0
    administered = np.zeros(scores.shape, dtype=bool)
    administered[:, :8] = True
    administered[on_form_a, 8:14] = True
    administered[~on_form_a, 14:] = True

    result = irt.calibrate(table_of(scores, administered=administered), model="2pl")

    assert all(c.responses == 14 for c in result.candidates)
    assert correlation(a, [item.a for item in result.items]) >= 0.90
    assert correlation(b, [item.b for item in result.items]) >= 0.97


def test_candidate_without_calibrated_responses_gets_the_prior() -> None:
    _, _, _, scores = simulate_2pl(seed=1, items=6, candidates=200)
    result = irt.calibrate(table_of(scores), model="2pl")

    (nobody,) = irt.score_candidates(
        result.items, ResponseTable.from_responses([Response("late", "new-item", 1.0)])
    )

    assert nobody.responses == 0
    assert nobody.theta == pytest.approx(0.0, abs=1e-9)
    assert nobody.se == pytest.approx(1.0, abs=1e-3)


def test_item_without_variance_is_excluded_with_a_warning() -> None:
    _, _, _, scores = simulate_2pl(seed=6, items=6, candidates=200)
    scores[:, 2] = 1.0

    result = irt.calibrate(table_of(scores), model="2pl")

    assert "item-02" not in [item.id for item in result.items]
    assert any("item-02" in w and "no variance" in w for w in result.warnings)


def test_small_samples_are_calibrated_with_a_warning() -> None:
    _, _, _, scores = simulate_2pl(seed=6, items=5, candidates=60)

    result = irt.calibrate(table_of(scores), model="2pl")

    assert any("only 60 candidates" in w for w in result.warnings)
    assert any("fewer than 200 responses" in w for w in result.warnings)


def test_2pl_refuses_partial_credit_and_grm_refuses_fractions() -> None:
    table = ResponseTable.from_responses(
        [Response("c1", "q1", 2.0), Response("c2", "q1", 0.0), Response("c1", "q2", 0.5)]
    )

    with pytest.raises(ValidationFailed, match="not 0 or 1"):
        irt.calibrate(table, model="2pl")
    with pytest.raises(ValidationFailed, match="not a whole number"):
        irt.calibrate(table, model="grm")


def test_grm_merges_a_score_nobody_got_into_the_category_below() -> None:
    _, _, scores = simulate_grm(seed=2, items=5, candidates=300)
    scores[:, 1] = np.where(scores[:, 1] == 2, 3.0, scores[:, 1])

    result = irt.calibrate(table_of(scores), model="grm")

    merged = next(item for item in result.items if item.id == "item-01")
    assert merged.scores == (0.0, 1.0, 3.0)
    assert len(merged.thresholds) == 2
    assert merged.category_of(2.0) == 1
    assert any("item-01" in w and "never observed" in w for w in result.warnings)


def test_category_probabilities_sum_to_one_and_shift_with_ability() -> None:
    item = irt.ItemParameters("q", a=1.5, thresholds=(-1.0, 0.0, 1.2), scores=(0, 1, 2, 3))

    probabilities = irt.category_probabilities(item, [-3.0, 0.0, 3.0])

    assert probabilities.sum(axis=0) == pytest.approx(np.ones(3))
    assert probabilities[0, 0] > 0.9
    assert probabilities[3, 2] > 0.8


def test_marginal_reliability_matches_the_squared_correlation_with_true_ability() -> None:
    _, _, theta, scores = simulate_2pl(seed=13, items=20, candidates=800)

    result = irt.calibrate(table_of(scores), model="2pl")

    squared = correlation(theta, [c.theta for c in result.candidates]) ** 2
    assert result.reliability == pytest.approx(squared, abs=0.04)
    assert 0.7 < result.reliability < 0.95


def test_percentile_uses_mid_ranks_and_reports_the_group_size() -> None:
    group = [-1.0, -0.5, 0.0, 0.5, 1.0]

    middle = irt.percentile(irt.AbilityEstimate("c", theta=0.0, se=0.6, responses=10), group)
    above_all = irt.percentile(irt.AbilityEstimate("d", theta=2.0, se=0.1, responses=10), group)

    assert middle.percentile == pytest.approx(50.0)
    assert middle.low == pytest.approx(20.0)  # two of five below -0.6
    assert middle.high == pytest.approx(80.0)
    assert middle.group_size == 5
    assert above_all.percentile == pytest.approx(100.0)
    with pytest.raises(ValidationFailed, match="empty"):
        irt.percentile(irt.AbilityEstimate("e", theta=0.0, se=1.0, responses=1), [])


def test_stopping_before_convergence_is_reported() -> None:
    _, _, _, scores = simulate_2pl(seed=3, items=6, candidates=300)

    result = irt.calibrate(table_of(scores), model="2pl", max_iterations=1)

    assert not result.converged
    assert result.iterations == 1
    assert any("did not converge in 1 cycles" in w for w in result.warnings)
