"""Every page that starts Python looks finished, in both colour schemes, on a 360 px phone and a
1366 px laptop, empty and with its result: nothing wider than the screen, every field with a
visible border, every table styled, chart text at least 12 px as drawn, and axe (WCAG 2.1 AA
and best practices) with no serious or critical violation.

The pages are found in the built site (pages.python_pages); each known page is also brought to
its result (a page this file does not know is checked as it opens).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
from playwright.sync_api import BrowserContext, Page

from assessment import assess, encode, load_bank
from assessment.examples import SCENARIOS

from .harness import WCAG_21_AA, Site, assert_no_blocking
from .pages import (
    PALETTE_TOGGLE,
    READY_TIMEOUT_MS,
    ask_result,
    contrast,
    fill,
    python_pages,
    resize,
    wait_for_engine,
)
from .reports import SCHEMES as SCHEME_NAMES

pytestmark = pytest.mark.browser

BANK = load_bank()
# The sides come from the bank (a company's copy may have others).
SIDES = tuple(r.id for r in BANK.relationships)
WIDTHS = (360, 1366)
SCHEMES = ("light", "dark")
AXE_TAGS = (*WCAG_21_AA, "best-practice")
MIN_CHART_TEXT_PX = 12
# WCAG 1.4.11: a field's boundary needs 3:1 against what surrounds it.
MIN_BORDER_CONTRAST = 3.0

# What the page shows, measured in the page: overflow, fields, tables, chart text.
MEASURE = """() => {
  const width = document.documentElement.clientWidth;
  const shown = (el) =>
    el.getClientRects().length > 0 && getComputedStyle(el).visibility !== "hidden";
  const content = document.querySelector(".md-content");
  const scrolls = (el) => {
    for (let node = el.parentElement; node && node !== document.body; node = node.parentElement) {
      const x = getComputedStyle(node).overflowX;
      if (x === "auto" || x === "scroll" || x === "hidden" || x === "clip") return true;
    }
    return false;
  };
  const wide = [];
  for (const el of content.querySelectorAll("*")) {
    if (!shown(el) || scrolls(el)) continue;
    const box = el.getBoundingClientRect();
    if (box.width <= 1 && box.height <= 1) continue;  // visually hidden
    if (box.right > width + 1 || box.left < -1) {
      const name = `${el.tagName.toLowerCase()}#${el.id}.${el.getAttribute("class") || ""}`;
      wide.push(`${name} ${Math.round(box.left)}..${Math.round(box.right)}`);
    }
  }
  const background = getComputedStyle(document.body).backgroundColor;
  const fields = [...content.querySelectorAll(
    "input:not([type=radio]):not([type=checkbox]):not([type=file]):not([type=hidden]), " +
    "textarea, select"
  )].filter(shown).map((el) => {
    const s = getComputedStyle(el);
    return {id: el.id || el.name || el.tagName, style: s.borderTopStyle,
            width: parseFloat(s.borderTopWidth), color: s.borderTopColor, background};
  });
  const tables = [...content.querySelectorAll("table")].filter(shown).map((table) => {
    const cell = table.querySelector("tbody td");
    const row = table.querySelector("tbody tr");
    const head = [...table.querySelectorAll("thead th")].find(shown);
    const border = (el) => el ? Math.max(...["Top", "Right", "Bottom", "Left"].map(
      (side) => getComputedStyle(el)[`border${side}Style`] === "none" ? 0
        : parseFloat(getComputedStyle(el)[`border${side}Width`]))) : 0;
    return {
      id: table.id || table.getAttribute("class") ||
        table.querySelector("caption")?.textContent.slice(0, 40) || "table",
      // Space around a cell's text: its own, or its row's (a row shown as a card).
      padding: Math.max(...[cell, row].map((el) => el
        ? parseFloat(getComputedStyle(el).paddingLeft) + parseFloat(getComputedStyle(el).paddingTop)
        : 99)),
      border: Math.max(border(table), border(row), border(cell)),
      head: head ? parseInt(getComputedStyle(head).fontWeight, 10) : 700,
    };
  });
  const chartText = [...content.querySelectorAll("svg text")].filter(shown).map((text) => {
    const size = parseFloat(getComputedStyle(text).fontSize) * (text.getScreenCTM()?.a ?? 1);
    return {text: text.textContent.slice(0, 30), size};
  });
  const scrollWidth = document.documentElement.scrollWidth;
  if (scrollWidth > width) {
    // Name what makes the page wider, wherever it is.
    for (const el of document.body.querySelectorAll("*")) {
      const box = el.getBoundingClientRect();
      if (box.right > width + 1 && shown(el) && !scrolls(el)) {
        const name = `${el.tagName.toLowerCase()}.${el.getAttribute("class") || ""}`;
        wide.push(`outside the text: ${name}`);
      }
    }
  }
  return {width, scrollWidth, wide, fields, tables, chartText};
}"""


def over(colour: str, background: str) -> str:
    """A colour with alpha laid over an opaque background, as rgb()."""
    parts = [float(p) for p in re.findall(r"[\d.]+", colour)]
    alpha = parts[3] if len(parts) > 3 else 1.0
    base = [float(p) for p in re.findall(r"[\d.]+", background)[:3]]
    mixed = [alpha * c + (1 - alpha) * b for c, b in zip(parts[:3], base, strict=True)]
    return "rgb({:.0f}, {:.0f}, {:.0f})".format(*mixed)


def assert_finished(page: Page, label: str, axe: Any) -> None:
    """Everything this file promises, for the page as it is now."""
    measured: dict[str, Any] = page.evaluate(MEASURE)
    problems = []
    if measured["scrollWidth"] > measured["width"]:
        problems.append(f"the page is {measured['scrollWidth']} px wide on {measured['width']}")
    problems += [f"wider than the screen: {item}" for item in measured["wide"]]
    for field in measured["fields"]:
        colour = over(field["color"], field["background"])
        ratio = contrast(colour, field["background"])
        if field["style"] == "none" or field["width"] < 1 or ratio < MIN_BORDER_CONTRAST:
            problems.append(f"field {field['id']} has no visible border ({field}, {ratio:.1f}:1)")
    for table in measured["tables"]:
        if table["border"] <= 0 or table["padding"] < 4 or table["head"] < 600:
            problems.append(f"table {table['id']!r} is not styled ({table})")
    problems += [
        f"chart text {text['text']!r} is drawn at {text['size']:.1f} px"
        for text in measured["chartText"]
        if text["size"] < MIN_CHART_TEXT_PX
    ]
    assert not problems, f"{label}:\n" + "\n".join(problems[:20])
    assert_no_blocking(axe(page, AXE_TAGS), label)


# -- Each known page brought to its result ------------------------------------------------------


def assessment_result(page: Page, site: Site) -> None:
    """A full result of one of the named scenarios: on the whole form as a reader ticks it; in
    the guided form a phone opens on, each answer by its key, then Enter at the end."""
    answers = SCENARIOS[1].answers(BANK)
    if page.locator("#pp-form").get_attribute("data-mode") != "guided":
        fill(page, answers)
        ask_result(page)
        return
    page.locator("#pp-guide-jump").select_option("perspective")
    page.keyboard.press("Enter")
    for _ in range(3 * len(BANK.questions)):
        now = page.evaluate("() => document.getElementById('pp-form').dataset.step")
        if now == "finish":
            break
        question = BANK.question(now)
        level = answers.get(now)
        key = "d" if level is None else str(6 - level if question.reverse else level)
        page.keyboard.press(key)
        page.wait_for_function(
            "(now) => document.getElementById('pp-form').dataset.step !== now", arg=now
        )
    page.keyboard.press("Enter")
    page.wait_for_selector('#assessment-result[data-state="shown"]', timeout=READY_TIMEOUT_MS)


def day(n: int) -> date:
    """Day `n` of 2026, a day a share code can carry."""
    return date(2026, 1, 1) + timedelta(days=n - 1)


def side(n: int) -> str:
    """The bank's `n`th relationship, round the list (a bank with two sides repeats one)."""
    return SIDES[n % len(SIDES)]


