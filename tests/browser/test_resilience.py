"""Bad input and faults on the assessment page: clear messages, nothing the reader saved is lost."""

from __future__ import annotations

import json
from datetime import date, timedelta
from functools import partial
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Error, Page, Playwright

from assessment import assess, encode, load_bank
from assessment.examples import SCENARIOS
from assessment.history import MAX_ENTRIES

from .harness import CHROMIUM, CHROMIUM_ARGS, MOUNT, Site, record
from .pages import ASSESSMENT as PAGE
from .pages import (
    FILLS_UP,
    PYODIDE_WASM,
    READY_TIMEOUT_MS,
    ask_result,
    close_context,
    fill,
    form_answers,
    python_pages,
    wait_for_engine,
)

pytestmark = pytest.mark.browser

BANK = load_bank()
STORAGE_KEY = f"partnership-playbook:{MOUNT}:answers"
PAYLOAD = '<img src=x onerror="window.__pwned=1"></script><a href="javascript:alert(1)">x</a>'


def seed_storage(context: BrowserContext, site: Site, entries: dict[str, str]) -> None:
    """Put raw values in the site's local storage before the assessment page is opened."""
    # From a file of the site that runs no script of its own, so nothing reads them first.
    page = context.new_page()
    page.goto(site.url("runtime/manifest.json"))
    page.evaluate(
        "(entries) => { for (const [k, v] of entries) localStorage.setItem(k, v); }",
        list(entries.items()),
    )
    page.close()


def open_page(context: BrowserContext, site: Site, fragment: str = "") -> Page:
    """Open the assessment page and wait until its script has started."""
    page = context.new_page()
    page.goto(site.url(PAGE) + fragment)
    page.wait_for_function("() => document.getElementById('pp-answered') !== null")
    return page


def notice_text(page: Page) -> str:
    """The page's notice, once it is shown."""
    notice = page.locator("#pp-notice")
    notice.wait_for(state="visible", timeout=READY_TIMEOUT_MS)
    return notice.inner_text()


def assert_inert(page: Page) -> None:
    """No payload became markup or ran."""
    assert page.locator("img[src=x]").count() == 0
    assert page.locator('a[href^="javascript:"]').count() == 0
    assert page.evaluate("() => window.__pwned") is None


@pytest.mark.parametrize(
    "saved",
    ["{not json", "null", "[1, 2]", '{"answers": "cf_values=3"}', "x" * 100_000],
    ids=["broken-json", "null", "array", "answers-not-object", "huge"],
)
def test_corrupt_saved_state_is_reported_and_ignored(
    returning_reader: BrowserContext, site: Site, saved: str
) -> None:
    """Garbage in storage gives a message and an empty, working form."""
    seed_storage(returning_reader, site, {STORAGE_KEY: saved})
    page = open_page(returning_reader, site)
    assert "could not be read" in notice_text(page)
    assert form_answers(page) == {}
    fill(page, {BANK.question_ids[0]: 4})
    assert ask_result(page)["verdict"] == "undecided"


def test_saved_state_with_bad_entries_keeps_the_good_ones(
    returning_reader: BrowserContext, site: Site
) -> None:
    """Unknown ids, out-of-range levels and payloads are dropped; valid answers come back."""
    first, second = BANK.question_ids[:2]
    record_ = {
        "bank_version": BANK.version,
        "answers": {first: 4, second: 9, "zz_unknown": 3, PAYLOAD: 2, BANK.question_ids[2]: "3"},
        "perspective": PAYLOAD,
    }
    seed_storage(returning_reader, site, {STORAGE_KEY: json.dumps(record_)})
    page = open_page(returning_reader, site)
    assert form_answers(page) == {first: 4}
    assert page.locator('input[name="perspective"][value=""]').is_checked()
    assert_inert(page)


def test_saved_state_from_an_older_bank(returning_reader: BrowserContext, site: Site) -> None:
    """Answers saved with an earlier bank: kept where the question still exists, and said so."""
    first = BANK.question_ids[0]
    old = {"bank_version": "2020.1", "answers": {first: 2, "cf_retired_question": 5}}
    seed_storage(returning_reader, site, {STORAGE_KEY: json.dumps(old)})
    page = open_page(returning_reader, site)
    text = notice_text(page)
    assert "earlier version of the questions" in text and "2020.1" in text
    assert form_answers(page) == {first: 2}


