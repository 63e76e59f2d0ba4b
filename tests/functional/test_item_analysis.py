"""Item analysis on constructed answers: numbers, distractor groups, flags, IRT and access."""

from __future__ import annotations

import math
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from assay.accounts.permissions import Role
from assay.content.loader import load_library
from assay.content.schemas import ChoiceItem
from assay.delivery import service as delivery
from assay.delivery.models import Attempt, Response
from assay.errors import NotFound, PermissionDenied
from assay.kit.clock import utcnow
from assay.results import item_analysis
from assay.results.models import ItemCalibration, ItemScore
from assay.scoring import classical
from tests.delivery_support import invite, make_assessment
from tests.factories import OrgFixture, make_member, make_org, principal_for
from tests.functional.conftest import api_key_for, bearer

CANDIDATES = 10


def _single_choice_items(count: int) -> list[ChoiceItem]:
    items = [
        item
        for _loaded, item in load_library().valid()
        if isinstance(item, ChoiceItem) and item.mode == "single" and len(item.options) >= 4
    ]
    return sorted(items, key=lambda item: item.id)[:count]


def _answer(
    db: Session, org: OrgFixture, attempt: Attempt, item: ChoiceItem, picked: str, seconds: float
) -> None:
    right = picked in item.keys
    db.add(
        ItemScore(
            organization_id=org.organization.id,
            attempt_id=attempt.id,
            item_id=item.id,
            item_version=item.version,
            kind="choice",
            score=float(right),
            category=int(right),
            categories=2,
            seconds=seconds,
        )
    )
    db.add(
        Response(
            organization_id=org.organization.id,
            attempt_id=attempt.id,
            item_id=item.id,
            item_version=item.version,
            section_index=0,
            answer={"selected": [picked]},
            sequence=1,
        )
    )


@pytest.fixture
def answered(db: Session, org: OrgFixture) -> dict[str, Any]:
    """Ten candidates, strongest first, on five items built to raise known flags.

    filler1/filler2: right for the top 6 / top 4 (they set the ranking);
    target: right for the top 5, the bottom 5 pick the first distractor, the last
    distractor is never picked; easy: everyone right; reversed: the top 5 pick a
    distractor, the bottom 5 the key.
    """
    filler1, filler2, target, easy, reversed_ = _single_choice_items(5)
    assessment = make_assessment(db, org)
    for rank in range(CANDIDATES):
        _candidate, token = invite(db, org, assessment)
        access = delivery.start(db, token=token, browser_id="b" * 16, ip=None, user_agent=None)
        attempt = access.attempt
        assert attempt is not None
        attempt.finished_at = utcnow()

        def wrong(item: ChoiceItem, which: int = 0) -> str:
            return [o.id for o in item.options if not o.correct][which]

        _answer(db, org, attempt, filler1, filler1.keys[0] if rank < 6 else wrong(filler1), 20)
        _answer(db, org, attempt, filler2, filler2.keys[0] if rank < 4 else wrong(filler2), 20)
        _answer(db, org, attempt, target, target.keys[0] if rank < 5 else wrong(target), 30 + rank)
        _answer(db, org, attempt, easy, easy.keys[0], 10)
        _answer(
            db, org, attempt, reversed_, wrong(reversed_) if rank < 5 else reversed_.keys[0], 40
        )
    db.add(
        ItemCalibration(
            organization_id=org.organization.id,
            item_id=target.id,
            item_version=target.version,
            model="2pl",
            params={"a": 1.25, "thresholds": [0.3], "scores": [0.0, 1.0]},
            responses=CANDIDATES,
        )
    )
    db.flush()
    return {
        "assessment": assessment,
        "target": target,
        "easy": easy,
        "reversed": reversed_,
        "filler1": filler1,
    }


