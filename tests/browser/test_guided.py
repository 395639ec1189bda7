"""The guided form and the quick check: one question per screen, by keyboard alone, the same
form underneath (nothing lost when switching modes or reloading), and the returning reader."""

from __future__ import annotations

import json
import random
from typing import Any

import pytest
from playwright.sync_api import BrowserContext, Page

from assessment import assess, encode, load_bank
from assessment.examples import SCENARIOS
from assessment.scoring import asked, core_answers

from .harness import Site
from .pages import (
    ASSESSMENT,
    READY_TIMEOUT_MS,
    ask_result,
    fill,
    focused_id,
    form_answers,
    open_assessment,
    wait_for_engine,
    wait_until,
)

pytestmark = pytest.mark.browser

BANK = load_bank()
# The guide's last step, after the questions (docs/assessment/guide.js).
FINISH = "finish"
MAX_STEPS = 3 * len(BANK.questions)


def step(page: Page) -> str:
    """The step the guided form shows: "perspective", a question id, or "finish"."""
    now: str = page.evaluate("() => document.getElementById('pp-form').dataset.step || ''")
    return now


def wait_for_step_after(page: Page, before: str) -> str:
    """Wait until the guide has moved on from `before`; return the new step."""
    page.wait_for_function(
        "(before) => (document.getElementById('pp-form').dataset.step || '') !== before",
        arg=before,
    )
    return step(page)


def visible_questions(page: Page) -> list[str]:
    """The questions laid out on screen now."""
    shown: list[str] = page.evaluate(
        "() => [...document.querySelectorAll('fieldset[data-question]')]"
        ".filter((f) => f.offsetParent !== null).map((f) => f.dataset.question)"
    )
    return shown


def answer_by_keys(page: Page, rnd: random.Random, raised_level: int) -> dict[str, int | None]:
    """From the side's step to the end, answer each question with a key, as a reader would;
    return the answers the keys gave (in levels: the nth answer shown is the nth worst)."""
    given: dict[str, int | None] = {}
    now = step(page)
    assert now == "perspective", now
    page.keyboard.press("Enter")
    now = wait_for_step_after(page, now)
    for _ in range(MAX_STEPS):
        if now == FINISH:
            return given
        question = BANK.question(now)
        assert visible_questions(page) == [now]
        if question.role == "raised":
            key = str(raised_level)
        else:
            key = rnd.choice(["1", "2", "3", "4", "5", "d"])
        page.keyboard.press(key)
        position = None if key == "d" else int(key)
        level = None if position is None else (6 - position if question.reverse else position)
        given[now] = level
        now = wait_for_step_after(page, now)
    raise AssertionError("the guide never reached its end")


def shown_result(page: Page) -> dict[str, Any]:
    """The result the page shows, as data."""
    data = page.locator("#assessment-result").get_attribute("data-result")
    assert data is not None
    result: dict[str, Any] = json.loads(data)
    return result


def tab_to(page: Page, element_id: str, limit: int = 80) -> None:
    """Press Tab until the element `element_id` has the focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if focused_id(page) == element_id:
            return
    raise AssertionError(f"Tab never reached #{element_id}")


@pytest.mark.parametrize("raised_level", [1, 4])
def test_the_quick_check_by_keyboard_alone_equals_cpython(
    returning_reader: BrowserContext, site: Site, raised_level: int
) -> None:
    """Tab to the quick check, answer each core question with a key, Enter at the end: the
    verdict is CPython's assess() on those core answers, and it says it is a quick check. The
    repair history's later questions come only once the problems are said to be raised."""
    page = open_assessment(returning_reader, site)
    wait_for_engine(page)
    tab_to(page, "pp-mode-quick")
    page.keyboard.press("Enter")
    given = answer_by_keys(page, random.Random(raised_level), raised_level)
    core = {q.id for q in BANK.core_questions}
    expected_steps = [q.id for q in BANK.core_questions if asked(q, given)]
    assert list(given) == expected_steps
    assert set(given) <= core
    assert focused_id(page) == "pp-submit"
    page.keyboard.press("Enter")
    page.wait_for_selector('#assessment-result[data-state="shown"]', timeout=READY_TIMEOUT_MS)
    shown = shown_result(page)
    expected = assess(core_answers(given, BANK))
    assert shown["verdict"] == expected.verdict
    assert shown == json.loads(json.dumps(expected.to_dict()))
    assert shown["quick"] is True
    assert "Quick check" in page.locator("#pp-card").inner_text()
    # "Deepen" is offered right under the verdict card.
    under_card = "() => document.getElementById('pp-deepen-bar').previousElementSibling?.id"
    assert page.evaluate(under_card) == "pp-card"
    # "Deepen" goes on into the other questions, the quick answers kept.
    page.locator("#pp-deepen").click()
    assert step(page) not in core | {FINISH}
    assert form_answers(page) == given


