"""A deploy while readers have the site cached: the page and its engine always share one build.

Served as GitHub Pages serves it (`Cache-Control: max-age=600`), so a returning reader's browser
reuses files without asking the server, the site is rebuilt with a new bank version, and the
reader comes back.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from assessment import encode, load_bank
from assessment.codec import decode_response
from assessment.examples import SCENARIOS
from assessment.team import combine
from sitekit.server import serve
from tests.conftest import copy_project

from .harness import Site
from .pages import (
    ASSESSMENT,
    ENGINE_ARCHIVE,
    READY_TIMEOUT_MS,
    archive_changed,
    ask_result,
    call_engine,
    close_context,
    fill,
    form_answers,
    wait_for_state,
)

pytestmark = pytest.mark.browser

BANK = load_bank()
NEW_VERSION = f"{BANK.version}.9"


def build(project: Path, site: Site) -> None:
    """Build `project` into the served folder, as a deploy replaces a site."""
    shutil.rmtree(site.root, ignore_errors=True)
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(site.root)],
        cwd=project,
        env={**os.environ, "SITE_URL": site.base, "NO_MKDOCS_2_WARNING": "1"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]


def bump_bank_version(project: Path) -> None:
    """Give the project's bank a new version and lock it, as an edit of the questions does
    (CONTRIBUTING.md: raise the version, then `python -m assessment lock`)."""
    bank = project / "assessment" / "bank.toml"
    text = bank.read_text(encoding="utf-8")
    old = f'version = "{BANK.version}"'
    assert old in text
    bank.write_text(text.replace(old, f'version = "{NEW_VERSION}"', 1), encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "assessment", "lock"],
        cwd=project,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr


@pytest.fixture
def cached_site(tmp_path: Path) -> Iterator[tuple[Site, Path]]:
    """The site built from a copy of the project, served with max-age=600; and that copy."""
    project = copy_project(tmp_path / "project")
    with serve(tmp_path / "site", max_age=600) as site:
        build(project, site)
        yield site, project


def visit(page: Page, site: Site) -> None:
    """Open the assessment page and wait until its engine is ready."""
    page.goto(site.url(ASSESSMENT))
    wait_for_state(page, "ready")


def test_after_a_deploy_the_new_form_gets_the_new_engine(
    browser: Browser, cached_site: tuple[Site, Path]
) -> None:
    """After a deploy, the new page scores with the new engine, never with a cached one."""
    site, project = cached_site
    context = browser.new_context()
    try:
        page = context.new_page()
        visit(page, site)
        answers = {BANK.question_ids[0]: 4, BANK.question_ids[1]: None}
        fill(page, answers)
        assert call_engine(page, "ping")["bank_version"] == BANK.version

        bump_bank_version(project)
        build(project, site)
        # The page itself is asked for again (a reload revalidates it); everything else may
        # come from the browser's cache, fresh for ten minutes.
        page.reload()
        wait_for_state(page, "ready")
        assert page.locator("#pp-form").get_attribute("data-bank-version") == NEW_VERSION
        assert call_engine(page, "ping")["bank_version"] == NEW_VERSION
        assert form_answers(page) == answers
        result = ask_result(page)
        assert result["bank_version"] == NEW_VERSION
        link = page.locator("#pp-share-link").input_value()
        assert f"-{NEW_VERSION}-" in link
    finally:
        close_context(context)


def test_an_engine_from_another_build_is_never_used(
    browser: Browser, cached_site: tuple[Site, Path]
) -> None:
    """If the engine's files come from another build, the page reloads once, then says so."""
    site, _ = cached_site

    def other_build(members: dict[str, bytes]) -> dict[str, bytes]:
        """The engine with another build's bank, under this build's URL (a mixed deploy)."""
        bank = members["bank.toml"].decode("utf-8")
        other = bank.replace(f'version = "{BANK.version}"', f'version = "{NEW_VERSION}"')
        assert other != bank
        return {**members, "bank.toml": other.encode("utf-8")}

    context = browser.new_context()
    try:
        context.route(ENGINE_ARCHIVE, archive_changed(other_build))
        page = context.new_page()
        loads: list[str] = []
        page.on("load", lambda loaded: loads.append(loaded.url))
        page.goto(site.url(ASSESSMENT))
        first = BANK.question_ids[0]
        page.locator(f'input[name="{first}"][value="5"]').check()
        text = wait_for_state(page, "error")
        assert "different versions" in text, text
        # It reloaded once to get its own build's engine, and not again.
        assert len(loads) == 2, loads
        assert page.locator(f'input[name="{first}"][value="5"]').is_checked()
        assert json.loads(page.evaluate("JSON.stringify(localStorage)"))
    finally:
        close_context(context)


