"""assessment/ must run unchanged in CPython and Pyodide: standard library only."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import assessment

PACKAGE = Path(assessment.__file__).parent
BROWSER_ONLY = {"js", "pyodide", "pyscript"}


def _imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    modules: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            modules.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            modules.add(node.module.split(".")[0])
    return modules


def test_assessment_imports_only_the_standard_library() -> None:
    """Every absolute import in assessment/ is from the standard library (relative ones stay in)."""
    files = sorted(PACKAGE.glob("*.py"))
    assert len(files) >= 5
    outside = {
        f"{path.name}: {module}"
        for path in files
        for module in _imported_modules(path)
        if module not in sys.stdlib_module_names or module in BROWSER_ONLY
    }
    assert not outside, outside


def test_the_walker_sees_a_third_party_import(tmp_path: Path) -> None:
    """The check itself works: it notices a third-party or browser-only import."""
    sample = tmp_path / "sample.py"
    sample.write_text("import json\nfrom js import document\nimport yaml\n", encoding="utf-8")
    found = _imported_modules(sample)
    assert {"js", "yaml"} <= found
    assert {m for m in found if m not in sys.stdlib_module_names} == {"js", "yaml"}


# Costly to import in Pyodide and not needed to score: xml.sax.saxutils pulled these in once
# and cost the browser about 230 ms of start-up (bench/results.md).
HEAVY_MODULES = {"urllib.request", "http.client", "email.parser", "ssl", "xml.sax"}


def test_the_engine_imports_nothing_heavy() -> None:
    """Importing the engine, as the browser's main.py does, loads none of the heavy modules."""
    loaded = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys, assessment, assessment.report; print('\\n'.join(sys.modules))",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert "assessment.report" in loaded
    assert HEAVY_MODULES.isdisjoint(loaded), HEAVY_MODULES.intersection(loaded)
