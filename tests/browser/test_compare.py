"""The compare page in Chromium, used as a person would: the same team result as CPython.

Most tests share one recorded page (the engine starts once for the module): each test first
empties the set with the page's own buttons, pastes share codes made here with `encode`, and
compares what the page shows or downloads with `combine(...)` run on the same codes in CPython.
The page's Python is the real one, in its Web Worker; nothing of ours is mocked.
"""

from __future__ import annotations

import base64
import dataclasses
import json
import random
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

import pytest
from playwright.sync_api import Browser, BrowserContext, Dialog, FilePayload, Page

from assessment import assess, codec, load_bank
from assessment.codec import decode_response, derived_nonce, encode
from assessment.examples import scenario
from assessment.exports import export_document
from assessment.paste import parse_codes
from assessment.team import TeamResult, combine, over_time
from assessment.team_page import set_fragment
from assessment.team_report import over_time_html, to_html, to_markdown, workshop_agenda
from tests.strategies import FIRST_SIDE, LAST_SIDE, SECOND_SIDE, SIDES

from .harness import REPO, RequestLog, Site, assert_no_blocking, record
from .pages import (
    READY_TIMEOUT_MS,
    big_runtime_urls,
    close_context,
    cut_the_network,
    download,
    engine_archive_url,
    manifest,
    request_body,
    same_markup,
    saved,
    tab_until,
    wait_for_state,
    wait_until,
    wait_until_kept,
)

pytestmark = pytest.mark.browser

BANK = load_bank()
COMPARE = "compare/"
# The page's own links in the shown result are relative to the compare page (main.py PAGE_BASE).
PAGE_BASE = "../"
CAP = BANK.team.max_responses
# A label distinctive enough to be searched for in links, files and requests.
LABEL = "Ops lead Zephyrine"

HEALTHY = scenario("healthy").answers(BANK)
# The second side (provider) sees one dimension in ruins where the first (client) sees health
# (tests/test_team.py).
TROUBLED = {
    **HEALTHY,
    **{q.id: 5 if q.reverse else 1 for q in BANK.questions_in(BANK.dimensions[0].id)},
}
BREAKER = next(iter(BANK.questions_in("deal_breakers")))
RAISED = {**HEALTHY, BREAKER.id: BREAKER.knock_out_at}


def day(n: int) -> date:
    """Day `n` of 2026 (1 = 1 January), a date a share code can carry."""
    return date(2026, 1, 1) + timedelta(days=n - 1)


@dataclass(frozen=True)
class TeamSet:
    """A named set of share codes, as people would send them."""

    name: str
    codes: tuple[str, ...]


SETS = [
    TeamSet(
        "two-sided-agreement",
        (
            encode(HEALTHY, BANK, relationship=FIRST_SIDE, given=day(100)),
            encode(HEALTHY, BANK, relationship=SECOND_SIDE, given=day(101)),
        ),
    ),
    TeamSet(
        "two-sided-divergence",
        (
            encode(HEALTHY, BANK, relationship=FIRST_SIDE, given=day(100)),
            encode(TROUBLED, BANK, relationship=SECOND_SIDE, given=day(102)),
        ),
    ),
    TeamSet(
        "team-of-12-one-deal-breaker",
        (
            *[encode(HEALTHY, BANK, relationship=FIRST_SIDE, given=day(n)) for n in range(1, 12)],
            encode(RAISED, BANK, relationship=SECOND_SIDE, given=day(20)),
        ),
    ),
]


def many_codes(count: int) -> list[str]:
    """`count` different responses (random answers, every side and none, one day each)."""
    rng = random.Random(2026)
    sides = [None, *SIDES]
    codes = []
    for n in range(count):
        answers = {q: rng.choice([1, 2, 3, 4, 5, None]) for q in BANK.question_ids}
        codes.append(encode(answers, BANK, relationship=sides[n % len(sides)], given=day(1 + n)))
    return codes


def undated_code(answers: dict[str, int | None]) -> str:
    """A format-1 share code (no side, no day), as the site wrote before codes were dated."""
    states = []
    for question_id in BANK.question_ids:
        level = answers.get(question_id, 0)
        states.append(6 if level is None else level)
    packed = codec._pack(states)
    body = packed + codec._check("1", BANK, packed)
    return f"1-{BANK.version}-" + base64.urlsafe_b64encode(body).decode().rstrip("=")


def team_of(codes: list[str] | tuple[str, ...], chosen: dict[int, str] | None = None) -> TeamResult:
    """CPython's team result for `codes`, with a side chosen for the responses in `chosen`."""
    responses = [decode_response(code, BANK) for code in codes]
    for index, side in (chosen or {}).items():
        responses[index] = dataclasses.replace(responses[index], relationship=side)
    return combine(responses, BANK, limit=CAP)


def as_json(data: Any) -> Any:
    """`data` as it comes back from JSON (tuples become lists, keys strings)."""
    return json.loads(json.dumps(data))


# -- What a reader does on the page ------------------------------------------------------------


@dataclass
class Visit:
    """The module's one recorded page, and every request its context made (with its body)."""

    page: Page
    log: RequestLog
    bodies: list[str]


def open_compare(context: BrowserContext, site: Site, fragment: str = "") -> Page:
    """Open the compare page in a new tab of this context."""
    page = context.new_page()
    page.goto(site.url(COMPARE) + fragment)
    return page


