"""The performance benchmark of the Partnership Playbook: ``make bench``.

Builds the site (timed), serves it as GitHub Pages would, loads its pages in Debian's Chromium
through Playwright, prints a Markdown table and writes it, with the machine's description, to
bench/results.md. It measures and asserts nothing; bench/README.md defines every figure.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import json
import math
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from importlib.metadata import version
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))  # sitekit, macros and this package live at the repository's root

from playwright.sync_api import BrowserContext, Page, Playwright, Request, sync_playwright  # noqa: E402
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError  # noqa: E402

from bench.floors import (  # noqa: E402
    ENGINE_FLOOR,
    FLOOR_DIR,
    READY_MARK,
    SITE_STDLIB_FLOOR,
    THEME_FLOOR,
    install_floors,
)
from bench.machine import QUIET, QUIET_BUSY, QUIET_SAMPLE_S, chromium_cpu, cpu_used_s  # noqa: E402
from sitekit.chromium import CHROMIUM, CHROMIUM_ARGS  # noqa: E402
from sitekit.manifest import Manifest, load_manifest  # noqa: E402
from sitekit.server import MOUNT, Site, serve  # noqa: E402

BENCH = REPO / "bench"
RESULTS = BENCH / "results.md"
MAX_AGE = 600

REQUESTED_MARK = "assessment-result-requested"
SHOWN_MARK = "assessment-result-shown"
QUESTION_SELECTOR = "#pp-form input[type=radio]"
CONTENT_SELECTOR = "article h1"
PLAIN_PAGE = "stay/"
ASSESSMENT_PAGE = "assessment/"

READY_TIMEOUT_MS = 120_000
RESULT_TIMEOUT_MS = 15_000
# How long the filling visit of a warm profile may take to keep the Python snapshot.
SNAPSHOT_TIMEOUT_MS = 60_000
# Seconds a freshly launched browser is left on about:blank before the measured navigation.
SETTLE_S = 1.0
# Seconds the filling visit of a warm profile stays on the page after it is ready.
LINGER_S = 5.0
THINK_MS = 1_000  # between scrolling to the button and the first request for a result
MIN_SUBMISSIONS = 20

TARGETS = {
    "question": 1.10,  # ratio to the plain page's first content
    "ready": 1.15,  # ratio to the worker floor
    "result_p95": 50.0,  # ms
    "blocking": 200.0,  # ms
    "bytes": 300_000,  # bytes
    "warm": 0.6,  # ratio to the cold figure
    "build": 3.0,  # s
}


def probe(name: str) -> str:
    """Return the in-page probe bench/probes/<name>.js (a JavaScript function expression)."""
    return (BENCH / "probes" / f"{name}.js").read_text(encoding="utf-8")


def say(text: str) -> None:
    """Report progress on stderr (the table goes to stdout)."""
    print(text, file=sys.stderr, flush=True)


# -- The machine's load, building ------------------------------------------------------------


@dataclass(frozen=True)
class Build:
    """One `mkdocs build --strict`: wall time (s) and peak resident memory (MiB)."""

    wall_s: float
    peak_mib: float


def timed_build(site_url: str, destination: Path) -> Build:
    """Build the site for `site_url` into `destination` in a subprocess; time it."""
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(destination)]
    env = {**os.environ, "SITE_URL": site_url, "NO_MKDOCS_2_WARNING": "1"}
    with tempfile.TemporaryFile() as log:
        start = time.perf_counter()
        process = subprocess.Popen(command, cwd=REPO, env=env, stdout=log, stderr=log)
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - start
        if os.waitstatus_to_exitcode(status) != 0:
            log.seek(0)
            raise SystemExit(
                f"mkdocs build --strict failed:\n{log.read().decode(errors='replace')}"
            )
    return Build(wall_s=wall, peak_mib=usage.ru_maxrss / 1024)  # ru_maxrss: KiB on Linux


# -- Loading pages ---------------------------------------------------------------------------


@dataclass
class Load:
    """What one page load measured (None where the page does not have it)."""

    question: float | None = None
    content: float | None = None
    ready: float | None = None
    cpu: float | None = None  # s of CPU, all of Chromium's processes, navigation to ready
    blocking: float | None = None
    bytes: int | None = None
    runtime_files: list[str] = field(default_factory=list)
    results: list[float] = field(default_factory=list)
    result_error: str | None = None
    error: str | None = None
    waterfall: list[tuple[float, float, int, str]] = field(default_factory=list)


@dataclass(frozen=True)
class Kind:
    """A page the benchmark loads, and what it measures on it."""

    name: str
    path: str
    question: str | None = None
    content: str | None = None
    ready: bool = False
    bytes: bool = False
    submissions: bool = False
    # The page keeps a Python snapshot for the next visit (a warm profile waits for it).
    snapshot: bool = False


@dataclass(frozen=True)
class Target:
    """The served site, and what its build shipped (runtime/manifest.json)."""

    site: Site
    manifest: Manifest
    root: Path

    def is_runtime(self, path: str) -> bool:
        """Tell whether URL path `path` is a file of Pyodide, PyScript or the engine."""
        bundles = (self.manifest.pyodide, self.manifest.pyscript, self.manifest.package)
        return path.startswith(tuple(MOUNT + bundle.base for bundle in bundles))


def launch(playwright: Playwright, profile: Path) -> BrowserContext:
    """Launch Chromium on the persistent profile in `profile`, settled on about:blank."""
    context = playwright.chromium.launch_persistent_context(
        str(profile), executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
    )
    # A browser just started is still setting itself up; a reader's is already running.
    context.pages[0].goto("about:blank")
    context.pages[0].wait_for_timeout(SETTLE_S * 1000)
    QUIET.wait()
    return context


def request_row(request: Request, origin_ms: float, origin: str) -> tuple[float, float, int, str]:
    """Return (start ms, end ms since navigation, transferred bytes, URL) of a finished request."""
    timing, sizes = request.timing, request.sizes()
    start = timing["startTime"] - origin_ms
    # -1 means unknown (e.g. served from the cache): nothing crossed the network.
    size = max(sizes["responseHeadersSize"], 0) + max(sizes["responseBodySize"], 0)
    return start, start + max(timing["responseEnd"], 0.0), size, request.url.replace(origin, "")


def measure(
    context: BrowserContext,
    kind: Kind,
    target: Target,
    submissions: int = 0,
    waterfall: bool = False,
) -> Load:
    """Load `kind` in `context` (a fresh or a warm profile) and measure it."""
    selectors = [kind.question, kind.content]
    context.add_init_script(f"({probe('observe')})({json.dumps(selectors)});")
    finished: list[Request] = []
    context.on("requestfinished", lambda request: finished.append(request))
    page, load, cpu_before = context.pages[0], Load(), chromium_cpu()
    page.goto(target.site.url(kind.path), wait_until="load")
    if kind.ready:
        outcome = page.evaluate(probe("wait-ready"), [READY_MARK, READY_TIMEOUT_MS])
        if "error" in outcome:
            load.error = str(outcome["error"])
            return load
        load.ready, load.cpu = float(outcome["ready"]), cpu_used_s(cpu_before, chromium_cpu())
    for name, selector in zip(("question", "content"), selectors, strict=True):
        if selector:
            page.wait_for_function(
                f"() => window.__bench.{name} !== null", polling=50, timeout=READY_TIMEOUT_MS
            )
    bench = page.evaluate("window.__bench")
    load.question, load.content = bench["question"], bench["content"]
    if load.ready is not None:
        load.blocking = sum(length for start, length in bench["longtasks"] if start < load.ready)
    if kind.bytes or waterfall:
        page.wait_for_load_state("networkidle")
    if kind.submissions and submissions:
        load.results, load.result_error = submit(page, submissions)
    if kind.bytes or waterfall:
        origin_ms = page.evaluate("performance.timeOrigin")
        rows = sorted(request_row(request, origin_ms, target.site.origin) for request in finished)
        load.waterfall, load.bytes = rows, sum(size for _, _, size, _ in rows)
        load.runtime_files = [url for *_, url in rows if target.is_runtime(url)]
    return load


def submit(page: Page, count: int) -> tuple[list[float], str | None]:
    """Ask for the result `count` times with different answers; return the latencies in ms."""
    if page.locator("#pp-submit").count() == 0:
        return [], "the page has no #pp-submit button"
    latencies: list[float] = []
    for seed in range(count):
        page.evaluate(probe("fill-form"), seed)
        if seed == 0:
            # A reader scrolls to the button and takes a moment before asking for a result:
            # painting the newly scrolled-to part of the page is not part of the answer time.
            page.locator("#pp-submit").scroll_into_view_if_needed()
            page.wait_for_timeout(THINK_MS)
        before = page.evaluate(probe("mark-count"), SHOWN_MARK)
        page.click("#pp-submit")
        try:
            page.wait_for_function(
                probe("mark-added"), arg=[SHOWN_MARK, before], polling=20, timeout=RESULT_TIMEOUT_MS
            )
        except PlaywrightTimeoutError:
            state = page.evaluate("document.getElementById('assessment-result')?.dataset.state")
            return latencies, f"no {SHOWN_MARK} mark in {RESULT_TIMEOUT_MS} ms (state {state})"
        delta = page.evaluate(probe("result-delta"), [REQUESTED_MARK, SHOWN_MARK])
        if delta is None:
            return latencies, f"{SHOWN_MARK} without a {REQUESTED_MARK} mark before it"
        latencies.append(float(delta))
    return latencies, None


def cold_load(playwright: Playwright, kind: Kind, target: Target, **options: Any) -> Load:
    """Load `kind` once with a fresh profile (removed afterwards, its writes flushed)."""
    try:
        with tempfile.TemporaryDirectory(prefix="bench-profile-") as profile:
            context = launch(playwright, Path(profile))
            try:
                return measure(context, kind, target, **options)
            finally:
                context.close()
    finally:
        os.sync()  # the profile's caches (tens of MB) are written now, not during the next load


def warm_loads(
    playwright: Playwright, kind: Kind, target: Target, runs: int, linger_s: float
) -> list[Load]:
    """Load `kind` once to fill a profile (staying `linger_s` and until the snapshot is kept),
    then `runs` times on it, relaunching Chromium each time; return those `runs` loads."""
    loads = []
    with tempfile.TemporaryDirectory(prefix="bench-warm-profile-") as folder:
        for index in range(runs + 1):
            context = launch(playwright, Path(folder))
            try:
                load = measure(context, kind, target)
                if index == 0:
                    context.pages[0].wait_for_timeout(linger_s * 1000)
                    if kind.snapshot and load.error is None:
                        wait_for_snapshot(context.pages[0], target.manifest.snapshot_cache)
            finally:
                context.close()
                os.sync()
            loads.append(load)
            visit = "filling visit (discarded)" if index == 0 else f"{index}/{runs}"
            say(f"warm {visit} {kind.name}: {brief(load)}")
    return loads[1:]


def wait_for_snapshot(page: Page, cache: str) -> None:
    """Wait until Cache Storage `cache` holds the Python snapshot; stop the run if it never does."""
    if not page.evaluate(probe("snapshot-kept"), [cache, SNAPSHOT_TIMEOUT_MS]):
        raise SystemExit(
            f"no Python snapshot in Cache Storage {cache!r} {SNAPSHOT_TIMEOUT_MS // 1000} s "
            "after the filling visit was ready: the warm figures would not measure a revisit"
        )


def brief(load: Load) -> str:
    """One line about a load, for the progress log."""
    names = ("question", "content", "ready", "blocking")
    parts = [f"{n} {v:.0f} ms" for n in names if (v := getattr(load, n)) is not None]
    parts += [f"{load.bytes / 1000:.1f} KB"] if load.bytes is not None else []
    parts += [f"CPU {load.cpu:.2f} s"] if load.cpu is not None else []
    parts += [f"results {', '.join(f'{v:.0f}' for v in load.results)} ms"] if load.results else []
    return "; ".join(parts + [f"ERROR {e}" for e in (load.result_error, load.error) if e])


# -- The run ---------------------------------------------------------------------------------


def kinds(context: bool = True) -> list[Kind]:
    """Return every page loaded in each run (without `context`, only what the table needs)."""
    flags = {"ready": True, "bytes": True, "submissions": True, "snapshot": True}
    pages = [
        Kind("assessment", ASSESSMENT_PAGE, QUESTION_SELECTOR, CONTENT_SELECTOR, **flags),
        Kind("plain", PLAIN_PAGE, content=CONTENT_SELECTOR, bytes=True),
        Kind("floor-worker", f"{FLOOR_DIR}/floor-worker.html", ready=True),
    ]
    if context:
        pages.append(Kind("floor-main", f"{FLOOR_DIR}/floor-main.html", ready=True))
        pages.append(Kind("floor-stdlib", f"{FLOOR_DIR}/{SITE_STDLIB_FLOOR}", ready=True))
        pages.append(Kind("floor-pyscript", f"{FLOOR_DIR}/floor-pyscript.html", ready=True))
        pages.append(Kind("floor-theme", f"{FLOOR_DIR}/{THEME_FLOOR}", ready=True))
        pages.append(Kind("floor-engine", f"{FLOOR_DIR}/{ENGINE_FLOOR}", ready=True))
    return pages


@dataclass
class Measurements:
    """Everything one benchmark run collected."""

    builds: list[Build]
    loads: dict[str, list[Load]]
    machine: dict[str, str]
    runs: int


@contextlib.contextmanager
def built_site(build_runs: int, gzip: bool = True) -> Iterator[tuple[Target, list[Build]]]:
    """Build the site `build_runs` times (timed), serve the last build; yield it and the builds."""
    with tempfile.TemporaryDirectory(prefix="bench-site-") as temp:
        root = Path(temp) / "site"
        with serve(root, max_age=MAX_AGE, compress=gzip) as site:
            builds = []
            for index in range(build_runs):
                QUIET.wait()
                builds.append(timed_build(site.base, root))
                say(f"build {index + 1}/{build_runs}: {builds[-1].wall_s:.2f} s")
            manifest = load_manifest(root)
            install_floors(root, manifest)
            yield Target(site, manifest, root), builds


def run(args: argparse.Namespace) -> Measurements:
    """Build, serve and measure; return everything measured."""
    load_start = os.getloadavg()
    gzip = not args.no_gzip
    with built_site(args.build_runs, gzip) as (target, builds), sync_playwright() as playwright:
        loads = measure_all(playwright, args, target)
    return Measurements(builds, loads, machine(load_start), args.runs)


def measure_all(
    playwright: Playwright, args: argparse.Namespace, target: Target
) -> dict[str, list[Load]]:
    """Run the cold loads of every page, then the warm revisits (under "<page>-warm")."""
    pages = kinds(context=not args.quick)
    if not (args.no_warmup or args.quick):
        for kind in pages:
            say(f"warm-up (discarded): {kind.name}: {brief(cold_load(playwright, kind, target))}")
    for kind in pages if args.waterfall else []:
        say(f"\nwaterfall: {kind.name}\n   start     end      bytes  url")
        for start, end, size, url in cold_load(playwright, kind, target, waterfall=True).waterfall:
            say(f"{start:8.0f}{end:8.0f}{size:11,}  {url}")
    per_run = max(3, math.ceil(args.submissions / args.runs))
    loads: dict[str, list[Load]] = {kind.name: [] for kind in pages}
    for index in range(args.runs):
        # Rotate the order, so drift on the machine spreads over every page.
        for kind in pages[index % len(pages) :] + pages[: index % len(pages)]:
            loads[kind.name].append(cold_load(playwright, kind, target, submissions=per_run))
            say(f"run {index + 1}/{args.runs} {kind.name}: {brief(loads[kind.name][-1])}")
    linger_s = 1.0 if args.quick else LINGER_S
    warmed = {"assessment"}
    if not args.quick:
        warmed |= {"floor-worker", "floor-theme", "floor-engine"}
    for kind in [kind for kind in pages if kind.name in warmed]:
        loads[f"{kind.name}-warm"] = warm_loads(playwright, kind, target, args.runs, linger_s)
    return loads


# -- Statistics and the report ---------------------------------------------------------------


@dataclass(frozen=True)
class Stat:
    """Median, min and max of a series (and how many values)."""

    median: float
    low: float
    high: float
    count: int

    @classmethod
    def of(cls, values: list[float]) -> Stat | None:
        """Summarise `values`, or None when there are none."""
        if not values:
            return None
        return cls(statistics.median(values), min(values), max(values), len(values))


def median_of(loads: list[Load], attribute: str) -> Stat | None:
    """Summarise one attribute over a list of loads (None values left out)."""
    return Stat.of([v for v in (getattr(load, attribute) for load in loads) if v is not None])


def ratio(stat: Stat | None, base: Stat | None) -> float | None:
    """Return the ratio of two medians, or None."""
    return None if stat is None or base is None or base.median == 0 else stat.median / base.median


def p95(values: list[float]) -> float:
    """Return the 95th percentile of `values` (nearest rank)."""
    return sorted(values)[max(0, math.ceil(0.95 * len(values)) - 1)]


def fmt(value: float | None, unit: str) -> str:
    """Format a value in its unit for the table."""
    if value is None:
        return "n/a"
    if unit == "KB":
        return f"{value / 1000:,.1f} KB"
    return {"ms": "{:,.0f} ms", "s": "{:.2f} s", "MiB": "{:,.0f} MiB"}[unit].format(value)


def verdict(ok: bool | None, detail: str = "") -> str:
    """Return "met"/"MISSED"/"not available", with a detail."""
    word = "not available yet" if ok is None else ("met" if ok else "**MISSED**")
    return f"{word} ({detail})" if detail else word


def at_most(value: float | Stat | None, limit: float) -> str:
    """Return the verdict of `value` (a Stat's median) ≤ `limit`."""
    value = value.median if isinstance(value, Stat) else value
    return verdict(None if value is None else value <= limit)


@dataclass(frozen=True)
class Row:
    """One row of the results table: a figure, its target and verdict, its baseline if any."""

    figure: str
    stat: Stat | None
    unit: str
    target: str
    met: str
    baseline: str = "none"
    base: Stat | None = None

    def cells(self) -> list[str]:
        """Return the Markdown cells of the row."""
        stat, rate = self.stat, ratio(self.stat, self.base)
        values = (stat.median, stat.low, stat.high) if stat else (None, None, None)
        base = f": {fmt(self.base.median, self.unit)}" if self.base else ""
        count = str(stat.count) if stat else "0"
        rated = "—" if rate is None else f"{rate:.2f}"
        formatted = [fmt(value, self.unit) for value in values]
        return [self.figure, count, *formatted, self.baseline + base, rated, self.target, self.met]


HEADER = ["figure", "n", "median", "min", "max", "baseline (median)", "ratio", "target", "met"]


def markdown_table(header: list[str], rows: list[list[str]]) -> list[str]:
    """Render a Markdown table, one line per item."""
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join(" --- " for _ in header) + "|"]
    return lines + ["| " + " | ".join(cells) + " |" for cells in rows]


