"""The exit planner: an agreement's case, dates and periods -> key dates and dated steps.

The date rules live here: the notice deadline, the send-by date, the next renewal when a
deadline has passed, the end of a cure period, and every exit step placed on its day
(exit_steps.place). The inputs come from the form (exit_form.py), the dates are counted by
periods.py, and exit_report.py writes the plan out. Pure standard library.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from .errors import PlanError
from .exit_form import CASE_TITLES, CASES, PlanInput, plan_inputs
from .exit_steps import ExitStep, load_steps, place
from .periods import MISSING_PERIOD, Period, shift
from .report import page_url


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
            what = f"cure period of {i.cure} starting on {i.day.isoformat()}"
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
        raise PlanError(field, MISSING_PERIOD)
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
    # The termination notice goes once the period's last day has fully passed.
    notice_day = cure_ends + timedelta(days=1)
    end = notice_day if inputs.notice is None else shift(notice_day, inputs.notice)
    notes = [
        f"The cure period of {cure} starting on {inputs.day} ends on {cure_ends}: only if the "
        "breach has not been put right by then can a separate termination notice end the "
        "agreement. If it has, this plan no longer applies. Your agreement decides when the "
        "period starts (receipt, sending or deemed receipt of the notice of breach) and "
        "whether its first day counts: check both before you rely on these dates.",
    ]
    if inputs.notice is None:
        notes.append("No notice period given: the plan assumes termination takes effect at once.")
    else:
        notes.append(
            f"Termination notice given on {notice_day} with {inputs.notice} ends on {end}."
        )
    keys = (
        KeyDate("concern_sent", "Cure period starts (notice of breach received)", inputs.day),
        KeyDate(
            "cure_ends", "Cure period's last day (send any termination notice after it)", cure_ends
        ),
        KeyDate("notice_day", "Termination notice: send it on this day or after", notice_day),
        KeyDate("end_date", "Last day of the agreement", end),
    )
    return _plan(inputs, steps, None, None, notice_day, end, cure_ends, False, keys, tuple(notes))


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
        placed = place(steps, notice_day, end)
        tasks = tuple(Task(day, step, day < inputs.today) for day, step in placed)
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


def plan_from_form(form: Mapping[str, object]) -> ExitPlan:
    """The plan for raw form values (strings), or PlanError naming the field."""
    return make_plan(plan_inputs(form))
