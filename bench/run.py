"""The performance benchmark of the Partnership Playbook: ``make bench``.

Builds the site (timed), serves it on 127.0.0.1 under the sub-path of the Chromium suite with
the headers GitHub Pages sends, drives Debian's Chromium headless through Playwright, prints a
Markdown table and writes it, with a description of the machine, to ``bench/results.md``.
It measures; it asserts nothing (tests/test_bench_smoke.py only checks that it runs).

What each figure means
----------------------
All page times are milliseconds since navigation start (``performance.now()`` in the page),
read from the page itself, so Playwright's own round trips never enter a figure.

first question
    The first radio of the form (``#pp-form input[type=radio]``) exists, is visible
    (``checkVisibility`` with CSS visibility and opacity) and enabled (``:enabled``, so a
    disabled fieldset counts). A ``requestAnimationFrame`` poll, injected before any page
    script with ``add_init_script``, stamps the first frame in which that holds. Baseline: the
    same poll on a plain playbook page (``stay/``) for its first content element
    (``article h1``). While the assessment page had no form yet, the poll fell back to
    ``#py-status`` (the table says so when that happens).
Python ready
    The ``startTime`` of the page's ``performance.mark("assessment-engine-ready")`` (set when
    ``#py-status`` turns ``data-state="ready"``). Baseline, "the floor": bench/baseline/, a bare
    page that runs ``loadPyodide({indexURL})`` from the site's own ``runtime/pyodide/`` and sets
    the same mark, copied into the served copy of the site as ``bench-floor/`` (never into
    docs/). The assessment page starts Python in a Web Worker, so the fair floor is
    ``floor-worker.html`` (a module worker that runs ``loadPyodide()`` and nothing else, then
    posts "ready"); ``floor-main.html`` (``loadPyodide()`` on the page's own thread) is
    reported too, to show what the worker saves the main thread.
result latency
    With Python ready, the answers are filled in (a different set each time), ``#pp-submit``
    is clicked and the figure is the last ``assessment-result-shown`` mark minus the last
    ``assessment-result-requested`` mark (both set by the page): at least 3 per cold load of
    the assessment page and at least ``--submissions`` (20) in all; the target applies to their
    95th percentile (nearest rank). Before the first click of a load the button is scrolled
    into view and THINK_MS (1 s) pass, as for a visitor: painting the part of the page just
    scrolled to is not answer time. The context table splits the first request of each load
    (the engine's first call) from the later ones.
main-thread blocking
    A ``PerformanceObserver({type: "longtask", buffered: true})`` installed with
    ``add_init_script``; the sum of the ``duration`` of the long tasks (all over 50 ms by
    definition) that start before the ready mark. Baseline: the worker floor.
bytes
    A cold load of ``stay/`` until the network is idle (the search worker's index included):
    every response's ``request.sizes()`` (headers plus encoded body) from Playwright's
    context-level events, which see Web Workers' requests too. 1 KB = 1,000 bytes. Any
    Pyodide or PyScript file requested is listed (there must be none).
warm revisit
    Python ready again with a profile that has already loaded the assessment page once (its
    HTTP cache and V8's code caches populated); each warm run relaunches Chromium on that same
    profile (``launch_persistent_context``), so only the disk caches carry over, as on a
    visitor's next visit within the 10 minutes of ``max-age=600``. The first visit stays 5 s
    on the page once ready (LINGER_S), so what Chromium writes after it (the WebAssembly code
    cache once its top tier is compiled) is there. Baseline: the cold figure.
build
    ``mkdocs build --strict`` of the whole site in a subprocess, ``--build-runs`` times (3 by
    default); wall time with ``time.perf_counter`` and the peak resident memory of the build
    process from ``os.wait4``'s resource usage. The served site is the last of these builds.

How pages are loaded
--------------------
Cold: every load gets a fresh profile (a new ``launch_persistent_context`` on an empty
folder), so nothing is cached, not even compiled code. Pages are loaded in turn within each run
(assessment, plain page, floors, experiments), rotating the order, so drift on the machine
spreads over all of them. One discarded load of each page comes first (``--no-warmup`` skips
it) so the OS file cache and the server's gzip cache are warm for everyone. Each browser is
left SETTLE_S (1 s) on about:blank after it starts, and each load waits (up to 60 s) for the
CPUs to be nearly idle (``--quiet-wait``): the machine may be shared, and the report says
how busy it was.
``--quick`` (the smoke test) skips the warm-up, the waiting and the informative pages.

Serving: the Chromium suite's handler (tests/browser/harness.py: built with the site URL
``http://127.0.0.1:<port>/playbook/`` and served under ``/playbook/`` only), plus what GitHub
Pages sends: ``Cache-Control: max-age=600`` on every response and gzip for text types
(``--no-gzip`` serves identity bodies). The loopback network is not throttled: network time is
close to nil, so the figures measure the critical path's CPU work and its ordering.

Levers
------
``--experiment NAME`` (repeatable) also measures, in the same runs, a patched copy of the built
assessment page (``assessment-x-NAME/`` in the served temp folder; the tracked site is never
touched), and prints a before/after table: see EXPERIMENTS. ``--waterfall`` prints the request
waterfall of one cold load of each page; ``--trace DIR`` saves a Chromium performance trace of
one cold load of each page (open it in DevTools' Performance panel or ui.perfetto.dev) and
prints where each thread spent its time before Python was ready.
"""

from __future__ import annotations

import argparse
import datetime
import functools
import gzip
import http.server
import io
import json
import math
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from importlib.metadata import version
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

REPO = Path(__file__).resolve().parents[1]
# The Chromium suite's harness (server handler, Chromium path and flags) is imported, not copied.
sys.path.insert(0, str(REPO))

from playwright.sync_api import (  # noqa: E402
    BrowserContext,
    Page,
    Playwright,
    Request,
    sync_playwright,
)
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError  # noqa: E402

from tests.browser.harness import CHROMIUM, CHROMIUM_ARGS, MOUNT, SubPathHandler  # noqa: E402

BENCH = REPO / "bench"
BASELINE = BENCH / "baseline"
RESULTS = BENCH / "results.md"
FLOOR_DIR = "bench-floor"

CACHE_CONTROL = "max-age=600"
# Text types GitHub Pages sends gzip-compressed; the WebAssembly binary and zip files it does not.
GZIP_SUFFIXES = frozenset(
    {".html", ".css", ".js", ".mjs", ".json", ".svg", ".xml", ".txt", ".py", ".toml", ".map"}
)

READY_MARK = "assessment-engine-ready"
REQUESTED_MARK = "assessment-result-requested"
SHOWN_MARK = "assessment-result-shown"
QUESTION_SELECTOR = "#pp-form input[type=radio]"
QUESTION_FALLBACK = "#py-status"
CONTENT_SELECTOR = "article h1"
PLAIN_PAGE = "stay/"
ASSESSMENT_PAGE = "assessment/"
# A request whose path holds one of these is a file of Pyodide or PyScript.
RUNTIME_NEEDLES = ("/runtime/", "pyodide", "pyscript", "python_stdlib", ".wasm")

READY_TIMEOUT_MS = 120_000
# Seconds a freshly launched browser is left on about:blank before the measured navigation.
SETTLE_S = 1.0
# Seconds the first visit of a warm profile stays on the page after it is ready.
LINGER_S = 5.0
# Before each load: wait up to QUIET_WAIT_S for a QUIET_SAMPLE_S sample below QUIET_BUSY.
QUIET_WAIT_S = 60.0
QUIET_SAMPLE_S = 0.5
QUIET_BUSY = 0.25
RESULT_TIMEOUT_MS = 15_000
# Milliseconds between scrolling to the button (once Python is ready and the form is filled)
# and the first request for a result.
THINK_MS = 1_000
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


# -- Serving ---------------------------------------------------------------------------------


@functools.lru_cache(maxsize=512)
def gzipped(path: str, mtime: float) -> bytes:
    """Return the gzip-compressed bytes of file `path` (cached per modification time)."""
    return gzip.compress(Path(path).read_bytes(), compresslevel=6, mtime=0)


