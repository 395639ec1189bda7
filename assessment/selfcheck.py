"""Which engine is this, and does it really work: what a page asks before it says "ready"."""

from __future__ import annotations

import functools
import hashlib
import importlib.util
import json
import sys
import zipimport
from collections.abc import Mapping
from pathlib import Path

from .bank import load_bank
from .scoring import assess

PACKAGE_DIR = Path(__file__).resolve().parent
# The files that make the engine, which its fingerprint covers: its modules and its data.
ENGINE_PATTERNS = ("*.py", "*.toml", "*.lock.json")
# The site ships the modules its pages import as bytecode, without their sources
# (hooks/runtime.py), and beside them this record: the fingerprint of the files they were
# compiled from, and a digest of each file shipped (shipped_record).
SHIPPED_RECORD = "shipped.json"


def engine_files(package: Path = PACKAGE_DIR) -> list[Path]:
    """Return the package's files (modules and data), sorted by name."""
    found = {path for pattern in ENGINE_PATTERNS for path in package.glob(pattern)}
    return sorted(found, key=lambda path: path.name)


def fingerprint(package: Path = PACKAGE_DIR) -> str:
    """Return a short digest of the engine files' names and contents."""
    # The build writes the same digest into the runtime manifest: a page compares the two to
    # know that the engine its worker loaded is the one its form was built with.
    if not (package / "__init__.py").is_file():
        return _shipped_fingerprint(package)
    digest = hashlib.sha256()
    for path in engine_files(package):
        digest.update(path.name.encode("utf-8") + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()[:16]


def shipped_record(package: Path, shipped: Mapping[str, bytes]) -> bytes:
    """Return the record shipped beside the engine's `shipped` files (name to bytes)."""
    files = {name: hashlib.sha256(data).hexdigest() for name, data in sorted(shipped.items())}
    return json.dumps({"fingerprint": fingerprint(package), "files": files}, indent=1).encode()


def _shipped_fingerprint(package: Path) -> str:
    """Return the fingerprint the build recorded, if every file it shipped is there unchanged;
    else a value no build has, which names the first file missing or changed."""
    try:
        record = json.loads((package / SHIPPED_RECORD).read_bytes())
        files, engine = dict(record["files"]), str(record["fingerprint"])
    except (OSError, ValueError, TypeError, KeyError):
        return f"no readable {SHIPPED_RECORD}"
    for name, digest in files.items():
        try:
            data = (package / name).read_bytes()
        except OSError:
            return f"{name} missing"
        if hashlib.sha256(data).hexdigest() != digest:
            return f"{name} changed"
    return engine


def has_bytecode(module: str = __file__) -> bool:
    """Tell whether `module` (its source, or its bytecode alone) has bytecode that the
    running Python imports as it is."""
    # The site ships bytecode compiled by Pyodide's own Python (hooks/runtime.py); made for
    # another Python, it would fail to import, or beside its source be ignored and every
    # module compiled in the browser again.
    path = module if module.endswith(".pyc") else importlib.util.cache_from_source(module)
    try:
        with open(path, "rb") as compiled:
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
            "module": sys.modules[__name__.rpartition(".")[0]].__file__,
            "python": sys.version.split()[0],
            "bytecode": has_bytecode(),
            "compiled_from_zip": compiled_from_zip(),
        }
    )
