"""Material's search on a page that starts Python: held back while Python starts, never lost.

docs/javascripts/search-later.js keeps Material's search worker (which builds the search index)
from starting until the page's engine has settled or the reader reaches for search.
"""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, Route

from sitekit.pages import ready_mark

from .harness import Session
from .pages import (
    ASSESSMENT,
    PYODIDE_WASM,
    mark_start,
    open_page,
    search_worker_requests,
    wait_for_engine,
    wait_for_search_worker,
    wait_for_state,
)

pytestmark = pytest.mark.browser

QUERY = "notice"
RESULT = ".md-search-result__item"


def search_finds(page: Page, query: str = QUERY) -> int:
    """Open search with its keyboard shortcut, type `query`; return how many results it lists."""
    page.keyboard.press("/")
    page.keyboard.type(query)
    page.wait_for_selector(RESULT, timeout=30_000)
    return page.locator(RESULT).count()


def test_on_the_assessment_page_search_starts_once_python_is_ready(session: Session) -> None:
    """The search index is built after the engine is ready, and search then finds pages."""
    page, errors = open_page(session, ASSESSMENT)
    wait_for_engine(page)
    ready = mark_start(page, ready_mark(session.site.root, ASSESSMENT))
    wait_for_search_worker(page)
    started = search_worker_requests(page)
    assert len(started) == 1 and started[0] >= ready, (started, ready)
    assert search_finds(page) > 0
    assert not errors


def test_on_a_plain_page_search_starts_at_once(session: Session) -> None:
    """A page without Python loads no holding script, and its search worker starts with it."""
    page, errors = open_page(session, "stay/")
    page.wait_for_load_state("load")
    assert page.locator("script[src*='search-later']").count() == 0
    wait_for_search_worker(page)
    assert search_finds(page) > 0
    assert not errors


@pytest.mark.parametrize("reach", ["shortcut", "search-field"])
def test_search_used_while_python_loads_works_at_once(session: Session, reach: str) -> None:
    """With Python's start held up, a reader who opens search gets results straight away."""
    held: list[Route] = []

    def hold_wasm(route: Route) -> None:
        """Keep Pyodide's WebAssembly from arriving (the preflight's HEAD goes through)."""
        if route.request.method == "GET":
            held.append(route)
        else:
            route.continue_()

    session.context.route(PYODIDE_WASM, hold_wasm)
    page, errors = open_page(session, ASSESSMENT)
    page.wait_for_load_state("load")
    page.wait_for_timeout(500)
    assert search_worker_requests(page) == []
    if reach == "shortcut":
        found = search_finds(page)
    else:
        page.locator(".md-search__input").click()
        page.keyboard.type(QUERY)
        page.wait_for_selector(RESULT, timeout=30_000)
        found = page.locator(RESULT).count()
    assert found > 0
    assert page.locator("#py-status").get_attribute("data-state") == "loading"
    # Python, let through now, still starts.
    page.keyboard.press("Escape")
    for route in held:
        route.continue_()
    session.context.unroute(PYODIDE_WASM)
    wait_for_state(page, "ready")
    assert not errors


def test_search_is_released_when_python_cannot_start(session: Session) -> None:
    """If the engine fails, search does not wait for it."""

    def refuse(route: Route) -> Any:
        return route.fulfill(status=404, body="gone")

    session.context.route(PYODIDE_WASM, refuse)
    page, _ = open_page(session, ASSESSMENT)
    wait_for_engine(page, "error")
    wait_for_search_worker(page)
    assert search_finds(page) > 0
