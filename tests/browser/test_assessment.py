"""The self-assessment page in Chromium: same results as CPython, autosave, share links, exports."""

from __future__ import annotations

import json
import random

import pytest
from playwright.sync_api import Browser, BrowserContext

from assessment import assess, encode, load_bank, to_markdown, to_plan_markdown
from assessment.assessment_page import assess as page_assess
from assessment.codec import decode_response
from assessment.examples import SCENARIOS
from assessment.report import margin_lines, pivotal_lines
from tests.strategies import SECOND_SIDE

from .harness import Session, Site, record
from .pages import (
    ASSESSMENT,
    READY_TIMEOUT_MS,
    ask_result,
    fill,
    fill_by_mouse,
    form_answers,
    open_assessment,
    start_over,
    wait_for_state,
)

pytestmark = pytest.mark.browser

BANK = load_bank()


def answer_sets() -> list[tuple[str, dict[str, int | None]]]:
    """The named scenarios and a few random answer sets (fixed seed, so failures repeat)."""
    sets = [(scenario.id, scenario.answers(BANK)) for scenario in SCENARIOS]
    rnd = random.Random(20261121)
    for index in range(4):
        chosen = rnd.sample(BANK.question_ids, k=rnd.randint(10, len(BANK.question_ids)))
        sets.append((f"random-{index}", {q: rnd.choice([None, 1, 2, 3, 4, 5]) for q in chosen}))
    return sets


def test_browser_and_cpython_agree(returning_reader: BrowserContext, site: Site) -> None:
    """For scenarios and random answers, the page's result equals assess(...).to_dict()."""
    page = open_assessment(returning_reader, site)
    for name, answers in answer_sets():
        # "Start over" empties the form, as for a reader answering again (no reload needed).
        start_over(page)
        fill(page, answers)
        shown = ask_result(page)
        assert shown == json.loads(json.dumps(assess(answers).to_dict())), name
        verdict = page.locator("#pp-verdict").inner_text()
        assert shown["verdict_title"] in verdict
        rows = page.locator("#pp-scores tbody tr")
        assert rows.count() == len(BANK.dimensions)


def test_form_is_fillable_before_python_and_waits_for_it(
    reader: BrowserContext, site: Site
) -> None:
    """The static form works at once; a result asked for while loading arrives once ready."""
    page = open_assessment(reader, site)
    assert page.locator("#py-status").get_attribute("data-state") == "loading"
    scenario = SCENARIOS[0].answers(BANK)
    first = next(iter(scenario))
    page.locator(f'input[name="{first}"][value="{scenario[first] or "dk"}"]').check()
    assert page.locator("#pp-answered").inner_text() == "1"
    page.locator("#pp-submit").click()
    page.wait_for_selector('#assessment-result[data-state="shown"]', timeout=READY_TIMEOUT_MS)
    assert page.locator("#py-status").get_attribute("data-state") == "ready"


def test_answers_survive_a_reload(returning_reader: BrowserContext, site: Site) -> None:
    """Every change is saved in the browser and restored on reload, perspective included."""
    page = open_assessment(returning_reader, site)
    answers = dict(list(SCENARIOS[1].answers(BANK).items())[:7])
    page.locator(f'input[name="perspective"][value="{SECOND_SIDE}"]').check()
    fill_by_mouse(page, answers)
    page.reload()
    assert form_answers(page) == answers
    assert page.locator(f'input[name="perspective"][value="{SECOND_SIDE}"]').is_checked()
    assert page.locator("#pp-answered").inner_text() == str(len(answers))


def test_perspective_changes_the_wording(returning_reader: BrowserContext, site: Site) -> None:
    """Choosing a side shows that side's wording where the bank has one."""
    # The first question the bank words for a relationship of its own, and that relationship.
    question, side = next((q, s) for q in BANK.questions for s, _ in q.by_relationship)
    page = open_assessment(returning_reader, site)
    legend = page.locator(f"#q-{question.id} legend")

    def wording() -> str:
        """The legend's text as a reader sees it, scrolled to: a group far below the screen is
        laid out only when near it (content-visibility), and unlaid text reads as empty."""
        legend.scroll_into_view_if_needed()
        # Laid out at the next frame after the scroll, not at once.
        page.wait_for_function("(el) => el.innerText.trim() !== ''", arg=legend.element_handle())
        return legend.inner_text()

    assert question.text in wording()
    page.locator(f'input[name="perspective"][value="{side}"]').check()
    shown = wording()
    assert dict(question.by_relationship)[side] in shown
    assert question.text not in shown


def test_share_link_restores_answers_and_result_elsewhere(
    returning_reader: BrowserContext, browser: Browser, site: Site
) -> None:
    """The share link carries the answers in its fragment; a fresh browser shows the same."""
    answers = SCENARIOS[2].answers(BANK)
    page = open_assessment(returning_reader, site)
    fill(page, answers)
    shown = ask_result(page)
    link = page.locator("#pp-share-link").input_value()
    # The code carries the reader's own nonce (kept with their answers): else it is CPython's.
    nonce = decode_response(link.split("#code=", 1)[1], BANK).nonce
    assert nonce is not None
    assert link.endswith("#code=" + page_assess(answers, "", "", nonce=nonce)["share_code"])
    elsewhere = browser.new_context()
    log = record(elsewhere, site.origin)
    try:
        other = elsewhere.new_page()
        other.goto(link)
        other.wait_for_selector('#assessment-result[data-state="shown"]', timeout=READY_TIMEOUT_MS)
        assert (
            json.loads(other.locator("#assessment-result").get_attribute("data-result") or "")
            == shown
        )
        assert form_answers(other) == answers
        assert "#code=" not in other.url
        # No request ever carried the code: it stays in the fragment.
        assert not log.matching(encode(answers))
    finally:
        elsewhere.close()
    log.assert_same_origin()


