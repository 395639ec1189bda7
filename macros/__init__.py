"""mkdocs-macros module: renders pages from the assessment bank (the one source of truth)."""

from typing import Any


def define_env(env: Any) -> None:
    """Register the macros the pages use."""