def test_the_full_check_by_keyboard_alone(returning_reader: BrowserContext, site: Site) -> None:
    """One question per screen through every question, keys only, to the result."""
    page = open_assessment(returning_reader, site)
    wait_for_engine(page)
    tab_to(page, "pp-mode-guided")
    page.keyboard.press("Enter")
    given = answer_by_keys(page, random.Random(7), 5)
    assert len(given) == len(BANK.questions)
    page.keyboard.press("Enter")
    page.wait_for_selector('#assessment-result[data-state="shown"]', timeout=READY_TIMEOUT_MS)
    assert shown_result(page) == json.loads(json.dumps(assess(given).to_dict()))


def test_switching_modes_mid_way_keeps_every_answer(
    returning_reader: BrowserContext, site: Site
) -> None:
    """Answers given on the one-page form, then one at a time, then in the quick check, are
    one set of answers: every switch and a reload keep them all."""
    answers = SCENARIOS[1].answers(BANK)
    first = dict(list(answers.items())[:8])
    page = open_assessment(returning_reader, site)
    fill(page, first)
    page.locator("#pp-mode-guided").click()
    # The guide goes on from the first question not answered yet.
    assert step(page) == next(q for q in BANK.question_ids if q not in first)
    now = step(page)
    page.keyboard.press("2")
    wait_for_step_after(page, now)
    question = BANK.question(now)
    expected = {**first, now: 4 if question.reverse else 2}
    assert form_answers(page) == expected
    page.locator("#pp-mode-quick").click()
    assert form_answers(page) == expected
    page.locator("#pp-mode-page").click()
    assert form_answers(page) == expected
    assert len(visible_questions(page)) == len(BANK.questions)
    page.reload()
    assert form_answers(page) == expected


def test_a_reload_in_guided_mode_returns_to_the_same_question(
    returning_reader: BrowserContext, site: Site
) -> None:
    """The mode and the question on screen are kept in this browser; answers are the form's."""
    page = open_assessment(returning_reader, site)
    page.locator("#pp-mode-guided").click()
    page.keyboard.press("Enter")
    for key in ("3", "4", "1"):
        before = step(page)
        page.keyboard.press(key)
        wait_for_step_after(page, before)
    here = step(page)
    answered = form_answers(page)
    page.reload()
    page.wait_for_function("() => document.getElementById('pp-form').dataset.step")
    assert step(page) == here
    assert visible_questions(page) == [here]
    assert form_answers(page) == answered
    # Back goes to the question before, with its answer.
    page.locator("#pp-guide-back").click()
    previous = step(page)
    assert previous != here and previous in answered


def test_two_tabs_one_guided_keep_both_tabs_answers(
    returning_reader: BrowserContext, site: Site
) -> None:
    """A tab answering one question at a time and a tab with the whole form: each answer given
    in either shows in both, and the guided tab stays on its question."""
    guided = open_assessment(returning_reader, site)
    guided.locator("#pp-mode-guided").click()
    guided.keyboard.press("Enter")
    first = step(guided)
    guided.keyboard.press("2")
    here = wait_for_step_after(guided, first)
    whole = open_assessment(returning_reader, site)
    whole.locator("#pp-mode-page").click()
    last = BANK.questions[-1]
    fill(whole, {last.id: 3})
    expected = {first: 4 if BANK.question(first).reverse else 2, last.id: 3}
    wait_until(lambda: form_answers(guided) == expected, guided)
    assert step(guided) == here
    assert visible_questions(guided) == [here]
    guided.keyboard.press("5")
    wait_for_step_after(guided, here)
    expected[here] = 1 if BANK.question(here).reverse else 5
    wait_until(lambda: form_answers(whole) == expected, whole)
    assert len(visible_questions(whole)) == len(BANK.questions)


def test_the_skip_rule_comes_from_the_bank(returning_reader: BrowserContext, site: Site) -> None:
    """A question with a skip rule is not a step until its question is answered high enough;
    on the one-page form it stays, dimmed, with its note, and an answer to it is kept."""
    skipped = next(q for q in BANK.questions if q.asked_if is not None)
    assert skipped.asked_if is not None
    other, at_least = skipped.asked_if
    page = open_assessment(returning_reader, site)
    fill(page, {other: at_least - 1, skipped.id: 3})
    note = page.locator(f"#q-{skipped.id} .pp-skip-note")
    assert note.is_visible()
    page.locator("#pp-mode-guided").click()
    page.locator("#pp-guide-jump").select_option(skipped.dimension)
    assert step(page) != skipped.id
    page.locator("#pp-mode-page").click()
    fill(page, {other: at_least})
    assert not note.is_visible()
    assert form_answers(page)[skipped.id] == 3


