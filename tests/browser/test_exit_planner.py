"""The exit planner page in Chromium, used as a person would: the same plan as the command line.

Each test fills the plain HTML form, presses the button (or the keys) a reader would, and
compares what the page shows or downloads with `partnership-exit-plan` run on the same input
in CPython. The page's Python is the real one, in its Web Worker; nothing of ours is mocked.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest
from playwright.sync_api import BrowserContext, Page

from assessment.exit_form import FIELD_LABELS
from assessment.ics import ID_BYTES

from .harness import REPO, RequestLog, Site, assert_no_blocking
from .pages import (
    ENGINE_ARCHIVE,
    FILLS_UP,
    PYODIDE_WASM,
    READY_TIMEOUT_MS,
    big_runtime_urls,
    cut_the_network,
    download,
    engine_archive_url,
    focused_id,
    form_values,
    manifest,
    member_cut_in_half,
    page_module,
    same_markup,
    saved,
    script_check_shown,
    tab_until,
    type_date,
    wait_for_state,
    wait_until_kept,
)

pytestmark = pytest.mark.browser

PLANNER = "exit-planner/"
# The service worker's cache name, as the build writes it into the manifest.
# The page's own links in the shown plan are relative to the planner page (main.py PAGE_BASE).
PAGE_BASE = "../"
WASM = PYODIDE_WASM
# A fatal start must show as an error well before the 60 s "taking unusually long" notice.
FATAL_WITHIN_S = 45


@dataclass(frozen=True)
class Case:
    """One input to the planner, as the form's raw values (the field names of main.py's form)."""

    name: str
    form: dict[str, str]

    def cli_args(self) -> list[str]:
        """The same input as `partnership-exit-plan` options."""
        args: list[str] = []
        for key, value in self.form.items():
            if key != "case":
                args += [f"--{key.replace('_', '-')}", value]
        return args


CASES = [
    # Month arithmetic across a month end: 2027-03-31 less one month is 2027-02-28.
    Case(
        "not-renewing-month-end",
        {
            "case": "renews",
            "renews": "2027-03-31",
            "notice": "1 month",
            "margin": "10",
            "today": "2027-01-10",
        },
    ),
    # Notice on 2027-01-31 with one month ends on 2027-02-28.
    Case(
        "convenience",
        {
            "case": "notice_given",
            "notice_given": "2027-01-31",
            "notice": "1 month",
            "today": "2027-01-20",
        },
    ),
    Case(
        "cause-with-cure",
        {
            "case": "concern_sent",
            "concern_sent": "2027-05-03",
            "cure": "30 days",
            "notice": "2 weeks",
            "today": "2027-05-04",
        },
    ),
    # The deadline for 2026-12-31 has passed: with the term, the next renewal's deadline.
    Case(
        "deadline-passed-with-term",
        {
            "case": "renews",
            "renews": "2026-12-31",
            "notice": "60 days",
            "term": "1 year",
            "today": "2027-01-15",
        },
    ),
    # Passed, and no term: no end date and no dated steps, only what to do now.
    Case(
        "deadline-passed-no-term",
        {"case": "renews", "renews": "2027-02-01", "notice": "8 weeks", "today": "2027-01-20"},
    ),
    # Business days on working days, a posted notice deemed received two business days later,
    # and the office closed over the new year: deadlines and steps move off the closure.
    Case(
        "posted-over-the-new-year",
        {
            "case": "renews",
            "renews": "2027-01-08",
            "notice": "30 business days",
            "service": "post",
            "deemed": "two business days after posting",
            "closures": "24 Dec to 1 Jan",
            "today": "2026-10-15",
        },
    ),
]
CAUSE = CASES[2]


def command_line(case: Case, output: str, base_url: str, *extra: str) -> bytes:
    """What `partnership-exit-plan --format OUTPUT` writes for `case`, as bytes."""
    command = [sys.executable, "-m", "assessment.exit_cli", *case.cli_args(), *extra]
    result = subprocess.run(
        [*command, "--format", output, "--base-url", base_url],
        cwd=REPO,
        capture_output=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr.decode("utf-8", "replace")
    return result.stdout


def cli_plan(case: Case, site: Site) -> dict[str, Any]:
    """The command line's JSON plan for `case`, with the links the page's downloads use."""
    plan: dict[str, Any] = json.loads(command_line(case, "json", site.base))
    return plan


# -- What a reader does on the page ------------------------------------------------------------


def open_planner(context: BrowserContext, site: Site) -> Page:
    """Open the planner page in a new tab of this context."""
    page = context.new_page()
    page.goto(site.url(PLANNER))
    return page


@pytest.fixture(scope="module")
def shared_planner(
    returning_profile: tuple[BrowserContext, Page, RequestLog], site: Site
) -> Iterator[Page]:
    """One planner page of the returning reader's browser, engine ready, for this module."""
    context, _, log = returning_profile
    mark = log.mark()
    page = open_planner(context, site)
    wait_for_state(page, "ready")
    yield page
    page.close()
    log.since(mark).assert_same_origin()