@pytest.fixture(scope="module")
def visit(browser: Browser, site: Site) -> Iterator[Visit]:
    """One recorded context and page for the module; no request may leave the site."""
    context = browser.new_context(accept_downloads=True)
    log = record(context, site.origin, intercept=False)
    bodies: list[str] = []
    context.on("request", lambda request: bodies.append(request_body(request)))
    try:
        page = open_compare(context, site)
        wait_for_state(page, "ready")
        yield Visit(page, log, bodies)
    finally:
        close_context(context)
    log.assert_same_origin()


@pytest.fixture
def page(visit: Visit) -> Page:
    """The module's page with no response and no earlier check (emptied with its buttons)."""
    empty(visit.page)
    return visit.page


def empty(page: Page) -> None:
    """Remove every response and every earlier check, as a reader would; wait for the result."""
    if page.locator("#pp-clear-earlier").is_visible():
        page.locator("#pp-clear-earlier").click()
    if page.locator("#pp-clear").is_visible():
        page.locator("#pp-clear").click()
    page.wait_for_selector('#compare-result[data-state="empty"]', timeout=READY_TIMEOUT_MS)
    page.wait_for_function("() => document.getElementById('pp-trend-view').children.length === 0")


def paste(page: Page, codes: list[str] | tuple[str, ...], separator: str = "\n") -> None:
    """Paste `codes` into the box and press "Add these responses", in the tab in front."""
    page.bring_to_front()  # a tab behind paints no frames, which each click waits for
    page.locator("#pp-codes").fill(separator.join(codes))
    page.locator("#pp-add-codes").click()


def expected_link(site: Site, items: list[dict[str, Any]]) -> str:
    """The link that reopens `items` ({code, side}), as CPython writes its fragment."""
    return site.url(COMPARE) + set_fragment(items, BANK)


def wait_for_link(page: Page, link: str) -> None:
    """Wait until the page shows `link` to reopen its set (written after the result)."""
    page.wait_for_function(
        "(link) => document.getElementById('pp-set-link').value === link",
        arg=link,
        timeout=READY_TIMEOUT_MS,
    )


def show(page: Page, site: Site, codes: list[str] | tuple[str, ...]) -> None:
    """Paste `codes` into an empty set and wait until their result is shown."""
    paste(page, codes)
    wait_for_link(page, expected_link(site, [{"code": c, "side": None} for c in codes]))
    page.wait_for_selector('#compare-result[data-state="shown"]')


def shown_result(page: Page) -> Any:
    """The team report the page offers as JSON (its whole result, as data)."""
    name, data = download(page, "#pp-download-json")
    assert name == "team-report.json"
    return json.loads(data)


def refused_lines(page: Page) -> list[str]:
    """The lines of the list of pieces that could not be read."""
    lines: list[str] = page.locator("#pp-refused li").all_inner_texts()
    return lines


def flagged_rows(page: Page) -> list[int]:
    """The numbers of the listed responses flagged as the same as another."""
    numbers: list[int] = page.evaluate(
        "() => [...document.querySelectorAll('#pp-response-rows tr')]"
        ".filter((row) => row.querySelector('.pp-duplicate'))"
        ".map((row) => Number(row.cells[0].firstChild.textContent))"
    )
    return numbers


def storage_key(site: Site, what: str) -> str:
    """The localStorage key of `what` (engine.js storageKey: prefix, site path, name)."""
    prefix = manifest(site.root)["names"]["storage_prefix"]
    return f"{prefix}:{urlsplit(site.base).path}:{what}"


def assert_result_equals_cpython(page: Page, site: Site, team: TeamResult) -> None:
    """The page's result is CPython's: the JSON, the view, the Markdown and the agenda."""
    assert shown_result(page) == as_json(team.to_dict())
    shown, expected = same_markup(page, "pp-team-view", to_html(team, page_base=PAGE_BASE))
    assert shown == expected
    name, markdown = download(page, "#pp-download-md")
    assert name == "team-report.md"
    assert markdown.decode("utf-8") == to_markdown(team, site.base)
    name, agenda = download(page, "#pp-download-agenda")
    assert name == "workshop-agenda.md"
    assert agenda.decode("utf-8") == workshop_agenda(team, site.base)


# -- The page equals CPython -------------------------------------------------------------------


@pytest.mark.parametrize("team_set", SETS, ids=[s.name for s in SETS])
def test_the_team_result_equals_cpython(page: Page, site: Site, team_set: TeamSet) -> None:
    """Same codes, same team result: the page's JSON, view, Markdown and agenda are CPython's."""
    show(page, site, team_set.codes)
    team = team_of(team_set.codes)
    assert_result_equals_cpython(page, site, team)
    assert page.locator("#pp-count").inner_text() == f"{len(team_set.codes)} responses."
    # The live region says what appeared, in the engine's words.
    assert f"Team verdict: {team.verdict_label}." in page.locator("#pp-announce").inner_text()
    if team.deal_breakers:
        # The deal-breaker raised by one of twelve is shown whatever the averages say.
        assert team.verdict == "go"
        assert "raised by 1 of 12 respondents" in page.locator("#pp-team-view").inner_text()


# -- Bad input ---------------------------------------------------------------------------------