def test_a_returning_reader_sees_the_last_result_first(
    returning_reader: BrowserContext, site: Site
) -> None:
    """After a result, the next visit opens with a banner: its day and verdict, and the ways
    on (the result, the answers, a two-sided check)."""
    answers = SCENARIOS[2].answers(BANK)
    page = open_assessment(returning_reader, site)
    fill(page, answers)
    shown = ask_result(page)
    page.goto("about:blank")
    page.goto(site.url(ASSESSMENT))
    banner = page.locator("#pp-returning")
    banner.wait_for(state="visible", timeout=READY_TIMEOUT_MS)
    assert shown["verdict_label"] in banner.inner_text()
    assert page.locator("#pp-returning-compare").get_attribute("href") == "../compare/"
    # It is the first thing on the page, above the form.
    box = banner.bounding_box()
    form = page.locator("#pp-form").bounding_box()
    assert box is not None and form is not None and box["y"] < form["y"]
    page.locator("#pp-returning-view").click()
    page.wait_for_selector('#assessment-result[data-state="shown"]', timeout=READY_TIMEOUT_MS)
    assert shown_result(page) == shown
    assert banner.is_hidden()


def test_a_shared_link_opens_on_its_result(browser: Any, site: Site) -> None:
    """Someone with no answers of their own opens a link: the page opens on the result, and
    offers no "Restore my answers" (there are none)."""
    answers = SCENARIOS[1].answers(BANK)
    context = browser.new_context(viewport={"width": 390, "height": 800})
    try:
        page = context.new_page()
        page.goto(site.url(ASSESSMENT) + "#code=" + encode(answers))
        page.wait_for_selector('#assessment-result[data-state="shown"]', timeout=READY_TIMEOUT_MS)
        page.wait_for_function(
            "() => { const r = document.getElementById('pp-card').getBoundingClientRect();"
            " return r.top >= 0 && r.top < window.innerHeight; }"
        )
        assert page.locator("#pp-restore").is_hidden()
    finally:
        context.close()


def test_a_phone_gets_one_question_per_screen_and_a_tap_goes_on(browser: Any, site: Site) -> None:
    """On a 360 px touch screen a reader who has not chosen gets the guided form; tapping an
    answer goes on to the next question, arrow keys only move within one, and the last answer
    chosen by keys is never hidden behind the Back and Next bar. The whole form stays one tap
    away, and a choice made is kept."""
    context = browser.new_context(viewport={"width": 360, "height": 740}, has_touch=True)
    try:
        page = open_assessment(context, site)
        page.wait_for_function("() => document.getElementById('pp-form').dataset.step")
        assert page.locator("#pp-form").get_attribute("data-mode") == "guided"
        assert step(page) == "perspective"
        page.locator("#q-perspective input[type=radio]").first.tap()
        first = wait_for_step_after(page, "perspective")
        assert visible_questions(page) == [first]
        page.locator(f"#q-{first} input[type=radio]").nth(1).tap()
        second = wait_for_step_after(page, first)
        assert first in form_answers(page) and form_answers(page)[first] is not None
        # Keys: the first answer, then down through every other one to "don't know".
        options = page.locator(f"#q-{second} input[type=radio]")
        options.first.focus()
        page.keyboard.press("Space")
        for _ in range(options.count() - 2):
            page.keyboard.press("ArrowDown")
        # "Don't know" just above the screen's bottom edge, where the bar sits: the key that
        # chooses it brings it clear of the bar.
        options.last.evaluate(
            "(input) => window.scrollBy(0, input.getBoundingClientRect().bottom"
            " - (window.innerHeight - 8))"
        )
        page.keyboard.press("ArrowDown")
        page.wait_for_timeout(3 * 180)
        assert step(page) == second
        assert second in form_answers(page) and form_answers(page)[second] is None
        last = options.last.evaluate("(input) => input.getBoundingClientRect().bottom")
        bar = page.locator("#pp-guide-buttons").evaluate("(bar) => bar.getBoundingClientRect().top")
        assert last <= bar, (last, bar)
        # The whole form, chosen, stays chosen.
        page.locator("#pp-mode-page").tap()
        page.reload()
        page.wait_for_function("() => document.getElementById('pp-form').dataset.mode === 'page'")
        assert len(visible_questions(page)) == len(BANK.questions)
    finally:
        context.close()


@pytest.mark.parametrize("script", ["refused", "off"])
def test_a_phone_whose_page_script_never_runs_still_shows_the_whole_form(
    browser: Any, site: Site, script: str
) -> None:
    """On a phone the questions wait for the guided form's script before they are laid out
    (extra.css); should it never run (refused by a filter, say), the whole form shows within
    seconds and takes answers; with JavaScript off, at once."""
    context = browser.new_context(
        viewport={"width": 360, "height": 740}, has_touch=True, java_script_enabled=script != "off"
    )
    try:
        if script == "refused":
            context.route("**/assessment/app.js*", lambda route: route.abort())
        page = context.new_page()
        page.goto(site.url(ASSESSMENT))
        if script == "refused":
            page.wait_for_function(
                "(count) => [...document.querySelectorAll('fieldset[data-question]')]"
                ".filter((f) => f.offsetParent !== null).length === count",
                arg=len(BANK.questions),
                timeout=10_000,
            )
        assert len(visible_questions(page)) == len(BANK.questions)
        first = BANK.question_ids[0]
        page.locator(f'input[name="{first}"][value="4"]').check()
        assert page.locator(f'input[name="{first}"][value="4"]').is_checked()
    finally:
        context.close()