class BenchHandler(SubPathHandler):
    """The harness's sub-path handler, sending what GitHub Pages sends: max-age=600 and gzip."""

    compress = True

    def end_headers(self) -> None:
        """Add GitHub Pages' caching header to every response."""
        self.send_header("Cache-Control", CACHE_CONTROL)
        super().end_headers()

    def send_head(self) -> Any:
        """Serve a text file gzip-compressed when the browser accepts it, as GitHub Pages does."""
        path = self.translate_path(self.path)
        if os.path.isdir(path) and urlsplit(self.path).path.endswith("/"):
            path = os.path.join(path, "index.html")
        accepts = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (self.compress and accepts and os.path.isfile(path)):
            return super().send_head()
        if os.path.splitext(path)[1] not in GZIP_SUFFIXES:
            return super().send_head()
        stat = os.stat(path)
        body = gzipped(path, stat.st_mtime)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(path))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Vary", "Accept-Encoding")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Last-Modified", self.date_time_string(int(stat.st_mtime)))
        self.end_headers()
        return io.BytesIO(body)


@contextmanager
def serve(root: Path, compress: bool) -> Iterator[str]:
    """Serve `root` at http://127.0.0.1:<port>/playbook/ while in the block; yield the origin."""
    handler = type("Handler", (BenchHandler,), {"compress": compress})
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(handler, directory=str(root))
    )
    host, port = server.server_address[:2]
    thread = threading.Thread(target=server.serve_forever, name="bench-server", daemon=True)
    thread.start()
    try:
        yield f"http://{host!s}:{port}"
    finally:
        server.shutdown()
        thread.join()
        server.server_close()


# -- Building --------------------------------------------------------------------------------


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
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode != 0:
            log.seek(0)
            output = log.read().decode(errors="replace")
            raise SystemExit(f"mkdocs build --strict failed:\n{output}")
    # ru_maxrss is in KiB on Linux.
    return Build(wall_s=wall, peak_mib=usage.ru_maxrss / 1024)


# -- Levers: patched copies of the built assessment page ----------------------------------------


def runtime_names(root: Path) -> dict[str, list[str]]:
    """Return the files the assessment page's engine fetches, by group, as URLs from the page."""
    pyscript = root / "runtime" / "pyscript"
    core_chunk = sorted(p.name for p in pyscript.glob("core-*.js"))
    # The chunks PyScript's core imports as soon as it starts (its plugins and helpers), as
    # seen in the waterfall: small files, each fetched only once core-*.js has run.
    plugins = sorted(
        p.name
        for p in pyscript.glob("*.js")
        if re.match(r"(deprecations-manager|donkey|error|py-editor|py-game|py-terminal)-", p.name)
    )
    package = sorted(p.name for p in (root / "runtime" / "assessment").iterdir())
    return {
        "pyscript": [f"../runtime/pyscript/{name}" for name in ["core.js", *core_chunk, *plugins]],
        "page": [
            "pyscript.json",
            "main.py",
            *(f"../runtime/assessment/{name}" for name in package),
        ],
        "pyodide": [
            f"../runtime/pyodide/{name}"
            for name in (
                "pyodide.mjs",
                "pyodide.asm.mjs",
                "pyodide.asm.wasm",
                "python_stdlib.zip",
                "pyodide-lock.json",
            )
        ],
    }


def preload_tags(root: Path, *groups: str) -> str:
    """Return the <link> hints that start fetching the engine's files from the page's <head>.

    PyScript's modules run on the page: `modulepreload`. Everything else is fetched by the
    worker (module imports and fetch()); a hint on the page can only fill the HTTP cache the
    worker then reads, hence `crossorigin` (CORS mode with same-origin credentials, as a
    worker's module import or fetch() asks) and as="fetch" (as="script" for the .mjs).
    """
    names = runtime_names(root)
    tags = []
    for group in groups:
        for href in names[group]:
            if group == "pyscript":
                tags.append(f'<link rel="modulepreload" href="{href}">')
            else:
                kind = "script" if href.endswith(".mjs") else "fetch"
                tags.append(f'<link rel="preload" href="{href}" as="{kind}" crossorigin>')
    return "\n".join(tags)


EARLY_CORE = '<script type="module" async src="../runtime/pyscript/core.js"></script>'
PY_TAG = re.compile(r'<script type="py" worker[^>]*></script>\n?')


def move_py_tag_up(html: str) -> str:
    """Move the page's <script type="py" worker> to the start of the article."""
    tag = PY_TAG.search(html)
    if tag is None:
        raise SystemExit('the assessment page has no <script type="py" worker> tag')
    html = html[: tag.start()] + html[tag.end() :]
    article = re.search(r"<article[^>]*>", html)
    if article is None:
        raise SystemExit("the assessment page has no <article>")
    return html[: article.end()] + tag.group(0) + html[article.end() :]


def in_head(html: str, tags: str) -> str:
    """Insert `tags` right after the page's <meta charset>, so they are seen first."""
    anchor = re.search(r"<meta charset=[^>]*>", html)
    at = anchor.end() if anchor else html.index("<head>") + len("<head>")
    return html[:at] + "\n" + tags + html[at:]


def patch_preload(html: str, root: Path) -> str:
    """Preload everything the engine fetches (PyScript, page files, Pyodide) from the <head>."""
    return in_head(html, preload_tags(root, "pyscript", "page", "pyodide"))


def patch_preload_pyscript(html: str, root: Path) -> str:
    """Modulepreload PyScript's modules, preload the config, main.py and the package."""
    return in_head(html, preload_tags(root, "pyscript", "page"))


def patch_preload_pyodide(html: str, root: Path) -> str:
    """Preload only Pyodide's five files (the worker's big downloads) from the <head>."""
    return in_head(html, preload_tags(root, "pyodide"))


def patch_early(html: str, root: Path) -> str:
    """Start PyScript from the <head> (async module script) and put the py tag first."""
    return in_head(move_py_tag_up(html), EARLY_CORE)


def patch_early_preload(html: str, root: Path) -> str:
    """`early` plus `preload-pyscript` (no Pyodide preload)."""
    tags = preload_tags(root, "pyscript", "page") + "\n" + EARLY_CORE
    return in_head(move_py_tag_up(html), tags)


def patch_early_preload_pyodide(html: str, root: Path) -> str:
    """`early` plus `preload-pyodide`."""
    tags = preload_tags(root, "pyodide") + "\n" + EARLY_CORE
    return in_head(move_py_tag_up(html), tags)


def patch_early_preload_all(html: str, root: Path) -> str:
    """`early` plus `preload` (every file the engine fetches)."""
    tags = preload_tags(root, "pyscript", "page", "pyodide") + "\n" + EARLY_CORE
    return in_head(move_py_tag_up(html), tags)


# The `no-pyscript` lever: app.js's start() replaced by a plain module worker (engine-worker.js
# from bench/baseline/) that runs Pyodide and main.py and answers the same calls by message.
NO_PYSCRIPT_START = """const start = async () => {
  const worker = await earlyWorker();
  const pending = new Map();
  let next = 0;
  const call = (name) => (...args) =>
    new Promise((done, fail) => {
      const id = next++;
      pending.set(id, [done, fail]);
      worker.postMessage({ id, name, args });
    });
  worker.onmessage = ({ data }) => {
    const [done, fail] = pending.get(data.id);
    pending.delete(data.id);
    if ("error" in data) fail(new Error(data.error));
    else done(data.result);
  };
  // Not a thenable: `await engine` must give this object itself.
  return new Proxy({}, { get: (_, name) => (name === "then" ? undefined : call(name)) });
};
"""
# The worker engine-start.js started from the <head> (`no-pyscript-early`), else a new one.
EARLY_WORKER = """const earlyWorker = () =>
  globalThis.ppEngineWorker ??
  new Promise((resolve) => {
    const script = document.getElementById("pp-engine-start");
    if (!script) return resolve(startWorker());
    script.addEventListener("load", () => resolve(globalThis.ppEngineWorker ?? startWorker()));
    script.addEventListener("error", () => resolve(startWorker()));
  });
"""
EARLY_START = '<script async id="pp-engine-start" src="engine-start.js"></script>'
# Starts the engine's worker and resolves with it once it says it is ready. In app.js for
# `no-pyscript`; in engine-start.js, an async script at the top of <head>, for
# `no-pyscript-early`, so that the worker starts while the page is still being parsed, not
# after Material's bundle and app.js.
START_WORKER = """const startWorker = () =>
  new Promise((resolve, reject) => {
    const url = new URL("engine-worker.js%s", document.baseURI);
    const worker = new Worker(url, { type: "module" });
    worker.addEventListener("message", ({ data }) => {
      if (data.ready) resolve(worker);
      else if (data.id === undefined) reject(new Error(data.error));
    }, { once: true });
    worker.addEventListener("error", (event) => reject(new Error(event.message)), { once: true });
  });
"""
APP_START = re.compile(r"const start = async \(\) => \{\n.*?\n\};\n", re.DOTALL)


