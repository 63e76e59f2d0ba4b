"""Candidate delivery over HTTP: invitations, autosave rules, time limits, signals, privacy."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from assay.assessments.models import Assessment
from assay.delivery import service
from assay.delivery.models import Attempt, Candidate, IntegrityEvent, Response
from assay.grading.models import Submission
from assay.kit.clock import utcnow
from assay.mail.models import MailMessage
from tests.delivery_support import invite, make_assessment
from tests.factories import OrgFixture
from tests.functional.conftest import api_key_for, bearer


@pytest.fixture
def assessment(db: Session, org: OrgFixture) -> Assessment:
    return make_assessment(db, org)


def start(client: TestClient, token: str) -> dict[str, Any]:
    response = client.post(f"/take/{token}/api/start")
    assert response.status_code == 200, response.text
    return dict(response.json())


def attempt_of(db: Session, candidate: Candidate) -> Attempt:
    access = service.resolve_for_candidate(db, candidate_id=candidate.id)
    assert access.attempt is not None
    return access.attempt


def items_of_section(db: Session, attempt: Attempt, index: int) -> list[dict[str, Any]]:
    from assay.assessments.models import Form

    form = db.get(Form, attempt.form_id)
    assert form is not None
    return service.delivered_items(form.sections[index])


def save(
    client: TestClient,
    token: str,
    ref: str,
    answer: dict[str, Any],
    seq: int,
    key: str | None = None,
) -> Any:
    return client.post(
        f"/take/{token}/api/answers",
        json={"item_id": ref, "answer": answer, "sequence": seq, "key": key or uuid.uuid4().hex},
    )


def first_choice(db: Session, attempt: Attempt) -> tuple[str, list[str]]:
    item = items_of_section(db, attempt, 0)[0]
    assert item["kind"] == "choice"
    return "q1-1", list(item["option_order"])


def test_invite_mails_a_unique_link_and_shows_state(
    client: TestClient, db: Session, org: OrgFixture, assessment: Assessment
) -> None:
    key = api_key_for(db, org, "recruiter")
    url = f"/api/v1/assessments/{assessment.id}/candidates"
    first = client.post(url, json={"name": "Ada", "email": "ada@example.com"}, headers=bearer(key))
    second = client.post(url, json={"name": "Bob", "email": "bob@example.com"}, headers=bearer(key))
    assert first.status_code == 201, first.text
    link_a, link_b = first.json()["link"], second.json()["link"]
    assert link_a != link_b
    assert len(link_a.rsplit("/", 1)[1]) >= 40
    assert first.json()["state"] == "invited"
    mail = db.scalars(select(MailMessage).where(MailMessage.to_address == "ada@example.com")).one()
    assert mail.category == "candidate"
    assert link_a in mail.body
    again = client.post(url, json={"name": "Ada", "email": "ada@example.com"}, headers=bearer(key))
    assert again.status_code == 409
    token = link_a.rsplit("/", 1)[1]
    client.get(f"/take/{token}")
    start(client, token)
    states = {c["email"]: c["state"] for c in client.get(url, headers=bearer(key)).json()}
    assert states == {"ada@example.com": "started", "bob@example.com": "invited"}


def test_csv_preview_reports_each_row_and_sends_nothing(
    client: TestClient, db: Session, org: OrgFixture, assessment: Assessment
) -> None:
    key = api_key_for(db, org, "recruiter")
    csv = (
        "name,email,extra_time_percent\n"
        "Grace Hopper,grace@example.com,25\n"
        "No Email,,\n"
        "Dup,grace@example.com\n"
        "Alan Turing,alan@example.com,500\n"
        "Linus,linus@example.com\n"
    )
    url = f"/api/v1/assessments/{assessment.id}/candidates/import"
    preview = client.post(url, json={"csv": csv, "dry_run": True}, headers=bearer(key)).json()
    assert [(r["line"], bool(r["errors"])) for r in preview["rows"]] == [
        (2, False),
        (3, True),
        (4, True),
        (5, True),
        (6, False),
    ]
    assert "appears twice" in preview["rows"][2]["errors"][0]
    assert "extra_time_percent" in preview["rows"][3]["errors"][0]
    assert preview["invited"] == 0
    assert db.scalar(select(func.count()).select_from(Candidate)) == 0
    done = client.post(url, json={"csv": csv, "dry_run": False}, headers=bearer(key)).json()
    assert done["invited"] == 2
    grace = db.scalars(select(Candidate).where(Candidate.email == "grace@example.com")).one()
    assert grace.time_factor == pytest.approx(1.25)


def test_replayed_save_is_applied_once_and_older_sequence_never_wins(
    client: TestClient, db: Session, org: OrgFixture, assessment: Assessment
) -> None:
    candidate, token = invite(db, org, assessment)
    start(client, token)
    attempt = attempt_of(db, candidate)
    ref, options = first_choice(db, attempt)
    first = save(client, token, ref, {"selected": [options[0]]}, 1, key="key-one-aaaa")
    assert first.json()["applied"] is True
    newer = save(client, token, ref, {"selected": [options[1]]}, 3)
    assert newer.json()["applied"] is True
    replay = save(client, token, ref, {"selected": [options[0]]}, 1, key="key-one-aaaa")
    assert replay.json() | {"remaining_seconds": 0} == {
        "applied": True,
        "replayed": True,
        "sequence": 1,
        "remaining_seconds": 0,
        "section_index": 0,
    }
    older = save(client, token, ref, {"selected": [options[2]]}, 2)
    assert older.status_code == 200
    assert older.json()["applied"] is False
    stored = db.scalars(select(Response).where(Response.attempt_id == attempt.id)).one()
    assert stored.answer == {"selected": [options[1]]}
    assert stored.sequence == 3


def test_late_answer_is_refused_and_earlier_answers_are_kept(
    client: TestClient, db: Session, org: OrgFixture, assessment: Assessment
) -> None:
    candidate, token = invite(db, org, assessment)
    start(client, token)
    attempt = attempt_of(db, candidate)
    ref, options = first_choice(db, attempt)
    assert save(client, token, ref, {"selected": [options[0]]}, 1).status_code == 200
    attempt.section_deadline = utcnow() - timedelta(seconds=1)  # the section's time ran out
    db.flush()
    late = save(client, token, ref, {"selected": [options[1]]}, 2)
    assert late.status_code == 410
    assert late.json()["error"] == "time_up"
    assert "Everything you saved before the limit has been kept" in late.json()["detail"]
    stored = db.scalars(select(Response).where(Response.attempt_id == attempt.id)).one()
    assert stored.answer == {"selected": [options[0]]}
    # The next request closes the section and starts the next one on the server's clock.
    position = client.get(f"/take/{token}/api/position").json()
    assert position["section_index"] == 1
    assert position["remaining_seconds"] > 0


def test_accommodation_multiplies_the_section_time(
    client: TestClient, db: Session, org: OrgFixture, assessment: Assessment
) -> None:
    _c, plain = invite(db, org, assessment)
    _c, extended = invite(db, org, assessment, extra=50)
    normal = start(client, plain)["remaining_seconds"]
    longer = start(client, extended)["remaining_seconds"]
    assert longer >= normal * 1.5 - 2
    assert longer <= normal * 1.5 + 2


def test_bad_answers_are_refused_clearly(
    client: TestClient, db: Session, org: OrgFixture, assessment: Assessment
) -> None:
    candidate, token = invite(db, org, assessment)
    start(client, token)
    attempt = attempt_of(db, candidate)
    ref, options = first_choice(db, attempt)
    missing = save(client, token, "q9-99", {"selected": ["a"]}, 1)
    assert missing.status_code == 422
    assert missing.json()["error"] == "item_not_in_form"
    later = save(client, token, "q2-1", {"text": "x"}, 1)
    assert later.status_code == 409
    assert later.json()["error"] == "section_not_open"
    huge = save(client, token, ref, {"selected": [options[0]], "pad": "x" * 210_000}, 1)
    assert huge.status_code == 413
    assert "200 kB" in huge.json()["detail"]
    wrong = save(client, token, ref, {"selected": ["z"]}, 1)
    assert wrong.status_code == 422
    assert db.scalar(select(func.count()).select_from(Response)) == 0


def test_expired_and_tampered_links(
    client: TestClient, db: Session, org: OrgFixture, assessment: Assessment
) -> None:
    candidate, token = invite(db, org, assessment)
    tampered = client.get(f"/take/{token[:-2]}xx/api/position")
    assert tampered.status_code == 404
    assert tampered.json()["error"] == "invalid_link"
    invitation = service.resolve_for_candidate(db, candidate_id=candidate.id).invitation
    invitation.expires_at = utcnow() - timedelta(minutes=1)
    db.flush()
    expired = client.post(f"/take/{token}/api/start")
    assert expired.status_code == 410
    assert expired.json()["error"] == "invitation_expired"
    page = client.get(f"/take/{token}", headers={"accept": "text/html"})
    assert page.status_code == 410
    assert "expired" in page.text
    key = api_key_for(db, org, "recruiter")
    later = (utcnow() + timedelta(days=2)).isoformat()
    moved = client.post(
        f"/api/v1/candidates/{candidate.id}/extend", json={"expires_at": later}, headers=bearer(key)
    )
    assert moved.status_code == 200
    assert moved.json()["state"] == "invited"
    assert client.post(f"/take/{token}/api/start").status_code == 200


def test_recruiter_adds_time_to_the_running_section(
    client: TestClient, db: Session, org: OrgFixture, assessment: Assessment
) -> None:
    candidate, token = invite(db, org, assessment)
    before = start(client, token)["remaining_seconds"]
    key = api_key_for(db, org, "recruiter")
    client.post(
        f"/api/v1/candidates/{candidate.id}/extend", json={"add_minutes": 10}, headers=bearer(key)
    )
    after = client.get(f"/take/{token}/api/position").json()["remaining_seconds"]
    assert after >= before + 600 - 2


def test_same_link_in_a_second_browser_resumes_and_is_flagged(
    app: Any, client: TestClient, db: Session, org: OrgFixture, assessment: Assessment
) -> None:
    candidate, token = invite(db, org, assessment)
    start(client, token)
    attempt = attempt_of(db, candidate)
    ref, options = first_choice(db, attempt)
    save(client, token, ref, {"selected": [options[0]]}, 1)
    with TestClient(app, base_url="http://testserver") as other:
        resumed = other.post(f"/take/{token}/api/start")
        assert resumed.status_code == 200
        assert resumed.json()["section_index"] == 0
        assert save(other, token, ref, {"selected": [options[1]]}, 2).json()["applied"]
    db.refresh(attempt)
    assert attempt.second_browser is True
    kinds = db.scalars(select(IntegrityEvent.kind).where(IntegrityEvent.attempt_id == attempt.id))
    assert list(kinds) == ["second_browser"]
    key = api_key_for(db, org, "recruiter")
    shown = client.get(f"/api/v1/candidates/{candidate.id}", headers=bearer(key)).json()
    assert shown["second_browser"] is True
    assert shown["signals"] == 1


def test_signals_are_recorded_only_as_configured(
    client: TestClient, db: Session, org: OrgFixture
) -> None:
    assessment = make_assessment(
        db, org, integrity={"focus_loss": True, "paste": True, "fullscreen": False}
    )
    candidate, token = invite(db, org, assessment)
    start(client, token)
    url = f"/take/{token}/api/signals"
    paste = client.post(url, json={"kind": "paste", "detail": {"chars": 512}})
    fullscreen = client.post(url, json={"kind": "fullscreen_exit"})
    assert paste.json() == {"recorded": True}
    assert fullscreen.json() == {"recorded": False}
    assert client.post(url, json={"kind": "cheating"}).status_code == 422
    key = api_key_for(db, org, "recruiter")
    signals = client.get(f"/api/v1/candidates/{candidate.id}/signals", headers=bearer(key)).json()
    assert [(s["kind"], s["detail"]) for s in signals] == [("paste", {"chars": 512})]


def test_export_contains_everything_and_deletion_keeps_only_aggregates(
    client: TestClient, db: Session, org: OrgFixture, assessment: Assessment
) -> None:
    candidate, token = invite(db, org, assessment)
    start(client, token)
    attempt = attempt_of(db, candidate)
    ref, options = first_choice(db, attempt)
    save(client, token, ref, {"selected": [options[0]]}, 1)
    client.post(f"/take/{token}/api/signals", json={"kind": "paste", "detail": {"chars": 9}})
    exported = client.get(f"/take/{token}/api/export")
    assert "attachment" in exported.headers["content-disposition"]
    data = exported.json()
    assert data["candidate"]["email"] == candidate.email
    assert data["answers"][0]["answer"] == {"selected": [options[0]]}
    assert data["signals"][0]["kind"] == "paste"
    assert data["mail"]
    assert token in data["mail"][0]["body"]
    email = candidate.email
    assert client.delete(f"/take/{token}/api/data").status_code == 204
    db.refresh(candidate)
    db.refresh(attempt)
    assert candidate.name is None
    assert candidate.email is None
    assert db.scalar(select(func.count()).select_from(Response)) == 0
    assert db.scalar(select(func.count()).select_from(IntegrityEvent)) == 0
    assert not db.scalars(select(MailMessage).where(MailMessage.to_address == email)).all()
    assert attempt.ip is None
    assert attempt.aggregate is not None
    assert (
        attempt.aggregate["items"][0]["item_id"] == items_of_section(db, attempt, 0)[0]["item_id"]
    )
    gone = client.get(f"/take/{token}/api/position")
    assert gone.status_code == 410
    assert gone.json()["error"] == "deleted"


def test_finishing_queues_work_samples_for_hidden_grading(
    client: TestClient, db: Session, org: OrgFixture, assessment: Assessment
) -> None:
    candidate, token = invite(db, org, assessment)
    start(client, token)
    assert client.post(f"/take/{token}/api/sections/next").json()["section_index"] == 1
    attempt = attempt_of(db, candidate)
    coding = items_of_section(db, attempt, 1)[0]
    language = coding.get("language") or "python"
    save(client, token, "q2-1", {"language": language, "files": {"x.py": "pass\n"}}, 1)
    finished = client.post(f"/take/{token}/api/finish").json()
    assert finished["finished"] is True
    response = db.scalars(
        select(Response).where(
            Response.attempt_id == attempt.id, Response.item_id == coding["item_id"]
        )
    ).one()
    assert response.submission_id is not None
    submission = db.get(Submission, response.submission_id)
    assert submission is not None
    assert submission.task_id == coding["item_id"]
    late = save(client, token, "q2-1", {"language": language, "files": {"x.py": "1"}}, 2)
    assert late.status_code == 410


def _first_of_kind(db: Session, attempt: Attempt, kind: str) -> tuple[int, str, dict[str, Any]]:
    from assay.assessments.models import Form

    form = db.get(Form, attempt.form_id)
    assert form is not None
    for index, section in enumerate(form.sections):
        for number, item in enumerate(service.delivered_items(section)):
            if item["kind"] == kind:
                return index, service.item_ref(index, number), item
    raise AssertionError(f"the form has no {kind} item")


@pytest.mark.sandbox
def test_sample_run_reports_each_visible_test(
    client: TestClient, db: Session, org: OrgFixture, assessment: Assessment
) -> None:
    from assay.delivery.content import item_view

    candidate, token = invite(db, org, assessment)
    start(client, token)
    attempt = attempt_of(db, candidate)
    index, ref, item = _first_of_kind(db, attempt, "coding")
    for _ in range(index):
        client.post(f"/take/{token}/api/sections/next")
    view = item_view(item["item_id"], None)
    language = item.get("language") or view.languages[0]
    files = view.starters[language]
    result = client.post(
        f"/take/{token}/api/items/{ref}/run", json={"language": language, "files": files}
    )
    assert result.status_code == 200, result.text
    body = result.json()
    assert body["total"] == len(body["tests"]) > 0
    assert {"name", "passed", "message"} <= set(body["tests"][0])
    not_code = client.post(
        f"/take/{token}/api/items/q1-1/run", json={"language": language, "files": files}
    )
    assert not_code.status_code in {409, 410, 422}
