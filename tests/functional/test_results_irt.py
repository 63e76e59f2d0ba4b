"""Results on the IRT path: calibration from stored answers, EAP scores, ranking, norms.

A seeded cohort answers library choice items by a 2PL (tests/irt_support.py); every number
then comes from the real results service: recompute, calibrate, recompute again.
"""

from __future__ import annotations

import itertools
import math
import statistics
import uuid
from typing import Any

import numpy as np
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from assay.results import repository, service
from assay.results.models import AttemptScore, ItemCalibration
from assay.scoring import irt
from tests.delivery_support import make_assessment
from tests.factories import OrgFixture
from tests.functional.conftest import api_key_for, bearer
from tests.irt_support import Cohort, recompute_all, simulate_cohort

# Enough for the service's own thresholds: ≥ 100 candidates and ≥ 200 responses per item.
CANDIDATES = 320
LONG_FORM = 20
SHORT_FORM = 7


def _scores(db: Session, org: OrgFixture, cohort: Cohort) -> dict[uuid.UUID, AttemptScore]:
    return {
        s.attempt_id: s
        for s in repository.attempt_scores_of(
            db, organization_id=org.organization.id, assessment_ids=[cohort.assessment.id]
        )
    }


def _calibrations(db: Session, org: OrgFixture) -> dict[str, ItemCalibration]:
    rows = db.scalars(
        select(ItemCalibration).where(ItemCalibration.organization_id == org.organization.id)
    )
    return {row.item_id: row for row in rows}


def _calibrated_cohort(db: Session, org: OrgFixture, *, candidates: int = CANDIDATES) -> Cohort:
    cohort = simulate_cohort(
        db,
        org,
        make_assessment(db, org),
        candidates=candidates,
        long_form=LONG_FORM,
        short_form=SHORT_FORM,
    )
    recompute_all(db, cohort)
    service.calibrate(db, organization_id=org.organization.id)
    return cohort


@pytest.fixture
def cohort(db: Session, org: OrgFixture) -> Cohort:
    """The simulated cohort, scored classically, calibrated, then scored again."""
    cohort = _calibrated_cohort(db, org)
    recompute_all(db, cohort)
    return cohort


def test_enough_responses_calibrate_every_item_and_switch_scores_to_eap(
    db: Session, org: OrgFixture, cohort: Cohort
) -> None:
    # The data meet the documented thresholds (and no form is shared by three candidates).
    assert min(cohort.responses_per_item().values()) >= irt.MIN_RESPONSES_PER_ITEM
    assert len(cohort.attempt_ids) >= irt.MIN_CANDIDATES
    assert cohort.largest_shared_form() < 3

    calibrations = _calibrations(db, org)
    assert set(calibrations) == {s.item.id for s in cohort.items}
    versions = {s.item.id: s.item.version for s in cohort.items}
    for item_id, row in calibrations.items():
        assert row.model == "2pl"
        assert row.item_version == versions[item_id]
        assert row.responses == cohort.responses_per_item()[item_id]
        assert math.isfinite(row.params["a"])
        assert row.params["a"] > 0
        assert len(row.params["thresholds"]) == 1
        assert math.isfinite(row.params["thresholds"][0])
        assert row.params["scores"] == [0.0, 1.0]

    scores = _scores(db, org, cohort)
    assert len(scores) == CANDIDATES
    assert {s.method for s in scores.values()} == {"irt"}
    for score in scores.values():
        assert score.theta is not None
        assert score.theta_sd is not None
        assert 0 < score.theta_sd < 1  # the posterior is narrower than the N(0, 1) prior
        # Overall is Φ(θ) × 100 with the delta-method SE.
        assert score.overall == pytest.approx(
            100 * statistics.NormalDist().cdf(score.theta), abs=0.01
        )
        density = math.exp(-(score.theta**2) / 2) / math.sqrt(2 * math.pi)
        assert score.overall_se == pytest.approx(100 * density * score.theta_sd, abs=0.01)

    # EAP recovers the simulated abilities.
    attempts = list(scores)
    estimated = [scores[a].theta for a in attempts]
    true = [cohort.theta[a] for a in attempts]
    assert np.corrcoef(estimated, true)[0, 1] > 0.8

    # Twenty answers pin a candidate down more than seven do.
    def sd_by_form(length: int, *, central: bool = False) -> list[float]:
        return [
            float(s.theta_sd or 0)
            for a, s in scores.items()
            if len(cohort.shown[a]) == length and (not central or abs(s.theta or 0) < 1)
        ]

    assert statistics.mean(sd_by_form(LONG_FORM)) < 0.8 * statistics.mean(sd_by_form(SHORT_FORM))
    # Away from the extremes (where a perfect score widens the posterior) every long form
    # measures more precisely than every short one.
    assert max(sd_by_form(LONG_FORM, central=True)) < min(sd_by_form(SHORT_FORM, central=True))