@pytest.fixture
def planner(shared_planner: Page) -> Page:
    """The module's planner page, emptied with its own "Clear the form" button."""
    clear_form(shared_planner)
    return shared_planner


def clear_form(page: Page) -> None:
    """Press "Clear the form" and accept its question; wait until the form is empty."""
    page.once("dialog", lambda dialog: dialog.accept())
    page.locator("#pp-clear").click()
    page.wait_for_function("() => document.getElementById('pp-announce').textContent !== ''")


def input_id(name: str) -> str:
    """The id of the form's input for the field `name` (e.g. notice_given: #pp-notice-given)."""
    return "#pp-" + name.replace("_", "-")


def fill_form(page: Page, form: dict[str, str]) -> None:
    """Choose the case and fill in its fields, as a reader would (the others stay as they are)."""
    page.locator(input_id("case-" + form["case"])).check()
    for name, value in form.items():
        if name == "service":
            page.locator(input_id(name)).select_option(value)
        elif name != "case":
            page.locator(input_id(name)).fill(value)


def make_plan(page: Page) -> None:
    """Press "Make the plan" and wait until the plan is shown."""
    page.locator("#pp-make-plan").click()
    page.wait_for_selector('#exit-plan[data-state="shown"]', timeout=READY_TIMEOUT_MS)


def page_reply(page: Page) -> dict[str, Any]:
    """The engine's whole reply for the form as it is, through the page's own makePlan."""
    reply: dict[str, Any] = page.evaluate(
        "async (src) => (await import(src)).makePlan({focus: false})", page_module(page)
    )
    return reply


def saved_forms(page: Page) -> list[dict[str, str]]:
    """The planner's forms saved in this browser, as their values (each field's latest, and
    what the calendar file is to hold)."""
    return [
        record["values"]
        for record in saved(page).values()
        if isinstance(record, dict) and isinstance(record.get("values"), dict)
    ]


def saved_calendar(page: Page) -> dict[str, Any]:
    """What the planner keeps of the calendar it last gave: the plan id, sequence, events."""
    [calendar] = [
        record
        for record in saved(page).values()
        if isinstance(record, dict) and "plan_id" in record
    ]
    return calendar


def engine_state(page: Page) -> str:
    """The status line's state (loading, slow, ready or error)."""
    return page.locator("#py-status").get_attribute("data-state") or ""


def wait_for_error_or_ready(page: Page, timeout_s: float) -> str:
    """Wait until the engine is ready or failed for good (the same 2 s later); return which."""
    # The bridge may reload the page once (it takes a changed engine for a deploy), showing
    # "error" for a moment before the reload: only a state that lasts is the answer.
    deadline = time.monotonic() + timeout_s
    while True:
        state = engine_state(page)
        if state in ("error", "ready"):
            page.wait_for_timeout(2000)
            if engine_state(page) == state:
                return state
        assert time.monotonic() < deadline, f"still {state} after {timeout_s} s"
        page.wait_for_timeout(250)


def assert_plan_equals_command_line(page: Page, case: Case, site: Site) -> None:
    """The plan the page computes is the command line's, shown and as data."""
    reply = page_reply(page)
    assert reply["ok"], reply
    assert reply["plan"] == cli_plan(case, site)
    html = command_line(case, "html", PAGE_BASE).decode("utf-8").removesuffix("\n")
    shown, expected = same_markup(page, "pp-plan-view", html)
    assert shown == expected