def patch_no_pyscript(folder: Path, root: Path, query: str = "", early: bool = False) -> None:
    """Run the engine in a plain module worker with Pyodide alone (no PyScript at all)."""
    app = folder / "app.js"
    text = app.read_text(encoding="utf-8")
    if APP_START.search(text) is None:
        raise SystemExit("no-pyscript: app.js has no `const start = async () => {...};` to replace")
    start = START_WORKER % query + EARLY_WORKER + NO_PYSCRIPT_START
    app.write_text(APP_START.sub(lambda _: start, text, count=1), encoding="utf-8")
    shutil.copy(BASELINE / "engine-worker.js", folder / "engine-worker.js")
    page = folder / "index.html"
    html = PY_TAG.sub("", page.read_text(encoding="utf-8"))
    if early:
        # A file, not an inline script: the page's Content-Security-Policy allows only 'self'
        # and the hashes of its own inline scripts.
        start_early = START_WORKER % query + "globalThis.ppEngineWorker = startWorker();\n"
        (folder / "engine-start.js").write_text(start_early, encoding="utf-8")
        html = in_head(html, EARLY_START)
    page.write_text(html, encoding="utf-8")


def patch_no_pyscript_snapshot(folder: Path, root: Path) -> None:
    """`no-pyscript`, and a revisit starts from a Pyodide memory snapshot kept by the first."""
    patch_no_pyscript(folder, root, "?snapshot")


def patch_no_pyscript_early(folder: Path, root: Path) -> None:
    """`no-pyscript`, the worker started by an async script at the top of the <head>."""
    patch_no_pyscript(folder, root, early=True)


def patch_no_pyscript_early_snapshot(folder: Path, root: Path) -> None:
    """`no-pyscript-early` and `no-pyscript-snapshot` together."""
    patch_no_pyscript(folder, root, "?snapshot", early=True)


HEAD_PREFLIGHT = '...runtime.map((url) => fetchChecked(url, "HEAD")),'
BODY_PREFLIGHT = "...runtime.map(async (url) => (await fetchChecked(url)).arrayBuffer()),"
WARMUP = re.compile(r"\n    // One throw-away call.*?\n    call\(\"assess_json\".*?\n", re.DOTALL)


def patch_text(path: Path, lever: str, old: str | re.Pattern[str], new: str) -> None:
    """Replace the single occurrence of `old` in file `path`, or stop naming the lever."""
    text = path.read_text(encoding="utf-8")
    found = len(old.findall(text)) if isinstance(old, re.Pattern) else text.count(old)
    if found != 1:
        raise SystemExit(f"{lever}: {path.name} has {found} matches for the patched code, not 1")
    if isinstance(old, re.Pattern):
        path.write_text(old.sub(lambda _: new, text), encoding="utf-8")
    else:
        path.write_text(text.replace(old, new), encoding="utf-8")


def patch_body_preflight(folder: Path, root: Path) -> None:
    """Before 2026-11-21: app.js's preflight reads every engine file's body (GET), not HEAD."""
    patch_text(folder / "app.js", "body-preflight", HEAD_PREFLIGHT, BODY_PREFLIGHT)


def patch_no_warmup(folder: Path, root: Path) -> None:
    """Before 2026-11-21: no throw-away engine call once Python is ready."""
    patch_text(folder / "app.js", "no-warmup", WARMUP, "\n")


PREFLIGHT = "Promise.all([start(), preflight()]).then(([sync]) => sync)"


def patch_no_preflight(folder: Path, root: Path) -> None:
    """Start the engine without app.js's preflight (the HEAD check of every engine file)."""
    patch_text(folder / "app.js", "no-preflight", PREFLIGHT, "start()")


def html_patch(patch: Callable[[str, Path], str]) -> Callable[[Path, Path], None]:
    """Turn a patch of the page's HTML into a patch of the variant's folder."""

    def apply(folder: Path, root: Path) -> None:
        page = folder / "index.html"
        page.write_text(patch(page.read_text(encoding="utf-8"), root), encoding="utf-8")

    apply.__doc__ = patch.__doc__
    return apply


SW_RUNTIME_BYPASS = "  if (url.pathname.startsWith(RUNTIME) && online()) return;\n"
OFFLINE_SCRIPT = '<script src="../javascripts/offline.js">'


def patch_sw_keeps_runtime(folder: Path, root: Path) -> None:
    """Before 2026-11-21: the service worker serves runtime/ from its kept copy online too
    (a patched copy of sw.js, registered by a patched copy of offline.js for this page only)."""
    sw = root / f"sw-x-{folder.name}.js"
    shutil.copy(root / "sw.js", sw)
    patch_text(sw, "sw-keeps-runtime", SW_RUNTIME_BYPASS, "")
    offline = folder / "offline.js"
    shutil.copy(root / "javascripts" / "offline.js", offline)
    patch_text(offline, "sw-keeps-runtime", 'new URL("sw.js", site)', f'new URL("{sw.name}", site)')
    page = folder / "index.html"
    patch_text(page, "sw-keeps-runtime", OFFLINE_SCRIPT, '<script src="offline.js">')


def patch_saxutils_import(folder: Path, root: Path) -> None:
    """Before 2026-11-21: the engine imports xml.sax.saxutils (report.py's escaping then), and
    with it urllib.request, http.client and email (main.py of the copy imports it first)."""
    patch_text(
        folder / "main.py",
        "saxutils-import",
        "import json\n",
        "import json\nimport xml.sax.saxutils\n",
    )


def patch_no_snapshot(folder: Path, root: Path) -> None:
    """Before 2026-11-21: PyScript loads pyodide.mjs itself (no interpreter.mjs), and no Python
    memory snapshot is made for the next visit."""
    config = folder / "pyscript.json"
    patch_text(config, "no-snapshot", '"interpreter.mjs"', '"../runtime/pyodide/pyodide.mjs"')
    patch_text(folder / "app.js", "no-snapshot", "    keepPythonSnapshot();\n", "")


PLUGINS_OFF = re.compile(
    r"<(py|mpy)-config hidden type=\"json\">\{\"plugins\": \[[^\]]*\]\}</\1-config>"
)


def patch_with_plugins(folder: Path, root: Path) -> None:
    """Before 2026-11-21: PyScript imports its six plugins (editor, terminal, game, error...)
    for both interpreter types, though the page uses none (index.md's <py-config> and
    <mpy-config> turn them off)."""
    page = folder / "index.html"
    html = page.read_text(encoding="utf-8")
    if len(PLUGINS_OFF.findall(html)) != 2:
        raise SystemExit("with-plugins: the page has not the two plugin-less configs")
    page.write_text(PLUGINS_OFF.sub("", html), encoding="utf-8")


def patch_before(folder: Path, root: Path) -> None:
    """The page as of commit 89db97d: `body-preflight`, `no-warmup`, `sw-keeps-runtime`,
    `saxutils-import`, `no-snapshot` and `with-plugins`."""
    for patch in (
        patch_with_plugins,
        patch_body_preflight,
        patch_no_warmup,
        patch_sw_keeps_runtime,
        patch_saxutils_import,
        patch_no_snapshot,
    ):
        patch(folder, root)


def patch_nothing(folder: Path, root: Path) -> None:
    """The page as built, loaded with service workers blocked (Playwright's option)."""


