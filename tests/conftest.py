"""Shared fixtures: the shipped bank, its raw data, and Hypothesis profiles."""

from __future__ import annotations

import contextlib
import copy
import fcntl
import os
import shutil
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings

from assessment import Bank, load_bank
from assessment.bank import SHIPPED_BANK
from sitekit.server import MOUNT, Site, serve

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


def copy_package(parent: Path) -> Path:
    """Copy the engine (its modules, bank and lock) to `parent`/assessment; returns its bank."""
    package = parent / "assessment"
    shutil.copytree(REPO / "assessment", package, ignore=shutil.ignore_patterns("__pycache__"))
    return package / "bank.toml"


def run_cli(*args: str, stdin: str = "", cwd: Path = REPO) -> subprocess.CompletedProcess[str]:
    """`python -m assessment ARGS` in a fresh interpreter, as a person runs it, with typed input."""
    return subprocess.run(
        [sys.executable, "-m", "assessment", *args],
        input=stdin,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def run_copied_package(
    parent: Path, *args: str, script: str | None = None
) -> subprocess.CompletedProcess[str]:
    """`python -m assessment ARGS` (or `python -c SCRIPT`) with the package copied to `parent`
    (copy_package) first on the path, as a person who edited their copy would run it."""
    command = ["-m", "assessment", *args] if script is None else ["-c", script]
    return subprocess.run(
        [sys.executable, *command],
        cwd=parent,
        env={**os.environ, "PYTHONPATH": str(parent)},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


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


# One build of the site for the whole run, however many pytest-xdist workers: the first process
# (xdist's controller, or pytest alone) serves an empty folder and names it in the environment,
# which the workers inherit; the first test that needs the site builds into it, under a lock,
# for the address it is served at (the port is part of the site URL a build writes).
SITE_ROOT, SITE_BASE = "PLAYBOOK_TEST_SITE_ROOT", "PLAYBOOK_TEST_SITE_BASE"
_SERVED = pytest.StashKey[tuple[contextlib.ExitStack, Path]]()


def pytest_configure(config: pytest.Config) -> None:
    """Serve the run's site folder, empty until a test needs it (not in an xdist worker)."""
    if hasattr(config, "workerinput"):
        return
    stack = contextlib.ExitStack()
    root = Path(tempfile.mkdtemp(prefix="playbook-site-"))
    site = stack.enter_context(serve(root))
    os.environ[SITE_ROOT], os.environ[SITE_BASE] = str(root), site.base
    config.stash[_SERVED] = (stack, root)


def pytest_unconfigure(config: pytest.Config) -> None:
    """Stop serving the run's site and remove it."""
    held = config.stash.get(_SERVED, None)
    if held is not None:
        stack, root = held
        stack.close()
        shutil.rmtree(root, ignore_errors=True)
        (root.parent / f"{root.name}.lock").unlink(missing_ok=True)


@pytest.fixture(scope="session")
def served_site() -> Site:
    """The site, built once per run with --strict for the address it is served at."""
    root, base = Path(os.environ[SITE_ROOT]), os.environ[SITE_BASE]
    with (root.parent / f"{root.name}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (root / "index.html").is_file():
            done = build_site(root, site_url=base)
            assert done.returncode == 0, f"mkdocs build --strict failed:\n{done.stderr}"
    return Site(origin=base.removesuffix(MOUNT), base=base, root=root)


@pytest.fixture(scope="session")
def built_site(served_site: Site) -> Path:
    """The built site's folder (the one build of this run)."""
    return served_site.root