# -- The page equals the command line ----------------------------------------------------------


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_the_page_plan_and_downloads_equal_the_command_line(
    planner: Page, site: Site, case: Case
) -> None:
    """Same input, same plan: the page's data and view, its .ics byte for byte, its Markdown."""
    page = planner
    fill_form(page, case.form)
    make_plan(page)
    # The plan takes the focus, and a live region says what appeared.
    page.wait_for_function("() => document.activeElement.id === 'exit-plan'")
    assert page.locator("#pp-announce").inner_text()
    assert_plan_equals_command_line(page, case, site)
    # The downloads link into the site the page came from, as --base-url does, and name it.
    named = ("--site-name", manifest(site.root)["site_name"])
    name, ics = download(page, "#pp-download-ics")
    assert name == "exit-plan.ics"
    calendar = saved_calendar(page)
    # A new plan's id as the command line makes one (ics.new_id): hex, ID_BYTES of it.
    assert re.fullmatch(f"[0-9a-f]{{{2 * ID_BYTES}}}", calendar["plan_id"]), calendar["plan_id"]
    same_plan = ("--plan-id", calendar["plan_id"], "--sequence", str(calendar["sequence"]))
    assert ics == command_line(case, "ics", site.base, *named, *same_plan)
    name, markdown = download(page, "#pp-download-md")
    assert name == "exit-plan.md"
    assert markdown == command_line(case, "markdown", site.base, *named)


# -- Bad input ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("form", "field", "value", "problem"),
    [
        (CASES[0].form, "notice", "half a year", "cannot read 'half a year'"),
        (CASES[0].form, "notice", "0 days", "longer than zero"),
        (CAUSE.form, "cure", "0 weeks", "longer than zero"),
        (CASES[3].form, "term", "every spring", "cannot read 'every spring'"),
    ],
    ids=["unreadable-notice", "zero-notice", "zero-cure", "unreadable-term"],
)
def test_a_bad_period_is_named_marked_and_focused(
    planner: Page, site: Site, form: dict[str, str], field: str, value: str, problem: str
) -> None:
    """A period the planner cannot read names its field, marks and focuses it; nothing is lost."""
    page = planner
    fill_form(page, form)
    make_plan(page)
    page.locator(input_id(field)).fill(value)
    before = form_values(page)
    page.locator("#pp-make-plan").click()
    error = page.locator("#pp-form-error")
    error.wait_for(state="visible", timeout=READY_TIMEOUT_MS)
    assert error.get_attribute("role") == "alert"
    assert error.inner_text().startswith(FIELD_LABELS[field] + ":")
    assert problem in error.inner_text()
    assert page.locator(input_id(field)).get_attribute("aria-invalid") == "true"
    assert focused_id(page) == input_id(field)[1:]
    # Only that field is marked, every value is still there, and still saved in this browser.
    assert page.locator('[aria-invalid="true"]').count() == 1
    assert form_values(page) == before
    assert any(before.items() <= saved.items() for saved in saved_forms(page))
    # Put right, the plan is made and the marks go.
    page.locator(input_id(field)).fill(form[field])
    make_plan(page)
    assert not error.is_visible()
    assert page.locator('[aria-invalid="true"]').count() == 0


def type_impossible_date(page: Page) -> None:
    """Fill the not-renewing case with a renewal date of 2027-02-30 typed into the date field."""
    fill_form(page, {name: value for name, value in CASES[0].form.items() if name != "renews"})
    page.locator("#pp-renews").focus()
    type_date(page, "2027-02-30")
    # Chromium keeps the typed text but gives the page no value for a day that does not exist.
    assert page.evaluate("() => document.getElementById('pp-renews').validity.badInput")


def test_an_impossible_date_is_named_marked_and_focused(planner: Page, site: Site) -> None:
    """2027-02-30 typed into the renewal date: that field is named, marked and focused."""
    page = planner
    type_impossible_date(page)
    before = form_values(page)
    wait_for_state(page, "ready")
    page.locator("#pp-make-plan").click()
    error = page.locator("#pp-form-error")
    error.wait_for(state="visible", timeout=READY_TIMEOUT_MS)
    assert error.inner_text().startswith(FIELD_LABELS["renews"] + ":")
    assert page.locator("#pp-renews").get_attribute("aria-invalid") == "true"
    assert focused_id(page) == "pp-renews"
    assert form_values(page) == before
    assert page.locator("#exit-plan").get_attribute("data-state") == "error"