# Experiments whose pages are loaded with service workers blocked.
BLOCK_SERVICE_WORKERS = frozenset({"no-service-worker"})


EXPERIMENTS: dict[str, Callable[[Path, Path], None]] = {
    "preload": html_patch(patch_preload),
    "preload-pyscript": html_patch(patch_preload_pyscript),
    "preload-pyodide": html_patch(patch_preload_pyodide),
    "early": html_patch(patch_early),
    "early-preload": html_patch(patch_early_preload),
    "early-preload-all": html_patch(patch_early_preload_all),
    "early-preload-pyodide": html_patch(patch_early_preload_pyodide),
    "before": patch_before,
    "body-preflight": patch_body_preflight,
    "no-warmup": patch_no_warmup,
    "sw-keeps-runtime": patch_sw_keeps_runtime,
    "saxutils-import": patch_saxutils_import,
    "no-snapshot": patch_no_snapshot,
    "with-plugins": patch_with_plugins,
    "no-preflight": patch_no_preflight,
    "no-service-worker": patch_nothing,
    "no-pyscript": patch_no_pyscript,
    "no-pyscript-snapshot": patch_no_pyscript_snapshot,
    "no-pyscript-early": patch_no_pyscript_early,
    "no-pyscript-early-snapshot": patch_no_pyscript_early_snapshot,
}


def make_variant(root: Path, name: str) -> str:
    """Copy the built assessment page to assessment-x-NAME/, patched; return its site path.

    NAME may combine levers with "+" (e.g. ``no-preflight+no-snapshot``): each is applied in turn.
    """
    target = root / f"assessment-x-{name}"
    shutil.copytree(root / ASSESSMENT_PAGE, target)
    for part in name.split("+"):
        EXPERIMENTS[part](target, root)
    return f"assessment-x-{name}/"


def experiment(name: str) -> str:
    """Check an --experiment value: a lever's name, or several joined with "+"."""
    unknown = [part for part in name.split("+") if part not in EXPERIMENTS]
    if unknown:
        raise argparse.ArgumentTypeError(
            f"unknown lever {', '.join(unknown)} (choose from {', '.join(sorted(EXPERIMENTS))})"
        )
    return name


def install_floor(root: Path) -> None:
    """Copy the bare loadPyodide() pages into the served copy of the site."""
    shutil.copytree(BASELINE, root / FLOOR_DIR)


# -- In the page -----------------------------------------------------------------------------

# Installed before any page script: the long-task observer and the rAF poll of the first
# answerable question and of the first content element.
INIT_SCRIPT = """
(([question, content]) => {
  if (window.top !== window) return;
  const bench = (window.__bench = { longtasks: [], question: null, content: null });
  try {
    new PerformanceObserver((list) => {
      for (const task of list.getEntries()) bench.longtasks.push([task.startTime, task.duration]);
    }).observe({ type: "longtask", buffered: true });
  } catch (error) {
    bench.longtaskError = String(error);
  }
  const shown = (element) =>
    element.checkVisibility({ checkOpacity: true, checkVisibilityCSS: true });
  const usable = (selector) => {
    const element = document.querySelector(selector);
    if (!element || !shown(element)) return false;
    return !element.matches("input, button, select, textarea") || element.matches(":enabled");
  };
  const tick = () => {
    const now = performance.now();
    if (question && bench.question === null && usable(question)) bench.question = now;
    if (content && bench.content === null && usable(content)) bench.content = now;
    const pending = (question && bench.question === null) || (content && bench.content === null);
    if (pending && now < 120000) requestAnimationFrame(tick);
  };
  if (question || content) requestAnimationFrame(tick);
})(%s);
"""

# Resolve when the ready mark exists (or the status line says error), without polling.
WAIT_READY = """
([name, timeout]) => new Promise((resolve) => {
  const status = document.getElementById("py-status");
  let observer = null;
  let watcher = null;
  const done = (value) => {
    observer?.disconnect();
    watcher?.disconnect();
    resolve(value);
  };
  const check = () => {
    const mark = performance.getEntriesByName(name, "mark")[0];
    if (mark) done({ ready: mark.startTime });
    else if (status?.dataset.state === "error") done({ error: status.textContent });
  };
  observer = new PerformanceObserver(check);
  observer.observe({ type: "mark" });
  if (status) {
    watcher = new MutationObserver(check);
    watcher.observe(status, { attributes: true });
  }
  setTimeout(() => done({ error: `no ${name} mark after ${timeout} ms` }), timeout);
  check();
})
"""

# Answer every question of the form (one radio per name), a different pick for each `seed`.
FILL_FORM = """
(seed) => {
  const groups = new Map();
  for (const input of document.querySelectorAll("#pp-form input[type=radio]")) {
    if (!groups.has(input.name)) groups.set(input.name, []);
    groups.get(input.name).push(input);
  }
  let index = 0;
  for (const radios of groups.values()) {
    const pick = radios[(seed * 7 + index * 3) % radios.length];
    if (!pick.checked) pick.click();
    index += 1;
  }
  return groups.size;
}
"""

MARK_COUNT = "(name) => performance.getEntriesByName(name, 'mark').length"

RESULT_DELTA = """
([requested, shown]) => {
  const last = (name) => performance.getEntriesByName(name, "mark").at(-1);
  const end = last(shown);
  const start = performance.getEntriesByName(requested, "mark")
    .filter((mark) => mark.startTime <= end.startTime).at(-1);
  return start ? end.startTime - start.startTime : null;
}
"""


# -- Loading pages ---------------------------------------------------------------------------


@dataclass
class Load:
    """What one page load measured (None where the page does not have it)."""

    question: float | None = None
    content: float | None = None
    ready: float | None = None
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
    block_service_workers: bool = False


def cpu_times() -> tuple[int, int]:
    """Return the machine's (busy, total) CPU jiffies since boot.

    Waiting for I/O counts as busy (a previous browser's cache still being written out would
    slow the next load), and so does time stolen by the hypervisor.
    """
    with open("/proc/stat", encoding="ascii") as stat:
        fields = [int(value) for value in stat.readline().split()[1:9]]
    return sum(fields) - fields[3], sum(fields)


@dataclass
class Quiet:
    """Before each measured load, wait (up to `wait_s`) until the CPUs are nearly idle.

    The benchmark shares the machine with whatever else runs (other test suites, other
    browsers): a load that starts while the CPUs are busy measures them, not the page. Each
    load's busy fraction (over QUIET_SAMPLE_S just before it) is kept for the report.
    """

    enabled: bool = True
    wait_s: float = QUIET_WAIT_S
    samples: list[float] = field(default_factory=list)

    def busy(self) -> float:
        """Return the fraction of CPU time busy over the next QUIET_SAMPLE_S."""
        busy, total = cpu_times()
        time.sleep(QUIET_SAMPLE_S)
        busy_after, total_after = cpu_times()
        return (busy_after - busy) / max(total_after - total, 1)

    def wait(self) -> None:
        """Wait until the CPUs are quiet enough (or QUIET_WAIT_S passed); note how busy."""
        if not self.enabled:
            return
        deadline = time.monotonic() + self.wait_s
        while (fraction := self.busy()) > QUIET_BUSY and time.monotonic() < deadline:
            pass
        self.samples.append(fraction)


QUIET = Quiet()


def launch(playwright: Playwright, profile: Path, kind: Kind | None = None) -> BrowserContext:
    """Launch Debian's Chromium headless on the persistent profile in `profile`, settled.

    A browser that has just started (above all on a fresh profile) is still busy setting
    itself up; a visitor's browser is already running. Waiting SETTLE_S on about:blank keeps
    that start-up work out of every page's figures alike.
    """
    context = playwright.chromium.launch_persistent_context(
        str(profile),
        executable_path=str(CHROMIUM),
        headless=True,
        args=CHROMIUM_ARGS,
        service_workers="block" if kind and kind.block_service_workers else "allow",
    )
    page = context.pages[0] if context.pages else context.new_page()
    page.goto("about:blank")
    page.wait_for_timeout(SETTLE_S * 1000)
    QUIET.wait()
    return context


