"""The Chromium suite's harness: the served site, its HTTP server and the request recorder."""

from __future__ import annotations

import http.server
import importlib.util
import json
import os
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any
from urllib.parse import urlsplit

from playwright.sync_api import BrowserContext, ConsoleMessage, Page, Request, Response, Route

REPO = Path(__file__).resolve().parents[2]
MOUNT = "/playbook/"
CHROMIUM = Path("/usr/bin/chromium")
# Headless Debian Chromium as root in a container: no sandbox, no GPU, and none of the
# background traffic (updates, sync, QUIC probes) that would muddy the request log.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# The types the site serves; a wrong one breaks module scripts (.mjs) or WebAssembly
# streaming compilation (.wasm) in the browser, as a misconfigured host would.
MIME_TYPES = {
    ".html": "text/html",
    ".css": "text/css",
    ".js": "text/javascript",
    ".mjs": "text/javascript",
    ".wasm": "application/wasm",
    ".json": "application/json",
    ".zip": "application/zip",
    ".toml": "text/plain",
    ".py": "text/plain",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".ico": "image/x-icon",
    ".xml": "application/xml",
    ".gz": "application/gzip",
    ".txt": "text/plain",
}


@dataclass(frozen=True)
class Site:
    """The built site as served: its origin, its base URL under the sub-path, its files."""

    origin: str
    base: str
    root: Path

    def url(self, path: str = "") -> str:
        """Return the absolute URL of `path`, relative to the site's base."""
        return self.base + path.lstrip("/")


class SiteServer(http.server.ThreadingHTTPServer):
    """The test server; a browser dropping a connection (an aborted fetch) is not an error."""

    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Ignore client disconnects; report anything else as the standard server does."""
        if isinstance(sys.exc_info()[1], ConnectionError):
            return
        super().handle_error(request, client_address)


class SubPathHandler(http.server.SimpleHTTPRequestHandler):
    """Serve the built site under MOUNT only; any other path is a 404."""

    extensions_map = MIME_TYPES

    def translate_path(self, path: str) -> str:
        """Map a URL under MOUNT to the built site; anything else to a path that never exists."""
        if path.startswith(MOUNT):
            return super().translate_path(path[len(MOUNT) - 1 :])
        # Outside the sub-path: a name the build never writes, so the answer is a 404.
        return os.path.join(self.directory, "outside-the-sub-path.missing")

    def log_message(self, format: str, *args: Any) -> None:
        """Keep the test output quiet: the recorder, not the server log, is the evidence."""


@dataclass
class RequestLog:
    """Every request of one browser context, workers included, and what became of it."""

    origin: str
    requests: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)

    def is_own(self, url: str) -> bool:
        """Tell whether `url` stays on the site's origin (blob: and data: make no request)."""
        if url.startswith("data:"):
            return True
        if url.startswith("blob:"):
            url = url[len("blob:") :]
        parts = urlsplit(url)
        return f"{parts.scheme}://{parts.netloc}" == self.origin

    def foreign(self) -> list[str]:
        """Return every recorded URL that is not on the site's origin."""
        # A blocked request is also a recorded one: list each URL once, in order.
        return [url for url in dict.fromkeys(self.requests + self.blocked) if not self.is_own(url)]

    def assert_same_origin(self) -> None:
        """Fail if any request, from the page or a worker, went to another origin."""
        assert self.foreign() == [], f"requests left {self.origin}: {self.foreign()}"

    def matching(self, *needles: str) -> list[str]:
        """Return the recorded URLs whose path contains one of `needles` (case-insensitive)."""
        found = []
        for url in self.requests:
            path = urlsplit(url).path.lower()
            if any(needle.lower() in path for needle in needles):
                found.append(url)
        return found


def record(context: BrowserContext, origin: str) -> RequestLog:
    """Route every request of `context` through a log: the site's origin passes, others abort."""
    log = RequestLog(origin=origin)

    def on_route(route: Route, request: Request) -> None:
        """Let the site's own requests through; abort any other, so a CDN load fails visibly."""
        if log.is_own(request.url):
            route.continue_()
        else:
            log.blocked.append(request.url)
            route.abort("blockedbyclient")

    def on_response(response: Response) -> None:
        """Keep every answer of 400 or more: a missing runtime file must not go unnoticed."""
        if response.status >= 400:
            log.failed.append(f"{response.status} {response.url}")

    # Context-level routing and events see the requests of dedicated Web Workers in
    # Chromium too (the suite's test_recorder_sees_worker_requests checks it every run).
    context.route("**/*", on_route)
    context.on("request", lambda request: log.requests.append(request.url))
    context.on("response", on_response)
    return log


@dataclass
class Session:
    """One fresh browser context on the served site, with its request log."""

    site: Site
    context: BrowserContext
    log: RequestLog


# -- Content-Security-Policy violations (tests/browser/test_csp.py) ----------------------------

