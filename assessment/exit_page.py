"""What the exit planner page asks of the engine, as plain data in and out.

The page sends the form's raw strings (docs/exit-planner/main.py); the plan, its dates, its steps
and every word of it are computed here, by the code `partnership-exit-plan` runs.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .errors import AnswerError
from .exit_form import FIELD_LABELS
from .exit_plan import plan_from_form
from .exit_report import announcement, to_html, to_ics, to_markdown
from .web import PAGE_BASE

# The form's labels, which a page's message puts before a field's problem (web.endpoint).
LABELS = FIELD_LABELS


def plan(form: Mapping[str, Any], base_url: str) -> dict[str, Any]:
    """The plan for the form's raw values; its downloads link into the site at base_url."""
    if not isinstance(form, Mapping) or not isinstance(base_url, str):
        raise AnswerError("The page sent a malformed request.")
    made = plan_from_form(form)
    return {
        "plan": made.to_dict(base_url),
        "html": to_html(made, PAGE_BASE),
        "announce": announcement(made),
        "markdown": to_markdown(made, base_url),
        "ics": to_ics(made, base_url),
    }
