"""The benchmark's own tests (``make bench`` runs them; ``make test`` leaves them out, but for
tests/browser/test_bench_smoke.py): every part prints every figure that has a target, the floor
is aimed at the site's runtime, and the statistics judge what they say they judge."""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bench.browser import Load
from bench.core import section
from bench.floors import ASSESSMENT, BASELINE, FLOOR_DIR, PUBLISHED_STDLIB, RUNTIME, install_floors
from bench.report import HEADER, p95_verdict, ratio_row, versus_row
from sitekit.manifest import load_manifest

pytestmark = pytest.mark.bench
REPO = Path(__file__).resolve().parents[1]
# The first cell of every row with a target, section by section (bench/README.md).
FIGURES = (
    "first question answerable, assessment page, cold",
    "Python ready, assessment page, cold",
    "the same, against the same files",
    "result requested → shown, Python ready",
    "main-thread blocking until Python ready (long tasks > 50 ms)",
    "bytes transferred, `stay/`, cold",
    "bytes on the wire, assessment page (with Python), cold",
    "Python ready, warm revisit",
    "`mkdocs build --strict` wall time",
    "Python ready, `assessment/`, cold, 4x CPU slowdown (whole renderer), slow 4G",
    "the same, against its bytes",
    "peak RSS until three results shown, 4x CPU slowdown (whole renderer), slow 4G",
    "command line, 1,000 codes combined (wall time)",
    "compare page, 50 responses: side changed → result shown",
    "a health check, 50 sealed replies pasted → result shown",
    "sealing one reply (a respondent's page)",
    "`/`",
    "`/stay/`",
    "`/assessment/`",
)


def test_a_quick_run_prints_every_figure_and_this_tree_against_itself(tmp_path: Path) -> None:
    """`bench/run.py --quick` exits 0 and prints, with a measured value, every figure that has
    a target; measured against a build of this very tree, each compared figure is there."""
    output = tmp_path / "results.md"
    command = [sys.executable, "bench/run.py", "--quick", "--runs", "1", "--build-runs", "1"]
    command += ["--against", str(REPO), "--output", str(output)]
    done = subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=1800)
    assert done.returncode == 0, done.stderr[-4000:]
    assert output.read_text(encoding="utf-8").strip() == done.stdout.strip()
    lines = [line for line in done.stdout.splitlines() if line.startswith("| ")]
    rows = [[cell.strip() for cell in line.strip("|").split("|")] for line in lines]
    for figure in FIGURES:
        found = [cells for cells in rows if cells[0] == figure]  # a phone row: once per page
        assert found, figure
        for cells in found:
            assert "n/a" not in cells[1:6] and "not measured" not in cells[-1], cells
    compared = [cells for cells in rows if cells[0] == REPO.name]
    assert len(compared) >= 7 and all(cells[-1] == "too few values to judge" for cells in compared)


def test_the_floor_is_aimed_at_the_sites_runtime(built_site: Path, tmp_path: Path) -> None:
    """Every placeholder of the floor is filled from the build's manifest, and the standard
    library it runs is the one Pyodide publishes."""
    for folder in ("runtime", ASSESSMENT):  # the floor sets the assessment page's ready mark
        shutil.copytree(built_site / folder, tmp_path / folder)
    install_floors(tmp_path, load_manifest(tmp_path))
    written = {path.name for path in (tmp_path / FLOOR_DIR).iterdir()}
    assert written == {*(path.name for path in BASELINE.iterdir()), PUBLISHED_STDLIB}
    for source in BASELINE.iterdir():
        assert "{{" not in (tmp_path / FLOOR_DIR / source.name).read_text(encoding="utf-8")
    published = (RUNTIME.PYODIDE_DIR / RUNTIME.PYODIDE_STDLIB).read_bytes()
    assert (tmp_path / FLOOR_DIR / PUBLISHED_STDLIB).read_bytes() == published


def test_targets_are_judged_on_medians_and_the_95th_percentile() -> None:
    """A ratio row judges the ratio of medians; the 95th percentile is the nearest rank, and it
    is judged only with enough values."""
    cells = ratio_row("x", [10, 12, 30], "ms", ("floor", [10.0, 11.0]), 1.15)
    assert len(cells) == len(HEADER)
    assert cells[2:] == ["12 ms", "10 ms", "30 ms", "floor: 10 ms", "1.14", "ratio ≤ 1.15", "met"]
    assert ratio_row("x", [20], "ms", ("floor", [10.0]), 1.15)[-1] == "**MISSED**"
    assert ratio_row("x", [], "ms", ("floor", [10.0]), 1.15)[-1] == "not measured"
    values = [float(v) for v in range(1, 21)]
    assert p95_verdict(values, 19) == "met (p95 19 ms)"
    assert p95_verdict(values, 18.5) == "**MISSED** (p95 19 ms)"
    assert p95_verdict(values[:19], 100).startswith("not judged")


def test_another_tree_is_within_noise_only_when_its_change_could_be_nil() -> None:
    """The same spread measured twice is within noise; a clear shift is outside it, signed."""
    built = [100.0, 104, 98, 101, 99, 103, 97]
    assert versus_row("t", "f", built, [v + 1 for v in built], "ms")[-1] == "within noise"
    slower = versus_row("t", "f", built, [v + 40 for v in built], "ms")
    low = float(slower[5].split(" ms to ")[0])
    assert slower[4] == "+40 ms" and low > 0 and slower[-1] == "outside noise"
    assert versus_row("t", "f", built, [], "ms")[-1] == "not measured"
    assert versus_row("t", "f", built[:4], built[:4], "ms")[-1] == "too few values to judge"


def test_the_core_section_compares_each_tree_on_the_same_figures() -> None:
    """Loads of another tree's pages, named after it, give one comparison row per figure."""
    loads = {
        name: [Load(question=50, content=40, ready=1000, blocking=0, bytes=1, results=[20])]
        for name in ("assessment", "plain", "floor", "warm assessment")
    }
    loads = {name: runs * 5 for name, runs in loads.items()}
    loads |= {f"{name} (other)": loads[name] for name in ("assessment", "plain")}
    loads["warm assessment (other)"] = loads["warm assessment"]
    compared = [line for line in section(loads, [], 1) if line.startswith("| other |")]
    assert len(compared) == 7 and all("within noise" in line for line in compared)


def test_the_benchmark_imports_nothing_from_the_tests() -> None:
    """What the benchmark shares with the tests comes from sitekit/, never from tests/."""
    imported = [
        node.module if isinstance(node, ast.ImportFrom) else node.names[0].name
        for path in (REPO / "bench").glob("*.py")
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Import | ast.ImportFrom)
    ]
    assert imported and not [name for name in imported if (name or "").startswith("tests")]