def test_bad_lines_are_refused_one_by_one_and_the_good_kept(page: Page, site: Site) -> None:
    """Malformed, truncated and other-bank codes each refused with why; repeats counted once."""
    good = [c for s in SETS[:2] for c in s.codes][1:]  # three different responses
    other_bank = good[0].replace(f"-{BANK.version}-", "-2025.1-")
    pasted = [
        good[0],
        "not-a-code!",
        good[1][:-6],
        good[0],
        other_bank,
        f"{site.url('assessment/')}#code={good[2]}",
        good[0],
        good[0],
    ]
    # Any whitespace separates codes: tabs and blank lines too.
    text = "\n\t ".join(pasted)
    page.locator("#pp-codes").fill(text)
    page.locator("#pp-add-codes").click()
    page.wait_for_selector('#compare-result[data-state="shown"]', timeout=READY_TIMEOUT_MS)
    expected = [
        f"Input {p.number} ({p.text}): {p.error}" for p in parse_codes(text, BANK) if p.error
    ]
    # "not-a-code!" is a word, not a code: left out, not reported.
    assert len(expected) == 2
    assert refused_lines(page) == expected
    assert "damaged" in expected[0] and "cut short" in expected[0]
    assert "version 2025.1 of the questions" in expected[1]
    message = page.locator("#pp-read-message")
    assert message.get_attribute("role") == "alert"
    assert (
        message.inner_text() == "5 responses added; 2 could not be read (listed with the reason)."
    )
    # Only what could not be read stays in the box, to fix and add again.
    assert page.locator("#pp-codes").input_value().split("\n") == [pasted[2], pasted[4]]
    kept = [good[0], good[0], good[2], good[0], good[0]]
    team = team_of(kept)
    wait_for_link(page, expected_link(site, [{"code": c, "side": None} for c in kept]))
    assert shown_result(page) == as_json(team.to_dict())
    assert team.to_dict()["respondents"] == 2 and team.to_dict()["inputs"] == 5
    # The repeats are listed, each flagged, and counted once in the result.
    assert flagged_rows(page) == [number for number, _ in team.duplicates] == [2, 4, 5]


def test_two_hundred_responses_are_combined_and_one_more_is_refused(
    visit: Visit, page: Page, site: Site
) -> None:
    """201 pasted at once: a clear message, none added. 200: combined. One more: refused."""
    codes = many_codes(CAP + 1)
    paste(page, codes)
    message = page.locator("#pp-read-message")
    message.wait_for(state="visible", timeout=READY_TIMEOUT_MS)
    assert message.inner_text() == (
        f"{CAP + 1} codes were pasted; at most {CAP} responses can be combined at once."
    )
    assert page.locator("#pp-count").inner_text() == "No responses yet."
    show(page, site, codes[:CAP])
    assert page.locator("#pp-count").inner_text() == f"{CAP} responses."
    assert shown_result(page) == as_json(team_of(codes[:CAP]).to_dict())
    paste(page, codes[CAP:])
    page.wait_for_function(
        "() => document.getElementById('pp-read-message').textContent.startsWith('Only')",
        timeout=READY_TIMEOUT_MS,
    )
    assert message.inner_text().startswith(f"Only {CAP} responses can be combined at once: 1 "), (
        message.inner_text()
    )
    assert page.locator("#pp-count").inner_text() == f"{CAP} responses."
    # With 200 codes loaded and their reports downloaded, nothing left the site, and no
    # request carried a code.
    visit.log.assert_same_origin()
    bodies = [code.split("-", 2)[2] for code in codes]
    sent = visit.log.requests + visit.bodies
    assert [s for s in sent if any(body in s for body in bodies)] == []


def test_a_result_that_comes_after_the_responses_were_removed_is_dropped(
    page: Page, site: Site
) -> None:
    """Remove all while the result of 200 is still worked out: it never shows over the empty set."""
    # "Remove all" is pressed as soon as the 200 are listed, in the task after the one that asked
    # for their result; every value the result's state takes from then on is recorded.
    page.evaluate(
        """() => {
            const result = document.getElementById('compare-result');
            const clear = document.getElementById('pp-clear');
            const watch = new MutationObserver(() => {
                if (clear.hidden) return;
                watch.disconnect();
                setTimeout(() => {
                    window.ppStates = [];
                    new MutationObserver(() => window.ppStates.push(result.dataset.state))
                        .observe(result, {attributes: true, attributeFilter: ['data-state']});
                    window.ppStateWhenRemoved = result.dataset.state;
                    clear.click();
                });
            });
            watch.observe(clear, {attributes: true, attributeFilter: ['hidden']});
        }"""
    )
    paste(page, many_codes(CAP))
    page.wait_for_function("() => window.ppStateWhenRemoved", timeout=READY_TIMEOUT_MS)
    assert page.evaluate("() => window.ppStateWhenRemoved") == "empty"
    # The engine answers in turn: once two new responses are shown, the 200's reply came too.
    show(page, site, SETS[0].codes[:2])
    states: list[str] = page.evaluate("() => window.ppStates")
    assert states[0] == "empty" and states.count("shown") == 1 and states[-1] == "shown", states
    assert page.locator("#pp-count").inner_text() == "2 responses."


# -- Sides and labels --------------------------------------------------------------------------


