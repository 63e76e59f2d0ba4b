"""Results over HTTP: scores with errors, ranking, filters, decisions, reports and exports."""

from __future__ import annotations

import csv
import io
import re
import shutil
import subprocess
import uuid
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from assay.accounts.permissions import Role
from assay.assessments.models import Assessment, Form
from assay.content.schemas import ChoiceItem, CodeReviewTask, CodingTaskMeta
from assay.delivery import service as delivery
from assay.delivery.content import library_item
from assay.delivery.models import Attempt, Candidate, IntegrityEvent, Response
from assay.delivery.service import delivered_items
from assay.grading.models import GradingResult, Submission, SubmissionStatus
from assay.kit.clock import utcnow
from assay.results import repository, service
from tests.delivery_support import invite, make_assessment
from tests.factories import OrgFixture, make_member
from tests.functional.conftest import api_key_for, bearer
from tests.functional.test_sessions import login


def take(
    db: Session, org: OrgFixture, assessment: Assessment, *, right: float, name: str
) -> tuple[Candidate, Attempt]:
    """A finished attempt answering the first ``right`` share of its choice items correctly."""
    candidate, token = invite(db, org, assessment)
    candidate.name = name
    access = delivery.start(db, token=token, browser_id="b" * 16, ip="127.0.0.1", user_agent="t")
    attempt = access.attempt
    assert attempt is not None
    form = db.get(Form, attempt.form_id)
    assert form is not None
    choices = [
        (index, item)
        for index, section in enumerate(form.sections)
        for item in delivered_items(section)
        if isinstance(library_item(item["item_id"])[0], ChoiceItem)
    ]
    for position, (index, item) in enumerate(choices):
        content = library_item(item["item_id"])[0]
        assert isinstance(content, ChoiceItem)
        correct = position < right * len(choices)
        wrong = [o.id for o in content.options if not o.correct][:1]
        db.add(
            Response(
                organization_id=org.organization.id,
                attempt_id=attempt.id,
                item_id=item["item_id"],
                item_version=content.version,
                section_index=index,
                answer={"selected": content.keys if correct else wrong},
                sequence=1,
            )
        )
    attempt.finished_at = utcnow()
    db.flush()
    service.recompute(db, attempt_id=attempt.id)
    return candidate, attempt


@pytest.fixture
def ranked(db: Session, org: OrgFixture) -> dict[str, Any]:
    assessment = make_assessment(db, org)
    strong = take(db, org, assessment, right=1.0, name="Strong Sam")
    middle = take(db, org, assessment, right=0.5, name="=Middle Max")
    weak = take(db, org, assessment, right=0.0, name="Weak Wes")
    db.flush()
    return {"assessment": assessment, "strong": strong, "middle": middle, "weak": weak}


def test_scores_rank_with_errors_and_order_probabilities(
    client: TestClient, db: Session, org: OrgFixture, ranked: dict[str, Any]
) -> None:
    key = api_key_for(db, org, "recruiter")
    url = f"/api/v1/assessments/{ranked['assessment'].id}/results"
    body = client.get(url, headers=bearer(key)).json()
    names = [row["name"] for row in body["items"]]
    assert names == ["Strong Sam", "=Middle Max", "Weak Wes"]
    top, mid, low = body["items"]
    # Unanswered work samples count 0, so even the strong candidate is below 100.
    assert top["overall"] > mid["overall"] > low["overall"] == 0.0
    for row in body["items"]:
        assert row["overall_se"] > 0
        assert row["band"][0] <= row["overall"] <= row["band"][1]
        assert all(s["se"] > 0 for s in row["skills"])
    expected = service.p_above(
        (top["overall"], top["overall_se"]), (mid["overall"], mid["overall_se"])
    )
    assert top["p_above_next"] == pytest.approx(expected, abs=1e-3)
    assert 0.5 < top["p_above_next"] <= 1.0
    assert low["p_above_next"] is None
    assert body["total"] == 3
    assert body["reliability"]["explanation"]
    # filters and sorting
    filtered = client.get(
        url, params={"min_score": (mid["overall"] + low["overall"]) / 2}, headers=bearer(key)
    ).json()
    assert [r["name"] for r in filtered["items"]] == ["Strong Sam", "=Middle Max"]
    by_name = client.get(url, params={"sort": "name", "order": "asc"}, headers=bearer(key)).json()
    assert [r["name"] for r in by_name["items"]] == ["=Middle Max", "Strong Sam", "Weak Wes"]
    mid_skills = {s["skill"]: s["score"] for s in mid["skills"]}
    skill, best = next(
        (s["skill"], s["score"]) for s in top["skills"] if s["score"] > mid_skills[s["skill"]]
    )
    by_skill = client.get(
        url, params={"skill": skill, "min_skill": best, "state": "submitted"}, headers=bearer(key)
    ).json()
    assert [r["name"] for r in by_skill["items"]] == ["Strong Sam"]
    page = client.get(url, params={"limit": 2}, headers=bearer(key)).json()
    assert len(page["items"]) == 2
    rest = client.get(url, params={"cursor": page["next_cursor"]}, headers=bearer(key)).json()
    assert [r["name"] for r in rest["items"]] == ["Weak Wes"]


