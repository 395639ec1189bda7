"""Issue 11's speed figures: the command line combining 1,000 responses, and the compare page
combining 50 in Chromium once Python is ready (bench/README.md defines both).

Run it from the repository's root: ``python -m bench.team`` (``make bench`` does).
"""

from __future__ import annotations

import random
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # also as `python bench/team.py`
from assessment import encode, load_bank
from bench.machine import QUIET
from bench.run import (
    HEADER,
    READY_TIMEOUT_MS,
    RESULT_TIMEOUT_MS,
    Row,
    Stat,
    at_most,
    built_site,
    launch,
    markdown_table,
    p95,
    parser_with,
    probe,
    publish,
    require_chromium,
    say,
    verdict,
)

CLI = Path(sys.executable).parent / "partnership-assessment"
CLI_RESPONSES, PAGE_RESPONSES = 1_000, 50
CLI_TARGET_S, PAGE_TARGET_MS, MIN_REPEATS = 1.0, 100.0, 20
COMPARE_PAGE, READY_MARK = "compare/", "compare-engine-ready"


def codes(count: int) -> list[str]:
    """`count` share codes, the same on every run; the last one says no side (the page's
    list then offers a side to choose for it, which is what each page repetition changes)."""
    bank, rng = load_bank(), random.Random(11)
    sides = [r.id for r in bank.relationships]
    made = []
    for index in range(count):
        answers = {q.id: rng.randint(1, 5) for q in bank.questions}
        side = None if index == count - 1 else sides[index % 2]
        given = date(2026, 1, 1) + timedelta(days=index % 300)
        made.append(encode(answers, bank, relationship=side, given=given))
    return made


def cpu_s() -> float:
    """CPU time (user + system, s) used so far by this process's finished children."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def cli_times(runs: int) -> tuple[list[float], list[float]]:
    """Wall and CPU times (s) of `partnership-assessment` combining CLI_RESPONSES codes."""
    command = [str(CLI)] + [arg for code in codes(CLI_RESPONSES) for arg in ("--code", code)]
    walls, cpus = [], []
    for index in range(runs):
        QUIET.wait()
        start, cpu = time.perf_counter(), cpu_s()
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        walls.append(time.perf_counter() - start)
        cpus.append(cpu_s() - cpu)
        if done.returncode != 0:
            raise SystemExit(f"partnership-assessment exited {done.returncode}: {done.stderr}")
        say(f"command line {index + 1}/{runs}: {walls[-1]:.2f} s (CPU {cpus[-1]:.2f} s)")
    return walls, cpus


def page_times(page: Page, repeats: int) -> list[float]:
    """Paste PAGE_RESPONSES codes into the compare page, then change one side `repeats` times;
    return the milliseconds from each change until the new result is shown."""
    page.fill("#pp-codes", "\n".join(codes(PAGE_RESPONSES)))
    page.click("#pp-add-codes")
    page.wait_for_selector('#compare-result[data-state="shown"]', timeout=RESULT_TIMEOUT_MS)
    times = []
    for index in range(repeats):
        # Let the previous change's follow-up calls (the set's link) finish first.
        page.wait_for_timeout(300)
        side = ("client", "provider")[index % 2]
        outcome = page.evaluate(probe("compare-change"), [side, RESULT_TIMEOUT_MS])
        if "error" in outcome:
            raise SystemExit(f"compare page, repetition {index + 1}: {outcome['error']}")
        times.append(float(outcome["ms"]))
        say(f"compare page {index + 1}/{repeats}: {times[-1]:.0f} ms")
    return times


def main(argv: list[str] | None = None) -> int:
    """Time the command line, then the compare page; print the section (and append it)."""
    require_chromium()
    parser = parser_with(
        __doc__ or "",
        (("--cli-runs", 5, "runs of the command line"), ("--repeats", 30, "page repetitions")),
    )
    args = parser.parse_args(argv)
    QUIET.wait_s = args.quiet_wait
    cli, cpu = cli_times(args.cli_runs)
    profile = tempfile.TemporaryDirectory(prefix="bench-team-")
    with built_site(1) as (target, _), sync_playwright() as playwright, profile as folder:
        context = launch(playwright, Path(folder))
        page = context.pages[0]
        page.goto(target.site.url(COMPARE_PAGE), wait_until="load")
        ready = page.evaluate(probe("wait-ready"), [READY_MARK, READY_TIMEOUT_MS])
        if "error" in ready:
            raise SystemExit(f"compare page: {ready['error']}")
        # The page then makes the next visit's snapshot in a second Python: a reader still
        # gathering codes would not overlap it, so the repetitions start once it is kept.
        if not page.evaluate(probe("snapshot-kept"), [target.manifest.snapshot_cache, 60_000]):
            say("compare page: no snapshot kept in 60 s; measuring anyway")
        shown = page_times(page, args.repeats)
        context.close()
    tail = p95(shown)
    judged = verdict(tail <= PAGE_TARGET_MS, f"p95 {tail:.0f} ms")
    p95_target = f"p95 ≤ {PAGE_TARGET_MS:.0f} ms"
    if len(shown) < MIN_REPEATS:
        judged = f"not judged (p95 {tail:.0f} ms over {len(shown)} < {MIN_REPEATS})"
    wall, compare = Stat.of(cli), f"compare page, {PAGE_RESPONSES} responses"
    named, limit = f"command line, {CLI_RESPONSES:,} codes combined", f"≤ {CLI_TARGET_S:.0f} s"
    rows = [
        Row(f"{named} (wall time)", wall, "s", limit, at_most(wall, CLI_TARGET_S)),
        Row(f"{named}, CPU time (user + system)", Stat.of(cpu), "s", "reported", "—"),
        Row(f"{compare}: side changed → result shown", Stat.of(shown), "ms", p95_target, judged),
    ]
    lines = ["## Team results (bench/team.py; the page once Python is ready)", ""]
    lines += markdown_table(HEADER, [row.cells() for row in rows])
    publish("\n".join([*lines, ""]), args.append, append=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
