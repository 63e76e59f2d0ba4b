"""Agreement statistics against values worked out by hand and published examples."""

from __future__ import annotations

import math

import pytest

from assay.results.agreement import (
    alpha_words,
    kappa_words,
    krippendorff_alpha,
    ordered_pairs,
    weighted_kappa,
)


def test_quadratic_kappa_matches_the_hand_computation() -> None:
    # Rater A: 0 1 2 2, rater B: 0 2 2 1 on three levels. Observed weighted disagreement
    # (0 + ¼ + 0 + ¼) / 4 = 1/8; expected from the marginals (¼, ¼, ½) × (¼, ¼, ½) = 11/32;
    # κ = 1 − (1/8) / (11/32) = 7/11.
    pairs = [(0, 0), (1, 2), (2, 2), (2, 1)]
    assert weighted_kappa(pairs, 3) == pytest.approx(7 / 11)


def test_kappa_is_one_for_identical_ratings_and_negative_for_reversed_ones() -> None:
    assert weighted_kappa([(0, 0), (1, 1), (2, 2), (3, 3)], 4) == pytest.approx(1.0)
    # Perfectly reversed on 0..2: observed (1 + 0 + 1)/3 = 2/3, expected with uniform
    # marginals (0+1+4+1+0+1+4+1+0)/(9·4) = 1/3 → κ = 1 − 2 = −1.
    assert weighted_kappa([(0, 2), (1, 1), (2, 0)], 3) == pytest.approx(-1.0)


def test_kappa_is_undefined_without_pairs_or_without_any_possible_disagreement() -> None:
    assert math.isnan(weighted_kappa([], 3))
    assert math.isnan(weighted_kappa([(1, 1), (1, 1)], 3))
    with pytest.raises(ValueError, match=r"0\.\.2"):
        weighted_kappa([(0, 3)], 3)


def test_alpha_matches_a_small_hand_computation() -> None:
    # Units (1,1), (1,2), (3,3): n = (3, 1, 2) for values 1, 2, 3; D_o = 2/6,
    # D_e = (2·3·1·1 + 2·3·2·4 + 2·1·2·1) / 30 = 58/30 → α = 1 − 10/58 = 24/29.
    units = [[1, 1], [1, 2], [3, 3]]
    assert krippendorff_alpha(units, metric="interval") == pytest.approx(24 / 29)
    # Ordinal: δ²(1,2) = 4, δ²(1,3) = 12.25, δ²(2,3) = 2.25 → D_o = 8/6, D_e = 6 → α = 7/9.
    assert krippendorff_alpha(units, metric="ordinal") == pytest.approx(7 / 9)


def test_alpha_reproduces_krippendorffs_published_example_with_missing_values() -> None:
    # Krippendorff (2011), "Computing Krippendorff's alpha-reliability": 4 coders, 12 units.
    units = [
        [1, 1, 1],
        [2, 2, 3, 2],
        [3, 3, 3, 3],
        [3, 3, 3, 3],
        [2, 2, 2, 2],
        [1, 2, 3, 4],
        [4, 4, 4, 4],
        [1, 1, 2, 1],
        [2, 2, 2, 2],
        [5, 5, 5],
        [1, 1],
        [3],  # one value: cannot be paired, left out
    ]
    assert krippendorff_alpha(units, metric="nominal") == pytest.approx(0.743, abs=5e-4)
    assert krippendorff_alpha(units, metric="interval") == pytest.approx(0.849, abs=5e-4)
    assert krippendorff_alpha(units, metric="ordinal") == pytest.approx(0.815, abs=5e-4)


def test_alpha_is_undefined_without_pairable_or_varying_values() -> None:
    assert math.isnan(krippendorff_alpha([[1], [2]]))
    assert math.isnan(krippendorff_alpha([[2, 2], [2, 2]]))


def test_pairs_follow_rater_order_and_cover_every_pair() -> None:
    assert ordered_pairs([("b", 2), ("a", 1)]) == [(1, 2)]
    assert ordered_pairs([("c", 3), ("a", 1), ("b", 2)]) == [(1, 2), (1, 3), (2, 3)]


def test_plain_words() -> None:
    assert kappa_words(0.85) == "almost perfect agreement"
    assert kappa_words(0.5) == "moderate agreement"
    assert kappa_words(-0.1).startswith("no better than chance")
    assert alpha_words(0.9).startswith("reliable")
    assert alpha_words(0.7).startswith("tentative")
    assert alpha_words(0.2).startswith("unreliable")
    assert "not enough" in kappa_words(math.nan)
