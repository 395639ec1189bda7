"""The light / dark toggle (javascripts/palette.js): follows the browser, switches, is kept, and
restyles the page only when the colours change."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, BrowserContext, Page

from .harness import Site, record
from .pages import PALETTE_TOGGLE, close_context
from .reports import SCHEMES

pytestmark = pytest.mark.browser

# Before any page script: every change of the body's colour attributes, in order.
WATCH_BODY = """
window.__colourChanges = [];
new MutationObserver((records) => {
  for (const record of records) {
    if (record.attributeName?.startsWith("data-md-color")) {
      window.__colourChanges.push(record.attributeName);
    }
  }
}).observe(document, { attributes: true, subtree: true, attributeFilter: [
  "data-md-color-scheme", "data-md-color-primary", "data-md-color-accent",
  "data-md-color-media", "data-md-color-switching",
] });
"""


@pytest.fixture(params=list(SCHEMES))
def preferring(
    request: pytest.FixtureRequest, browser: Browser, site: Site
) -> Iterator[tuple[str, BrowserContext]]:
    """A fresh browser that prefers the light or the dark scheme, its body's changes watched."""
    scheme: str = request.param
    context = browser.new_context(color_scheme="dark" if scheme == "dark" else "light")
    log = record(context, site.origin)
    context.add_init_script(WATCH_BODY)
    try:
        yield scheme, context
    finally:
        close_context(context)
    log.assert_same_origin()


def open_page(context: BrowserContext, site: Site, path: str) -> Page:
    """Open `path` and wait until the page and its scripts have run and gone idle."""
    page = context.new_page()
    page.goto(site.url(path))
    page.wait_for_load_state("load")
    page.wait_for_function(
        "() => document.querySelector('meta[name=\"theme-color\"]')?.content.startsWith('#')"
    )
    return page


def visible_toggle(page: Page) -> str:
    """The title of the one toggle shown in the header."""
    labels = page.locator(PALETTE_TOGGLE)
    assert labels.count() == 1
    return labels.first.get_attribute("title") or ""


def test_first_visit_follows_the_browser_and_restyles_only_if_needed(
    preferring: tuple[str, BrowserContext], site: Site
) -> None:
    """A first visit shows the scheme the browser prefers; a light one is never restyled."""
    scheme, context = preferring
    page = open_page(context, site, "stay/")
    assert page.get_attribute("body", "data-md-color-scheme") == SCHEMES[scheme]
    assert visible_toggle(page) == (
        "Switch to dark mode" if scheme == "light" else "Switch to light mode"
    )
    changes: list[str] = page.evaluate("window.__colourChanges")
    # The page is built light: a light reader's page is never restyled; a dark one's once.
    if scheme == "light":
        assert changes == ["data-md-color-media"]
    else:
        assert changes.count("data-md-color-switching") == 2  # set, then removed
        assert "data-md-color-scheme" in changes
    assert page.get_attribute("meta[name='color-scheme']", "content") in ("normal", "light", "dark")


def test_the_toggle_switches_and_the_choice_is_kept(
    preferring: tuple[str, BrowserContext], site: Site
) -> None:
    """Pressing the toggle switches the scheme and the header's colour; the next page keeps it,
    with no restyle as it loads."""
    scheme, context = preferring
    page = open_page(context, site, "")
    # The header is teal in both schemes (mkdocs.yml), so the browser's UI follows the scheme.
    before = page.get_attribute("meta[name='color-scheme']", "content")
    other = "dark" if scheme == "light" else "light"
    page.locator(PALETTE_TOGGLE).click()
    page.wait_for_function(
        "(scheme) => document.body.dataset.mdColorScheme === scheme", arg=SCHEMES[other]
    )
    assert visible_toggle(page) == (
        "Switch to light mode" if other == "dark" else "Switch to dark mode"
    )
    page.wait_for_function("() => !document.body.hasAttribute('data-md-color-switching')")
    page.wait_for_function(
        "(before) => document.querySelector('meta[name=\"color-scheme\"]').content !== before",
        arg=before,
    )
    assert page.get_attribute("meta[name='color-scheme']", "content") == other

    again = open_page(context, site, "go/")
    assert again.get_attribute("body", "data-md-color-scheme") == SCHEMES[other]
    # Material's own inline script applied the kept choice before the first paint: the page's
    # script found nothing to change.
    assert "data-md-color-switching" not in again.evaluate("window.__colourChanges")
