"""A phone's slower CPU and its memory: cold Python-ready under a 4x CPU slowdown, and the peak
resident memory of the browser's processes until the revisit snapshot is kept (bench/README.md).

Run it from the repository's root: ``python -m bench.phone`` (``make bench`` does, after run.py).
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from playwright.sync_api import Playwright, sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # also as `python bench/phone.py`
from bench.floors import ENGINE_FLOOR, FLOOR_DIR, READY_MARK, SITE_STDLIB_FLOOR, THEME_FLOOR
from bench.machine import QUIET
from bench.run import (
    ASSESSMENT_PAGE,
    HEADER,
    TARGETS,
    Row,
    Stat,
    at_most,
    built_site,
    launch,
    markdown_table,
    parser_with,
    probe,
    publish,
    ratio,
    require_chromium,
    say,
    submit,
)

SLOWDOWN = 4
# The whole-renderer slowdown: in each period the renderers run 1/SLOWDOWN of it, then stop.
PERIOD_S, SAMPLE_S = 0.04, 0.1
SNAPSHOT_TIMEOUT_MS = 240_000
SNAPSHOT_WORKER = re.compile(r"/snapshot-worker\.mjs(\?|$)")


def browser_pid(profile: Path) -> int:
    """Return the pid of the Chromium browser process launched on `profile`."""
    for entry in os.scandir("/proc"):
        with contextlib.suppress(OSError):
            argv = Path(f"/proc/{entry.name}/cmdline").read_bytes().split(b"\0")
            if f"--user-data-dir={profile}".encode() in argv and b"--type=" not in b" ".join(argv):
                return int(entry.name)
    raise RuntimeError(f"no Chromium process for the profile {profile}")


def tree(root: int) -> dict[int, bytes]:
    """Return pid → command line of `root` and all its descendants (a process gone is left out)."""
    found, queue = {}, [root]
    while queue:
        pid = queue.pop()
        with contextlib.suppress(OSError):
            found[pid] = Path(f"/proc/{pid}/cmdline").read_bytes()
            for children in Path(f"/proc/{pid}/task").glob("*/children"):
                queue += [int(child) for child in children.read_text(encoding="ascii").split()]
    return found


def rss_mib(pids: list[int]) -> float:
    """Return the summed resident memory (RSS) of `pids` in MiB (a process gone counts 0)."""
    pages = 0
    for pid in pids:
        with contextlib.suppress(OSError, IndexError):
            pages += int(Path(f"/proc/{pid}/statm").read_text(encoding="ascii").split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


class Watch(threading.Thread):
    """Sample the browser's summed RSS every SAMPLE_S (keep the peak); with `slow`, let its
    renderers (page, workers and all) run only 1/SLOWDOWN of the time, SIGSTOP the rest."""

    def __init__(self, profile: Path, slow: bool) -> None:
        super().__init__(daemon=True)
        self.root, self.slow, self.peak_mib = browser_pid(profile), slow, 0.0
        self.done, self.renderers = threading.Event(), list[int]()

    def signal(self, number: signal.Signals) -> None:
        """Send `number` to every renderer (a gone one is skipped)."""
        for pid in self.renderers:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, number)

    def run(self) -> None:
        """Sample while the renderers are stopped; let them run, stop them for SLOWDOWN - 1
        times as long as they actually ran (this thread may wake late on a busy machine)."""
        sampled = stopped = 0.0
        with contextlib.suppress(OSError):  # wake on time if allowed (root): it sets the pace
            os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), -10)
        try:
            while not self.done.is_set():
                if time.monotonic() - sampled >= SAMPLE_S:
                    processes, sampled = tree(self.root), time.monotonic()
                    self.peak_mib = max(self.peak_mib, rss_mib(list(processes)))
                    self.renderers = [p for p, cmd in processes.items() if b"=renderer" in cmd]
                if not self.slow:
                    self.done.wait(SAMPLE_S)
                    continue
                time.sleep(max(0.0, stopped - time.monotonic()))
                self.signal(signal.SIGCONT)
                ran = time.monotonic()
                time.sleep(PERIOD_S / SLOWDOWN)
                self.signal(signal.SIGSTOP)
                stopped = time.monotonic() + (time.monotonic() - ran) * (SLOWDOWN - 1)
        finally:
            self.signal(signal.SIGCONT)


@dataclass
class PhoneLoad:
    """One slowed cold load: Python ready (ms), result latencies (ms), the peak RSS (MiB)."""

    ready: float | None = None
    results: list[float] = field(default_factory=list)
    peak_mib: float = 0.0
    seconds: float = 0.0  # from the navigation to the end of the sampling
    snapshot_ms: float | None = None  # from Python ready until the snapshot was kept
    error: str | None = None


def phone_load(
    playwright: Playwright,
    url: str,
    snapshot_cache: str,
    cdp: bool,
    submissions: int = 0,
    snapshot: bool = False,
    block: bool = False,
    hold_s: float = 0.0,
) -> PhoneLoad:
    """Load `url` cold, slowed by CDP (the page's main thread) or, without `cdp`, as a whole
    renderer; ask for `submissions` results; wait until the `snapshot` is kept, or `block` its
    worker; keep sampling until `hold_s` seconds after the navigation."""
    load = PhoneLoad()
    with tempfile.TemporaryDirectory(prefix="bench-phone-") as folder:
        context = launch(playwright, Path(folder))
        page, watch = context.pages[0], Watch(Path(folder), slow=not cdp)
        if block:
            context.route(SNAPSHOT_WORKER, lambda route: route.abort())
        if cdp:
            context.new_cdp_session(page).send("Emulation.setCPUThrottlingRate", {"rate": SLOWDOWN})
        watch.start()
        start = time.monotonic()
        try:
            page.goto(url, wait_until="load")
            outcome = page.evaluate(probe("wait-ready"), [READY_MARK, 300_000])
            load.ready, load.error = outcome.get("ready"), outcome.get("error")
            if load.error is None and submissions:
                load.results, load.error = submit(page, submissions)
            kept = [snapshot_cache, SNAPSHOT_TIMEOUT_MS if snapshot else 0]
            if load.error is None and snapshot:
                if page.evaluate(probe("snapshot-kept"), kept):
                    load.snapshot_ms = page.evaluate("performance.now()") - (load.ready or 0)
                else:
                    load.error = f"no snapshot kept in {SNAPSHOT_TIMEOUT_MS // 1000} s"
            page.wait_for_timeout(max(0.0, start + hold_s - time.monotonic()) * 1000)
            if block and page.evaluate(probe("snapshot-kept"), kept):
                load.error = "a snapshot was kept though its worker was blocked"
        finally:
            load.seconds = time.monotonic() - start
            watch.done.set()
            watch.join()
            context.close()
        load.peak_mib = watch.peak_mib
    return load


def measure_phone(
    playwright: Playwright,
    urls: dict[str, str],
    snapshot_cache: str,
    runs: int,
) -> dict[str, list[PhoneLoad]]:
    """Run `runs` rounds of slowed cold loads of `urls` "assessment", "floor" (the worker
    floor), "stdlib" (it with the site's standard library), "theme" and "engine" (the theme and
    engine floors); the lever's variant blocks the snapshot worker."""
    loads: dict[str, list[PhoneLoad]] = {}

    def add(name: str, page: str, cdp: bool, **how: Any) -> PhoneLoad:
        each = phone_load(playwright, urls[page], snapshot_cache, cdp, **how)
        loads.setdefault(name, []).append(each)
        results = f"results {', '.join(f'{v:.0f}' for v in each.results)} ms; " * bool(each.results)
        say(
            f"phone {len(loads[name])}/{runs} {name}: ready {each.ready or 0:.0f} ms; {results}"
            f"peak {each.peak_mib:.0f} MiB over {each.seconds:.0f} s; {each.error or ''}"
        )
        return each

    for _ in range(runs):
        add("cdp", "assessment", True)
        add("cdp-floor", "floor", True)
        add("cdp-stdlib", "stdlib", True)
        add("cdp-theme", "theme", True)
        add("cdp-engine", "engine", True)
        hold_s = add("slow", "assessment", False, submissions=3, snapshot=True).seconds
        add("blocked", "assessment", False, submissions=3, block=True, hold_s=hold_s)
        add("slow-floor", "floor", False, hold_s=hold_s)
        add("slow-stdlib", "stdlib", False)
        add("slow-theme", "theme", False)
        add("slow-engine", "engine", False)
    return loads


# (figure, values, unit, baseline, its values, ratio target, or what a reported figure is)
Figure = tuple[str, list[float], str, str, list[float], float | str]
X = f"{SLOWDOWN}x"
READY = f"Python ready under a {X} CPU slowdown, assessment page, cold"
LEVER, FLOOR = "reported (lever)", "reported (floor)"
# (loads, attribute, figure, baseline's loads, ratio target or what a reported figure is)
FIGURES: tuple[tuple[str, str, str, str, float | str], ...] = (
    ("cdp", "ready", f"{READY}, main thread only (CDP)", "cdp-floor", TARGETS["ready"]),
    (
        "cdp-stdlib",
        "ready",
        f"floor: Python ready under a {X} CPU slowdown, worker floor with the site's standard "
        "library, cold, main thread only (CDP)",
        "cdp-floor",
        FLOOR,
    ),
    (
        "cdp-theme",
        "ready",
        f"floor: Python ready under a {X} CPU slowdown, theme floor, cold, main thread only (CDP)",
        "cdp-floor",
        FLOOR,
    ),
    (
        "cdp-engine",
        "ready",
        f"floor: Python ready under a {X} CPU slowdown, engine floor, cold, main thread only (CDP)",
        "cdp-floor",
        FLOOR,
    ),
    ("slow", "ready", f"{READY}, whole renderer", "slow-floor", TARGETS["ready"]),
    (
        "slow-stdlib",
        "ready",
        f"floor: Python ready under a {X} CPU slowdown, worker floor with the site's standard "
        "library, cold, whole renderer",
        "slow-floor",
        FLOOR,
    ),
    (
        "slow-theme",
        "ready",
        f"floor: Python ready under a {X} CPU slowdown, theme floor, cold, whole renderer",
        "slow-floor",
        FLOOR,
    ),
    (
        "slow-engine",
        "ready",
        f"floor: Python ready under a {X} CPU slowdown, engine floor, cold, whole renderer",
        "slow-floor",
        FLOOR,
    ),
    ("slow", "peak_mib", "peak RSS, assessment page, cold until snapshot kept", "slow-floor", 1.5),
    ("blocked", "peak_mib", "lever: that peak memory, no snapshot made", "slow-floor", LEVER),
    ("slow", "results", f"lever: result requested → shown, {X}, snapshot made", "blocked", LEVER),
    ("slow", "snapshot_ms", f"lever: snapshot kept, after Python ready, {X}", "", LEVER),
)
BASELINES = {
    "cdp-floor": f"worker floor, {X}",
    "slow-floor": f"worker floor, {X}",
    "blocked": "no snapshot made",
    "": "none",
}


def values_of(loads: dict[str, list[PhoneLoad]], name: str, attribute: str) -> list[float]:
    """Return the values of `attribute` over the loads `name` that ended without an error."""
    values = [getattr(load, attribute) for load in loads.get(name, []) if not load.error]
    flat = [v for each in values for v in (each if isinstance(each, list) else [each])]
    return [value for value in flat if value is not None]


def phone_figures(loads: dict[str, list[PhoneLoad]]) -> list[Figure]:
    """Return the table's rows of the slowed loads (none if there were none)."""
    unit, held = {"peak_mib": "MiB"}, {"peak_mib": ", sampled as long"}
    return [
        (
            figure,
            values_of(loads, name, key),
            unit.get(key, "ms"),
            BASELINES[base] + held.get(key, ""),
            values_of(loads, base, key),
            limit,
        )
        for name, key, figure, base, limit in FIGURES
        if loads
    ]


def rows(loads: dict[str, list[PhoneLoad]]) -> list[list[str]]:
    """Return the Markdown cells of the slowed loads' rows, as bench/run.py's table has them."""
    cells = []
    for name, values, unit, base_name, base_values, limit in phone_figures(loads):
        stat, base = Stat.of(values), Stat.of(base_values)
        if isinstance(limit, str):
            target, met = limit, "—"
        else:
            target, met = f"ratio ≤ {limit:.2f}", at_most(ratio(stat, base), limit)
        cells.append(Row(name, stat, unit, target, met, base_name, base).cells())
    return cells


# (the page's loads, the worker floor's, its with the site's standard library, the theme
# floor's, the engine floor's, how slowed)
SPLITS = (
    ("cdp", "cdp-floor", "cdp-stdlib", "cdp-theme", "cdp-engine", "main-thread-only (CDP)"),
    ("slow", "slow-floor", "slow-stdlib", "slow-theme", "slow-engine", "whole-renderer"),
)


def floor_note(loads: dict[str, list[PhoneLoad]], limit: float = TARGETS["ready"]) -> list[str]:
    """Split each slowed ready ratio at the site's standard library, the theme floor and the
    engine floor: the library's share, the design's, the engine's, the rest of the page's."""
    notes = []
    for page_name, floor_name, stdlib_name, theme_name, engine_name, how in SPLITS:
        floor, stdlib, theme, engine, page = (
            Stat.of(values_of(loads, name, "ready"))
            for name in (floor_name, stdlib_name, theme_name, engine_name, page_name)
        )
        library, design = ratio(stdlib, floor), ratio(theme, stdlib)
        with_engine, own = ratio(engine, theme), ratio(page, engine)
        if library is None or design is None or with_engine is None or own is None:
            continue
        verdict = "within" if design <= limit else "above"
        notes += [
            "",
            f"Where the {how} ratio goes under the {X} slowdown: the site's standard library "
            f"(compiled where the worker imports it) takes {library:.2f} of the worker floor, "
            "which runs Pyodide as published; the theme floor (Material's page and PyScript's "
            f"worker, nothing of the site's own) {design:.2f} of the worker floor with that "
            f"library, {verdict} the {limit:.2f} target by itself; this site's engine in that "
            f"worker (the engine floor) {with_engine:.2f} of the theme floor; the rest of the "
            f"assessment page {own:.2f} of the engine floor. Their product is the page's ratio.",
        ]
    return notes


def main(argv: list[str] | None = None) -> int:
    """Build and serve the site once, run the slowed loads, print the section (and append it)."""
    require_chromium()
    parser = parser_with(__doc__ or "", (("--runs", 3, "rounds of slowed loads"),))
    args = parser.parse_args(argv)
    QUIET.wait_s = args.quiet_wait
    with built_site(1) as (target, _), sync_playwright() as playwright:
        urls = {
            "assessment": target.site.url(ASSESSMENT_PAGE),
            "floor": target.site.url(f"{FLOOR_DIR}/floor-worker.html"),
            "stdlib": target.site.url(f"{FLOOR_DIR}/{SITE_STDLIB_FLOOR}"),
            "theme": target.site.url(f"{FLOOR_DIR}/{THEME_FLOOR}"),
            "engine": target.site.url(f"{FLOOR_DIR}/{ENGINE_FLOOR}"),
        }
        loads = measure_phone(playwright, urls, target.manifest.snapshot_cache, args.runs)
    lines = [f"## A phone: {X} CPU slowdown and memory (bench/phone.py; rounds: {args.runs})", ""]
    table = [*lines, *markdown_table(HEADER, rows(loads)), *floor_note(loads), ""]
    publish("\n".join(table), args.append, True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
