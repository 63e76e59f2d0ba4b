"""Candidate-side helpers for browser tests: seed an invitation in the live server's database,
read what the server stored, and answer each kind of item through the real page."""

from __future__ import annotations

import json
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from playwright.sync_api import Locator, Page, expect
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tests.browser.conftest import LiveServer

CONTENT = Path(__file__).resolve().parents[2] / "content"
GRADING_WAIT_SECONDS = 120  # a bound on waiting for the worker, never a claim about speed


@dataclass(frozen=True)
class Invited:
    token: str
    url: str


def _session(server: LiveServer) -> Session:
    import assay.db.models  # noqa: F401 - every mapper, before the first flush
    from assay.db.engine import make_engine

    return Session(make_engine(server.env["ASSAY_DATABASE_URL"]), expire_on_commit=False)


def invite_candidate(server: LiveServer, **settings: Any) -> Invited:
    """An open flagship assessment and one invited candidate, committed in the server's DB."""
    from tests.delivery_support import invite, make_assessment
    from tests.factories import make_org

    with _session(server) as session:
        org = make_org(session)
        assessment = make_assessment(session, org, **settings)
        _candidate, token = invite(session, org, assessment)
        session.commit()
    return Invited(token=token, url=f"{server.url}/take/{token}")


def export(server: LiveServer, token: str) -> dict[str, Any]:
    """The candidate's own JSON export: every answer the server stored, with its grade."""
    request = urllib.request.Request(  # noqa: S310 - our loopback server
        f"{server.url}/take/{token}/api/export", headers={"Accept": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
        data: dict[str, Any] = json.loads(response.read())
    return data


def receipts(server: LiveServer, token: str) -> list[tuple[str, int, bool]]:
    """Every save request the server accepted for this link: (item ref, sequence, applied)."""
    from assay.delivery import service
    from assay.delivery.models import SaveReceipt

    with _session(server) as session:
        access = service.resolve(session, token=token)
        assert access.attempt is not None
        rows = session.scalars(
            select(SaveReceipt).where(SaveReceipt.attempt_id == access.attempt.id)
        ).all()
        return [(r.item_id, r.sequence, r.applied) for r in rows]


def response_count(server: LiveServer, token: str) -> int:
    from assay.delivery import service
    from assay.delivery.models import Response

    with _session(server) as session:
        access = service.resolve(session, token=token)
        assert access.attempt is not None
        return int(
            session.scalar(
                select(func.count())
                .select_from(Response)
                .where(Response.attempt_id == access.attempt.id)
            )
            or 0
        )


def section_deadline(server: LiveServer, token: str) -> float:
    """The current section's deadline as the server stores it (epoch seconds, UTC)."""
    from datetime import UTC

    from assay.delivery import service

    with _session(server) as session:
        access = service.resolve(session, token=token)
        assert access.attempt is not None
        return access.attempt.section_deadline.replace(tzinfo=UTC).timestamp()


def wait_graded(server: LiveServer, token: str, item_id: str) -> float:
    """Poll the export until the worker has graded the item's submission (bounded wait)."""
    deadline = time.monotonic() + GRADING_WAIT_SECONDS
    while time.monotonic() < deadline:
        for answer in export(server, token)["answers"]:
            if answer["item_id"] == item_id and answer["graded"] is not None:
                return float(answer["graded"])
        time.sleep(0.5)
    raise AssertionError(f"{item_id} was not graded within {GRADING_WAIT_SECONDS} s")


def task_by_title(kind: str, title: str) -> Path:
    """The library folder of the coding or SQL task the page shows under this title."""
    for task in sorted((CONTENT / kind).glob("*/task.yaml")):
        if yaml.safe_load(task.read_text())["title"] == title:
            return task.parent
    raise AssertionError(f"no {kind} task titled {title!r}")


def item_title(item: Locator) -> str:
    return item.locator("h2").inner_text().split(". ", 1)[1]


def start(page: Page, invited: Invited) -> None:
    page.goto(invited.url)
    page.get_by_label("I have read the rules").check()
    page.get_by_role("button", name="Start the assessment").click()
    expect(page.locator("#attempt")).to_be_visible()


def wait_saved(page: Page) -> None:
    expect(page.locator("#save-status")).to_have_text("Saved", timeout=20_000)


def answer_choices(page: Page) -> int:
    items = page.locator(".item[data-kind=choice]")
    for index in range(items.count()):
        items.nth(index).locator("input").first.check()
    wait_saved(page)
    return items.count()


def replace_code(page: Page, item: Locator, text: str) -> None:
    """Replace the editor's text the way a candidate pasting a solution would."""
    item.locator(".cm-content").click()
    page.keyboard.press("Control+A")
    page.keyboard.insert_text(text)


def next_section(page: Page) -> None:
    page.locator("#next-section").click()


@dataclass(frozen=True)
class Recruiting:
    """An organization in the live server with an open assessment and a few candidates."""

    owner_email: str
    password: str
    assessment_id: str
    candidate_ids: list[str]


def recruiting_org(server: LiveServer, *, candidates: int = 3) -> Recruiting:
    """Seed an owner, an open flagship assessment and ``candidates`` invitations (one started)."""
    from assay.delivery import service
    from tests.delivery_support import invite, make_assessment
    from tests.factories import PASSWORD, make_org

    with _session(server) as session:
        org = make_org(session)
        assessment = make_assessment(session, org)
        ids = []
        for number in range(candidates):
            candidate, token = invite(session, org, assessment)
            candidate.email = f"a-rather-long-address-{number}@candidates.example.com"
            if number == 0:
                service.start(session, token=token, browser_id="b" * 16, ip=None, user_agent=None)
            ids.append(str(candidate.id))
        session.commit()
        return Recruiting(org.owner.email, PASSWORD, str(assessment.id), ids)


def sign_in(page: Page, server: LiveServer, email: str, password: str) -> None:
    page.goto(server.url + "/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(server.url + "/dashboard")
