"""The machine under the benchmark: how busy its CPUs are, and what it runs."""

from __future__ import annotations

import json
import os
import platform
import subprocess
import time
from dataclasses import dataclass, field

from sitekit.chromium import CHROMIUM
from sitekit.hookfiles import REPO

QUIET_SAMPLE_S, QUIET_BUSY, QUIET_WAIT_S = 0.5, 0.25, 60.0


def cpu_times() -> tuple[int, int]:
    """Return the machine's (busy, total) CPU jiffies since boot; I/O wait and steal are busy."""
    with open("/proc/stat", encoding="ascii") as stat:
        fields = [int(value) for value in stat.readline().split()[1:9]]
    return sum(fields) - fields[3], sum(fields)


@dataclass
class Quiet:
    """Before each load or build, wait (up to a minute) for nearly idle CPUs; keep how busy."""

    enabled: bool = True
    samples: list[float] = field(default_factory=list)

    def wait(self) -> None:
        """Sample the CPUs until a sample is quiet enough or a minute passed; keep the last."""
        deadline = time.monotonic() + QUIET_WAIT_S
        while self.enabled:
            busy, total = cpu_times()
            time.sleep(QUIET_SAMPLE_S)
            busy_after, total_after = cpu_times()
            fraction = (busy_after - busy) / max(total_after - total, 1)
            if fraction <= QUIET_BUSY or time.monotonic() > deadline:
                self.samples.append(fraction)
                return


QUIET = Quiet()


def describe(load_start: tuple[float, float, float]) -> list[str]:
    """Describe the machine, how busy it was and the software measured, as Markdown items."""
    npm = json.loads((REPO / "package.json").read_text(encoding="utf-8"))["dependencies"]
    git = ["git", "-C", str(REPO), "describe", "--always", "--dirty"]
    chromium, commit = (
        subprocess.run(command, capture_output=True, text=True).stdout.strip()
        for command in ([str(CHROMIUM), "--version"], git)
    )
    with open("/proc/cpuinfo", encoding="utf-8") as info:
        cpu = next((line.split(":")[1].strip() for line in info if "model name" in line), "")
    busy = f"; CPUs at most {max(QUIET.samples):.0%} busy before a load" if QUIET.samples else ""
    return [
        f"- {cpu}, {len(os.sched_getaffinity(0))} cores usable; {platform.platform()}; {chromium}",
        f"- Pyodide {npm['pyodide']}, PyScript {npm['@pyscript/core']}; site at commit {commit}",
        f"- load average {load_start[0]:.2f} at start, {os.getloadavg()[0]:.2f} at end{busy}",
    ]