def result_verdict(latencies: list[float], errors: list[str]) -> str:
    """Judge the result latency's 95th percentile, once there are enough submissions."""
    if not latencies:
        return verdict(None, errors[0] if errors else "no submission")
    tail = p95(latencies)
    if len(latencies) < MIN_SUBMISSIONS:
        return f"not judged (p95 {tail:.0f} ms over {len(latencies)} < {MIN_SUBMISSIONS})"
    return verdict(tail <= TARGETS["result_p95"], f"p95 {tail:.0f} ms")


def figure_rows(m: Measurements) -> list[Row]:
    """Return the table's rows, one per figure (bench/README.md defines each)."""
    assessment, plain, floor_worker = (
        m.loads["assessment"],
        m.loads["plain"],
        m.loads["floor-worker"],
    )
    question, content = median_of(assessment, "question"), median_of(plain, "content")
    ready, floor = median_of(assessment, "ready"), median_of(floor_worker, "ready")
    blocking, warm = (
        median_of(assessment, "blocking"),
        median_of(m.loads["assessment-warm"], "ready"),
    )
    transferred, wall = median_of(plain, "bytes"), Stat.of([b.wall_s for b in m.builds])
    latencies = [value for load in assessment for value in load.results]
    errors = sorted({load.result_error for load in assessment if load.result_error})
    runtime = sorted({url for load in plain for url in load.runtime_files})
    light = None if transferred is None else transferred.high <= TARGETS["bytes"] and not runtime
    files = f"runtime files: {', '.join(runtime)}" if runtime else "no Pyodide/PyScript file"
    worker_floor = "`loadPyodide()` floor in a worker"
    return [
        Row(
            "first question answerable, assessment page, cold",
            question,
            "ms",
            target=f"ratio ≤ {TARGETS['question']:.2f}",
            met=at_most(ratio(question, content), TARGETS["question"]),
            baseline=f"first content (`{CONTENT_SELECTOR}`), `{PLAIN_PAGE}`, cold",
            base=content,
        ),
        Row(
            "Python ready, assessment page, cold",
            ready,
            "ms",
            target=f"ratio ≤ {TARGETS['ready']:.2f}",
            met=at_most(ratio(ready, floor), TARGETS["ready"]),
            baseline=f"{worker_floor}, cold",
            base=floor,
        ),
        Row(
            "result requested → shown, Python ready",
            Stat.of(latencies),
            "ms",
            target=f"p95 ≤ {TARGETS['result_p95']:.0f} ms",
            met=result_verdict(latencies, errors),
        ),
        Row(
            "main-thread blocking until Python ready (long tasks > 50 ms)",
            blocking,
            "ms",
            target=f"≤ {TARGETS['blocking']:.0f} ms",
            met=at_most(blocking, TARGETS["blocking"]),
            baseline=worker_floor,
            base=median_of(floor_worker, "blocking"),
        ),
        Row(
            f"bytes transferred, `{PLAIN_PAGE}`, cold",
            transferred,
            "KB",
            target=f"≤ {TARGETS['bytes'] / 1000:.0f} KB, no Pyodide/PyScript file",
            met=verdict(light, files),
        ),
        Row(
            "Python ready, warm revisit",
            warm,
            "ms",
            target=f"ratio ≤ {TARGETS['warm']:.1f}",
            met=at_most(ratio(warm, ready), TARGETS["warm"]),
            baseline="the cold figure",
            base=ready,
        ),
        Row(
            "`mkdocs build --strict` wall time",
            wall,
            "s",
            target=f"≤ {TARGETS['build']:.0f} s",
            met=at_most(wall, TARGETS["build"]),
        ),
        Row(
            "`mkdocs build --strict` peak memory (RSS)",
            Stat.of([b.peak_mib for b in m.builds]),
            "MiB",
            target="reported",
            met="—",
        ),
    ]


