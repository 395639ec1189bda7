"""The self-hosted Python runtime in Debian's Chromium: the assessment page under a sub-path."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import pytest
from playwright.sync_api import Browser, Page, Route

from assessment.selfcheck import engine_files, fingerprint
from sitekit.pages import ready_mark

from .harness import REPO, Session, Site, record
from .pages import (
    WORKER_PACKAGE,
    archive_members,
    call_engine,
    close_context,
    engine_archive_url,
    manifest,
    open_page,
    pyodide_urls,
    python_pages,
    wait_for_engine,
    wait_until,
)

pytestmark = pytest.mark.browser

# A request whose path holds any of these belongs to the Python runtime...
RUNTIME_NEEDLES = ("pyodide", "pyscript", "python_stdlib", ".wasm", "/runtime/")
# ...and one for a file of Pyodide or PyScript themselves (not the page's own config).
RUNTIME_FILES = ("/pyodide/", "/pyscript/", "python_stdlib", ".wasm", ".mjs")
# The site's own modules around Pyodide (served from javascripts/, not runtime/).
OWN_MODULES = ("javascripts/interpreter-",)


@dataclass(frozen=True)
class FirstVisit:
    """The assessment page opened once in a fresh browser, its engine ready."""

    session: Session
    page: Page
    errors: list[str]
    status: str


@pytest.fixture(scope="module")
def first_visit(browser: Browser, site: Site) -> Iterator[FirstVisit]:
    """One first visit to the assessment page for the module's tests to look at from each side."""
    context = browser.new_context()
    try:
        session = Session(site=site, context=context, log=record(context, site.origin))
        page, errors = open_page(session, "assessment/")
        yield FirstVisit(session, page, errors, wait_for_engine(page))
    finally:
        close_context(context)


def test_engine_ready_and_runs_the_shipped_package(first_visit: FirstVisit) -> None:
    """The page says "loading", then "ready", and its worker really imported the shipped engine."""
    session, page, errors = first_visit.session, first_visit.page, first_visit.errors
    served = (session.site.root / "assessment" / "index.html").read_text(encoding="utf-8")
    assert re.search(r'id="py-status"[^>]*data-state="loading"', served)
    assert "Loading the scoring engine" in served

    assert "ready" in first_visit.status
    # The mark the benchmark times every page and floor by (bench/floors.py).
    mark = ready_mark(session.site.root, "assessment/")
    assert page.evaluate("(mark) => performance.getEntriesByName(mark).length", mark) == 1

    engine = call_engine(page, "ping")
    # The worker's engine was compiled from the package in this repository, byte for byte.
    assert engine["engine"] == fingerprint(REPO / "assessment")
    assert engine["engine"] == manifest(session.site.root)["engine"]
    assert engine["module"] == WORKER_PACKAGE
    assert engine["python"].startswith("3.")
    # The worker imported bytecode made for its own Python: nothing was compiled in the browser.
    assert engine["bytecode"] is True
    # Nor did it compile any of the standard library, which Pyodide publishes as source: the
    # build ships what the worker imports, as bytecode (scripts/compile-engine.mjs). A module
    # named here is one the build did not see imported (a missing one fails the start).
    assert engine["compiled_from_zip"] == []
    assert engine_archive_url(session.site) in session.log.requests
    assert errors == []


def test_the_pages_checks_wait_for_pyscripts_worker(first_visit: FirstVisit) -> None:
    """The page checks the engine's files only once PyScript has made its worker: asked at
    once, the checks took the browser's connections from PyScript's own modules and config."""
    requests = first_visit.session.log.requests
    site = first_visit.session.site
    # Each file's first request (the service worker asks again, to keep them, once ready).
    modules = {url for url in requests if url.startswith(site.url("runtime/pyscript/"))}
    # The page asks for the engine's archive first, as part of its checks (engine.js).
    checks = requests.index(engine_archive_url(site))
    assert modules and max(requests.index(url) for url in modules) < checks, requests[:checks]


def test_python_runs_in_a_worker_without_isolation_headers(first_visit: FirstVisit) -> None:
    """Pyodide loads in a Web Worker, never on the page's thread, with no COOP/COEP headers."""
    session, page = first_visit.session, first_visit.page
    # The page's own resource timeline lists only what its thread fetched. The page fetches
    # the runtime files as data (to detect a missing file and warm the cache: initiator
    # "fetch") but never loads one as a script or module: only the worker runs them.
    page_loaded: list[str] = page.evaluate(
        "performance.getEntriesByType('resource')"
        ".filter((entry) => entry.initiatorType !== 'fetch').map((entry) => entry.name)"
    )
    wasm = next(url for url in pyodide_urls(session.site) if url.endswith(".wasm"))
    assert wasm in session.log.requests
    assert not [url for url in page_loaded if "/runtime/pyodide/" in url]
    assert page.evaluate("typeof globalThis.loadPyodide") == "undefined"
    assert len(page.workers) >= 1
    assert page.evaluate("crossOriginIsolated") is False


def test_no_request_leaves_the_site(first_visit: FirstVisit) -> None:
    """The assessment page and a plain page fetch everything, Python included, from the site."""
    session = first_visit.session
    page, _ = open_page(session, "")
    page.wait_for_load_state("networkidle")

    log = session.log
    log.assert_same_origin()
    assert log.blocked == []
    assert log.failed == []
    runtime = log.matching(*RUNTIME_FILES)
    assert runtime, "the assessment page loaded no runtime"
    # The runtime's files, and the site's own module that starts Pyodide (interpreter.mjs).
    own = [session.site.url(name) for name in OWN_MODULES]
    outside = [url for url in runtime if not url.startswith(session.site.url("runtime/"))]
    assert all(url.startswith(tuple(own)) for url in outside), outside
    for url in pyodide_urls(session.site):
        assert url in log.requests, url
    assert session.site.url("runtime/pyscript/core.js") in log.requests


