"""The benchmark runs: one quick iteration of bench/run.py prints a row for every figure.

No timing is asserted here: the benchmark measures, the tests only check that it still works
(the site builds, the pages load in Chromium, the report is written).
"""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest

from sitekit.chromium import CHROMIUM

REPO = Path(__file__).resolve().parents[1]
# The first cell of each row of the results table, one per figure of the issue.
FIGURES = (
    "first question answerable, assessment page, cold",
    "Python ready, assessment page, cold",
    "result requested → shown, Python ready",
    "main-thread blocking until Python ready",
    "bytes transferred, `stay/`, cold",
    "Python ready, warm revisit",
    "`mkdocs build --strict` wall time",
    "`mkdocs build --strict` peak memory",
)
COLUMNS = 9


def test_bench_imports_nothing_from_tests() -> None:
    """What the benchmark shares with the tests comes from sitekit/, never from tests/."""
    imported = []
    for path in sorted((REPO / "bench").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module:
                imported.append((path.name, node.module))
            elif isinstance(node, ast.Import):
                imported += [(path.name, alias.name) for alias in node.names]
    assert imported, "no import found: the scan is broken"
    assert [(name, module) for name, module in imported if module.split(".")[0] == "tests"] == []


@pytest.mark.browser
def test_one_quick_iteration_prints_every_figure(tmp_path: Path) -> None:
    """`bench/run.py --runs 1 --quick` exits 0, prints the table and writes the report."""
    if not (CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK)):
        message = f"{CHROMIUM} is missing: run 'make chromium' (apt-get install chromium)."
        if os.environ.get("CI"):
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    output = tmp_path / "results.md"
    command = [sys.executable, "bench/run.py", "--runs", "1", "--build-runs", "1"]
    command += ["--submissions", "3", "--quick", "--output", str(output)]
    done = subprocess.run(
        command, cwd=REPO, capture_output=True, text=True, timeout=600, check=False
    )
    assert done.returncode == 0, done.stderr[-4000:]

    rows = [line for line in done.stdout.splitlines() if line.startswith("| ")]
    for figure in FIGURES:
        found = [row for row in rows if row.startswith(f"| {figure}")]
        assert len(found) == 1, f"no row for {figure!r} in:\n{done.stdout}"
        cells = [cell.strip() for cell in found[0].strip("|").split(" | ")]
        assert len(cells) == COLUMNS, found[0]
        assert cells[2] != "n/a", f"{figure}: nothing measured"

    report = output.read_text(encoding="utf-8")
    assert report.strip() == done.stdout.strip()
    assert "- Chromium: " in report
    assert "- cores: " in report
    assert "- memory: " in report
