"""The parts of the benchmark that need a real Chromium: the theme floor and the CPU counter.

bench/floors.py makes the theme floor from the built plain page; the benchmark's ratios and
Lighthouse rows compare the site's pages with it, so it must really reach "ready" in Chromium,
under a Python page's Content-Security-Policy and with no request leaving the site. The
benchmark's CPU figures come from bench/machine.py, which must see the renderer's work.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser

from bench.floors import FLOOR_DIR, THEME_FLOOR, install_floors
from bench.machine import chromium_cpu_s
from sitekit.manifest import load_manifest
from sitekit.server import serve

from .harness import Site, record, record_csp
from .pages import close_context, wait_for_engine

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def floor_site(built_site: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """A copy of the build with the benchmark's floors installed, served (the shared build is
    left as built)."""
    root = tmp_path_factory.mktemp("floor-site") / "site"
    shutil.copytree(built_site, root)
    install_floors(root, load_manifest(root))
    with serve(root) as site:
        yield site


def test_the_theme_floor_reaches_ready_within_the_policy(
    browser: Browser, floor_site: Site
) -> None:
    """The theme floor's Python answers its one call, with no policy violation and no request
    to another origin: it measures the design, not a broken page."""
    context = browser.new_context()
    log = record(context, floor_site.origin)
    csp = record_csp(context)
    try:
        page = context.new_page()
        page.goto(floor_site.url(f"{FLOOR_DIR}/{THEME_FLOOR}"))
        assert wait_for_engine(page) == "ready"
        assert page.locator(".md-header").count() == 1, "the theme's header is missing"
        assert page.locator("#pp-form").count() == 0
        assert csp.all_violations(page) == []
    finally:
        close_context(context)
    log.assert_same_origin()


def test_the_cpu_counter_sees_a_busy_renderer(browser: Browser) -> None:
    """Half a second of script in a page shows in Chromium's CPU time, and an idle second
    adds far less: the counter reads the renderer's processes, not only the browser's."""
    page = browser.new_page()
    try:
        page.goto("about:blank")
        before = chromium_cpu_s()
        page.evaluate(
            "() => { const end = performance.now() + 500; while (performance.now() < end); }"
        )
        busy = chromium_cpu_s() - before
        page.wait_for_timeout(1_000)
        idle = chromium_cpu_s() - before - busy
    finally:
        page.close()
    assert busy >= 0.4, f"0.5 s of script counted as {busy:.2f} s"
    assert idle < busy / 2, f"an idle second counted as {idle:.2f} s"
