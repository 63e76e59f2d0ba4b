"""The recruiter's candidates page: states, invite one, CSV preview and send, more time, signals."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from assay.delivery.models import Candidate, IntegrityEvent
from assay.kit.clock import utcnow
from tests.delivery_support import invite, make_assessment
from tests.factories import OrgFixture, make_org
from tests.functional.test_sessions import csrf, login


def test_candidates_page_invites_previews_and_extends(
    client: TestClient, db: Session, org: OrgFixture
) -> None:
    assessment = make_assessment(db, org)
    assert login(client, org.owner.email).status_code == 303  # type: ignore[attr-defined]
    page_url = f"/assessments/{assessment.id}/candidates"
    page = client.get(page_url)
    assert page.status_code == 200
    assert "Nobody is invited yet." in page.text
    assert 'href="/settings/outbox"' in page.text

    token = csrf(client, page_url)
    invited = client.post(
        f"{page_url}/invite",
        data={"name": "Ada", "email": "ada@example.com", "csrf_token": token},
    )
    assert invited.status_code == 200, invited.text
    assert "Invitation sent to ada@example.com." in invited.text
    assert "/take/" in invited.text
    again = client.post(
        f"{page_url}/invite",
        data={"name": "Ada", "email": "ada@example.com", "csrf_token": token},
    )
    assert again.status_code == 409
    assert "already invited" in again.text

    csv = "name,email\nGrace,grace@example.com\nNo email,\nAda again,ada@example.com\n"
    preview = client.post(
        f"{page_url}/import", data={"csv": csv, "action": "preview", "csrf_token": token}
    )
    assert preview.status_code == 200
    assert "1 valid, 2 with errors. Nothing has been sent." in preview.text
    assert "already invited to this assessment" in preview.text
    assert db.scalar(select(func.count()).select_from(Candidate)) == 1
    sent = client.post(
        f"{page_url}/import",
        data={"csv": csv, "action": "send", "csrf_token": token},
        follow_redirects=False,
    )
    assert sent.status_code == 303
    listing = client.get(sent.headers["location"]).text
    assert "1 invitations sent; 2 rows with errors were skipped." in listing
    assert "grace@example.com" in listing

    grace = db.scalars(select(Candidate).where(Candidate.email == "grace@example.com")).one()
    later = (utcnow().replace(microsecond=0).replace(tzinfo=None)).isoformat()
    too_early = client.post(
        f"/candidates/{grace.id}/extend", data={"expires_at": later, "csrf_token": token}
    )
    assert too_early.status_code == 422
    assert "must be in the future" in too_early.text
    moved = client.post(
        f"/candidates/{grace.id}/extend",
        data={"expires_at": "2099-01-31T12:00", "add_minutes": "15", "csrf_token": token},
        follow_redirects=False,
    )
    assert moved.status_code == 303
    assert moved.headers["location"].startswith(f"/candidates/{grace.id}?")
    assert "Updated grace@example.com." in client.get(moved.headers["location"]).text
    assert "2099-01-31 12:00 UTC" in client.get(page_url).text
    db.refresh(grace)
    assert grace.extra_minutes == 15


def test_signals_page_lists_signals_without_verdicts(
    client: TestClient, db: Session, org: OrgFixture
) -> None:
    assessment = make_assessment(db, org)
    candidate, token = invite(db, org, assessment)
    client.post(f"/take/{token}/api/start")
    client.post(f"/take/{token}/api/signals", json={"kind": "paste", "detail": {"chars": 812}})
    assert db.scalar(select(func.count()).select_from(IntegrityEvent)) == 1
    assert login(client, org.owner.email).status_code == 303  # type: ignore[attr-defined]
    listing = client.get(f"/assessments/{assessment.id}/candidates").text
    assert "started" in listing
    page = client.get(f"/candidates/{candidate.id}/signals")
    assert page.status_code == 200
    assert "chars: 812" in page.text
    assert "not verdicts" in page.text


def test_assessment_page_links_to_its_candidates(
    client: TestClient, db: Session, org: OrgFixture
) -> None:
    assessment = make_assessment(db, org)
    assert login(client, org.owner.email).status_code == 303  # type: ignore[attr-defined]
    page = client.get(f"/assessments/{assessment.id}").text
    assert f'href="/assessments/{assessment.id}/candidates"' in page


def test_candidates_list_newest_first_and_per_candidate_actions_live_on_their_page(
    client: TestClient, db: Session, org: OrgFixture
) -> None:
    from datetime import timedelta

    assessment = make_assessment(db, org)
    first, _token = invite(db, org, assessment)
    second, _token = invite(db, org, assessment)
    first.name, second.name = "Zed First", "Amy Second"
    first.created_at = utcnow() - timedelta(hours=1)
    db.flush()
    assert login(client, org.owner.email).status_code == 303  # type: ignore[attr-defined]
    listing = client.get(f"/assessments/{assessment.id}/candidates").text
    assert listing.index("Amy Second") < listing.index("Zed First")
    assert 'action="/candidates/' not in listing  # no per-row forms in the table any more
    assert f'href="/candidates/{first.id}"' in listing

    page = client.get(f"/candidates/{first.id}")
    assert page.status_code == 200
    assert f'action="/candidates/{first.id}/extend"' in page.text
    assert 'for="add-minutes"' in page.text
    assert f'href="/assessments/{assessment.id}/candidates"' in page.text
    token = csrf(client, f"/candidates/{first.id}")
    bad = client.post(
        f"/candidates/{first.id}/extend", data={"add_minutes": "900", "csrf_token": token}
    )
    assert bad.status_code == 422
    assert "add at most 600 minutes" in bad.text

    stranger = make_org(db)
    db.flush()
    client.cookies.clear()
    assert login(client, stranger.owner.email).status_code == 303  # type: ignore[attr-defined]
    assert client.get(f"/candidates/{first.id}").status_code == 404