def test_a_side_chosen_and_a_label_stay_in_this_browser(
    visit: Visit, page: Page, site: Site
) -> None:
    """A side chosen where the code said none counts; the label survives a reload, goes nowhere."""
    sideless = encode(TROUBLED, BANK, given=day(200))
    codes = [sideless, SETS[0].codes[0]]
    show(page, site, codes)
    assert page.locator("#pp-response-rows tr").first.locator("td").nth(3).inner_text() == (
        day(200).isoformat()
    )
    choice = page.locator("#pp-side-0")
    assert choice.input_value() == ""
    # The code said its side: no choice offered for that one.
    assert page.locator("#pp-side-1").count() == 0
    choice.select_option(SECOND_SIDE)
    items: list[dict[str, Any]] = [
        {"code": sideless, "side": SECOND_SIDE},
        {"code": codes[1], "side": None},
    ]
    link = expected_link(site, items)
    assert link.endswith(f"{sideless}~provider,{codes[1]}")
    wait_for_link(page, link)
    team = team_of(codes, {0: SECOND_SIDE})
    assert shown_result(page) == as_json(team.to_dict())
    page.locator('[aria-label="Label of response 1"]').fill(LABEL)
    page.reload()
    wait_for_state(page, "ready")
    wait_for_link(page, link)
    assert page.locator('[aria-label="Label of response 1"]').input_value() == LABEL
    assert page.locator("#pp-side-0").input_value() == SECOND_SIDE
    assert shown_result(page) == as_json(team.to_dict())
    # The label is in no link, no file and no request.
    files = [download(page, button)[1] for button in ("#pp-download-md", "#pp-download-agenda")]
    files.append(json.dumps(shown_result(page)).encode())
    everywhere = [page.locator("#pp-set-link").input_value(), *visit.log.requests, *visit.bodies]
    everywhere += [f.decode("utf-8") for f in files]
    for word in ("Zephyrine", quote("Zephyrine")):
        assert [text for text in everywhere if word in text] == []
    assert LABEL in json.dumps(saved(page))


def test_the_set_link_reopens_the_same_set_in_a_fresh_context(
    browser: Browser, page: Page, site: Site
) -> None:
    """The link with #set= opens the same responses and sides elsewhere; the label stays home."""
    sideless = encode(HEALTHY, BANK, given=day(150))
    codes = [*SETS[1].codes, sideless]
    show(page, site, codes)
    page.locator("#pp-side-2").select_option(LAST_SIDE)
    items = [{"code": c, "side": None} for c in codes[:2]] + [{"code": sideless, "side": LAST_SIDE}]
    link = expected_link(site, items)
    wait_for_link(page, link)
    page.locator('[aria-label="Label of response 3"]').fill(LABEL)
    before = shown_result(page)
    assert before == as_json(team_of(codes, {2: LAST_SIDE}).to_dict())
    context = browser.new_context(accept_downloads=True)
    log = record(context, site.origin)
    try:
        fresh = context.new_page()
        fresh.goto(link)
        wait_for_state(fresh, "ready")
        wait_for_link(fresh, link)
        assert shown_result(fresh) == before
        assert fresh.locator("#pp-side-2").input_value() == LAST_SIDE
        assert fresh.locator('[aria-label="Label of response 3"]').input_value() == ""
        # The codes were read once, then taken out of the address bar.
        assert "#set=" not in fresh.url
        fresh.reload()
        wait_for_state(fresh, "ready")
        wait_for_link(fresh, link)
        assert fresh.locator("#pp-count").inner_text() == "3 responses."
    finally:
        close_context(context)
    log.assert_same_origin()


# -- Exported files ----------------------------------------------------------------------------


def export_bytes(answers: dict[str, int | None], side: str | None, given: str) -> bytes:
    """An export as the site wrote it before the relationship had its name (it says "side"),
    with its side and date fields as given (maybe edited): old exports keep loading."""
    code = encode(answers, BANK, relationship=side if side in SIDES else None)
    document = export_document(assess(answers, BANK), answers, code, relationship=None, given=None)
    del document["relationship"]
    document["side"], document["date"] = side, given
    return json.dumps(document, indent=2).encode("utf-8")


