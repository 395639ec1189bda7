"""The self-hosted Python runtime in Debian's Chromium: the assessment page under a sub-path."""

from __future__ import annotations

import ast
import json
import re
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import pytest
from playwright.sync_api import ConsoleMessage, Page, Route

from .harness import REPO, Session

pytestmark = pytest.mark.browser

# Pyodide starts in about three seconds on a 2-core machine; leave room for a loaded CI host.
READY_TIMEOUT_MS = 120_000
# What Pyodide's loadPyodide fetches: all of it must come from the site itself.
PYODIDE_FILES = (
    "pyodide.mjs",
    "pyodide.asm.mjs",
    "pyodide.asm.wasm",
    "python_stdlib.zip",
    "pyodide-lock.json",
)
# The assessment page's own modules around Pyodide (served from assessment/, not runtime/).
PAGE_MODULES = ("interpreter.mjs", "snapshot-worker.mjs")
# Where the worker's Python sees the shipped package (Pyodide's home directory).
WORKER_PACKAGE = "/home/pyodide/assessment/__init__.py"
# A request whose path holds any of these belongs to the Python runtime...
RUNTIME_NEEDLES = ("pyodide", "pyscript", "python_stdlib", ".wasm", "/runtime/")
# ...and one for a file of Pyodide or PyScript themselves (not the page's own pyscript.json).
RUNTIME_FILES = ("/pyodide/", "/pyscript/", "python_stdlib", ".wasm", ".mjs")


def open_page(session: Session, path: str) -> tuple[Page, list[str]]:
    """Open `path` of the site in a new page; return it and the list its console errors fill."""
    page = session.context.new_page()
    errors: list[str] = []

    def on_console(message: ConsoleMessage) -> None:
        """Keep the page's console errors; PyScript's warnings are not failures."""
        if message.type == "error":
            errors.append(message.text)

    page.on("console", on_console)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(session.site.url(path))
    return page, errors


def wait_for_engine(page: Page, state: str = "ready") -> str:
    """Wait until the status line leaves "loading"; fail unless it reached `state`."""
    status = page.locator("#py-status")
    page.wait_for_function(
        "() => document.getElementById('py-status').dataset.state !== 'loading'",
        timeout=READY_TIMEOUT_MS,
    )
    text = status.inner_text()
    assert status.get_attribute("data-state") == state, text
    return text


def call_engine(page: Page, function: str) -> Any:
    """Call one of app.js's exported bridge functions from the page, the way its UI does."""
    return page.evaluate(
        """async (name) => {
            const src = document.querySelector('script[type="module"][src$="app.js"]').src;
            const bridge = await import(src);
            return bridge[name]();
        }""",
        function,
    )


def wait_until(condition: Callable[[], bool], page: Page, timeout_s: float = 30.0) -> None:
    """Let the page run until `condition` holds, or fail after `timeout_s` seconds."""
    deadline = time.monotonic() + timeout_s
    while not condition():
        assert time.monotonic() < deadline, "condition not met in time"
        page.wait_for_timeout(100)


def test_engine_ready_and_runs_the_shipped_package(session: Session) -> None:
    """The page says "loading", then "ready", and its worker really imported runtime/assessment."""
    served = (session.site.root / "assessment" / "index.html").read_text(encoding="utf-8")
    assert re.search(r'id="py-status"[^>]*data-state="loading"', served)
    assert "Loading the scoring engine" in served

    page, errors = open_page(session, "assessment/")
    assert "ready" in wait_for_engine(page)
    assert page.evaluate("performance.getEntriesByName('assessment-engine-ready').length") == 1

    engine = call_engine(page, "ping")
    source = (REPO / "assessment" / "__init__.py").read_text(encoding="utf-8")
    assert engine["engine"] == ast.get_docstring(ast.parse(source), clean=False)
    assert engine["module"] == WORKER_PACKAGE
    assert engine["python"].startswith("3.")
    assert session.site.url("runtime/assessment/__init__.py") in session.log.requests
    assert errors == []


