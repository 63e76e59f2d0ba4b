"""Per-task threshold estimation from the distribution of pair scores."""

from __future__ import annotations

import numpy as np
import pytest

from assay.integrity import estimate_threshold


def independent_scores(count: int, seed: int = 3) -> list[float]:
    rng = np.random.default_rng(seed)
    return list(np.clip(rng.normal(0.12, 0.03, count), 0.001, 1.0))


def test_mad_threshold_sits_above_independent_work_and_below_copies() -> None:
    scores = independent_scores(2000)
    copies = [0.85, 0.9, 0.95]
    threshold = estimate_threshold(scores + copies, floor=0.0)
    assert max(scores) < threshold.value + 0.05
    assert threshold.value < min(copies)
    assert threshold.method == "mad"
    assert threshold.pairs == 2003


def test_a_few_copies_do_not_drag_the_mad_threshold_up() -> None:
    scores = independent_scores(500)
    clean = estimate_threshold(scores, floor=0.0).value
    dirty = estimate_threshold(scores + [0.99] * 10, floor=0.0).value
    assert abs(dirty - clean) < 0.02


def test_pairs_sharing_nothing_count_as_zeros() -> None:
    scores = [0.2, 0.25, 0.3]
    with_zeros = estimate_threshold(scores, total_pairs=1000, method="quantile", floor=0.0)
    without = estimate_threshold(scores, method="quantile", floor=0.0)
    assert with_zeros.value == 0.0  # the 99th percentile of mostly-zero pairs
    assert without.value > 0.25


def test_floor_and_validation() -> None:
    assert estimate_threshold([0.01, 0.02, 0.01]).value == 0.3
    assert estimate_threshold([]).value == 0.3
    with pytest.raises(ValueError, match=r"0\.\.1"):
        estimate_threshold([1.5])
    with pytest.raises(ValueError, match="total_pairs"):
        estimate_threshold([0.1, 0.2], total_pairs=1)
