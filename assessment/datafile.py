"""Read the engine's TOML data files, from the build's checked JSON copy when it has one."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from typing import Any

from .errors import DataError

# The shapes the data files share: an id, and a docs page with an optional anchor
# ("stay/reset.md#reset").
ID = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
PAGE_LINK = re.compile(r"^[a-z0-9][a-z0-9_\-/]*\.md(#[a-z0-9][a-z0-9_\-]*)?$")
# Where the build puts a data file's copy: beside the bytecode, as Python keeps its caches.
COPY_FOLDER = "__pycache__"
COPY_SUFFIX = ".json"


class DataFileError(ValueError):
    """A data file cannot be read as TOML; the message says why, for the caller to place."""


def copy_path(source: Path) -> Path:
    """Return where the build's JSON copy of data file `source` would be."""
    return source.parent / COPY_FOLDER / f"{source.name}{COPY_SUFFIX}"


def parse_toml(raw: bytes) -> dict[str, Any]:
    """Parse TOML bytes into plain data, or raise DataFileError saying why not."""
    # Imported here, not at the top: Pyodide ships its standard library as source, so importing
    # tomllib compiles it in the browser (about 20 ms, four times that on a phone), and a page
    # whose data files all have the build's copies never needs it.
    import tomllib

    try:
        return tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise DataFileError("is not UTF-8 text") from None
    except tomllib.TOMLDecodeError as error:
        raise DataFileError(f"is not valid TOML ({error})") from None
    except RecursionError:
        # tomllib reads nested arrays and inline tables by recursion: a file nesting hundreds
        # deep is no data file of this engine.
        raise DataFileError("is not valid TOML (arrays or tables nested far too deeply)") from None


def read_toml(source: Path) -> dict[str, Any]:
    """Read data file `source`: from its copy when made of these very bytes, else as TOML."""
    try:
        raw = source.read_bytes()
    except OSError as error:
        raise DataFileError(f"cannot be read ({error.strerror})") from None
    copied = _read_copy(copy_path(source), raw)
    return parse_toml(raw) if copied is None else copied


def load_data(source: Path, error: type[DataError]) -> dict[str, Any]:
    """Read data file `source` (read_toml), or raise `error` saying why the file cannot be read."""
    try:
        return read_toml(source)
    except DataFileError as problem:
        raise error(str(source), "file", "", str(problem)) from None


def data_copy(raw: bytes) -> bytes | None:
    """Return the JSON copy of TOML bytes that read_toml uses, or None if JSON cannot hold it."""
    data = parse_toml(raw)
    try:
        # TOML's dates and times, and NaN or infinite floats, have no exact JSON form.
        text = json.dumps({"source": _digest(raw), "data": data}, allow_nan=False)
    except (TypeError, ValueError):
        return None
    except RecursionError:
        raise DataFileError("nests arrays or tables far too deeply for its JSON copy") from None
    return text.encode("utf-8")


def _digest(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()


def _read_copy(path: Path, raw: bytes) -> dict[str, Any] | None:
    try:
        copy = json.loads(path.read_bytes())
    except (OSError, ValueError, RecursionError):
        return None
    # A copy made of other bytes (the file edited or damaged since the build) is never used:
    # the data file itself is the truth, and is parsed instead.
    if not isinstance(copy, dict) or copy.get("source") != _digest(raw):
        return None
    data = copy.get("data")
    return data if isinstance(data, dict) else None
