"""sitekit, shared by the Chromium suite and the benchmark: the server and the manifest reader."""

from __future__ import annotations

import gzip
import http.client
import json
from http.client import HTTPMessage
from pathlib import Path
from typing import Any

import pytest

from sitekit.hookfiles import load_hook
from sitekit.manifest import ManifestError, load_manifest
from sitekit.pages import python_pages, ready_mark
from sitekit.server import MOUNT, serve

MANIFEST: dict[str, Any] = {
    "build": "abc123",
    "bank_version": "2026.1",
    "pyodide": {"version": "1.0", "base": "runtime/pyodide/1.0/", "files": ["pyodide.mjs", "b"]},
    "pyscript": {"base": "runtime/pyscript/", "entry": "core.js", "files": ["core.js"]},
    "package": {"base": "runtime/engine/", "files": ["assessment-abc123.zip"]},
    "names": {
        "offline_cache": "off",
        "storage_prefix": "pre",
        "ready_mark": "{worker}-is-ready",
    },
}


def get(origin: str, path: str, gzip_ok: bool = True) -> tuple[int, HTTPMessage, bytes]:
    """GET `path` from the server at `origin`; return status, headers (any case) and raw body."""
    connection = http.client.HTTPConnection(origin.removeprefix("http://"), timeout=10)
    try:
        connection.request("GET", path, headers={"Accept-Encoding": "gzip" if gzip_ok else ""})
        response = connection.getresponse()
        return response.status, response.headers, response.read()
    finally:
        connection.close()


@pytest.fixture
def files(tmp_path: Path) -> Path:
    """A tiny built site: a page, a script, a WebAssembly binary and a zip archive."""
    (tmp_path / "index.html").write_text("<p>home</p>", encoding="utf-8")
    (tmp_path / "app.mjs").write_text("export const a = 1;\n" * 50, encoding="utf-8")
    (tmp_path / "engine.wasm").write_bytes(b"\0asm" + bytes(100))
    (tmp_path / "library.zip").write_bytes(b"PK\5\6" + bytes(18))
    return tmp_path


def test_served_as_github_pages_sends_it(files: Path) -> None:
    """With max_age and compress: text and WebAssembly gzip-compressed with their types, every
    answer cacheable."""
    with serve(files, max_age=600, compress=True) as site:
        status, headers, body = get(site.origin, MOUNT + "app.mjs")
        assert status == 200
        assert headers["Content-Encoding"] == "gzip"
        assert headers["Content-Type"] == "text/javascript"
        assert headers["Cache-Control"] == "max-age=600"
        assert gzip.decompress(body) == (files / "app.mjs").read_bytes()

        # GitHub Pages compresses WebAssembly too, but not an archive, compressed already.
        status, headers, body = get(site.origin, MOUNT + "engine.wasm")
        assert (status, headers["Content-Type"]) == (200, "application/wasm")
        assert headers["Content-Encoding"] == "gzip"
        assert gzip.decompress(body) == (files / "engine.wasm").read_bytes()
        status, headers, body = get(site.origin, MOUNT + "library.zip")
        assert status == 200 and "Content-Encoding" not in headers
        assert body == (files / "library.zip").read_bytes()

        status, headers, body = get(site.origin, MOUNT)
        assert (status, headers["Content-Encoding"]) == (200, "gzip")
        assert gzip.decompress(body) == b"<p>home</p>"


def test_plain_server_sends_identity_bodies_without_caching(files: Path) -> None:
    """By default (the Chromium suite's server): no gzip even when accepted, no Cache-Control."""
    with serve(files) as site:
        status, headers, body = get(site.origin, MOUNT + "app.mjs")
        assert status == 200
        assert "Content-Encoding" not in headers and "Cache-Control" not in headers
        assert body == (files / "app.mjs").read_bytes()


def test_only_the_sub_path_is_served(files: Path) -> None:
    """A URL that ignores the sub-path is a 404, as on a GitHub Pages project site."""
    with serve(files, compress=True) as site:
        assert get(site.origin, "/app.mjs")[0] == 404
        assert get(site.origin, "/index.html")[0] == 404
        assert site.url("app.mjs") == f"{site.origin}{MOUNT}app.mjs"


def write_manifest(root: Path, data: Any) -> None:
    """Write `data` as the site's runtime/manifest.json."""
    (root / "runtime").mkdir(exist_ok=True)
    (root / "runtime" / "manifest.json").write_text(json.dumps(data), encoding="utf-8")


def test_manifest_is_read(tmp_path: Path) -> None:
    """The file lists and names come back as written; Pyodide's entry is its first file."""
    write_manifest(tmp_path, MANIFEST)
    manifest = load_manifest(tmp_path)
    assert manifest.pyodide.paths() == ["runtime/pyodide/1.0/pyodide.mjs", "runtime/pyodide/1.0/b"]
    assert manifest.pyodide_entry == "pyodide.mjs"
    assert manifest.offline_cache == "off"
    assert manifest.pyscript_entry == "core.js"
    assert manifest.package.paths() == ["runtime/engine/assessment-abc123.zip"]


@pytest.mark.parametrize(
    ("change", "named"),
    [
        (lambda m: m.pop("names"), "'names.offline_cache'"),
        (lambda m: m["pyodide"].update(files="pyodide.mjs"), "'pyodide.files'"),
        (lambda m: m["package"].update(files=[]), "'package'"),
        (lambda m: m["pyscript"].update(base="runtime/pyscript"), "'pyscript'"),
        (lambda m: m["names"].update(offline_cache=3), "'names.offline_cache'"),
    ],
)
def test_a_bad_manifest_is_refused_naming_the_field(
    tmp_path: Path, change: Any, named: str
) -> None:
    """Each malformed field gives a ManifestError naming the file and that field."""
    data = json.loads(json.dumps(MANIFEST))
    change(data)
    write_manifest(tmp_path, data)
    with pytest.raises(ManifestError, match=named) as error:
        load_manifest(tmp_path)
    assert "manifest.json" in str(error.value)


def test_a_missing_or_broken_manifest_says_so(tmp_path: Path) -> None:
    """No manifest, or one that is not JSON: an error naming the file, not a traceback."""
    with pytest.raises(ManifestError, match="missing"):
        load_manifest(tmp_path)
    (tmp_path / "runtime").mkdir()
    (tmp_path / "runtime" / "manifest.json").write_text("{", encoding="utf-8")
    with pytest.raises(ManifestError, match="unreadable"):
        load_manifest(tmp_path)


def test_python_pages_and_their_ready_marks_are_read_from_the_built_html(tmp_path: Path) -> None:
    """A page that starts Python is found by the hook's marker, and its worker's name, in the
    manifest's pattern, gives the mark it sets once its engine answers; a plain page has none."""
    write_manifest(tmp_path, MANIFEST)
    marker = load_hook("python_page").MARKER
    (tmp_path / "tool").mkdir()
    (tmp_path / "tool" / "index.html").write_text(f'{marker} name="a-tool" src="main.py">')
    (tmp_path / "plain").mkdir()
    (tmp_path / "plain" / "index.html").write_text("<p>text</p>")
    assert python_pages(tmp_path) == ["tool/"]
    assert ready_mark(tmp_path, "tool/") == "a-tool-is-ready"
    with pytest.raises(ValueError, match="plain/"):
        ready_mark(tmp_path, "plain/")
