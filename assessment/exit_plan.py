"""The exit planner: an agreement's dates and notice terms -> key dates and a dated task list.

Pure standard library, so the same file runs on the command line, in the tests, at build time
(macros/exit.py) and in the browser. The steps come from exit_steps.toml, the one data file that
also draws the relative timeline on the exit timeline page.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from html import escape
from pathlib import Path
from typing import Any, NoReturn

from .datafile import load_data
from .errors import PlanError, StepsError
from .report import markdown_text, page_url
from .text import excerpt

SHIPPED_STEPS = Path(__file__).with_name("exit_steps.toml")

PHASES = ("decide", "notice", "protect", "handover", "conversation", "afterwards")
PHASE_TITLES = {
    "decide": "Decide",
    "notice": "Notice",
    "protect": "Protect the business",
    "handover": "Hand-over",
    "conversation": "Conversation and notice",
    "afterwards": "Afterwards",
}
ANCHORS = ("notice", "end")
# How far from its anchor a step may sit, in days (inclusive).
OFFSET_RANGE = {"notice": (-84, 28), "end": (-56, 56)}
CASES = ("renews", "notice_given", "concern_sent")
CASE_TITLES = {
    "renews": "Not renewing",
    "notice_given": "Ending for convenience",
    "concern_sent": "Ending for cause",
}
DEFAULT_MARGIN = 7
MAX_MARGIN = 365
EARLIEST = date(1900, 1, 1)
LATEST = date(2199, 12, 31)
# Upper bounds keep every computed date far inside what datetime.date can hold.
_MAX_COUNT = {"day": 3660, "week": 520, "month": 120, "year": 10}
_PERIOD = re.compile(r"^\s*([+-]?\d+)\s*(day|week|month|year)s?\s*$", re.IGNORECASE)
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_MARGIN = re.compile(r"^\s*(\d+)\s*(days?)?\s*$", re.IGNORECASE)
_ID = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
_LINK = re.compile(r"^[a-z0-9][a-z0-9_\-/]*\.md(#[a-z0-9][a-z0-9_\-]*)?$")
_DAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTH_NAMES = (
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
)  # fmt: skip
PERIOD_EXAMPLES = "'60 days', '8 weeks', '1 month' or '3 months'"


# -- Periods and date arithmetic -------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    """A length of time as agreements state it: a count of days, weeks, months or years."""

    count: int
    unit: str  # "day", "week", "month" or "year"

    def __str__(self) -> str:
        return f"{self.count} {self.unit}{'' if self.count == 1 else 's'}"

    def months(self) -> int | None:
        """The period in calendar months, or None for periods counted in days."""
        if self.unit == "month":
            return self.count
        if self.unit == "year":
            return 12 * self.count
        return None

    def days(self) -> int | None:
        """The period in days, or None for periods counted in calendar months."""
        if self.unit == "day":
            return self.count
        if self.unit == "week":
            return 7 * self.count
        return None


def days_in_month(year: int, month: int) -> int:
    """The number of days in one month of the Gregorian calendar."""
    if month == 2:
        leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
        return 29 if leap else 28
    return 30 if month in (4, 6, 9, 11) else 31


def add_months(day: date, months: int) -> date:
    """The same day of the month `months` later (or earlier), clamped to the month's last day."""
    year, month_index = divmod(day.year * 12 + day.month - 1 + months, 12)
    month = month_index + 1
    return date(year, month, min(day.day, days_in_month(year, month)))


def shift(day: date, period: Period, times: int = 1) -> date:
    """`day` moved by `times` periods (negative: earlier); months keep the day, clamped."""
    months = period.months()
    if months is not None:
        return add_months(day, months * times)
    return day + timedelta(days=(period.days() or 0) * times)


def parse_period(text: str, field: str) -> Period:
    """A period such as '60 days', '8 weeks', '1 month' or '3 months', or PlanError naming field."""
    if not text.strip():
        raise PlanError(field, f"is missing (write e.g. {PERIOD_EXAMPLES})")
    match = _PERIOD.match(text)
    if match is None:
        raise PlanError(
            field, f"cannot read '{excerpt(text, 40)}' as a period (write e.g. {PERIOD_EXAMPLES})"
        )
    count = int(match.group(1))
    unit = match.group(2).lower()
    if count <= 0:
        raise PlanError(field, f"must be longer than zero (it is '{excerpt(text, 40)}')")
    if count > _MAX_COUNT[unit]:
        raise PlanError(field, f"is longer than ten years ('{excerpt(text, 40)}')")
    return Period(count, unit)


