"""Review settings of an assessment: reviewers per written answer and blind candidate names."""

from __future__ import annotations

import re
import uuid
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from assay.accounts.models import User
from assay.accounts.permissions import Role
from assay.assessments.models import Assessment
from assay.content.schemas import FreeTextTask
from assay.results import review, rules
from assay.results import service as results
from assay.results.models import ItemScore, ReviewAssignment, ScoreStatus
from tests.delivery_support import make_assessment
from tests.factories import OrgFixture, make_member, principal_for
from tests.functional.conftest import api_key_for, bearer
from tests.functional.test_sessions import csrf, login
from tests.review_support import written_attempt


def _assignments(db: Session, response_id: uuid.UUID) -> list[ReviewAssignment]:
    return list(
        db.scalars(
            select(ReviewAssignment)
            .where(ReviewAssignment.response_id == response_id)
            .order_by(ReviewAssignment.created_at, ReviewAssignment.id)
        )
    )


def _levels(task: FreeTextTask, level: int) -> dict[str, int]:
    return {criterion.id: level for criterion in task.rubric}


def _review(
    db: Session, assignment: ReviewAssignment, level: int, **overrides: int
) -> review.SubmitOutcome:
    user = db.get(User, assignment.reviewer_id)
    assert user is not None
    task = review.free_text_task(assignment.item_id)
    return review.submit(
        db,
        principal=principal_for(user),
        assignment_id=assignment.id,
        levels=_levels(task, level) | overrides,
    )


def _item_score(db: Session, attempt_id: uuid.UUID, item_id: str) -> ItemScore:
    """The answer's stored score after a rescore (the job runs on any change to the attempt)."""
    results.recompute(db, attempt_id=attempt_id)
    score = db.scalar(
        select(ItemScore).where(ItemScore.attempt_id == attempt_id, ItemScore.item_id == item_id)
    )
    assert score is not None
    return score


def _reviewers_input(page: str) -> str:
    match = re.search(r'<input id="s-reviewers"[^>]*>', page)
    assert match, "the settings page has no reviewers-per-answer field"
    return match.group(0)


@pytest.fixture
def team(db: Session, org: OrgFixture) -> list[User]:
    """The owner plus three reviewers and a recruiter: five people allowed to review."""
    return [org.owner] + [
        make_member(db, org, role=role)
        for role in (Role.REVIEWER, Role.REVIEWER, Role.REVIEWER, Role.RECRUITER)
    ]


def test_settings_via_the_api_default_to_two_blind_reviewers_and_accept_2_to_5(
    client: TestClient, db: Session, org: OrgFixture
) -> None:
    key = api_key_for(db, org, "recruiter")
    created = client.post(
        "/api/v1/assessments",
        json={"title": "Lead BE", "template_id": "lead-back-end-engineer"},
        headers=bearer(key),
    )
    assert created.status_code == 201, created.text
    body = created.json()
    assert (body["reviewers_per_answer"], body["blind_reviewer_names"]) == (2, True)
    url = f"/api/v1/assessments/{body['id']}"
    changed = client.patch(
        url, json={"reviewers_per_answer": 5, "blind_reviewer_names": False}, headers=bearer(key)
    )
    assert changed.status_code == 200, changed.text
    assert (changed.json()["reviewers_per_answer"], changed.json()["blind_reviewer_names"]) == (
        5,
        False,
    )
    shown = client.get(url, headers=bearer(key)).json()
    assert (shown["reviewers_per_answer"], shown["blind_reviewer_names"]) == (5, False)
    for bad in (1, 6, 0, -2, 2.5, "3", True, "many"):
        answer = client.patch(url, json={"reviewers_per_answer": bad}, headers=bearer(key))
        assert answer.status_code == 422, (bad, answer.text)
        assert "reviewers_per_answer" in answer.json()["detail"]
    answer = client.patch(url, json={"blind_reviewer_names": "maybe"}, headers=bearer(key))
    assert answer.status_code == 422, answer.text
    row = db.get(Assessment, uuid.UUID(body["id"]))
    assert row is not None
    db.refresh(row)
    assert (row.reviewers_per_answer, row.blind_reviewer_names) == (5, False)