# Marks the console lines through which a worker reports a violation of its policy.
CSP_MARK = "[csp-violation]"
# Added to a context with add_init_script (which no page policy can block). On the page: every
# `securitypolicyviolation` event goes into window.__cspViolations. In a Web Worker made from a
# blob: URL, as PyScript's is: the worker inherits the page's policy but its violations fire in
# its own global scope, out of the page's reach, and Chromium logs none of them; so the worker's
# source gets a first line that reports them on the console, which the context sees.
CSP_RECORDER = """
(() => {
  const describe = (event, where) => ({
    where,
    directive: event.violatedDirective,
    blocked: event.blockedURI,
    sample: event.sample,
    source: event.sourceFile,
    line: event.lineNumber,
    column: event.columnNumber,
  });
  window.__cspViolations = [];
  document.addEventListener("securitypolicyviolation", (event) => {
    window.__cspViolations.push(describe(event, location.href));
  });
  const prelude =
    `const describe = ${describe.toString()};\n` +
    `self.addEventListener("securitypolicyviolation", (event) => console.error(` +
    `${JSON.stringify(MARK)} + " " + JSON.stringify(describe(event, "worker " + self.name))));\n`;
  const blobs = new Map();
  const createObjectURL = URL.createObjectURL;
  URL.createObjectURL = function (object) {
    const url = createObjectURL.call(URL, object);
    if (object instanceof Blob) blobs.set(url, object);
    return url;
  };
  const NativeWorker = window.Worker;
  window.Worker = class extends NativeWorker {
    constructor(url, options) {
      const blob = blobs.get(String(url));
      if (blob) {
        const type = blob.type || "text/javascript";
        url = createObjectURL.call(URL, new Blob([prelude, blob], { type }));
      }
      super(url, options);
    }
  };
})();
""".replace("MARK", json.dumps(CSP_MARK))
# How Chromium words a violation on the console of the page.
CSP_CONSOLE = re.compile(r"Content Security Policy|Refused to", re.IGNORECASE)


@dataclass
class CspLog:
    """The policy violations of one browser context: logged by Chromium or by a worker."""

    console: list[str] = field(default_factory=list)
    workers: list[dict[str, Any]] = field(default_factory=list)

    def page_violations(self, page: Page) -> list[dict[str, Any]]:
        """Return the violations the page has seen so far (its own, not its workers')."""
        found: list[dict[str, Any]] = page.evaluate("window.__cspViolations ?? []")
        return found

    def all_violations(self, page: Page) -> list[Any]:
        """Return every violation seen: the page's, its workers' and Chromium's console lines."""
        return [*self.page_violations(page), *self.workers, *self.console]


def record_csp(context: BrowserContext) -> CspLog:
    """Record every Content-Security-Policy violation of `context`'s pages and their workers."""
    log = CspLog()

    def on_console(message: ConsoleMessage) -> None:
        """Keep the worker reports and Chromium's own violation messages."""
        text = message.text
        if text.startswith(CSP_MARK):
            log.workers.append(json.loads(text[len(CSP_MARK) :]))
        elif message.type == "error" and CSP_CONSOLE.search(text):
            log.console.append(text)

    context.add_init_script(CSP_RECORDER)
    context.on("console", on_console)
    return log


def content_security_policy(html: str) -> dict[str, list[str]]:
    """Return the policy of a built page's <meta> tag as {directive: [sources]}."""
    found = re.search(r"""<meta http-equiv="Content-Security-Policy" content="([^"]*)">""", html)
    assert found is not None, "the page has no Content-Security-Policy <meta> tag"
    policy: dict[str, list[str]] = {}
    for directive in found[1].split(";"):
        name, *sources = directive.split()
        policy[name] = sources
    return policy


# -- Accessibility with axe-core (tests/browser/test_accessibility.py) ------------------------

AXE_SCRIPT = REPO / "node_modules" / "axe-core" / "axe.min.js"
# The WCAG 2.1 A and AA rules.
WCAG_21_AA = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa")
IMPACTS = ("critical", "serious", "moderate", "minor")
# Run by page.evaluate, which no Content-Security-Policy blocks (an injected <script> tag would
# be), so axe checks the pages exactly as served, policy on.
AXE_RUN = """async (tags) => {
  const results = await axe.run(document, { runOnly: { type: "tag", values: tags } });
  return results.violations.map((rule) => ({
    id: rule.id,
    impact: rule.impact,
    help: rule.help,
    helpUrl: rule.helpUrl,
    nodes: rule.nodes.map((node) => ({
      target: node.target.map(String).join(" "),
      html: node.html,
      summary: node.failureSummary,
    })),
  }));
}"""


def axe_violations(page: Page, tags: tuple[str, ...] = WCAG_21_AA) -> list[dict[str, Any]]:
    """Run axe-core on `page`, in whatever state it is in now; return its violations.

    Each violation: {id, impact, help, helpUrl, nodes: [{target, html, summary}]}.
    """
    if not page.evaluate("typeof window.axe === 'object'"):
        if not AXE_SCRIPT.is_file():
            raise FileNotFoundError(f"{AXE_SCRIPT} is missing: run 'make deps' (npm ci).")
        page.evaluate(AXE_SCRIPT.read_text(encoding="utf-8"))
    found: list[dict[str, Any]] = page.evaluate(AXE_RUN, list(tags))
    return found


def impact_counts(violations: list[dict[str, Any]]) -> dict[str, int]:
    """Count the failing elements of `violations` by impact, most severe first."""
    counts = dict.fromkeys(IMPACTS, 0)
    for rule in violations:
        counts[rule["impact"] or "minor"] += len(rule["nodes"])
    return counts


def describe_violations(violations: list[dict[str, Any]], limit: int = 5) -> str:
    """Say what axe found, rule by rule, with the first few elements and how to fix them."""
    lines = []
    for rule in violations:
        lines.append(f"{rule['impact']}: {rule['id']}: {rule['help']} ({rule['helpUrl']})")
        for node in rule["nodes"][:limit]:
            summary = " ".join(node["summary"].split())
            lines.append(f"    {node['target']}: {summary}")
        if len(rule["nodes"]) > limit:
            lines.append(f"    ... and {len(rule['nodes']) - limit} more")
    return "\n".join(lines)


def load_hook(name: str) -> ModuleType:
    """Import hooks/<name>.py the way MkDocs does: as a file, not as a package module."""
    spec = importlib.util.spec_from_file_location(f"{name}_hook", REPO / "hooks" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
