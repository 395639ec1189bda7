"""What the exit planner page asks of the engine, as plain data in and out.

The page sends the form's raw strings (docs/exit-planner/main.py); the plan, its dates, its steps
and every word of it are computed here, by the code `partnership-exit-plan` runs.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .errors import AnswerError
from .exit_form import CALENDAR_CHOICES, FIELD_LABELS, KEY_DATES
from .exit_plan import plan_from_form
from .exit_report import announcement, calendar_events, to_html, to_ics, to_markdown
from .ics import PLAN_ID, next_version
from .web import MALFORMED, PAGE_BASE

# The form's labels, which a page's message puts before a field's problem (web.endpoint).
LABELS = {**FIELD_LABELS, "calendar": "What the calendar file holds"}


def plan(form: Mapping[str, Any], base_url: str, site_name: str = "") -> dict[str, Any]:
    """The plan for the form's raw values; its downloads link into the site at base_url."""
    if not isinstance(form, Mapping) or not isinstance(base_url, str):
        raise AnswerError(MALFORMED)
    made = plan_from_form(form)
    return {
        "plan": made.to_dict(base_url),
        "html": to_html(made, PAGE_BASE),
        "announce": announcement(made),
        "markdown": to_markdown(made, base_url, str(site_name)),
    }


def calendar(
    form: Mapping[str, Any],
    base_url: str,
    kept: Mapping[str, Any],
    site_name: str = "",
    what: str = KEY_DATES,
) -> dict[str, Any]:
    """The plan's calendar, as a version of the one the page gave before (`kept`: the plan's id,
    the last sequence number, the events it held): events keep their UIDs, the sequence rises,
    and events no longer in the plan come as cancelled. `what`: the key dates only (with
    reminders) or every step. Returns the file and what to keep."""
    if not isinstance(kept, Mapping):
        raise AnswerError(MALFORMED)
    if what not in {choice.id for choice in CALENDAR_CHOICES}:
        raise AnswerError(MALFORMED)
    made = plan_from_form(form)
    version = next_version(kept, PLAN_ID)
    ics = to_ics(
        made,
        base_url,
        plan_id=version.calendar_id,
        sequence=version.sequence,
        cancelled=version.cancelled,
        site_name=str(site_name),
        what=what,
    )
    events = {e.key: e.day.isoformat() for e in calendar_events(made, base_url, what)}
    kept_now = {PLAN_ID: version.calendar_id, "sequence": version.sequence, "events": events}
    return {"ics": ics, "kept": kept_now}
