"""Read the engine's TOML data files (the bank, the exit steps) into plain data."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

from .errors import DataError

# The shapes the data files share: an id, and a docs page with an optional anchor
# ("stay/reset.md#reset").
ID = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
PAGE_LINK = re.compile(r"^[a-z0-9][a-z0-9_\-/]*\.md(#[a-z0-9][a-z0-9_\-]*)?$")


class DataFileError(ValueError):
    """A data file cannot be read as TOML; the message says why, for the caller to place."""


def parse_toml(raw: bytes) -> dict[str, Any]:
    """Parse TOML bytes into plain data, or raise DataFileError saying why not."""
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
    """Read data file `source` as TOML, or raise DataFileError saying why it cannot be read."""
    try:
        raw = source.read_bytes()
    except OSError as error:
        raise DataFileError(f"cannot be read ({error.strerror})") from None
    return parse_toml(raw)


def load_data(source: Path, error: type[DataError]) -> dict[str, Any]:
    """Read data file `source` (read_toml), or raise `error` saying why the file cannot be read."""
    try:
        return read_toml(source)
    except DataFileError as problem:
        raise error(str(source), "file", "", str(problem)) from None