def test_p_above_is_a_half_for_equal_scores_and_grows_with_the_gap() -> None:
    assert service.p_above((50, 5), (50, 5)) == 0.5
    assert service.p_above((60, 5), (50, 5)) == pytest.approx(0.9214, abs=1e-3)
    assert service.p_above((50, 5), (60, 5)) == pytest.approx(0.0786, abs=1e-3)


def test_decisions_record_who_and_when_and_reviewers_cannot_see_results(
    client: TestClient, db: Session, org: OrgFixture, ranked: dict[str, Any]
) -> None:
    _candidate, attempt = ranked["strong"]
    reviewer = api_key_for(db, org, "reviewer")
    recruiter = api_key_for(db, org, "recruiter")
    url = f"/api/v1/assessments/{ranked['assessment'].id}/results"
    assert client.get(url, headers=bearer(reviewer)).status_code == 403
    report = f"/api/v1/attempts/{attempt.id}/report"
    assert client.get(report, headers=bearer(reviewer)).status_code == 403
    denied = client.post(
        f"/api/v1/attempts/{attempt.id}/decision",
        json={"decision": "advance"},
        headers=bearer(reviewer),
    )
    assert denied.status_code == 403
    made = client.post(
        f"/api/v1/attempts/{attempt.id}/decision",
        json={"decision": "advance", "note": "Strong SQL"},
        headers=bearer(recruiter),
    )
    assert made.status_code == 201
    assert made.json()["decision"] == "advance"
    assert made.json()["decided_at"]
    # a signed-in recruiter's decision carries their user id
    user = make_member(db, org, role=Role.RECRUITER)
    decision = service.decide(
        db,
        principal=service.Principal(
            organization_id=org.organization.id, role=Role.RECRUITER, user_id=user.id
        ),
        attempt_id=attempt.id,
        decision=service.DecisionKind.HOLD,
        note="Wait for the panel",
    )
    assert decision.decided_by == user.id
    rows = client.get(url, headers=bearer(recruiter)).json()["items"]
    assert rows[0]["decision"] == "hold"
    history = client.get(report, headers=bearer(recruiter)).json()["decisions"]
    assert [d["decision"] for d in history] == ["advance", "hold"]
    assert history[1]["decided_by"] == str(user.id)


def test_report_shows_every_answer_with_its_evidence(
    client: TestClient, db: Session, org: OrgFixture, ranked: dict[str, Any]
) -> None:
    _candidate, attempt = ranked["middle"]
    key = api_key_for(db, org, "recruiter")
    body = client.get(f"/api/v1/attempts/{attempt.id}/report", headers=bearer(key)).json()
    form = db.get(Form, attempt.form_id)
    assert form is not None
    responses = {
        r.item_id: r for r in db.scalars(select(Response).where(Response.attempt_id == attempt.id))
    }
    on_form = service.counted_items(form, responses)
    assert {i["item_id"] for i in body["items"]} == on_form
    choice = [i for i in body["items"] if i["kind"] == "choice"]
    assert all("keys" in i["evidence"] for i in choice)
    assert body["norms"][0]["group_size"] == 3
    assert body["sections"]
    # the page renders each answer's evidence and the chart
    login(client, org.owner.email)
    page = client.get(f"/attempts/{attempt.id}/report")
    assert page.status_code == 200
    assert "<svg" in page.text
    for item in body["items"]:
        assert item["item_id"] in page.text
    ranking = client.get(f"/assessments/{ranked['assessment'].id}/results?min_score=")
    assert ranking.status_code == 200
    assert "Strong Sam" in ranking.text


