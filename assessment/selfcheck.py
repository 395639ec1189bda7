"""Which engine is this, and does it really work: what a page asks before it says "ready"."""

from __future__ import annotations

import functools
import hashlib
import importlib.util
import json
import sys
import zipimport
from pathlib import Path

from .bank import load_bank
from .scoring import assess

PACKAGE_DIR = Path(__file__).resolve().parent
# The files that make the engine: what the site ships into the browser's Python.
SHIPPED_PATTERNS = ("*.py", "*.toml", "*.lock.json")


def shipped_files(package: Path = PACKAGE_DIR) -> list[Path]:
    """Return the package's shipped files (modules and data), sorted by name."""
    found = {path for pattern in SHIPPED_PATTERNS for path in package.glob(pattern)}
    return sorted(found, key=lambda path: path.name)


def fingerprint(package: Path = PACKAGE_DIR) -> str:
    """Return a short digest of the shipped files' names and contents."""
    # The build writes the same digest into the runtime manifest: a page compares the two to
    # know that the engine its worker loaded is the one its form was built with.
    digest = hashlib.sha256()
    for path in shipped_files(package):
        digest.update(path.name.encode("utf-8") + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()[:16]


def has_bytecode(module: str = __file__) -> bool:
    """Tell whether `module` has bytecode that the running Python imports as it is."""
    # The site ships bytecode compiled by Pyodide's own Python (hooks/runtime.py); made for
    # another Python, it would be ignored and every module compiled in the browser again.
    try:
        with open(importlib.util.cache_from_source(module), "rb") as compiled:
            return compiled.read(4) == importlib.util.MAGIC_NUMBER
    except OSError:
        return False


def compiled_from_zip() -> list[str]:
    """Return the imported modules that Python compiled from source found in a zip archive."""
    # Pyodide's standard library is such an archive, which keeps no bytecode the importer
    # writes: each module imported from a source there was compiled by this very start. The
    # site ships the ones its worker imports as bytecode (hooks/runtime.py), so none should be.
    return sorted(
        name
        for name, module in list(sys.modules.items())
        if isinstance(getattr(module, "__loader__", None), zipimport.zipimporter)
        and (getattr(module, "__file__", None) or "").endswith(".py")
    )


@functools.cache
def _checked_engine() -> tuple[str, str]:
    """Score an empty answer set on the shipped bank, once; return the engine and bank version."""
    # A real call, not just an import: a module cut in half or a bank that does not load
    # fails here, and the page then says "error", never "ready". Its modules and data do not
    # change under a running process, so later pings (the page's heartbeat) reuse the answer.
    bank = load_bank()
    assess({}, bank)
    # Not cached in fingerprint() itself, which `mkdocs serve` calls again after every edit.
    return fingerprint(), bank.version


def ping() -> str:
    """Return, as JSON, which engine answers and what its Python loaded (scored once first)."""
    engine, bank_version = _checked_engine()
    return json.dumps(
        {
            "engine": engine,
            "bank_version": bank_version,
            "module": str(PACKAGE_DIR / "__init__.py"),
            "python": sys.version.split()[0],
            "bytecode": has_bytecode(),
            # False when every data file read so far came from the build's JSON copy (datafile).
            "toml_parser": "tomllib" in sys.modules,
            "compiled_from_zip": compiled_from_zip(),
        }
    )
