"""Combining many responses: the command line with 1,000, the compare page with 50."""

from __future__ import annotations

import random
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from playwright.sync_api import Playwright

from assessment import encode, load_bank
from bench.browser import RESULT_TIMEOUT_MS, launch, probe, snapshot_kept
from bench.machine import QUIET
from bench.report import at_most, median, p95_verdict, row, say, table
from bench.site import Target

CLI = Path(sys.executable).parent / "partnership-assessment"
CLI_RESPONSES, PAGE_RESPONSES, CLI_TARGET_S, PAGE_TARGET_MS = 1_000, 50, 1.0, 100.0
COMPARE_PAGE, COMPARE_READY = "compare/", "compare-engine-ready"


def codes(count: int) -> list[str]:
    """Return `count` share codes, the same on every run; the last one says no side (the compare
    page's list then offers a side to choose for it, which each repetition changes)."""
    bank, rng, made = load_bank(), random.Random(11), []
    sides = [relationship.id for relationship in bank.relationships]
    for index in range(count):
        answers = {question.id: rng.randint(1, 5) for question in bank.questions}
        side, given = sides[index % 2] if index < count - 1 else None, date(2026, 1, 1)
        made.append(
            encode(answers, bank, relationship=side, given=given + timedelta(days=index % 300))
        )
    return made


def cli_times(runs: int) -> list[float]:
    """Return the wall times (s) of `partnership-assessment` combining 1,000 codes."""
    command = [str(CLI)] + [arg for code in codes(CLI_RESPONSES) for arg in ("--code", code)]
    walls = []
    for index in range(runs):
        QUIET.wait()
        start = time.perf_counter()
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        walls.append(time.perf_counter() - start)
        if done.returncode != 0:
            raise SystemExit(f"partnership-assessment exited {done.returncode}: {done.stderr}")
        say(f"command line {index + 1}/{runs}: {walls[-1]:.2f} s")
    return walls


def compare_times(playwright: Playwright, target: Target, repeats: int) -> list[float]:
    """Open the compare page, paste 50 codes once Python is ready, then change one response's
    side `repeats` times; return the milliseconds from each change until the result is shown."""
    with tempfile.TemporaryDirectory(prefix="bench-team-") as profile:
        context = launch(playwright, Path(profile))
        page, times = context.pages[0], []
        page.goto(target.site.url(COMPARE_PAGE), wait_until="load")
        if "error" in (ready := page.evaluate(probe("wait-ready"), [COMPARE_READY, 120_000])):
            raise SystemExit(f"compare page: {ready['error']}")
        # The page then makes the next visit's snapshot in a second Python; a reader still
        # gathering codes would not overlap it.
        snapshot_kept(page, target.manifest.snapshot_cache)
        page.fill("#pp-codes", "\n".join(codes(PAGE_RESPONSES)))
        page.click("#pp-add-codes")
        page.wait_for_selector('#compare-result[data-state="shown"]', timeout=RESULT_TIMEOUT_MS)
        for index in range(repeats):
            page.wait_for_timeout(300)  # the previous change's follow-up call (the link) ends
            side = ("client", "provider")[index % 2]
            outcome = page.evaluate(probe("compare-change"), [side, RESULT_TIMEOUT_MS])
            if "error" in outcome:
                raise SystemExit(f"compare page, repetition {index + 1}: {outcome['error']}")
            times.append(float(outcome["ms"]))
        context.close()
    say(f"compare page: {', '.join(f'{value:.0f}' for value in times)} ms")
    return times


def section(playwright: Playwright, target: Target, quick: bool) -> list[str]:
    """Time the command line, then the compare page; return the report's section."""
    walls = cli_times(1 if quick else 5)
    shown = compare_times(playwright, target, 1 if quick else 30)
    rows = [
        row(f"command line, {CLI_RESPONSES:,} codes combined (wall time)", walls, "s",
            f"≤ {CLI_TARGET_S:.0f} s", at_most(median(walls), CLI_TARGET_S)),
        row(f"compare page, {PAGE_RESPONSES} responses: side changed → result shown", shown, "ms",
            f"p95 ≤ {PAGE_TARGET_MS:.0f} ms", p95_verdict(shown, PAGE_TARGET_MS)),
    ]  # fmt: skip
    lines = ["## Combining responses (bench/team.py; the page once Python is ready)", ""]
    return [*lines, *table(rows)]