def test_python_runs_in_a_worker_without_isolation_headers(session: Session) -> None:
    """Pyodide loads in a Web Worker, never on the page's thread, with no COOP/COEP headers."""
    page, _ = open_page(session, "assessment/")
    wait_for_engine(page)
    # The page's own resource timeline lists only what its thread fetched. The page fetches
    # the runtime files as data (to detect a missing file and warm the cache: initiator
    # "fetch") but never loads one as a script or module: only the worker runs them.
    page_loaded: list[str] = page.evaluate(
        "performance.getEntriesByType('resource')"
        ".filter((entry) => entry.initiatorType !== 'fetch').map((entry) => entry.name)"
    )
    wasm = session.site.url("runtime/pyodide/pyodide.asm.wasm")
    assert wasm in session.log.requests
    assert not [url for url in page_loaded if "/runtime/pyodide/" in url]
    assert page.evaluate("typeof globalThis.loadPyodide") == "undefined"
    assert len(page.workers) >= 1
    assert page.evaluate("crossOriginIsolated") is False


def test_no_request_leaves_the_site(session: Session) -> None:
    """The assessment page and a plain page fetch everything, Python included, from the site."""
    page, _ = open_page(session, "assessment/")
    wait_for_engine(page)
    page.goto(session.site.url(""))
    page.wait_for_load_state("networkidle")

    log = session.log
    log.assert_same_origin()
    assert log.blocked == []
    assert log.failed == []
    runtime = log.matching(*RUNTIME_FILES)
    assert runtime, "the assessment page loaded no runtime"
    # The runtime's files, and the page's own module that starts Pyodide (interpreter.mjs),
    # with the worker that keeps its snapshot.
    own_modules = {session.site.url(f"assessment/{name}") for name in PAGE_MODULES}
    outside = [url for url in runtime if not url.startswith(session.site.url("runtime/"))]
    assert set(outside) <= own_modules, outside
    for name in PYODIDE_FILES:
        assert session.site.url(f"runtime/pyodide/{name}") in log.requests, name
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
    assessment = session.site.root / "assessment" / "index.html"
    for html in sorted(session.site.root.rglob("*.html")):
        if html != assessment:
            found = reference.search(html.read_text(encoding="utf-8"))
            assert found is None, f"{html.relative_to(session.site.root)}: {found and found[0]}"


def test_runtime_urls_follow_the_sub_path(session: Session) -> None:
    """Every runtime URL the page computes resolves under /playbook/, to a file the site serves."""
    site = session.site
    page, _ = open_page(session, "assessment/")
    wait_for_engine(page)

    urls = page.evaluate(
        """() => {
            const worker = document.querySelector('script[type="py"][worker]');
            return {
                app: document.querySelector('script[type="module"][src$="app.js"]').src,
                main: new URL(worker.getAttribute("src"), location.href).href,
                config: new URL(worker.getAttribute("config"), location.href).href,
            };
        }"""
    )
    assert urls == {
        "app": site.url("assessment/app.js"),
        "main": site.url("assessment/main.py"),
        "config": site.url("assessment/pyscript.json"),
    }
    config = json.loads((site.root / "assessment" / "pyscript.json").read_text(encoding="utf-8"))
    # A worker's config URLs resolve against the config file's own URL.
    assert urljoin(urls["config"], config["interpreter"]) == site.url("assessment/interpreter.mjs")

    files: dict[str, str] = config["files"]
    templates = {key: value for key, value in files.items() if re.fullmatch(r"\{\w+\}", key)}
    shipped = []
    for source in files:
        if source not in templates:
            for key, value in templates.items():
                source = source.replace(key, value)
            shipped.append(urljoin(urls["config"], source))
    modules = sorted(Path(urlsplit(url).path).name for url in shipped if url.endswith(".py"))
    assert modules == sorted(path.name for path in (REPO / "assessment").glob("*.py"))
    for url in shipped:
        assert url.startswith(site.url("runtime/assessment/")), url
        assert url in session.log.requests, url
    assert [url for url in session.log.requests if urlsplit(url).path.startswith("/runtime/")] == []
    assert session.log.failed == []
    # Branch-deployed GitHub Pages runs Jekyll, which drops __init__.py unless told not to.
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

    session.context.route("**/assessment/pyscript.json", without_interpreter)
    page, _ = open_page(session, "assessment/")
    wait_until(lambda: bool(session.log.foreign()), page)
    assert [url for url in session.log.foreign() if url.endswith("/pyodide.mjs")]
    assert "could not load" in wait_for_engine(page, state="error")