def compare_result(page: Page, site: Site) -> None:
    """Three responses from the bank's sides in turn, and an earlier check: the team result and
    the trend; and the health check's form, open."""
    healthy = SCENARIOS[0].answers(BANK)
    troubled = SCENARIOS[2].answers(BANK)
    now = [
        encode(healthy, BANK, relationship=side(0), given=day(200)),
        encode(troubled, BANK, relationship=side(1), given=day(201)),
        encode(SCENARIOS[1].answers(BANK), BANK, relationship=side(2), given=day(202)),
    ]
    earlier = [encode(SCENARIOS[1].answers(BANK), BANK, relationship=side(0), given=day(20))]
    page.locator("#pp-codes").fill("\n".join(now))
    page.locator("#pp-add-codes").click()
    page.wait_for_selector('#compare-result[data-state="shown"]', timeout=READY_TIMEOUT_MS)
    page.locator("#pp-earlier-codes").fill("\n".join(earlier))
    page.locator("#pp-add-earlier").click()
    page.wait_for_selector("#pp-trend-view svg", timeout=READY_TIMEOUT_MS)
    page.locator("#pp-round-new").click()
    page.wait_for_selector("#pp-round-form:not([hidden])")


def planner_result(page: Page, site: Site) -> None:
    """A plan for an agreement that renews, with its notice."""
    page.locator("#pp-case-renews").check()
    page.locator("#pp-renews").fill("2027-03-31")
    page.locator("#pp-notice").fill("3 months")
    page.locator("#pp-make-plan").click()
    page.wait_for_selector('#exit-plan[data-state="shown"]', timeout=READY_TIMEOUT_MS)


RESULTS: dict[str, Callable[[Page, Site], None]] = {
    "assessment/": assessment_result,
    "compare/": compare_result,
    "exit-planner/": planner_result,
}


def use_scheme(page: Page, scheme: str) -> None:
    """Show the page in `scheme`, switching with the header's toggle as a reader does."""
    wanted = SCHEME_NAMES[scheme]
    if page.get_attribute("body", "data-md-color-scheme") != wanted:
        page.locator(PALETTE_TOGGLE).first.click()
        page.wait_for_function(
            "(wanted) => document.body.dataset.mdColorScheme === wanted", arg=wanted
        )


