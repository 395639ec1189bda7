"""The exit planner: an agreement's case, dates and periods -> key dates and dated steps.

The date rules live here: the notice deadline, the latest day to send the notice (when it counts
as received a period after sending), the send-by date, the next renewal when a deadline has
passed, the end of a cure period, and every exit step placed on its day (exit_steps.place),
then onto a working day: a deadline on a weekend or a closure moves to the working day before,
a meeting or a task to the working day after (or before, when after would pass the day it is
tied to), and the plan says so. The inputs come from the form (exit_form.py), the dates are
counted by periods.py, and exit_report.py writes the plan out. Pure standard library.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from .errors import PlanError
from .exit_form import CASE_TITLES, CASES, SERVICE_NAMES, PlanInput, plan_inputs
from .exit_steps import ExitStep, load_steps, place
from .periods import MISSING_PERIOD, Period, WorkCalendar, long_date, shift
from .report import page_url


@dataclass(frozen=True)
class KeyDate:
    """One of the plan's key dates, with what it means."""

    key: str
    label: str
    day: date


@dataclass(frozen=True)
class Task:
    """One step of the exit on its date (a working day), and the day it moved from, if any."""

    day: date
    step: ExitStep
    past: bool
    moved_from: date | None = None
    moved_why: str = ""  # "a Saturday", "your closure 24 Dec to 1 Jan"
    # Left on a day that is not a working day, because none fits between the key dates it is
    # tied to (a notice day and a last day in one closure): why the day is not one.
    left_on: str = ""

    @property
    def moved_text(self) -> str:
        """'moved from Sat 27 Feb 2027, a Saturday' ('' when the step did not move)."""
        if self.left_on:
            return (
                f"{self.left_on}, but no working day fits between the notice day and the last "
                "day: plan it by hand"
            )
        if self.moved_from is None:
            return ""
        return f"moved from {long_date(self.moved_from)}, {self.moved_why}"

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
            "moved_from": _iso(self.moved_from),
            "moved_why": self.moved_why,
            "left_on": self.left_on,
        }


@dataclass(frozen=True)
class ExitPlan:
    """The computed plan: key dates, plain-language notes and the dated tasks in date order.

    `notice_deadline` is the working day notice must arrive by; `deadline_as_written` the day
    the agreement's own counting gives (the same, unless that is not a working day).
    `latest_send` is the last working day to send the notice so that it counts as received by
    the deadline; `send_by` leaves the margin before that.
    """

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
    deadline_as_written: date | None = None
    latest_send: date | None = None

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

    @property
    def do_now(self) -> tuple[Task, ...]:
        """The steps whose date has passed: to do now, if they are not done."""
        return tuple(t for t in self.tasks if t.past)

    @property
    def upcoming(self) -> tuple[Task, ...]:
        """The steps dated today or later, in date order."""
        return tuple(t for t in self.tasks if not t.past)

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
            "service": i.service,
            "deemed": None if i.deemed is None else str(i.deemed),
            "closures": str(i.calendar),
            "notice_deadline": _iso(self.notice_deadline),
            "deadline_as_written": _iso(self.deadline_as_written),
            "latest_send": _iso(self.latest_send),
            "send_by": _iso(self.send_by),
            "notice_date": _iso(self.notice_day),
            "end_date": _iso(self.end_date),
            "cure_ends": _iso(self.cure_ends),
            "deadline_passed": self.deadline_passed,
            "key_dates": [
                {"key": k.key, "label": k.label, "date": k.day.isoformat()} for k in self.key_dates
            ],
            "notes": list(self.notes),
            "do_now": [t.step.id for t in self.do_now],
            "tasks": [t.to_dict(base_url) for t in self.tasks],
        }


def _iso(day: date | None) -> str | None:
    return None if day is None else day.isoformat()


def make_plan(inputs: PlanInput, steps: tuple[ExitStep, ...] | None = None) -> ExitPlan:
    """Apply the date rules to the inputs and place every exit step on a working day."""
    steps = load_steps() if steps is None else steps
    if inputs.case == "renews":
        return _not_renewing(inputs, steps)
    if inputs.case == "notice_given":
        return _for_convenience(inputs, steps)
    if inputs.case == "concern_sent":
        return _for_cause(inputs, steps)
    raise PlanError("case", f"must be one of {', '.join(CASES)}")


def _need(period: Period | None, field: str) -> Period:
    if period is None:
        raise PlanError(field, MISSING_PERIOD)
    return period


