"""Human review over HTTP and through the service: assignment, blindness, scores, adjudication."""

from __future__ import annotations

import uuid
from collections import Counter
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from markupsafe import escape
from sqlalchemy import select
from sqlalchemy.orm import Session

from assay.accounts.models import User
from assay.accounts.permissions import Role
from assay.content.schemas import FreeTextTask
from assay.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from assay.results import review
from assay.results.models import ItemScore, ReviewAssignment, ReviewStatus, ScoreStatus
from tests.delivery_support import make_assessment
from tests.factories import OrgFixture, make_member, principal_for
from tests.functional.conftest import api_key_for, bearer
from tests.functional.test_sessions import csrf, login
from tests.review_support import written_attempt


def _assignments(db: Session, response_id: uuid.UUID) -> list[ReviewAssignment]:
    return list(
        db.scalars(select(ReviewAssignment).where(ReviewAssignment.response_id == response_id))
    )


def _levels(task: FreeTextTask, level: int) -> dict[str, int]:
    return {criterion.id: level for criterion in task.rubric}


def _review(db: Session, assignment: ReviewAssignment, levels: dict[str, int]) -> Any:
    user = db.get(User, assignment.reviewer_id)
    assert user is not None
    return review.submit(
        db, principal=principal_for(user), assignment_id=assignment.id, levels=levels
    )


@pytest.fixture
def team(db: Session, org: OrgFixture) -> list[User]:
    """The owner plus two reviewers and a recruiter: four people allowed to review."""
    return [org.owner] + [
        make_member(db, org, role=role) for role in (Role.REVIEWER, Role.REVIEWER, Role.RECRUITER)
    ]


def test_assignment_spreads_load_and_never_repeats_a_reviewer(
    db: Session, org: OrgFixture, team: list[User]
) -> None:
    assessment = make_assessment(db, org)
    responses = [r for _ in range(3) for r in written_attempt(db, org, assessment)[1]]
    created = review.assign_pending(db)
    assert created == 2 * len(responses)
    load: Counter[uuid.UUID] = Counter()
    for response in responses:
        reviewers = [a.reviewer_id for a in _assignments(db, response.id)]
        assert len(reviewers) == len(set(reviewers)) == 2
        load.update(reviewers)
    assert set(load) <= {u.id for u in team}
    assert max(load.values()) - min(load.get(u.id, 0) for u in team) <= 1
    # A second sweep finds nothing to do; asking for more never reuses a reviewer.
    assert review.assign_pending(db) == 0
    extra = review.assign_response(db, response=responses[0], count=10)
    assert len(extra) == 2  # only four members may review
    reviewers = [a.reviewer_id for a in _assignments(db, responses[0].id)]
    assert sorted(map(str, reviewers)) == sorted({str(u.id) for u in team})


def test_inactive_members_and_empty_answers_get_no_assignment(
    db: Session, org: OrgFixture, team: list[User]
) -> None:
    for user in team[1:]:
        user.is_active = False
    attempt, responses = written_attempt(db, org, make_assessment(db, org))
    responses[0].answer = {"text": "   "}
    db.flush()
    created = review.assign_attempt(db, principal=org.principal, attempt_id=attempt.id)
    assert all(a.reviewer_id == org.owner.id for a in created)
    assert _assignments(db, responses[0].id) == []


def test_review_completion_scores_the_answer_through_results(
    db: Session, org: OrgFixture, team: list[User]
) -> None:
    attempt, responses = written_attempt(db, org, make_assessment(db, org))
    response = responses[0]
    review.assign_response(db, response=response)
    first, second = _assignments(db, response.id)
    task = review.free_text_task(response.item_id)
    outcome = _review(db, first, _levels(task, 3))
    assert not outcome.answer_complete
    assert outcome.review.score == pytest.approx(1.0)
    first_criterion = task.rubric[0]
    outcome = _review(db, second, _levels(task, 3) | {first_criterion.id: 2})
    assert outcome.answer_complete
    assert outcome.final
    assert outcome.adjudication is None
    score = db.scalar(
        select(ItemScore).where(
            ItemScore.attempt_id == attempt.id, ItemScore.item_id == response.item_id
        )
    )
    assert score is not None
    assert score.status is ScoreStatus.SCORED
    # Weighted mean of levels / top level, averaged over the two reviewers.
    weights = sum(c.weight for c in task.rubric)
    second_share = (weights - first_criterion.weight / 3) / weights
    assert score.score == pytest.approx((1.0 + second_share) / 2)
    with pytest.raises(Conflict):
        _review(db, second, _levels(task, 1))


