"""Per-task similarity thresholds estimated from how much independent solutions overlap."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import numpy.typing as npt

# 1.4826 * MAD estimates the standard deviation of a normal distribution.
MAD_TO_SIGMA = 1.4826
DEFAULT_MAD_K = 6.0
DEFAULT_QUANTILE = 0.99
# Below this nobody should be asked to look, however tight the cohort's own distribution is.
DEFAULT_FLOOR = 0.3

Method = Literal["mad", "quantile"]


@dataclass(frozen=True)
class Threshold:
    """A similarity above ``value`` is worth a human look for this task."""

    value: float
    method: Method
    pairs: int  # pairs the estimate was drawn from, zeros included


def estimate_threshold(
    scores: Sequence[float] | npt.NDArray[np.float64],
    *,
    total_pairs: int | None = None,
    method: Method = "mad",
    k: float = DEFAULT_MAD_K,
    quantile: float = DEFAULT_QUANTILE,
    floor: float = DEFAULT_FLOOR,
) -> Threshold:
    """Estimate the flagging threshold of one task from its pairwise similarity scores.

    ``scores`` are the nonzero pair scores that :func:`compare_corpus` returns; pass
    ``total_pairs`` (n·(n-1)/2) so that the pairs sharing nothing count as the zeros they are.
    Copies are a small minority, so the bulk of the distribution describes independent work:

    * ``"mad"``: median + k·1.4826·MAD, a robust mean + k·sigma that a few copied pairs cannot
      drag upwards;
    * ``"quantile"``: the given quantile of all pair scores (flags a fixed share of pairs, so
      only sensible when copying is known to be rarer than 1 - quantile).

    The result never falls below ``floor`` nor exceeds 1.
    """
    values = np.asarray(scores, dtype=np.float64)
    if np.any(values < 0) or np.any(values > 1):
        raise ValueError("similarity scores must lie in 0..1")
    count = len(values) if total_pairs is None else total_pairs
    if count < len(values):
        raise ValueError("total_pairs is smaller than the number of scores")
    zeros = count - len(values)
    if count == 0:
        return Threshold(value=floor, method=method, pairs=0)
    full = np.concatenate([np.zeros(zeros), values]) if zeros else values
    if method == "quantile":
        estimate = float(np.quantile(full, quantile))
    else:
        median = float(np.median(full))
        mad = float(np.median(np.abs(full - median)))
        estimate = median + k * MAD_TO_SIGMA * mad
    return Threshold(value=min(max(estimate, floor), 1.0), method=method, pairs=count)
