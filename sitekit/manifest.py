"""The runtime manifest the build writes: which runtime files a page fetches, and shared names.

hooks/runtime.py writes it to ``<site>/runtime/manifest.json`` (paths relative to the site
root); tests and the benchmark read it here instead of restating file lists and names.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

MANIFEST = "runtime/manifest.json"


class ManifestError(ValueError):
    """The manifest is missing or malformed (the message names the file and the field)."""


@dataclass(frozen=True)
class Bundle:
    """One group of shipped files: a folder (relative to the site root) and its file names."""

    base: str
    files: tuple[str, ...]

    def paths(self) -> list[str]:
        """Return every file's path relative to the site root."""
        return [self.base + name for name in self.files]


@dataclass(frozen=True)
class Manifest:
    """The runtime a built site ships, and the names its pages, tests and benchmark share."""

    build: str
    pyodide_version: str
    pyodide: Bundle
    pyodide_entry: str
    pyscript: Bundle
    pyscript_entry: str
    package: Bundle
    offline_cache: str
    storage_prefix: str
    ready_mark: str  # with "{worker}" for the page's worker name


def _field(data: Any, path: str, kind: type, where: Path) -> Any:
    """Return `data`'s value at dotted `path`, checked to be a `kind`, or fail naming it."""
    value = data
    for key in path.split("."):
        if not isinstance(value, dict) or key not in value:
            raise ManifestError(f"{where}: no field {path!r}")
        value = value[key]
    text_list = isinstance(value, list) and all(isinstance(v, str) for v in value)
    if not isinstance(value, kind) or (kind is list and not text_list):
        raise ManifestError(f"{where}: field {path!r} is not a {kind.__name__} of text")
    return value


def _bundle(data: Any, name: str, where: Path) -> Bundle:
    """Read one {base, files} group."""
    base = _field(data, f"{name}.base", str, where)
    files = _field(data, f"{name}.files", list, where)
    if not base.endswith("/") or not files:
        raise ManifestError(f"{where}: {name!r} needs a base ending in '/' and some files")
    return Bundle(base=base, files=tuple(files))


def load_manifest(site_root: Path) -> Manifest:
    """Read and check ``runtime/manifest.json`` of the site built into `site_root`."""
    where = site_root / MANIFEST
    try:
        data = json.loads(where.read_text(encoding="utf-8"))
    except FileNotFoundError as error:
        raise ManifestError(f"{where} is missing: hooks/runtime.py writes it at build") from error
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ManifestError(f"{where}: unreadable ({error})") from error
    return Manifest(
        build=_field(data, "build", str, where),
        pyodide_version=_field(data, "pyodide.version", str, where),
        pyodide=_bundle(data, "pyodide", where),
        # The module that exports loadPyodide(): named, or else the first file listed.
        pyodide_entry=str(data["pyodide"].get("entry", data["pyodide"]["files"][0])),
        pyscript=_bundle(data, "pyscript", where),
        pyscript_entry=_field(data, "pyscript.entry", str, where),
        package=_bundle(data, "package", where),
        offline_cache=_field(data, "names.offline_cache", str, where),
        storage_prefix=_field(data, "names.storage_prefix", str, where),
        ready_mark=_field(data, "names.ready_mark", str, where),
    )
