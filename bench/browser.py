"""Loading a page in Debian's Chromium and reading, in the page itself, what it measured."""

from __future__ import annotations

import json
import math
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from playwright.sync_api import BrowserContext, Page, Playwright, Request
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from bench.floors import ASSESSMENT
from bench.machine import QUIET
from bench.report import say
from bench.site import Target
from sitekit.chromium import CHROMIUM, CHROMIUM_ARGS
from sitekit.pages import ready_mark

PROBES = Path(__file__).resolve().parent / "probes"
REQUESTED_MARK, SHOWN_MARK = "assessment-result-requested", "assessment-result-shown"
READY_TIMEOUT_MS, RESULT_TIMEOUT_MS = 120_000, 15_000
SETTLE_S = 1.0  # a browser just started is still setting itself up; a reader's is running
THINK_MS = 1_000  # a reader scrolls to the button and takes a moment before asking


def probe(name: str) -> str:
    """Return the in-page probe bench/probes/<name>.js (a JavaScript function expression)."""
    return (PROBES / f"{name}.js").read_text(encoding="utf-8")


@contextmanager
def launch(playwright: Playwright, profile: Path | None = None) -> Iterator[BrowserContext]:
    """Yield Chromium settled on about:blank, on `profile` (or a fresh one); close it, flushed."""
    with tempfile.TemporaryDirectory(prefix="bench-profile-") as fresh:
        context = playwright.chromium.launch_persistent_context(
            str(profile or fresh), executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            context.pages[0].goto("about:blank")
            context.pages[0].wait_for_timeout(SETTLE_S * 1000)
            QUIET.wait()
            yield context
        finally:
            context.close()
            os.sync()


@dataclass(frozen=True)
class Kind:
    """A page of a served site, and what the benchmark measures on it."""

    name: str
    target: Target
    path: str
    question: str | None = None  # the form control whose first usable frame is timed
    content: str | None = None  # the content element whose first visible frame is timed
    ready: bool = False  # the page sets the assessment page's ready mark once Python answers
    submissions: int = 0  # results asked for on each load (the assessment form)


@dataclass
class Load:
    """What one page load measured (None where the page does not have it)."""

    question: float | None = None
    content: float | None = None
    ready: float | None = None
    blocking: float | None = None
    bytes: float | None = None  # what the page loaded, Python included
    kept_bytes: float | None = None  # what the service worker fetched to keep the site offline
    results: list[float] = field(default_factory=list)
    error: str | None = None
    runtime_files: list[str] = field(default_factory=list, repr=False)
    peak_mib: float | None = None  # the browser's peak resident memory (bench/phone.py)
    seconds: float = 0.0  # from the navigation until the load ended


def measure(context: BrowserContext, kind: Kind, submissions: int = 0) -> Load:
    """Load `kind` in `context` (a fresh or a warm profile) and measure it."""
    context.add_init_script(f"({probe('observe')})({json.dumps([kind.question, kind.content])});")
    finished: list[Request] = []
    context.on("requestfinished", lambda request: finished.append(request))
    page, load, mark = context.pages[0], Load(), ready_mark(kind.target.site.root, ASSESSMENT)
    page.goto(kind.target.site.url(kind.path), wait_until="load")
    if kind.ready:
        outcome = page.evaluate(probe("wait-ready"), [mark, READY_TIMEOUT_MS])
        if "error" in outcome:
            return Load(error=str(outcome["error"]))
        load.ready = float(outcome["ready"])
    for name in [name for name in ("question", "content") if getattr(kind, name)]:
        page.wait_for_function(f"() => window.__bench.{name} !== null", timeout=READY_TIMEOUT_MS)
    page.wait_for_load_state("networkidle")
    seen, end = page.evaluate("window.__bench"), load.ready or math.inf
    load.question, load.content = seen["question"], seen["content"]
    load.blocking = sum(length for start, length in seen["longtasks"] if start < end)
    if submissions:
        load.results, load.error = submit(page, submissions)
    load.bytes, load.kept_bytes = wire_bytes(finished), wire_bytes(finished, offline_copy=True)
    paths = [request.url.removeprefix(kind.target.site.origin) for request in finished]
    load.runtime_files = [path for path in paths if kind.target.is_runtime(path)]
    return load


def wire_bytes(finished: list[Request], offline_copy: bool = False) -> float:
    """Return the headers and bodies as sent of the page's requests, or the service worker's."""
    sizes = [r.sizes() for r in finished if bool(r.service_worker) == offline_copy]
    return sum(max(s["responseHeadersSize"], 0) + max(s["responseBodySize"], 0) for s in sizes)


def submit(page: Page, count: int) -> tuple[list[float], str | None]:
    """Ask for the result `count` times with different answers; return the latencies (ms)."""
    latencies: list[float] = []
    for seed in range(count):
        page.evaluate(probe("fill-form"), seed)
        if seed == 0:
            page.locator("#pp-submit").scroll_into_view_if_needed()
            page.wait_for_timeout(THINK_MS)
        shown = [SHOWN_MARK, page.evaluate(probe("mark-count"), SHOWN_MARK)]
        page.click("#pp-submit")
        try:
            page.wait_for_function(probe("mark-added"), arg=shown, timeout=RESULT_TIMEOUT_MS)
        except PlaywrightTimeoutError:
            return latencies, f"no {SHOWN_MARK} mark in {RESULT_TIMEOUT_MS} ms"
        delta = page.evaluate(probe("result-delta"), [REQUESTED_MARK, SHOWN_MARK])
        if delta is None:
            return latencies, f"{SHOWN_MARK} without a {REQUESTED_MARK} mark before it"
        latencies.append(float(delta))
    return latencies, None


def cold_load(playwright: Playwright, kind: Kind) -> Load:
    """Load `kind` once with a fresh profile."""
    with launch(playwright) as context:
        return measure(context, kind, kind.submissions)


def warm_loads(playwright: Playwright, kind: Kind, runs: int, linger_s: float) -> list[Load]:
    """Fill a profile with one visit (staying `linger_s`), then load `kind` on it `runs` times,
    Chromium relaunched each time; return those loads."""
    loads = []
    with tempfile.TemporaryDirectory(prefix="bench-warm-") as profile:
        for index in range(runs + 1):
            with launch(playwright, Path(profile)) as context:
                loads.append(measure(context, kind))
                if index == 0:
                    context.pages[0].wait_for_timeout(linger_s * 1000)
            say(f"warm {index}/{runs} {kind.name}: {loads[-1]}")
    return loads[1:]
