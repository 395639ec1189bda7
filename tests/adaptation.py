"""A company's adaptation of the project, as ADAPTING.md walks through it, applied to a copy.

Used by tests/test_adaptation.py (the build and the engine's tests in the copy) and
tests/browser/test_adaptation.py (the adapted site in Chromium). Every edit is made the way a
person would make it, in the files' text, and fails loudly if the text it expects is gone (an
upstream change to those lines: update this file and ADAPTING.md together).

What Acme changes:

- the bank: the 'peer' relationship removed (and its wordings), a dimension "Data and security"
  with three questions (one reverse-scored, one in the quick check: `core = true`), a question
  added to Communication, a higher stay
  threshold, and its own edition (ADAPTING.md: "acme." before its own numbering);
- the site: its name and palette, and its navigation, in mkdocs.yml;
- the pages: one removed (go/resale-and-co-marketing.md), with its navigation entry and every
  link to it.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO, copy_project

VERSION = "acme.2026.1"
SITE_NAME = "Acme Partner Playbook"
# Material's blue header gives white text 3.2:1, its pink accent 4.3:1 on white: both below
# WCAG's 4.5:1 until hooks/styles.py's fixes apply (tests/browser/test_adaptation.py, axe).
PRIMARY, ACCENT = "blue", "pink"
REMOVED_RELATIONSHIP = "peer"
NEW_DIMENSION = "data_security"
NEW_DIMENSION_TITLE = "Data and security"
NEW_QUESTIONS = ("ds_access", "ds_incidents", "ds_exit_data")
REVERSED = "ds_incidents"
NEW_COMMUNICATION_QUESTION = "co_escalation_path"
STAY_OVERALL = 75
REMOVED_PAGE = "go/resale-and-co-marketing.md"
# The tests that run in the adapted copy: every tests/test_*.py (the browser's run in
# tests/browser/test_adaptation.py) but these, each for a reason of its own; a new test file runs
# there from the day it is added, so a test that reads the shipped bank's content instead of
# the bank cannot come back unnoticed (or carries the `content` marker, and skips in a copy).
NOT_RUN_IN_COPY = {
    "tests/test_adaptation.py": "this file's own test: it would adapt a copy of the copy",
    "tests/test_bench.py": "the benchmark's tests (make bench, not make test; bench/ not copied)",
    "tests/test_workflow.py": "the GitHub workflow and the Makefile, which the copy does not take",
    "tests/test_readme.py": "the README's picture of the whole tree; the copy takes only its parts",
}


def tests_run_in_copy(project: Path) -> tuple[str, ...]:
    """The test files run in the adapted copy, relative to it: all but NOT_RUN_IN_COPY."""
    found = sorted(path.relative_to(project).as_posix() for path in project.glob("tests/test_*.py"))
    missing = set(NOT_RUN_IN_COPY) - set(found)
    assert not missing, f"NOT_RUN_IN_COPY names files that are gone: {sorted(missing)}"
    return tuple(name for name in found if name not in NOT_RUN_IN_COPY)


# Besides what a build reads (tests/conftest.py's PROJECT_PARTS): what the tests need.
# README.md: the tests that hold the README to what the commands do.
TEST_PARTS = ("tests", "sitekit", "pyproject.toml", "README.md")

NEW_BANK_PART = f'''
# --- Acme: data and security ----------------------------------------------------

[[dimensions]]
id = "{NEW_DIMENSION}"
title = "{NEW_DIMENSION_TITLE}"
description = "Who can reach whose data, and what happens to it at the end."
weight = 1.0
playbook = "go/data-and-access.md#data"

[[questions]]
id = "ds_access"
core = true
dimension = "{NEW_DIMENSION}"
idea = "Access to shared systems is listed and reviewed"
text = "How well do you know who on the partner's side can reach your systems and data today?"
levels = [
  "Nobody knows; accounts were handed out and never reviewed.",
  "We could find out, but it would take days.",
  "There is a list, though it is months out of date.",
  "There is a current list, reviewed now and then.",
  "A current list, reviewed on a fixed rhythm, with every account's owner named.",
]

[[questions]]
id = "ds_incidents"
dimension = "{NEW_DIMENSION}"
idea = "Security incidents involving the partner"
text = "How often has the partner been involved in a data or security incident that affected you?"
reverse = true
levels = [
  "Never.",
  "Once, and it was handled well.",
  "A few times, handled slowly.",
  "Several times, with real harm.",
  "Repeatedly; we expect the next one.",
]

[[questions]]
id = "ds_exit_data"
dimension = "{NEW_DIMENSION}"
idea = "What happens to data at the end is agreed"
text = "How clearly is it agreed what happens to each side's data if the partnership ends?"
levels = [
  "Nothing is agreed.",
  "It was discussed once, nothing written.",
  "The agreement mentions it in general terms.",
  "It is written down, with a deadline for return or deletion.",
  "Written down, with deadlines, formats and a deletion certificate.",
]

[[questions]]
id = "{NEW_COMMUNICATION_QUESTION}"
dimension = "communication"
idea = "A known route for escalating problems"
text = "When a problem is too big for the team, how clear is the route to escalate it?"
levels = [
  "There is none; problems stay stuck or blow up.",
  "People improvise, usually by going to whoever they know.",
  "A route exists on paper but is rarely used.",
  "A route is known and used when needed.",
  "A named route, used early, with agreed response times.",
]
'''


def _replace(text: str, pattern: str, replacement: str, where: str, count: int = 1) -> str:
    changed, made = re.subn(pattern, replacement, text, count=0, flags=re.MULTILINE)
    assert made >= count, f"{where}: {pattern!r} not found (upstream changed: update the fixture)"
    return changed


def adapt_bank(bank_file: Path) -> None:
    """The bank: a side removed, a dimension and questions added, a threshold, an edition."""
    text = bank_file.read_text(encoding="utf-8")
    text = _replace(
        text,
        rf'^\[\[relationships\]\]\nid = "{REMOVED_RELATIONSHIP}"\n(?:[a-z_]+ = .*\n)*\n*',
        "",
        "the relationship",
    )
    # Its wording in every question ([questions.by_relationship] lines).
    text = _replace(text, rf'^{REMOVED_RELATIONSHIP} = ".*"\n', "", "its wordings")
    text = _replace(text, r"^stay_overall = .*$", f"stay_overall = {STAY_OVERALL}", "stay")
    text = _replace(text, r'^version = ".*"$', f'version = "{VERSION}"', "the version")
    bank_file.write_text(text + NEW_BANK_PART, encoding="utf-8")


def adapt_config(config: Path) -> None:
    """mkdocs.yml: the site's name, its palette's colours, and the removed page's nav entry."""
    text = config.read_text(encoding="utf-8")
    text = _replace(text, r"^site_name: .*$", f"site_name: {SITE_NAME}", "the site's name")
    text = _replace(text, r"^(\s+primary:) .*$", rf"\1 {PRIMARY}", "the primary colour")
    text = _replace(text, r"^(\s+accent:) .*$", rf"\1 {ACCENT}", "the accent colour")
    text = _replace(text, rf"^ *- [^\n]*: {re.escape(REMOVED_PAGE)}\n", "", "the page's nav entry")
    config.write_text(text, encoding="utf-8")


