"""Fixtures of the Chromium suite: the served site, Debian's Chromium, recorded contexts.

The site is the one build of the run (tests/conftest.py, ``served_site``): built with
``SITE_URL=http://127.0.0.1:<port>/playbook/`` and served from ``/playbook/`` only, like a
GitHub Pages project site, so any URL that ignores the sub-path fails. Every request a browser
context makes, Web Workers included, goes through a recorder that lets the site's own origin
through and aborts (and keeps) everything else.

Two kinds of reader's browser:

- ``reader`` (and ``session``): a fresh context, nothing cached or stored: a first visit, with
  Python started cold. For what a first visit does, and for every test that changes the browser
  itself (routes, init scripts, offline), since those changes cannot be taken back.
- ``returning_reader``: one persistent Chromium profile for the whole run that has already
  started Python on every page that does (HTTP cache, V8's code cache, the compiled
  WebAssembly and the offline service worker are in it), as a reader's own browser is on a
  later visit. Each test gets it with the site's local storage emptied and leaves with its
  pages closed. Python starts faster there than in a fresh context, which is what keeps the
  suite's time in bounds.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Playwright, sync_playwright

from .harness import (
    AXE_SCRIPT,
    CHROMIUM,
    CHROMIUM_ARGS,
    RequestLog,
    Session,
    Site,
    axe_violations,
    record,
)
from .pages import close_context, python_pages, wait_for_engine


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


@pytest.fixture(scope="session")
def returning_profile(
    playwright: Playwright, browser: Browser, site: Site, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[BrowserContext, Page, RequestLog]]:
    """A persistent Chromium profile that has started Python on each page that does, once.

    `browser` comes first only so that a missing Chromium fails or skips here as everywhere.
    """
    profile = tmp_path_factory.mktemp("returning-profile")
    context = playwright.chromium.launch_persistent_context(
        profile,
        executable_path=str(CHROMIUM),
        headless=True,
        args=CHROMIUM_ARGS,
        accept_downloads=True,
    )
    try:
        # Watched, not routed: routing would turn off the HTTP cache this browser is for.
        log = record(context, site.origin, intercept=False)
        # The profile's own first tab stays open on the site, for emptying its storage.
        keeper = context.pages[0] if context.pages else context.new_page()
        for path in python_pages(Path(site.root)):
            page = context.new_page()
            page.goto(site.url(path))
            wait_for_engine(page)
            page.close()
        keeper.goto(site.url("404.html"))
        log.assert_same_origin()
        yield context, keeper, log
    finally:
        close_context(context)


@pytest.fixture
def returning_reader(
    returning_profile: tuple[BrowserContext, Page, RequestLog], site: Site
) -> Iterator[BrowserContext]:
    """A returning reader's browser with no saved answers (the site's storage emptied), whose
    pages are closed after the test; the test also proves that no request left the site.

    Never route it or add init scripts to it: that would outlast the test (use `reader`). Its
    requests are logged, not routed (sitekit.recorder.record's `intercept`), so that its HTTP
    cache works as a reader's does.
    """
    context, keeper, log = returning_profile
    # Emptied by the browser itself, which answers once it is done: a clear() run in a tab
    # reaches the browser when that tab sends it, and under load that can be after the test's
    # own tab saved its first answers (and then takes them away).
    context.new_cdp_session(keeper).send(
        "Storage.clearDataForOrigin", {"origin": site.origin, "storageTypes": "local_storage"}
    )
    mark = log.mark()
    # A module may keep a page of this browser open across its tests: only the test's own go.
    kept_open = set(context.pages)
    try:
        yield context
    finally:
        for page in context.pages:
            if page not in kept_open:
                page.close()
    log.since(mark).assert_same_origin()


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
    also proves that no request left the site. Watched, not routed, so that a second tab or a
    reload finds the HTTP cache and the compiled WebAssembly of the first, as a reader's does."""
    context = browser.new_context(accept_downloads=True)
    log = record(context, site.origin, intercept=False)
    try:
        yield context
    finally:
        close_context(context)
    log.assert_same_origin()


@pytest.fixture
def watched_reader(browser: Browser, site: Site) -> Iterator[BrowserContext]:
    """A reader's fresh browser context whose requests are watched, not routed (routing would
    turn off the HTTP cache a first visit fills); the test also proves that some requests were
    made and none left the site."""
    context = browser.new_context(accept_downloads=True)
    log = record(context, site.origin, intercept=False)
    try:
        yield context
    finally:
        close_context(context)
    assert log.requests
    log.assert_same_origin()


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """After the run, print axe-core's per-page counts (a report, not a test that cannot fail)."""
    from .reports import summary_lines

    for line in summary_lines():
        terminalreporter.write_line(line)
