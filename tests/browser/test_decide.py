"""The decision page in Chromium, used as a person would: the same decision as CPython's engine.

A reader takes the self-assessment and makes an exit plan first, in the same browser; the
decision page then starts from both. Each test compares what the page shows or downloads with
`assessment.decision` run in CPython on the values the page holds (read by its own reader), and
`partnership-decide` on the file it saved. The page's Python is the real one, in its Web Worker;
nothing of ours is mocked. Every context records its requests: none may leave the site.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import icalendar
import pytest
from playwright.sync_api import BrowserContext, Page

from assessment import assess, encode, load_bank
from assessment.decision import decision_of, to_dict, to_html, to_ics, to_markdown
from assessment.examples import scenario
from assessment.exit_plan import plan_from_form

from .harness import REPO, Site, assert_no_blocking
from .pages import (
    READY_TIMEOUT_MS,
    ask_result,
    download,
    fill,
    focused_id,
    form_values,
    manifest,
    open_assessment,
    same_markup,
    saved,
    script_check_shown,
    tab_until,
    type_date,
    wait_for_state,
    wait_until,
)

pytestmark = pytest.mark.browser

BANK = load_bank()
DECISION = "decide/decision/"
PLANNER = "exit-planner/"
# The decision's worked example: a reseller whose deal no longer pays (the methodology's).
RESULT = scenario("deal_no_longer_pays").answers(BANK)


def open_page(context: BrowserContext, site: Site, path: str = DECISION) -> Page:
    """Open a page of the site in a new tab of this context, recording its errors."""
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(site.url(path))
    page.errors = errors  # type: ignore[attr-defined]
    return page


def local_today(page: Page) -> date:
    """The page's today, in the browser's time zone (the day the page decides on)."""
    text: str = page.evaluate(
        "() => { const d = new Date(); return [d.getFullYear(), d.getMonth() + 1,"
        " d.getDate()].map((n) => String(n).padStart(2, '0')).join('-'); }"
    )
    return date.fromisoformat(text)


def shown(page: Page) -> dict[str, Any]:
    """The decision the page shows, as data."""
    text = page.locator("#decision-memo").get_attribute("data-decision")
    assert text is not None
    data: dict[str, Any] = json.loads(text)
    return data


def expected(page: Page, site: Site) -> tuple[Any, dict[str, Any]]:
    """CPython's decision for the values the page holds, and its data as the page gets it."""
    decision, problems = decision_of(form_values(page), local_today(page))
    assert decision is not None, problems
    return decision, json.loads(json.dumps(to_dict(decision, site.base)))


def make_memo(page: Page) -> None:
    """Press "Make the memo" and wait until the memo is shown (a memo shown before, unasked,
    is marked first, so the wait is for the one this press makes)."""
    page.evaluate("() => { document.getElementById('decision-memo').dataset.state = 'asked'; }")
    page.locator("#pp-make-memo").click()
    page.wait_for_selector('#decision-memo[data-state="shown"]', timeout=READY_TIMEOUT_MS)


def ask_for_problems(page: Page, field: str) -> str:
    """Press "Make the memo" and wait for the message beside `field`; return it."""
    page.locator("#pp-make-memo").click()
    box = page.locator(f"#pp-{field.replace('_', '-')}-error")
    box.wait_for(state="visible", timeout=READY_TIMEOUT_MS)
    return box.inner_text()


def saved_fields(page: Page) -> dict[str, str]:
    """The decision's fields as this browser saved them (each field's latest value)."""
    [record] = [
        value
        for key, value in saved(page).items()
        if key.endswith(":decision:form") and isinstance(value, dict)
    ]
    values: dict[str, str] = record["values"]
    return values


