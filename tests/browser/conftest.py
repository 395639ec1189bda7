"""Fixtures of the Chromium suite: the served site, Debian's Chromium, recorded contexts.

The site is the one build of the run (tests/conftest.py, ``served_site``): built with
``SITE_URL=http://127.0.0.1:<port>/playbook/`` and served from ``/playbook/`` only, like a
GitHub Pages project site, so any URL that ignores the sub-path fails. Every request a browser
context makes, Web Workers included, goes through a recorder that lets the site's own origin
through and aborts (and keeps) everything else.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Playwright, sync_playwright

from .harness import (
    AXE_SCRIPT,
    CHROMIUM,
    CHROMIUM_ARGS,
    Session,
    Site,
    axe_violations,
    record,
)
from .pages import close_context


@pytest.fixture(scope="session")
def site(served_site: Site) -> Site:
    """The site built once for this run (tests/conftest.py), served under /playbook/."""
    return served_site


def chromium_missing(message: str) -> None:
    """Fail in CI, where a missing browser is a broken setup; skip on a developer's machine."""
    if os.environ.get("CI"):
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    """Start Playwright's driver once per run."""
    # The site has a service worker; without this, Chromium's requests made *by* the worker
    # would bypass the recorder's routing and events, a blind spot in the privacy proof
    # (tests/browser/test_offline.py checks the recorder sees them).
    os.environ.setdefault("PW_EXPERIMENTAL_SERVICE_WORKER_NETWORK_EVENTS", "1")
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    """Launch Debian's Chromium, headless, once per run (Playwright's own build is not used)."""
    if not (CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK)):
        chromium_missing(f"{CHROMIUM} is missing: run 'make chromium' (apt-get install chromium).")
    instance = playwright.chromium.launch(
        executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
    )
    try:
        yield instance
    finally:
        instance.close()


# The site's Content-Security-Policy (hooks/csp.py) blocks a request to another origin in the
# browser, before it reaches the recorder. A test of the recorder itself, which needs such a
# request to reach it, carries @pytest.mark.bypass_csp: its context ignores the page's policy.
BYPASS_CSP = "bypass_csp"


@pytest.fixture
def session(browser: Browser, site: Site, request: pytest.FixtureRequest) -> Iterator[Session]:
    """Open a fresh, recorded browser context (no cache, no storage) for one test."""
    bypass_csp = request.node.get_closest_marker(BYPASS_CSP) is not None
    context = browser.new_context(bypass_csp=bypass_csp)
    try:
        log = record(context, site.origin)
        yield Session(site=site, context=context, log=log)
    finally:
        close_context(context)


@pytest.fixture
def axe() -> Callable[[Page], list[dict[str, Any]]]:
    """axe-core's WCAG 2.1 AA check for a page in any state: `axe(page)` returns its violations.

    See harness.axe_violations (the same function) and impact_counts / describe_violations.
    """
    if not AXE_SCRIPT.is_file():
        pytest.fail(f"{AXE_SCRIPT} is missing: run 'make deps' (npm ci).", pytrace=False)
    return axe_violations


@pytest.fixture
def reader(browser: Browser, site: Site) -> Iterator[BrowserContext]:
    """A reader's fresh browser context (own storage, downloads allowed), recorded: the test
    also proves that no request left the site."""
    context = browser.new_context(accept_downloads=True)
    log = record(context, site.origin)
    try:
        yield context
    finally:
        close_context(context)
    log.assert_same_origin()


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """After the run, print axe-core's per-page counts (a report, not a test that cannot fail)."""
    from .reports import summary_lines

    for line in summary_lines():
        terminalreporter.write_line(line)
