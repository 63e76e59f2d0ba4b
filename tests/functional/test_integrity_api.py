"""Integrity over HTTP: flags of an assessment, pairs side by side, leaked solutions, the panel."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from assay.content.loader import load_library
from assay.content.schemas import ChoiceItem
from assay.delivery import service as delivery
from assay.delivery.models import Attempt, SaveReceipt
from assay.integrity import service
from assay.kit.clock import utcnow
from tests.delivery_support import invite, make_assessment
from tests.factories import OrgFixture, make_org
from tests.functional.conftest import api_key_for, bearer
from tests.functional.test_sessions import login
from tests.integrity_support import (
    COPY,
    INDEPENDENT,
    ORIGINAL,
    TASK,
    answer_with,
    graded_submission,
    started_attempt,
)

SIGNAL_KINDS = {
    "similarity",
    "answer_copying",
    "rushed_answer",
    "paste",
    "focus_loss",
    "fullscreen_exit",
    "ip_change",
    "second_browser",
    "browser_change",
}


def _signed_in(client: TestClient, org: OrgFixture) -> TestClient:
    assert login(client, org.owner.email).status_code == 303  # type: ignore[attr-defined]
    return client


def _coding_answer(db: Session, org: OrgFixture, attempt: Attempt, source: str) -> None:
    """The attempt's final coding answer, graded and fingerprinted."""
    submission = graded_submission(db, org, source)
    answer_with(
        db,
        attempt,
        TASK,
        {"language": "python", "files": {"cache.py": source}},
        submission_id=submission.id,
    )
    service.fingerprint_submission(db, submission_id=submission.id)


def _compare(db: Session, org: OrgFixture) -> None:
    service.compare_task(db, organization_id=org.organization.id, task_id=TASK, language="python")
    db.flush()


def _choice_items(count: int) -> list[ChoiceItem]:
    """Single-answer items with at least three wrong options, so chance agreement is rare."""
    items = [
        item
        for _loaded, item in load_library().valid()
        if isinstance(item, ChoiceItem) and item.mode == "single" and len(item.options) >= 4
    ]
    assert len(items) >= count
    return sorted(items, key=lambda i: i.id)[:count]


def _wrong(item: ChoiceItem) -> str:
    return next(o.id for o in item.options if not o.correct)


def _receipt(db: Session, attempt: Attempt, item_id: str, at: Any) -> None:
    db.add(
        SaveReceipt(
            organization_id=attempt.organization_id,
            attempt_id=attempt.id,
            idempotency_key=f"k-{item_id}"[:64],
            item_id=item_id,
            sequence=1,
            applied=True,
            created_at=at,
        )
    )


def test_copied_code_is_flagged_and_shown_side_by_side(
    client: TestClient, db: Session, org: OrgFixture
) -> None:
    assessment = make_assessment(db, org)
    first = started_attempt(db, org, assessment)
    second = started_attempt(db, org, assessment)
    third = started_attempt(db, org, assessment)
    _coding_answer(db, org, first, ORIGINAL)
    _coding_answer(db, org, second, COPY)
    _coding_answer(db, org, third, INDEPENDENT)
    _compare(db, org)
    key = api_key_for(db, org, "recruiter")
    found = client.get(f"/api/v1/assessments/{assessment.id}/integrity", headers=bearer(key))
    assert found.status_code == 200, found.text
    pairs = found.json()["similarity_pairs"]
    assert len(pairs) == 1
    pair = pairs[0]
    assert pair["kind"] == "submission"
    assert {pair["attempt_a_id"], pair["attempt_b_id"]} == {str(first.id), str(second.id)}
    assert pair["score"] >= pair["threshold"]
    detail = client.get(f"/api/v1/similarity-pairs/{pair['id']}", headers=bearer(key)).json()
    assert "move_to_end" in detail["a"]["files"]["cache.py"]
    assert detail["longest"]["tokens"] == pair["longest_fragment_tokens"]
    assert detail["a"]["ranges"]
    page = _signed_in(client, org).get(f"/integrity/pairs/{pair['id']}")
    assert page.status_code == 200
    assert "<mark>" in page.text
    assert "Longest match" in page.text
    assert "cheat" not in page.text.lower()