def test_the_ranking_shows_order_probabilities_percentiles_and_marginal_reliability(
    client: TestClient, db: Session, org: OrgFixture, cohort: Cohort
) -> None:
    key = api_key_for(db, org, "recruiter")
    url = f"/api/v1/assessments/{cohort.assessment.id}/results"
    rows: list[dict[str, Any]] = []
    cursor: str | None = None
    while True:
        params = {"limit": 100} | ({"cursor": cursor} if cursor else {})
        body = client.get(url, params=params, headers=bearer(key)).json()
        rows += body["items"]
        cursor = body["next_cursor"]
        if cursor is None:
            break
    assert body["total"] == len(rows) == CANDIDATES
    # Displayed by overall score (ties in any order); ranks number them 1..n.
    assert sorted(r["rank"] for r in rows) == list(range(1, CANDIDATES + 1))
    assert all(a["overall"] >= b["overall"] for a, b in itertools.pairwise(rows))
    rows.sort(key=lambda r: r["rank"])
    assert {r["method"] for r in rows} == {"irt"}
    scores = _scores(db, org, cohort)
    thetas = [float(s.theta or 0) for s in scores.values()]
    for row, below in itertools.pairwise(rows):
        assert row["overall"] >= below["overall"]
        assert 0.5 <= row["p_above_next"] <= 1.0
        # Percentiles are mid-ranks among all scored candidates of the assessment; Φ keeps
        # the order of θ, so they match the θ percentile up to ties from rounding overall.
        own = scores[uuid.UUID(row["attempt_id"])]
        estimate = irt.AbilityEstimate(
            id="", theta=float(own.theta or 0), se=float(own.theta_sd or 0), responses=1
        )
        assert row["percentile"] == pytest.approx(
            irt.percentile(estimate, thetas).percentile, abs=0.5
        )
    assert rows[-1]["p_above_next"] is None
    assert rows[0]["percentile"] > 99
    assert rows[-1]["percentile"] < 1

    # The report puts the candidate in the assessment's norm group, with its size.
    middle = rows[len(rows) // 2]
    report = client.get(f"/api/v1/attempts/{middle['attempt_id']}/report", headers=bearer(key))
    body = report.json()
    assert body["method"] == "irt"
    assert body["theta"] is not None
    assert body["theta_sd"] > 0
    (norm,) = body["norms"]
    assert norm["group_size"] == CANDIDATES
    assert norm["low"] <= norm["percentile"] == middle["percentile"] <= norm["high"]
    assert 40 < norm["percentile"] < 60

    # Every candidate sat a different form: reliability is the marginal reliability, close
    # to the scoring library's own over the EAP θs and posterior SDs.
    reliability = client.get(url, params={"limit": 1}, headers=bearer(key)).json()["reliability"]
    assert reliability["kind"] == "marginal reliability"
    assert reliability["candidates"] == CANDIDATES
    on_theta = irt.marginal_reliability(
        [
            irt.AbilityEstimate(
                id=str(a), theta=float(s.theta or 0), se=float(s.theta_sd or 0), responses=1
            )
            for a, s in scores.items()
        ]
    )
    assert 0.6 < reliability["value"] < 1
    assert reliability["value"] == pytest.approx(on_theta, abs=0.05)
    assert reliability["sem"] > 0
    assert "marginal reliability" in reliability["explanation"]


def test_service_calibration_matches_the_scoring_library_and_recovers_the_simulation(
    db: Session, org: OrgFixture
) -> None:
    cohort = _calibrated_cohort(db, org)
    stored = _calibrations(db, org)
    library = irt.calibrate(cohort.table(), model="2pl")
    assert library.converged
    assert {p.id for p in library.items} == set(stored)
    for params in library.items:
        row = stored[params.id]
        assert row.params["a"] == pytest.approx(params.a, rel=1e-9)
        assert row.params["thresholds"][0] == pytest.approx(params.b, rel=1e-9, abs=1e-12)
    truth = {s.item.id: s for s in cohort.items}
    ids = sorted(stored)
    recovered_b = [stored[i].params["thresholds"][0] for i in ids]
    recovered_a = [stored[i].params["a"] for i in ids]
    assert np.corrcoef(recovered_b, [truth[i].b for i in ids])[0, 1] > 0.9
    assert np.corrcoef(recovered_a, [truth[i].a for i in ids])[0, 1] > 0.5
    rmse_b = math.sqrt(
        statistics.mean((stored[i].params["thresholds"][0] - truth[i].b) ** 2 for i in ids)
    )
    assert rmse_b < 0.4


def test_too_few_responses_keep_classical_scores(db: Session, org: OrgFixture) -> None:
    # Enough candidates, but every item has fewer than 200 responses.
    cohort = _calibrated_cohort(db, org, candidates=150)
    assert len(cohort.attempt_ids) >= irt.MIN_CANDIDATES
    assert max(cohort.responses_per_item().values()) < irt.MIN_RESPONSES_PER_ITEM
    assert _calibrations(db, org) == {}
    recompute_all(db, cohort)
    scores = _scores(db, org, cohort)
    assert len(scores) == 150
    for score in scores.values():
        assert score.method == "classical"
        assert score.theta is None
        assert score.theta_sd is None
        assert 0 <= score.overall <= 100
        assert score.overall_se > 0


def test_p_above_next_on_the_irt_path_comes_from_theta_and_its_se(
    db: Session, org: OrgFixture
) -> None:
    # A smaller cohort calibrated below the production thresholds keeps this test cheap;
    # the ranking code is the same on either side of them.
    cohort = simulate_cohort(db, org, make_assessment(db, org), candidates=100)
    recompute_all(db, cohort)
    assert service.calibrate(
        db, organization_id=org.organization.id, min_responses=50, min_candidates=50
    ) == len(cohort.items)
    recompute_all(db, cohort)
    rows = service.ranking(db, principal=org.principal, assessment_id=cohort.assessment.id)
    ranked = sorted(rows, key=lambda r: r.rank or 0)
    assert {r.score.method for r in ranked if r.score} == {"irt"}
    for row, below in itertools.pairwise(ranked):
        assert row.score is not None
        assert below.score is not None
        expected = service.p_above(
            (float(row.score.theta or 0), float(row.score.theta_sd or 0)),
            (float(below.score.theta or 0), float(below.score.theta_sd or 0)),
        )
        assert row.p_above_next == pytest.approx(expected, abs=0.01)


def test_tied_candidates_are_listed_in_rank_order(db: Session, org: OrgFixture) -> None:
    cohort = simulate_cohort(db, org, make_assessment(db, org), candidates=3)
    recompute_all(db, cohort)
    # Two stored scores that tie exactly (on the IRT path rounding Φ(θ) · 100 to two
    # decimals makes such ties common), and one below them.
    for score, overall in zip(_scores(db, org, cohort).values(), (60.0, 60.0, 40.0), strict=True):
        score.overall, score.overall_se = overall, 5.0
    db.flush()
    rows = service.ranking(db, principal=org.principal, assessment_id=cohort.assessment.id)
    assert [r.score.overall for r in rows if r.score] == [60.0, 60.0, 40.0]
    assert [r.rank for r in rows] == [1, 2, 3]
