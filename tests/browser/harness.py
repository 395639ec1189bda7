"""The Chromium suite's harness: the served site, its HTTP server and the request recorder."""

from __future__ import annotations

import http.server
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from playwright.sync_api import BrowserContext, Request, Response, Route

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
