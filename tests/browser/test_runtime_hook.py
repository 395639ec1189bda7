"""hooks/runtime.py on its own: what it ships and what it refuses, without a browser."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from mkdocs.exceptions import PluginError

from .harness import REPO, load_hook

hook = load_hook("runtime")
needs_node_modules = pytest.mark.skipif(
    not hook.NODE_MODULES.is_dir(), reason="node_modules is missing: run 'make deps'"
)
PAGE_CONFIG = {"interpreter": "interpreter.mjs", "files": {}}


def test_config_gets_one_entry_per_package_file() -> None:
    """The page's empty `files` table is filled with every shipped file of the package."""
    package = ["runtime/assessment/__init__.py", "runtime/assessment/bank.toml"]
    config = json.loads(hook.complete_config(json.dumps(PAGE_CONFIG), package))
    assert config["interpreter"] == PAGE_CONFIG["interpreter"]
    assert config["files"] == {
        "{ASSESSMENT}": "../runtime/assessment",
        "{ASSESSMENT}/__init__.py": "./assessment/__init__.py",
        "{ASSESSMENT}/bank.toml": "./assessment/bank.toml",
    }


@pytest.mark.parametrize(
    "interpreter",
    [
        None,
        "https://cdn.jsdelivr.net/pyodide/v314.0.7/full/pyodide.mjs",
        "/runtime/pyodide.mjs",
        "../runtime/pyodide/pyodide.mjs",
    ],
)
def test_config_without_the_shipped_interpreter_fails_the_build(interpreter: str | None) -> None:
    """A config that would let PyScript fetch Pyodide from elsewhere stops the build."""
    config = {"files": {}} if interpreter is None else {**PAGE_CONFIG, "interpreter": interpreter}
    with pytest.raises(PluginError, match="interpreter"):
        hook.complete_config(json.dumps(config), [])


def test_the_interpreter_module_imports_the_shipped_pyodide() -> None:
    """The shipped interpreter module passes; one taking Pyodide from elsewhere stops the build."""
    hook.check_interpreter((REPO / "docs" / hook.INTERPRETER).read_text(encoding="utf-8"))
    elsewhere = (
        'import { loadPyodide } from "https://cdn.jsdelivr.net/pyodide/v314.0.7/full/pyodide.mjs";'
    )
    with pytest.raises(PluginError, match=r"must import loadPyodide from \"../runtime/pyodide/"):
        hook.check_interpreter(elsewhere)


def test_config_with_hand_written_files_fails_the_build() -> None:
    """The package list has one source, the package itself: a hand-kept list is refused."""
    config = {**PAGE_CONFIG, "files": {"../runtime/assessment/__init__.py": "./assessment/"}}
    with pytest.raises(PluginError, match="files"):
        hook.complete_config(json.dumps(config), [])


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
    for path in (REPO / "assessment").glob("*.py"):
        assert shipped[f"runtime/assessment/{path.name}"] == path
    for name in hook.PYODIDE_FILES:
        assert f"runtime/pyodide/{name}" in shipped
