"""MkDocs hook: a Content-Security-Policy that allows only the site's own origin, in every page.

GitHub Pages cannot set response headers, so the policy ships as the first element of every
built page's ``<head>``: ``<meta http-equiv="Content-Security-Policy" content="...">``. A meta
policy only governs what comes after it, hence first, before any script or stylesheet.

What the policy allows (README, "Content-Security-Policy", says why each source is there):

- everything from the site's own origin ('self') and nothing from any other;
- the page's own inline ``<script>`` elements by their sha256 (Material's templates have a few:
  the ``__md_scope`` / palette / tabs setup), computed from that very page, so an inline script
  injected later, or changed, does not run; ``'unsafe-inline'`` is never used for scripts;
  JSON and other data blocks (``<script type="application/json">``, ``type="py"``) are not run
  by the browser and need no hash;
- inline ``<style>`` elements by their sha256, and ``style=""`` attributes written in the page
  by theirs (with ``'unsafe-hashes'``, in ``style-src-attr`` only) should a page have any;
- ``data:`` images (Material's icons are CSS masks with ``data:`` SVG URLs);
- on pages that start Python (a ``<script type="py">``, i.e. the assessment page) and only
  there:

  - ``worker-src blob:``: PyScript starts its Web Worker from a ``blob:`` URL. Such a worker
    inherits the policy of the page that creates it (a worker loaded from a URL would get its
    own response's policy instead), so the worker running Pyodide is held to this very policy;
  - ``'unsafe-eval'``: PyScript 0.7 builds its worker hooks with ``Function()`` on the page's
    thread (without it PyScript's start fails, and it then tries to import Pyodide from a CDN,
    which the policy blocks too);
  - ``'wasm-unsafe-eval'``: all that Pyodide itself needs, in the worker, to compile its
    WebAssembly. ``'unsafe-eval'`` implies it; it is listed so that dropping ``'unsafe-eval'``,
    once PyScript no longer needs it, leaves a working policy.

Inline event handlers (``onclick=""``) and ``javascript:`` URLs cannot be allowed without
opening the policy up: a page that has one is reported as a warning (an error with --strict).

Hosts that can set response headers can send the same policy as a header too, which adds
what a <meta> policy cannot say (frame-ancestors): ``python hooks/csp.py site`` prints it for
the built site (header_policy).

On ``mkdocs serve`` only, the live-reload script that the development server injects into each
page gets a nonce, so the preview keeps reloading with the policy on.
"""

from __future__ import annotations

import base64
import hashlib
import logging
import re
import secrets
import sys
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.structure.pages import Page

log = logging.getLogger("mkdocs.hooks.csp")

# The policy of every page, in the order it is written.
BASE_POLICY: dict[str, tuple[str, ...]] = {
    "default-src": ("'self'",),
    "script-src": ("'self'",),
    "style-src": ("'self'",),
    "img-src": ("'self'", "data:"),
    "font-src": ("'self'",),
    "connect-src": ("'self'",),
    "worker-src": ("'self'",),
    "object-src": ("'none'",),
    "base-uri": ("'self'",),
    "form-action": ("'self'",),
}

# Added on a page that starts Python with PyScript (see the module docstring).
PYTHON_SCRIPT_SRC = ("'wasm-unsafe-eval'", "'unsafe-eval'")
PYTHON_WORKER_SRC = ("blob:",)

# Directives a <meta> policy ignores: they only work in a response header (header_policy).
HEADER_ONLY = {"frame-ancestors": ("'none'",)}