def test_settings_via_the_form_save_and_refuse_values_outside_2_to_5(
    client: TestClient, db: Session, org: OrgFixture
) -> None:
    assessment = make_assessment(db, org)
    assert login(client, org.owner.email).status_code == 303  # type: ignore[attr-defined]
    url = f"/assessments/{assessment.id}/settings"
    page = client.get(url).text
    assert 'value="2"' in _reviewers_input(page)
    assert 'name="blind_reviewer_names" checked' in page
    base = {"title": assessment.title, "status": "open"}
    # The checkbox left unticked shows names; the count is saved.
    saved = client.post(
        url,
        data=base | {"csrf_token": csrf(client, url), "reviewers_per_answer": "4"},
        follow_redirects=False,
    )
    assert saved.status_code == 303
    assert "Settings+saved" in saved.headers["location"]
    db.refresh(assessment)
    assert (assessment.reviewers_per_answer, assessment.blind_reviewer_names) == (4, False)
    page = client.get(url).text
    assert 'value="4"' in _reviewers_input(page)
    assert 'name="blind_reviewer_names" checked' not in page
    for bad in ("1", "6", "two", "3.5", "-3"):
        refused = client.post(
            url,
            data=base
            | {
                "csrf_token": csrf(client, url),
                "reviewers_per_answer": bad,
                "blind_reviewer_names": "on",
            },
            follow_redirects=False,
        )
        # The settings page answers a bad value with its message, and saves nothing.
        assert refused.status_code == 303, bad
        assert "Reviewers+per+answer+must+be" in refused.headers["location"], bad
        db.refresh(assessment)
        assert (assessment.reviewers_per_answer, assessment.blind_reviewer_names) == (4, False)
    saved = client.post(
        url,
        data=base
        | {
            "csrf_token": csrf(client, url),
            "reviewers_per_answer": "2",
            "blind_reviewer_names": "on",
        },
        follow_redirects=False,
    )
    assert "Settings+saved" in saved.headers["location"]
    db.refresh(assessment)
    assert (assessment.reviewers_per_answer, assessment.blind_reviewer_names) == (2, True)


def test_assignment_count_follows_each_assessments_setting(
    client: TestClient, db: Session, org: OrgFixture, team: list[User]
) -> None:
    three = make_assessment(db, org, reviewers_per_answer=3)
    two = make_assessment(db, org)
    _attempt, three_answers = written_attempt(db, org, three)
    _attempt, two_answers = written_attempt(db, org, two)
    created = review.assign_pending(db)
    assert created == 3 * len(three_answers) + 2 * len(two_answers)
    for response in three_answers:
        reviewers = {a.reviewer_id for a in _assignments(db, response.id)}
        assert len(reviewers) == 3
    for response in two_answers:
        assert len(_assignments(db, response.id)) == 2
    assert review.assign_pending(db) == 0
    # Raising the setting later tops the answers up at the next sweep.
    two.reviewers_per_answer = 4
    db.flush()
    assert review.assign_pending(db) == 2 * len(two_answers)
    assert {len(_assignments(db, r.id)) for r in two_answers} == {4}
    # The on-demand override still asks for more than the setting.
    attempt, answers = written_attempt(db, org, three)
    made = client.post(
        f"/api/v1/attempts/{attempt.id}/review-assignments",
        params={"reviewers": 5},
        headers=bearer(api_key_for(db, org, "recruiter")),
    )
    assert made.status_code == 201, made.text
    assert made.json()["created"] == 5 * len(answers)


def test_fewer_members_than_the_setting_get_every_eligible_member_and_no_repeat(
    db: Session, org: OrgFixture
) -> None:
    make_member(db, org, role=Role.REVIEWER)
    assessment = make_assessment(db, org, reviewers_per_answer=5)
    _attempt, responses = written_attempt(db, org, assessment)
    review.assign_response(db, response=responses[0])
    reviewers = [a.reviewer_id for a in _assignments(db, responses[0].id)]
    assert len(reviewers) == len(set(reviewers)) == 2  # the owner and the one reviewer


