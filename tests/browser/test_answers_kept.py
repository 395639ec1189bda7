"""Nothing a reader typed is lost: shared links, a second tab, "Start over", a failed script."""

from __future__ import annotations

import json
from collections.abc import Mapping

import pytest
from playwright.sync_api import BrowserContext, Dialog, Page

from assessment import assess, encode, load_bank
from assessment.assessment_page import assess as page_assess
from assessment.codec import decode_response
from assessment.examples import SCENARIOS
from assessment.scoring import score_text

from .harness import Site
from .pages import (
    ASSESSMENT,
    READY_TIMEOUT_MS,
    ask_result,
    fill,
    form_answers,
    open_assessment,
    saved,
    script_check_never_shows,
    script_check_shown,
    start_over,
    wait_for_engine,
    wait_until,
)

pytestmark = pytest.mark.browser

BANK = load_bank()
MINE = {q: 2 for q in BANK.question_ids[:6]}
FIRST = SCENARIOS[2].answers(BANK)
SECOND = SCENARIOS[0].answers(BANK)


def open_link(page: Page, site: Site, answers: dict[str, int | None]) -> None:
    """Open a share link for `answers` as a new page load, and wait for its result."""
    page.goto("about:blank")
    page.goto(site.url(ASSESSMENT) + "#code=" + encode(answers))
    page.wait_for_selector('#assessment-result[data-state="shown"]', timeout=READY_TIMEOUT_MS)


def shown_result(page: Page) -> dict[str, object]:
    """The result the page shows, as data."""
    data = page.locator("#assessment-result").get_attribute("data-result")
    assert data is not None
    result: dict[str, object] = json.loads(data)
    return result


def expected(answers: Mapping[str, int | None]) -> dict[str, object]:
    """What CPython's engine gives for `answers`, as the page's JSON."""
    result: dict[str, object] = json.loads(json.dumps(assess(answers).to_dict()))
    return result


def test_own_answers_survive_links_in_any_order_and_reloads(
    returning_reader: BrowserContext, site: Site
) -> None:
    """Two links, reloads between: "Restore" brings back exactly mine, and all that follows."""
    page = open_assessment(returning_reader, site)
    fill(page, MINE)
    ask_result(page)
    open_link(page, site, FIRST)
    assert form_answers(page) == FIRST
    page.reload()
    assert form_answers(page) == FIRST
    open_link(page, site, SECOND)
    assert form_answers(page) == SECOND
    page.reload()
    wait_for_engine(page)
    assert page.locator("#pp-restore").is_visible()
    page.locator("#pp-restore").click()
    page.wait_for_function(
        "(n) => document.getElementById('pp-answered').textContent === String(n)", arg=len(MINE)
    )
    assert form_answers(page) == MINE
    # Everything shown or exported follows the restored answers.
    assert ask_result(page) == expected(MINE)
    # The page's own code of these answers: today's, with the reader's own nonce, kept with
    # their answers.
    link = page.locator("#pp-share-link").input_value()
    nonce = decode_response(link.split("#code=", 1)[1], BANK).nonce
    assert nonce is not None
    assert link.endswith("#code=" + page_assess(MINE, "", "", nonce=nonce)["share_code"])
    with page.expect_download() as download:
        page.locator("#pp-download-json").click()
    exported = json.loads(download.value.path().read_text(encoding="utf-8"))
    assert exported["answers"] == MINE
    page.reload()
    assert form_answers(page) == MINE
    assert not page.locator("#pp-restore").is_visible()


def test_a_link_pasted_into_the_open_page_opens(
    returning_reader: BrowserContext, site: Site
) -> None:
    """Changing only the # part (no reload) opens the link too; my answers stay restorable."""
    page = open_assessment(returning_reader, site)
    fill(page, MINE)
    wait_for_engine(page)
    page.evaluate("(code) => { location.hash = 'code=' + code; }", encode(FIRST))
    page.wait_for_selector('#assessment-result[data-state="shown"]', timeout=READY_TIMEOUT_MS)
    assert form_answers(page) == FIRST
    assert shown_result(page) == expected(FIRST)
    page.locator("#pp-restore").click()
    wait_until(lambda: form_answers(page) == MINE, page)


@pytest.mark.parametrize("fragment", ["#CODE=abc", "#foo=1&code=", "#code"])
def test_a_fragment_the_page_does_not_understand_gets_a_message(
    returning_reader: BrowserContext, site: Site, fragment: str
) -> None:
    """A # part that looks like a share code but is not one is named, never silently ignored."""
    page = open_assessment(returning_reader, site)
    fill(page, MINE)
    page.goto("about:blank")
    page.goto(site.url(ASSESSMENT) + fragment)
    notice = page.locator("#pp-notice")
    notice.wait_for(state="visible", timeout=READY_TIMEOUT_MS)
    assert "not a share code" in notice.inner_text()
    assert form_answers(page) == MINE