def test_a_long_history_shows_its_latest_results_and_keeps_the_older_ones(
    returning_reader: BrowserContext, site: Site
) -> None:
    """Kept results past the engine's cap are not called unreadable: the page says the latest
    are shown and the oldest stay kept."""
    first = BANK.question_ids[0]
    codes = [
        encode({first: 1 + n % 5}, given=date(2025, 1, 1) + timedelta(days=n))
        for n in range(MAX_ENTRIES + 2)
    ]
    history_key = STORAGE_KEY.rsplit(":", 1)[0] + ":history"
    seed_storage(returning_reader, site, {history_key: json.dumps(codes)})
    page = open_page(returning_reader, site)
    text = notice_text(page)
    assert f"show the latest {MAX_ENTRIES}; the 2 oldest stay in this browser" in text, text
    assert "could not be read" not in text
    rows = page.locator("#pp-history-view [data-history-delete]")
    assert set(rows.evaluate_all("(all) => all.map((b) => b.dataset.historyDelete)")) == set(
        codes[2:]
    )


def test_another_site_on_the_same_origin_is_left_alone(
    returning_reader: BrowserContext, site: Site
) -> None:
    """Another copy of the site on this origin keeps its own answers; neither reads the other's."""
    other_key = "partnership-playbook:/another-site/:answers"
    other = json.dumps({"bank_version": BANK.version, "answers": {BANK.question_ids[0]: 1}})
    seed_storage(returning_reader, site, {other_key: other})
    page = open_page(returning_reader, site)
    assert form_answers(page) == {}
    fill(page, {BANK.question_ids[1]: 5})
    assert page.evaluate(f"() => localStorage.getItem({json.dumps(other_key)})") == other


@pytest.mark.parametrize(
    "script",
    [
        "Object.defineProperty(window, 'localStorage', "
        "{get() { throw new DOMException('denied', 'SecurityError'); }})",
        "Storage.prototype.setItem = function() "
        "{ throw new DOMException('full', 'QuotaExceededError'); }",
    ],
    ids=["storage-unavailable", "storage-full"],
)
def test_page_works_without_saving_and_says_so(
    reader: BrowserContext, site: Site, script: str
) -> None:
    """With storage off or full the assessment still scores, and the reader is told."""
    reader.add_init_script(script)
    page = open_page(reader, site)
    answers = SCENARIOS[0].answers(BANK)
    fill(page, answers)
    assert "not letting the page save" in notice_text(page)
    assert ask_result(page) == json.loads(json.dumps(assess(answers).to_dict()))


def test_a_reload_after_a_refused_save_says_the_page_shows_the_older_answers(
    reader: BrowserContext, site: Site
) -> None:
    """Storage fills up after the first answer: the second is refused (and said), and the page
    reloaded shows the first with a notice saying the latest changes could not be saved."""
    reader.add_init_script(FILLS_UP)
    page = open_page(reader, site)
    first, second = BANK.question_ids[:2]
    fill(page, {first: 4})
    page.evaluate("() => sessionStorage.setItem('test:full', '1')")
    fill(page, {second: 2})
    assert "download the answers file" in notice_text(page)
    page.reload()
    page.wait_for_function("() => document.getElementById('pp-answered') !== null")
    assert form_answers(page) == {first: 4}
    assert "could not be saved before it was reloaded" in notice_text(page)
    # Once a save works again, the note goes: the next reload says nothing.
    page.evaluate("() => sessionStorage.removeItem('test:full')")
    fill(page, {second: 3})
    page.reload()
    page.wait_for_function("() => document.getElementById('pp-answered') !== null")
    assert form_answers(page) == {first: 4, second: 3}
    assert page.locator("#pp-notice").is_hidden()


