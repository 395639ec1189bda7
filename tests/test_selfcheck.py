"""The engine's self-check: what a page asks before it says "ready"."""

from __future__ import annotations

import importlib.util
import json
import py_compile
import shutil
from pathlib import Path

from assessment import load_bank
from assessment.selfcheck import fingerprint, has_bytecode, ping


def test_ping_names_the_engine_and_its_bank() -> None:
    """ping scores the shipped bank and answers with its version and the engine's fingerprint."""
    answer = json.loads(ping())
    assert answer["bank_version"] == load_bank().version
    assert answer["engine"] == fingerprint()
    assert answer["start"] in ("fresh", "snapshot")
    assert isinstance(answer["bytecode"], bool)
    assert isinstance(answer["toml_parser"], bool)


def test_bytecode_counts_only_when_made_for_the_running_python(tmp_path: Path) -> None:
    """A module has usable bytecode only if its cached file carries this Python's magic number."""
    module = tmp_path / "module.py"
    module.write_text("VALUE = 1\n", encoding="utf-8")
    assert not has_bytecode(str(module))
    compiled = Path(importlib.util.cache_from_source(str(module)))
    assert py_compile.compile(str(module), doraise=True) == str(compiled)
    assert has_bytecode(str(module))
    compiled.write_bytes(b"\x00\x00\r\n" + compiled.read_bytes()[4:])  # another Python's
    assert not has_bytecode(str(module))


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