def test_other_organizations_see_only_an_anonymous_match(client: TestClient, db: Session) -> None:
    org_a, org_b = make_org(db), make_org(db)
    attempt_a = started_attempt(db, org_a, make_assessment(db, org_a))
    _coding_answer(db, org_a, attempt_a, ORIGINAL)
    assessment_b = make_assessment(db, org_b)
    attempt_b = started_attempt(db, org_b, assessment_b)
    _coding_answer(db, org_b, attempt_b, COPY)
    _compare(db, org_b)
    key_b = api_key_for(db, org_b, "admin")
    found = client.get(f"/api/v1/assessments/{assessment_b.id}/integrity", headers=bearer(key_b))
    pairs = found.json()["similarity_pairs"]
    assert [p["kind"] for p in pairs] == ["anonymous"]
    detail = client.get(f"/api/v1/similarity-pairs/{pairs[0]['id']}", headers=bearer(key_b))
    signals = client.get(f"/api/v1/attempts/{attempt_b.id}/integrity", headers=bearer(key_b))
    page = _signed_in(client, org_b).get(f"/integrity/pairs/{pairs[0]['id']}")
    assert detail.json()["b"]["files"] == {}
    assert [s["detail"]["match"] for s in signals.json()] == ["anonymous"]
    secrets = [
        str(org_a.organization.id),
        str(attempt_a.id),
        org_a.owner.email,
        "_alive",  # a name only org A's code uses
        "self._data",
    ]
    submissions_a = service.repository.fingerprints_of_task(
        db, organization_id=org_a.organization.id, task_id=TASK, language="python"
    )
    secrets += [str(row.submission_id) for row in submissions_a]
    secrets += [str(row.anonymous_id) for row in submissions_a]
    for response in (found, detail, signals, page):
        assert response.status_code == 200
        for secret in secrets:
            assert secret not in response.text


def test_answer_copying_and_rushed_answers_are_flagged(
    client: TestClient, db: Session, org: OrgFixture
) -> None:
    assessment = make_assessment(db, org)
    items = _choice_items(12)
    attempts = [started_attempt(db, org, assessment) for _ in range(6)]
    for number, attempt in enumerate(attempts):
        for item in items:
            # The first two share the same wrong answer everywhere; the rest answer correctly.
            chosen = _wrong(item) if number < 2 else item.keys[0]
            answer_with(db, attempt, item.id, {"selected": [chosen]})
    fast = attempts[2]
    start = utcnow() - timedelta(minutes=30)
    fast.section_log = [{"started_at": start.isoformat(), "deadline": utcnow().isoformat()}]
    _receipt(db, fast, items[0].id, start + timedelta(seconds=1))
    _receipt(db, fast, items[1].id, start + timedelta(seconds=400))
    db.flush()
    key = api_key_for(db, org, "recruiter")
    found = client.get(f"/api/v1/assessments/{assessment.id}/integrity", headers=bearer(key))
    body = found.json()
    assert [{c["attempt_a_id"], c["attempt_b_id"]} for c in body["answer_copying"]] == [
        {str(attempts[0].id), str(attempts[1].id)}
    ]
    assert body["answer_copying"][0]["identical_wrong"] == 12
    assert [(r["attempt_id"], r["item_id"]) for r in body["rushed_answers"]] == [
        (str(fast.id), items[0].id)
    ]


def test_panel_lists_every_signal_kind_with_its_evidence(
    client: TestClient, db: Session, org: OrgFixture
) -> None:
    assessment = make_assessment(
        db, org, integrity={"focus_loss": True, "paste": True, "fullscreen": True}
    )
    items = _choice_items(12)
    _candidate, token = invite(db, org, assessment)
    access = delivery.start(db, token=token, browser_id="a" * 16, ip="192.0.2.1", user_agent="A")
    attempt = access.attempt
    assert attempt is not None
    for kind, detail in [
        ("paste", {"chars": 1234, "item_id": TASK}),
        ("focus_loss", {"seconds": 42}),
        ("fullscreen_exit", {}),
    ]:
        assert delivery.record_signal(
            db, access=access, kind=kind, detail=detail, client_at=None, ip=None, user_agent=None
        )
    delivery.touch(db, access=access, browser_id="b" * 16, ip="198.51.100.7", user_agent="B")
    others = [started_attempt(db, org, assessment) for _ in range(5)]
    for number, each in enumerate([attempt, *others]):
        for item in items:
            chosen = _wrong(item) if number < 2 else item.keys[0]
            answer_with(db, each, item.id, {"selected": [chosen]})
    start = utcnow() - timedelta(minutes=30)
    attempt.section_log = [{"started_at": start.isoformat(), "deadline": utcnow().isoformat()}]
    _receipt(db, attempt, items[0].id, start + timedelta(seconds=1))
    _coding_answer(db, org, attempt, ORIGINAL)
    _coding_answer(db, org, others[2], COPY)
    _compare(db, org)
    signals = service.integrity_signals(
        db, organization_id=org.organization.id, attempt_id=attempt.id
    )
    assert {s.kind for s in signals} == SIGNAL_KINDS
    paste = next(s for s in signals if s.kind == "paste")
    assert "1234 characters" in paste.evidence
    assert paste.at is not None
    page = _signed_in(client, org).get(f"/attempts/{attempt.id}/integrity")
    assert page.status_code == 200
    for kind in SIGNAL_KINDS:
        assert f'data-signal="{kind}"' in page.text
    assert "1234 characters" in page.text
    assert "198.51.100.7" in page.text
    assert "cheat" not in page.text.lower()