def request_row(request: Request, origin_ms: float, origin: str) -> tuple[float, float, int, str]:
    """Return (start ms, end ms since navigation, transferred bytes, URL) of a finished request."""
    timing = request.timing
    start = timing["startTime"] - origin_ms
    end = start + max(timing["responseEnd"], 0.0)
    sizes = request.sizes()
    # -1 means unknown (e.g. served from the cache): nothing crossed the network.
    size = max(sizes["responseHeadersSize"], 0) + max(sizes["responseBodySize"], 0)
    return start, end, size, request.url.replace(origin, "")


def measure(
    context: BrowserContext,
    kind: Kind,
    base: str,
    origin: str,
    *,
    submissions: int = 0,
    waterfall: bool = False,
    trace: Path | None = None,
) -> Load:
    """Load `kind` in `context` (a fresh or a warm profile) and measure it."""
    selectors = [kind.question, kind.content]
    context.add_init_script(INIT_SCRIPT % json.dumps(selectors))
    finished: list[Request] = []
    context.on("requestfinished", lambda request: finished.append(request))
    page = context.pages[0] if context.pages else context.new_page()
    tracing = start_trace(context, page) if trace else None
    load = Load()
    page.goto(base + kind.path, wait_until="load")
    if kind.ready:
        outcome = page.evaluate(WAIT_READY, [READY_MARK, READY_TIMEOUT_MS])
        if "error" in outcome:
            load.error = str(outcome["error"])
            return load
        load.ready = float(outcome["ready"])
    for name, selector in zip(("question", "content"), selectors, strict=True):
        if selector:
            page.wait_for_function(
                f"() => window.__bench.{name} !== null", polling=50, timeout=READY_TIMEOUT_MS
            )
    bench = page.evaluate("window.__bench")
    load.question, load.content = bench["question"], bench["content"]
    if kind.ready and load.ready is not None:
        load.blocking = sum(
            duration for start, duration in bench["longtasks"] if start < load.ready
        )
    if kind.bytes or waterfall:
        page.wait_for_load_state("networkidle")
    if tracing is not None and trace is not None:
        stop_trace(tracing, trace)
    if kind.submissions and submissions:
        load.results, load.result_error = submit(page, submissions)
    if kind.bytes or waterfall:
        origin_ms = page.evaluate("performance.timeOrigin")
        rows = sorted(request_row(request, origin_ms, origin) for request in finished)
        load.waterfall = rows
        load.bytes = sum(size for _, _, size, _ in rows)
        load.runtime_files = [
            url for *_, url in rows if any(n in urlsplit(url).path for n in RUNTIME_NEEDLES)
        ]
    return load


def submit(page: Page, count: int) -> tuple[list[float], str | None]:
    """Ask for the result `count` times with different answers; return the latencies in ms."""
    if page.locator("#pp-submit").count() == 0:
        return [], "the page has no #pp-submit button yet"
    latencies: list[float] = []
    for seed in range(count):
        page.evaluate(FILL_FORM, seed)
        if seed == 0:
            # A visitor scrolls to the button and takes a moment before asking for a result:
            # painting the newly scrolled-to part of the page is not part of the answer time.
            page.locator("#pp-submit").scroll_into_view_if_needed()
            page.wait_for_timeout(THINK_MS)
        before = page.evaluate(MARK_COUNT, SHOWN_MARK)
        page.click("#pp-submit")
        try:
            page.wait_for_function(
                "([name, n]) => performance.getEntriesByName(name, 'mark').length > n",
                arg=[SHOWN_MARK, before],
                polling=20,
                timeout=RESULT_TIMEOUT_MS,
            )
        except PlaywrightTimeoutError:
            state = page.evaluate(
                "document.getElementById('assessment-result')?.dataset.state ?? 'no section'"
            )
            return latencies, f"no {SHOWN_MARK} mark in {RESULT_TIMEOUT_MS} ms (state {state})"
        delta = page.evaluate(RESULT_DELTA, [REQUESTED_MARK, SHOWN_MARK])
        if delta is None:
            return latencies, f"{SHOWN_MARK} without a {REQUESTED_MARK} mark before it"
        latencies.append(float(delta))
    return latencies, None


# -- Tracing (--trace) -------------------------------------------------------------------------

TRACE_CATEGORIES = [
    "devtools.timeline",
    "disabled-by-default-devtools.timeline",
    "blink.user_timing",
    "loading",
    "v8",
    "v8.execute",
    "disabled-by-default-v8.compile",
    "v8.wasm",
    "toplevel",
]


@dataclass
class Tracing:
    """A CDP session recording a Chromium trace of one page load."""

    session: Any
    chunks: list[dict[str, Any]] = field(default_factory=list)
    complete: threading.Event = field(default_factory=threading.Event)


def start_trace(context: BrowserContext, page: Page) -> Tracing:
    """Start recording a Chromium performance trace (every process and thread)."""
    session = context.new_cdp_session(page)
    tracing = Tracing(session=session)
    session.on("Tracing.dataCollected", lambda event: tracing.chunks.extend(event["value"]))
    session.on("Tracing.tracingComplete", lambda _: tracing.complete.set())
    session.send(
        "Tracing.start",
        {
            "transferMode": "ReportEvents",
            "traceConfig": {"includedCategories": TRACE_CATEGORIES},
        },
    )
    return tracing


def stop_trace(tracing: Tracing, path: Path) -> None:
    """Stop the trace and write it to `path` (Chrome's JSON trace format)."""
    tracing.session.send("Tracing.end")
    deadline = time.monotonic() + 60
    page = tracing.session
    while not tracing.complete.is_set() and time.monotonic() < deadline:
        # Let Playwright dispatch the CDP events (the sync API runs them while it waits).
        page.send("Runtime.evaluate", {"expression": "0"})
        time.sleep(0.05)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"traceEvents": tracing.chunks}), encoding="utf-8")


def summarise_trace(path: Path, top: int = 12) -> list[str]:
    """Return lines: per renderer thread, busy time before the ready mark and its top events."""
    events = json.loads(path.read_text(encoding="utf-8"))["traceEvents"]
    names: dict[tuple[int, int], str] = {}
    for event in events:
        if event.get("ph") == "M" and event.get("name") == "thread_name":
            names[(event["pid"], event["tid"])] = event["args"]["name"]
    navigation = [e for e in events if e.get("name") == "navigationStart"]
    ready = [e for e in events if e.get("name") == READY_MARK]
    if not navigation:
        return [f"{path.name}: no navigationStart in the trace"]
    t0 = min(e["ts"] for e in navigation)
    t1 = ready[0]["ts"] if ready else max(e.get("ts", 0) for e in events)
    busy: dict[tuple[int, int], float] = {}
    tops: dict[tuple[int, int], dict[str, float]] = {}
    for event in events:
        if event.get("ph") != "X" or not (t0 <= event.get("ts", 0) < t1):
            continue
        key = (event["pid"], event["tid"])
        thread = names.get(key, "")
        if not (thread.startswith("CrRendererMain") or "Worker" in thread):
            continue
        duration = event.get("dur", 0) / 1000
        if event["name"] in ("ThreadControllerImpl::RunTask", "RunTask"):
            busy[key] = busy.get(key, 0.0) + duration
        else:
            per = tops.setdefault(key, {})
            per[event["name"]] = per.get(event["name"], 0.0) + duration
    lines = [f"{path.name}: {(t1 - t0) / 1000:.0f} ms from navigation to {READY_MARK}"]
    for key in sorted(busy, key=lambda k: -busy[k]):
        lines.append(f"  {names.get(key, key)}: {busy[key]:.0f} ms in tasks")
        ranked = sorted(tops.get(key, {}).items(), key=lambda item: -item[1])[:top]
        lines += [f"    {ms:8.1f} ms  {name}" for name, ms in ranked]
    return lines


# -- Statistics and the table ----------------------------------------------------------------