def test_an_impossible_date_is_not_called_missing(planner: Page, site: Site) -> None:
    """A reader who typed 2027-02-30 is told the date does not exist, not that it is missing."""
    page = planner
    type_impossible_date(page)
    page.locator("#pp-make-plan").click()
    error = page.locator("#pp-form-error")
    error.wait_for(state="visible", timeout=READY_TIMEOUT_MS)
    assert "missing" not in error.inner_text()
    assert "not a real date" in error.inner_text()


# -- Keyboard only -----------------------------------------------------------------------------


def test_make_a_plan_with_the_keyboard_alone(returning_reader: BrowserContext, site: Site) -> None:
    """From the page top: Tab, arrows to choose the case, type the fields, Enter; focus moves."""
    page = open_planner(returning_reader, site)
    tab_until(page, "pp-case-renews")
    # Arrow keys move through the radio group and choose as they go.
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    assert page.locator("#pp-case-concern-sent").is_checked()
    assert page.locator("#pp-concern-sent").is_visible()
    assert not page.locator("#pp-renews").is_visible()
    form = CAUSE.form
    page.keyboard.press("Tab")
    assert focused_id(page) == "pp-concern-sent"
    type_date(page, form["concern_sent"])
    for name in ("cure", "notice"):
        tab_until(page, input_id(name)[1:])
        page.keyboard.type(form[name])
    tab_until(page, "pp-today")
    type_date(page, form["today"])
    values = form_values(page)
    assert {name: values[name] for name in form} == form
    tab_until(page, "pp-make-plan")
    outline = page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none", "focus must be visible on the button"
    page.keyboard.press("Enter")
    page.wait_for_selector('#exit-plan[data-state="shown"]', timeout=READY_TIMEOUT_MS)
    page.wait_for_function("() => document.activeElement.id === 'exit-plan'")
    assert_plan_equals_command_line(page, CAUSE, site)
    # The plan's own links are next with Tab, and the downloads are buttons in reach.
    first_link = page.locator("#pp-plan-view a").first.get_attribute("href")
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.getAttribute('href')") == first_link


# -- Accessibility -----------------------------------------------------------------------------


def test_plan_and_error_states_pass_axe(
    planner: Page, site: Site, axe: Callable[[Page], list[dict[str, Any]]]
) -> None:
    """No serious or critical axe-core violation with a plan shown, nor with an error shown."""
    page = planner
    fill_form(page, CASES[3].form)
    make_plan(page)
    assert_no_blocking(axe(page), "plan shown")
    page.locator("#pp-notice").fill("soon")
    page.locator("#pp-make-plan").click()
    page.locator("#pp-form-error").wait_for(state="visible", timeout=READY_TIMEOUT_MS)
    assert_no_blocking(axe(page), "error shown")


# -- Nothing typed is lost ---------------------------------------------------------------------


def test_the_form_survives_a_reload_and_the_plan_comes_back(
    returning_reader: BrowserContext, site: Site
) -> None:
    """After a reload the chosen case and every value are back, and so is the plan, unasked."""
    page = open_planner(returning_reader, site)
    fill_form(page, CAUSE.form)
    before = form_values(page)
    page.reload()
    assert page.locator("#pp-case-concern-sent").is_checked()
    assert form_values(page) == before
    page.wait_for_selector('#exit-plan[data-state="shown"]', timeout=READY_TIMEOUT_MS)
    # Nobody asked for it this time: the focus stays where the reader is.
    assert focused_id(page) != "exit-plan"
    assert_plan_equals_command_line(page, CAUSE, site)


def test_clearing_the_form_asks_first_and_forgets_the_dates(planner: Page) -> None:
    """ "Clear the form" removes nothing unless confirmed; then the form, the plan and the saved
    copy are gone, and a reload brings back an empty form."""
    page = planner
    fill_form(page, CAUSE.form)
    make_plan(page)
    before = form_values(page)
    page.once("dialog", lambda dialog: dialog.dismiss())
    page.locator("#pp-clear").click()
    assert form_values(page) == before
    assert page.locator("#exit-plan").get_attribute("data-state") == "shown"
    clear_form(page)
    assert page.locator("#pp-case-renews").is_checked()
    assert page.locator("#pp-concern-sent").is_hidden()
    values = form_values(page)
    assert values == {**dict.fromkeys(values, ""), "case": "renews", "margin": "7"}
    assert page.locator("#exit-plan").get_attribute("data-state") == "empty"
    assert page.locator("#pp-plan-body").is_hidden()
    assert "cleared" in page.locator("#pp-announce").inner_text()
    assert not any(before.items() <= saved.items() for saved in saved_forms(page))
    page.reload()
    assert form_values(page) == values
    wait_for_state(page, "ready")
    assert page.locator("#exit-plan").get_attribute("data-state") == "empty"