def _check_notice_fits_the_term(inputs: PlanInput, notice: Period) -> None:
    """A notice period longer than the renewal term is a mistake in one of the two."""
    if inputs.term is None:
        return
    calendar = inputs.calendar
    if shift(inputs.day, notice, -1, calendar) < shift(inputs.day, inputs.term, -1, calendar):
        raise PlanError(
            "notice",
            f"({notice}) is longer than the renewal term ({inputs.term}): check both in the "
            "agreement",
        )


def notice_deadline(renewal: date, notice: Period, calendar: WorkCalendar) -> tuple[date, date]:
    """The notice deadline for a renewal: as the agreement counts it, and the working day
    notice must arrive by (the same day, or the working day before)."""
    written = shift(renewal, notice, -1, calendar)
    return written, calendar.on_or_before(written)


def latest_send(deadline: date, deemed: Period | None, calendar: WorkCalendar) -> date:
    """The last working day to send a notice that counts as received `deemed` after sending,
    so that it counts as received by `deadline`."""
    if deemed is None:
        return calendar.on_or_before(deadline)
    return calendar.on_or_before(shift(deadline, deemed, -1, calendar))


def send_by(latest: date, margin: int, calendar: WorkCalendar) -> date:
    """The recommended send-by date: `margin` days before the latest, on a working day."""
    return calendar.on_or_before(latest - timedelta(days=margin))


def _not_renewing(inputs: PlanInput, steps: tuple[ExitStep, ...]) -> ExitPlan:
    notice = _need(inputs.notice, "notice")
    _check_notice_fits_the_term(inputs, notice)
    today, calendar = inputs.today, inputs.calendar
    renewal = inputs.day
    written, deadline = notice_deadline(renewal, notice, calendar)
    notes: list[str] = []
    keys: list[KeyDate] = []
    passed = written < today
    if passed:
        notes.append(
            f"The notice deadline for the renewal on {renewal} was {written}. It has passed: "
            "unless the partner agrees to something else, the agreement renews on that date."
        )
        keys.append(KeyDate("missed_deadline", "Notice deadline (passed)", written))
        if inputs.term is None:
            notes.append(
                "Give the term of the agreement to see the next renewal and its deadline, or ask "
                "the partner for an exit by mutual agreement."
            )
            return _plan(
                inputs, steps, written, None, None, None, None, True, tuple(keys), tuple(notes),
                written, None,
            )  # fmt: skip
        renewal = next_renewal(inputs.day, notice, inputs.term, today, calendar)
        written, deadline = notice_deadline(renewal, notice, calendar)
        notes.append(
            f"With a term of {inputs.term}, the next renewal is on {renewal}: notice must "
            f"arrive by {written}. You can also ask the partner to end earlier by agreement."
        )
    if deadline != written:
        notes.append(
            f"The deadline as the agreement counts it, {long_date(written)}, is "
            f"{calendar.why_not(written)}: the plan has notice arrive by {long_date(deadline)}, "
            "the working day before."
        )
    latest = latest_send(deadline, inputs.deemed, calendar)
    recommended = send_by(latest, inputs.margin, calendar)
    notice_day = recommended
    if inputs.deemed is not None:
        notes.append(
            f"A notice that counts as received {inputs.deemed} after it is sent must be sent by "
            f"{latest} to count as received by {deadline}."
        )
    notes += _service_notes(inputs)
    if recommended < today:
        # Now: the next working day, unless that is too late to send it by this method.
        notice_day = calendar.on_or_after(today)
        if notice_day > latest:
            notice_day = today
        if latest >= today:
            notes.append(
                f"The recommended send-by date ({recommended}) has passed but the deadline "
                f"({deadline}) has not: hold the conversation and send notice now, and by "
                f"{latest} at the latest."
            )
        else:
            notes.append(
                f"The last day to send notice by this method ({latest}) has passed, but notice "
                f"can still arrive by {deadline}: send it today by a method the notices clause "
                "allows that arrives in time (by hand or courier), or ask the partner to accept "
                "it late in writing."
            )
    else:
        notes.append(
            f"Notice must arrive by {deadline} ({notice} before {renewal}). Sending it by "
            f"{recommended} leaves {inputs.margin} days for delivery and for the conversation."
        )
    keys.append(KeyDate("notice_deadline", "Notice must arrive by", deadline))
    if latest != deadline:
        keys.append(KeyDate("latest_send", "Last day to send it (counts as received in time)",
                            latest))  # fmt: skip
    keys.append(KeyDate("send_by", "Recommended send-by date", recommended))
    if notice_day != recommended:
        keys.append(KeyDate("notice_date", "Conversation and written notice", notice_day))
    keys.append(KeyDate("end_date", "Last day (the renewal date)", renewal))
    return _plan(
        inputs, steps, deadline, recommended, notice_day, renewal, None, passed, tuple(keys),
        tuple(notes), written, latest,
    )  # fmt: skip


