"""The core figures: the assessment page against its two baselines, cold and warm, and the build."""

from __future__ import annotations

import math
from dataclasses import replace
from functools import partial

from playwright.sync_api import Playwright

from bench import report
from bench.browser import Kind, Load, cold_load, warm_loads
from bench.floors import ASSESSMENT, READY_RATIO, SITE_STDLIB_QUERY, WORKER_FLOOR
from bench.report import at_most, median, p95_verdict, ratio_row, row
from bench.site import MAX_AGE, Build, Target

QUESTION, CONTENT, PLAIN = "#pp-form input[type=radio]", "article h1", "stay/"
TARGETS = {"question": 1.10, "ready": READY_RATIO, "same_files": 1.3, "result": 50.0}
# warm: what a revisit reached without the memory snapshot (bench/levers.md), with some room.
TARGETS |= {"blocking": 200.0, "bytes": 300_000, "python_bytes": 5_000_000, "warm": 0.8}
TARGETS |= {"build": 3.0}
MIN_SUBMISSIONS = 20
LINGER_S = 5.0  # how long the filling visit of a warm profile stays once Python is ready
# What another tree is compared on, in ms: (loads, attribute, figure).
VERSUS_FIGURES = (
    ("assessment", "question", "first question answerable"),
    ("assessment", "ready", "Python ready, cold"),
    ("assessment", "blocking", "main-thread blocking until Python ready"),
    ("assessment", "results", "result requested → shown"),
    ("warm assessment", "ready", "Python ready, warm revisit"),
    ("plain", "content", f"first content, `{PLAIN}`"),
    ("plain", "blocking", f"main-thread blocking, `{PLAIN}`"),
)


def kinds(target: Target, submissions: int) -> list[Kind]:
    """Return the pages loaded in each run: the assessment page and its baselines (one floor)."""
    assessment = Kind("assessment", target, ASSESSMENT, QUESTION, CONTENT, True, submissions)
    pages = [assessment, Kind("plain", target, PLAIN, content=CONTENT)]
    if target.variant:
        return [replace(kind, name=f"{kind.name} ({target.variant})") for kind in pages]
    same_files = f"{WORKER_FLOOR}?{SITE_STDLIB_QUERY}"
    floors = [Kind("floor", target, WORKER_FLOOR, ready=True)]
    return [*pages, *floors, Kind("floor, same files", target, same_files, ready=True)]


def measure(
    playwright: Playwright, targets: list[Target], runs: int, quick: bool
) -> dict[str, list[Load]]:
    """Load every page cold `runs` times in a rotating order, then warm (as "warm <page>")."""
    each = 3 if quick else max(3, math.ceil(MIN_SUBMISSIONS / runs))
    pages = [kind for target in targets for kind in kinds(target, each)]
    for kind in [] if quick else pages:
        report.say(f"warm-up (discarded) {kind.name}: {cold_load(playwright, kind)}")
    loads: dict[str, list[Load]] = {kind.name: [] for kind in pages}
    for index in range(runs):
        for kind in pages[index % len(pages) :] + pages[: index % len(pages)]:
            loads[kind.name].append(cold_load(playwright, kind))
            report.say(f"cold {index + 1}/{runs} {kind.name}: {loads[kind.name][-1]}")
    for kind in [kind for kind in pages if kind.submissions]:
        loads[f"warm {kind.name}"] = warm_loads(playwright, kind, runs, 1.0 if quick else LINGER_S)
    return loads


def figure_rows(loads: dict[str, list[Load]], builds: list[Build]) -> list[list[str]]:
    """Return the core table's rows, one per figure (bench/README.md defines each)."""
    v = partial(report.values, loads)
    t, ready, walls = TARGETS, v("assessment", "ready"), [build.wall_s for build in builds]
    results, blocking = v("assessment", "results"), v("assessment", "blocking")
    plain = v("plain", "bytes")
    runtime = sorted({url for load in loads["plain"] for url in load.runtime_files})
    heaviest = max(plain, default=None) if not runtime else math.inf
    files = f"runtime files: {', '.join(runtime)}" if runtime else "no Pyodide/PyScript file"
    floor = "`loadPyodide()` floor in a worker"
    return [
        ratio_row("first question answerable, assessment page, cold", v("assessment", "question"),
                  "ms", (f"first content (`{CONTENT}`), `{PLAIN}`, cold", v("plain", "content")),
                  t["question"]),
        ratio_row("Python ready, assessment page, cold", ready, "ms",
                  (f"{floor}, cold", v("floor", "ready")), t["ready"]),
        ratio_row("the same, against the same files", ready, "ms", (f"{floor}, the site's "
                  "standard library, cold", v("floor, same files", "ready")), t["same_files"]),
        row("result requested → shown, Python ready", results, "ms", f"p95 ≤ {t['result']:.0f} ms",
            p95_verdict(results, t["result"], MIN_SUBMISSIONS)),
        row("main-thread blocking until Python ready (long tasks > 50 ms)", blocking, "ms",
            f"≤ {t['blocking']:.0f} ms", at_most(median(blocking), t["blocking"]),
            (floor, v("floor", "blocking"))),
        row(f"bytes transferred, `{PLAIN}`, cold", plain, "KB",
            f"≤ {t['bytes'] / 1000:.0f} KB, no Pyodide/PyScript file",
            at_most(heaviest, t["bytes"], files)),
        row("bytes on the wire, assessment page (with Python), cold", v("assessment", "bytes"),
            "KB", f"≤ {t['python_bytes'] / 1e6:.0f} MB",
            at_most(median(v("assessment", "bytes")), t["python_bytes"])),
        *[row(f"then the service worker's offline copy of the site, `{page}`",
              v(kind, "kept_bytes"), "KB", "reported", "—")
          for kind, page in (("plain", PLAIN), ("assessment", ASSESSMENT))],
        ratio_row("Python ready, warm revisit", v("warm assessment", "ready"), "ms",
                  ("the cold figure", ready), t["warm"]),
        row("`mkdocs build --strict` wall time", walls, "s", f"≤ {t['build']:.0f} s",
            at_most(median(walls), t["build"])),
        row("`mkdocs build --strict` peak memory (RSS)", [b.peak_mib for b in builds], "MiB",
            "reported", "—"),
    ]  # fmt: skip


def section(loads: dict[str, list[Load]], builds: list[Build], runs: int) -> list[str]:
    """Return the core figures' table, then each other tree against this one."""
    compared = []
    for variant in sorted({name.split(" (")[1][:-1] for name in loads if name.endswith(")")}):
        for page, key, figure in VERSUS_FIGURES:
            built, off = (report.values(loads, name, key) for name in (page, f"{page} ({variant})"))
            compared.append(report.versus_row(variant, figure, built, off, "ms"))
    return [
        f"{runs} cold loads per page (a fresh Chromium profile each), {runs} warm revisits, "
        f"{len(builds)} builds. Served on 127.0.0.1 with `Cache-Control: max-age={MAX_AGE}` and "
        "gzip for text and WebAssembly (as GitHub Pages); loopback, no throttling.",
        "",
        *report.table(figure_rows(loads, builds)),
        *report.table(compared, report.VERSUS_HEADER),
    ]