# What the page sends for a date its browser could not read (2027-02-30 typed in a date box
# reaches the page as an empty value, which must not be called "missing").
UNREADABLE_DATE = "unreadable date"


def parse_date(text: str, field: str) -> date:
    """A date written YYYY-MM-DD, or PlanError naming the field."""
    text = text.strip()
    if text == UNREADABLE_DATE:
        raise PlanError(field, "is not a real date: check the day and the month")
    if not text:
        raise PlanError(field, "is missing (write the date as YYYY-MM-DD, e.g. 2027-03-31)")
    if not _ISO_DATE.match(text):
        raise PlanError(field, f"'{excerpt(text, 40)}' is not a date written YYYY-MM-DD")
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise PlanError(field, f"'{text}' is not a real date") from None
    if not EARLIEST <= day <= LATEST:
        raise PlanError(field, f"must be between {EARLIEST} and {LATEST}")
    return day


def parse_margin(text: str, field: str = "margin") -> int:
    """A margin in whole days, 0 to 365; empty means the default (7)."""
    if not text.strip():
        return DEFAULT_MARGIN
    match = _MARGIN.match(text)
    if match is None or int(match.group(1)) > MAX_MARGIN:
        raise PlanError(field, f"must be a whole number of days from 0 to {MAX_MARGIN}")
    return int(match.group(1))


# -- The steps file ----------------------------------------------------------------------------


@dataclass(frozen=True)
class ExitStep:
    """One step of an exit, placed relative to the notice day or the last day."""

    id: str
    phase: str
    anchor: str  # "notice" or "end"
    offset_days: int
    who: str
    title: str
    detail: str
    link: str


def load_steps(path: str | Path | None = None) -> tuple[ExitStep, ...]:
    """Read and validate an exit steps file; without a path, the file shipped with the package."""
    if path is None:
        return _shipped_steps()
    return _read_steps(Path(path))


@lru_cache(maxsize=1)
def _shipped_steps() -> tuple[ExitStep, ...]:
    return _read_steps(SHIPPED_STEPS)


def _read_steps(path: Path) -> tuple[ExitStep, ...]:
    return parse_steps(load_data(path, StepsError), str(path))


def parse_steps(data: Mapping[str, Any], source: str = "<exit steps>") -> tuple[ExitStep, ...]:
    """Validate exit steps data (as read from TOML), or raise StepsError naming step and field."""
    for key in data:
        if key != "steps":
            raise StepsError(source, "file", str(key), "is not a known table (known: steps)")
    raw = data.get("steps")
    if not isinstance(raw, list) or not raw:
        raise StepsError(source, "file", "steps", "needs at least one [[steps]] table")
    steps = tuple(_step(item, source, number) for number, item in enumerate(raw, start=1))
    seen: set[str] = set()
    for step in steps:
        if step.id in seen:
            raise StepsError(source, f"step '{step.id}'", "id", "is used twice")
        seen.add(step.id)
    for anchor in ANCHORS:
        if not any(s.anchor == anchor and s.offset_days == 0 for s in steps):
            raise StepsError(source, "steps", "anchor", f"no step falls on the '{anchor}' day")
    return steps


_FIELDS = ("id", "phase", "anchor", "offset_days", "who", "title", "detail", "link")