def test_importing_an_exported_file(
    returning_reader: BrowserContext, site: Site, tmp_path: Path
) -> None:
    """A downloaded JSON file loads back into the form and is scored."""
    answers = SCENARIOS[2].answers(BANK)
    from assessment.report import export_document

    document = export_document(assess(answers), answers, encode(answers))
    path = tmp_path / "export.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    page = open_page(returning_reader, site)
    page.locator("#pp-import").set_input_files(str(path))
    page.wait_for_selector('#assessment-result[data-state="shown"]', timeout=READY_TIMEOUT_MS)
    assert form_answers(page) == answers


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "is not valid JSON"),
        (json.dumps({PAYLOAD: 3}), "Unknown question id"),
        (json.dumps({BANK.question_ids[0]: PAYLOAD}), "out of range"),
        (json.dumps({"format": "partnership-assessment", "bank_version": PAYLOAD}), "version"),
        ("[" * 50_000, "is not valid JSON"),
    ],
    ids=["broken", "payload-id", "payload-level", "payload-version", "deep-nesting"],
)
def test_bad_imported_files_are_refused_inertly(
    returning_reader: BrowserContext, site: Site, tmp_path: Path, content: str, message: str
) -> None:
    """A bad file gives the engine's message as plain text and changes nothing."""
    mine = {BANK.question_ids[0]: 3}
    path = tmp_path / "bad.json"
    path.write_text(content, encoding="utf-8")
    page = open_page(returning_reader, site)
    fill(page, mine)
    page.locator("#pp-import").set_input_files(str(path))
    text = notice_text(page)
    assert "could not be used" in text and message in text
    assert form_answers(page) == mine
    assert_inert(page)


def test_huge_fragment_is_refused(returning_reader: BrowserContext, site: Site) -> None:
    """A 100 KB fragment is refused with a message; the page keeps working."""
    page = open_page(returning_reader, site, "#code=" + "A" * 100_000)
    assert "could not be opened" in notice_text(page)
    fill(page, {BANK.question_ids[0]: 2})
    assert ask_result(page)["verdict"] == "undecided"


@pytest.mark.parametrize(
    ("block", "setup"),
    [
        (PYODIDE_WASM, ""),
        ("**/assessment/main.py?*", ""),
        ("", "delete window.Worker;"),
        ("", "delete window.WebAssembly;"),
    ],
    ids=["wasm-blocked", "glue-missing", "no-workers", "no-webassembly"],
)
def test_engine_failure_is_explained_and_answers_kept(
    browser: Browser, site: Site, block: str, setup: str
) -> None:
    """When Python cannot start, the page says so, keeps answers, and offers a retry that works."""
    context = browser.new_context()
    try:
        blocked = {"on": True}
        if block:
            context.route(block, lambda route: route.abort() if blocked["on"] else route.fallback())
        if setup:
            context.add_init_script(f"if (!sessionStorage.getItem('healed')) {{ {setup} }}")
        page = context.new_page()
        page.goto(site.url(PAGE))
        first = BANK.question_ids[0]
        page.locator(f'input[name="{first}"][value="4"]').check()
        page.wait_for_function(
            "() => document.getElementById('py-status').dataset.state === 'error'",
            timeout=READY_TIMEOUT_MS,
        )
        assert "could not load" in page.locator("#py-status").inner_text()
        page.locator("#pp-submit").click()
        assert page.locator(f'input[name="{first}"][value="4"]').is_checked()
        # The fault goes away; "try again" reloads and the saved answer comes back.
        blocked["on"] = False
        page.evaluate("() => sessionStorage.setItem('healed', '1')")
        with page.expect_navigation():
            page.locator("#pp-retry").click()
        page.wait_for_function(
            "() => document.getElementById('py-status')?.dataset.state === 'ready'",
            timeout=READY_TIMEOUT_MS,
        )
        assert page.locator(f'input[name="{first}"][value="4"]').is_checked()
        other = context.new_page()
        other.goto(site.url("stay/"))
        assert other.locator("article h1").inner_text()
    finally:
        close_context(context)


def record_error(errors: list[str], address: str, error: Error) -> None:
    """Keep an uncaught error of the page at `address`."""
    errors.append(f"{address}: {error}")


MALFORMED_FRAGMENTS = ["#%E0%A4%A", "#code=%", "#set=%ZZ~%E0"]


