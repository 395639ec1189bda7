"""hooks/runtime.py on its own: what it ships and what it refuses, without a browser."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from mkdocs.exceptions import PluginError

from assessment.selfcheck import fingerprint
from sitekit.hookfiles import REPO, load_hook

hook = load_hook("runtime")
# Skipped on a machine without node_modules, never in CI (where `make test` installs them).
needs_node_modules = pytest.mark.skipif(
    not hook.NODE_MODULES.is_dir() and not os.environ.get("CI"),
    reason="node_modules is missing: run 'make deps'",
)
BUILD = "0123456789ab"


def test_config_gets_one_versioned_entry_per_package_file() -> None:
    """Every shipped file of the package is in the config, with the build in its URL."""
    package = ["runtime/assessment/__init__.py", "runtime/assessment/bank.toml"]
    config = hook.pyscript_config(package, BUILD)
    assert config["interpreter"] == f"../javascripts/interpreter-{BUILD}.mjs"
    assert config["files"] == {
        "{ASSESSMENT}": "assessment",
        f"{{ASSESSMENT}}/__init__.py?v={BUILD}": "./assessment/__init__.py",
        f"{{ASSESSMENT}}/bank.toml?v={BUILD}": "./assessment/bank.toml",
    }


@pytest.mark.parametrize(
    "source",
    [
        'import { loadPyodide } from "https://cdn.jsdelivr.net/pyodide/v314.0.7/full/pyodide.mjs";',
        "const url = '//cdn.example.com/pyodide/';",
        "await import(`https://elsewhere.example/pyodide.mjs`);",
    ],
)
def test_an_interpreter_naming_another_origin_fails_the_build(source: str) -> None:
    """The shipped interpreter module passes; one taking Pyodide from elsewhere stops the build."""
    hook.check_interpreter((REPO / "docs" / hook.INTERPRETER).read_text(encoding="utf-8"))
    with pytest.raises(PluginError, match="must load Pyodide from the site itself"):
        hook.check_interpreter(source)


def test_page_scripts_carry_the_build() -> None:
    """A page's Python worker, its config and its module get the build; nothing else changes."""
    html = (
        '<script type="py" worker name="a" src="main.py" config="../runtime/pyscript.json">'
        '</script><script type="module" src="app.js"></script>'
        '<script src="../javascripts/offline.js"></script>'
        '<script type="module" src="https://elsewhere.example/x.js"></script>'
    )
    assert hook.version_scripts(html, BUILD) == (
        f'<script type="py" worker name="a" src="main.py?v={BUILD}" '
        f'config="../runtime/pyscript-{BUILD}.json"></script>'
        f'<script type="module" src="app.js?v={BUILD}"></script>'
        '<script src="../javascripts/offline.js"></script>'
        '<script type="module" src="https://elsewhere.example/x.js"></script>'
    )


def test_search_is_held_just_before_the_theme_bundle_in_python_pages_only() -> None:
    """search-later.js, versioned, runs right before Material's bundle, after the content."""
    bundle = '<script src="../assets/javascripts/bundle.a5f9d56c.min.js"></script>'
    page = f'<form id="f"></form><script type="py" worker name="a"></script>{bundle}'
    held = hook.hold_search(page, BUILD)
    assert held == page.replace(
        bundle, f'<script src="../javascripts/search-later.js?v={BUILD}"></script>{bundle}'
    )
    assert held.index("search-later") > held.index('<form id="f">')
    plain = f"<p>plain</p>{bundle}"
    assert hook.hold_search(plain, BUILD) == plain
    with pytest.raises(PluginError, match="no theme bundle"):
        hook.hold_search('<script type="py" worker name="a"></script>', BUILD)


def test_the_manifest_rides_in_pages_that_start_python_only() -> None:
    """Pages with a Python worker carry the manifest as inert JSON; other pages do not."""
    manifest = json.dumps({"names": {"storage_prefix": "x</script><script>alert(1)"}})
    page = '<p>hi</p><script type="py" worker name="a" src="main.py"></script>'
    embedded = hook.embed_manifest(page, manifest)
    assert embedded.index('id="pp-runtime-manifest"') < embedded.index('type="py"')
    assert "</script><script>alert" not in embedded
    assert hook.embed_manifest("<p>plain</p>", manifest) == "<p>plain</p>"


@needs_node_modules
def test_the_manifest_names_what_is_shipped() -> None:
    """The manifest lists the shipped files and the names everything else reads from it."""
    shipped = hook.runtime_files()
    manifest = hook.runtime_manifest(shipped, BUILD)
    assert manifest["build"] == BUILD
    assert manifest["engine"] == fingerprint(REPO / "assessment")
    assert manifest["pyodide"]["files"] == list(hook.PYODIDE_FILES)
    base = manifest["pyodide"]["base"]
    assert base == f"runtime/pyodide/{manifest['pyodide']['version']}/"
    for name in manifest["pyodide"]["files"]:
        assert f"{base}{name}" in shipped
    for name in manifest["package"]["files"]:
        assert shipped[f"runtime/assessment/{name}"] == REPO / "assessment" / name
    assert set(manifest["names"]) == {"snapshot_cache", "offline_cache", "storage_prefix"}


def test_missing_node_modules_says_what_to_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without node_modules the build fails with the one command that fixes it."""
    monkeypatch.setattr(hook, "NODE_MODULES", tmp_path / "node_modules")
    with pytest.raises(PluginError, match=r"run 'make deps' \(npm ci\) first"):
        hook.runtime_files()


@needs_node_modules
def test_pyscript_closure_is_core_and_what_it_imports() -> None:
    """PyScript ships as core.js and the chunks it can import: no source map, no stray file."""
    shipped = hook.pyscript_closure(hook.PYSCRIPT_DIST)
    assert "core.js" in shipped
    assert any(name.startswith("core-") for name in shipped)
    assert not [name for name in shipped if name.endswith(".map")]
    assert "service-worker.js" not in shipped
    assert "storage.js" not in shipped


@needs_node_modules
def test_runtime_files_exist_and_include_the_package() -> None:
    """Every shipped URI has a real source file, and the whole package is among them."""
    shipped = hook.runtime_files()
    assert all(path.is_file() for path in shipped.values())
    for path in [*(REPO / "assessment").glob("*.py"), *(REPO / "assessment").glob("*.toml")]:
        assert shipped[f"runtime/assessment/{path.name}"] == path
    for name in hook.PYODIDE_FILES:
        assert f"{hook.pyodide_uri()}/{name}" in shipped
