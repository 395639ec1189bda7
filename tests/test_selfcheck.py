"""The engine's self-check: what a page asks before it says "ready"."""

from __future__ import annotations

import importlib
import importlib.util
import json
import py_compile
import shutil
import sys
import zipfile
from pathlib import Path

import pytest

from assessment import load_bank
from assessment.selfcheck import (
    SHIPPED_RECORD,
    compiled_from_zip,
    fingerprint,
    has_bytecode,
    ping,
    shipped_record,
)


def test_ping_names_the_engine_and_its_bank() -> None:
    """ping scores the shipped bank and answers with its version and the engine's fingerprint."""
    answer = json.loads(ping())
    assert answer["bank_version"] == load_bank().version
    assert answer["engine"] == fingerprint()
    assert isinstance(answer["bytecode"], bool)
    assert answer["compiled_from_zip"] == compiled_from_zip()


@pytest.mark.parametrize("alone", [False, True], ids=["beside its source", "alone"])
def test_bytecode_counts_only_when_made_for_the_running_python(tmp_path: Path, alone: bool) -> None:
    """A module has usable bytecode only if it carries this Python's magic number: in the
    cache beside its source, or where the source would be, alone (as the site ships the engine)."""
    module = tmp_path / "module.py"
    module.write_text("VALUE = 1\n", encoding="utf-8")
    assert not has_bytecode(str(module))
    compiled = (
        tmp_path / "module.pyc" if alone else Path(importlib.util.cache_from_source(str(module)))
    )
    py_compile.compile(str(module), cfile=str(compiled), doraise=True)
    if alone:
        module.unlink()
    named = str(compiled if alone else module)
    assert has_bytecode(named)
    compiled.write_bytes(b"\x00\x00\r\n" + compiled.read_bytes()[4:])  # another Python's
    assert not has_bytecode(named)


def test_an_engine_without_its_sources_names_its_build_s_fingerprint_if_whole(
    tmp_path: Path,
) -> None:
    """Shipped without its sources (the site's archive), the engine names the fingerprint its
    build recorded while every shipped file is as recorded; a file changed or missing, or the
    record unreadable, gives a value no build has, which names the fault."""
    package = Path(__file__).resolve().parents[1] / "assessment"
    shipped = tmp_path / "assessment"
    shipped.mkdir()
    files = {path.name: path.read_bytes() for path in package.glob("*.toml")}
    for name, data in files.items():
        (shipped / name).write_bytes(data)
    (shipped / SHIPPED_RECORD).write_bytes(shipped_record(package, files))
    assert fingerprint(shipped) == fingerprint(package)
    (shipped / "bank.toml").write_bytes(files["bank.toml"][:100])
    assert fingerprint(shipped) == "bank.toml changed"
    (shipped / "bank.toml").unlink()
    assert fingerprint(shipped) == "bank.toml missing"
    (shipped / SHIPPED_RECORD).write_text('{"files": []}', encoding="utf-8")
    assert fingerprint(shipped) == f"no readable {SHIPPED_RECORD}"
    # With its sources, the fingerprint is always computed, whatever a record says.
    copy = tmp_path / "with-sources"
    shutil.copytree(package, copy, ignore=shutil.ignore_patterns("__pycache__"))
    (copy / SHIPPED_RECORD).write_text('{"fingerprint": "forged", "files": {}}', encoding="utf-8")
    assert fingerprint(copy) == fingerprint(package)


def test_the_fingerprint_follows_every_shipped_file(tmp_path: Path) -> None:
    """Changing one byte of a module or of the bank changes the fingerprint; other files do not."""
    package = Path(__file__).resolve().parents[1] / "assessment"
    copy = tmp_path / "assessment"
    shutil.copytree(package, copy, ignore=shutil.ignore_patterns("__pycache__"))
    before = fingerprint(copy)
    assert before == fingerprint(package)
    (copy / "notes.txt").write_text("not shipped", encoding="utf-8")
    assert fingerprint(copy) == before
    for name in ("scoring.py", "bank.toml"):
        path = copy / name
        original = path.read_bytes()
        path.write_bytes(original + b"\n")
        assert fingerprint(copy) != before, name
        path.write_bytes(original)
    assert fingerprint(copy) == before


def test_modules_compiled_from_a_zip_archive_are_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A module imported from source in a zip archive (as Pyodide's standard library ships) is
    named; one imported from bytecode in the archive is not."""
    archive = tmp_path / "library.zip"
    compiled = tmp_path / "compiled.py"
    compiled.write_text("VALUE = 2\n", encoding="utf-8")
    with zipfile.ZipFile(archive, "w") as library:
        library.writestr("pp_from_source.py", "VALUE = 1\n")
        bytecode = py_compile.compile(str(compiled), doraise=True)
        assert bytecode is not None
        library.write(bytecode, "pp_from_bytecode.pyc")
    monkeypatch.syspath_prepend(str(archive))
    assert "pp_from_source" not in compiled_from_zip()
    for name in ("pp_from_source", "pp_from_bytecode"):
        monkeypatch.delitem(sys.modules, name, raising=False)
        assert importlib.import_module(name).VALUE in (1, 2)
    assert [name for name in compiled_from_zip() if name.startswith("pp_")] == ["pp_from_source"]
