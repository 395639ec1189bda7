"""Material's search on a page that starts Python: loaded when the reader reaches for it.

docs/javascripts/search-later.js holds back Material's request for the search index and its
search worker (which builds the index) until the reader reaches for search.
"""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, Route

from .harness import Session
from .pages import (
    ASSESSMENT,
    PYODIDE_WASM,
    open_page,
    search_worker_requests,
    wait_for_engine,
    wait_for_search_worker,
    wait_for_state,
)

pytestmark = pytest.mark.browser

QUERY = "notice"
RESULT = ".md-search-result__item"
SEARCH_INDEX = "search/search_index.json"


def index_requests(session: Session) -> list[str]:
    """The requests for the site's search index so far."""
    return [url for url in session.log.requests if url == session.site.url(SEARCH_INDEX)]


def search_finds(page: Page, query: str = QUERY) -> int:
    """Open search with its keyboard shortcut, type `query`; return how many results it lists."""
    page.keyboard.press("/")
    page.keyboard.type(query)
    page.wait_for_selector(RESULT, timeout=30_000)
    return page.locator(RESULT).count()


def test_on_the_assessment_page_search_loads_when_the_reader_reaches_for_it(
    session: Session,
) -> None:
    """Neither the index nor its worker loads while the reader works with the page, Python
    ready; search finds pages as soon as the reader opens it."""
    page, errors = open_page(session, ASSESSMENT)
    wait_for_engine(page)
    page.wait_for_timeout(1_000)
    assert search_worker_requests(page) == []
    assert index_requests(session) == []
    assert search_finds(page) > 0
    assert index_requests(session)
    assert not errors


def test_on_a_plain_page_search_starts_at_once(session: Session) -> None:
    """A page without Python loads no holding script, and its search worker starts with it."""
    page, errors = open_page(session, "stay/")
    page.wait_for_load_state("load")
    assert page.locator("script[src*='search-later']").count() == 0
    wait_for_search_worker(page)
    assert index_requests(session)
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
    assert index_requests(session) == []
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


def test_search_works_when_python_cannot_start(session: Session) -> None:
    """If the engine fails, search still works when the reader reaches for it."""

    def refuse(route: Route) -> Any:
        return route.fulfill(status=404, body="gone")

    session.context.route(PYODIDE_WASM, refuse)
    page, _ = open_page(session, ASSESSMENT)
    wait_for_engine(page, "error")
    assert search_finds(page) > 0