# The informative rows: (page, attribute, label).
CONTEXT = (
    ("floor-worker", "ready", "Python ready, `loadPyodide()` floor in a worker"),
    ("floor-main", "ready", "Python ready, `loadPyodide()` floor on the main thread"),
    ("floor-main", "blocking", "main-thread blocking, floor on the main thread"),
    ("floor-theme", "blocking", "main-thread blocking until Python ready, theme floor"),
    ("floor-worker-warm", "ready", "Python ready, worker floor, warm revisit"),
    ("floor-theme-warm", "ready", "Python ready, theme floor, warm revisit"),
    ("floor-engine-warm", "ready", "Python ready, engine floor, warm revisit"),
    (
        "floor-stdlib",
        "ready",
        "Python ready, worker floor with the site's standard library (compiled where imported)",
    ),
    ("floor-pyscript", "ready", "Python ready, PyScript floor (its worker, one call; no engine)"),
    ("floor-theme", "ready", "Python ready, theme floor (the PyScript floor in the theme's page)"),
    ("floor-engine", "ready", "Python ready, engine floor (the theme floor running the engine)"),
    ("floor-worker", "cpu", "CPU until Python ready, `loadPyodide()` floor in a worker"),
    ("floor-stdlib", "cpu", "CPU until Python ready, worker floor with the site's library"),
    ("floor-pyscript", "cpu", "CPU until Python ready, PyScript floor"),
    ("floor-theme", "cpu", "CPU until Python ready, theme floor"),
    ("floor-engine", "cpu", "CPU until Python ready, engine floor"),
    ("assessment", "cpu", "CPU until Python ready, assessment page"),
    ("assessment", "content", f"first content (`{CONTENT_SELECTOR}`), assessment page"),
    ("assessment", "bytes", "bytes transferred, assessment page (with Python)"),
)