def test_csv_and_xlsx_hold_the_ranked_list(
    client: TestClient, db: Session, org: OrgFixture, ranked: dict[str, Any]
) -> None:
    key = api_key_for(db, org, "recruiter")
    base = f"/api/v1/assessments/{ranked['assessment'].id}/results"
    text = client.get(base + ".csv", headers=bearer(key)).text
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:5] == ["rank", "name", "email", "state", "overall"]
    assert [r[1] for r in rows[1:]] == ["Strong Sam", "'=Middle Max", "Weak Wes"]
    top = client.get(base, headers=bearer(key)).json()["items"][0]
    assert float(rows[1][4]) == top["overall"]
    from openpyxl import load_workbook

    data = client.get(base + ".xlsx", headers=bearer(key)).content
    sheet = load_workbook(io.BytesIO(data)).active
    assert sheet is not None
    values = list(sheet.iter_rows(values_only=True))
    assert values[0][1] == "name"
    assert values[1][1] == "Strong Sam"
    assert values[1][4] == top["overall"]


def test_pdf_report_is_a_pdf_with_the_overall_score(
    client: TestClient, db: Session, org: OrgFixture, ranked: dict[str, Any]
) -> None:
    _candidate, attempt = ranked["strong"]
    key = api_key_for(db, org, "recruiter")
    response = client.get(f"/api/v1/attempts/{attempt.id}/report.pdf", headers=bearer(key))
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    text = subprocess.run(
        ["pdftotext", "-", "-"], input=response.content, capture_output=True, check=True
    ).stdout.decode()
    assert "Strong Sam" in text
    overall = client.get(f"/api/v1/attempts/{attempt.id}/report", headers=bearer(key)).json()
    assert f"Overall score: {overall['overall']:.0f}" in text


def test_recompute_is_idempotent(db: Session, ranked: dict[str, Any]) -> None:
    _candidate, attempt = ranked["middle"]
    first = service.recompute(db, attempt_id=attempt.id)
    assert first is not None
    before = (first.overall, first.overall_se, dict(first.skills))
    again = service.recompute(db, attempt_id=attempt.id)
    assert again is not None
    assert (again.overall, again.overall_se, dict(again.skills)) == before
    assert again.id == first.id
    assert service.recompute(db, attempt_id=uuid.uuid4()) is None


def test_code_review_answers_are_scored_with_matched_defects(db: Session, org: OrgFixture) -> None:
    assessment = make_assessment(db, org)
    _candidate, attempt = take(db, org, assessment, right=1.0, name="Reviewer Rae")
    form = db.get(Form, attempt.form_id)
    assert form is not None
    reviews = [
        (index, item)
        for index, section in enumerate(form.sections)
        for item in delivered_items(section)
        if isinstance(library_item(item["item_id"])[0], CodeReviewTask)
    ]
    if not reviews:
        pytest.skip("the drawn form has no code review task")
    index, item = reviews[0]
    task = library_item(item["item_id"])[0]
    assert isinstance(task, CodeReviewTask)
    defect = task.defects[0]
    db.add(
        Response(
            organization_id=org.organization.id,
            attempt_id=attempt.id,
            item_id=task.id,
            item_version=task.version,
            section_index=index,
            answer={"comments": [{"file": defect.file, "line": defect.lines[0], "text": "bug"}]},
            sequence=1,
        )
    )
    db.flush()
    service.recompute(db, attempt_id=attempt.id)
    principal = org.principal
    report = service.report(db, principal=principal, attempt_id=attempt.id)
    scored = next(i for i in report.items if i.item_id == task.id)
    assert scored.evidence["precision"] == 1.0
    assert scored.evidence["recall"] > 0
    assert scored.score > 0


def test_finished_attempts_without_scores_are_found_stale(
    db: Session, org: OrgFixture, ranked: dict[str, Any]
) -> None:
    _candidate, attempt = ranked["weak"]
    assert attempt.id not in repository.stale_attempt_ids(db)
    _new, token = invite(db, org, ranked["assessment"])
    access = delivery.start(db, token=token, browser_id="c" * 16, ip=None, user_agent=None)
    assert access.attempt is not None
    access.attempt.finished_at = utcnow()
    db.flush()
    assert access.attempt.id in repository.stale_attempt_ids(db)
    service.recompute(db, attempt_id=access.attempt.id)
    assert access.attempt.id not in repository.stale_attempt_ids(db)


def _coding_alternatives(form: Form) -> tuple[int, list[str]]:
    """The first coding slot of the form that offers more than one task (one per language)."""
    for index, section in enumerate(form.sections):
        by_slot: dict[Any, list[str]] = {}
        for entry in section["items"]:
            if isinstance(library_item(entry["item_id"])[0], CodingTaskMeta):
                ids = by_slot.setdefault(entry["slot"], [])
                if entry["item_id"] not in ids:
                    ids.append(entry["item_id"])
        for ids in by_slot.values():
            if len(ids) > 1:
                return index, ids
    raise AssertionError("the flagship form has no coding slot with alternatives")


