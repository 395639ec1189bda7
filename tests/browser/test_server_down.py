"""The site's server unreachable while the browser says it is online (a dropped VPN, a stopped
intranet server, a gateway answering 502, a server that never answers): a returning reader's
pages and Python engine come from the service worker's kept copies, as they do offline."""

from __future__ import annotations

import json
from collections.abc import Callable
from contextlib import ExitStack

import pytest
from playwright.sync_api import Browser, BrowserContext, Route

from assessment import assess, load_bank
from assessment.examples import SCENARIOS
from sitekit.server import serve

from .harness import Site
from .pages import (
    ASSESSMENT,
    ask_result,
    close_context,
    fill,
    manifest,
    wait_for_engine,
    wait_until_kept,
)

pytestmark = pytest.mark.browser

BANK = load_bank()
# A playbook page that links to the assessment.
PLAYBOOK_PAGE = "stay/"


def engine_files(site: Site) -> set[str]:
    """The URLs (without their query) of every file the assessment page needs to score: the
    page, its scripts and the whole Python runtime, as the manifest names them."""
    built = manifest(site.root)
    runtime = [built["pyodide"]["base"] + name for name in built["pyodide"]["files"]]
    runtime += [built["pyscript"]["base"] + built["pyscript"]["entry"]]
    runtime += [built["package"]["base"] + name for name in built["package"]["files"]]
    runtime += [built["config"], built["interpreter"], "runtime/manifest.json"]
    page = [ASSESSMENT, f"{ASSESSMENT}main.py", f"{ASSESSMENT}app.js"]
    return {site.url(path) for path in [*page, *runtime]}


def first_visit(context: BrowserContext, site: Site) -> None:
    """Read a playbook page and use the assessment once, online, until the service worker has
    kept what they need."""
    page = context.new_page()
    page.goto(site.url(PLAYBOOK_PAGE))
    with page.expect_navigation():
        page.locator(f'a[href$="{ASSESSMENT}"]').first.click()
    wait_for_engine(page)
    wait_until_kept(page, {site.url(PLAYBOOK_PAGE), *engine_files(site)})
    # Left to the browser's HTTP cache, the runtime could come from there for a while after
    # the server went away (as long as the host's headers let it); with that cache emptied,
    # only the service worker's kept copies can serve it, whatever the host sent.
    context.new_cdp_session(page).send("Network.clearBrowserCache")
    page.close()


# Requests held by `hanging`, never answered.
HELD: list[Route] = []


def gateway_error(route: Route) -> None:
    """Answer as a reverse proxy does when the server behind it is down."""
    route.fulfill(status=502, content_type="text/html", body="<h1>502 Bad Gateway</h1>")


def stopped(server: ExitStack, context: BrowserContext, site: Site) -> None:
    """Stop the site's server: every request is refused, as from a server that is down."""
    server.close()


def behind_a_failing_gateway(server: ExitStack, context: BrowserContext, site: Site) -> None:
    """Keep the server running, but have every request of the site answered 502."""
    context.route(f"{site.base}**", gateway_error)


def hanging(server: ExitStack, context: BrowserContext, site: Site) -> None:
    """Keep every request of the site waiting, never answered: a server that accepts
    connections and hangs, or one behind a VPN that drops packets rather than refusing them."""
    context.route(f"{site.base}**", lambda route: HELD.append(route))


@pytest.mark.parametrize("cut_off", [stopped, behind_a_failing_gateway, hanging])
def test_a_revisited_assessment_scores_with_the_server_unreachable(
    browser: Browser,
    site: Site,
    cut_off: Callable[[ExitStack, BrowserContext, Site], None],
) -> None:
    """With the server gone and the browser online, the pages open and the assessment scores."""
    with ExitStack() as server:
        # A server of its own, serving the run's built site, that the test can stop (pages
        # find their files relative to themselves, so the port does not matter).
        own = server.enter_context(serve(site.root))
        # Watched, not routed: routing would turn off the HTTP cache the first visit uses.
        context = browser.new_context()
        requested: list[str] = []
        context.on("request", lambda request: requested.append(request.url))
        try:
            first_visit(context, own)
            cut_off(server, context, own)
            # A request of the pages' own (not the service worker's) that fails once the server
            # is gone was not answered from a kept copy: named if the engine does not start.
            unanswered: list[str] = []
            context.on(
                "requestfailed",
                lambda request: (
                    unanswered.append(f"{request.url} ({request.failure})")
                    if request.service_worker is None
                    else None
                ),
            )
            page = context.new_page()
            page.goto(own.url(PLAYBOOK_PAGE))
            assert page.evaluate("navigator.onLine") is True
            assert page.locator("article h1").inner_text()
            # A reader follows the link to the assessment: the kept page, and the kept engine.
            with page.expect_navigation():
                page.locator(f'a[href$="{ASSESSMENT}"]').first.click()
            try:
                wait_for_engine(page)
            except AssertionError as error:
                raise AssertionError(
                    f"{error}; not answered from a kept copy: {unanswered}"
                ) from None
            answers = SCENARIOS[0].answers(BANK)
            fill(page, answers)
            assert ask_result(page) == json.loads(json.dumps(assess(answers).to_dict()))
        finally:
            close_context(context)
            HELD.clear()
    # blob: and data: URLs are made inside the page (PyScript's worker, Material's icons).
    remote = [url for url in requested if not url.startswith(("blob:", "data:"))]
    assert remote and [url for url in remote if not url.startswith(own.origin)] == []