def test_every_python_page_looks_finished(
    returning_reader: BrowserContext, site: Site, axe: Any
) -> None:
    """Each page that starts Python, empty and with its result, at 360 and 1366 px, in both
    colour schemes (one start of Python a page: the header's toggle changes the scheme)."""
    paths = python_pages(site.root)
    assert paths, "the build has no page that starts Python"
    for path in paths:
        page = returning_reader.new_page()
        page.emulate_media(color_scheme="light")
        page.set_viewport_size({"width": WIDTHS[0], "height": 800})
        page.goto(site.url(path))
        wait_for_engine(page)
        for state in ("empty", "result"):
            if state == "result":
                if path not in RESULTS:
                    break
                RESULTS[path](page, site)
            for scheme in SCHEMES:
                use_scheme(page, scheme)
                for width in WIDTHS:
                    resize(page, width)
                    assert_finished(page, f"{path} {state} at {width} px ({scheme})", axe)
        page.close()


@pytest.mark.parametrize("scheme", SCHEMES)
def test_the_guided_form_looks_finished(
    returning_reader: BrowserContext, site: Site, scheme: str, axe: Any
) -> None:
    """One question per screen: the bar, the question and its buttons fit a phone, and pass axe."""
    page = returning_reader.new_page()
    page.emulate_media(color_scheme="dark" if scheme == "dark" else "light")
    page.goto(site.url("assessment/"))
    wait_for_engine(page)
    page.locator("#pp-mode-guided").click()
    page.keyboard.press("Enter")
    for width in (*WIDTHS, 390):
        resize(page, width)
        assert_finished(page, f"guided question at {width} px ({scheme})", axe)


@pytest.mark.parametrize("scheme", SCHEMES)
def test_every_verdicts_card_looks_finished(
    browser: Any, site: Site, scheme: str, axe: Any
) -> None:
    """Each verdict's card has its own tint: the result of a named scenario for each verdict
    they reach, opened from a shared link on a 360 px phone, passes every check above. The first
    link opens the page; each next one is pasted into the open page (its # part changed)."""
    by_verdict: dict[str, dict[str, int | None]] = {}
    for example in SCENARIOS:
        answers = example.answers(BANK)
        by_verdict.setdefault(assess(answers).verdict, answers)
    assert len(by_verdict) > 1
    context = browser.new_context(
        viewport={"width": WIDTHS[0], "height": 800},
        color_scheme="dark" if scheme == "dark" else "light",
    )
    try:
        page = context.new_page()
        for number, (verdict, answers) in enumerate(by_verdict.items()):
            if number == 0:
                page.goto(site.url("assessment/") + "#code=" + encode(answers))
            else:
                page.evaluate("(code) => { location.hash = 'code=' + code; }", encode(answers))
            page.wait_for_function(
                """(verdict) => {
                  const shown = document.getElementById('assessment-result');
                  return shown.dataset.state === 'shown' &&
                    JSON.parse(shown.dataset.result || 'null')?.verdict === verdict;
                }""",
                arg=verdict,
                timeout=READY_TIMEOUT_MS,
            )
            assert_finished(page, f"the {verdict} result at {WIDTHS[0]} px ({scheme})", axe)
    finally:
        context.close()


# -- The playbook's own pages on a phone ----------------------------------------------------------

# Only what makes the whole page wider than the screen (a table or a code block that scrolls
# inside its own box is Material's look, not an overflow).
PAGE_WIDTH = """() => {
  const width = document.documentElement.clientWidth;
  const wide = [];
  if (document.documentElement.scrollWidth > width) {
    for (const el of document.querySelector(".md-content").querySelectorAll("*")) {
      const box = el.getBoundingClientRect();
      if (box.right > width + 1 && el.getClientRects().length) {
        wide.push(`${el.tagName.toLowerCase()}.${el.getAttribute("class") || ""}`);
      }
    }
  }
  return {width, scrollWidth: document.documentElement.scrollWidth, wide: wide.slice(0, 5)};
}"""


def test_every_playbook_page_fits_a_phone(browser: Any, site: Site) -> None:
    """Every page of the built site, at 360 px: nothing makes the page wider than the screen
    (wide tables stack, code blocks and scripts wrap)."""
    python = set(python_pages(site.root))
    paths = [
        f"{page.parent.relative_to(site.root).as_posix()}/".removeprefix("./")
        for page in sorted(site.root.glob("**/index.html"))
    ]
    paths = [path for path in paths if path not in python]
    assert paths, "the build has no playbook page"
    context = browser.new_context(viewport={"width": WIDTHS[0], "height": 800})
    problems = []
    try:
        page = context.new_page()
        for path in paths:
            page.goto(site.url(path))
            measured: dict[str, Any] = page.evaluate(PAGE_WIDTH)
            if measured["scrollWidth"] > measured["width"]:
                problems.append(f"{path}: {measured}")
    finally:
        context.close()
    assert not problems, "\n".join(problems)
