"""The whole assessment with the keyboard alone: answer, ask for the result, read it."""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import BrowserContext, Page

from assessment import assess, load_bank

from .harness import Site
from .pages import READY_TIMEOUT_MS

pytestmark = pytest.mark.browser

BANK = load_bank()
MAX_TABS = 400


def focused(page: Page) -> dict[str, str]:
    """What has the keyboard focus: tag, id, name, value, type."""
    info: dict[str, str] = page.evaluate(
        "() => { const e = document.activeElement;"
        " return {tag: e.tagName, id: e.id || '', name: e.name || '', value: e.value || '',"
        " type: e.type || '', outline: getComputedStyle(e).outlineStyle}; }"
    )
    return info


def tab_until(page: Page, wanted: dict[str, str]) -> None:
    """Press Tab until the focused element matches every key of `wanted`."""
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        now = focused(page)
        if all(now.get(key) == value for key, value in wanted.items()):
            return
    raise AssertionError(f"Tab never reached {wanted}")


def test_complete_and_read_the_assessment_with_the_keyboard(
    returning_reader: BrowserContext, site: Site
) -> None:
    """Tab into each question, pick a level with Space and the arrow keys, submit with Enter."""
    page = returning_reader.new_page()
    page.goto(site.url("assessment/"))
    # Each radio group is one Tab stop; Space checks the focused radio, ArrowDown the next. The
    # answers run from the worst practice to the best on every question, so a reverse-scored
    # question lists its levels from 5 down to 1: its level `n` is the (6 - n)th answer.
    levels = {qid: (index % 5) + 1 for index, qid in enumerate(BANK.question_ids)}
    position = {q.id: (6 - levels[q.id]) if q.reverse else levels[q.id] for q in BANK.questions}
    tab_until(page, {"name": "perspective"})
    page.keyboard.press("ArrowRight")
    first_side = BANK.relationships[0].id
    assert page.locator(f'input[name="perspective"][value="{first_side}"]').is_checked()
    for question_id, level in levels.items():
        page.keyboard.press("Tab")
        assert focused(page)["name"] == question_id, focused(page)
        page.keyboard.press("Space")
        for _ in range(position[question_id] - 1):
            page.keyboard.press("ArrowDown")
        assert page.locator(f'input[name="{question_id}"][value="{level}"]').is_checked()
    assert page.locator("#pp-answered").inner_text() == str(len(levels))
    tab_until(page, {"id": "pp-submit"})
    assert focused(page)["outline"] != "none", "focus must be visible on the submit button"
    page.keyboard.press("Enter")
    page.wait_for_selector('#assessment-result[data-state="shown"]', timeout=READY_TIMEOUT_MS)
    # Focus moves to the result, and a live region announces the verdict.
    page.wait_for_function("() => document.activeElement.id === 'assessment-result'")
    announced = page.locator("#pp-announce").inner_text()
    result = assess(levels).to_dict()
    assert result["verdict_title"] in announced
    shown = json.loads(page.locator("#assessment-result").get_attribute("data-result") or "")
    assert shown == json.loads(json.dumps(result))
    # The result's links are reachable with Tab, starting with the verdict card's first.
    first_link = page.locator("#pp-card a").first.get_attribute("href")
    tab_until(page, {"tag": "A"})
    assert page.evaluate("() => document.activeElement.getAttribute('href')") == first_link