def test_plain_pages_load_no_python(session: Session) -> None:
    """The home page requests no Pyodide or PyScript file; no other page even refers to one."""
    page, errors = open_page(session, "")
    page.wait_for_load_state("networkidle")
    assert session.log.matching(*RUNTIME_NEEDLES) == []
    assert errors == []

    # A script or stylesheet of the runtime, or a PyScript tag; a mere link to pyodide.org is fine.
    reference = re.compile(
        r"""<(?:script|link)\b[^>]*(?:src|href)=["'][^"']*(?:runtime/|pyscript|pyodide)"""
        r"""|<script\b[^>]*type=["']py""",
        re.IGNORECASE,
    )
    # The pages that compute with Python declare it through the python_engine macro.
    python = {session.site.root / path / "index.html" for path in python_pages(session.site.root)}
    for html in sorted(session.site.root.rglob("*.html")):
        if html not in python:
            found = reference.search(html.read_text(encoding="utf-8"))
            assert found is None, f"{html.relative_to(session.site.root)}: {found and found[0]}"


def test_runtime_urls_follow_the_sub_path(first_visit: FirstVisit) -> None:
    """Every runtime URL the page computes resolves under /playbook/, to a file the site serves."""
    session, page = first_visit.session, first_visit.page
    site = session.site

    built = manifest(site.root)
    build = built["build"]
    urls = page.evaluate(
        """() => {
            const worker = document.querySelector('script[type="py"][worker]');
            return {
                app: document.querySelector('script[type="module"][src*="app.js"]').src,
                main: new URL(worker.getAttribute("src"), location.href).href,
                config: new URL(worker.getAttribute("config"), location.href).href,
            };
        }"""
    )
    # Each of the page's own files carries the build, so a page and its engine never mix builds.
    assert urls == {
        "app": site.url(f"assessment/app.js?v={build}"),
        "main": site.url(f"assessment/main.py?v={build}"),
        "config": site.url(built["config"]),
    }
    assert built["config"] == f"runtime/pyscript-{build}.json"
    config = json.loads((site.root / built["config"]).read_text(encoding="utf-8"))
    # A worker's config URLs resolve against the config file's own URL.
    interpreter = urljoin(urls["config"], config["interpreter"])
    assert interpreter == site.url(f"javascripts/interpreter-{build}.mjs")

    # One archive of the engine, named by the build, unpacked where main.py imports it from.
    [(source, destination)] = config["files"].items()
    archive = urljoin(urls["config"], source)
    assert archive == engine_archive_url(site) == site.url(f"runtime/engine/assessment-{build}.zip")
    assert destination == "./assessment/*"
    assert archive in session.log.requests
    package = built["package"]
    members = archive_members((site.root / package["base"] / package["files"][0]).read_bytes())
    for path in engine_files(REPO / "assessment"):
        if path.suffix == ".py":
            # Shipped as bytecode alone (hooks/runtime.py checks what it holds).
            assert path.name not in members
        else:
            assert members[path.name] == path.read_bytes(), path.name
    # The modules this page runs; not the command line's.
    assert {"__init__.pyc", "web.pyc", "assessment_page.pyc"} <= set(members)
    assert "cli.pyc" not in members
    assert [url for url in session.log.requests if urlsplit(url).path.startswith("/runtime/")] == []
    assert session.log.failed == []
    # Branch-deployed GitHub Pages runs Jekyll, which drops __init__.pyc unless told not to.
    assert (site.root / ".nojekyll").is_file()


@pytest.mark.bypass_csp
def test_recorder_sees_worker_requests(session: Session) -> None:
    """The harness itself: requests made inside a Web Worker are recorded, foreign ones blocked."""
    page, _ = open_page(session, "")
    own = session.site.url("?from-a-worker")
    foreign = "https://cdn.example.invalid/pyodide.mjs"
    page.evaluate(
        """([own, foreign]) => new Promise((resolve) => {
            const code = `fetch(${JSON.stringify(foreign)}).catch(() => null)
                .then(() => fetch(${JSON.stringify(own)}))
                .finally(() => postMessage("done"));`;
            const worker = new Worker(URL.createObjectURL(new Blob([code])));
            worker.onmessage = () => { worker.terminate(); resolve(); };
        })""",
        [own, foreign],
    )
    assert own in session.log.requests
    assert foreign in session.log.blocked
    assert session.log.foreign() == [foreign]


def test_a_cdn_fallback_is_caught(session: Session) -> None:
    """Without the config's `interpreter`, PyScript reaches for a CDN: the recorder catches it."""

    def without_interpreter(route: Route) -> None:
        """Serve the page's PyScript config minus its `interpreter` key."""
        config = route.fetch().json()
        del config["interpreter"]
        route.fulfill(json=config)

    session.context.route("**/runtime/pyscript-*.json", without_interpreter)
    page, _ = open_page(session, "assessment/")
    wait_until(lambda: bool(session.log.foreign()), page)
    assert [url for url in session.log.foreign() if url.endswith("/pyodide.mjs")]
    assert "could not load" in wait_for_engine(page, state="error")
