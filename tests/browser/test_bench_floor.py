"""The benchmark's theme floor starts Python under the theme's own page and policy.

bench/floors.py makes it from the built plain page; the benchmark's ratios and Lighthouse
rows compare the site's pages with it, so it must really reach "ready" in Chromium, with the
theme's Content-Security-Policy in force and no request leaving the site.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser

from bench.floors import FLOOR_DIR, THEME_FLOOR, install_floors
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