def test_a_review_needs_a_level_for_every_criterion_from_its_own_reviewer(
    db: Session, org: OrgFixture, team: list[User]
) -> None:
    _attempt, responses = written_attempt(db, org, make_assessment(db, org))
    review.assign_response(db, response=responses[0])
    first, second = _assignments(db, responses[0].id)
    task = review.free_text_task(responses[0].item_id)
    partial = _levels(task, 1)
    partial.pop(task.rubric[0].id)
    with pytest.raises(ValidationFailed, match="Choose a level"):
        _review(db, first, partial)
    with pytest.raises(ValidationFailed, match="has levels"):
        _review(db, first, _levels(task, 7))
    other = db.get(User, second.reviewer_id)
    assert other is not None
    with pytest.raises((NotFound, PermissionDenied)):
        review.submit(
            db, principal=principal_for(other), assignment_id=first.id, levels=_levels(task, 1)
        )


def test_disagreement_goes_to_an_admin_whose_levels_are_final(db: Session, org: OrgFixture) -> None:
    reviewers = [make_member(db, org, role=Role.REVIEWER) for _ in range(2)]
    admin = make_member(db, org, role=Role.ADMIN)
    attempt, responses = written_attempt(db, org, make_assessment(db, org))
    response = responses[0]
    task = review.free_text_task(response.item_id)
    # Only the two reviewers are in the pool for the first round.
    org.owner.is_active = admin.is_active = False
    db.flush()
    review.assign_response(db, response=response)
    org.owner.is_active = admin.is_active = True
    db.flush()
    first, second = _assignments(db, response.id)
    assert {first.reviewer_id, second.reviewer_id} == {r.id for r in reviewers}
    _review(db, first, _levels(task, 3))
    outcome = _review(db, second, _levels(task, 1))
    assert outcome.disagreement is not None
    assert "apart" in outcome.disagreement
    assert not outcome.final
    adjudication = outcome.adjudication
    assert adjudication is not None
    assert adjudication.adjudication
    assert adjudication.reviewer_id in {admin.id, org.owner.id}
    # The adjudicator sees the two disagreeing reviews; they are final once given.
    seen = review.review_task(
        db,
        principal=principal_for(db.get(User, adjudication.reviewer_id)),  # type: ignore[arg-type]
        assignment_id=adjudication.id,
    )
    assert [e.share for e in seen.earlier_reviews] == [pytest.approx(1.0), pytest.approx(1 / 3)]
    final = _review(db, adjudication, _levels(task, 2))
    assert final.final
    score = db.scalar(
        select(ItemScore).where(
            ItemScore.attempt_id == attempt.id, ItemScore.item_id == response.item_id
        )
    )
    assert score is not None
    assert score.score == pytest.approx(2 / 3)