def test_only_the_answered_coding_alternative_of_a_slot_counts(
    db: Session, org: OrgFixture
) -> None:
    assessment = make_assessment(db, org)
    _candidate, attempt = take(db, org, assessment, right=1.0, name="Polyglot Pat")
    form = db.get(Form, attempt.form_id)
    assert form is not None
    index, alternatives = _coding_alternatives(form)
    before = {
        s.item_id
        for s in repository.item_scores(
            db, organization_id=org.organization.id, attempt_id=attempt.id
        )
    }
    # Unanswered, the slot counts once as 0, not once per language.
    assert len(before & set(alternatives)) == 1
    chosen = alternatives[-1]
    task = library_item(chosen)[0]
    assert isinstance(task, CodingTaskMeta)
    submission = Submission(
        organization_id=org.organization.id,
        task_id=chosen,
        task_version=task.version,
        language=task.languages[0],
        files={"main": "solved"},
        status=SubmissionStatus.GRADED,
        suite_digest="d" * 64,
    )
    db.add(submission)
    db.flush()
    db.add(
        GradingResult(
            organization_id=org.organization.id,
            submission_id=submission.id,
            suite_digest="d" * 64,
            score=1.0,
            verdict="passed",
            tests=[{"name": "all", "weight": 1, "passed": True, "verdict": "passed"}],
        )
    )
    db.add(
        Response(
            organization_id=org.organization.id,
            attempt_id=attempt.id,
            item_id=chosen,
            item_version=task.version,
            section_index=index,
            answer={"language": task.languages[0], "files": {"main": "solved"}},
            sequence=1,
            submission_id=submission.id,
        )
    )
    db.flush()
    score = service.recompute(db, attempt_id=attempt.id)
    assert score is not None
    items = {
        s.item_id: s
        for s in repository.item_scores(
            db, organization_id=org.organization.id, attempt_id=attempt.id
        )
    }
    assert [a for a in alternatives if a in items] == [chosen]
    assert items[chosen].score == 1.0
    # The chosen language's skill is not dragged down by the languages not chosen.
    language_skill = task.skills[0]
    assert score.skills[language_skill]["score"] > 0
    others = [a for a in alternatives if a != chosen]
    assert not any(a in {i["item_id"] for i in _report_items(db, org, attempt)} for a in others)


def _report_items(db: Session, org: OrgFixture, attempt: Attempt) -> list[dict[str, Any]]:
    report = service.report(db, principal=org.principal, attempt_id=attempt.id)
    return [{"item_id": i.item_id} for i in report.items]


def columns_in_order(header: str) -> list[str]:
    return re.findall(r"sort=skill:([\w-]+)&", header)


def test_ranking_shows_the_profile_skills_and_the_report_the_rest(
    client: TestClient, db: Session, org: OrgFixture, ranked: dict[str, Any]
) -> None:
    assessment = ranked["assessment"]
    _candidate, attempt = ranked["strong"]
    profile = service.profile_skills(assessment)
    weights = [assessment.profile[s] for s in profile]
    assert weights == sorted(weights, reverse=True)
    score = service.recompute(db, attempt_id=attempt.id)
    assert score is not None
    # Forms are drawn at random: make sure one measured skill is outside the profile.
    dropped = next(s for s in reversed(profile) if s in score.skills)
    assessment.profile = {s: w for s, w in assessment.profile.items() if s != dropped}
    profile = service.profile_skills(assessment)
    secondary = sorted(set(score.skills) - set(profile))
    assert dropped in secondary
    # ... and that one profile skill rests on too little evidence, one on enough.
    thin, sure = [s for s in profile if s in score.skills][:2]
    score.skills = score.skills | {
        thin: score.skills[thin] | {"se": service.THIN_EVIDENCE_SE + 1},
        sure: score.skills[sure] | {"se": 5.0},
    }
    db.flush()
    login(client, org.owner.email)
    page = client.get(f"/assessments/{assessment.id}/results").text
    header = page[page.index("<thead>") : page.index("</thead>")]
    columns = [s for s in score.skills if f"sort=skill:{s}&" in header]
    assert sorted(columns) == sorted(s for s in profile if s in score.skills)
    assert header.index(f"skill:{profile[0]}&") < header.index(f"skill:{profile[1]}&")
    assert 'class="table-scroll"' in page
    report = client.get(f"/attempts/{attempt.id}/report").text
    other = report[report.index("Other skills touched") :]
    assert all(f"<td>{s}</td>" in other for s in secondary)
    # A skill measured by few answers says so instead of a number, in the table and the report.
    body = page[page.index("<tbody>") :]
    row = body[body.index("Strong Sam") : body.index("</tr>", body.index("Strong Sam"))]
    cells = re.findall(r"<td[^>]*>(.*?)</td>", row)
    skill_cells = dict(zip(columns_in_order(header), cells[5:], strict=False))
    assert "too little evidence" in skill_cells[thin]
    assert re.fullmatch(r"\d+ ± 5", skill_cells[sure])
    row = report[report.index(f"<td>{thin}</td>") :]
    assert row[: row.index("</tr>")].count("too little evidence") == 1
    row = report[report.index(f"<td>{sure}</td>") :]
    assert "too little evidence" not in row[: row.index("</tr>")]


