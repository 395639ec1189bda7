"""A phone: each page that starts Python on slow 4G with a 4x CPU slowdown; its peak memory."""

from __future__ import annotations

import contextlib
import os
import signal
import tempfile
import threading
import time
from pathlib import Path

from playwright.sync_api import Playwright, Request

from bench.browser import Load, launch, probe, submit, wire_bytes
from bench.floors import ASSESSMENT, WORKER_FLOOR
from bench.report import median, ratio_row, say, table, values
from bench.site import Target
from sitekit.pages import python_pages, ready_mark

SLOWDOWN, X = 4, "4x CPU slowdown (whole renderer), slow 4G"
PERIOD_S, SAMPLE_S = 0.04, 0.1  # the renderers run 1/SLOWDOWN of each period; RSS sampling
PAGE_BYTES = os.sysconf("SC_PAGE_SIZE")
# Lighthouse's "slow 4G" in DevTools' terms (bytes/s): 150 ms round trips, 1.6 Mbps down, 750 up.
SLOW_4G = dict(offline=False, latency=150, downloadThroughput=200_000, uploadThroughput=93_750)
# Targets: ready against the floor; ready against the page's bytes at that rate; peak memory.
READY_4G, BYTES_RATIO, MEMORY_RATIO = 1.0, 1.25, 1.5


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


def phone_load(playwright: Playwright, target: Target, path: str, hold_s: float = 0.0) -> Load:
    """Load `path` cold on slow 4G, its renderers slowed (the assessment page: three results),
    staying until `hold_s` after the navigation."""
    mark = ready_mark(target.site.root, ASSESSMENT if path == WORKER_FLOOR else path)
    load, finished = Load(), list[Request]()
    with (
        tempfile.TemporaryDirectory(prefix="bench-phone-") as folder,
        launch(playwright, Path(folder)) as context,
    ):
        page, watch = context.pages[0], Watch(Path(folder))
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.send("Network.emulateNetworkConditions", SLOW_4G)
        context.on("requestfinished", lambda request: finished.append(request))
        watch.start()
        start = time.monotonic()
        try:
            page.goto(target.site.url(path), wait_until="load")
            outcome = page.evaluate(probe("wait-ready"), [mark, 300_000])
            load.ready, load.error = outcome.get("ready"), outcome.get("error")
            if path == ASSESSMENT and not load.error:
                load.error = submit(page, 3)[1]
            page.wait_for_timeout(max(0.0, start + hold_s - time.monotonic()) * 1000)
            load.bytes = wire_bytes(finished)
        finally:
            load.seconds = time.monotonic() - start
            watch.done.set()
            watch.join()
    load.peak_mib = watch.peak_mib
    return load


def section(playwright: Playwright, target: Target, rounds: int) -> list[str]:
    """Load each Python page, then the floor (held as long as the assessment), `rounds` times."""
    loads: dict[str, list[Load]] = {}
    paths = python_pages(target.site.root)
    for _ in range(rounds):
        for path in [*paths, WORKER_FLOOR]:
            hold_s = loads[ASSESSMENT][-1].seconds if path == WORKER_FLOOR else 0.0
            loads.setdefault(path, []).append(phone_load(playwright, target, path, hold_s))
            say(f"phone {path}: {loads[path][-1]}")
    rate = SLOW_4G["downloadThroughput"] / 1000  # bytes per ms
    floor, floor_bytes = (values(loads, WORKER_FLOOR, key) for key in ("ready", "bytes"))
    # The floor's time beyond moving its bytes: its CPU time (and round trips) on this phone.
    rows, cpu = [], (median(floor) or 0) - (median(floor_bytes) or 0) / rate
    for path in paths:
        ready, sizes = (values(loads, path, key) for key in ("ready", "bytes"))
        rows += [
            ratio_row(f"Python ready, `{path}`, cold, {X}", ready, "ms",
                      (f"`loadPyodide()` floor as published, {X}", floor), READY_4G),
            ratio_row("the same, against its bytes", ready, "ms", ("its bytes at 1.6 Mbps plus "
                      "the floor's CPU time", [size / rate + cpu for size in sizes]), BYTES_RATIO),
        ]  # fmt: skip
    memory = (f"worker floor, {X}, sampled as long", values(loads, WORKER_FLOOR, "peak_mib"))
    peak, what = values(loads, ASSESSMENT, "peak_mib"), f"peak RSS until three results shown, {X}"
    rows.append(ratio_row(what, peak, "MiB", memory, MEMORY_RATIO))
    return [f"## A phone: {X}, memory (bench/phone.py; rounds: {rounds})", "", *table(rows)]
