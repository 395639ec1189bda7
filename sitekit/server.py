"""The built site served on 127.0.0.1 under a sub-path, as GitHub Pages serves a project site."""

from __future__ import annotations

import functools
import gzip
import http.server
import io
import os
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO
from urllib.parse import urlsplit

MOUNT = "/playbook/"
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
# What GitHub Pages sends gzip-compressed: text, and the WebAssembly binary too (seen in its
# responses: maxence-charriere/go-app#866); not zip archives, which are compressed already.
GZIP_SUFFIXES = frozenset(
    {
        ".html",
        ".css",
        ".js",
        ".mjs",
        ".json",
        ".svg",
        ".xml",
        ".txt",
        ".py",
        ".toml",
        ".map",
        ".wasm",
    }
)


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
    """The server; a browser dropping a connection (an aborted fetch) is not an error."""

    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Ignore client disconnects; report anything else as the standard server does."""
        if isinstance(sys.exc_info()[1], ConnectionError):
            return
        super().handle_error(request, client_address)


@functools.lru_cache(maxsize=512)
def gzipped(path: str, mtime: float) -> bytes:
    """Return the gzip-compressed bytes of file `path` (cached per modification time)."""
    return gzip.compress(Path(path).read_bytes(), compresslevel=6, mtime=0)


class SubPathHandler(http.server.SimpleHTTPRequestHandler):
    """Serve the built site under MOUNT only; any other path is a 404.

    `cache_control` (e.g. "max-age=600") goes on every response when set; with `compress`, text
    files go gzip-compressed to a browser that accepts it. Both as GitHub Pages does.
    """

    extensions_map = MIME_TYPES
    cache_control: str | None = None
    compress = False

    def translate_path(self, path: str) -> str:
        """Map a URL under MOUNT to the built site; anything else to a path that never exists."""
        if path.startswith(MOUNT):
            return super().translate_path(path[len(MOUNT) - 1 :])
        # Outside the sub-path: a name the build never writes, so the answer is a 404.
        return os.path.join(self.directory, "outside-the-sub-path.missing")

    def end_headers(self) -> None:
        """Add the caching header, if any, to every response."""
        if self.cache_control:
            self.send_header("Cache-Control", self.cache_control)
        super().end_headers()

    def send_head(self) -> io.BytesIO | BinaryIO | None:
        """Serve a text file gzip-compressed when asked to and the browser accepts it."""
        path = self.translate_path(self.path)
        if os.path.isdir(path) and urlsplit(self.path).path.endswith("/"):
            path = os.path.join(path, "index.html")
        accepts = "gzip" in self.headers.get("Accept-Encoding", "")
        text = os.path.splitext(path)[1] in GZIP_SUFFIXES
        if not (self.compress and accepts and text and os.path.isfile(path)):
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

    def log_message(self, format: str, *args: Any) -> None:
        """Stay quiet: the request recorder, not the server log, is the evidence."""


@contextmanager
def serve(root: Path, *, max_age: int | None = None, compress: bool = False) -> Iterator[Site]:
    """Serve folder `root` at http://127.0.0.1:<port>/playbook/ while in the block.

    The server runs before `root` needs to hold anything: the port is part of the site URL a
    build writes into the pages, so build into `root` inside the block.
    """
    settings = {"cache_control": None if max_age is None else f"max-age={max_age}"}
    handler = type("Handler", (SubPathHandler,), {**settings, "compress": compress})
    server = SiteServer(("127.0.0.1", 0), functools.partial(handler, directory=str(root)))
    host, port = server.server_address[:2]
    origin = f"http://{host!s}:{port}"
    thread = threading.Thread(target=server.serve_forever, name="site-server", daemon=True)
    thread.start()
    try:
        yield Site(origin=origin, base=origin + MOUNT, root=root)
    finally:
        server.shutdown()
        thread.join()
        server.server_close()