def test_report_and_compare_show_integrity_signals(
    client: TestClient, db: Session, org: OrgFixture, ranked: dict[str, Any]
) -> None:
    assessment = ranked["assessment"]
    _strong, strong = ranked["strong"]
    _middle, middle = ranked["middle"]
    db.add(
        IntegrityEvent(
            organization_id=org.organization.id,
            attempt_id=strong.id,
            kind="paste",
            detail={"item_id": "x", "chars": 420},
        )
    )
    db.flush()
    login(client, org.owner.email)
    report = client.get(f"/attempts/{strong.id}/report").text
    assert 'id="integrity-heading"' in report
    assert 'data-signal="paste"' in report
    url = f"/assessments/{assessment.id}/compare"
    page = client.get(url, params={"attempt": [str(strong.id), str(middle.id)]})
    assert page.status_code == 200
    row = page.text[page.text.index("Integrity signals") :]
    row = row[: row.index("</tr>")]
    cells = row.split("<td>")[1:]
    assert len(cells) == 2
    assert "Pastes: 1" in cells[0]
    assert f"/attempts/{strong.id}/integrity" in cells[0]
    assert "Pastes" not in cells[1]


def test_compare_takes_two_to_four_candidates(
    client: TestClient, db: Session, org: OrgFixture, ranked: dict[str, Any]
) -> None:
    assessment = ranked["assessment"]
    _extra, fourth = take(db, org, assessment, right=0.25, name="Fourth Fay")
    attempts = [str(ranked[k][1].id) for k in ("strong", "middle", "weak")] + [str(fourth.id)]
    login(client, org.owner.email)
    url = f"/assessments/{assessment.id}/compare"
    four = client.get(url, params={"attempt": attempts})
    assert four.status_code == 200
    for name in ("Strong Sam", "Middle Max", "Weak Wes", "Fourth Fay"):
        assert name in four.text
    for chosen in (attempts[:1], [*attempts, str(uuid.uuid4())]):
        refused = client.get(url, params={"attempt": chosen})
        assert refused.status_code == 422
        assert "Choose two to 4 candidates to compare" in refused.text
        assert f"you chose {len(chosen)}" in refused.text
    other = make_assessment(db, org)
    _stranger, elsewhere = take(db, org, other, right=1.0, name="Other Ola")
    mixed = client.get(url, params={"attempt": [attempts[0], str(elsewhere.id)]})
    assert mixed.status_code == 422
    assert "same assessment" in mixed.text


def test_ranking_links_to_agreement_and_item_analysis_and_the_overview_to_results(
    app: Any, db: Session, org: OrgFixture, ranked: dict[str, Any]
) -> None:
    assessment = ranked["assessment"]
    agreement = f'href="/assessments/{assessment.id}/review-agreement"'
    analysis = f'href="/item-analysis?assessment_id={assessment.id}"'
    with TestClient(app, base_url="http://testserver") as owner:
        login(owner, org.owner.email)
        page = owner.get(f"/assessments/{assessment.id}/results").text
        assert agreement in page
        assert analysis in page
        overview = owner.get(f"/assessments/{assessment.id}")
        assert overview.status_code == 200
        assert f'href="/assessments/{assessment.id}/results"' in overview.text
    recruiter = make_member(db, org, role=Role.RECRUITER)
    with TestClient(app, base_url="http://testserver") as client:
        login(client, recruiter.email)
        page = client.get(f"/assessments/{assessment.id}/results").text
        assert agreement in page
        assert analysis not in page  # item analysis is for content authors