def context_rows(m: Measurements) -> list[list[str]]:
    """Return the informative rows: the floors and the other figures measured along the way."""
    assessment = m.loads["assessment"]
    rows = [(label, median_of(m.loads.get(page, []), name)) for page, name, label in CONTEXT]
    rows += [
        (
            "result requested → shown, first request of each load",
            Stat.of([load.results[0] for load in assessment if load.results]),
        ),
        (
            "result requested → shown, later requests",
            Stat.of([value for load in assessment for value in load.results[1:]]),
        ),
    ]
    cells = []
    for label, stat in rows:
        if stat is not None:
            unit = "KB" if "bytes" in label else "s" if label.startswith("CPU") else "ms"
            values = [fmt(value, unit) for value in (stat.median, stat.low, stat.high)]
            cells.append([label, str(stat.count), *values])
    return cells


FLOOR_STEPS = (
    ("floor-stdlib", "floor-worker"),
    ("floor-pyscript", "floor-stdlib"),
    ("floor-theme", "floor-pyscript"),
    ("floor-engine", "floor-theme"),
    ("assessment", "floor-engine"),
)


def floor_steps(m: Measurements, attribute: str) -> list[float | None]:
    """Return each step's ratio of `attribute` (medians): the site's standard library,
    PyScript, the theme, the engine, the rest of the page."""
    median = {page: median_of(m.loads.get(page, []), attribute) for page in m.loads}
    return [ratio(median.get(page), median.get(base)) for page, base in FLOOR_STEPS]