def test_numbers_and_flags_on_constructed_answers(
    db: Session, org: OrgFixture, answered: dict[str, Any]
) -> None:
    report = item_analysis.analyse(
        db, principal=org.principal, assessment_id=answered["assessment"].id
    )
    assert report.candidates == CANDIDATES
    by_id = {i.item_id: i for i in report.items}
    target = by_id[answered["target"].id]
    assert target.responses == CANDIDATES
    assert target.p_value == pytest.approx(0.5)
    assert target.mean_seconds == pytest.approx(34.5)  # 30..39
    assert target.point_biserial > 0.5
    assert (target.irt_model, target.irt_a, target.irt_b) == ("2pl", 1.25, (0.3,))
    # 27 % of 10 → groups of 3: the top 3 all pick the key, the bottom 3 the first distractor.
    table = target.distractors
    assert table is not None
    assert table.upper_group == table.lower_group == 3
    options = {o.option: o for o in table.options}
    key = answered["target"].keys[0]
    first_wrong, *_rest, last_wrong = [o.id for o in answered["target"].options if not o.correct]
    assert (options[key].upper_share, options[key].lower_share) == (1.0, 0.0)
    assert (options[first_wrong].picked, options[first_wrong].lower_share) == (5, 1.0)
    assert options[last_wrong].picked == 0
    codes = {f.code for f in target.flags}
    assert "unused_distractor" in codes
    assert "strong_distractor" not in codes
    easy = by_id[answered["easy"].id]
    assert easy.p_value == 1.0
    assert [f.code for f in easy.flags if f.code.startswith("too")] == ["too_easy"]
    assert math.isnan(easy.point_biserial)  # no spread: undefined, not zero
    reversed_ = by_id[answered["reversed"].id]
    reversed_codes = {f.code for f in reversed_.flags}
    assert {"negative_discrimination", "strong_distractor"} <= reversed_codes
    assert reversed_.point_biserial < 0
    # Flagged items come first.
    assert report.items[0].flags
    assert not by_id[answered["filler1"].id].irt_model


def test_statistics_agree_with_the_classical_module(
    db: Session, org: OrgFixture, answered: dict[str, Any]
) -> None:
    from assay.scoring.responses import Response as Scored
    from assay.scoring.responses import ResponseTable

    report = item_analysis.analyse(db, principal=org.principal)
    target = next(i for i in report.items if i.item_id == answered["target"].id)
    # Rebuild the rest score by hand for the target: candidates ranked 0..9, fillers and
    # the easy and reversed items as constructed above.
    rows = []
    for rank in range(CANDIDATES):
        marks = {
            "f1": rank < 6,
            "f2": rank < 4,
            "t": rank < 5,
            "e": True,
            "r": rank >= 5,
        }
        rows.extend(Scored(str(rank), item, float(mark)) for item, mark in marks.items())
    expected = {s.id: s for s in classical.item_statistics(ResponseTable.from_responses(rows))}
    assert target.point_biserial == pytest.approx(expected["t"].discrimination)


def test_api_content_authors_only_and_scoped_to_the_organization(
    client: TestClient, db: Session, org: OrgFixture, answered: dict[str, Any]
) -> None:
    admin = api_key_for(db, org, "admin")
    body = client.get(
        "/api/v1/item-analysis",
        params={"assessment_id": str(answered["assessment"].id)},
        headers=bearer(admin),
    ).json()
    assert body["candidates"] == CANDIDATES
    easy = next(i for i in body["items"] if i["item_id"] == answered["easy"].id)
    assert easy["point_biserial"] is None
    assert "too_easy" in [f["code"] for f in easy["flags"]]
    for role in ("reviewer", "recruiter"):
        denied = client.get("/api/v1/item-analysis", headers=bearer(api_key_for(db, org, role)))
        assert denied.status_code == 403
    other = make_org(db)
    other_key = api_key_for(db, other, "admin")
    foreign = client.get(
        "/api/v1/item-analysis",
        params={"assessment_id": str(answered["assessment"].id)},
        headers=bearer(other_key),
    )
    assert foreign.status_code == 404
    assert client.get("/api/v1/item-analysis", headers=bearer(other_key)).json()["items"] == []
    reviewer = principal_for(make_member(db, org, role=Role.REVIEWER))
    with pytest.raises(PermissionDenied):
        item_analysis.analyse(db, principal=reviewer)
    with pytest.raises(NotFound):
        item_analysis.analyse(
            db, principal=other.principal, assessment_id=answered["assessment"].id
        )


def test_the_page_shows_flags_and_the_distractor_table(
    client: TestClient, db: Session, org: OrgFixture, answered: dict[str, Any]
) -> None:
    from tests.functional.test_sessions import login

    login(client, org.owner.email)
    page = client.get("/item-analysis", params={"assessment_id": str(answered["assessment"].id)})
    assert page.status_code == 200
    assert "too easy" in page.text
    assert "Upper group" in page.text
    assert "a = 1.25, b = 0.30" in page.text
