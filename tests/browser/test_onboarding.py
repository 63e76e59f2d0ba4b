"""From a fresh server to a logged-in dashboard, the way a new customer does it, in Chromium."""

from __future__ import annotations

import re
import uuid

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import LiveServer

pytestmark = pytest.mark.browser


def sign_up(page: Page, server: LiveServer) -> str:
    email = f"lead-{uuid.uuid4().hex[:8]}@example.com"
    page.goto(server.url + "/")
    page.get_by_role("link", name="Create your organization").click()
    page.get_by_label("Organization name").fill("Globex Hiring")
    page.get_by_label("Your name").fill("Hank Scorpio")
    page.get_by_label("Work email").fill(email)
    page.get_by_label("Password").fill("a long and memorable passphrase")
    page.get_by_role("button", name="Create organization").click()
    return email


def test_sign_up_lands_on_the_dashboard(page: Page, live_server: LiveServer) -> None:
    email = sign_up(page, live_server)
    expect(page).to_have_url(re.compile(r"/dashboard$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Globex Hiring")
    expect(page.get_by_text(f"Signed in as {email} (owner).")).to_be_visible()


def test_log_out_and_back_in(page: Page, live_server: LiveServer) -> None:
    email = sign_up(page, live_server)
    page.get_by_role("button", name="Log out").click()
    expect(page).to_have_url(re.compile(r"/login$"))
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("alert")).to_have_text("The email or password is wrong.")
    page.get_by_label("Password").fill("a long and memorable passphrase")
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(re.compile(r"/dashboard$"))


def test_api_key_is_shown_once(page: Page, live_server: LiveServer) -> None:
    sign_up(page, live_server)
    page.get_by_role("link", name="API keys", exact=True).click()
    page.get_by_label("Name").fill("ATS sync")
    page.get_by_role("button", name="Create key").click()
    key = page.get_by_label("New API key").input_value()
    assert key.startswith("assay_")
    page.goto(live_server.url + "/settings/api-keys")
    expect(page.get_by_label("New API key")).to_have_count(0)
    expect(page.get_by_role("cell", name="ATS sync")).to_be_visible()
    assert key not in page.content()


def test_invite_a_teammate_and_see_the_mail(page: Page, live_server: LiveServer) -> None:
    sign_up(page, live_server)
    page.get_by_role("link", name="Team", exact=True).click()
    page.get_by_label("Email", exact=True).fill("reviewer@example.com")
    page.get_by_label("Role", exact=True).select_option("reviewer")
    page.get_by_role("button", name="Send invitation").click()
    expect(page.get_by_role("status")).to_have_text("Invitation sent to reviewer@example.com.")
    page.get_by_role("link", name="Outbox", exact=True).click()
    expect(page.get_by_text("To reviewer@example.com")).to_be_visible()


def test_keyboard_reaches_the_form_and_focus_is_visible(
    page: Page, live_server: LiveServer
) -> None:
    page.goto(live_server.url + "/login")
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to content")).to_be_focused()
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.id")
    assert focused == "email"
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"
