"""A company's adapted copy in Chromium: it starts, scores, combines, and stays accessible.

The copy is tests/adaptation.py's (ADAPTING.md's worked example: a side removed, a dimension
added, its own name and palette, a page removed), built for the address it is served at. The
assessment page reaches "ready" and scores as CPython does with the copy's bank, in the copy's
wording for a side; the compare page combines two of its codes as CPython does, naming the
sides as its bank does; and axe finds nothing serious in the new palette, light or dark.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page

from assessment import Bank, assess, encode, load_bank
from assessment.codec import decode_response
from assessment.team import combine
from sitekit.server import serve
from tests import adaptation
from tests.conftest import SOURCES_VARIABLE
from tests.strategies import story

from .harness import WCAG_21_AA, Site, assert_no_blocking, record
from .pages import READY_TIMEOUT_MS, ask_result, close_context, fill, wait_for_engine
from .reports import SCHEMES

pytestmark = pytest.mark.browser

# As tests/browser/test_accessibility.py: WCAG 2.1 A/AA and axe-core's best practices.
AXE_TAGS = (*WCAG_21_AA, "best-practice")
# What axe checks in the new palette: the home page, a playbook page, the compare page, and
# the assessment with its result shown (chart, table, buttons).
AXE_PAGES = ("", "go/", "compare/", "assessment/")


@pytest.fixture(scope="module")
def acme(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Site, Bank]]:
    """The adapted copy, built with --strict for the address it is served at, and its bank."""
    project = adaptation.adapted_project(tmp_path_factory.mktemp("acme") / "project")
    root = tmp_path_factory.mktemp("acme-site")
    with serve(root) as site:
        env = {k: v for k, v in os.environ.items() if k != SOURCES_VARIABLE}
        done = subprocess.run(
            [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(root)],
            cwd=project,
            env={**env, "SITE_URL": site.base, "NO_MKDOCS_2_WARNING": "1"},
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        yield site, load_bank(project / "assessment" / "bank.toml")


def as_json(data: Any) -> Any:
    return json.loads(json.dumps(data))


def legend_text(page: Page, question_id: str) -> str:
    """A question's legend as a reader sees it (scrolled to: far groups are laid out late)."""
    legend = page.locator(f"#q-{question_id} legend")
    legend.scroll_into_view_if_needed()
    page.wait_for_function("(el) => el.innerText.trim() !== ''", arg=legend.element_handle())
    return legend.inner_text()


def test_the_assessment_starts_and_scores_with_the_copy_s_bank(
    browser: Browser, acme: tuple[Site, Bank]
) -> None:
    """Ready; a side's own wording shows when it is picked; the result is CPython's."""
    site, bank = acme
    context = browser.new_context()
    log = record(context, site.origin)
    try:
        page = context.new_page()
        page.goto(site.url("assessment/"))
        wait_for_engine(page)
        question, side = next((q, s) for q in bank.questions for s, _ in q.by_relationship)
        page.locator(f'input[name="perspective"][value="{side}"]').check()
        assert dict(question.by_relationship)[side] in legend_text(page, question.id)
        answers = story("no_written_agreement", bank)
        fill(page, answers)
        shown = ask_result(page)
        assert shown == as_json(assess(answers, bank).to_dict())
        assert shown["bank_version"] == adaptation.VERSION
        assert adaptation.NEW_DIMENSION in shown["dimensions"]
    finally:
        close_context(context)
    log.assert_same_origin()


def test_the_compare_page_combines_two_codes(browser: Browser, acme: tuple[Site, Bank]) -> None:
    """Two codes of the copy's edition, one per side: CPython's team result, the bank's names."""
    site, bank = acme
    first, second = (r.id for r in bank.relationships[:2])
    codes = [
        encode(story("healthy", bank), bank, relationship=first, given=date(2026, 5, 4)),
        encode(
            story("no_written_agreement", bank), bank, relationship=second, given=date(2026, 5, 5)
        ),
    ]
    context = browser.new_context(accept_downloads=True)
    log = record(context, site.origin)
    try:
        page = context.new_page()
        page.goto(site.url("compare/"))
        wait_for_engine(page)
        page.locator("#pp-codes").fill("\n".join(codes))
        page.locator("#pp-add-codes").click()
        page.wait_for_selector('#compare-result[data-state="shown"]', timeout=READY_TIMEOUT_MS)
        with page.expect_download() as info:
            page.locator("#pp-download-json").click()
        shown = json.loads(Path(info.value.path()).read_text(encoding="utf-8"))
        expected = combine([decode_response(code, bank) for code in codes], bank)
        assert shown == as_json(expected.to_dict())
        table = page.locator(".pp-team-table thead").inner_text()
        assert all(r.name in table for r in bank.relationships[:2])
        removed = adaptation.REMOVED_RELATIONSHIP
        assert removed not in [o.get_attribute("value") for o in page.locator("option").all()]
    finally:
        close_context(context)
    log.assert_same_origin()


@pytest.mark.parametrize("scheme", list(SCHEMES))
def test_the_new_palette_passes_axe(
    browser: Browser, acme: tuple[Site, Bank], scheme: str, axe: Any
) -> None:
    """The company's primary and accent colours, light and dark: nothing serious or critical
    (the contrast fixes hooks/styles.py writes for them)."""
    site, bank = acme
    context = browser.new_context(color_scheme="dark" if scheme == "dark" else "light")
    log = record(context, site.origin)
    try:
        page = context.new_page()
        for path in AXE_PAGES:
            page.goto(site.url(path))
            page.wait_for_load_state("load")
            assert page.get_attribute("body", "data-md-color-primary") == adaptation.PRIMARY
            assert page.get_attribute("body", "data-md-color-scheme") == SCHEMES[scheme]
            if path == "assessment/":
                wait_for_engine(page)
                fill(page, story("no_written_agreement", bank))
                ask_result(page)
            assert_no_blocking(axe(page, AXE_TAGS), f"{path or '(home)'} ({scheme})")
    finally:
        close_context(context)
    log.assert_same_origin()
