"""What the exit planner's tests share: a form as the page sends it, the shipped steps as data."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from assessment.exit_steps import SHIPPED_STEPS

DOCS = Path(__file__).resolve().parent.parent / "docs"
TODAY = "2026-11-25"


def form(**values: str) -> dict[str, str]:
    """A form as the page sends it: strings only, today fixed."""
    return {"today": TODAY, **values}


# Not renewing, with a term: every key date and every step on a date.
EXAMPLE = form(case="renews", renews="2027-03-31", notice="1 month", term="1 year")


def raw_steps() -> dict[str, Any]:
    """The shipped steps file as data, for tests that break one field."""
    return tomllib.loads(SHIPPED_STEPS.read_text(encoding="utf-8"))