def p95(values: list[float]) -> float:
    """Return the 95th percentile of `values` (nearest rank)."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


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


def fmt(value: float | None, unit: str) -> str:
    """Format a value in its unit for the table."""
    if value is None:
        return "n/a"
    if unit == "ms":
        return f"{value:,.0f} ms"
    if unit == "s":
        return f"{value:.2f} s"
    if unit == "KB":
        return f"{value / 1000:,.1f} KB"
    if unit == "MiB":
        return f"{value:,.0f} MiB"
    return f"{value:g}"


def ratio_text(value: float | None) -> str:
    """Format a ratio, or a dash when there is none."""
    return "—" if value is None else f"{value:.2f}"


def series(loads: list[Load], attribute: str) -> Stat | None:
    """Summarise an attribute, or submission latencies: "results", "first_result" (the first
    of each load) or "later_results" (the others)."""
    if attribute == "results":
        return Stat.of([value for load in loads for value in load.results])
    if attribute == "first_result":
        return Stat.of([load.results[0] for load in loads if load.results])
    if attribute == "later_results":
        return Stat.of([value for load in loads for value in load.results[1:]])
    return median_of(loads, attribute)


def median_of(loads: list[Load], attribute: str) -> Stat | None:
    """Summarise one attribute over a list of loads (None values left out)."""
    return Stat.of([v for v in (getattr(load, attribute) for load in loads) if v is not None])


@dataclass
class Row:
    """One row of the results table."""

    figure: str
    stat: Stat | None
    unit: str
    baseline: str
    baseline_stat: Stat | None
    ratio: float | None
    target: str
    met: str


def row_cells(row: Row) -> list[str]:
    """Return the Markdown cells of a row."""
    stat = row.stat
    base = row.baseline
    if row.baseline_stat is not None:
        base = f"{base}: {fmt(row.baseline_stat.median, row.unit)}"
    return [
        row.figure,
        str(stat.count) if stat else "0",
        fmt(stat.median if stat else None, row.unit),
        fmt(stat.low if stat else None, row.unit),
        fmt(stat.high if stat else None, row.unit),
        base,
        ratio_text(row.ratio),
        row.target,
        row.met,
    ]


HEADER = ["figure", "n", "median", "min", "max", "baseline (median)", "ratio", "target", "met"]


def markdown_table(header: list[str], rows: list[list[str]]) -> str:
    """Render a Markdown table."""
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join(" --- " for _ in header) + "|"]
    lines += ["| " + " | ".join(cells) + " |" for cells in rows]
    return "\n".join(lines)


def verdict(ok: bool | None, detail: str = "") -> str:
    """Return "met"/"MISSED"/"not available", with a detail."""
    word = "not available yet" if ok is None else ("met" if ok else "**MISSED**")
    return f"{word} ({detail})" if detail else word


def ratio(stat: Stat | None, base: Stat | None) -> float | None:
    """Return the ratio of two medians, or None."""
    if stat is None or base is None or base.median == 0:
        return None
    return stat.median / base.median


@dataclass
class Measurements:
    """Everything one benchmark run collected."""

    builds: list[Build]
    loads: dict[str, list[Load]]
    question_selector: str
    machine: dict[str, str]
    runs: int
    experiments: list[str]


def figure_rows(m: Measurements) -> list[Row]:
    """Return the table's rows, one per figure of the issue."""
    assessment, plain = m.loads["assessment"], m.loads["plain"]
    floor_worker = m.loads["floor-worker"]
    rows = []

    question = median_of(assessment, "question")
    content = median_of(plain, "content")
    q_ratio = ratio(question, content)
    fallback = ""
    if m.question_selector != QUESTION_SELECTOR:
        fallback = f" (fallback: {QUESTION_FALLBACK})"
    rows.append(
        Row(
            f"first question answerable, assessment page, cold{fallback}",
            question,
            "ms",
            f"first content (`{CONTENT_SELECTOR}`), `{PLAIN_PAGE}`, cold",
            content,
            q_ratio,
            f"ratio ≤ {TARGETS['question']:.2f}",
            verdict(None if q_ratio is None else q_ratio <= TARGETS["question"]),
        )
    )

    ready = median_of(assessment, "ready")
    floor = median_of(floor_worker, "ready")
    r_ratio = ratio(ready, floor)
    rows.append(
        Row(
            "Python ready, assessment page, cold",
            ready,
            "ms",
            "`loadPyodide()` floor in a worker, cold",
            floor,
            r_ratio,
            f"ratio ≤ {TARGETS['ready']:.2f}",
            verdict(None if r_ratio is None else r_ratio <= TARGETS["ready"]),
        )
    )

    latencies = [value for load in assessment for value in load.results]
    errors = sorted({load.result_error for load in assessment if load.result_error})
    result = Stat.of(latencies)
    if result is None:
        met = verdict(None, errors[0] if errors else "no submission")
    elif len(latencies) < MIN_SUBMISSIONS:
        met = f"not judged (p95 {p95(latencies):.0f} ms over {len(latencies)} < {MIN_SUBMISSIONS})"
    else:
        tail = p95(latencies)
        met = verdict(tail <= TARGETS["result_p95"], f"p95 {tail:.0f} ms")
    rows.append(
        Row(
            "result requested → shown, Python ready",
            result,
            "ms",
            "none",
            None,
            None,
            f"p95 ≤ {TARGETS['result_p95']:.0f} ms",
            met,
        )
    )

    blocking = median_of(assessment, "blocking")
    floor_blocking = median_of(floor_worker, "blocking")
    rows.append(
        Row(
            "main-thread blocking until Python ready (long tasks > 50 ms)",
            blocking,
            "ms",
            "`loadPyodide()` floor in a worker",
            floor_blocking,
            ratio(blocking, floor_blocking),
            f"≤ {TARGETS['blocking']:.0f} ms",
            verdict(None if blocking is None else blocking.median <= TARGETS["blocking"]),
        )
    )

    transferred = median_of(plain, "bytes")
    runtime = sorted({url for load in plain for url in load.runtime_files})
    ok = None if transferred is None else transferred.high <= TARGETS["bytes"] and not runtime
    detail = "no Pyodide/PyScript file" if not runtime else f"runtime files: {', '.join(runtime)}"
    rows.append(
        Row(
            f"bytes transferred, `{PLAIN_PAGE}`, cold",
            transferred,
            "KB",
            "none",
            None,
            None,
            f"≤ {TARGETS['bytes'] / 1000:.0f} KB, no Pyodide/PyScript file",
            verdict(ok, detail),
        )
    )

    warm = median_of(m.loads["assessment-warm"], "ready")
    w_ratio = ratio(warm, ready)
    rows.append(
        Row(
            "Python ready, warm revisit",
            warm,
            "ms",
            "the cold figure",
            ready,
            w_ratio,
            f"ratio ≤ {TARGETS['warm']:.1f}",
            verdict(None if w_ratio is None else w_ratio <= TARGETS["warm"]),
        )
    )

    wall = Stat.of([b.wall_s for b in m.builds])
    rows.append(
        Row(
            "`mkdocs build --strict` wall time",
            wall,
            "s",
            "none",
            None,
            None,
            f"≤ {TARGETS['build']:.0f} s",
            verdict(None if wall is None else wall.median <= TARGETS["build"]),
        )
    )
    rows.append(
        Row(
            "`mkdocs build --strict` peak memory (RSS)",
            Stat.of([b.peak_mib for b in m.builds]),
            "MiB",
            "none",
            None,
            None,
            "reported",
            "—",
        )
    )
    return rows


def context_rows(m: Measurements) -> list[list[str]]:
    """Return the informative rows: the floors and the other figures measured along the way."""
    cells = []
    for kind, attribute, label in (
        ("floor-worker", "ready", "Python ready, `loadPyodide()` floor in a worker"),
        ("floor-main", "ready", "Python ready, `loadPyodide()` floor on the main thread"),
        ("floor-main", "blocking", "main-thread blocking, floor on the main thread"),
        ("floor-engine", "ready", "Python ready, floor + engine (package, main.py; no PyScript)"),
        ("floor-worker-warm", "ready", "Python ready, worker floor, warm revisit"),
        ("assessment", "content", f"first content (`{CONTENT_SELECTOR}`), assessment page"),
        ("assessment", "bytes", "bytes transferred, assessment page (with Python)"),
        ("assessment", "first_result", "result requested → shown, first request of each load"),
        ("assessment", "later_results", "result requested → shown, later requests"),
    ):
        stat = series(m.loads.get(kind, []), attribute)
        unit = "KB" if attribute == "bytes" else "ms"
        if stat is not None:
            cells.append(
                [label, str(stat.count)]
                + [fmt(v, unit) for v in (stat.median, stat.low, stat.high)]
            )
    return cells