def test_an_answer_waiting_for_adjudication_stays_pending(db: Session, org: OrgFixture) -> None:
    from assay.results import rules
    from assay.results import service as results

    reviewers = [make_member(db, org, role=Role.REVIEWER) for _ in range(2)]
    make_member(db, org, role=Role.ADMIN)
    attempt, responses = written_attempt(db, org, make_assessment(db, org))
    response = responses[0]
    task = review.free_text_task(response.item_id)
    org.owner.is_active = False
    active = {r.id for r in reviewers}
    for user in db.scalars(select(User).where(User.organization_id == org.organization.id)):
        if user.id not in active:
            user.is_active = False
    db.flush()
    review.assign_response(db, response=response)
    for user in db.scalars(select(User).where(User.organization_id == org.organization.id)):
        user.is_active = True
    db.flush()
    first, second = _assignments(db, response.id)
    _review(db, first, _levels(task, 3))
    outcome = _review(db, second, _levels(task, 0))
    assert outcome.adjudication is not None

    def stored() -> ItemScore:
        found = db.scalar(
            select(ItemScore).where(
                ItemScore.attempt_id == attempt.id, ItemScore.item_id == response.item_id
            )
        )
        assert found is not None
        return found

    # Not the mean (0.5) of two reviews that disagree: pending until the adjudicator decides.
    assert stored().status is ScoreStatus.PENDING
    score = results.recompute(db, attempt_id=attempt.id)
    assert score is not None
    assert score.pending_items >= 1
    _review(db, outcome.adjudication, _levels(task, 1))
    assert stored().status is ScoreStatus.SCORED
    assert stored().score == pytest.approx(rules.rubric_share(task, _levels(task, 1)))


def test_close_reviews_need_no_adjudication() -> None:
    from assay.delivery.content import library_item

    task = library_item("design-tenant-rate-limits")[0]
    assert isinstance(task, FreeTextTask)
    ids = [c.id for c in task.rubric]
    # One level apart on two criteria (weights 3.0 + 2.0 of 10): a share gap of 1/6.
    close = _levels(task, 3) | {ids[0]: 2, ids[1]: 2}
    assert review.disagreement(task, [_levels(task, 3), close]) is None
    far = _levels(task, 2) | {ids[0]: 0}
    assert "apart" in (review.disagreement(task, [_levels(task, 2), far]) or "")
    # One level apart everywhere is a share gap of 1/3 > 0.25: adjudicate.
    assert "differ" in (review.disagreement(task, [_levels(task, 1), _levels(task, 2)]) or "")


def _client_for(app: FastAPI, user: User) -> TestClient:
    client = TestClient(app, base_url="http://testserver")
    assert login(client, user.email).status_code == 303  # type: ignore[attr-defined]
    return client


def test_reviewers_see_neither_other_reviews_nor_scores_nor_the_name(
    app: FastAPI, db: Session, org: OrgFixture
) -> None:
    first_user, second_user = (make_member(db, org, role=Role.REVIEWER) for _ in range(2))
    org.owner.is_active = False
    attempt, responses = written_attempt(db, org, make_assessment(db, org), name="Grace Hopper")
    review.assign_response(db, response=responses[0])
    org.owner.is_active = True
    db.flush()
    task = review.free_text_task(responses[0].item_id)
    by_reviewer = {a.reviewer_id: a for a in _assignments(db, responses[0].id)}
    first, second = by_reviewer[first_user.id], by_reviewer[second_user.id]
    with _client_for(app, first_user) as client:
        queue = client.get("/api/v1/reviews/queue").json()["items"]
        assert [q["assignment_id"] for q in queue] == [str(first.id)]
        page = client.get(f"/reviews/{first.id}")
        assert page.status_code == 200
        form = {f"level-{c.id}": "3" for c in task.rubric} | {
            f"comment-{task.rubric[0].id}": "Secret remark of reviewer one"
        }
        posted = client.post(
            f"/reviews/{first.id}",
            data=form | {"csrf_token": csrf(client, "/reviews")},
            follow_redirects=False,
        )
        assert posted.status_code == 303, posted.text
        # Someone else's assignment does not exist for a reviewer.
        assert client.get(f"/api/v1/review-assignments/{second.id}").status_code == 404
    with _client_for(app, second_user) as client:
        body = client.get(f"/api/v1/review-assignments/{second.id}").json()
        assert body["answer"].startswith("My design")
        assert body["own_review"] is None
        assert body["earlier_reviews"] == []
        assert [len(c["levels"]) for c in body["rubric"]] == [4] * len(task.rubric)
        page = client.get(f"/reviews/{second.id}").text
        for text in (str(body), page):
            assert "Grace Hopper" not in text
            assert "Secret remark" not in text
            assert "overall" not in text.lower()
        assert body["candidate"] == review.candidate_label(attempt.id)
        assert 'type="radio"' in page
        assert str(escape(task.rubric[0].levels[0].descriptor)) in page
        token = csrf(client, "/reviews")
        done = client.post(
            f"/api/v1/review-assignments/{second.id}/review",
            json={"levels": {c.id: 3 for c in task.rubric}},
            headers={"x-csrf-token": token},
        )
        assert done.status_code == 201, done.text
        assert done.json()["final"] is True
    assert second.status is ReviewStatus.DONE