@pytest.mark.parametrize(
    "fragment",
    [
        "#code=1-2026.1-AAAAAAAAAAAAAAAAAAAAAAA",
        "#code=<img src=x onerror=alert(1)>",
        "#code=%E0%A4%A",
    ],
)
def test_tampered_link_is_refused_and_saved_answers_kept(
    returning_reader: BrowserContext, site: Site, fragment: str
) -> None:
    """A bad code shows a clear message, changes nothing, and injects nothing."""
    answers = dict(list(SCENARIOS[0].answers(BANK).items())[:5])
    page = open_assessment(returning_reader, site)
    fill(page, answers)
    page.goto("about:blank")
    page.goto(site.url(ASSESSMENT) + fragment)
    notice = page.locator("#pp-notice")
    notice.wait_for(state="visible", timeout=READY_TIMEOUT_MS)
    assert "could not be opened" in notice.inner_text()
    assert page.locator("img[src=x]").count() == 0
    assert form_answers(page) == answers
    page.reload()
    assert form_answers(page) == answers


def test_valid_link_keeps_the_readers_own_answers(
    returning_reader: BrowserContext, site: Site
) -> None:
    """Opening someone's link does not lose what this reader had typed: it can be restored."""
    mine = dict(list(SCENARIOS[0].answers(BANK).items())[:6])
    theirs = SCENARIOS[2].answers(BANK)
    page = open_assessment(returning_reader, site)
    fill(page, mine)
    page.goto("about:blank")
    page.goto(site.url(ASSESSMENT) + "#code=" + encode(theirs))
    page.wait_for_selector('#assessment-result[data-state="shown"]', timeout=READY_TIMEOUT_MS)
    assert form_answers(page) == theirs
    page.locator("#pp-restore").click()
    assert form_answers(page) == mine


def test_exports_download_the_right_content(returning_reader: BrowserContext, site: Site) -> None:
    """JSON (answers, bank version, result) and the Markdown report download as computed."""
    answers = SCENARIOS[1].answers(BANK)
    page = open_assessment(returning_reader, site)
    fill(page, answers)
    ask_result(page)
    with page.expect_download() as json_download:
        page.locator("#pp-download-json").click()
    path = json_download.value.path()
    exported = json.loads(path.read_text(encoding="utf-8"))
    assert exported["bank_version"] == BANK.version
    assert exported["answers"] == answers
    assert exported["result"] == json.loads(json.dumps(assess(answers).to_dict()))
    with page.expect_download() as md_download:
        page.locator("#pp-download-md").click()
    report = md_download.value.path().read_text(encoding="utf-8")
    assert report == to_markdown(assess(answers), base_url=site.base)


def test_start_over_asks_first(returning_reader: BrowserContext, site: Site) -> None:
    """ "Start over" clears nothing unless the reader confirms."""
    answers = dict(list(SCENARIOS[0].answers(BANK).items())[:4])
    page = open_assessment(returning_reader, site)
    fill(page, answers)
    page.once("dialog", lambda dialog: dialog.dismiss())
    page.locator("#pp-reset").click()
    assert form_answers(page) == answers
    page.once("dialog", lambda dialog: dialog.accept())
    page.locator("#pp-reset").click()
    assert form_answers(page) == {}
    page.reload()
    assert form_answers(page) == {}


def test_reading_the_form_needs_no_python(session: Session) -> None:
    """With the runtime unreachable the questions still read and fill, and the page says why."""
    session.context.route("**/runtime/pyodide/**", lambda route: route.abort())
    page = session.context.new_page()
    page.goto(session.site.url(ASSESSMENT))
    wait_for_state(page, "error")
    assert page.locator("#pp-retry").is_visible()
    first = BANK.question_ids[0]
    page.locator(f'input[name="{first}"][value="3"]').check()
    page.reload()
    assert page.locator(f'input[name="{first}"][value="3"]').is_checked()


def test_certainty_and_the_plan_follow_the_engine(
    returning_reader: BrowserContext, site: Site
) -> None:
    """Margins, pivotal answers and the plan download on the page are CPython's, word for word."""
    answers = SCENARIOS[1].answers(BANK)
    result = assess(answers)
    page = open_assessment(returning_reader, site)
    fill(page, answers)
    shown = ask_result(page)
    assert shown["margins"] == json.loads(json.dumps(result.to_dict()["margins"]))
    assert shown["pivotal"] == json.loads(json.dumps(result.to_dict()["pivotal"]))
    # They fold away under the verdict card: open them, as a reader would.
    closed = page.locator("#assessment-result details:not([open]) > summary")
    for _ in range(closed.count()):
        closed.first.click()
    margins = page.locator("#pp-margins").inner_text()
    for line in margin_lines(result):
        assert line in margins
    pivotal = page.locator("#pp-pivotal").inner_text()
    for line in pivotal_lines(result):
        assert line in pivotal
    with page.expect_download() as plan_download:
        page.locator("#pp-download-plan").click()
    plan = plan_download.value.path().read_text(encoding="utf-8")
    assert plan == to_plan_markdown(result, base_url=site.base)