def test_an_engine_that_cannot_load_says_so_and_keeps_the_form(
    reader: BrowserContext, site: Site
) -> None:
    """With the wasm blocked: an error with a retry, the form kept; the retry works once healed."""
    blocked = {"on": True}
    reader.route(WASM, lambda route: route.abort() if blocked["on"] else route.fallback())
    page = open_planner(reader, site)
    fill_form(page, CASES[1].form)
    before = form_values(page)
    text = wait_for_state(page, "error")
    assert "could not load" in text and "kept" in text
    assert page.locator("#pp-retry").is_visible()
    # Asking anyway says why there is no plan, and loses nothing.
    page.locator("#pp-make-plan").click()
    error = page.locator("#pp-form-error")
    error.wait_for(state="visible")
    assert "could not be made" in error.inner_text()
    assert form_values(page) == before
    # "Try again" with the fault still there: the form comes back from this browser's storage.
    with page.expect_navigation():
        page.locator("#pp-retry").click()
    wait_for_state(page, "error")
    assert form_values(page) == before
    blocked["on"] = False
    with page.expect_navigation():
        page.locator("#pp-retry").click()
    wait_for_state(page, "ready")
    assert form_values(page) == before
    page.wait_for_selector('#exit-plan[data-state="shown"]', timeout=READY_TIMEOUT_MS)
    assert_plan_equals_command_line(page, CASES[1], site)


@pytest.mark.parametrize("broken", ["exit_plan.pyc", "exit_steps.toml"])
def test_a_broken_planner_file_is_an_error_never_ready(
    reader: BrowserContext, site: Site, broken: str
) -> None:
    """A planner file cut in half: an error with a retry within seconds, never "ready"."""
    reader.route(ENGINE_ARCHIVE, member_cut_in_half(broken))
    page = open_planner(reader, site)
    fill_form(page, CASES[0].form)
    before = form_values(page)
    assert wait_for_error_or_ready(page, FATAL_WITHIN_S) == "error", page.locator(
        "#py-status"
    ).inner_text()
    assert page.locator("#pp-retry").is_visible()
    assert form_values(page) == before


def test_a_killed_worker_is_noticed_and_a_restart_brings_the_plan_back(
    returning_reader: BrowserContext, site: Site
) -> None:
    """When the planner's worker dies after "ready", the page says so; a restart computes again."""
    page = open_planner(returning_reader, site)
    fill_form(page, CASES[0].form)
    make_plan(page)
    page.evaluate("document.querySelector('script[type=\"py\"][worker]').xworker.terminate()")
    assert "stopped" in wait_for_state(page, "error", timeout_ms=30_000)
    assert page.locator("#pp-retry").is_visible()
    with page.expect_navigation():
        page.locator("#pp-retry").click()
    wait_for_state(page, "ready")
    page.wait_for_selector('#exit-plan[data-state="shown"]', timeout=READY_TIMEOUT_MS)
    assert_plan_equals_command_line(page, CASES[0], site)


def test_a_page_script_that_never_runs_is_explained(reader: BrowserContext, site: Site) -> None:
    """If app.js cannot load, a plain notice says the plan cannot be computed here."""
    reader.route("**/exit-planner/app.js*", lambda route: route.fulfill(status=404, body=""))
    page = open_planner(reader, site)
    text = script_check_shown(page)
    assert "cannot be computed" in text
    assert "partnership-exit-plan" in text


# -- Offline -----------------------------------------------------------------------------------