def fill_fields(page: Page, values: dict[str, str]) -> None:
    """Type each value into its field (a choice is checked or selected), as a reader would."""
    for name, value in values.items():
        element = f"#pp-{name.replace('_', '-')}"
        if name in ("choice", "agreement_case"):
            page.locator(f"{element}-{value.replace('_', '-') or 'none'}").check()
        elif name in ("repair_outcome", "agreement_service"):
            page.locator(element).select_option(value)
        else:
            page.locator(element).fill(value)


def run_cli(path: Path, *args: str) -> bytes:
    """What `partnership-decide` writes for a decision file, as bytes."""
    done = subprocess.run(
        [sys.executable, "-m", "assessment.decision_cli", str(path), *args],
        cwd=REPO, capture_output=True, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr.decode("utf-8", "replace")
    return done.stdout


# A renewal far enough ahead for every option's dates to lie in the future.
def agreement(today: date, months_ahead: int = 8) -> dict[str, str]:
    renewal = date(today.year + (today.month + months_ahead - 1) // 12,
                   (today.month + months_ahead - 1) % 12 + 1, 28)  # fmt: skip
    return {"renews": renewal.isoformat(), "notice": "3 months", "term": "1 year"}


# -- From a result and a plan made earlier on this device to a dated memo --------------------------


def test_a_result_and_a_plan_made_earlier_become_a_dated_memo(
    returning_reader: BrowserContext, site: Site, tmp_path: Path
) -> None:
    """The latest kept result and the planner's dates fill the page; the memo, its numbers and
    its dates are CPython's (the dates the planner's); printed, downloaded, saved as a file that
    `partnership-decide` reads to the same memo; the calendar parses with its reminders."""
    assessment = open_assessment(returning_reader, site)
    fill(assessment, RESULT)
    assert ask_result(assessment)["verdict"] == "restructure"
    # The result leads to this page.
    link = assessment.locator("#pp-decide-next a", has_text="decision page")
    assert link.is_visible()
    assert link.evaluate("(a) => a.href") == site.url(DECISION)
    # The kept results: a list two tabs merge, its entries in the order they were kept.
    [kept] = [v for k, v in saved(assessment).items() if k.endswith(":history")]
    history = [kept["entries"][key]["value"] for key in sorted(kept["entries"])]
    planner = open_page(returning_reader, site, PLANNER)
    today = local_today(planner)
    terms = agreement(today)
    for name, value in terms.items():
        planner.locator(f"#pp-{name}").fill(value)
    planner.locator("#pp-make-plan").click()
    planner.wait_for_selector('#exit-plan[data-state="shown"]', timeout=READY_TIMEOUT_MS)

    page = open_page(returning_reader, site)
    # Unasked: the result and the dates are filled in, and the memo is made.
    page.wait_for_selector('#decision-memo[data-state="shown"]', timeout=READY_TIMEOUT_MS)
    values = form_values(page)
    assert values["health_code"] == history[-1]
    assert "kept in this browser" in page.locator("#pp-health-source").inner_text()
    assert {name: values[f"agreement_{name}"] for name in terms} == terms
    decision, data = expected(page, site)
    assert shown(page) == data
    assert data["suggestion"] == "restructure" and data["health"]["verdict"] == "restructure"
    # The dates are the exit planner's: its send-by date, its deadline, its first step's day.
    plan = plan_from_form({**terms, "case": "renews", "today": today.isoformat()})
    confirm = next(t for t in plan.tasks if t.step.id == "decide")
    assert data["clock"]["send_by"] == plan.send_by.isoformat()  # type: ignore[union-attr]
    assert data["clock"]["notice_deadline"] == plan.notice_deadline.isoformat()  # type: ignore[union-attr]
    assert data["clock"]["go_by"] == confirm.day.isoformat()
    # The suggestion and its reasons sit beside the choice.
    suggestion = page.locator("#pp-suggestion").inner_text()
    assert "The engine suggests: Restructure." in suggestion
    assert decision.reasons[0] in suggestion

    # The reader chooses, gives the numbers, and makes the memo.
    fill_fields(
        page,
        {
            "choice": "restructure",
            "cost_switching": "12,000",
            "cost_overlap": "8000",
            "cost_staying": "30 000",
            "currency": "EUR",
            "decided_by": "Sponsor, Cobalt account",
            "reasons": "Only one region sells; both sides want to keep working together.",
            "alternative": "Take the work in-house",
        },
    )
    make_memo(page)
    decision, data = expected(page, site)
    assert shown(page) == data
    assert data["choice"] == data["path"] == "restructure"
    assert data["costs"]["leaving"] == "20000" and data["costs"]["staying"] == "30000"
    shown_html, engine_html = same_markup(page, "pp-memo-view", to_html(decision, "../../"))
    assert shown_html == engine_html
    # Printed: the page asks the browser to print, and print shows the memo, not the form.
    page.evaluate(
        "() => { window.__printed = 0; window.print = () => { window.__printed += 1; }; }"
    )
    page.locator("#pp-print").click()
    assert page.evaluate("window.__printed") == 1
    page.emulate_media(media="print")
    assert page.locator("#pp-memo-view").is_visible()
    assert not page.locator("#pp-decision-form").is_visible()
    page.emulate_media(media="screen")
    # Downloaded: the memo, the calendar and the decision file, each the engine's.
    site_name = manifest(site.root)["site_name"]
    name, markdown = download(page, "#pp-download-md")
    assert name == "decision-memo.md"
    assert markdown.decode("utf-8") == to_markdown(decision, site.base, site_name)
    name, ics = download(page, "#pp-download-ics")
    [calendar] = [v for k, v in saved(page).items() if k.endswith(":decision:calendar")]
    assert ics.decode("utf-8") == to_ics(
        decision, decision_id=calendar["decision_id"], sequence=calendar["sequence"],
        site_name=site_name,
    )  # fmt: skip
    events = icalendar.Calendar.from_ical(ics).walk("VEVENT")
    assert events and all(len(e.walk("VALARM")) == 1 for e in events)
    assert len({str(e["UID"]) for e in events}) == len(events)
    assert all(e.decoded("DTSTART") >= today for e in events)
    name, file = download(page, "#pp-download-json")
    assert name == "decision.json"
    saved_file = tmp_path / name
    saved_file.write_bytes(file)
    day = ("--today", today.isoformat(), "--base-url", site.base, "--site-name", site_name)
    assert run_cli(saved_file, *day).decode("utf-8") == markdown.decode("utf-8")


# -- Bad input: beside its field, and nothing else lost --------------------------------------------


def test_bad_input_is_said_beside_its_field_and_nothing_else_is_lost(
    returning_reader: BrowserContext, site: Site
) -> None:
    """An impossible date, a notice longer than the term, text in a number field, a decide-by
    date already past: each is said beside its field; every other value stays, on the page and
    saved in this browser."""
    page = open_page(returning_reader, site)
    wait_for_state(page, "ready")
    today = local_today(page)
    terms = agreement(today)
    good = {
        "partnership": "Cobalt",
        "agreement_renews": terms["renews"],
        "agreement_notice": "3 months",
        "agreement_term": "1 year",
        "cost_overlap": "8000",
        "reasons": "Because the deal no longer pays.",
    }
    fill_fields(page, good)
    make_memo(page)

    def unchanged(but: str) -> None:
        now = form_values(page)
        for name, value in good.items():
            if name != but:
                assert now[name] == value, name
        assert {k: v for k, v in saved_fields(page).items() if k in good and k != but} == {
            k: v for k, v in good.items() if k != but
        }

    # An impossible date, typed into the date field (the browser gives the page no value).
    page.locator("#pp-agreement-renews").fill("")
    page.locator("#pp-agreement-renews").focus()
    type_date(page, "2027-02-30")
    message = ask_for_problems(page, "agreement_renews")
    assert message.startswith("Renewal or end date:") and "not a real date" in message
    assert page.locator("#pp-agreement-renews").get_attribute("aria-invalid") == "true"
    assert page.locator('[aria-invalid="true"]').count() == 1
    assert page.locator("#decision-memo").get_attribute("data-state") == "error"
    unchanged("agreement_renews")
    page.locator("#pp-agreement-renews").fill(terms["renews"])
    make_memo(page)
    assert not page.locator("#pp-agreement-renews-error").is_visible()

    # A notice period longer than the renewal term.
    page.locator("#pp-agreement-notice").fill("13 months")
    message = ask_for_problems(page, "agreement_notice")
    assert "longer than the renewal term" in message
    unchanged("agreement_notice")
    page.locator("#pp-agreement-notice").fill("3 months")

    # Text in a number field.
    page.locator("#pp-cost-overlap").fill("about eight grand")
    message = ask_for_problems(page, "cost_overlap")
    assert message.startswith("Overlap:") and "write an amount in figures" in message
    unchanged("cost_overlap")
    page.locator("#pp-cost-overlap").fill("8000")
    make_memo(page)

    # A decide-by date already past: going, with notice due within days.
    soon = today + timedelta(days=40)
    page.locator("#pp-agreement-renews").fill(soon.isoformat())
    page.locator("#pp-agreement-notice").fill("1 month")
    fill_fields(page, {"choice": "go"})
    make_memo(page)
    warning = page.locator("#pp-choice-error")
    assert warning.is_visible() and "has already passed" in warning.inner_text()
    assert warning.get_attribute("data-kind") == "warning"
    assert shown(page) == expected(page, site)[1]
    assert shown(page)["decide_by"] < today.isoformat()


def test_a_repair_that_no_longer_fits_gives_the_two_honest_options(
    returning_reader: BrowserContext, site: Site
) -> None:
    """A repair verdict with the deadline close: the memo says so plainly and gives the two
    options, decide now or let it renew, with the next deadline."""
    page = open_page(returning_reader, site)
    wait_for_state(page, "ready")
    today = local_today(page)
    code = encode(scenario("no_written_agreement").answers(BANK), given=today)
    assert assess(scenario("no_written_agreement").answers(BANK)).verdict == "repair"
    terms = agreement(today, months_ahead=5)
    fill_fields(page, {"health_code": code, "agreement_renews": terms["renews"],
                       "agreement_notice": "3 months", "agreement_term": "1 year"})  # fmt: skip
    make_memo(page)
    assert shown(page) == expected(page, site)[1]
    options = page.locator("#pp-honest-options li")
    assert options.count() == 2
    assert options.nth(0).inner_text().startswith("Decide now")
    assert options.nth(1).inner_text().startswith("Let it renew")
    assert "Decide now, or let it renew" in page.locator("#pp-suggestion").inner_text()


def test_a_team_round_s_codes_are_decided_on_as_the_team_s_result(
    returning_reader: BrowserContext, site: Site
) -> None:
    """A round's codes pasted one per line (kept apart by the field): the team's result, as
    CPython's engine combines it, and the memo says whose it is."""
    page = open_page(returning_reader, site)
    wait_for_state(page, "ready")
    today = local_today(page)
    ids = ("deal_no_longer_pays", "healthy")
    codes = [encode(scenario(i).answers(BANK), given=today) for i in ids]
    terms = agreement(today)
    fill_fields(page, {"health_code": "\n".join(codes), "agreement_renews": terms["renews"],
                       "agreement_notice": "3 months", "agreement_term": "1 year"})  # fmt: skip
    assert form_values(page)["health_code"] == "\n".join(codes)
    make_memo(page)
    data = shown(page)
    assert data == expected(page, site)[1]
    assert data["health"]["respondents"] == len(ids)
    assert f"({len(ids)} respondents)" in page.locator("#pp-suggestion").inner_text()


# -- The decision file, two tabs, full storage, a malformed "#" ------------------------------------


def test_a_decision_file_reopens_and_the_replacement_can_be_undone(
    returning_reader: BrowserContext, site: Site, tmp_path: Path
) -> None:
    """Saved as a file and opened after the form changed: the file's values come back (asked
    first); "Undo" brings back what was there."""
    page = open_page(returning_reader, site)
    wait_for_state(page, "ready")
    first = {"partnership": "Cobalt", "reasons": "First reasons", "cost_fees": "1,500"}
    fill_fields(page, first)
    make_memo(page)
    _, file = download(page, "#pp-download-json")
    path = tmp_path / "decision.json"
    path.write_bytes(file)
    second = {"partnership": "Brightline", "reasons": "Second reasons", "cost_fees": "900"}
    fill_fields(page, second)
    page.once("dialog", lambda dialog: dialog.accept())
    page.locator("#pp-open-file").set_input_files(str(path))
    wait_until(lambda: form_values(page)["partnership"] == "Cobalt", page)
    assert {k: form_values(page)[k] for k in first} == first
    assert {k: saved_fields(page)[k] for k in first} == first
    page.locator("#pp-undo-open").click()
    wait_until(lambda: form_values(page)["partnership"] == "Brightline", page)
    assert {k: form_values(page)[k] for k in second} == second
    page.reload()
    wait_for_state(page, "ready")
    assert {k: form_values(page)[k] for k in second} == second


def test_two_tabs_keep_each_other_s_fields(returning_reader: BrowserContext, site: Site) -> None:
    """A field typed in each of two tabs: both are kept, in both tabs and after a reload."""
    one = open_page(returning_reader, site)
    two = open_page(returning_reader, site)
    one.locator("#pp-partnership").fill("Cobalt")
    two.locator("#pp-cost-risk").fill("2500")
    one.locator("#pp-walk-away").fill("No less than 2,000 a month")
    for page in (one, two):
        wait_until(
            lambda p=page: (
                (  # type: ignore[misc]
                    form_values(p)["partnership"],
                    form_values(p)["cost_risk"],
                    form_values(p)["walk_away"],
                )
                == ("Cobalt", "2500", "No less than 2,000 a month")
            ),
            page,
        )
    two.reload()
    values = form_values(two)
    assert (values["partnership"], values["cost_risk"]) == ("Cobalt", "2500")


@pytest.mark.parametrize(
    ("script", "said"),
    [
        (
            "Storage.prototype.setItem = function() "
            "{ throw new DOMException('full', 'QuotaExceededError'); }",
            "did not save what you entered",
        ),
        (
            "Object.defineProperty(window, 'localStorage', "
            "{get() { throw new DOMException('denied', 'SecurityError'); }})",
            "does not let this site keep anything",
        ),
    ],
    ids=["storage-full", "storage-blocked"],
)
def test_a_full_or_blocked_storage_is_said_and_the_form_stays(
    reader: BrowserContext, site: Site, script: str, said: str
) -> None:
    """Saving fails or storage is blocked: the page says so, keeps what was typed and still
    makes the memo."""
    reader.add_init_script(script)
    page = open_page(reader, site)
    page.locator("#pp-partnership").fill("Cobalt")
    notice = page.locator("#pp-notice")
    notice.wait_for(state="visible", timeout=READY_TIMEOUT_MS)
    assert said in notice.inner_text()
    wait_for_state(page, "ready")
    make_memo(page)
    assert form_values(page)["partnership"] == "Cobalt"
    assert shown(page) == expected(page, site)[1]


@pytest.mark.parametrize("fragment", ["#%E0%A4%A", "#%", "#code=nonsense"])
def test_a_malformed_fragment_leaves_the_page_working(
    returning_reader: BrowserContext, site: Site, fragment: str
) -> None:
    """Any "#" part: no script error, the engine ready, the memo made."""
    page = returning_reader.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(site.url(DECISION) + fragment)
    wait_for_state(page, "ready")
    page.locator("#pp-partnership").fill("Cobalt")
    make_memo(page)
    assert errors == []


# -- Accessibility ---------------------------------------------------------------------------------


def test_the_memo_and_the_messages_pass_axe(
    returning_reader: BrowserContext, site: Site, axe: Callable[[Page], list[dict[str, Any]]]
) -> None:
    """No serious or critical axe-core violation with a memo shown, nor with messages shown."""
    page = open_page(returning_reader, site)
    wait_for_state(page, "ready")
    today = local_today(page)
    code = encode(RESULT, given=today)
    terms = agreement(today)
    fill_fields(page, {"health_code": code, "agreement_renews": terms["renews"],
                       "agreement_notice": "3 months", "choice": "go"})  # fmt: skip
    make_memo(page)
    assert_no_blocking(axe(page), "memo shown")
    fill_fields(page, {"cost_fees": "lots", "agreement_notice": "soon"})
    ask_for_problems(page, "cost_fees")
    assert_no_blocking(axe(page), "messages shown")


# -- The keyboard alone, a narrow screen, a script that never runs ---------------------------------


def test_make_the_memo_with_the_keyboard_alone(
    returning_reader: BrowserContext, site: Site
) -> None:
    """Tab through the form, type a code and the agreement's dates, choose with the arrows,
    Enter: the memo gets the focus, and it is CPython's."""
    page = open_page(returning_reader, site)
    wait_for_state(page, "ready")
    today = local_today(page)
    terms = agreement(today)
    tab_until(page, "pp-partnership")
    page.keyboard.type("Cobalt")
    tab_until(page, "pp-health-code")
    page.keyboard.type(encode(RESULT, given=today))
    tab_until(page, "pp-agreement-renews")
    type_date(page, terms["renews"])
    for name in ("notice", "term"):
        tab_until(page, f"pp-agreement-{name}")
        page.keyboard.type(terms[name])
    tab_until(page, "pp-choice-none")
    # Arrow keys move through the radio group and choose as they go: none, stay, restructure.
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    assert page.locator("#pp-choice-restructure").is_checked()
    tab_until(page, "pp-make-memo")
    outline = page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none", "focus must be visible on the button"
    page.evaluate("() => { document.getElementById('decision-memo').dataset.state = 'asked'; }")
    page.keyboard.press("Enter")
    page.wait_for_selector('#decision-memo[data-state="shown"]', timeout=READY_TIMEOUT_MS)
    wait_until(lambda: focused_id(page) == "decision-memo", page)
    data = shown(page)
    assert data == expected(page, site)[1]
    assert data["choice"] == "restructure" and data["clock"] is not None


def test_the_memo_fits_a_narrow_screen(reader: BrowserContext, site: Site) -> None:
    """At 360 px wide, the form and the memo need no sideways scrolling."""
    page = open_page(reader, site)
    page.set_viewport_size({"width": 360, "height": 740})
    wait_for_state(page, "ready")
    today = local_today(page)
    terms = agreement(today)
    fill_fields(page, {"partnership": "Cobalt Advisory, reseller agreement",
                       "health_code": encode(RESULT, given=today), "choice": "go",
                       "agreement_renews": terms["renews"], "agreement_notice": terms["notice"],
                       "agreement_term": terms["term"], "cost_fees": "12,500"})  # fmt: skip
    make_memo(page)
    width: int = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 360


def test_a_page_script_that_never_runs_is_explained(reader: BrowserContext, site: Site) -> None:
    """If app.js cannot load, a plain notice says the memo cannot be made here, and names the
    command line that can."""
    reader.route("**/decide/decision/app.js*", lambda route: route.fulfill(status=404, body=""))
    page = open_page(reader, site)
    text = script_check_shown(page)
    assert "the memo cannot be made" in text
    assert "partnership-decide" in text
