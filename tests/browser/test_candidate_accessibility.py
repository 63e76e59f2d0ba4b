"""axe-core finds no serious or critical violation on any candidate page, in Chromium."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.browser import candidate_support as cs
from tests.browser.conftest import LiveServer

pytestmark = pytest.mark.browser

AXE = Path(__file__).resolve().parents[2] / "web/frontend/node_modules/axe-core/axe.min.js"


def serious_violations(page: Page) -> list[str]:
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing; run `cd web/frontend && npm ci` (make test does)")
    page.add_script_tag(path=str(AXE))
    result: dict[str, Any] = page.evaluate("() => axe.run(document)")
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — "
        + "; ".join(node["target"][0] for node in v["nodes"][:3])
        for v in result["violations"]
        if v["impact"] in {"serious", "critical"}
    ]


def test_every_candidate_page_passes_axe(page: Page, live_server: LiveServer) -> None:
    invited = cs.invite_candidate(live_server, intro="Welcome to Globex.")
    found: dict[str, list[str]] = {}
    page.goto(invited.url)
    expect(page.locator("[data-check=network]")).not_to_contain_text("checking")
    found["landing"] = serious_violations(page)
    cs.start(page, invited)
    kinds: set[str] = set()
    count = int(page.locator("#attempt").get_attribute("data-count") or 0)
    for number in range(1, count + 1):
        heading = page.get_by_role("heading", level=1)
        expect(heading).to_contain_text(f"section {number} of {count}")
        kinds |= {
            kind
            for kind in ("choice", "coding", "sql", "code_review", "free_text")
            if page.locator(f".item[data-kind={kind}]").count()
        }
        if page.locator(".mark-line").count():
            page.locator(".mark-line").first.click()  # the comment box it adds is scanned too
        found[heading.inner_text()] = serious_violations(page)
        cs.next_section(page)
    expect(page.get_by_role("heading", level=1)).to_contain_text("submitted")
    found["done"] = serious_violations(page)
    assert kinds == {"choice", "coding", "sql", "code_review", "free_text"}
    assert {name: v for name, v in found.items() if v} == {}


def test_recruiter_candidates_pages_pass_axe_and_work_from_the_keyboard(
    page: Page, live_server: LiveServer
) -> None:
    seeded = cs.recruiting_org(live_server)
    cs.sign_in(page, live_server, seeded.owner_email, seeded.password)
    page.goto(f"{live_server.url}/assessments/{seeded.assessment_id}/candidates")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Candidates")
    table = page.locator("table").first
    # The table fits its card: no row's actions spill past the page's content column.
    fits = page.evaluate(
        "() => { const t = document.querySelector('table');"
        " return t.scrollWidth <= t.parentElement.clientWidth; }"
    )
    assert fits, "the candidates table is wider than its card"
    assert table.locator("form").count() == 0
    candidates_page = serious_violations(page)

    manage = page.get_by_role("link", name=f"Manage {'a-rather-long-address-0'}", exact=False)
    manage.focus()
    page.keyboard.press("Enter")
    expect(page).to_have_url(f"{live_server.url}/candidates/{seeded.candidate_ids[0]}")
    page.get_by_label("Minutes to add to the current section").fill("10")
    page.get_by_label("Minutes to add to the current section").press("Enter")
    expect(page.get_by_role("status")).to_contain_text("Updated a-rather-long-address-0")
    candidate_page = serious_violations(page)
    assert {"candidates": candidates_page, "candidate": candidate_page} == {
        "candidates": [],
        "candidate": [],
    }