def _service_notes(inputs: PlanInput) -> list[str]:
    """What the method of service means for the dates, and what to check."""
    notes = []
    if inputs.service == "email":
        notes.append(
            "E-mail: many agreements exclude it for notices, or accept it only with a copy sent "
            "by post or courier. Check the notices clause before you rely on it."
        )
    elif inputs.service in ("post", "courier") and inputs.deemed is None:
        notes.append(
            f"{SERVICE_NAMES[inputs.service]}: the notices clause usually says when such a "
            "notice counts as received (for example two business days after posting). Add that "
            "rule to move the send-by date; without it the plan counts the notice as received "
            "on the day it is sent."
        )
    elif inputs.service == "hand":
        notes.append(
            "By hand: keep a signed and dated receipt. A notice delivered outside business "
            "hours may count as received the next working day."
        )
    return notes


def next_renewal(
    renewal: date, notice: Period, term: Period, today: date, calendar: WorkCalendar
) -> date:
    """The first renewal after `renewal` whose notice deadline is today or later."""
    # Jump close to today first (a term never lasts more than 31 days a month), then step:
    # each renewal is counted from the original date so month-end clamping does not drift.
    longest = (term.days() or 0) or 31 * (term.months() or 0)
    times = max(1, (today - renewal).days // longest)
    while shift(shift(renewal, term, times), notice, -1, calendar) < today:
        times += 1
    return shift(renewal, term, times)


def _for_convenience(inputs: PlanInput, steps: tuple[ExitStep, ...]) -> ExitPlan:
    notice = _need(inputs.notice, "notice")
    calendar, today = inputs.calendar, inputs.today
    given = inputs.day
    notes = []
    if given >= today and not calendar.is_working(given):
        moved = calendar.on_or_after(given)
        notes.append(
            f"{long_date(given)} is {calendar.why_not(given)}: the plan holds the conversation "
            f"and sends the notice on {long_date(moved)}, the working day after, and counts the "
            "notice period from then."
        )
        given = moved
    received = given if inputs.deemed is None else shift(given, inputs.deemed, 1, calendar)
    end = shift(received, notice, 1, calendar)
    verb = "was given" if given < today else "is given"
    if received != given:
        notes.append(
            f"Sent on {given}, the notice counts as received on {received} ({inputs.deemed} "
            f"after sending); with {notice} the agreement ends on {end}."
        )
    else:
        notes.append(f"Notice that {verb} on {given} with {notice} ends the agreement on {end}.")
    notes += _service_notes(inputs)
    keys = [KeyDate("notice_date", "Conversation and written notice", given)]
    if received != given:
        keys.append(KeyDate("received", "The notice counts as received", received))
    keys.append(KeyDate("end_date", "Last day of the agreement", end))
    return _plan(inputs, steps, None, None, given, end, None, False, tuple(keys), tuple(notes))


def _for_cause(inputs: PlanInput, steps: tuple[ExitStep, ...]) -> ExitPlan:
    cure = _need(inputs.cure, "cure")
    calendar = inputs.calendar
    cure_ends = shift(inputs.day, cure, 1, calendar)
    # The termination notice goes once the period's last day has fully passed, on a working day.
    after = cure_ends + timedelta(days=1)
    notice_day = calendar.on_or_after(after)
    end = notice_day if inputs.notice is None else shift(notice_day, inputs.notice, 1, calendar)
    notes = [
        f"The cure period of {cure} starting on {inputs.day} ends on {cure_ends}: only if the "
        "breach has not been put right by then can a separate termination notice end the "
        "agreement. If it has, this plan no longer applies. Your agreement decides when the "
        "period starts (receipt, sending or deemed receipt of the notice of breach) and "
        "whether its first day counts: check both before you rely on these dates.",
    ]
    if notice_day != after:
        notes.append(
            f"The day after the cure period, {long_date(after)}, is {calendar.why_not(after)}: "
            f"the plan sends the termination notice on {long_date(notice_day)}, the working day "
            "after."
        )
    if inputs.notice is None:
        notes.append("No notice period given: the plan assumes termination takes effect at once.")
    else:
        notes.append(
            f"Termination notice given on {notice_day} with {inputs.notice} ends on {end}."
        )
    keys = (
        KeyDate("concern_sent", "Cure period starts (the day your agreement names)", inputs.day),
        KeyDate(
            "cure_ends", "Cure period's last day (send any termination notice after it)", cure_ends
        ),
        KeyDate("notice_day", "Termination notice: send it on this day or after", notice_day),
        KeyDate("end_date", "Last day of the agreement", end),
    )
    return _plan(inputs, steps, None, None, notice_day, end, cure_ends, False, keys, tuple(notes))


def step_is_a_deadline(step: ExitStep) -> bool:
    """Whether a step is due by its day (it moves to the working day before), rather than a
    meeting or task held on it (it moves to the working day after): the preparation before
    the notice, and the hand-over work up to the last day."""
    return step.offset_days < 0 if step.anchor == "notice" else step.offset_days <= 0


def _on_a_working_day(
    day: date, deadline: bool, calendar: WorkCalendar, low: date | None, high: date | None
) -> date | None:
    """`day` moved onto a working day inside the step's bounds: a deadline before (never
    later); a task after, or before when after would leave its bounds; None when none fits."""
    tries = [calendar.on_or_before(day)]
    if not deadline:
        tries.insert(0, calendar.on_or_after(day))
    return next(
        (d for d in tries if (low is None or d >= low) and (high is None or d <= high)), None
    )


def step_bounds(step: ExitStep, notice_day: date, end: date) -> tuple[date | None, date | None]:
    """Where a step may move: never across the notice day or the last day it is tied to."""
    last = max(end, notice_day)
    if step.anchor == "notice":
        return (None, notice_day) if step.offset_days < 0 else (notice_day, last)
    return (notice_day, last) if step.offset_days <= 0 else (last, None)


def place_on_working_days(
    steps: tuple[ExitStep, ...], notice_day: date, end: date, today: date, calendar: WorkCalendar
) -> tuple[Task, ...]:
    """Every step on its day (exit_steps.place), moved onto a working day, in date order."""
    tasks = []
    for day, step in place(steps, notice_day, end):
        low, high = step_bounds(step, notice_day, end)
        moved = _on_a_working_day(day, step_is_a_deadline(step), calendar, low, high)
        if moved is None:
            task = Task(day, step, day < today, left_on=calendar.why_not(day))
        elif moved != day:
            task = Task(moved, step, moved < today, day, calendar.why_not(day))
        else:
            task = Task(day, step, day < today)
        tasks.append(task)
    order = sorted(range(len(tasks)), key=lambda i: (tasks[i].day, i))
    return tuple(tasks[i] for i in order)


def _near_closures(inputs: PlanInput, keys: tuple[KeyDate, ...]) -> list[str]:
    """A note for each key date that falls in, or within a week of, a closure."""
    calendar = inputs.calendar
    notes = []
    for key in keys:
        if key.day < inputs.today or not calendar.closures:
            continue
        inside = calendar.closure_on(key.day)
        near = inside or calendar.near(key.day)
        if near is None:
            continue
        where = "falls in" if inside else "is within a week of"
        notes.append(
            f"{key.label} ({long_date(key.day)}) {where} your closure {near}: the partner's "
            "office may be closed around it too; agree the dates early, and send early."
        )
    return notes


def _plan(
    inputs: PlanInput,
    steps: tuple[ExitStep, ...],
    deadline: date | None,
    send_by_day: date | None,
    notice_day: date | None,
    end: date | None,
    cure_ends: date | None,
    passed: bool,
    keys: tuple[KeyDate, ...],
    notes: tuple[str, ...],
    written: date | None = None,
    latest: date | None = None,
) -> ExitPlan:
    tasks: tuple[Task, ...] = ()
    if notice_day is not None and end is not None:
        tasks = place_on_working_days(steps, notice_day, end, inputs.today, inputs.calendar)
    ordered = tuple(sorted(keys, key=lambda k: k.day))
    moved = sum(1 for t in tasks if t.moved_from is not None)
    extra = _near_closures(inputs, ordered)
    if any(t.left_on for t in tasks):
        extra.append(
            "Some steps fall on days that are not working days, and no working day fits between "
            "the notice day and the last day: plan those by hand (each says so)."
        )
    if moved:
        extra.append(
            f"{moved} step{'s' if moved != 1 else ''} fell on a weekend or a closure: a step "
            "due by its day moved to the working day before, a meeting or task to the working "
            "day after, or before when after would pass the day it is tied to (each says so)."
        )
    return ExitPlan(
        inputs=inputs,
        notice_deadline=deadline,
        send_by=send_by_day,
        notice_day=notice_day,
        end_date=end,
        cure_ends=cure_ends,
        deadline_passed=passed,
        key_dates=ordered,
        notes=(*notes, *extra),
        tasks=tasks,
        deadline_as_written=written if written is not None else deadline,
        latest_send=latest,
    )


def plan_from_form(form: Mapping[str, object]) -> ExitPlan:
    """The plan for raw form values (strings), or PlanError naming the field."""
    return make_plan(plan_inputs(form))
