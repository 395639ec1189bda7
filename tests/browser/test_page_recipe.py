"""Recipe 3 of CONTRIBUTING.md: a fourth page that runs Python, in four files, works.

The fixture (tests/data/page-recipe/) is the recipe's example: an engine module, the page's
main.py, its Markdown and its script. Copied into a copy of the project with nothing else
changed but one navigation line, it builds, gets its worker, status line, manifest, policy and
versioned files from the build, and answers in Chromium with the engine's own words.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser

from sitekit.server import serve
from tests.conftest import build_site, copy_project

from .harness import REPO, Site, load_hook, record
from .pages import close_context, wait_for_engine

pytestmark = pytest.mark.browser

FIXTURE = REPO / "tests" / "data" / "page-recipe"
PAGE = "greeting/"
# The four files of the recipe, and where each goes in the project.
RECIPE = {
    "greeting_page.py": Path("assessment") / "greeting_page.py",
    "main.py": Path("docs") / "greeting" / "main.py",
    "index.md": Path("docs") / "greeting" / "index.md",
    "app.js": Path("docs") / "greeting" / "app.js",
}


def add_recipe_page(project: Path) -> None:
    """Copy the recipe's four files into the project and list the page in the navigation."""
    for name, target in RECIPE.items():
        (project / target).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(FIXTURE / name, project / target)
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace("\nnav:\n", "\nnav:\n  - Greetings: greeting/index.md\n", 1))


@pytest.fixture(scope="module")
def recipe_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """A copy of the project with the recipe's page added, built and served."""
    project = copy_project(tmp_path_factory.mktemp("recipe") / "project")
    add_recipe_page(project)
    root = tmp_path_factory.mktemp("recipe-site")
    with serve(root) as site:
        done = build_site(root, project, site_url=site.base)
        assert done.returncode == 0, done.stderr
        yield site


def test_the_build_gives_the_page_what_a_python_page_needs(recipe_site: Site) -> None:
    """Worker, status line, manifest, versioned script and the Python pages' policy."""
    html = (Path(recipe_site.root) / PAGE / "index.html").read_text(encoding="utf-8")
    marker = load_hook("python_page").MARKER
    assert f'{marker} name="greeting" src="main.py?v=' in html
    assert 'id="py-status"' in html and 'data-noun="The greeter"' in html
    assert 'id="pp-runtime-manifest"' in html
    assert '<script type="module" src="app.js?v=' in html
    assert "'wasm-unsafe-eval'" in html and "worker-src 'self' blob:" in html


def test_the_page_answers_with_the_engine_s_words(browser: Browser, recipe_site: Site) -> None:
    """Ready, then a greeting and a refusal, both worded by the engine; nothing leaves."""
    context = browser.new_context()
    log = record(context, recipe_site.origin)
    try:
        page = context.new_page()
        page.goto(recipe_site.url(PAGE))
        assert "The greeter is ready" in wait_for_engine(page)
        page.locator("#pp-name").fill("  Ada ")
        page.locator("#pp-greet").click()
        page.wait_for_function("() => document.getElementById('pp-greeting').textContent")
        assert page.locator("#pp-greeting").inner_text() == "Hello, Ada."
        page.locator("#pp-name").fill("")
        page.locator("#pp-greet").click()
        page.wait_for_function(
            "() => document.getElementById('pp-greeting').textContent === 'Type a name first.'"
        )
    finally:
        close_context(context)
    log.assert_same_origin()