def _client_for(app: FastAPI, user: User) -> TestClient:
    client = TestClient(app, base_url="http://testserver")
    assert login(client, user.email).status_code == 303  # type: ignore[attr-defined]
    return client


@pytest.mark.parametrize("blind", [True, False])
def test_reviewers_see_the_name_only_when_the_assessment_shows_it(
    app: FastAPI, db: Session, org: OrgFixture, blind: bool
) -> None:
    reviewer = make_member(db, org, role=Role.REVIEWER)
    assessment = make_assessment(db, org, blind_reviewer_names=blind)
    attempt, responses = written_attempt(db, org, assessment, name="Grace Hopper")
    assignment = review.assign_response(db, response=responses[0], count=2)
    mine = next(a for a in assignment if a.reviewer_id == reviewer.id)
    db.flush()
    handle = review.candidate_label(attempt.id)
    with _client_for(app, reviewer) as client:
        body = client.get(f"/api/v1/review-assignments/{mine.id}").json()
        queue = client.get("/api/v1/reviews/queue").json()["items"]
        page = client.get(f"/reviews/{mine.id}").text
        queue_page = client.get("/reviews").text
    shown = [body["candidate"]] + [q["candidate"] for q in queue]
    if blind:
        assert set(shown) == {handle}
        for text in (str(body), str(queue), page, queue_page):
            assert "Grace Hopper" not in text
    else:
        assert set(shown) == {"Grace Hopper"}
        assert "Grace Hopper" in page
        assert "Grace Hopper" in queue_page
    # Other reviews and scores stay hidden either way.
    assert body["earlier_reviews"] == []
    assert "overall" not in page.lower()


def test_score_stays_pending_until_the_required_number_of_reviews_is_in(
    db: Session, org: OrgFixture, team: list[User]
) -> None:
    assessment = make_assessment(db, org, reviewers_per_answer=3)
    attempt, responses = written_attempt(db, org, assessment)
    response = responses[0]
    review.assign_response(db, response=response)
    first, second, third = _assignments(db, response.id)
    outcomes: list[Any] = []
    for assignment in (first, second):
        outcomes.append(_review(db, assignment, 3))
        assert not outcomes[-1].answer_complete
        assert not outcomes[-1].final
        assert _item_score(db, attempt.id, response.item_id).status is ScoreStatus.PENDING
    # One criterion a level lower: close enough to agree, and it moves the mean.
    task = review.free_text_task(response.item_id)
    lower = {task.rubric[0].id: 2}
    last = _review(db, third, 3, **lower)
    assert last.answer_complete
    assert last.final
    score = _item_score(db, attempt.id, response.item_id)
    assert score.status is ScoreStatus.SCORED
    full = rules.rubric_share(task, _levels(task, 3))
    third_share = rules.rubric_share(task, _levels(task, 3) | lower)
    assert third_share < full
    assert score.score == pytest.approx((2 * full + third_share) / 3)


def test_an_answer_short_of_reviewers_is_not_complete_after_the_reviews_it_has(
    db: Session, org: OrgFixture
) -> None:
    make_member(db, org, role=Role.REVIEWER)
    assessment = make_assessment(db, org, reviewers_per_answer=3)
    attempt, responses = written_attempt(db, org, assessment)
    response = responses[0]
    review.assign_response(db, response=response)
    assigned = _assignments(db, response.id)
    assert len(assigned) == 2  # only two members may review
    outcomes = [_review(db, assignment, 3) for assignment in assigned]
    assert not any(outcome.answer_complete or outcome.final for outcome in outcomes)
    assert _item_score(db, attempt.id, response.item_id).status is ScoreStatus.PENDING
    # A third member joins: the sweep assigns them, and their review settles the answer.
    newcomer = make_member(db, org, role=Role.REVIEWER)
    assert review.assign_pending(db) >= 1
    (third,) = [a for a in _assignments(db, response.id) if a.reviewer_id == newcomer.id]
    assert _review(db, third, 3).final
    assert _item_score(db, attempt.id, response.item_id).status is ScoreStatus.SCORED
