"""The benchmark's floor in Chromium: it starts the standard library it names (``make bench``)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser

from bench.floors import (
    FLOOR_DIR,
    PUBLISHED_STDLIB,
    RUNTIME,
    SITE_STDLIB_QUERY,
    WORKER_FLOOR,
    install_floors,
)
from sitekit.manifest import load_manifest
from sitekit.server import serve

from .harness import Site, record
from .pages import close_context, wait_for_engine

pytestmark = [pytest.mark.browser, pytest.mark.bench]


@pytest.fixture(scope="module")
def floor_site(built_site: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """A copy of the build with the floor installed, served (the shared build stays as built)."""
    root = tmp_path_factory.mktemp("floor-site") / "site"
    shutil.copytree(built_site, root)
    install_floors(root, load_manifest(root))
    with serve(root) as site:
        yield site


@pytest.mark.parametrize("query", ["", f"?{SITE_STDLIB_QUERY}"])
def test_the_floor_runs_the_standard_library_it_names(
    browser: Browser, floor_site: Site, query: str
) -> None:
    """The floor starts Pyodide with its standard library as published; asked for the site's,
    with the build's compiled one instead; and it reaches "ready" with no other request."""
    context = browser.new_context()
    log = record(context, floor_site.origin)
    try:
        page = context.new_page()
        page.goto(floor_site.url(WORKER_FLOOR + query))
        assert wait_for_engine(page) == "ready"
    finally:
        close_context(context)
    log.assert_same_origin()
    libraries = [url for url in log.requests if url.split("?")[0].endswith("stdlib.zip")]
    manifest = load_manifest(floor_site.root)
    site_library = f"{manifest.pyodide.base}{RUNTIME.PYODIDE_STDLIB}"
    expected = site_library if query else f"{FLOOR_DIR}/{PUBLISHED_STDLIB}"
    assert libraries == [floor_site.url(expected)]
