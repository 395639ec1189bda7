"""What the greeting page asks of the engine (the page recipe's example, CONTRIBUTING.md)."""

from __future__ import annotations

from typing import Any

from .errors import AnswerError


def greet(name: str) -> dict[str, Any]:
    """A greeting for `name`."""
    if not isinstance(name, str) or not name.strip():
        raise AnswerError("Type a name first.")
    return {"text": f"Hello, {name.strip()}."}