def experiment_rows(m: Measurements) -> list[list[str]]:
    """Return the before/after rows of the levers measured in this run."""
    cells = []
    figures = (
        ("question", "", "first question answerable (ratio: to the plain page)"),
        ("ready", "", "Python ready, cold (ratio: to the worker floor)"),
        ("blocking", "", "main-thread blocking"),
        ("ready", "-warm", "Python ready, warm revisit (ratio: to the same page cold)"),
        ("results", "", "result requested → shown (all submissions)"),
        ("first_result", "", "result requested → shown (first of each load)"),
    )
    floor = median_of(m.loads["floor-worker"], "ready")
    content = median_of(m.loads["plain"], "content")
    for attribute, suffix, label in figures:
        before = series(m.loads["assessment" + suffix], attribute)
        for name in ["assessment", *(f"x-{e}" for e in m.experiments)]:
            stat = series(m.loads.get(name + suffix, []), attribute)
            if stat is None:
                continue
            cold = median_of(m.loads[name], "ready")
            base = {"question": content, "ready": cold if suffix else floor}.get(attribute)
            change = (
                ""
                if before is None or name == "assessment"
                else (f"{stat.median - before.median:+,.0f} ms")
            )
            cells.append(
                [
                    label,
                    "as built" if name == "assessment" else f"`{name[2:]}`",
                    fmt(stat.median, "ms"),
                    fmt(stat.low, "ms"),
                    fmt(stat.high, "ms"),
                    change or "—",
                    ratio_text(ratio(stat, base)),
                ]
            )
    return cells


# -- Machine ---------------------------------------------------------------------------------


def source_state() -> str:
    """Say which commit the measured site was built from, and whether the tree had changes."""
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True
        ).stdout.strip()
        changed = subprocess.run(
            ["git", "status", "--porcelain"], cwd=REPO, capture_output=True, text=True
        ).stdout.splitlines()
    except OSError:
        return "unknown (no git)"
    dirty = f" plus {len(changed)} uncommitted changes (git status)" if changed else ""
    return f"commit {commit or 'unknown'}{dirty}"


def machine(chromium_version: str, load_start: tuple[float, ...]) -> dict[str, str]:
    """Describe the machine: CPU, cores, memory, OS, its load, and the software measured."""
    cpu = platform.processor() or platform.machine()
    with open("/proc/cpuinfo", encoding="utf-8") as info:
        for line in info:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    memory = ""
    with open("/proc/meminfo", encoding="utf-8") as info:
        for line in info:
            if line.startswith("MemTotal"):
                memory = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    packages = json.loads((REPO / "package.json").read_text(encoding="utf-8"))["dependencies"]
    load_end = os.getloadavg()
    busy = "not sampled (--quick)"
    if QUIET.samples:
        samples = QUIET.samples
        noisy = sum(1 for value in samples if value > QUIET_BUSY)
        busy = (
            f"median {statistics.median(samples):.0%}, max {max(samples):.0%} over "
            f"{QUIET_SAMPLE_S} s just before each of {len(samples)} loads and builds (after "
            f"waiting up to {QUIET.wait_s:.0f} s for < {QUIET_BUSY:.0%}); {noisy} started above"
        )
    return {
        "CPU": cpu,
        "cores": f"{len(os.sched_getaffinity(0))} usable ({os.cpu_count()} online)",
        "memory": memory,
        "OS": f"{platform.system()} {platform.release()} ({platform.platform(terse=True)})",
        "Chromium": f"{chromium_version} ({CHROMIUM}, headless)",
        "Python": platform.python_version(),
        "Playwright": version("playwright"),
        "MkDocs / Material": f"{version('mkdocs')} / {version('mkdocs-material')}",
        "Pyodide / PyScript": f"{packages['pyodide']} / {packages['@pyscript/core']}",
        "site measured": source_state(),
        "load average (1, 5, 15 min)": (
            f"{' '.join(f'{v:.2f}' for v in load_start)} at start, "
            f"{' '.join(f'{v:.2f}' for v in load_end)} at end"
        ),
        "CPU busy before each load or build (other processes)": busy,
    }


# -- The run ---------------------------------------------------------------------------------


def kinds(question_selector: str, experiments: list[str], context: bool = True) -> list[Kind]:
    """Return every page loaded in each run (without `context`, only what the table needs)."""
    pages = [
        Kind(
            "assessment",
            ASSESSMENT_PAGE,
            question=question_selector,
            content=CONTENT_SELECTOR,
            ready=True,
            bytes=True,
            submissions=True,
        ),
        Kind("plain", PLAIN_PAGE, content=CONTENT_SELECTOR, bytes=True),
        Kind("floor-worker", f"{FLOOR_DIR}/floor-worker.html", ready=True),
    ]
    if context:
        pages += [
            Kind("floor-main", f"{FLOOR_DIR}/floor-main.html", ready=True),
            Kind("floor-engine", f"{FLOOR_DIR}/floor-engine.html", ready=True),
        ]
    for name in experiments:
        pages.append(
            Kind(
                f"x-{name}",
                f"assessment-x-{name}/",
                question=question_selector,
                content=CONTENT_SELECTOR,
                ready=True,
                submissions=True,
                block_service_workers=bool(set(name.split("+")) & BLOCK_SERVICE_WORKERS),
            )
        )
    return pages


def cold_load(playwright: Playwright, kind: Kind, base: str, origin: str, **options: Any) -> Load:
    """Load `kind` once with a fresh profile (removed afterwards, its writes flushed)."""
    try:
        with tempfile.TemporaryDirectory(prefix="bench-profile-") as profile:
            context = launch(playwright, Path(profile), kind)
            try:
                return measure(context, kind, base, origin, **options)
            finally:
                context.close()
    finally:
        # The profile's caches (tens of MB) are written out now, not during the next load.
        os.sync()


def say(text: str) -> None:
    """Report progress on stderr (the table goes to stdout)."""
    print(text, file=sys.stderr, flush=True)


def run(args: argparse.Namespace) -> Measurements:
    """Build, serve and measure; return everything measured."""
    load_start = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="bench-site-") as temp:
        root = Path(temp) / "site"
        with serve(root, compress=not args.no_gzip) as origin:
            base = origin + MOUNT
            builds = []
            for index in range(args.build_runs):
                QUIET.wait()
                builds.append(timed_build(base, root))
                say(f"build {index + 1}/{args.build_runs}: {builds[-1].wall_s:.2f} s")
            install_floor(root)
            for name in args.experiment:
                make_variant(root, name)
            html = (root / ASSESSMENT_PAGE / "index.html").read_text(encoding="utf-8")
            question = QUESTION_SELECTOR if 'id="pp-form"' in html else QUESTION_FALLBACK
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(
                    executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
                )
                chromium = browser.version
                browser.close()
                loads = measure_all(playwright, args, base, origin, question)
    return Measurements(
        builds=builds,
        loads=loads,
        question_selector=question,
        machine=machine(chromium, load_start),
        runs=args.runs,
        experiments=list(args.experiment),
    )