def _step(item: Any, source: str, number: int) -> ExitStep:
    where = f"step {number}"

    def fail(field: str, problem: str) -> NoReturn:
        raise StepsError(source, where, field, problem)

    if not isinstance(item, Mapping):
        fail("", "must be a table")

    def text(field: str, limit: int) -> str:
        value = item.get(field)
        if value is None:
            fail(field, "is missing")
        if not isinstance(value, str) or not value.strip():
            fail(field, "must be non-empty text")
        if len(value) > limit or any(not ch.isprintable() for ch in value):
            fail(field, f"must be one line of printable text, at most {limit} characters")
        return value.strip()

    step_id = text("id", 40)
    if not _ID.match(step_id):
        fail("id", "use a lower-case letter, then lower-case letters, digits or underscores")
    where = f"step '{step_id}'"
    for key in item:
        if key not in _FIELDS:
            fail(str(key), f"is not a known field (known: {', '.join(_FIELDS)})")
    phase = text("phase", 20)
    if phase not in PHASES:
        fail("phase", f"must be one of {', '.join(PHASES)}")
    anchor = text("anchor", 10)
    if anchor not in ANCHORS:
        fail("anchor", f"must be one of {', '.join(ANCHORS)}")
    offset = item.get("offset_days")
    if offset is None:
        fail("offset_days", "is missing")
    low, high = OFFSET_RANGE[anchor]
    if isinstance(offset, bool) or not isinstance(offset, int) or not low <= offset <= high:
        fail("offset_days", f"must be a whole number of days from {low} to {high}")
    link = text("link", 200)
    if not _LINK.match(link):
        fail("link", "must be a docs page such as 'go/transition.md#hand-over'")
    return ExitStep(
        id=step_id,
        phase=phase,
        anchor=anchor,
        offset_days=offset,
        who=text("who", 60),
        title=text("title", 120),
        detail=text("detail", 400),
        link=link,
    )


def schedule(step: ExitStep, notice_day: date, end_day: date) -> date:
    """A step's date: its anchor plus its offset, kept between the notice and the last day."""
    if step.anchor == "notice":
        # A step that follows the notice cannot come after the agreement has ended.
        return min(notice_day + timedelta(days=step.offset_days), max(end_day, notice_day))
    # Hand-over work squeezed by a short notice period starts on the notice day, not before it.
    return max(end_day + timedelta(days=step.offset_days), notice_day)


def relative_timeline(
    steps: tuple[ExitStep, ...], notice_days: int = 28
) -> tuple[tuple[int, ExitStep], ...]:
    """Each step's day relative to the last day, for a notice period of `notice_days` days."""
    # The very rule the dated plan uses, applied to a notional last day.
    end_day = date(2001, 1, 1)
    notice_day = end_day - timedelta(days=notice_days)
    placed = [(schedule(s, notice_day, end_day) - end_day).days for s in steps]
    order = sorted(range(len(steps)), key=lambda i: (placed[i], i))
    return tuple((placed[i], steps[i]) for i in order)


# -- The plan ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PlanInput:
    """What the planner needs: the case, its date, the periods, today and the margin."""

    case: str  # "renews", "notice_given" or "concern_sent"
    day: date
    notice: Period | None = None
    cure: Period | None = None
    term: Period | None = None
    today: date = date(2000, 1, 1)
    margin: int = DEFAULT_MARGIN


@dataclass(frozen=True)
class KeyDate:
    """One of the plan's key dates, with what it means."""

    key: str
    label: str
    day: date


@dataclass(frozen=True)
class Task:
    """One step of the exit on its date."""

    day: date
    step: ExitStep
    past: bool

    def to_dict(self, base_url: str = "") -> dict[str, object]:
        """The task as JSON-ready data."""
        return {
            "date": self.day.isoformat(),
            "title": self.step.title,
            "detail": self.step.detail,
            "who": self.step.who,
            "phase": self.step.phase,
            "step": self.step.id,
            "link": page_url(self.step.link, base_url),
            "past": self.past,
        }


