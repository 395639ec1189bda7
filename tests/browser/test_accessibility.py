"""Accessibility with axe-core: every page, light and dark palette, WCAG 2.1 A and AA, and
axe's best-practice rules (Lighthouse's accessibility score counts some of them, such as a
named dialog).

axe runs in Chromium on the pages as served, Content-Security-Policy on (it is evaluated by
Playwright, which no policy blocks, rather than added as a <script>). A violation of impact
"serious" or "critical" fails its page; every page's counts are printed at the end, so a run
with `-s` or the summary in the report shows where the site stands.

The assessment page is checked with its engine ready. To check it in another state (a result
shown, an error), call the `axe` fixture (harness.axe_violations) on the page in that state,
with AXE_TAGS for the same rules as here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page

from .harness import REPO, WCAG_21_AA, Site, assert_no_blocking, impact_counts, record
from .pages import (
    READY_TIMEOUT_MS,
    ask_result,
    close_context,
    contrast,
    fill,
)
from .reports import RESULTS, SCHEMES

pytestmark = pytest.mark.browser

DOCS = REPO / "docs"
# WCAG 2.1 A/AA plus axe-core's best practices (issue 15: Lighthouse counts some of them).
AXE_TAGS = (*WCAG_21_AA, "best-practice")
# The `axe` fixture: harness.axe_violations(page, tags).
Axe = Callable[[Page, tuple[str, ...]], list[dict[str, Any]]]
ASSESSMENT = "assessment/"


def docs_pages() -> list[str]:
    """The site path of every Markdown page under docs/, plus Material's 404 page."""
    paths = []
    for source in sorted(DOCS.rglob("*.md")):
        relative = source.relative_to(DOCS).with_suffix("")
        folder = relative.parent if relative.name == "index" else relative
        paths.append("" if folder == Path(".") else f"{folder.as_posix()}/")
    return [*paths, "404.html"]


PAGES = docs_pages()


def built_pages(site: Site) -> list[str]:
    """The site path of every HTML page in the built site folder."""
    return sorted(
        html.relative_to(site.root).as_posix().removesuffix("index.html")
        for html in site.root.rglob("*.html")
    )


def test_every_built_page_is_checked(site: Site) -> None:
    """The pages checked below, found from docs/, are exactly the built site's HTML pages."""
    assert sorted(PAGES) == built_pages(site)


@pytest.fixture(scope="module")
def palettes(browser: Browser, site: Site) -> Iterator[dict[str, Page]]:
    """One page per palette, each in a context that prefers that colour scheme; at the end,
    neither context made a request that left the site."""
    contexts: list[BrowserContext] = []
    logs = []
    pages = {}
    try:
        for scheme in SCHEMES:
            context = browser.new_context(color_scheme="dark" if scheme == "dark" else "light")
            contexts.append(context)
            logs.append(record(context, site.origin, intercept=False))
            pages[scheme] = context.new_page()
        yield pages
    finally:
        for context in contexts:
            close_context(context)
    for log in logs:
        log.assert_same_origin()


def assert_accessible(page: Page, label: str, scheme: str, axe: Axe) -> None:
    """Run axe (AXE_TAGS) on the page as it is; record its counts; fail on a serious or critical."""
    violations = axe(page, AXE_TAGS)
    RESULTS.setdefault(label, {})[scheme] = impact_counts(violations)
    assert_no_blocking(violations, f"{label} ({scheme})")


@pytest.mark.parametrize("scheme", list(SCHEMES))
@pytest.mark.parametrize("path", PAGES)
def test_page_meets_wcag_21_aa_and_best_practice(
    path: str, scheme: str, palettes: dict[str, Page], site: Site, axe: Axe
) -> None:
    """No serious or critical axe violation (WCAG or best practice) on the page, in this palette."""
    page = palettes[scheme]
    page.goto(site.url(path))
    page.wait_for_load_state("load")
    assert page.get_attribute("body", "data-md-color-scheme") == SCHEMES[scheme]
    if path == ASSESSMENT:
        # Checked as a reader finds it once the engine is ready.
        page.wait_for_selector('#py-status[data-state="ready"]', timeout=READY_TIMEOUT_MS)

    assert_accessible(page, path or "(home)", scheme, axe)


def test_best_practice_rules_run(palettes: dict[str, Page], site: Site, axe: Axe) -> None:
    """With hooks/search_dialog.py's name taken off the search dialog, axe fails the page."""
    page = palettes["light"]
    page.goto(site.url(""))
    page.wait_for_load_state("load")
    assert_no_blocking(axe(page, AXE_TAGS), "home")
    page.evaluate(
        "document.querySelector('[data-md-component=\"search\"]').removeAttribute('aria-label')"
    )
    impacts = {rule["id"]: rule["impact"] for rule in axe(page, AXE_TAGS)}
    assert impacts.get("aria-dialog-name") == "serious", impacts


@pytest.mark.parametrize("scheme", list(SCHEMES))
def test_assessment_with_a_result_meets_wcag_21_aa_and_best_practice(
    scheme: str, palettes: dict[str, Page], site: Site, axe: Axe
) -> None:
    """The assessment page with a result shown (chart, table, links, share box) passes too."""
    from assessment import load_bank
    from assessment.examples import SCENARIOS

    page = palettes[scheme]
    page.goto(site.url(ASSESSMENT))
    fill(page, SCENARIOS[1].answers(load_bank()))
    ask_result(page)
    assert_accessible(page, "assessment/ (result shown)", scheme, axe)


def focus_by_keyboard(page: Page, selector: str) -> dict[str, Any]:
    """Give `selector` the keyboard focus (Shift+Tab, Tab); return how it and its label look."""
    page.locator(selector).first.focus()
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Tab")
    info: dict[str, Any] = page.evaluate(
        """() => {
            const element = document.activeElement;
            const style = (node) => {
                const s = getComputedStyle(node);
                return {style: s.outlineStyle, width: parseFloat(s.outlineWidth),
                        color: s.outlineColor};
            };
            const label = element.closest("label");
            return {
                tag: element.tagName.toLowerCase(),
                visible: element.matches(":focus-visible"),
                own: style(element),
                label: label ? style(label) : null,
                background: getComputedStyle(document.body).backgroundColor,
            };
        }"""
    )
    return info


@pytest.mark.parametrize("scheme", list(SCHEMES))
@pytest.mark.parametrize(
    ("selector", "outlined"),
    [
        ("article a[href]:not(.headerlink)", "own"),  # a link in the text
        ('input[type="radio"][name="perspective"]', "label"),  # a radio: its label is outlined
        ("#pp-submit", "own"),  # the form's button
    ],
)
def test_keyboard_focus_is_visible(
    selector: str, outlined: str, scheme: str, palettes: dict[str, Page], site: Site
) -> None:
    """What the keyboard reaches on the assessment page shows a solid, contrasting outline."""
    page = palettes[scheme]
    if page.url != site.url(ASSESSMENT):
        page.goto(site.url(ASSESSMENT))
    focus = focus_by_keyboard(page, selector)
    assert focus["visible"], focus
    outline = focus[outlined]
    assert outline is not None and outline["style"] == "solid", focus
    assert outline["width"] >= 2, focus
    # WCAG 1.4.11: a focus indicator needs 3:1 against what surrounds it.
    assert contrast(outline["color"], focus["background"]) >= 3, focus
