"""Shared fixtures: the shipped bank, its raw data, and Hypothesis profiles."""

from __future__ import annotations

import copy
import os
import shutil
import subprocess
import sys
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings

from assessment import Bank, load_bank
from assessment.bank import SHIPPED_BANK
from sitekit.server import Site, serve

# Tests about this site's own shipped content (marked `content`: the originality check against
# the source articles, the credit of a retold story) run where this variable names the folder
# of the source articles: .ci/run and the Makefile set it when ../shared/seeds is there. In a
# copy of the repository (a company's own site, with its own pages and questions) they do not
# run, and pytest's summary says so in one line (the skip comes from this file, so -ra groups
# them); every other test is about behaviour and runs.
SOURCES_VARIABLE = "PLAYBOOK_SOURCES"
CONTENT_SKIPPED = (
    f"about this site's shipped content; {SOURCES_VARIABLE} is not set (the project's own CI "
    "names the source articles' folder)"
)


def sources_folder() -> Path | None:
    """The folder of the source articles, if this run has one (see SOURCES_VARIABLE)."""
    named = os.environ.get(SOURCES_VARIABLE, "")
    return Path(named) if named else None


def pytest_runtest_setup(item: pytest.Item) -> None:
    """Skip a test about the shipped content where the source articles are not named."""
    if item.get_closest_marker("content") is not None and sources_folder() is None:
        pytest.skip(CONTENT_SKIPPED)


# The fuzz tests (tests/test_fuzz.py) carry their own settings; everything else uses these.
settings.register_profile("default", deadline=None)
# Fewer examples where the engine's tests run inside another test (tests/test_adaptation.py
# runs them in an adapted copy of the project): the same tests, a lighter search.
settings.register_profile("quick", deadline=None, max_examples=15)
HYPOTHESIS_PROFILE = "PLAYBOOK_HYPOTHESIS_PROFILE"
settings.load_profile(os.environ.get(HYPOTHESIS_PROFILE, "default"))


@pytest.fixture(scope="session")
def bank() -> Bank:
    """The bank shipped with the package."""
    return load_bank()


@pytest.fixture
def bank_data() -> dict[str, Any]:
    """A fresh, mutable copy of the shipped bank's raw TOML data."""
    with SHIPPED_BANK.open("rb") as file:
        return copy.deepcopy(tomllib.load(file))


REPO = Path(__file__).resolve().parents[1]
SITE_URL = "http://127.0.0.1:8765/playbook/"
# What a build reads: the project without its virtualenv, caches and built site.
PROJECT_PARTS = (
    "assessment", "docs", "hooks", "macros", "includes", "overrides", "scripts", "mkdocs.yml",
)  # fmt: skip


def copy_project(destination: Path) -> Path:
    """Copy the parts of the project a build reads into `destination`; node_modules is linked."""
    destination.mkdir(parents=True)
    for part in PROJECT_PARTS:
        source = REPO / part
        if source.is_dir():
            ignore = shutil.ignore_patterns("__pycache__")
            shutil.copytree(source, destination / part, ignore=ignore)
        else:
            shutil.copy2(source, destination / part)
    if (REPO / "node_modules").exists():
        (destination / "node_modules").symlink_to(REPO / "node_modules")
    return destination


def build_site(
    destination: Path, project: Path = REPO, site_url: str = SITE_URL
) -> subprocess.CompletedProcess[str]:
    """Run `mkdocs build --strict` on a project into a folder, as the Makefile does."""
    env = {**os.environ, "SITE_URL": site_url, "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(destination)],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


@pytest.fixture(scope="session")
def served_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """The site, built once per run with --strict for the address it is served at, serving."""
    root = tmp_path_factory.mktemp("site")
    # Served first: the address (its port) is part of the site URL the build writes into pages.
    with serve(root) as site:
        done = build_site(root, site_url=site.base)
        assert done.returncode == 0, f"mkdocs build --strict failed:\n{done.stderr}"
        yield site


@pytest.fixture(scope="session")
def built_site(served_site: Site) -> Path:
    """The built site's folder (the one build of this run)."""
    return served_site.root