def test_the_planner_works_offline_after_one_visit(
    watched_reader: BrowserContext, site: Site
) -> None:
    """Visit once online; then, with the network cut, the page opens and the plan computes."""
    page = open_planner(watched_reader, site)
    fill_form(page, CASES[0].form)
    make_plan(page)
    wanted = {
        # The worker's interpreter reads the build's manifest before Pyodide.
        site.url("runtime/manifest.json"),
        site.url(PLANNER),
        site.url(PLANNER + "main.py"),
        site.url(PLANNER + "app.js"),
        engine_archive_url(site),
        *big_runtime_urls(site),
    }
    wait_until_kept(page, wanted)
    cut_the_network(page)
    offline = open_planner(watched_reader, site)
    wait_for_state(offline, "ready")
    # The saved form came back and its plan with it; a new input computes too.
    offline.wait_for_selector('#exit-plan[data-state="shown"]', timeout=READY_TIMEOUT_MS)
    fill_form(offline, CASES[2].form)
    make_plan(offline)
    assert_plan_equals_command_line(offline, CASES[2], site)
    _, ics = download(offline, "#pp-download-ics")
    calendar = saved_calendar(offline)
    same_plan = ("--plan-id", calendar["plan_id"], "--sequence", str(calendar["sequence"]))
    named = ("--site-name", manifest(site.root)["site_name"])
    assert ics == command_line(CASES[2], "ics", site.base, *named, *same_plan)


# -- Nothing lost: the calendar updates in place, two tabs, full storage ------------------------


def calendar_events(data: bytes) -> dict[str, dict[str, Any]]:
    """The events of a downloaded calendar, read by a real iCalendar parser, by UID."""
    import icalendar

    events = icalendar.Calendar.from_ical(data).walk("VEVENT")
    return {
        str(event["UID"]): {
            "day": event.decoded("DTSTART"),
            "sequence": int(str(event["SEQUENCE"])),
            "cancelled": str(event.get("STATUS", "")) == "CANCELLED",
        }
        for event in events
    }


def test_a_calendar_downloaded_again_updates_its_events_in_place(planner: Page) -> None:
    """Changing the notice keeps each event's UID, raises SEQUENCE, cancels what is gone; a new
    plan of the same dates gets new UIDs."""
    page = planner
    fill_form(page, CASES[0].form)
    make_plan(page)
    first = calendar_events(download(page, "#pp-download-ics")[1])
    page.locator(input_id("notice")).fill("1 week")
    make_plan(page)
    second = calendar_events(download(page, "#pp-download-ics")[1])
    live = {uid: event for uid, event in second.items() if not event["cancelled"]}
    gone = {uid for uid, event in second.items() if event["cancelled"]}
    assert {event["sequence"] for event in first.values()} == {0}
    assert {event["sequence"] for event in second.values()} == {1}
    # The same events keep their identity, whatever their new day.
    moved = [uid for uid in set(first) & set(live) if first[uid]["day"] != live[uid]["day"]]
    assert moved, "a shorter notice moves steps to other days"
    # Every event of the first calendar is in the second: updated, or cancelled.
    assert set(first) <= set(second)
    assert gone == set(first) - set(live)
    # Ending it another way: the key dates of not renewing are cancelled, not left behind.
    fill_form(page, CASES[1].form)
    make_plan(page)
    third = calendar_events(download(page, "#pp-download-ics")[1])
    cancelled = {uid.split(".")[0] for uid, event in third.items() if event["cancelled"]}
    assert {"key-notice_deadline", "key-send_by"} <= cancelled
    assert {event["sequence"] for event in third.values()} == {2}
    # Cleared and made again with the same dates: a new plan, none of the old UIDs.
    clear_form(page)
    fill_form(page, CASES[0].form)
    make_plan(page)
    fourth = calendar_events(download(page, "#pp-download-ics")[1])
    assert not set(fourth) & set(first)


def test_two_planner_tabs_keep_each_other_s_fields(reader: BrowserContext, site: Site) -> None:
    """A field typed in each of two tabs: both are kept, in both tabs and after a reload."""
    first = open_planner(reader, site)
    second = open_planner(reader, site)
    first.locator(input_id("renews")).fill("2027-03-31")
    second.locator(input_id("notice")).fill("2 months")
    first.locator(input_id("term")).fill("1 year")
    for page in (first, second):
        page.wait_for_function(
            "() => document.getElementById('pp-notice').value === '2 months'"
            " && document.getElementById('pp-renews').value === '2027-03-31'",
            timeout=READY_TIMEOUT_MS,
        )
    second.reload()
    values = form_values(second)
    assert (values["renews"], values["notice"], values["term"]) == (
        "2027-03-31",
        "2 months",
        "1 year",
    )


