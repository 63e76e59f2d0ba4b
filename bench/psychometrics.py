"""IRT parameter recovery and speed: our EM calibration vs girth's MML and a classical baseline.

    .venv/bin/python bench/psychometrics.py               # 5 seeds, 30 items × 1,000 candidates
    .venv/bin/python bench/psychometrics.py --seeds 20

Simulates (seeded) true a ~ U(0.5, 2.0) or lognormal(0, 0.3), b ~ N(0, 1), theta ~ N(0, 1),
calibrates, and prints the correlations of true and estimated parameters, RMSEs and times.
Baselines measured on the same data in the same run: girth (the `girth` package's 2PL and
GRM marginal maximum likelihood, a dev dependency) and a classical transform of p-values and
point-biserials into a and b (Lord & Novick's normal-ogive approximations), which is what we
would report without IRT. Also runs a two-form anchor design (each candidate answers two
thirds of the items; girth gets the missing cells as its INVALID_RESPONSE sentinel) and a GRM
recovery, 20 items with 4 categories.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy import stats

from assay.scoring import irt
from assay.scoring.responses import Response, ResponseTable

Matrix = npt.NDArray[np.float64]
# An estimator returns a, b and the seconds its estimation took.
Estimator = Callable[[Matrix], tuple[Matrix, Matrix, float]]


@dataclass
class Recovery:
    r_a: list[float]
    r_b: list[float]
    rmse_a: list[float]
    rmse_b: list[float]
    seconds: list[float]

    @classmethod
    def empty(cls) -> Recovery:
        return cls([], [], [], [], [])

    def add(self, true_a: Matrix, true_b: Matrix, a: Matrix, b: Matrix, seconds: float) -> None:
        self.r_a.append(float(np.corrcoef(true_a, a)[0, 1]))
        self.r_b.append(float(np.corrcoef(true_b.ravel(), b.ravel())[0, 1]))
        self.rmse_a.append(float(np.sqrt(np.mean((true_a - a) ** 2))))
        self.rmse_b.append(float(np.sqrt(np.mean((true_b - b) ** 2))))
        self.seconds.append(seconds)

    def row(self, name: str) -> str:
        return (
            f"  {name:<22} r(a) {np.mean(self.r_a):.3f} (min {np.min(self.r_a):.3f})  "
            f"r(b) {np.mean(self.r_b):.3f} (min {np.min(self.r_b):.3f})  "
            f"RMSE a {np.mean(self.rmse_a):.3f} b {np.mean(self.rmse_b):.3f}  "
            f"time {np.mean(self.seconds):.3f} s"
        )


def simulate_2pl(
    rng: np.random.Generator, items: int, candidates: int, distribution: str
) -> tuple[Matrix, Matrix, Matrix]:
    if distribution == "uniform":
        a = rng.uniform(0.5, 2.0, items)
    else:
        a = rng.lognormal(0.0, 0.3, items)
    b = rng.normal(0.0, 1.0, items)
    theta = rng.normal(0.0, 1.0, candidates)
    correct = 1.0 / (1.0 + np.exp(-a * (theta[:, None] - b)))
    return a, b, (rng.random((candidates, items)) < correct).astype(float)


def simulate_grm(
    rng: np.random.Generator, items: int, candidates: int
) -> tuple[Matrix, Matrix, Matrix]:
    a = rng.uniform(0.5, 2.0, items)
    centre = rng.normal(0.0, 1.0, items)
    spread = rng.uniform(0.6, 1.2, items)
    thresholds = np.sort(centre[:, None] + np.array([-1.0, 0.0, 1.0]) * spread[:, None], axis=1)
    theta = rng.normal(0.0, 1.0, candidates)
    at_least = 1.0 / (1.0 + np.exp(-a[None, :, None] * (theta[:, None, None] - thresholds)))
    scores = (rng.random((candidates, items))[:, :, None] < at_least).sum(axis=2)
    return a, thresholds, scores.astype(float)


def as_table(scores: Matrix, administered: npt.NDArray[np.bool_] | None = None) -> ResponseTable:
    shown = np.ones(scores.shape, dtype=bool) if administered is None else administered
    rows, columns = np.nonzero(shown)
    return ResponseTable.from_responses(
        Response(f"c{r}", f"i{c:03d}", float(scores[r, c]))
        for r, c in zip(rows, columns, strict=True)
    )


def ours(model: irt.Model) -> Estimator:
    """Our calibration; building the long-format table from the matrix is not timed."""

    def estimate(scores: Matrix) -> tuple[Matrix, Matrix, float]:
        table = as_table(scores)
        start = time.perf_counter()
        result = irt.calibrate(table, model=model)
        seconds = time.perf_counter() - start
        return (
            np.array([item.a for item in result.items]),
            np.array([item.thresholds for item in result.items]).squeeze(),
            seconds,
        )

    return estimate


def girth_2pl(scores: Matrix) -> tuple[Matrix, Matrix, float]:
    from girth import twopl_mml  # type: ignore[import-untyped]

    start = time.perf_counter()
    result = twopl_mml(scores.T.astype(int))
    seconds = time.perf_counter() - start
    return np.asarray(result["Discrimination"]), np.asarray(result["Difficulty"]), seconds


def girth_grm(scores: Matrix) -> tuple[Matrix, Matrix, float]:
    from girth import grm_mml

    start = time.perf_counter()
    with np.errstate(divide="ignore", invalid="ignore"):  # girth logs zeros while searching
        result = grm_mml(scores.T.astype(int) + 1)  # girth numbers categories from 1
    seconds = time.perf_counter() - start
    return np.asarray(result["Discrimination"]), np.asarray(result["Difficulty"]), seconds


def classical_2pl(scores: Matrix) -> tuple[Matrix, Matrix, float]:
    """a and b from p-values and corrected point-biserials (normal-ogive, times 1.7)."""
    start = time.perf_counter()
    p = np.clip(scores.mean(axis=0), 0.01, 0.99)
    rest = scores.sum(axis=1, keepdims=True) - scores
    point_biserial = np.array(
        [np.corrcoef(scores[:, i], rest[:, i])[0, 1] for i in range(scores.shape[1])]
    )
    height = stats.norm.pdf(stats.norm.ppf(p))
    biserial = np.clip(point_biserial * np.sqrt(p * (1 - p)) / height, 0.05, 0.95)
    a = 1.7 * biserial / np.sqrt(1 - biserial**2)
    b = stats.norm.ppf(1 - p) / biserial
    return a, b, time.perf_counter() - start


def girth_available() -> bool:
    try:
        import girth  # noqa: F401
    except ImportError:
        return False
    return True


def run_2pl(seeds: int, items: int, candidates: int, distribution: str, with_girth: bool) -> None:
    print(f"2PL, {items} items × {candidates:,} candidates, a ~ {distribution}, {seeds} seeds")
    results = {"ours": Recovery.empty(), "girth": Recovery.empty(), "classical": Recovery.empty()}
    estimators: dict[str, Estimator] = {"ours": ours("2pl"), "classical": classical_2pl}
    if with_girth:
        estimators["girth"] = girth_2pl
    for seed in range(seeds):
        true_a, true_b, scores = simulate_2pl(
            np.random.default_rng(seed), items, candidates, distribution
        )
        for name, estimator in estimators.items():
            results[name].add(true_a, true_b, *estimator(scores))
    for name in estimators:
        print(results[name].row(name))
    compare(
        results["ours"],
        results["girth"] if with_girth else results["classical"],
        "girth" if with_girth else "classical",
    )


def compare(ours_: Recovery, baseline: Recovery, name: str) -> None:
    print(
        f"  ours vs {name}: r(a) {np.mean(ours_.r_a):.3f} vs {np.mean(baseline.r_a):.3f}, "
        f"r(b) {np.mean(ours_.r_b):.3f} vs {np.mean(baseline.r_b):.3f}, "
        f"time ratio ours/{name} {np.mean(ours_.seconds) / np.mean(baseline.seconds):.2f}"
    )


def run_forms(seeds: int, items: int, candidates: int, with_girth: bool) -> None:
    anchors = items // 3
    print(
        f"2PL over two forms ({anchors} anchor items, the rest split in half), "
        f"{items} items × {candidates:,} candidates, a ~ uniform, {seeds} seeds"
    )
    results = {"ours": Recovery.empty(), "girth": Recovery.empty()}
    for seed in range(seeds):
        rng = np.random.default_rng(1000 + seed)
        true_a, true_b, scores = simulate_2pl(rng, items, candidates, "uniform")
        half = anchors + (items - anchors) // 2
        administered = np.zeros(scores.shape, dtype=bool)
        administered[:, :anchors] = True
        form_a = np.arange(candidates) % 2 == 0
        administered[form_a, anchors:half] = True
        administered[~form_a, half:] = True
        table = as_table(scores, administered)
        start = time.perf_counter()
        result = irt.calibrate(table, model="2pl")
        seconds = time.perf_counter() - start
        by_id = {item.id: item for item in result.items}
        order = [f"i{c:03d}" for c in range(items)]
        results["ours"].add(
            true_a,
            true_b,
            np.array([by_id[i].a for i in order]),
            np.array([by_id[i].b for i in order]),
            seconds,
        )
        if with_girth:
            from girth.utilities import INVALID_RESPONSE  # type: ignore[import-untyped]

            # girth marks a response that was not given with a sentinel value.
            marked = np.where(administered, scores, INVALID_RESPONSE)
            results["girth"].add(true_a, true_b, *girth_2pl(marked))
    print(results["ours"].row("ours"))
    if with_girth:
        print(results["girth"].row("girth"))
        compare(results["ours"], results["girth"], "girth")


def run_grm(seeds: int, items: int, candidates: int, with_girth: bool) -> None:
    print(f"GRM, {items} items × 4 categories × {candidates:,} candidates, {seeds} seeds")
    results = {"ours": Recovery.empty(), "girth": Recovery.empty()}
    estimators: dict[str, Estimator] = {"ours": ours("grm")}
    if with_girth:
        estimators["girth"] = girth_grm
    for seed in range(seeds):
        true_a, thresholds, scores = simulate_grm(
            np.random.default_rng(2000 + seed), items, candidates
        )
        for name, estimator in estimators.items():
            results[name].add(true_a, thresholds, *estimator(scores))
    for name in estimators:
        print(results[name].row(name))
    if with_girth:
        compare(results["ours"], results["girth"], "girth")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--items", type=int, default=30)
    parser.add_argument("--candidates", type=int, default=1000)
    args = parser.parse_args()
    with_girth = girth_available()
    if not with_girth:
        print(
            "girth is not installed (pip install -e '.[dev]'): "
            "comparing with the classical baseline only"
        )
    for distribution in ("uniform", "lognormal"):
        run_2pl(args.seeds, args.items, args.candidates, distribution, with_girth)
    run_forms(args.seeds, args.items, 2 * args.candidates, with_girth)
    run_grm(args.seeds, 20, args.candidates, with_girth)


if __name__ == "__main__":
    main()