def test_a_malformed_fragment_leaves_every_python_page_working(
    returning_reader: BrowserContext, site: Site
) -> None:
    """Broken percent-encoding after "#": every Python page starts, says something or nothing,
    throws nothing, and the assessment page still shows the kept results."""
    errors: list[str] = []
    for path in python_pages(Path(site.root)):
        for fragment in MALFORMED_FRAGMENTS:
            address = site.url(path) + fragment
            page = returning_reader.new_page()
            page.on("pageerror", partial(record_error, errors, address))
            page.goto(address)
            wait_for_engine(page)
            if path == PAGE:
                page.wait_for_function(
                    "() => document.querySelector('#pp-history-view #pp-history-empty, "
                    "#pp-history-view table')",
                    timeout=READY_TIMEOUT_MS,
                )
            page.close()
    assert errors == []


def test_every_python_page_works_with_site_data_blocked_and_says_nothing_is_kept(
    playwright: Playwright, site: Site, tmp_path: Path
) -> None:
    """A browser set to block cookies and site data (no storage of any kind, IndexedDB and
    Cache Storage included): every Python page becomes ready and says truthfully that nothing
    will be kept; the assessment still scores."""
    preferences = tmp_path / "profile" / "Default"
    preferences.mkdir(parents=True)
    (preferences / "Preferences").write_text(
        json.dumps({"profile": {"default_content_setting_values": {"cookies": 2}}}),
        encoding="utf-8",
    )
    context = playwright.chromium.launch_persistent_context(
        tmp_path / "profile", executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
    )
    log = record(context, site.origin, intercept=False)
    try:
        for path in python_pages(Path(site.root)):
            page = context.new_page()
            page.goto(site.url(path))
            assert page.evaluate(
                "() => { try { localStorage.length; return false; } catch { return true; } }"
            ), "the browser was meant to block site data"
            wait_for_engine(page)
            shown = page.evaluate(
                "() => [...document.querySelectorAll('.pp-notice')]"
                ".filter((e) => !e.hidden).map((e) => e.textContent).join(' ')"
            )
            assert "lost when you" in shown or "will be lost" in shown, (path, shown)
            if path == PAGE:
                fill(page, {BANK.question_ids[0]: 2})
                assert ask_result(page)["verdict"] == "undecided"
            page.close()
    finally:
        close_context(context)
    log.assert_same_origin()


SESSION_STORAGE_THROWS = (
    "Object.defineProperty(window, 'sessionStorage', "
    "{get() { throw new DOMException('denied', 'SecurityError'); }})"
)


def test_every_python_page_works_when_only_session_storage_throws(
    reader: BrowserContext, site: Site
) -> None:
    """With only sessionStorage refused (localStorage fine): every Python page becomes ready,
    throws nothing, and the assessment still scores and keeps the answers."""
    reader.add_init_script(SESSION_STORAGE_THROWS)
    errors: list[str] = []
    for path in python_pages(Path(site.root)):
        page = reader.new_page()
        page.on("pageerror", partial(record_error, errors, path))
        page.goto(site.url(path))
        assert page.evaluate(
            "() => { try { sessionStorage.length; return false; } catch { return true; } }"
        ), "sessionStorage was meant to throw"
        wait_for_engine(page)
        if path == PAGE:
            answers = SCENARIOS[0].answers(BANK)
            fill(page, answers)
            assert ask_result(page) == json.loads(json.dumps(assess(answers).to_dict()))
            page.reload()
            wait_for_engine(page)
            assert form_answers(page) == answers
        page.close()
    assert errors == []


@pytest.mark.parametrize("fragment", ["#invite=%E0%A4%A", "#invite=%ZZ~%E0<b>x", "#invite=@@@"])
def test_a_malformed_invitation_gets_a_plain_notice_and_the_form_works(
    returning_reader: BrowserContext, site: Site, fragment: str
) -> None:
    """An invitation link that is broken or garbage: a notice in plain words, no invitation,
    nothing thrown, and the form still scores."""
    errors: list[str] = []
    page = returning_reader.new_page()
    page.on("pageerror", partial(record_error, errors, fragment))
    page.goto(site.url(PAGE) + fragment)
    wait_for_engine(page)
    text = notice_text(page)
    assert text.startswith("This invitation could not be opened:"), text
    assert "Your own answers are unchanged." in text
    assert "Error" not in text and "Traceback" not in text, text
    assert page.locator("#pp-invitation").is_hidden()
    assert page.locator("#pp-notice b").count() == 0
    fill(page, {BANK.question_ids[0]: 2})
    assert ask_result(page)["verdict"] == "undecided"
    assert errors == []