# The notes that split the cold ready ratio, per measured figure; {design} is PyScript x theme
# (the design's floor on the site's standard library), {with_engine} that x the engine, and
# {on_site} the page's ratio to the worker floor with the site's standard library.
FLOOR_NOTES = {
    "ready": "Where the cold ready ratio goes, floor by floor: the site's standard library (the "
    "modules the worker imports compiled at build time; Pyodide publishes them as source) takes "
    "{stdlib:.2f} of the `loadPyodide()` floor, which runs Pyodide as published; PyScript's "
    "own worker on the site's Pyodide (the PyScript floor) {pyscript:.2f} of the worker floor "
    "with that library; the theme's page around it (the theme floor) {theme:.2f} of the "
    "PyScript floor; this site's engine in that worker (the engine floor: the archive, its "
    "imports, the self-check call) {engine:.2f} of the theme floor; the rest of the assessment "
    "page (its form, scripts and checks) {own:.2f} of the engine floor. Their product is the "
    "page's ratio. On the site's own standard library, the design's floor (the theme floor) "
    "is {design:.2f} of the worker floor, with the engine {with_engine:.2f}, and the whole "
    "page {on_site:.2f}.",
    "cpu": "The same steps in CPU time (all of Chromium's processes, navigation to ready; a busy "
    "machine disturbs it less): the standard library {stdlib:.2f}, PyScript {pyscript:.2f}, "
    "the theme {theme:.2f}, the engine {engine:.2f}, the rest of the page {own:.2f}. On the "
    "site's own standard library, the design's floor is {design:.2f} of the worker floor in "
    "CPU time, with the engine {with_engine:.2f}, and the whole page {on_site:.2f}.",
}


