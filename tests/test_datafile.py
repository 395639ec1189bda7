"""The engine's data files: read as TOML, or refused with the reason."""

from __future__ import annotations

import json
import math
import tempfile
import tomllib
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assessment.datafile import DataFileError, read_toml

PACKAGE = Path(__file__).resolve().parents[1] / "assessment"
DATA_FILES = sorted(PACKAGE.glob("*.toml"))


@pytest.mark.parametrize("source", DATA_FILES, ids=lambda path: path.name)
def test_each_shipped_data_file_reads_as_its_toml(source: Path) -> None:
    """The bank and the exit steps read as their TOML parses, in the file's order."""
    parsed = tomllib.loads(source.read_text(encoding="utf-8"))
    assert read_toml(source) == parsed
    # The same order too: the bank's dimensions and questions keep the file's order.
    assert json.dumps(read_toml(source), default=str) == json.dumps(parsed, default=str)


def test_a_data_file_of_ones_own_is_read(tmp_path: Path) -> None:
    """A data file anywhere (a bank of one's own) is read as TOML."""
    source = tmp_path / "bank.toml"
    source.write_text("version = 3\n", encoding="utf-8")
    assert read_toml(source) == {"version": 3}


@pytest.mark.parametrize(
    ("raw", "problem"),
    [
        (b"\xff\xfe", "is not UTF-8 text"),
        (b"title = ", "is not valid TOML (Invalid value (at end of document))"),
        (b"a = " + b"[" * 1000 + b"]" * 1000, "is not valid TOML (arrays or tables nested far"),
        (b"a = " + b"{b = " * 1000 + b"}" * 1000, "is not valid TOML (arrays or tables nested far"),
    ],
)
def test_a_bad_file_is_refused_with_the_reason(tmp_path: Path, raw: bytes, problem: str) -> None:
    """Bytes that are not UTF-8 TOML give one error saying why."""
    source = tmp_path / "data.toml"
    source.write_bytes(raw)
    with pytest.raises(DataFileError) as refused:
        read_toml(source)
    assert str(refused.value).startswith(problem)


def test_a_missing_file_is_refused_with_the_reason(tmp_path: Path) -> None:
    """A file that cannot be read says so, with the system's reason."""
    with pytest.raises(DataFileError, match=r"^cannot be read \(No such file or directory\)$"):
        read_toml(tmp_path / "missing.toml")


keys = st.text(alphabet="abcdefghijklmnopqrstuvwxyz_", min_size=1, max_size=8)
toml_scalars = st.one_of(
    st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.floats(allow_nan=False, allow_infinity=False),
    st.booleans(),
    st.text(alphabet=st.characters(exclude_categories=["Cs"]), max_size=20),
)


def toml_value(value: object) -> str:
    """Write one scalar or a list of scalars as TOML."""
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(item) for item in value) + "]"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    # JSON's string escapes (\", \\, \n, \u00XX) are valid in TOML's basic strings; TOML also
    # refuses a raw DEL, which JSON leaves as it is.
    return json.dumps(value, ensure_ascii=False).replace("\x7f", "\\u007f")


@given(
    st.dictionaries(keys, st.one_of(toml_scalars, st.lists(toml_scalars, max_size=4))),
    st.dictionaries(keys, toml_scalars, max_size=4),
)
def test_read_equals_parsing_the_toml(top: dict[str, object], table: dict[str, object]) -> None:
    """For any file of strings, numbers, booleans, lists and tables, reading it gives what
    tomllib parses, signs of zero included."""
    text = "".join(f"{key} = {toml_value(value)}\n" for key, value in top.items())
    text += "[table]\n" + "".join(f"{key} = {toml_value(value)}\n" for key, value in table.items())
    parsed = tomllib.loads(text)
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "data.toml"
        source.write_text(text, encoding="utf-8")
        read = read_toml(source)
    assert read == parsed
    signs = [math.copysign(1, value) for value in read.values() if isinstance(value, float)]
    assert signs == [math.copysign(1, v) for v in parsed.values() if isinstance(v, float)]
