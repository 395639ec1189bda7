"""The exit planner's form, written once: its cases and fields, their labels, hints and limits.

The page renders its form from this table (describe() is the JSON-able whole), the page and
the command line send the raw strings a person typed, plan_inputs() reads them into a
PlanInput, and an error names the field by its label (field_message). Pure standard library.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

from .errors import PlanError
from .periods import EXAMPLE_PERIODS, Period, bounded_number, parse_date, parse_period

DEFAULT_MARGIN = 7
MAX_MARGIN = 365
# What the page sends for a date its browser could not read (2027-02-30 typed in a date box
# reaches the page as an empty value, which must not be called "missing").
UNREADABLE_DATE = "unreadable date"
# The kinds of field: a date (YYYY-MM-DD), a period ("3 months"), a whole number, the case.
KINDS = ("date", "period", "number", "case")
# The form's second group of fields, after the choice of case.
DATES_LEGEND = "The agreement's dates and periods"
_WHOLE_DAYS = re.compile(r"^\s*(\d+)\s*(days?)?\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class Case:
    """One way an agreement ends, which decides the dates the plan is computed from."""

    id: str
    title: str  # a plan's title starts with it: "Not renewing: …"
    choice: str  # the form's words for choosing it
    emphasis: str  # the words of `choice` the form shows in bold

    def to_dict(self) -> dict[str, Any]:
        """The case as JSON-ready data."""
        return _data(self)


CASE_TABLE = (
    Case(
        "renews",
        "Not renewing",
        "We are not renewing: it ends or renews on a date, and notice must arrive a period "
        "before it",
        "not renewing",
    ),
    Case(
        "notice_given",
        "Ending for convenience",
        "We are ending it for convenience: notice given on a date ends it a period later",
        "ending it for convenience",
    ),
    Case(
        "concern_sent",
        "Ending for cause",
        "We are ending it for cause: a notice of breach starts a cure period, and a separate "
        "termination notice ends the agreement",
        "ending it for cause",
    ),
)
CASES = tuple(case.id for case in CASE_TABLE)
CASE_TITLES = {case.id: case.title for case in CASE_TABLE}


@dataclass(frozen=True)
class Hint:
    """A line of help on the form; fields name the hints that describe them."""

    id: str
    text: str
    cases: tuple[str, ...] = CASES  # the cases it is shown in

    def to_dict(self) -> dict[str, Any]:
        """The hint as JSON-ready data."""
        return _data(self)


HINTS = (
    Hint("date", "Dates as YYYY-MM-DD if your browser shows a plain text box."),
    Hint(
        "notice",
        "For cause, leave the notice period empty if termination takes effect at once.",
        ("concern_sent",),
    ),
    Hint(
        "term",
        "How long each renewal lasts. With it, a deadline that has passed is followed by the "
        "next renewal's.",
        ("renews",),
    ),
    Hint("period", f"Periods as written in the agreement: {', '.join(EXAMPLE_PERIODS)}."),
)


@dataclass(frozen=True)
class Field:
    """One field of the form: what it asks, for which cases, and what it accepts."""

    name: str  # the form's name, the command line's --option (with - for _)
    label: str  # as a message names it ("Notice period: must be longer than zero")
    kind: str  # one of KINDS
    cases: tuple[str, ...] = CASES  # the cases whose plan reads it
    required: tuple[str, ...] = ()  # the cases in which it must be filled in
    label_note: str = ""  # what the form adds after the label: " (optional)"
    legend: str = ""  # for the case: the question its choices answer
    hints: tuple[str, ...] = ()  # the Hint ids that describe it, in order
    default: int | None = None  # a number field's value when left empty
    minimum: int | None = None
    maximum: int | None = None
    empty_is_today: bool = False  # left empty, the plan is made as of today

    @property
    def form_label(self) -> str:
        """The label as the form shows it."""
        return self.label + self.label_note

    def to_dict(self) -> dict[str, Any]:
        """The field as JSON-ready data, for the page's form."""
        return {**_data(self), "form_label": self.form_label}


def _data(row: Case | Hint | Field) -> dict[str, Any]:
    """A row of the table as JSON-ready data: its attributes, tuples as lists."""
    return {key: list(v) if isinstance(v, tuple) else v for key, v in asdict(row).items()}