def measure_all(
    playwright: Playwright,
    args: argparse.Namespace,
    base: str,
    origin: str,
    question: str,
) -> dict[str, list[Load]]:
    """Run the cold loads of every page and the warm revisits; return the loads by page.

    Warm revisits are filed under "<page>-warm": the assessment page, the worker floor (the
    best a revisit can do by caching alone) and every experiment.
    """
    pages = kinds(question, list(args.experiment), context=not args.quick)
    per_run = max(3, math.ceil(args.submissions / args.runs))
    if not (args.no_warmup or args.quick):
        for kind in pages:
            say(f"warm-up (discarded): {kind.name}")
            cold_load(playwright, kind, base, origin)
    if args.waterfall or args.trace:
        for kind in pages:
            trace = Path(args.trace) / f"{kind.name}.json" if args.trace else None
            load = cold_load(playwright, kind, base, origin, waterfall=True, trace=trace)
            print_waterfall(kind, load)
            if trace is not None:
                say("\n".join(summarise_trace(trace)))
    loads: dict[str, list[Load]] = {kind.name: [] for kind in pages}
    for index in range(args.runs):
        turn = pages[index % len(pages) :] + pages[: index % len(pages)]
        for kind in turn:
            load = cold_load(playwright, kind, base, origin, submissions=per_run)
            loads[kind.name].append(load)
            say(f"run {index + 1}/{args.runs} {kind.name}: {brief(load)}")
    warmed = ["assessment"] if args.quick else ["assessment", "floor-worker"]
    linger_s = 1.0 if args.quick else LINGER_S
    for kind in pages:
        if kind.name in warmed or kind.name.startswith("x-"):
            loads[f"{kind.name}-warm"] = warm_loads(
                playwright, kind, base, origin, args.runs, linger_s
            )
    return loads


def warm_loads(
    playwright: Playwright, kind: Kind, base: str, origin: str, runs: int, linger_s: float
) -> list[Load]:
    """Load `kind` once to fill a profile, then `runs` times on that profile (relaunched each time).

    The first visit stays `linger_s` on the page, as a visitor would, so that what Chromium keeps
    after the page is ready (V8's code caches, the WebAssembly code cache once its top tier is
    compiled, a kept Pyodide snapshot) is written before the browser closes.
    """
    loads = []
    with tempfile.TemporaryDirectory(prefix="bench-warm-profile-") as folder:
        profile = Path(folder)
        for index in range(runs + 1):
            context = launch(playwright, profile, kind)
            try:
                load = measure(context, kind, base, origin)
                if index == 0:
                    linger(context.pages[0], linger_s)
            finally:
                context.close()
                os.sync()
            if index == 0:
                say(f"warm profile filled (discarded), {kind.name}: {brief(load)}")
            else:
                loads.append(load)
                say(f"warm {index}/{runs} {kind.name}: {brief(load)}")
    return loads


def linger(page: Page, seconds: float) -> None:
    """Stay on the page `seconds`, and until a snapshot kept in Cache Storage is written."""
    page.wait_for_timeout(seconds * 1000)
    with suppress(PlaywrightTimeoutError):
        page.wait_for_function(
            """async () => {
                if (!(await caches.has("pyodide-snapshot"))) return true;
                return (await (await caches.open("pyodide-snapshot")).keys()).length > 0;
            }""",
            polling=250,
            timeout=30_000,
        )


def brief(load: Load) -> str:
    """One line about a load, for the progress log."""
    parts = []
    for name in ("question", "content", "ready", "blocking"):
        value = getattr(load, name)
        if value is not None:
            parts.append(f"{name} {value:.0f} ms")
    if load.bytes is not None:
        parts.append(f"{load.bytes / 1000:.1f} KB")
    if load.results:
        parts.append(f"results {', '.join(f'{v:.0f}' for v in load.results)} ms")
    if load.result_error:
        parts.append(f"results: {load.result_error}")
    if load.error:
        parts.append(f"ERROR {load.error}")
    return "; ".join(parts)


def print_waterfall(kind: Kind, load: Load) -> None:
    """Print the requests of one cold load: start and end since navigation, size, URL."""
    say(f"\nwaterfall: {kind.name} ({brief(load)})")
    say("   start     end      bytes  url")
    for start, end, size, url in load.waterfall:
        say(f"{start:8.0f}{end:8.0f}{size:11,}  {url}")


# -- Report ----------------------------------------------------------------------------------


def caching_note(m: Measurements) -> list[str]:
    """Say how much of the cold time caching alone saves on the bare loadPyodide() floor."""
    cold = median_of(m.loads.get("floor-worker", []), "ready")
    warm = median_of(m.loads.get("floor-worker-warm", []), "ready")
    share = ratio(warm, cold)
    if share is None:
        return []
    return [
        "",
        f"Caching alone: the worker floor's warm revisit (every file from the HTTP cache, "
        f"WebAssembly from Chromium's code cache) takes {share:.2f} of its cold time; the "
        "warm target asks the assessment page for 0.6 of its own.",
    ]


def describe(name: str) -> str:
    """One line describing a lever (or a "+" combination of levers)."""
    parts = [" ".join((EXPERIMENTS[part].__doc__ or "").split()) for part in name.split("+")]
    return parts[0] if len(parts) == 1 else "; ".join(f"({part})" for part in parts)


def report(m: Measurements, args: argparse.Namespace) -> str:
    """Return the Markdown report: the table, the context, the levers, the machine."""
    now = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
    rows = figure_rows(m)
    build_runs = len(m.builds)
    parts = [
        "# Benchmark results",
        "",
        f"`make bench` (bench/run.py), {now}: {m.runs} cold runs per page and {m.runs} warm "
        f"revisits, {build_runs} builds. Cold: a fresh Chromium profile per load; warm: one "
        "persistent profile, filled by one discarded visit. Served on 127.0.0.1 with "
        f"`Cache-Control: {CACHE_CONTROL}`"
        + ("" if args.no_gzip else " and gzip for text files (as GitHub Pages)")
        + "; loopback, no throttling. Definitions: the docstring of bench/run.py.",
        "",
        markdown_table(HEADER, [row_cells(row) for row in rows]),
        "",
        "## Context (no target)",
        "",
        markdown_table(["figure", "n", "median", "min", "max"], context_rows(m)),
        *caching_note(m),
    ]
    if m.experiments:
        parts += [
            "",
            "## Levers (patched copies of the built page, measured in the same runs)",
            "",
            markdown_table(
                ["figure", "page", "median", "min", "max", "change (median)", "ratio to baseline"],
                experiment_rows(m),
            ),
            "",
            *(f"- `{name}`: {describe(name)}" for name in m.experiments),
        ]
    parts += [
        "",
        "## Machine",
        "",
        *(f"- {key}: {value}" for key, value in m.machine.items()),
        "",
    ]
    return "\n".join(parts)


def parse(argv: list[str] | None) -> argparse.Namespace:
    """Parse the command line."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=7, help="cold and warm runs (default 7)")
    parser.add_argument("--build-runs", type=int, default=3, help="timed builds (default 3)")
    parser.add_argument(
        "--submissions",
        type=int,
        default=MIN_SUBMISSIONS,
        help=f"result requests in all (at least 3 per run; default {MIN_SUBMISSIONS})",
    )
    parser.add_argument("--output", type=Path, default=RESULTS, help="the Markdown report")
    parser.add_argument(
        "--experiment",
        action="append",
        default=[],
        type=experiment,
        metavar="LEVER[+LEVER...]",
        help=f"also measure a patched copy of the assessment page (repeatable): "
        f"{', '.join(sorted(EXPERIMENTS))}",
    )
    parser.add_argument("--waterfall", action="store_true", help="print request waterfalls")
    parser.add_argument("--trace", metavar="DIR", help="save Chromium traces of one load each")
    parser.add_argument("--no-gzip", action="store_true", help="serve identity bodies only")
    parser.add_argument("--no-warmup", action="store_true", help="skip the discarded loads")
    parser.add_argument(
        "--quiet-wait",
        type=float,
        default=QUIET_WAIT_S,
        metavar="S",
        help=f"wait up to S seconds for idle CPUs before each load (default {QUIET_WAIT_S:g})",
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help="smoke mode: no warm-up, no wait for a quiet CPU, only the pages the table needs",
    )
    args = parser.parse_args(argv)
    if args.runs < 1 or args.build_runs < 1:
        parser.error("--runs and --build-runs must be at least 1")
    return args


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark, print the table and write the report."""
    if not (CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK)):
        say(f"{CHROMIUM} is missing: run 'make chromium' (apt-get install chromium).")
        return 1
    args = parse(argv)
    QUIET.enabled = not args.quick
    QUIET.wait_s = args.quiet_wait
    measurements = run(args)
    text = report(measurements, args)
    print(text)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(text, encoding="utf-8")
    say(f"written: {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
