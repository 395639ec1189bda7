"""Import the MkDocs hooks (hooks/*.py) the way MkDocs does: for the tests and the benchmark."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

REPO = Path(__file__).resolve().parents[1]


def load_hook(name: str) -> ModuleType:
    """Import hooks/<name>.py the way MkDocs does: as a file, not as a package module."""
    spec = importlib.util.spec_from_file_location(f"{name}_hook", REPO / "hooks" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