def ratio_notes(m: Measurements) -> list[str]:
    """Split the cold ready ratio floor by floor (the standard library, PyScript, theme,
    engine, page), in wall time and in CPU time; say what caching gives, and what the floors
    take on a revisit."""
    notes = []
    for attribute, template in FLOOR_NOTES.items():
        steps = floor_steps(m, attribute)
        measured = [step for step in steps if step is not None]
        if len(measured) == len(steps):
            stdlib, pyscript, theme, engine, own = measured
            design = pyscript * theme
            figures = {"stdlib": stdlib, "pyscript": pyscript, "theme": theme, "engine": engine}
            ratios = {"design": design, "with_engine": design * engine}
            on_site = design * engine * own
            notes += ["", template.format(**figures, own=own, **ratios, on_site=on_site)]
    floor = median_of(m.loads.get("floor-worker", []), "ready")
    share = ratio(median_of(m.loads.get("floor-worker-warm", []), "ready"), floor)
    if share is not None:
        notes += [
            "",
            "Caching alone: the worker floor's warm revisit (every file from the HTTP cache, "
            f"WebAssembly from Chromium's code cache) takes {share:.2f} of its cold time; the "
            f"warm target asks the assessment page for {TARGETS['warm']} of its own.",
        ]
    cold = median_of(m.loads.get("assessment", []), "ready")
    theme_warm, engine_warm = (
        ratio(median_of(m.loads.get(f"floor-{name}-warm", []), "ready"), cold)
        for name in ("theme", "engine")
    )
    if theme_warm is not None and engine_warm is not None:
        verdict = "within" if engine_warm <= TARGETS["warm"] else "above"
        notes += [
            "",
            "The warm figure's floor: the theme floor's warm revisit (the design on a revisit: "
            f"no engine, no snapshot) takes {theme_warm:.2f} of the assessment page's cold "
            f"figure, the engine floor's {engine_warm:.2f}, {verdict} the {TARGETS['warm']} "
            "target by itself.",
        ]
    return notes


