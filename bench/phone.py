"""A phone: Python ready under a 4x CPU slowdown, and the browser's peak memory."""

from __future__ import annotations

import contextlib
import os
import signal
import tempfile
import threading
import time
from pathlib import Path

from playwright.sync_api import Playwright

from bench.browser import ASSESSMENT, Load, launch, probe, snapshot_kept, submit
from bench.floors import READY_MARK, READY_RATIO, WORKER_FLOOR
from bench.report import ratio_row, say, table, values
from bench.site import Target

SLOWDOWN, X = 4, "4x CPU slowdown"
PERIOD_S, SAMPLE_S = 0.04, 0.1  # the renderers run 1/SLOWDOWN of each period; RSS sampling
SNAPSHOT_TIMEOUT_MS, PAGE_BYTES = 240_000, os.sysconf("SC_PAGE_SIZE")
# How the CPU is slowed: Chromium's throttling, or stopping and resuming the renderer processes.
SLOWDOWNS = {"cdp": "main thread only (CDP)", "renderer": "whole renderer"}
# The figures, each a ratio to the worker floor: (figure, slowdown, attribute, unit, target).
READY = f"Python ready, assessment page, cold, {X}"
FIGURES = (
    (f"{READY}, {SLOWDOWNS['cdp']}", "cdp", "ready", "ms", READY_RATIO),
    (f"{READY}, {SLOWDOWNS['renderer']}", "renderer", "ready", "ms", READY_RATIO),
    (f"peak RSS until the snapshot is kept, {X}", "renderer", "peak_mib", "MiB", 1.5),
)


def read(path: Path) -> bytes:
    """Return a file of /proc, or nothing if its process is gone."""
    with contextlib.suppress(OSError):
        return path.read_bytes()
    return b""


def processes(roots: list[int]) -> dict[int, tuple[bytes, int]]:
    """Return pid → (command line, resident pages) of `roots` and all their descendants."""
    found, queue = {}, list(roots)
    while queue:
        pid = queue.pop()
        if statm := read(Path(f"/proc/{pid}/statm")).split():
            found[pid] = read(Path(f"/proc/{pid}/cmdline")), int(statm[1])
            for children in Path(f"/proc/{pid}/task").glob("*/children"):
                queue += [int(child) for child in read(children).split()]
    return found


class Watch(threading.Thread):
    """Keep the peak of the browser's summed RSS while its renderers run 1/SLOWDOWN of the time."""

    def __init__(self, profile: Path) -> None:
        super().__init__(daemon=True)
        flag, self.peak_mib = f"--user-data-dir={profile}\0".encode(), 0.0
        argv = {entry.name: read(Path(entry.path, "cmdline")) for entry in os.scandir("/proc")}
        self.roots = [int(pid) for pid, cmd in argv.items() if flag in cmd and b"--type" not in cmd]
        self.done, self.renderers = threading.Event(), list[int]()

    def signal(self, number: signal.Signals) -> None:
        """Send `number` to every renderer (a gone one is skipped)."""
        for pid in self.renderers:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, number)

    def run(self) -> None:
        """Sample while the renderers are stopped; let them run, then stop them SLOWDOWN - 1
        times as long as they actually ran (this thread may wake late on a busy machine)."""
        sampled = stopped = 0.0
        with contextlib.suppress(OSError):  # wake on time if allowed (root): it sets the pace
            os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), -10)
        try:
            while not self.done.is_set():
                if time.monotonic() - sampled >= SAMPLE_S:
                    found, sampled = processes(self.roots), time.monotonic()
                    resident = sum(pages for _, pages in found.values()) * PAGE_BYTES / 2**20
                    self.peak_mib = max(self.peak_mib, resident)
                    self.renderers = [p for p, (cmd, _) in found.items() if b"=renderer" in cmd]
                time.sleep(max(0.0, stopped - time.monotonic()))
                self.signal(signal.SIGCONT)
                ran = time.monotonic()
                time.sleep(PERIOD_S / SLOWDOWN)
                self.signal(signal.SIGSTOP)
                stopped = time.monotonic() + (time.monotonic() - ran) * (SLOWDOWN - 1)
        finally:
            self.signal(signal.SIGCONT)


def phone_load(
    playwright: Playwright, target: Target, path: str, slowdown: str, hold_s: float = 0.0
) -> Load:
    """Load `path` cold under `slowdown` (the assessment page slowed whole: three results, then
    its snapshot), staying until `hold_s` after the navigation."""
    load, renderer = Load(), slowdown == "renderer"
    with (
        tempfile.TemporaryDirectory(prefix="bench-phone-") as folder,
        launch(playwright, Path(folder)) as context,
    ):
        page, watch = context.pages[0], Watch(Path(folder))
        if renderer:
            watch.start()
        else:
            context.new_cdp_session(page).send("Emulation.setCPUThrottlingRate", {"rate": SLOWDOWN})
        start = time.monotonic()
        try:
            page.goto(target.site.url(path), wait_until="load")
            outcome = page.evaluate(probe("wait-ready"), [READY_MARK, 300_000])
            load.ready, load.error = outcome.get("ready"), outcome.get("error")
            if renderer and path == ASSESSMENT and not load.error:
                load.error = submit(page, 3)[1]
                if not snapshot_kept(page, target, SNAPSHOT_TIMEOUT_MS):
                    load.error = f"no snapshot kept in {SNAPSHOT_TIMEOUT_MS // 1000} s"
            page.wait_for_timeout(max(0.0, start + hold_s - time.monotonic()) * 1000)
        finally:
            load.seconds = time.monotonic() - start
            watch.done.set()
            if renderer:
                watch.join()
    load.peak_mib = watch.peak_mib if renderer else None
    return load


def section(playwright: Playwright, target: Target, rounds: int) -> list[str]:
    """Load the assessment page, then the floor (held as long), slowed each way `rounds` times."""
    loads: dict[str, list[Load]] = {}
    for _ in range(rounds):
        for slowdown in SLOWDOWNS:
            hold_s = 0.0
            for path, name in ((ASSESSMENT, "page"), (WORKER_FLOOR, "floor")):
                each = phone_load(playwright, target, path, slowdown, hold_s)
                loads.setdefault(f"{slowdown} {name}", []).append(each)
                hold_s = each.seconds if slowdown == "renderer" else 0.0
                say(f"{slowdown} {name}: {each}")
    rows = []
    for figure, slowdown, key, unit, limit in FIGURES:
        page, floor = (values(loads, f"{slowdown} {name}", key) for name in ("page", "floor"))
        baseline = (f"worker floor, {X}, {SLOWDOWNS[slowdown]}", floor)
        rows.append(ratio_row(figure, page, unit, baseline, limit))
    return [f"## A phone: {X} and memory (bench/phone.py; rounds: {rounds})", "", *table(rows)]