@dataclass(frozen=True)
class ExitPlan:
    """The computed plan: key dates, plain-language notes and the dated tasks in date order."""

    inputs: PlanInput
    notice_deadline: date | None
    send_by: date | None
    notice_day: date | None
    end_date: date | None
    cure_ends: date | None
    deadline_passed: bool
    key_dates: tuple[KeyDate, ...]
    notes: tuple[str, ...]
    tasks: tuple[Task, ...]

    @property
    def title(self) -> str:
        """A one-line description of the case and its terms."""
        i = self.inputs
        if i.case == "renews":
            what = f"the agreement renews on {i.day.isoformat()}, notice {i.notice}"
            if i.term is not None:
                what += f", term {i.term}"
        elif i.case == "notice_given":
            what = f"notice given on {i.day.isoformat()}, notice period {i.notice}"
        else:
            what = f"notice of concern sent on {i.day.isoformat()}, cure period {i.cure}"
            if i.notice is not None:
                what += f", notice {i.notice}"
        return f"{CASE_TITLES[i.case]}: {what}"

    def due_soon(self, days: int = 7) -> tuple[Task, ...]:
        """Tasks dated from today to `days` days ahead: the 'this week' list."""
        today = self.inputs.today
        return tuple(t for t in self.tasks if today <= t.day < today + timedelta(days=days))

    def to_dict(self, base_url: str = "") -> dict[str, object]:
        """The plan as JSON-ready data (ISO dates; null where a date does not apply)."""
        i = self.inputs
        return {
            "case": i.case,
            "title": self.title,
            "today": i.today.isoformat(),
            "margin_days": i.margin,
            "notice_deadline": _iso(self.notice_deadline),
            "send_by": _iso(self.send_by),
            "notice_date": _iso(self.notice_day),
            "end_date": _iso(self.end_date),
            "cure_ends": _iso(self.cure_ends),
            "deadline_passed": self.deadline_passed,
            "key_dates": [
                {"key": k.key, "label": k.label, "date": k.day.isoformat()} for k in self.key_dates
            ],
            "notes": list(self.notes),
            "tasks": [t.to_dict(base_url) for t in self.tasks],
        }


def _iso(day: date | None) -> str | None:
    return None if day is None else day.isoformat()


def make_plan(inputs: PlanInput, steps: tuple[ExitStep, ...] | None = None) -> ExitPlan:
    """Apply the date rules to the inputs and place every exit step on a date."""
    steps = load_steps() if steps is None else steps
    if inputs.case == "renews":
        return _not_renewing(inputs, steps)
    if inputs.case == "notice_given":
        notice = _need(inputs.notice, "notice")
        end = shift(inputs.day, notice)
        verb = "was given" if inputs.day < inputs.today else "is given"
        notes = (f"Notice that {verb} on {inputs.day} with {notice} ends the agreement on {end}.",)
        keys = (
            KeyDate("notice_date", "Conversation and written notice", inputs.day),
            KeyDate("end_date", "Last day of the agreement", end),
        )
        return _plan(inputs, steps, None, None, inputs.day, end, None, False, keys, notes)
    if inputs.case == "concern_sent":
        return _for_cause(inputs, steps)
    raise PlanError("case", f"must be one of {', '.join(CASES)}")


def _need(period: Period | None, field: str) -> Period:
    if period is None:
        raise PlanError(field, f"is missing (write e.g. {PERIOD_EXAMPLES})")
    return period


def _not_renewing(inputs: PlanInput, steps: tuple[ExitStep, ...]) -> ExitPlan:
    notice = _need(inputs.notice, "notice")
    today = inputs.today
    renewal = inputs.day
    deadline = shift(renewal, notice, -1)
    notes: list[str] = []
    keys: list[KeyDate] = []
    passed = deadline < today
    if passed:
        notes.append(
            f"The notice deadline for the renewal on {renewal} was {deadline}. It has passed: "
            "unless the partner agrees to something else, the agreement renews on that date."
        )
        keys.append(KeyDate("missed_deadline", "Notice deadline (passed)", deadline))
        if inputs.term is None:
            notes.append(
                "Give the term of the agreement to see the next renewal and its deadline, or ask "
                "the partner for an exit by mutual agreement."
            )
            return _plan(
                inputs, steps, deadline, None, None, None, None, True, tuple(keys), tuple(notes)
            )
        renewal = _next_renewal(inputs.day, notice, inputs.term, today)
        deadline = shift(renewal, notice, -1)
        notes.append(
            f"With a term of {inputs.term}, the next renewal is on {renewal}: notice must "
            f"arrive by {deadline}. You can also ask the partner to end earlier by agreement."
        )
    send_by = deadline - timedelta(days=inputs.margin)
    notice_day = send_by
    if send_by < today:
        notice_day = today
        notes.append(
            f"The recommended send-by date ({send_by}) has passed but the deadline ({deadline}) "
            "has not: hold the conversation and send notice now, and by the deadline at the latest."
        )
    else:
        notes.append(
            f"Notice must arrive by {deadline} ({notice} before {renewal}). Sending it by "
            f"{send_by} leaves {inputs.margin} days for delivery and for the conversation."
        )
    keys += [
        KeyDate("notice_deadline", "Notice must arrive by", deadline),
        KeyDate("send_by", "Recommended send-by date", send_by),
    ]
    if notice_day != send_by:
        keys.append(KeyDate("notice_date", "Conversation and written notice", notice_day))
    keys.append(KeyDate("end_date", "Last day (the renewal date)", renewal))
    return _plan(
        inputs, steps, deadline, send_by, notice_day, renewal, None, passed, tuple(keys),
        tuple(notes),
    )  # fmt: skip