def test_agreement_api_and_page_in_plain_words(
    client: TestClient, db: Session, org: OrgFixture
) -> None:
    a, b = (make_member(db, org, role=Role.REVIEWER) for _ in range(2))
    org.owner.is_active = False
    assessment = make_assessment(db, org)
    plans = [(3, 3), (2, 2), (1, 2), (0, 0)]
    for first_level, second_level in plans:
        _attempt, responses = written_attempt(db, org, assessment)
        response = responses[0]
        review.assign_response(db, response=response)
        task = review.free_text_task(response.item_id)
        by_reviewer = {x.reviewer_id: x for x in _assignments(db, response.id)}
        _review(db, by_reviewer[a.id], _levels(task, first_level))
        _review(db, by_reviewer[b.id], _levels(task, second_level))
    org.owner.is_active = True
    db.flush()
    key = api_key_for(db, org, "recruiter")
    body = client.get(
        f"/api/v1/assessments/{assessment.id}/review-agreement", headers=bearer(key)
    ).json()
    assert body["reviews"] == 8
    # Per reviewer and overall on the same pairs; every criterion got the same level, so
    # the kappa of the pooled pairs equals the kappa of the (first, second) plan.
    from assay.results.agreement import krippendorff_alpha, weighted_kappa

    criteria = sum(i["pairs"] for i in body["items"]) // len(plans)
    pairs = [(x, y) for x, y in plans for _ in range(criteria)]
    for row in body["reviewers"]:
        assert row["kappa"] == pytest.approx(weighted_kappa(pairs, 4), abs=1e-4)
    units = [[x / 3, y / 3] for x, y in plans for _ in range(criteria)]
    assert body["alpha"] == pytest.approx(krippendorff_alpha(units), abs=1e-4)
    assert "agreement" in body["reviewers"][0]["meaning"]
    assert body["alpha_meaning"]
    reviewer_key = api_key_for(db, org, "reviewer")
    assert (
        client.get(
            f"/api/v1/assessments/{assessment.id}/review-agreement", headers=bearer(reviewer_key)
        ).status_code
        == 403
    )
    login(client, org.owner.email)
    page = client.get(f"/assessments/{assessment.id}/review-agreement")
    assert page.status_code == 200
    assert "Krippendorff" in page.text
    assert a.name in page.text


def test_the_periodic_sweep_runs_the_reviewer_assignment() -> None:
    from assay.jobs import _SWEEPS, load_jobs
    from assay.results.review_tasks import assign_reviewers

    load_jobs()
    assert assign_reviewers in _SWEEPS


def test_recruiters_send_an_attempt_to_review_on_demand(
    client: TestClient, db: Session, org: OrgFixture, team: list[User]
) -> None:
    attempt, responses = written_attempt(db, org, make_assessment(db, org))
    url = f"/api/v1/attempts/{attempt.id}/review-assignments"
    reviewer = api_key_for(db, org, "reviewer")
    assert client.post(url, headers=bearer(reviewer)).status_code == 403
    recruiter = api_key_for(db, org, "recruiter")
    made = client.post(url, params={"reviewers": 3}, headers=bearer(recruiter))
    assert made.status_code == 201, made.text
    assert made.json()["created"] == 3 * len(responses)
    again = client.post(url, params={"reviewers": 3}, headers=bearer(recruiter))
    assert again.json()["created"] == 0
