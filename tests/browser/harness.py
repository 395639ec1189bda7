"""The Chromium suite's harness: the served site, its HTTP server and the request recorder."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from playwright.sync_api import BrowserContext, ConsoleMessage, Page

# The server, the request recorder and the browser's flags are shared with the benchmark
# (sitekit/); they are re-exported here under the names the suite has always used.
from sitekit.chromium import CHROMIUM as CHROMIUM
from sitekit.chromium import CHROMIUM_ARGS as CHROMIUM_ARGS
from sitekit.hookfiles import load_hook as load_hook
from sitekit.recorder import RequestLog as RequestLog
from sitekit.recorder import record as record
from sitekit.server import MIME_TYPES as MIME_TYPES
from sitekit.server import MOUNT as MOUNT
from sitekit.server import Site as Site
from sitekit.server import SiteServer as SiteServer
from sitekit.server import SubPathHandler as SubPathHandler

REPO = Path(__file__).resolve().parents[2]


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
# The impacts that fail a page.
BLOCKING = IMPACTS[:2]
# Run by page.evaluate, which no Content-Security-Policy blocks (an injected <script> tag would
# be), so axe checks the pages exactly as served, policy on.
AXE_RUN = """async (tags) => {
  // Only the violations in full: axe then spends no time detailing what passed.
  const results = await axe.run(document, {
    runOnly: { type: "tag", values: tags },
    resultTypes: ["violations"],
  });
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


def assert_no_blocking(violations: list[dict[str, Any]], label: str) -> None:
    """Fail, saying what axe found and where (`label`), on a serious or critical violation."""
    blocking = [rule for rule in violations if rule["impact"] in BLOCKING]
    assert not blocking, f"{label}:\n{describe_violations(blocking)}"
