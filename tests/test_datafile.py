"""The engine's data files: read as TOML, or from the build's JSON copy made of the same bytes."""

from __future__ import annotations

import hashlib
import json
import math
import tempfile
import tomllib
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assessment.datafile import DataFileError, copy_path, data_copy, read_toml

PACKAGE = Path(__file__).resolve().parents[1] / "assessment"
DATA_FILES = sorted(PACKAGE.glob("*.toml"))


def with_copy(folder: Path, text: str, copy: bytes | None = None) -> Path:
    """Write data file `data.toml` in `folder`, and `copy` (default: the build's) beside it."""
    source = folder / "data.toml"
    source.write_text(text, encoding="utf-8")
    path = copy_path(source)
    path.parent.mkdir(exist_ok=True)
    made = data_copy(source.read_bytes()) if copy is None else copy
    assert made is not None
    path.write_bytes(made)
    return source


def forged_copy(raw: bytes, data: object) -> bytes:
    """A copy that claims to be made of `raw` but holds `data`: shows which one was read."""
    digest = hashlib.sha256(raw).hexdigest()
    return json.dumps({"source": digest, "data": data}).encode("utf-8")


@pytest.mark.parametrize("source", DATA_FILES, ids=lambda path: path.name)
def test_each_shipped_data_file_reads_the_same_from_its_copy(source: Path, tmp_path: Path) -> None:
    """The bank and the exit steps give the very same data from their copy as from TOML."""
    parsed = tomllib.loads(source.read_text(encoding="utf-8"))
    assert read_toml(source) == parsed
    copied = with_copy(tmp_path, source.read_text(encoding="utf-8"))
    assert read_toml(copied) == parsed
    # The same order too: the bank's dimensions and questions keep the file's order.
    assert json.dumps(read_toml(copied)) == json.dumps(parsed)


def test_a_copy_made_of_these_bytes_is_read_instead_of_the_toml(tmp_path: Path) -> None:
    """With a copy whose digest matches the file's bytes, the copy's data is what is read."""
    text = 'title = "from the file"\n'
    source = with_copy(tmp_path, text, forged_copy(text.encode(), {"title": "from the copy"}))
    assert read_toml(source) == {"title": "from the copy"}


@pytest.mark.parametrize(
    "copy",
    [
        forged_copy(b'title = "an older file"\n', {"title": "stale"}),
        b'{"source": "',
        b"[1, 2, 3]",
        b"\xff\xfe not JSON",
        forged_copy(b'title = "from the file"\n', ["not", "a", "table"]),
    ],
    ids=["made of other bytes", "cut in half", "not an object", "not text", "data not a table"],
)
def test_a_stale_or_damaged_copy_is_ignored_and_the_file_parsed(
    tmp_path: Path, copy: bytes
) -> None:
    """A copy that does not match the file's bytes, or cannot be read, is never used."""
    source = with_copy(tmp_path, 'title = "from the file"\n', copy)
    assert read_toml(source) == {"title": "from the file"}


def test_without_a_copy_the_file_is_parsed(tmp_path: Path) -> None:
    """A data file with no copy beside it (a bank of one's own) is read as TOML."""
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
    """Bytes that are not UTF-8 TOML give one error saying why, copy or not."""
    source = tmp_path / "data.toml"
    source.write_bytes(raw)
    with pytest.raises(DataFileError) as refused:
        read_toml(source)
    assert str(refused.value).startswith(problem)
    # The build's JSON copy of the same bytes is refused with the same words.
    with pytest.raises(DataFileError) as refused:
        data_copy(raw)
    assert str(refused.value).startswith(problem)


def test_a_copy_nesting_too_deeply_for_json_is_ignored_and_the_file_parsed(
    tmp_path: Path,
) -> None:
    """A copy whose JSON nests past what json.loads reads (made by another tool, or damaged)
    is ignored, never a RecursionError: the file itself is parsed."""
    raw = b"a = 1\n"
    copy = json.dumps({"source": hashlib.sha256(raw).hexdigest(), "data": 0})
    copy = copy.replace("0}", "[" * 100_000 + "]" * 100_000 + "}")
    source = with_copy(tmp_path, raw.decode(), copy.encode())
    assert read_toml(source) == {"a": 1}


def test_a_missing_file_is_refused_with_the_reason(tmp_path: Path) -> None:
    """A file that cannot be read says so, with the system's reason."""
    with pytest.raises(DataFileError, match=r"^cannot be read \(No such file or directory\)$"):
        read_toml(tmp_path / "missing.toml")


@pytest.mark.parametrize(
    "text", ["day = 2026-12-04\n", "at = 10:30:00\n", "ratio = nan\n", "limit = inf\n"]
)
def test_data_json_cannot_hold_exactly_gets_no_copy(text: str) -> None:
    """Dates, times and non-finite numbers have no exact JSON form: the build makes no copy."""
    assert data_copy(text.encode("utf-8")) is None


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
def test_read_from_a_copy_equals_parsing_the_toml(
    top: dict[str, object], table: dict[str, object]
) -> None:
    """For any file of strings, numbers, booleans, lists and tables, the copy reads as TOML does."""
    text = "".join(f"{key} = {toml_value(value)}\n" for key, value in top.items())
    text += "[table]\n" + "".join(f"{key} = {toml_value(value)}\n" for key, value in table.items())
    parsed = tomllib.loads(text)
    copy = data_copy(text.encode("utf-8"))
    assert copy is not None
    assert json.loads(copy)["data"] == parsed
    with tempfile.TemporaryDirectory() as folder:
        read = read_toml(with_copy(Path(folder), text, copy))
    assert read == parsed
    # -0.0 == 0.0: compare the signs too, which a careless copy would lose.
    signs = [math.copysign(1, value) for value in read.values() if isinstance(value, float)]
    assert signs == [math.copysign(1, v) for v in parsed.values() if isinstance(v, float)]