# Script types the browser runs (classic, module, import map, speculation rules); any other
# type, e.g. application/json or PyScript's "py", is a data block the browser does not run.
JAVASCRIPT_TYPES = {
    "",
    "module",
    "importmap",
    "speculationrules",
    "application/ecmascript",
    "application/javascript",
    "application/x-ecmascript",
    "application/x-javascript",
    "text/ecmascript",
    "text/javascript",
    "text/javascript1.0",
    "text/javascript1.1",
    "text/javascript1.2",
    "text/javascript1.3",
    "text/javascript1.4",
    "text/javascript1.5",
    "text/jscript",
    "text/livescript",
    "text/x-ecmascript",
    "text/x-javascript",
}
# PyScript's script types and custom elements: a page with one starts Python.
PYTHON_TYPES = {"py", "mpy", "pyodide", "micropython"}
PYTHON_ELEMENTS = {"py-script", "mpy-script", "py-config", "mpy-config"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data"}

HEAD = re.compile(r"<head(?:\s[^>]*)?>", re.IGNORECASE)
EXISTING_META = re.compile(r"""<meta\b[^>]*http-equiv=["']?content-security-policy""", re.I)
WRITTEN_META = re.compile(r"""<meta http-equiv="Content-Security-Policy" content="([^"]*)">""")
# The development server's live-reload injection (mkdocs.livereload): "<script>" + its code.
LIVERELOAD_SCRIPT = b"<script>\nvar livereload = function("


def sha256_source(text: str) -> str:
    """Return the CSP hash source of an inline script, style or style attribute."""
    # The browser hashes the text as parsed: its input stream has CR LF and CR turned into LF.
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


class _Inventory(HTMLParser):
    """What a page holds that its policy must account for."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.scripts: list[str] = []
        self.styles: list[str] = []
        self.style_attributes: list[str] = []
        self.handlers: list[str] = []
        self.starts_python = False
        self._text: list[str] | None = None
        self._kind = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag in PYTHON_ELEMENTS:
            self.starts_python = True
        if tag == "script":
            kind = values.get("type", "").strip().lower()
            if kind in PYTHON_TYPES:
                self.starts_python = True
            if "src" not in values and kind in JAVASCRIPT_TYPES:
                self._text, self._kind = [], "script"
        elif tag == "style":
            self._text, self._kind = [], "style"
        for name, value in values.items():
            if name == "style":
                self.style_attributes.append(value)
            elif name.startswith("on"):
                self.handlers.append(f"<{tag} {name}>")
            elif name in URL_ATTRIBUTES and re.match(r"\s*javascript:", value, re.IGNORECASE):
                self.handlers.append(f'<{tag} {name}="{value}">')

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        self._text = None

    def handle_data(self, data: str) -> None:
        if self._text is not None:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if self._text is not None and tag == self._kind:
            (self.scripts if tag == "script" else self.styles).append("".join(self._text))
            self._text = None


def policy_for(html: str, nonce: str | None = None) -> str:
    """Return the policy of one page: the base policy plus what this very page needs."""
    inventory = _Inventory()
    inventory.feed(html)
    inventory.close()
    policy = {name: list(sources) for name, sources in BASE_POLICY.items()}
    if inventory.starts_python:
        policy["script-src"] += PYTHON_SCRIPT_SRC
        policy["worker-src"] += PYTHON_WORKER_SRC
    if nonce:
        policy["script-src"].append(f"'nonce-{nonce}'")
    for sources, texts in (
        (policy["script-src"], inventory.scripts),
        (policy["style-src"], inventory.styles),
    ):
        sources += dict.fromkeys(sha256_source(text) for text in texts)
    if inventory.style_attributes:
        hashes = dict.fromkeys(sha256_source(text) for text in inventory.style_attributes)
        policy["style-src-attr"] = ["'unsafe-hashes'", *hashes]
    if inventory.handlers:
        # Blocked by the policy at run time: say so at build time (fails a --strict build).
        log.warning(
            "hooks/csp.py: inline event handlers and javascript: URLs are blocked by the "
            "Content-Security-Policy; use a script file instead: %s",
            ", ".join(sorted(set(inventory.handlers))),
        )
    return "; ".join(f"{name} {' '.join(sources)}" for name, sources in policy.items())


def add_policy(html: str, where: str, nonce: str | None = None) -> str:
    """Return `html` with its policy as a <meta> tag, the first element of its <head>."""
    head = HEAD.search(html)
    if head is None:
        raise PluginError(f"hooks/csp.py: {where} has no <head> to put its policy in.")
    if EXISTING_META.search(html):
        raise PluginError(
            f"hooks/csp.py: {where} already has a Content-Security-Policy <meta> tag; "
            "the hook writes the only one."
        )
    meta = f'<meta http-equiv="Content-Security-Policy" content="{policy_for(html, nonce)}">'
    return html[: head.end()] + meta + html[head.end() :]


def header_policy(site_dir: Path) -> str:
    """Return one policy for a response header that covers every page built into `site_dir`.

    It is the union of the pages' own policies plus what only a header can say. A browser
    enforces the header and the page's <meta> tag both, so each page stays held to its own,
    narrower policy, and the header adds frame-ancestors (no other site may frame the pages).
    """
    merged: dict[str, list[str]] = {}
    for path in sorted(site_dir.rglob("*.html")):
        found = WRITTEN_META.search(path.read_text(encoding="utf-8"))
        if found is None:
            raise ValueError(f"{path} has no Content-Security-Policy <meta> tag")
        for directive in found[1].split(";"):
            name, *sources = directive.split()
            merged.setdefault(name, [])
            merged[name] += [source for source in sources if source not in merged[name]]
    if not merged:
        raise ValueError(f"{site_dir} holds no built page")
    for name, sources in HEADER_ONLY.items():
        merged[name] = list(sources)
    return "; ".join(f"{name} {' '.join(sources)}" for name, sources in merged.items())


# -- MkDocs events ---------------------------------------------------------------------------

_serve_nonce: str | None = None


def on_startup(*, command: str, dirty: bool) -> None:
    """On `mkdocs serve`, make the nonce that lets the live-reload script run."""
    global _serve_nonce
    _serve_nonce = secrets.token_urlsafe(18) if command == "serve" else None


def on_post_page(output: str, *, page: Page, config: MkDocsConfig) -> str:
    """Put the page's own policy at the top of its <head>."""
    return add_policy(output, page.file.src_uri, _serve_nonce)


def on_post_template(output_content: str, *, template_name: str, config: MkDocsConfig) -> str:
    """The same for the theme's static HTML templates (Material's 404.html)."""
    if not template_name.endswith(".html"):
        return output_content
    return add_policy(output_content, template_name, _serve_nonce)


def on_serve(
    server: LiveReloadServer, *, config: MkDocsConfig, builder: Callable[..., Any]
) -> LiveReloadServer:
    """Give the development server's injected live-reload script the policy's nonce."""
    inject: Callable[[bytes, int], bytes] | None = getattr(server, "_inject_js_into_html", None)
    nonce = _serve_nonce
    if inject is None or nonce is None:
        return server

    def inject_with_nonce(content: bytes, epoch: int) -> bytes:
        done = inject(content, epoch)
        return done.replace(
            LIVERELOAD_SCRIPT, b'<script nonce="%s"' % nonce.encode() + LIVERELOAD_SCRIPT[7:], 1
        )

    server._inject_js_into_html = inject_with_nonce  # type: ignore[method-assign]
    return server


if __name__ == "__main__":
    # python hooks/csp.py site: print the header form of the policy for the built site.
    print(header_policy(Path(sys.argv[1] if len(sys.argv) > 1 else "site")))