def test_a_heading_anchor_is_not_a_bad_link(returning_reader: BrowserContext, site: Site) -> None:
    """Following a heading's permalink is navigation, not a share link: no message."""
    page = open_assessment(returning_reader, site, "#where-next")
    wait_for_engine(page)
    assert not page.locator("#pp-notice").is_visible()


def test_two_tabs_keep_both_tabs_answers(returning_reader: BrowserContext, site: Site) -> None:
    """Answers given in two tabs are merged question by question, and each tab shows both."""
    ids = BANK.question_ids
    one = open_assessment(returning_reader, site)
    two = open_assessment(returning_reader, site)
    fill(one, {ids[0]: 1, ids[1]: 1})
    fill(two, {ids[2]: 5, ids[3]: 5})
    # The same question in both tabs: the later change wins.
    fill(one, {ids[4]: 1})
    two.wait_for_timeout(20)
    fill(two, {ids[4]: 4})
    both = {ids[0]: 1, ids[1]: 1, ids[2]: 5, ids[3]: 5, ids[4]: 4}
    wait_until(lambda: form_answers(one) == both, one)
    wait_until(lambda: form_answers(two) == both, two)
    third = open_assessment(returning_reader, site)
    assert form_answers(third) == both


def test_start_over_removes_every_saved_copy_and_says_so(
    returning_reader: BrowserContext, site: Site
) -> None:
    """After "Start over", no key holds any answer: neither mine nor a link's; other tabs follow."""
    page = open_assessment(returning_reader, site)
    fill(page, MINE)
    open_link(page, site, FIRST)
    other = open_assessment(returning_reader, site)
    assert form_answers(other) == FIRST
    messages: list[str] = []

    def accept(dialog: Dialog) -> None:
        """Keep the question asked, and say yes."""
        messages.append(dialog.message)
        dialog.accept()

    page.once("dialog", accept)
    page.locator("#pp-reset").click()
    assert "link" in messages[0]
    answers_left = [key for key, value in saved(page).items() if "answers" in json.dumps(value)]
    assert answers_left == []
    page.reload()
    assert form_answers(page) == {}
    assert not page.locator("#pp-restore").is_visible()
    fill(other, {BANK.question_ids[0]: 3})
    start_over(other)
    assert form_answers(other) == {}


def test_the_share_link_warns_about_browser_history(
    returning_reader: BrowserContext, site: Site
) -> None:
    """Where a link is made, the page says a link stays in the browser's history."""
    page = open_assessment(returning_reader, site)
    fill(page, MINE)
    ask_result(page)
    text = page.locator("#pp-result-body").inner_text()
    assert "history" in text and "private window" in text


def test_a_page_script_that_never_runs_says_nothing_is_saved(
    reader: BrowserContext, site: Site
) -> None:
    """If app.js cannot load, a plain notice says the answers are not being saved."""
    reader.route("**/assessment/app.js*", lambda route: route.fulfill(status=404, body=""))
    page = open_assessment(reader, site)
    assert "not being saved" in script_check_shown(page)


def test_the_notice_stays_hidden_when_the_script_runs(
    returning_reader: BrowserContext, site: Site
) -> None:
    """With the page's script running, the "not saved" notice never shows."""
    page = open_assessment(returning_reader, site)
    wait_for_engine(page)
    script_check_never_shows(page)


def history_rows(page: Page) -> list[list[str]]:
    """The cells (day, verdict, overall, change) of the kept results' table, newest first."""
    rows: list[list[str]] = page.locator("#pp-history-table tbody tr").evaluate_all(
        "(rows) => rows.map((row) => [...row.cells].slice(0, 4).map((c) => c.textContent))"
    )
    return rows


def test_kept_results_show_over_time_with_their_change(reader: BrowserContext, site: Site) -> None:
    """Each result is kept and listed, newest first, with what changed since the one before;
    after a reload the list comes back from the browser's storage."""
    page = open_assessment(reader, site)
    wait_for_engine(page)
    assert page.locator("#pp-history-empty").is_visible()
    fill(page, FIRST)
    first = ask_result(page)
    page.wait_for_selector("#pp-history-table")
    assert [row[1:] for row in history_rows(page)] == [
        [str(first["verdict_label"]), score_text(first["overall"]), "First kept result."]
    ]
    start_over(page)
    fill(page, SECOND)
    second = ask_result(page)
    page.wait_for_function(
        "() => document.querySelectorAll('#pp-history-table tbody tr').length === 2"
    )
    newest, oldest = history_rows(page)
    assert newest[1] == second["verdict_label"] and oldest[1] == first["verdict_label"]
    assert newest[3].startswith(f"Verdict was {first['verdict_label']}.")
    page.reload()
    wait_for_engine(page)
    page.wait_for_selector("#pp-history-table")
    assert history_rows(page) == [newest, oldest]


