"""The parts of the benchmark that need a real Chromium: the theme floor and the CPU counter.

bench/floors.py makes the theme floor from the built plain page; the benchmark's ratios and
Lighthouse rows compare the site's pages with it, so it must really reach "ready" in Chromium,
under a Python page's Content-Security-Policy and with no request leaving the site. The
benchmark's CPU figures come from bench/machine.py, which must see the renderer's work.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from assessment.selfcheck import fingerprint
from bench.floors import (
    ENGINE_FLOOR,
    FLOOR_DIR,
    PUBLISHED_STDLIB,
    READY_MARK,
    RUNTIME,
    SITE_STDLIB_FLOOR,
    THEME_FLOOR,
    install_floors,
)
from bench.machine import chromium_cpu, cpu_used_s
from sitekit.manifest import load_manifest
from sitekit.server import serve

from .harness import REPO, Site, record, record_csp
from .pages import (
    close_context,
    mark_start,
    search_worker_requests,
    wait_for_engine,
    wait_for_search_worker,
)

pytestmark = pytest.mark.browser

# A second of script on the page's thread.
BUSY_SECOND = "() => { const end = performance.now() + 1000; while (performance.now() < end); }"


@pytest.fixture(scope="module")
def floor_site(built_site: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """A copy of the build with the benchmark's floors installed, served (the shared build is
    left as built)."""
    root = tmp_path_factory.mktemp("floor-site") / "site"
    shutil.copytree(built_site, root)
    install_floors(root, load_manifest(root))
    with serve(root) as site:
        yield site


@contextmanager
def opened_floor(browser: Browser, site: Site, floor: str) -> Iterator[Page]:
    """Open `floor` in a fresh browser for the caller's checks; then fail on any violation of
    the page's policy or any request to another origin."""
    context = browser.new_context()
    log = record(context, site.origin)
    csp = record_csp(context)
    try:
        page = context.new_page()
        page.goto(site.url(f"{FLOOR_DIR}/{floor}"))
        yield page
        assert csp.all_violations(page) == []
    finally:
        close_context(context)
    log.assert_same_origin()


def test_the_theme_floor_reaches_ready_within_the_policy(
    browser: Browser, floor_site: Site
) -> None:
    """The theme floor's Python answers its one call, with no policy violation and no request
    to another origin, and Material's search index waits for it as on the site's Python pages:
    it measures the design, not a broken page."""
    with opened_floor(browser, floor_site, THEME_FLOOR) as page:
        assert wait_for_engine(page) == "ready"
        assert page.locator(".md-header").count() == 1, "the theme's header is missing"
        assert page.locator("#pp-form").count() == 0
        ready = mark_start(page, READY_MARK)
        wait_for_search_worker(page)
        started = search_worker_requests(page)
        assert len(started) == 1 and started[0] >= ready, (started, ready)


def test_the_engine_floor_runs_the_engine_within_the_policy(
    browser: Browser, floor_site: Site
) -> None:
    """The engine floor's worker is the site's engine: its one call is the engine's self-check,
    answered by the shipped package, with no policy violation and no request elsewhere."""
    with opened_floor(browser, floor_site, ENGINE_FLOOR) as page:
        answer = json.loads(wait_for_engine(page))
        assert answer["engine"] == fingerprint(REPO / "assessment")
        assert answer["bytecode"] is True
        assert page.locator("#pp-form").count() == 0


@pytest.mark.parametrize(
    ("floor", "published"),
    [("floor-worker.html", True), ("floor-main.html", True), (SITE_STDLIB_FLOOR, False)],
)
def test_each_loadpyodide_floor_runs_the_standard_library_it_names(
    browser: Browser, floor_site: Site, floor: str, published: bool
) -> None:
    """The `loadPyodide()` floors start Pyodide as published, standard library included; the
    worker floor asked for the site's library starts with the build's compiled one instead."""
    context = browser.new_context()
    log = record(context, floor_site.origin)
    try:
        page = context.new_page()
        page.goto(floor_site.url(f"{FLOOR_DIR}/{floor}"))
        wait_for_engine(page)
    finally:
        close_context(context)
    libraries = [url for url in log.requests if url.split("?")[0].endswith("stdlib.zip")]
    manifest = load_manifest(floor_site.root)
    site_library = floor_site.url(f"{manifest.pyodide.base}{RUNTIME.PYODIDE_STDLIB}")
    expected = floor_site.url(f"{FLOOR_DIR}/{PUBLISHED_STDLIB}") if published else site_library
    assert libraries == [expected]


def test_the_cpu_counter_counts_the_renderers(browser: Browser) -> None:
    """While a page runs a second of script, the counter's figure covers what Chromium itself
    reports for its renderers: it reads every process, not only the browser's own."""
    cdp = browser.new_browser_cdp_session()

    def renderers_cpu_s() -> float:
        """The CPU time Chromium reports for its renderer processes (DevTools' SystemInfo)."""
        info = cdp.send("SystemInfo.getProcessInfo")["processInfo"]
        return float(sum(process["cpuTime"] for process in info if process["type"] == "renderer"))

    page = browser.new_page()
    try:
        page.goto("about:blank")
        before, reported = chromium_cpu(), renderers_cpu_s()
        page.evaluate(
            "() => { const end = performance.now() + 1000; while (performance.now() < end); }"
        )
        counted = cpu_used_s(before, chromium_cpu())
        reported = renderers_cpu_s() - reported
    finally:
        page.close()
        cdp.detach()
    assert reported >= 0.2, f"a second of script: Chromium reports {reported:.2f} s of CPU"
    # The two read the same clocks a moment apart: 0.1 s covers the gap.
    assert counted >= reported - 0.1, f"counted {counted:.2f} s, Chromium reports {reported:.2f} s"