def add_question(project: Path) -> str:
    """Edition N+1: a question added to the project's bank (a copy of the first one under a new
    id), the version raised and locked. Returns the new question's id."""
    bank_file = project / "assessment" / "bank.toml"
    text = bank_file.read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    begin = lines.index("[[questions]]\n")
    end = next(i for i in range(begin + 1, len(lines)) if lines[i].startswith("["))
    first = BANK.question_ids[0]
    added = f"{first}_added"
    block = "".join(lines[begin:end]).replace(f'id = "{first}"', f'id = "{added}"')
    block = block.replace('text = "', 'text = "(Added) ', 1)
    assert added in block
    bank_file.write_text(text + "\n" + block, encoding="utf-8")
    bump_bank_version(project)
    return added


def test_answers_kept_results_links_and_files_of_an_edition_survive_the_next(
    browser: Browser, cached_site: tuple[Site, Path], tmp_path: Path
) -> None:
    """Made under edition N, kept across a deploy of edition N+1 that adds a question: the
    reader's answers stay in the form, their kept result stays listed and marked with its
    edition, the share link and the answers file of edition N open, saying what was added, and
    the compare page's saved set of edition N's codes is still listed and combined."""
    site, project = cached_site
    context = browser.new_context()
    try:
        page = context.new_page()
        visit(page, site)
        answers = SCENARIOS[0].answers(BANK)
        fill(page, answers)
        ask_result(page)
        link = page.locator("#pp-share-link").input_value()
        with page.expect_download() as download:
            page.locator("#pp-download-json").click()
        exported = tmp_path / "answers.json"
        download.value.save_as(exported)
        compare = context.new_page()
        compare.goto(site.url("compare/"))
        wait_for_state(compare, "ready")
        codes = [
            encode(s.answers(BANK), BANK, relationship=r.id, given=date(2026, 11, 2))
            for s, r in zip(SCENARIOS, BANK.relationships, strict=False)
        ][:2]
        compare.locator("#pp-codes").fill("\n".join(codes))
        compare.locator("#pp-add-codes").click()
        compare.wait_for_selector('#compare-result[data-state="shown"]', timeout=READY_TIMEOUT_MS)

        added = add_question(project)
        build(project, site)
        page.reload()
        wait_for_state(page, "ready")
        assert page.locator("#pp-form").get_attribute("data-bank-version") == NEW_VERSION
        assert form_answers(page) == answers
        history = page.locator("#pp-history-table")
        history.wait_for(timeout=READY_TIMEOUT_MS)
        assert f"made with questions {BANK.version}" in history.inner_text()

        def opened_with_note(other: Page) -> None:
            other.wait_for_function(
                "() => document.getElementById('pp-shared-text').textContent.includes('added')",
                timeout=READY_TIMEOUT_MS,
            )
            note = other.locator("#pp-shared-text").inner_text()
            assert added in note and BANK.version in note, note
            assert form_answers(other) == answers

        shared = context.new_page()
        shared.goto(link)
        wait_for_state(shared, "ready")
        opened_with_note(shared)
        from_file = context.new_page()
        visit(from_file, site)
        from_file.locator("#pp-import").set_input_files(str(exported))
        opened_with_note(from_file)

        compare.reload()
        wait_for_state(compare, "ready")
        compare.wait_for_selector('#compare-result[data-state="shown"]', timeout=READY_TIMEOUT_MS)
        assert compare.locator("#pp-count").inner_text() == f"{len(codes)} responses."
        new_bank = load_bank(project / "assessment" / "bank.toml")
        assert new_bank.version == NEW_VERSION
        team = combine([decode_response(code, new_bank) for code in codes], new_bank)
        with compare.expect_download() as report:
            compare.locator("#pp-download-json").click()
        shown = json.loads(Path(report.value.path()).read_bytes())
        assert shown == json.loads(json.dumps(team.to_dict()))
    finally:
        close_context(context)
