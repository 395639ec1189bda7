"""A company's own copy, adapted as ADAPTING.md walks through it, builds and passes its tests.

The fixture (tests/adaptation.py) applies Acme's adaptation to a copy of the project: the
'peer' side removed, a dimension "Data and security" with three questions (one reverse-scored,
one core), a question added to Communication, a higher stay threshold, its own edition, its own
name and palette in mkdocs.yml, and a page removed with its navigation entry and the links to it.
In that copy the bank check passes, the strict build passes and shows the adaptation, and the
project's own tests pass, unchanged: every tests/test_*.py file but the few that
tests/adaptation.py's NOT_RUN_IN_COPY names with their reason (the workflow's, the benchmark's,
this one), so that a new test that reads today's content instead of the bank fails here the day
it is added. They run with two pytest-xdist workers, a file each (`-n 2 --dist loadfile`, as
`make test` runs them), the Hypothesis profile "quick" and 200 fuzz examples a test: about a
minute on two cores left to it, three under load (the same tests at full strength run in the
suite itself).
tests/browser/test_adaptation.py runs the adapted site in Chromium.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from assessment import load_bank
from tests import adaptation
from tests.adaptation import adapted_project
from tests.conftest import HYPOTHESIS_PROFILE, SOURCES_VARIABLE, build_site

# tests/test_fuzz.py's count of examples a test (2,000 unless set).
FUZZ_EXAMPLES = "PLAYBOOK_FUZZ_EXAMPLES"

pytestmark = pytest.mark.build


@pytest.fixture(scope="module")
def acme(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The adapted copy of the project."""
    return adapted_project(tmp_path_factory.mktemp("acme") / "project")


@pytest.fixture(scope="module")
def acme_site(acme: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The adapted copy, built with --strict (every link and anchor must resolve)."""
    out = tmp_path_factory.mktemp("acme-site")
    done = build_site(out, project=acme)
    assert done.returncode == 0, done.stderr
    return out


def run_in(project: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    """Python in the copy, as its owner runs it there; the source articles are not named (a
    company's copy has none), so the tests about this site's own content are skipped."""
    environment = {k: v for k, v in os.environ.items() if k != SOURCES_VARIABLE}
    return subprocess.run(
        [sys.executable, *args],
        cwd=project,
        env={**environment, **env},
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )


def test_the_bank_check_passes_on_the_adapted_bank(acme: Path) -> None:
    """`python -m assessment check` in the copy: its bank, its pages, its steps, no problem."""
    done = run_in(acme, "-m", "assessment", "check")
    assert done.returncode == 0, done.stderr
    bank = load_bank(acme / "assessment" / "bank.toml")
    assert f"version {adaptation.VERSION}" in done.stdout
    assert f"{len(bank.questions)} questions in {len(bank.dimensions)} dimensions" in done.stdout
    assert "checked, no problem found" in done.stdout


def test_the_adapted_bank_is_what_the_company_wrote(acme: Path) -> None:
    """The fixture did what it says (so the tests below are about that bank)."""
    bank = load_bank(acme / "assessment" / "bank.toml")
    assert adaptation.REMOVED_RELATIONSHIP not in {r.id for r in bank.relationships}
    worded = {side for q in bank.questions for side, _ in q.by_relationship}
    assert adaptation.REMOVED_RELATIONSHIP not in worded
    new = bank.questions_in(adaptation.NEW_DIMENSION)
    assert [q.id for q in new] == list(adaptation.NEW_QUESTIONS)
    assert [q.id for q in new if q.reverse] == [adaptation.REVERSED]
    communication = {q.id for q in bank.questions_in("communication")}
    assert adaptation.NEW_COMMUNICATION_QUESTION in communication
    assert bank.thresholds.stay_overall == adaptation.STAY_OVERALL
    assert not (acme / "docs" / adaptation.REMOVED_PAGE).exists()


def test_the_strict_build_passes_and_shows_the_adaptation(acme: Path, acme_site: Path) -> None:
    """The site carries Acme's name, its bank (form, methodology), its palette's contrast fixes
    and its relationships' wording rules, and nothing of what it removed."""
    bank = load_bank(acme / "assessment" / "bank.toml")
    home = (acme_site / "index.html").read_text(encoding="utf-8")
    assert f"<title>{adaptation.SITE_NAME}</title>" in home
    assert f'data-md-color-primary="{adaptation.PRIMARY}"' in home
    form = (acme_site / "assessment" / "index.html").read_text(encoding="utf-8")
    assert f'data-bank-version="{adaptation.VERSION}"' in form
    assert f'id="group-{adaptation.NEW_DIMENSION}"' in form
    assert f'data-question-count="{len(bank.questions)}"' in form
    for question in bank.questions:
        assert f'data-question="{question.id}"' in form
    sides = set(re.findall(r'name="perspective" value="([a-z_]*)"', form))
    assert sides == {"", *(r.id for r in bank.relationships)}
    methodology = (acme_site / "methodology" / "index.html").read_text(encoding="utf-8")
    assert adaptation.NEW_DIMENSION_TITLE in methodology
    assert f"{adaptation.STAY_OVERALL:g} out of 100" in methodology
    css = (acme_site / "stylesheets" / "extra.css").read_text(encoding="utf-8")
    assert f'[data-md-color-accent="{adaptation.ACCENT}"]' in css
    for relationship in bank.relationships:
        assert f".pp-wording-{relationship.id} " in css
    assert f".pp-wording-{adaptation.REMOVED_RELATIONSHIP} " not in css
    removed = Path(adaptation.REMOVED_PAGE).with_suffix("")
    assert not (acme_site / removed).exists()
    for page in acme_site.rglob("*.html"):
        assert f"{removed.name}/" not in page.read_text(encoding="utf-8"), page


def test_the_project_s_tests_pass_in_the_adapted_copy(acme: Path) -> None:
    """The project's tests, run unchanged in the copy against its own bank and pages, all pass
    (those about this site's own content skip, as in any copy)."""
    files = adaptation.tests_run_in_copy(acme)
    assert "tests/test_bank.py" in files and len(files) > 30
    done = run_in(
        acme,
        "-m", "pytest", "-q", "-p", "no:cacheprovider", "-n", "2", "--dist", "loadfile",
        *files,
        **{HYPOTHESIS_PROFILE: "quick", FUZZ_EXAMPLES: "200"},
    )  # fmt: skip
    summary = done.stdout.strip().splitlines()[-1] if done.stdout.strip() else done.stderr
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
    assert " passed" in summary and "failed" not in summary and "error" not in summary
