"""The benchmark still runs: one quick pass of its core figures over this run's build.

Nothing is timed here. The rest of the benchmark's tests (every part, the floor, the statistics)
are marked ``bench`` and run with ``make bench``.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Playwright

from bench import core, team
from bench.machine import QUIET
from bench.report import HEADER
from bench.site import served

pytestmark = pytest.mark.browser
# The core table's figures (bench/README.md).
FIGURES = (
    "first question answerable, assessment page, cold",
    "Python ready, assessment page, cold",
    "the same, against the same files",
    "result requested → shown, Python ready",
    "main-thread blocking until Python ready (long tasks > 50 ms)",
    "bytes transferred, `stay/`, cold",
    "bytes on the wire, assessment page (with Python), cold",
    "then the service worker's offline copy of the site, `stay/`",
    "then the service worker's offline copy of the site, `assessment/`",
    "Python ready, warm revisit",
    "`mkdocs build --strict` wall time",
    "`mkdocs build --strict` peak memory (RSS)",
)


def test_a_quick_pass_prints_every_core_figure(
    playwright: Playwright, built_site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One cold load of each page and one warm revisit give every row of the core table a
    measured value (the build rows excepted: the suite's build is not timed)."""
    monkeypatch.setattr(QUIET, "enabled", False)
    with served(built_site) as targets:
        loads = core.measure(playwright, targets, runs=1, quick=True)
    lines = core.section(loads, [], runs=1)
    in_table = [line for line in lines if line.startswith("| ")][2:]
    rows = [[cell.strip() for cell in line.strip("|").split("|")] for line in in_table]
    assert tuple(cells[0] for cells in rows) == FIGURES
    for cells in rows:
        assert len(cells) == len(HEADER), cells
        timed = "mkdocs build" not in cells[0]
        assert (cells[2] != "n/a") == timed, cells
        assert "not measured" not in cells[-1] or not timed, cells


def test_a_quick_pass_seals_and_opens_a_round_of_replies(
    playwright: Playwright, built_site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The health check's figures: every reply sealed in the page is timed, and the 50 pasted
    back are all opened and listed (bench/team.py checks the count) with their result shown."""
    monkeypatch.setattr(QUIET, "enabled", False)
    with served(built_site) as targets:
        sealed, opened = team.round_times(playwright, targets[0], repeats=2)
    # The browser's clock counts in steps of a tenth of a millisecond: one fast seal may read 0.
    assert len(sealed) == team.ROUND_REPLIES and all(ms >= 0 for ms in sealed) and sum(sealed) > 0
    assert len(opened) == 2 and all(ms > 0 for ms in opened)
