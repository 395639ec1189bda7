"""The request recorder: every request of a browser context, and proof that none left the site."""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlsplit

from playwright.sync_api import BrowserContext, Request, Response, Route


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

    def since(self, mark: tuple[int, int, int]) -> RequestLog:
        """Return the part of the log recorded after `mark` (from `mark()`), as a log of its own."""
        requests, blocked, failed = mark
        return RequestLog(
            self.origin, self.requests[requests:], self.blocked[blocked:], self.failed[failed:]
        )

    def mark(self) -> tuple[int, int, int]:
        """Return where the log stands now, for `since`: a shared context's log, test by test."""
        return len(self.requests), len(self.blocked), len(self.failed)

    def matching(self, *needles: str) -> list[str]:
        """Return the recorded URLs whose path contains one of `needles` (case-insensitive)."""
        found = []
        for url in self.requests:
            path = urlsplit(url).path.lower()
            if any(needle.lower() in path for needle in needles):
                found.append(url)
        return found


def record(context: BrowserContext, origin: str, *, intercept: bool = True) -> RequestLog:
    """Route every request of `context` through a log: the site's origin passes, others abort.

    With `intercept=False` every request is logged but none is routed: Playwright turns the
    browser's HTTP cache off for a context it routes, so a browser that should behave as a
    reader's own (its cache and V8's code cache in use) is only watched. The proof is the same:
    a request to another origin is logged either way, and the site's policy blocks it in the
    browser before it is ever sent.
    """
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
    if intercept:
        context.route("**/*", on_route)
    context.on("request", lambda request: log.requests.append(request.url))
    context.on("response", on_response)
    return log
