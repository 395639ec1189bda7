"""The machine under the benchmark: how busy its CPUs are, and how much CPU Chromium has used.

Cold starts of Python are bound by CPU on a small machine, so the benchmark waits for idle CPUs
before each load (``QUIET``) and counts the CPU time Chromium spends (``cpu_used_s``),
which another process on the machine disturbs far less than a wall-clock time.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from pathlib import Path

# Before each load or build: wait up to --quiet-wait s for a QUIET_SAMPLE_S sample below QUIET_BUSY.
QUIET_SAMPLE_S = 0.5
QUIET_BUSY = 0.25
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def cpu_times() -> tuple[int, int]:
    """Return the machine's (busy, total) CPU jiffies since boot; I/O wait and steal are busy."""
    with open("/proc/stat", encoding="ascii") as stat:
        fields = [int(value) for value in stat.readline().split()[1:9]]
    return sum(fields) - fields[3], sum(fields)


@dataclass
class Quiet:
    """Before each load or build, wait (up to `wait_s`) for nearly idle CPUs; keep how busy."""

    enabled: bool = True
    wait_s: float = 60.0
    samples: list[float] = field(default_factory=list)

    def wait(self) -> None:
        """Sample the CPUs until a sample is quiet enough or `wait_s` passed; keep the last."""
        deadline = time.monotonic() + self.wait_s
        while self.enabled:
            busy, total = cpu_times()
            time.sleep(QUIET_SAMPLE_S)
            busy_after, total_after = cpu_times()
            fraction = (busy_after - busy) / max(total_after - total, 1)
            if fraction <= QUIET_BUSY or time.monotonic() > deadline:
                self.samples.append(fraction)
                return


QUIET = Quiet()


def chromium_cpu() -> dict[int, int]:
    """Return the CPU time (clock ticks, user + system, with reaped children) of every running
    Chromium process by PID: the browser, its renderers, GPU and utility processes, and their
    threads."""
    ticks: dict[int, int] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            stat = Path(entry.path, "stat").read_text(encoding="ascii", errors="replace")
        except OSError:
            continue  # the process ended while it was read
        # "pid (name) state ...": the name is the program's (child processes rewrite their
        # command line, not their name); utime, stime, cutime, cstime follow as fields 14-17.
        name, fields = stat.split("(", 1)[1].rsplit(")", 1)
        if name == "chromium":
            ticks[int(entry.name)] = sum(int(value) for value in fields.split()[11:15])
    return ticks


def cpu_used_s(before: dict[int, int], after: dict[int, int]) -> float:
    """Return the CPU seconds Chromium used between two readings of `chromium_cpu`."""
    # Counted process by process: a process that ended in between (the previous load's
    # browser, still closing at the first reading) takes its own CPU time with it and must
    # not be subtracted from the others'. A renderer of this load that ends is reaped by a
    # Chromium parent, whose children's time then holds it.
    return sum(ticks - before.get(pid, 0) for pid, ticks in after.items()) / CLOCK_TICKS