def machine(load_start: tuple[float, ...]) -> dict[str, str]:
    """Describe the machine: CPU, cores, memory, OS, its load, and the software measured."""

    def output(*command: str) -> str:
        try:
            return subprocess.run(command, capture_output=True, text=True).stdout.strip()
        except OSError:
            return ""

    info = {
        line.split(":")[0].strip(): line.split(":", 1)[1].strip()
        for path in ("/proc/cpuinfo", "/proc/meminfo")
        for line in Path(path).read_text(encoding="utf-8").splitlines()
        if ":" in line
    }
    packages = json.loads((REPO / "package.json").read_text(encoding="utf-8"))["dependencies"]
    busy = "not sampled (--quick)"
    if samples := QUIET.samples:
        noisy = sum(1 for value in samples if value > QUIET_BUSY)
        busy = (
            f"median {statistics.median(samples):.0%}, max {max(samples):.0%} over "
            f"{QUIET_SAMPLE_S} s just before each of {len(samples)} loads and builds (after "
            f"waiting up to {QUIET.wait_s:.0f} s for < {QUIET_BUSY:.0%}); {noisy} started above"
        )
    loads = [" ".join(f"{v:.2f}" for v in values) for values in (load_start, os.getloadavg())]
    commit = output("git", "-C", str(REPO), "describe", "--always", "--dirty=+changes")
    return {
        "CPU": info.get("model name", platform.machine()),
        "cores": f"{len(os.sched_getaffinity(0))} usable ({os.cpu_count()} online)",
        "memory": f"{int(info['MemTotal'].split()[0]) / 1024**2:.1f} GiB",
        "OS": f"{platform.system()} {platform.release()} ({platform.platform(terse=True)})",
        "Chromium": f"{output(str(CHROMIUM), '--version').split()[1]} ({CHROMIUM}, headless)",
        "Python": platform.python_version(),
        "Playwright": version("playwright"),
        "MkDocs / Material": f"{version('mkdocs')} / {version('mkdocs-material')}",
        "Pyodide / PyScript": f"{packages['pyodide']} / {packages['@pyscript/core']}",
        "site measured": f"commit {commit}" if commit else "unknown (no git)",
        "load average (1, 5, 15 min)": f"{loads[0]} at start, {loads[1]} at end",
        "CPU busy before each load or build (other processes)": busy,
    }