# In the form's order. The case's own date field is named after the case.
FIELDS = (
    Field("case", "Which case", "case", required=CASES, legend="How is the agreement ending?"),
    Field("renews", "Renewal or end date", "date", ("renews",), ("renews",), hints=("date",)),
    Field(
        "notice_given",
        "Date notice is (or was) given",
        "date",
        ("notice_given",),
        ("notice_given",),
        hints=("date",),
    ),
    Field(
        "concern_sent",
        "Day the cure period starts",
        "date",
        ("concern_sent",),
        ("concern_sent",),
        label_note=" (usually the day the notice of breach was received; your agreement decides)",
        hints=("date",),
    ),
    Field("cure", "Cure period", "period", ("concern_sent",), ("concern_sent",), hints=("period",)),
    # For cause, an empty notice period means termination takes effect at once.
    Field(
        "notice",
        "Notice period",
        "period",
        required=("renews", "notice_given"),
        hints=("period", "notice"),
    ),
    Field(
        "term",
        "Renewal term",
        "period",
        ("renews",),
        label_note=" (optional)",
        hints=("period", "term"),
    ),
    Field(
        "margin",
        "Margin before the deadline",
        "number",
        ("renews",),
        label_note=", in days",
        default=DEFAULT_MARGIN,
        minimum=0,
        maximum=MAX_MARGIN,
    ),
    Field(
        "today", "Plan as of", "date", label_note=" (leave empty for today)", empty_is_today=True
    ),
)
FIELD_LABELS = {field.name: field.label for field in FIELDS}
_BY_NAME = {field.name: field for field in FIELDS}


def field(name: str) -> Field:
    """The field with this name (KeyError if there is none)."""
    return _BY_NAME[name]


def describe() -> dict[str, Any]:
    """The whole form as JSON-ready data: what a page needs to render it and read it back."""
    return {
        "cases": [case.to_dict() for case in CASE_TABLE],
        "fields": [f.to_dict() for f in FIELDS],
        "hints": [hint.to_dict() for hint in HINTS],
        "dates_legend": DATES_LEGEND,
        "unreadable_date": UNREADABLE_DATE,
    }


# -- Reading the raw values ---------------------------------------------------------------------


@dataclass(frozen=True)
class PlanInput:
    """What the planner needs: the case, its date, the periods, today and the margin."""

    case: str  # one of CASES
    day: date
    notice: Period | None = None
    cure: Period | None = None
    term: Period | None = None
    today: date = date(2000, 1, 1)
    margin: int = DEFAULT_MARGIN


def plan_inputs(form: Mapping[str, object]) -> PlanInput:
    """PlanInput from raw form values (strings); PlanError names the first bad field.

    Only the fields of the chosen case are read: the form keeps the others filled in.
    """

    def value(name: str) -> str:
        raw = form.get(name, "")
        if raw is None:
            return ""
        if not isinstance(raw, str):
            raise PlanError(name, "must be text")
        return raw

    case = value("case").strip()
    if case not in CASES:
        raise PlanError("case", f"must be one of {', '.join(CASES)}")
    read: dict[str, Any] = {}
    for spec in FIELDS:
        if spec.kind == "case" or case not in spec.cases:
            continue
        text = value(spec.name)
        if text.strip() or case in spec.required or spec.empty_is_today:
            read[spec.name] = _read(spec, text)
    return PlanInput(
        case,
        read[case],
        read.get("notice"),
        read.get("cure"),
        read.get("term"),
        read["today"],
        read.get("margin", DEFAULT_MARGIN),
    )


def _read(spec: Field, text: str) -> object:
    if spec.kind == "period":
        return parse_period(text, spec.name)
    if spec.kind == "number":
        return _whole_days(spec, text)
    if text.strip() == UNREADABLE_DATE:
        raise PlanError(spec.name, "is not a real date: check the day and the month")
    if spec.empty_is_today and not text.strip():
        return date.today()
    return parse_date(text, spec.name)


def _whole_days(spec: Field, text: str) -> int:
    if not text.strip() and spec.default is not None:
        return spec.default
    match = _WHOLE_DAYS.match(text)
    days = -1 if match is None else bounded_number(match.group(1))
    low, high = spec.minimum or 0, spec.maximum or 0  # a number field sets both
    if not low <= days <= high:
        raise PlanError(spec.name, f"must be a whole number of days from {low} to {high}")
    return days


def parse_margin(text: str) -> int:
    """A margin in whole days, 0 to MAX_MARGIN; empty means DEFAULT_MARGIN."""
    return _whole_days(field("margin"), text)


def field_message(error: PlanError) -> str:
    """A PlanError as the page shows it: the field's label, then the problem."""
    return f"{FIELD_LABELS.get(error.field, error.field)}: {error.problem}"
