"""A candidate takes a whole assessment in Chromium: every item kind, a sample run, grading,
a server restart mid-attempt, and a spell offline, with nothing lost or saved twice."""

from __future__ import annotations

import re
import time

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser import candidate_support as cs
from tests.browser.conftest import LiveServer

pytestmark = pytest.mark.browser


def _section_heading(page: Page, title: str) -> None:
    expect(page.get_by_role("heading", level=1)).to_contain_text(title)


@pytest.mark.sandbox
def test_take_a_complete_assessment(page: Page, live_server: LiveServer) -> None:
    invited = cs.invite_candidate(live_server)
    cs.start(page, invited)

    _section_heading(page, "Knowledge")
    choices = cs.answer_choices(page)
    cs.next_section(page)

    _section_heading(page, "Coding")
    coding = page.locator(".item[data-kind=coding]").first
    task = cs.task_by_title("coding", cs.item_title(coding))
    language = coding.locator(".answer-language").input_value()
    (reference,) = sorted((task / language / "reference").iterdir())
    cs.replace_code(page, coding, reference.read_text())
    coding.get_by_role("button", name="Run sample tests").click()
    results = coding.locator(".sample-results")
    expect(results).to_contain_text(re.compile(r"(\d+) of \1 sample tests passed"), timeout=60_000)
    expect(results.locator("li").first).to_contain_text("Passed:")
    cs.wait_saved(page)
    cs.next_section(page)

    _section_heading(page, "SQL")
    sql = page.locator(".item[data-kind=sql]").first
    sql_task = cs.task_by_title("sql", cs.item_title(sql))
    cs.replace_code(page, sql, (sql_task / "reference.sql").read_text())
    cs.wait_saved(page)
    cs.next_section(page)

    _section_heading(page, "Code review")
    review = page.locator(".item[data-kind=code_review]").first
    review.locator(".mark-line").nth(3).click()
    comment = review.locator(".review-comments textarea").first
    expect(comment).to_be_focused()
    page.keyboard.type("This query runs once per row; batch it.")
    cs.wait_saved(page)
    cs.next_section(page)

    design = page.locator(".item[data-kind=free_text]").first
    design.locator("textarea").fill("I would start from the requirements: " + "scale " * 60)
    # Submitting at once: the pending (debounced) edit is saved before the section closes.
    page.get_by_role("button", name="Submit the assessment").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Thank you — your assessment is submitted"
    )

    answers = {a["item_id"]: a for a in cs.export(live_server, invited.token)["answers"]}
    assert len(answers) == choices + 4
    assert answers[task.name]["answer"]["files"] == {reference.name: reference.read_text()}
    assert answers[sql_task.name]["answer"]["files"]
    kinds = [a["answer"] for a in answers.values()]
    assert any(a.get("comments", [{}])[0].get("text") for a in kinds if "comments" in a)
    assert any(a.get("text", "").startswith("I would start") for a in kinds)
    # The worker inside `assay serve` grades the final submission on the hidden tests.
    assert cs.wait_graded(live_server, invited.token, task.name) > 0.5


def test_server_restart_mid_attempt_loses_nothing_and_keeps_the_clock(
    page: Page, live_server: LiveServer
) -> None:
    invited = cs.invite_candidate(live_server)
    cs.start(page, invited)
    items = page.locator(".item[data-kind=choice]")
    items.nth(0).locator("input").first.check()
    items.nth(1).locator("input").nth(1).check()
    cs.wait_saved(page)
    deadline = cs.section_deadline(live_server, invited.token)

    live_server.kill()
    # Answered while the server is down: kept in the browser's queue, sent after the restart.
    items.nth(2).locator("input").nth(2).check()
    expect(page.locator("#save-status")).to_have_text("Offline — will retry")
    live_server.start()
    cs.wait_saved(page)

    before = time.time()
    page.reload()
    after = time.time()
    remaining = int(page.locator("#attempt").get_attribute("data-remaining") or -1)
    # The page was rendered between `before` and `after`; the server rounds down.
    assert deadline - after - 1 <= remaining <= deadline - before
    assert cs.section_deadline(live_server, invited.token) == deadline
    expect(items.nth(0).locator("input").first).to_be_checked()
    expect(items.nth(1).locator("input").nth(1)).to_be_checked()
    expect(items.nth(2).locator("input").nth(2)).to_be_checked()
    assert cs.response_count(live_server, invited.token) == 3


def test_offline_answers_arrive_exactly_once(browser: Browser, live_server: LiveServer) -> None:
    invited = cs.invite_candidate(live_server)
    context = browser.new_context()
    try:
        page = context.new_page()
        cs.start(page, invited)
        items = page.locator(".item[data-kind=choice]")
        items.nth(0).locator("input").first.check()
        cs.wait_saved(page)

        context.set_offline(True)
        for index in range(1, 5):
            items.nth(index).locator("input").first.check()
        items.nth(0).locator("input").nth(1).check()  # a change of mind while offline
        expect(page.locator("#save-status")).to_have_text("Offline — will retry")
        context.set_offline(False)
        cs.wait_saved(page)
    finally:
        context.close()

    saved = cs.receipts(live_server, invited.token)
    refs = [ref for ref, _sequence, _applied in saved]
    # One save before going offline, five while offline: six requests, each stored once.
    assert len(saved) == 6
    assert len({(ref, seq) for ref, seq, _ in saved}) == 6, "a save arrived twice"
    assert sorted(set(refs)) == ["q1-1", "q1-2", "q1-3", "q1-4", "q1-5"]
    assert all(applied for _ref, _sequence, applied in saved)
    assert cs.response_count(live_server, invited.token) == 5
    latest = {r: max(s for ref, s, _ in saved if ref == r) for r in refs}
    assert latest["q1-1"] == 2
