"""The engine's self-check: what a page asks before it says "ready"."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from assessment import load_bank
from assessment.selfcheck import fingerprint, ping


def test_ping_names_the_engine_and_its_bank() -> None:
    """ping scores the shipped bank and answers with its version and the engine's fingerprint."""
    answer = json.loads(ping())
    assert answer["bank_version"] == load_bank().version
    assert answer["engine"] == fingerprint()
    assert answer["start"] in ("fresh", "snapshot")


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