def test_a_full_storage_is_said_and_the_form_stays(reader: BrowserContext, site: Site) -> None:
    """Saving fails: the page says so once, the form keeps what was typed, the plan computes."""
    reader.add_init_script(
        "Storage.prototype.setItem = function() "
        "{ throw new DOMException('full', 'QuotaExceededError'); }"
    )
    page = open_planner(reader, site)
    fill_form(page, CASES[1].form)
    notice = page.locator("#pp-planner-notice")
    notice.wait_for(state="visible", timeout=READY_TIMEOUT_MS)
    assert "did not save what you entered" in notice.inner_text()
    make_plan(page)
    assert form_values(page)["notice"] == CASES[1].form["notice"]


def test_a_reload_after_a_refused_save_says_the_form_shows_what_was_saved_before(
    reader: BrowserContext, site: Site
) -> None:
    """Storage fills up after the form was saved: a change is refused (and said), and the page
    reloaded shows the saved form with a notice that the latest changes could not be saved."""
    reader.add_init_script(FILLS_UP)
    page = open_planner(reader, site)
    fill_form(page, CASES[1].form)
    page.wait_for_function(
        "(notice) => Object.values({...localStorage}).some((text) => text.includes(notice))",
        arg=CASES[1].form["notice"],
    )
    page.evaluate("() => sessionStorage.setItem('test:full', '1')")
    page.locator(input_id("notice")).fill("7 weeks")
    page.locator(input_id("notice")).blur()
    notice = page.locator("#pp-planner-notice")
    notice.wait_for(state="visible", timeout=READY_TIMEOUT_MS)
    page.reload()
    assert form_values(page)["notice"] == CASES[1].form["notice"]
    notice.wait_for(state="visible", timeout=READY_TIMEOUT_MS)
    assert "could not be saved before it was reloaded" in notice.inner_text()


def test_the_calendar_choice_is_kept_and_every_step_equals_the_command_line(
    planner: Page, site: Site
) -> None:
    """Key dates only is the default; "every step" is saved with the form, survives a reload,
    and gives the command line's --calendar every-step file, with no date gone by in it."""
    page = planner
    case = CASES[0]
    fill_form(page, case.form)
    make_plan(page)
    assert page.locator("#pp-calendar-key-dates").is_checked()
    page.locator("#pp-calendar-every-step").check()
    page.wait_for_function(
        "() => Object.values({...localStorage}).some((text) => text.includes('every_step'))"
    )
    page.reload()
    assert page.locator("#pp-calendar-every-step").is_checked()
    page.wait_for_selector('#exit-plan[data-state="shown"]', timeout=READY_TIMEOUT_MS)
    _, ics = download(page, "#pp-download-ics")
    calendar = saved_calendar(page)
    named = ("--site-name", manifest(site.root)["site_name"])
    same_plan = ("--plan-id", calendar["plan_id"], "--sequence", str(calendar["sequence"]))
    expected = command_line(case, "ics", site.base, *named, *same_plan, "--calendar", "every-step")
    assert ics == expected
    events = calendar_events(ics)
    today = date.fromisoformat(case.form["today"])
    assert events and all(event["day"] >= today for event in events.values())
    assert any(uid.startswith("step-") for uid in events)


# More digits than Python turns into a number (its limit is 4,300).
HUGE = "9" * 4301


@pytest.mark.parametrize(
    ("form", "field", "value", "problem"),
    [
        (CAUSE.form, "cure", HUGE + " days", "is longer than ten years"),
        (CASES[0].form, "margin", HUGE, "must be a whole number of days from 0 to"),
    ],
    ids=["cure", "margin"],
)
def test_a_number_of_thousands_of_digits_marks_its_own_field(
    planner: Page, form: dict[str, str], field: str, value: str, problem: str
) -> None:
    """A 4,301-digit number in the cure period or the margin: that field is named with its
    own message, marked and focused, never Python's message about digits."""
    page = planner
    fill_form(page, form)
    # Pasted, as a reader would: the browser, not a script, gives the field its value.
    page.locator(input_id(field)).fill("")
    page.locator(input_id(field)).focus()
    page.keyboard.insert_text(value)
    page.locator("#pp-make-plan").click()
    error = page.locator("#pp-form-error")
    error.wait_for(state="visible", timeout=READY_TIMEOUT_MS)
    text = error.inner_text()
    assert text.startswith(FIELD_LABELS[field] + ":"), text
    assert problem in text and "4300" not in text and "digits" not in text, text
    assert page.locator(input_id(field)).get_attribute("aria-invalid") == "true"
    assert page.locator('[aria-invalid="true"]').count() == 1
    assert focused_id(page) == input_id(field)[1:]