def _next_renewal(renewal: date, notice: Period, term: Period, today: date) -> date:
    """The first renewal after `renewal` whose notice deadline is today or later."""
    # Jump close to today first (a term never lasts more than 31 days a month), then step:
    # each renewal is counted from the original date so month-end clamping does not drift.
    longest = (term.days() or 0) or 31 * (term.months() or 0)
    times = max(1, (today - renewal).days // longest)
    while shift(shift(renewal, term, times), notice, -1) < today:
        times += 1
    return shift(renewal, term, times)


def _for_cause(inputs: PlanInput, steps: tuple[ExitStep, ...]) -> ExitPlan:
    cure = _need(inputs.cure, "cure")
    cure_ends = shift(inputs.day, cure)
    end = cure_ends if inputs.notice is None else shift(cure_ends, inputs.notice)
    notes = [
        f"The notice of concern sent on {inputs.day} starts a cure period of {cure}: the "
        f"earliest date to terminate is {cure_ends}, and only if the concern has not been "
        "put right by then. If it has, this plan no longer applies. The period runs from the "
        "day the notice is received: if it arrived later than it was sent, enter that day.",
    ]
    if inputs.notice is None:
        notes.append("No notice period given: the plan assumes termination takes effect at once.")
    else:
        notes.append(f"Termination notice given on {cure_ends} with {inputs.notice} ends on {end}.")
    keys = (
        KeyDate("concern_sent", "Notice of concern sent", inputs.day),
        KeyDate("cure_ends", "Cure period ends: earliest termination", cure_ends),
        KeyDate("end_date", "Last day of the agreement", end),
    )
    return _plan(inputs, steps, None, None, cure_ends, end, cure_ends, False, keys, tuple(notes))


def _plan(
    inputs: PlanInput,
    steps: tuple[ExitStep, ...],
    deadline: date | None,
    send_by: date | None,
    notice_day: date | None,
    end: date | None,
    cure_ends: date | None,
    passed: bool,
    keys: tuple[KeyDate, ...],
    notes: tuple[str, ...],
) -> ExitPlan:
    tasks: tuple[Task, ...] = ()
    if notice_day is not None and end is not None:
        placed = [schedule(s, notice_day, end) for s in steps]
        order = sorted(range(len(steps)), key=lambda i: (placed[i], i))
        tasks = tuple(Task(placed[i], steps[i], placed[i] < inputs.today) for i in order)
    return ExitPlan(
        inputs=inputs,
        notice_deadline=deadline,
        send_by=send_by,
        notice_day=notice_day,
        end_date=end,
        cure_ends=cure_ends,
        deadline_passed=passed,
        key_dates=tuple(sorted(keys, key=lambda k: k.day)),
        notes=notes,
        tasks=tasks,
    )


# -- Raw input (the page's form, the command line) ----------------------------------------------

FIELD_LABELS = {
    "case": "Which case",
    "renews": "Renewal or end date",
    "notice_given": "Date notice is (or was) given",
    "concern_sent": "Date the notice of concern was received",
    "notice": "Notice period",
    "cure": "Cure period",
    "term": "Renewal term",
    "today": "Plan as of",
    "margin": "Margin before the deadline",
}


def plan_inputs(form: Mapping[str, object]) -> PlanInput:
    """PlanInput from raw form values (strings); PlanError names the first bad field."""

    def value(field: str) -> str:
        raw = form.get(field, "")
        if raw is None:
            return ""
        if not isinstance(raw, str):
            raise PlanError(field, "must be text")
        return raw

    case = value("case").strip()
    if case not in CASES:
        raise PlanError("case", f"must be one of {', '.join(CASES)}")
    day = parse_date(value(case), case)
    today = parse_date(value("today"), "today")
    notice = term = cure = None
    # Only the fields of the chosen case are read: the form keeps the others filled in.
    if case == "concern_sent":
        cure = parse_period(value("cure"), "cure")
        if value("notice").strip():
            notice = parse_period(value("notice"), "notice")
    else:
        notice = parse_period(value("notice"), "notice")
    if case == "renews" and value("term").strip():
        term = parse_period(value("term"), "term")
    margin = parse_margin(value("margin")) if case == "renews" else DEFAULT_MARGIN
    return PlanInput(case, day, notice, cure, term, today, margin)


def plan_from_form(form: Mapping[str, object]) -> ExitPlan:
    """The plan for raw form values (strings), or PlanError naming the field."""
    return make_plan(plan_inputs(form))


def field_message(error: PlanError) -> str:
    """A PlanError as the page shows it: the field's label, then the problem."""
    return f"{FIELD_LABELS.get(error.field, error.field)}: {error.problem}"


def announcement(plan: ExitPlan) -> str:
    """One sentence for a screen reader when a plan appears."""
    if plan.end_date is None:
        return "The notice deadline has passed; the notes below the key dates say what to do."
    deadline = (
        "" if plan.notice_deadline is None else f" Notice must arrive by {plan.notice_deadline}."
    )
    return f"Plan ready: {len(plan.tasks)} dated steps; the last day is {plan.end_date}.{deadline}"


# -- Renderers ----------------------------------------------------------------------------------


def long_date(day: date) -> str:
    """'Sun 28 Feb 2027': the same in every locale."""
    return f"{_DAY_NAMES[day.weekday()]} {day.day} {_MONTH_NAMES[day.month - 1]} {day.year}"


def to_text(plan: ExitPlan, base_url: str = "") -> str:
    """The plan as plain text for the terminal."""
    lines = [plan.title, "", "Key dates:"]
    lines += [f"  {k.day.isoformat()}  {k.label}" for k in plan.key_dates]
    lines += ["", *plan.notes]
    soon = plan.due_soon()
    if soon:
        lines += ["", "This week:"]
        lines += [f"  {t.day.isoformat()}  {t.step.title}" for t in soon]
    if plan.tasks:
        lines += ["", "Steps:"]
        for task in plan.tasks:
            flag = "  (date passed: do it now if it is not done)" if task.past else ""
            day = f"{task.day.isoformat()} {_DAY_NAMES[task.day.weekday()]}"
            lines.append(f"  {day}  {task.step.title}{flag}")
            lines.append(f"      {task.step.who}. {task.step.detail}")
            lines.append(f"      Read: {page_url(task.step.link, base_url)}")
    return "\n".join(lines)


def to_markdown(plan: ExitPlan, base_url: str = "") -> str:
    """The plan as a Markdown document with a checklist of dated steps."""
    lines = [f"# Exit plan: {markdown_text(plan.title)}", ""]
    made = plan.inputs.today.isoformat()
    lines += [f"Made on {made} with the Partnership Playbook's exit planner.", ""]
    lines += ["## Key dates", "", "| Date | What |", "| --- | --- |"]
    lines += [f"| {long_date(k.day)} | {markdown_text(k.label)} |" for k in plan.key_dates]
    lines.append("")
    lines += [f"- {markdown_text(note)}" for note in plan.notes]
    soon = plan.due_soon()
    if soon:
        lines += ["", "## This week", ""]
        lines += [f"- **{long_date(t.day)}**: {markdown_text(t.step.title)}" for t in soon]
    if plan.tasks:
        lines += ["", "## Steps", ""]
        for task in plan.tasks:
            url = page_url(task.step.link, base_url)
            passed = " *(date passed)*" if task.past else ""
            lines.append(
                f"- [ ] **{long_date(task.day)}**: {markdown_text(task.step.title)}{passed}  "
            )
            lines.append(
                f"  {markdown_text(task.step.who)}. {markdown_text(task.step.detail)} "
                f"[Read more](<{url}>)"
            )
    lines += ["", "This plan is a practical aid, not legal advice.", ""]
    return "\n".join(lines)


def to_html(plan: ExitPlan, base_url: str = "") -> str:
    """The plan as an HTML fragment: every value escaped, no style attribute, no script."""
    parts = [f'<p class="pp-plan-title"><strong>{escape(plan.title)}</strong></p>']
    parts.append('<h3 id="plan-key-dates">Key dates</h3>')
    parts.append('<dl class="pp-key-dates">')
    for k in plan.key_dates:
        parts.append(
            f"<dt>{escape(k.label)}</dt>"
            f'<dd><time datetime="{k.day.isoformat()}">{escape(long_date(k.day))}</time></dd>'
        )
    parts.append("</dl>")
    parts += [f"<p>{escape(note)}</p>" for note in plan.notes]
    soon = plan.due_soon()
    if soon:
        parts.append('<h3 id="plan-this-week">This week</h3>')
        parts.append('<ul class="pp-this-week">')
        parts += [
            f'<li><time datetime="{t.day.isoformat()}">{escape(long_date(t.day))}</time>: '
            f"{escape(t.step.title)}</li>"
            for t in soon
        ]
        parts.append("</ul>")
    if plan.tasks:
        parts.append('<h3 id="plan-steps">Steps on their dates</h3>')
        parts.append(
            '<table class="pp-plan-steps"><thead><tr><th scope="col">Date</th>'
            '<th scope="col">Step</th><th scope="col">Who</th></tr></thead><tbody>'
        )
        for task in plan.tasks:
            url = escape(page_url(task.step.link, base_url))
            passed = ' <span class="pp-past">(date passed)</span>' if task.past else ""
            parts.append(
                f'<tr><td><time datetime="{task.day.isoformat()}">{escape(long_date(task.day))}'
                f"</time>{passed}</td><td><strong>{escape(task.step.title)}</strong><br>"
                # The link says which step it is about (screen readers list links by their text).
                f'{escape(task.step.detail)} <a href="{url}">Read more<span '
                f'class="pp-visually-hidden"> about {escape(task.step.title)}</span></a></td>'
                f"<td>{escape(task.step.who)}</td></tr>"
            )
        parts.append("</tbody></table>")
    return "\n".join(parts)


PRODID = "-//Partnership Playbook//Exit planner//EN"


def to_ics(plan: ExitPlan, base_url: str = "") -> str:
    """The plan as an iCalendar file (RFC 5545): one all-day event per key date and step."""
    stamp = f"{plan.inputs.today:%Y%m%d}T000000Z"
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{_ics_text('Exit plan')}",
    ]
    events = [(f"key:{k.key}", k.day, f"Key date: {k.label}", plan.title) for k in plan.key_dates]
    events += [
        (
            f"step:{t.step.id}",
            t.day,
            t.step.title,
            f"{t.step.who}. {t.step.detail}\nRead more: {page_url(t.step.link, base_url)}",
        )
        for t in plan.tasks
    ]
    for key, day, summary, description in events:
        digest = hashlib.sha256(
            "\n".join((plan.inputs.case, key, day.isoformat(), summary)).encode("utf-8")
        ).hexdigest()[:32]
        lines += [
            "BEGIN:VEVENT",
            f"UID:{digest}@exit-plan.partnership-playbook",
            f"DTSTAMP:{stamp}",
            f"DTSTART;VALUE=DATE:{day:%Y%m%d}",
            f"DTEND;VALUE=DATE:{day + timedelta(days=1):%Y%m%d}",
            f"SUMMARY:{_ics_text(summary)}",
            f"DESCRIPTION:{_ics_text(description)}",
            "TRANSP:TRANSPARENT",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "".join(_fold(line) + "\r\n" for line in lines)


def _ics_text(text: str) -> str:
    """A TEXT value escaped as RFC 5545 section 3.3.11 requires."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = "".join(ch for ch in text if ch == "\n" or ch.isprintable())
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _fold(line: str) -> str:
    """A content line folded so no physical line exceeds 75 octets (RFC 5545 section 3.1)."""
    out: list[str] = []
    current = ""
    size = 0
    limit = 75
    for ch in line:
        width = len(ch.encode("utf-8"))
        if size + width > limit:
            out.append(current)
            # The continuation starts with one space, which counts toward its 75 octets.
            current, size = " ", 1
        current += ch
        size += width
    out.append(current)
    return "\r\n".join(out)