def remove_page(docs: Path) -> None:
    """The page deleted, and every link to it turned into its text."""
    (docs / REMOVED_PAGE).unlink()
    name = re.escape(Path(REMOVED_PAGE).name)
    link = re.compile(rf"\[([^\]]+)\]\((?:[^)\s]*/)?{name}(?:#[^)\s]*)?\)")
    found = 0
    for page in docs.rglob("*.md"):
        text = page.read_text(encoding="utf-8")
        changed, made = link.subn(r"\1", text)
        if made:
            found += made
            page.write_text(changed, encoding="utf-8")
    assert found, f"no link to {REMOVED_PAGE} found (upstream changed: update the fixture)"


def lock_edition(project: Path) -> None:
    """Record the new edition in the lock file, as CONTRIBUTING.md's recipe asks (the build
    refuses a bank whose version is not locked)."""
    done = subprocess.run(
        [sys.executable, "-m", "assessment", "lock"],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def adapted_project(destination: Path) -> Path:
    """A copy of the project (with its tests) carrying Acme's whole adaptation."""
    project = copy_project(destination)
    for part in TEST_PARTS:
        source = REPO / part
        if source.is_dir():
            ignore = shutil.ignore_patterns("__pycache__", ".hypothesis")
            shutil.copytree(source, project / part, ignore=ignore)
        else:
            shutil.copy2(source, project / part)
    adapt_bank(project / "assessment" / "bank.toml")
    adapt_config(project / "mkdocs.yml")
    remove_page(project / "docs")
    lock_edition(project)
    return project