@pytest.mark.parametrize(("role", "expected"), [("reviewer", 403), ("recruiter", 200)])
def test_only_results_viewers_read_integrity(
    client: TestClient, db: Session, org: OrgFixture, role: str, expected: int
) -> None:
    assessment = make_assessment(db, org)
    key = api_key_for(db, org, role)
    response = client.get(f"/api/v1/assessments/{assessment.id}/integrity", headers=bearer(key))
    assert response.status_code == expected


def test_leaked_solutions_are_registered_by_content_managers_for_their_own_organization(
    client: TestClient, db: Session, org: OrgFixture
) -> None:
    url = f"/api/v1/tasks/{TASK}/leaked-solutions"
    body = {"language": "python", "label": "Forum post", "source": ORIGINAL}
    recruiter = api_key_for(db, org, "recruiter")
    assert client.post(url, json=body, headers=bearer(recruiter)).status_code == 403
    admin = api_key_for(db, org, "admin")
    created = client.post(url, json=body, headers=bearer(admin))
    assert created.status_code == 201, created.text
    assert created.json()["task_id"] == TASK
    wrong_language = client.post(url, json=body | {"language": "java"}, headers=bearer(admin))
    assert wrong_language.status_code == 422
    unknown = client.post(
        "/api/v1/tasks/no-such-task/leaked-solutions", json=body, headers=bearer(admin)
    )
    assert unknown.status_code == 404
    # Another organization's copy of the leaked code is not matched against org A's record.
    other = make_org(db)
    attempt = started_attempt(db, other, make_assessment(db, other))
    _coding_answer(db, other, attempt, COPY)
    _compare(db, other)
    pairs = service.repository.pairs_touching(
        db,
        organization_id=other.organization.id,
        submission_ids=[
            row.submission_id
            for row in service.repository.fingerprints_of_task(
                db, organization_id=other.organization.id, task_id=TASK, language="python"
            )
        ],
    )
    assert [p.kind for p in pairs] == []


def test_a_solution_that_refers_to_the_test_framework_is_shown_for_a_person(
    client: TestClient, db: Session, org: OrgFixture
) -> None:
    assessment = make_assessment(db, org)
    tampering = started_attempt(db, org, assessment)
    ordinary = started_attempt(db, org, assessment)
    patched = ORIGINAL + "\n\nimport _pytest.runner  # quiet\n\nos_exit = __import__('os')._exit\n"
    _coding_answer(db, org, tampering, patched)
    _coding_answer(db, org, ordinary, INDEPENDENT)
    key = api_key_for(db, org, "recruiter")
    found = client.get(f"/api/v1/attempts/{tampering.id}/integrity", headers=bearer(key))
    assert found.status_code == 200, found.text
    framework = [s for s in found.json() if s["kind"] == "test_framework_reference"]
    line = ORIGINAL.count("\n") + 3
    assert [(s["detail"]["file"], s["detail"]["line"]) for s in framework] == [
        ("cache.py", line),
        ("cache.py", line + 2),
    ]
    assert framework[0]["title"] == (
        "The solution refers to the test framework; a person should look"
    )
    assert f"cache.py:{line}" in framework[0]["evidence"]
    assert "import _pytest.runner" in framework[0]["evidence"]
    clean = client.get(f"/api/v1/attempts/{ordinary.id}/integrity", headers=bearer(key))
    assert [s for s in clean.json() if s["kind"] == "test_framework_reference"] == []
    page = _signed_in(client, org).get(f"/attempts/{tampering.id}/integrity")
    assert page.status_code == 200
    assert page.text.count('data-signal="test_framework_reference"') == 2
    assert "References to the test framework" in page.text
    assert f"<code>cache.py:{line}</code>" in page.text
    assert "<code>import _pytest.runner  # quiet</code>" in page.text
    assert "cheat" not in page.text.lower()
