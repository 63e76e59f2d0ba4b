"""Build an assessment from the Lead Back-End Engineer template and preview it, in Chromium."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import LiveServer
from tests.browser.test_onboarding import sign_up

pytestmark = pytest.mark.browser


def test_template_to_preview(page: Page, live_server: LiveServer) -> None:
    sign_up(page, live_server)
    page.get_by_role("link", name="Assessments", exact=True).first.click()
    page.get_by_role("link", name="New assessment").click()
    page.get_by_label("Assessment title").first.fill("Lead BE, spring hiring")
    page.get_by_role("button", name="Use Lead Back-End Engineer").click()
    expect(page).to_have_url(re.compile(r"/assessments/[0-9a-f-]+/blueprint$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Blueprint: Lead BE, spring hiring")
    expect(page.get_by_role("cell", name="Code review", exact=True)).to_be_visible()
    page.get_by_role("link", name="Preview as a candidate").click()
    expect(page.get_by_text("Nothing you do here is recorded")).to_be_visible()
    expect(page.get_by_role("heading", name=re.compile(r"^Knowledge"))).to_be_visible()
    first_option = page.locator("fieldset.item input").first
    first_option.focus()
    page.keyboard.press("Space")
    expect(first_option).to_be_checked()


def test_pasted_description_marks_the_evidence(page: Page, live_server: LiveServer) -> None:
    sign_up(page, live_server)
    page.goto(live_server.url + "/assessments/new")
    page.get_by_role("textbox", name="Job description").fill(
        "Senior Backend Engineer\n\nYou will design REST APIs in Python and tune PostgreSQL."
    )
    page.get_by_role("button", name="Find skills").click()
    expect(page.locator("mark[data-skill=python]").first).to_be_visible()
    expect(page.get_by_label("Python", exact=True)).to_be_checked()
    page.get_by_label("Observability", exact=True).check()
    page.get_by_role("button", name="Build the blueprint").click()
    expect(page).to_have_url(re.compile(r"/assessments/[0-9a-f-]+/blueprint$"))
    expect(page.get_by_text("Observability: 0.50")).to_be_visible()