def report(m: Measurements, args: argparse.Namespace) -> str:
    """Return the Markdown report: the table, the context, the machine."""
    now = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
    gzip = "" if args.no_gzip else " and gzip for text files (as GitHub Pages)"
    parts = [
        "# Benchmark results",
        "",
        f"`make bench` (bench/run.py), {now}: {m.runs} cold runs per page and {m.runs} warm "
        f"revisits, {len(m.builds)} builds. Cold: a fresh Chromium profile per load; warm: one "
        "persistent profile, filled by one discarded visit. Served on 127.0.0.1 with "
        f"`Cache-Control: max-age={MAX_AGE}`{gzip}; loopback, no throttling. "
        "Definitions: bench/README.md.",
        "",
    ]
    parts += markdown_table(HEADER, [row.cells() for row in figure_rows(m)])
    parts += ["", "## Context (no target)", ""]
    parts += markdown_table(["figure", "n", "median", "min", "max"], context_rows(m))
    parts += [*ratio_notes(m), ""]
    parts += ["## Machine", "", *(f"- {key}: {value}" for key, value in m.machine.items()), ""]
    return "\n".join(parts)


def parser_with(
    description: str, numbers: tuple[tuple[str, int, str], ...]
) -> argparse.ArgumentParser:
    """A parser with integer options (flag, default, help) and --quiet-wait, --append."""
    parser = argparse.ArgumentParser(description=description.split("\n\n")[0])
    for flag, default, text in (*numbers, ("--quiet-wait", 60, "seconds to wait for idle CPUs")):
        parser.add_argument(flag, type=int, default=default, help=f"{text} (default {default})")
    parser.add_argument("--append", type=Path, help="append the section to this Markdown file")
    return parser


def publish(text: str, path: Path | None, append: bool = False) -> None:
    """Print the report (or section) and write it to `path`, or append it there."""
    print(text)
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a" if append else "w", encoding="utf-8") as out:
            out.write(("\n" if append else "") + text)
        say(f"written: {path}")


def require_chromium() -> None:
    """Stop with a clear message when Debian's Chromium is not installed."""
    if not (CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK)):
        raise SystemExit(f"{CHROMIUM} is missing: run 'make chromium' (apt-get install chromium).")


def parse(argv: list[str] | None) -> argparse.Namespace:
    """Parse the command line (bench/README.md describes each option)."""
    parser = parser_with(
        __doc__ or "",
        (
            ("--runs", 7, "cold and warm runs per page"),
            ("--build-runs", 3, "timed builds"),
            ("--submissions", MIN_SUBMISSIONS, "result requests in all (at least 3 per run)"),
        ),
    )
    parser.add_argument("--output", type=Path, default=RESULTS, help=f"the report ({RESULTS})")
    for flag, text in (
        ("--waterfall", "print the requests of one cold load of each page"),
        ("--no-gzip", "serve identity bodies only"),
        ("--no-warmup", "skip the discarded loads"),
        ("--quick", "smoke mode: no warm-up, no wait for idle CPUs, fewer pages"),
    ):
        parser.add_argument(flag, action="store_true", help=text)
    args = parser.parse_args(argv)
    if min(args.runs, args.build_runs) < 1:
        parser.error("--runs and --build-runs must be at least 1")
    return args


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark, print the report and write it (or append it, with --append)."""
    require_chromium()
    args = parse(argv)
    QUIET.enabled, QUIET.wait_s = not args.quick, args.quiet_wait
    publish(report(run(args), args), args.append or args.output, append=bool(args.append))
    return 0


if __name__ == "__main__":
    sys.exit(main())
