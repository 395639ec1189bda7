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
from .periods import (
    CLOSURE_EXAMPLE,
    DEEMED_EXAMPLES,
    EXAMPLE_PERIODS,
    MAX_CLOSURES_TEXT,
    WORKDAYS,
    Period,
    WorkCalendar,
    bounded_number,
    parse_closures,
    parse_date,
    parse_deemed,
    parse_period,
)

DEFAULT_MARGIN = 7
MAX_MARGIN = 365
# What the page sends for a date its browser could not read (2027-02-30 typed in a date box
# reaches the page as an empty value, which must not be called "missing").
UNREADABLE_DATE = "unreadable date"
# The kinds of field: a date (YYYY-MM-DD), a period ("3 months"), a whole number, the case, a
# choice among a few (the method of service), when a notice counts as received ("two business
# days after posting"), and the days the business is closed ("24 Dec to 1 Jan").
KINDS = ("date", "period", "number", "case", "choice", "deemed", "closures")
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
    Hint(
        "service",
        "Follow the agreement's notices clause: its method, its address and when a notice "
        "counts as received. Many agreements exclude e-mail for notices, or accept it only "
        "with a copy sent by post or courier.",
        ("renews", "notice_given"),
    ),
    Hint(
        "deemed",
        f"As the notices clause says it, e.g. {DEEMED_EXAMPLES}: the send-by date moves "
        "earlier by that much.",
        ("renews", "notice_given"),
    ),
    Hint(
        "closures",
        f"E.g. '{CLOSURE_EXAMPLE}' (every year) or '2027-08-02 to 2027-08-13'. Deadlines on a "
        "weekend or a closure move to the working day before, steps to the working day after, "
        "and a key date near a closure is flagged.",
    ),
)


@dataclass(frozen=True)
class Choice:
    """One of the answers a choice field offers."""

    id: str  # the value sent ("" for not chosen)
    label: str

    def to_dict(self) -> dict[str, Any]:
        """The choice as JSON-ready data."""
        return _data(self)


SERVICE_CHOICES = (
    Choice("", "Not chosen yet"),
    Choice("hand", "By hand"),
    Choice("courier", "By courier"),
    Choice("post", "By post"),
    Choice("email", "By e-mail, where the agreement allows it for notices"),
)
SERVICE_NAMES = {choice.id: choice.label for choice in SERVICE_CHOICES}

# What the calendar file holds: the key dates with a reminder a week before each (the default),
# or every step as well. Past dates are never exported as events to come.
KEY_DATES = "key_dates"
EVERY_STEP = "every_step"
CALENDAR_CHOICES = (
    Choice(KEY_DATES, "Key dates only, with reminders a week before"),
    Choice(EVERY_STEP, "Every step, with reminders before the key dates"),
)
CALENDAR_LEGEND = "What the calendar file holds"


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
    choices: tuple[Choice, ...] = ()  # a choice field's answers, the default first
    business_days: bool = True  # a period field: whether business days may count it

    @property
    def form_label(self) -> str:
        """The label as the form shows it."""
        return self.label + self.label_note

    def to_dict(self) -> dict[str, Any]:
        """The field as JSON-ready data, for the page's form."""
        return {**_data(self), "form_label": self.form_label}


def _data(row: Case | Hint | Field | Choice) -> dict[str, Any]:
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
        business_days=False,
    ),
    Field(
        "service",
        "How notice is sent",
        "choice",
        ("renews", "notice_given"),
        hints=("service",),
        choices=SERVICE_CHOICES,
    ),
    Field(
        "deemed",
        "When it counts as received",
        "deemed",
        ("renews", "notice_given"),
        label_note=" (optional)",
        hints=("deemed",),
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
        "closures",
        "Days your business is closed",
        "closures",
        label_note=" (optional)",
        hints=("closures",),
        maximum=MAX_CLOSURES_TEXT,
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
        "calendar": [choice.to_dict() for choice in CALENDAR_CHOICES],
    }


# -- Reading the raw values ---------------------------------------------------------------------


@dataclass(frozen=True)
class PlanInput:
    """What the planner needs: the case, its date, the periods, today and the margin; how the
    notice is sent and when it counts as received; the working-day calendar."""

    case: str  # one of CASES
    day: date
    notice: Period | None = None
    cure: Period | None = None
    term: Period | None = None
    today: date = date(2000, 1, 1)
    margin: int = DEFAULT_MARGIN
    service: str = ""  # one of SERVICE_CHOICES' ids
    deemed: Period | None = None  # None: it counts as received the day it is sent
    calendar: WorkCalendar = WORKDAYS


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
        read.get("service", ""),
        read.get("deemed"),
        read.get("closures", WORKDAYS),
    )


def _read(spec: Field, text: str) -> object:
    if spec.kind == "period":
        period = parse_period(text, spec.name)
        if period.business and not spec.business_days:
            raise PlanError(
                spec.name, "is counted in calendar time: write it in days, weeks, months or years"
            )
        return period
    if spec.kind == "number":
        return _whole_days(spec, text)
    if spec.kind == "choice":
        ids = [choice.id for choice in spec.choices]
        if text.strip() not in ids:
            raise PlanError(spec.name, f"must be one of {', '.join(i for i in ids if i)}")
        return text.strip()
    if spec.kind == "deemed":
        return parse_deemed(text, spec.name)
    if spec.kind == "closures":
        return parse_closures(text, spec.name)
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