def test_making_a_link_s_answers_mine_asks_keeps_mine_and_holds_in_every_tab(
    returning_reader: BrowserContext, site: Site
) -> None:
    """Twelve answers of mine, a link with three: I am asked first; after yes, an open tab does
    not write my twelve back; my twelve come back with one click."""
    ids = BANK.question_ids
    mine = {q: 3 for q in ids[:12]}
    link = {ids[20]: 5, ids[21]: 1, ids[22]: None}
    kept_tab = open_assessment(returning_reader, site)
    fill(kept_tab, mine)
    wait_until(lambda: form_answers(kept_tab) == mine, kept_tab)
    other = open_assessment(returning_reader, site)
    open_link(other, site, link)
    asked: list[str] = []

    def answer(dialog: Dialog) -> None:
        asked.append(dialog.message)
        dialog.accept()

    other.on("dialog", answer)
    other.locator("#pp-keep-shared").click()
    wait_until(lambda: len(asked) == 1, other)
    assert "Replace your 12 answers with the 3 shown here?" in asked[0]
    # The open tab follows: my twelve are gone there too, and its next change keeps the three.
    wait_until(lambda: form_answers(kept_tab) == link, kept_tab)
    fill(kept_tab, {ids[23]: 4})
    wait_until(lambda: form_answers(other) == {**link, ids[23]: 4}, other)
    fresh = open_assessment(returning_reader, site)
    assert form_answers(fresh) == {**link, ids[23]: 4}
    # And my twelve come back, in every tab.
    fresh.locator("#pp-previous-restore").click()
    wait_until(lambda: form_answers(fresh) == mine, fresh)
    wait_until(lambda: form_answers(kept_tab) == mine, kept_tab)
    assert not fresh.locator("#pp-previous-bar").is_visible()


THIRD = SCENARIOS[4].answers(BANK)
# Stops this tab's page from hearing another tab's saves (a capturing listener on the window
# runs first): the tab acts as one that has not heard of the other's change yet.
DEAF = "() => window.addEventListener('storage', (event) => event.stopImmediatePropagation(), true)"


def kept_codes(page: Page) -> set[str]:
    """The share codes of the kept results the page lists (each row's delete button names one)."""
    codes: list[str] = page.locator("#pp-history-view [data-history-delete]").evaluate_all(
        "(buttons) => buttons.map((button) => button.dataset.historyDelete)"
    )
    assert len(codes) == len(set(codes)), codes
    return set(codes)


def test_two_tabs_keep_both_tabs_results_and_a_deletion_holds(
    returning_reader: BrowserContext, site: Site
) -> None:
    """A result kept in tab A and one kept in tab B are listed in both after a reload; a result
    deleted in B stays deleted when A, not having heard of it, keeps a new one."""
    one = open_assessment(returning_reader, site)
    two = open_assessment(returning_reader, site)
    wait_for_engine(one)
    wait_for_engine(two)
    fill(one, FIRST)
    ask_result(one)
    wait_until(lambda: len(kept_codes(one)) == 1, one)
    [first] = kept_codes(one)
    fill(two, SECOND)
    ask_result(two)
    wait_until(lambda: len(kept_codes(two)) == 2, two)
    both = kept_codes(two)
    assert first in both
    for page in (one, two):
        page.reload()
        wait_for_engine(page)
        wait_until(lambda page=page: kept_codes(page) == both, page)  # type: ignore[misc]
    # A stops hearing B; B deletes A's result; A then keeps a third.
    one.evaluate(DEAF)
    two.locator(f'#pp-history-view [data-history-delete="{first}"]').click()
    wait_until(lambda: kept_codes(two) == both - {first}, two)
    fill(one, THIRD)
    ask_result(one)
    wait_until(lambda: len(kept_codes(one) - both) == 1, one)
    [third] = kept_codes(one) - both
    after = both - {first} | {third}
    assert kept_codes(one) == after
    wait_until(lambda: kept_codes(two) == after, two)
    for page in (one, two):
        page.reload()
        wait_for_engine(page)
        wait_until(lambda page=page: kept_codes(page) == after, page)  # type: ignore[misc]