def command_line_error(path: Path) -> str:
    """What `partnership-assessment --answers PATH` says on stderr after "error: PATH: "."""
    done = subprocess.run(
        [sys.executable, "-m", "assessment", "--answers", str(path)],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr
    prefix = f"error: {path}: "
    assert done.stderr.startswith(prefix), done.stderr
    return done.stderr.removeprefix(prefix).strip()


def test_exported_files_bom_accepted_utf16_and_edited_fields_refused(
    page: Page, site: Site, tmp_path: Path
) -> None:
    """A BOM is fine; UTF-16 gets the command line's words; an edited side or date is named."""
    good = export_bytes(HEALTHY, FIRST_SIDE, day(60).isoformat())
    plain = export_bytes(TROUBLED, SECOND_SIDE, day(61).isoformat())
    wide = json.dumps(json.loads(good)).encode("utf-16")
    (tmp_path / "wide.json").write_bytes(wide)
    cli_words = command_line_error(tmp_path / "wide.json")
    assert "UTF-16" in cli_words
    files = [
        ("with-bom.json", b"\xef\xbb\xbf" + good),
        ("wide.json", wide),
        ("edited-side.json", export_bytes(HEALTHY, "partner", day(60).isoformat())),
        ("edited-date.json", export_bytes(HEALTHY, FIRST_SIDE, "2026-02-30")),
        ("plain.json", plain),
    ]
    payloads: list[FilePayload] = [
        {"name": n, "mimeType": "application/json", "buffer": b} for n, b in files
    ]
    page.locator("#pp-files").set_input_files(payloads)
    page.wait_for_selector('#compare-result[data-state="shown"]', timeout=READY_TIMEOUT_MS)
    assert page.locator("#pp-read-message").inner_text() == "2 files added."
    lines = refused_lines(page)
    assert len(lines) == 3, lines
    # Each file named once, with the command line's own words for what is wrong with it.
    assert lines[0] == f"Input 2: wide.json {cli_words}"
    assert lines[1].startswith("Input 3: edited-side.json: field '")
    assert "'partner'" in lines[1]
    assert lines[2].startswith("Input 4: edited-date.json: field 'date':")
    assert "2026-02-30" in lines[2]
    # The good files keep their side and date.
    cells = page.locator("#pp-response-rows tr").all_inner_texts()
    assert day(60).isoformat() in cells[0] and day(61).isoformat() in cells[1]
    # A file carries no nonce: its code's nonce is made from its content (the same file read
    # again is the same response).
    codes = [
        encode(HEALTHY, BANK, relationship=FIRST_SIDE, given=day(60), nonce=derived_nonce(
            HEALTHY, FIRST_SIDE, day(60))),
        encode(TROUBLED, BANK, relationship=SECOND_SIDE, given=day(61), nonce=derived_nonce(
            TROUBLED, SECOND_SIDE, day(61))),
    ]  # fmt: skip
    wait_for_link(page, expected_link(site, [{"code": c, "side": None} for c in codes]))
    assert shown_result(page) == as_json(team_of(codes).to_dict())


# -- Over time ---------------------------------------------------------------------------------


def test_an_earlier_check_shows_the_change_and_an_undated_one_is_explained(
    page: Page, site: Site
) -> None:
    """An earlier check: the change and a trend chart with a title. A format-1 code: a message."""
    earlier = [
        encode(TROUBLED, BANK, relationship=FIRST_SIDE, given=day(30)),
        encode(TROUBLED, BANK, relationship=SECOND_SIDE, given=day(31)),
    ]
    current = SETS[0].codes
    show(page, site, current)
    page.locator("#pp-earlier-codes").fill(" ".join(earlier))
    page.locator("#pp-add-earlier").click()
    page.wait_for_selector("#pp-trend-view svg title", state="attached")
    series = over_time(
        [[decode_response(c, BANK) for c in earlier], [decode_response(c, BANK) for c in current]],
        BANK,
    )
    shown, expected = same_markup(page, "pp-trend-view", over_time_html(series))
    assert shown == expected
    assert (page.locator("#pp-trend-view svg title").first.text_content() or "").strip()
    assert series.latest_changes and any(c.delta for c in series.latest_changes)
    # An earlier check of undated codes cannot be placed in time: the page says why.
    page.locator("#pp-clear-earlier").click()
    page.wait_for_function("() => document.getElementById('pp-trend-view').children.length === 0")
    page.locator("#pp-earlier-codes").fill(undated_code(HEALTHY))
    page.locator("#pp-add-earlier").click()
    message = page.locator("#pp-earlier-message")
    page.wait_for_function(
        "() => document.getElementById('pp-earlier-message').textContent.includes('no date')",
        timeout=READY_TIMEOUT_MS,
    )
    assert message.is_visible() and message.get_attribute("role") == "alert"
    assert "has no date (older share codes carry none)" in message.inner_text()
    assert page.locator("#pp-trend-view svg").count() == 0
    # The current result is untouched.
    assert shown_result(page) == as_json(team_of(current).to_dict())


def test_an_undated_earlier_check_does_not_block_a_dated_one(page: Page, site: Site) -> None:
    """After an undated earlier check is refused, a dated earlier check shows the trend."""
    show(page, site, SETS[0].codes)
    page.locator("#pp-earlier-codes").fill(undated_code(HEALTHY))
    page.locator("#pp-add-earlier").click()
    page.wait_for_function(
        "() => document.getElementById('pp-earlier-message').textContent.includes('no date')",
        timeout=READY_TIMEOUT_MS,
    )
    page.locator("#pp-earlier-codes").fill(" ".join(SETS[1].codes))
    page.locator("#pp-add-earlier").click()
    page.wait_for_selector("#pp-trend-view svg title", state="attached", timeout=5_000)


# -- Saved in this browser ---------------------------------------------------------------------

MINE_RECORD = {
    "bank_version": BANK.version,
    "perspective": FIRST_SIDE,
    "answers": {BANK.question_ids[0]: 4},
}


def corrupt_and_reload(page: Page, site: Site, value: str) -> dict[str, str]:
    """Put `value` where the set is saved, beside an earlier check and one's own answers."""
    earlier = [[{"code": c, "side": None, "side_said": True, "date": None} for c in SETS[1].codes]]
    stored = {
        storage_key(site, "compare:set"): value,
        storage_key(site, "compare:earlier"): json.dumps(earlier),
        storage_key(site, "answers"): json.dumps(MINE_RECORD),
    }
    page.evaluate(
        "(stored) => { for (const [k, v] of Object.entries(stored)) localStorage.setItem(k, v); }",
        stored,
    )
    page.reload()
    wait_for_state(page, "ready")
    page.wait_for_selector('#compare-result[data-state="empty"]', timeout=READY_TIMEOUT_MS)
    return stored


CORRUPT = ['{"not json', json.dumps([{"code": 12}, "junk", None])]


@pytest.mark.parametrize("value", CORRUPT, ids=["not-json", "no-good-entry"])
def test_a_corrupt_saved_set_is_dropped_and_nothing_else_lost(
    page: Page, site: Site, value: str
) -> None:
    """A saved set that cannot be read is dropped; one's own answers and earlier checks stay."""
    stored = corrupt_and_reload(page, site, value)
    assert page.locator("#pp-count").inner_text() == "No responses yet."
    raw: dict[str, str] = page.evaluate("() => ({ ...localStorage })")
    mine, earlier = storage_key(site, "answers"), storage_key(site, "compare:earlier")
    assert raw[mine] == stored[mine]
    assert raw[earlier] == stored[earlier]
    # The page works on: a new set is combined, and the kept earlier check is its history.
    show(page, site, SETS[0].codes)
    page.wait_for_selector("#pp-trend-view svg title", state="attached")
    assert shown_result(page) == as_json(team_of(SETS[0].codes).to_dict())
    assert page.evaluate("(key) => localStorage.getItem(key)", mine) == stored[mine]


@pytest.mark.parametrize(
    "value",
    [*CORRUPT, json.dumps([{"code": SETS[0].codes[0]}, {"code": 7}])],
    ids=["not-json", "no-good-entry", "one-bad-entry"],
)
def test_a_corrupt_saved_set_is_dropped_with_a_message(page: Page, site: Site, value: str) -> None:
    """A saved set (or entry) that cannot be read is not dropped silently: the page says so."""
    corrupt_and_reload(page, site, value)
    message = page.locator("#pp-read-message")
    message.wait_for(state="visible", timeout=3_000)
    assert "saved" in message.inner_text().lower()


# -- Keyboard, accessibility -------------------------------------------------------------------


def test_paste_codes_and_get_the_result_with_the_keyboard_alone(page: Page, site: Site) -> None:
    """From the top of the page: Tab to the box, paste, Tab, Enter; the result and a download."""
    codes = SETS[1].codes
    page.evaluate("() => { document.activeElement?.blur(); window.scrollTo(0, 0); }")
    tab_until(page, "pp-codes")
    page.keyboard.insert_text("\n".join(codes))
    tab_until(page, "pp-add-codes")
    outline = page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none", "focus must be visible on the button"
    page.keyboard.press("Enter")
    wait_for_link(page, expected_link(site, [{"code": c, "side": None} for c in codes]))
    team = team_of(codes)
    assert f"Team verdict: {team.verdict_label}." in page.locator("#pp-announce").inner_text()
    # The focus moves to the result, as the assessment and the exit planner do.
    page.wait_for_function("() => document.activeElement?.id === 'compare-result'")
    tab_until(page, "pp-download-json")
    with page.expect_download() as info:
        page.keyboard.press("Enter")
    assert json.loads(Path(info.value.path()).read_bytes()) == as_json(team.to_dict())


def test_the_result_and_the_refusals_pass_axe(
    page: Page, site: Site, axe: Callable[[Page], list[dict[str, Any]]]
) -> None:
    """No serious or critical axe-core violation with a result, a refusal and a trend shown."""
    sideless = encode(TROUBLED, BANK, given=day(40))
    codes = [*SETS[2].codes, sideless]
    paste(page, [*codes, SETS[0].codes[0][:-6]])
    wait_for_link(page, expected_link(site, [{"code": c, "side": None} for c in codes]))
    page.locator("#pp-earlier-codes").fill(" ".join(SETS[1].codes))
    page.locator("#pp-add-earlier").click()
    page.wait_for_selector("#pp-trend-view svg title", state="attached")
    assert page.locator("#pp-refused li").count() == 1
    assert_no_blocking(axe(page), "a result shown")


# -- Offline -----------------------------------------------------------------------------------


def test_the_compare_page_works_offline_after_one_visit(
    watched_reader: BrowserContext, site: Site
) -> None:
    """Visit once online; then, with the network cut, the page opens and the set combines."""
    online = open_compare(watched_reader, site)
    wait_for_state(online, "ready")
    show(online, site, SETS[0].codes)
    wanted = {
        site.url("runtime/manifest.json"),
        site.url(COMPARE),
        site.url(COMPARE + "main.py"),
        site.url(COMPARE + "app.js"),
        site.url("stylesheets/extra.css"),
        engine_archive_url(site),
        *big_runtime_urls(site),
    }
    wait_until_kept(online, wanted)
    cut_the_network(online)
    offline = open_compare(watched_reader, site)
    wait_for_state(offline, "ready")
    # The saved set came back with its result; a new set combines too.
    wait_for_link(offline, expected_link(site, [{"code": c} for c in SETS[0].codes]))
    empty(offline)
    show(offline, site, SETS[1].codes)
    assert shown_result(offline) == as_json(team_of(SETS[1].codes).to_dict())


# -- Nothing lost: two tabs, links, full storage ----------------------------------------------


def count_of(page: Page) -> str:
    """What the page says about how many responses it holds."""
    text: str = page.locator("#pp-count").inner_text()
    return text


def wait_for_count(page: Page, count: int) -> None:
    """Wait until the page lists `count` responses."""
    expected = "No responses yet." if count == 0 else f"{count} response{'s' * (count != 1)}."
    page.wait_for_function(
        "(text) => document.getElementById('pp-count').textContent === text",
        arg=expected,
        timeout=READY_TIMEOUT_MS,
    )


def test_two_tabs_keep_each_other_s_responses_removals_and_labels(
    reader: BrowserContext, site: Site
) -> None:
    """Add in A, add in B, label in A: all four stay; a removal in B is not undone by A."""
    codes = many_codes(5)
    first = open_compare(reader, site)
    wait_for_state(first, "ready")
    paste(first, codes[:2])
    wait_for_count(first, 2)
    second = open_compare(reader, site)
    wait_for_state(second, "ready")
    wait_for_count(second, 2)
    paste(second, codes[2:4])
    wait_for_count(second, 4)
    # Tab A hears of B's responses; its label then saves all four, never its older two.
    wait_for_count(first, 4)
    first.bring_to_front()
    first.locator('[aria-label="Label of response 1"]').fill(LABEL)
    second.reload()
    wait_for_state(second, "ready")
    wait_for_count(second, 4)
    assert second.locator('[aria-label="Label of response 1"]').input_value() == LABEL
    # Removed in B, it stays removed when A saves again.
    second.bring_to_front()
    second.locator('[aria-label="Remove response 4"]').click()
    wait_for_count(second, 3)
    wait_for_count(first, 3)
    paste(first, codes[4:])
    wait_for_count(first, 4)
    second.reload()
    wait_for_state(second, "ready")
    wait_for_count(second, 4)
    shown = [{"code": c, "side": None} for c in [*codes[:3], codes[4]]]
    wait_for_link(second, expected_link(site, shown))


def test_a_link_with_nothing_readable_replaces_nothing(reader: BrowserContext, site: Site) -> None:
    """Responses saved, a link whose responses are all refused: nothing asked, nothing lost."""
    asked: list[str] = []

    def answer(dialog: Dialog) -> None:
        asked.append(dialog.message)
        dialog.accept()

    reader.on("dialog", answer)
    page = open_compare(reader, site)
    wait_for_state(page, "ready")
    show(page, site, SETS[0].codes)
    page.close()
    page = open_compare(reader, site, "#set=" + quote("not-a-code,2-1999.1-AAAA"))
    wait_for_state(page, "ready")
    page.locator("#pp-refused li").first.wait_for(timeout=READY_TIMEOUT_MS)
    assert asked == []
    wait_for_count(page, 2)
    assert "0 responses added" in page.locator("#pp-read-message").inner_text()


def test_a_link_that_replaces_the_set_can_be_undone_even_after_a_reload(
    reader: BrowserContext, site: Site
) -> None:
    """Replace the saved set by a link's responses; reload; the saved ones come back."""
    reader.on("dialog", lambda dialog: dialog.accept())
    page = open_compare(reader, site)
    wait_for_state(page, "ready")
    show(page, site, SETS[0].codes)
    page.locator('[aria-label="Label of response 1"]').fill(LABEL)
    other = list(SETS[1].codes[1:]) + list(SETS[2].codes[:1])
    page.close()
    page = open_compare(reader, site, set_fragment([{"code": c} for c in other], BANK))
    wait_for_state(page, "ready")
    wait_for_link(page, expected_link(site, [{"code": c} for c in other]))
    bar = page.locator("#pp-undo-bar")
    assert bar.is_visible()
    assert "replaced the 2 saved in this browser" in page.locator("#pp-undo-text").inner_text()
    page.reload()
    wait_for_state(page, "ready")
    page.locator("#pp-undo").click()
    wait_for_count(page, 4)
    assert not bar.is_visible()
    labels = [
        page.locator(f'[aria-label="Label of response {n}"]').input_value() for n in (1, 2, 3, 4)
    ]
    assert LABEL in labels


FULL_STORAGE = (
    "Storage.prototype.setItem = function() "
    "{ throw new DOMException('full', 'QuotaExceededError'); }"
)


def test_a_full_storage_is_said_and_the_responses_stay_on_the_page(
    reader: BrowserContext, site: Site
) -> None:
    """Saving fails: the page says so at once, keeps the set on screen and still combines it."""
    reader.add_init_script(FULL_STORAGE)
    page = open_compare(reader, site)
    wait_for_state(page, "ready")
    show(page, site, SETS[1].codes)
    notice = page.locator("#pp-notice")
    assert notice.is_visible()
    assert "did not save the responses" in notice.inner_text()
    assert shown_result(page) == as_json(team_of(SETS[1].codes).to_dict())


def test_a_refused_piece_goes_back_in_the_box_exactly_as_pasted(page: Page, site: Site) -> None:
    """A long piece with a control character comes back whole and unchanged, to correct; only
    the message shows an excerpt."""
    good = SETS[0].codes[0]
    bad = good[:-3] + "\u0007" + "x" * 90
    paste(page, [good, bad])
    page.locator("#pp-refused li").first.wait_for(timeout=READY_TIMEOUT_MS)
    assert page.locator("#pp-codes").input_value() == bad
    line = refused_lines(page)[0]
    assert len(line) < len(bad) + 80 and "\u0007" not in line


def test_a_huge_paste_on_a_slow_phone_is_cut_and_never_taken_for_a_dead_engine(
    reader: BrowserContext, site: Site
) -> None:
    """One 5 MB token with a 4x slower CPU: cut with a message before Python, the status stays
    ready while the engine works, and the next codes combine."""
    page = open_compare(reader, site)
    wait_for_state(page, "ready")
    # Every state the status line takes from here on is recorded.
    page.evaluate(
        "() => { window.__states = []; new MutationObserver(() => window.__states.push("
        "document.getElementById('py-status').dataset.state)).observe("
        "document.getElementById('py-status'), {attributes: true}); }"
    )
    cdp = reader.new_cdp_session(page)
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": 4})
    page.locator("#pp-codes").evaluate("(box) => { box.value = 'A'.repeat(5_000_000); }")
    page.locator("#pp-add-codes").click()
    message = page.locator("#pp-read-message")
    page.wait_for_function(
        "() => document.getElementById('pp-read-message').textContent.includes('Only the first')",
        timeout=READY_TIMEOUT_MS,
    )
    # One long word: not a code, so nothing is added, and nothing is reported as unreadable.
    assert message.inner_text().startswith("0 responses added.")
    show(page, site, SETS[1].codes)
    # Through the slow work and the next result, the engine was never said to have stopped.
    states: list[str] = page.evaluate("() => window.__states")
    assert set(states) <= {"ready"}, states
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": 1})


# Stops this tab's page from hearing another tab's saves (a capturing listener on the window
# runs first): the tab acts as one that has not heard of the other's change yet.
DEAF = "() => window.addEventListener('storage', (event) => event.stopImmediatePropagation(), true)"


def trend_is(page: Page, checks: list[list[str]]) -> bool:
    """Whether the page's trend shows exactly `checks` (the earlier ones, then the current)."""
    series = over_time([[decode_response(c, BANK) for c in check] for check in checks], BANK)
    shown, expected = same_markup(page, "pp-trend-view", over_time_html(series))
    return shown == expected


def add_earlier(page: Page, codes: list[str]) -> None:
    """Paste the codes of an earlier check and press its button."""
    page.locator("#pp-earlier-codes").fill(" ".join(codes))
    page.locator("#pp-add-earlier").click()


def test_an_earlier_check_removed_in_one_tab_stays_removed_when_another_adds_one(
    reader: BrowserContext, site: Site
) -> None:
    """Tab B removes the earlier check while tab A, not having heard of it, adds another: both
    tabs, and both after a reload, show the new one and not the removed one."""
    current = list(SETS[0].codes)
    removed = [
        encode(TROUBLED, BANK, relationship=FIRST_SIDE, given=day(30)),
        encode(TROUBLED, BANK, relationship=SECOND_SIDE, given=day(31)),
    ]
    added = [
        encode(RAISED, BANK, relationship=FIRST_SIDE, given=day(60)),
        encode(HEALTHY, BANK, relationship=SECOND_SIDE, given=day(61)),
    ]
    first = open_compare(reader, site)
    wait_for_state(first, "ready")
    show(first, site, current)
    add_earlier(first, removed)
    wait_until(lambda: trend_is(first, [removed, current]), first)
    second = open_compare(reader, site)
    wait_for_state(second, "ready")
    wait_until(lambda: trend_is(second, [removed, current]), second)
    first.evaluate(DEAF)
    second.locator("#pp-clear-earlier").click()
    second.wait_for_function("() => document.getElementById('pp-trend-view').children.length === 0")
    add_earlier(first, added)
    wait_until(lambda: trend_is(first, [added, current]), first)
    wait_until(lambda: trend_is(second, [added, current]), second)
    for page in (first, second):
        page.reload()
        wait_for_state(page, "ready")
        wait_until(lambda page=page: trend_is(page, [added, current]), page)  # type: ignore[misc]


@pytest.mark.parametrize("tilde", ["~", "%7E", "%7e"])
def test_a_side_after_a_percent_encoded_tilde_is_read_as_after_a_tilde(
    page: Page, site: Site, tilde: str
) -> None:
    """A link "#set=CODE%7Eside" (a mail client encoded the "~") adds the response with that
    side, exactly as "#set=CODE~side" does."""
    sideless = encode(TROUBLED, BANK, given=day(210))
    other = SETS[0].codes[0]
    fragment = f"set={sideless}{tilde}{LAST_SIDE},{other}"
    page.evaluate("(fragment) => { location.hash = fragment; }", fragment)
    items: list[dict[str, Any]] = [
        {"code": sideless, "side": LAST_SIDE},
        {"code": other, "side": None},
    ]
    wait_for_link(page, expected_link(site, items))
    assert page.locator("#pp-side-0").input_value() == LAST_SIDE
    assert shown_result(page) == as_json(team_of([sideless, other], {0: LAST_SIDE}).to_dict())
    assert refused_lines(page) == []
