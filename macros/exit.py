"""Macros for the exit sequence: the checklist, the overview, the timeline and the date rules.

All four are drawn from assessment/exit_steps.toml through assessment.exit_plan, the code that
dates the plan, so the exit checklist, the Go section's overview and the dated plan show the
same steps in the same order and cannot drift apart.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from assessment.exit_form import DEFAULT_MARGIN, PlanInput
from assessment.exit_plan import make_plan
from assessment.exit_steps import ExitStep, load_steps, relative_timeline
from assessment.periods import PERIOD_EXAMPLES, WORKDAYS, Period
from assessment.report import markdown_text

from .render import link

STEPS_FILE = Path("assessment") / "exit_steps.toml"
# The week-by-week table shows weeks -8 to +4 around the last day for this notice period.
EXAMPLE_NOTICE_DAYS = 28
FIRST_WEEK = -8
LAST_WEEK = 4


def register(env: Any) -> None:
    """Register the exit macros on a mkdocs-macros environment."""
    steps = load_steps(Path(env.project_dir) / STEPS_FILE)

    @env.macro  # type: ignore[untyped-decorator]
    def exit_checklist() -> str:
        """Every exit step as a task list, stage by stage (the exit checklist)."""
        return checklist(steps, str(env.page.file.src_uri))

    @env.macro  # type: ignore[untyped-decorator]
    def exit_checklist_text() -> str:
        """Every exit step as a plain-text checklist to copy (inside a code block)."""
        return checklist_text(steps)

    @env.macro  # type: ignore[untyped-decorator]
    def exit_overview() -> str:
        """The exit's stages with their steps' titles, linked (the Go section's overview)."""
        return overview(steps, str(env.page.file.src_uri))

    @env.macro  # type: ignore[untyped-decorator]
    def exit_timeline() -> str:
        """The exit steps week by week around the last day (four weeks' notice)."""
        return timeline_table(steps, str(env.page.file.src_uri))

    @env.macro  # type: ignore[untyped-decorator]
    def exit_date_rules() -> str:
        """The planner's date rules, with worked examples computed by the planner."""
        return date_rules(steps)


def week_label(week: int) -> str:
    """'3 weeks before', 'The last day's week', '2 weeks after'."""
    if week == 0:
        return "Week of the last day"
    count = abs(week)
    plural = "" if count == 1 else "s"
    return f"{count} week{plural} {'before' if week < 0 else 'after'}"


def anchor_text(step: ExitStep) -> str:
    """Where the data file puts a step: '21 days before the notice', 'On the last day'."""
    day = "the notice" if step.anchor == "notice" else "the last day"
    if step.offset_days == 0:
        return "On the notice day" if step.anchor == "notice" else "On the last day"
    count = abs(step.offset_days)
    side = "before" if step.offset_days < 0 else "after"
    return f"{count} day{'' if count == 1 else 's'} {side} {day}"


@dataclass(frozen=True)
class Stage:
    """A stretch of the exit: where a step falls relative to the notice day and the last day."""

    key: str  # the anchor of the stage's heading on the checklist page
    title: str
    summary: str


STAGES = (
    Stage(
        "prepare",
        "Prepare, before the partner is told",
        "Only the people preparing the exit know. Nothing is announced until the business is "
        "protected and the notice is ready.",
    ),
    Stage(
        "notice-day",
        "The notice day",
        "The conversation first, the written notice the same day, then your own team.",
    ),
    Stage(
        "notice-period",
        "During the notice period",
        "The agreement still binds both sides: keep delivering and paying while the work moves.",
    ),
    Stage(
        "last-day",
        "The last day",
        "Access closes and the ending is confirmed in writing.",
    ),
    Stage(
        "after",
        "After the end",
        "Money, the duties that outlive the agreement, and the lessons.",
    ),
)


def stage_of(step: ExitStep) -> str:
    """The key of the stage a step belongs to, from its anchor and the sign of its offset."""
    if step.anchor == "notice":
        if step.offset_days < 0:
            return "prepare"
        return "notice-day" if step.offset_days == 0 else "notice-period"
    if step.offset_days < 0:
        return "notice-period"
    return "last-day" if step.offset_days == 0 else "after"


def staged(steps: tuple[ExitStep, ...]) -> tuple[tuple[Stage, tuple[ExitStep, ...]], ...]:
    """The stages in order, each with its steps in the order the planner dates them."""
    ordered = [step for _, step in relative_timeline(steps, EXAMPLE_NOTICE_DAYS)]
    return tuple(
        (stage, tuple(s for s in ordered if stage_of(s) == stage.key))
        for stage in STAGES
        if any(stage_of(s) == stage.key for s in ordered)
    )


def stage_span(stage: Stage, steps: tuple[ExitStep, ...]) -> str:
    """When a stage runs, from its steps' offsets: 'from 28 days before the notice day'."""
    if stage.key == "prepare":
        days = max(-s.offset_days for s in steps)
        return f"from {days} days before the notice day"
    if stage.key == "after":
        days = max(s.offset_days for s in steps)
        return f"up to {days} days after the last day"
    return {
        "notice-day": "the day you tell the partner",
        "notice-period": "from the notice day to the last day",
        "last-day": "the agreement's final day",
    }[stage.key]


def checklist(steps: tuple[ExitStep, ...], page: str) -> str:
    """Every step as a task-list item under its stage's heading: title (linked), who, when."""
    parts: list[str] = []
    for number, (stage, members) in enumerate(staged(steps), start=1):
        parts += [
            f"## {number}. {stage.title} {{ #{stage.key} }}",
            "",
            f"*{stage_span(stage, members).capitalize()}.* {stage.summary}",
            "",
        ]
        parts += [
            f"- [ ] [{markdown_text(s.title)}]({link(page, s.link)}). "
            f"{markdown_text(s.detail)} *{markdown_text(s.who)}; "
            f"{anchor_text(s).lower()}.*"
            for s in members
        ]
        parts.append("")
    return "\n".join(parts).rstrip() + "\n"


def checklist_text(steps: tuple[ExitStep, ...]) -> str:
    """Every step as plain text, stage by stage, with a blank for its date: for copying."""
    lines: list[str] = []
    for number, (stage, members) in enumerate(staged(steps), start=1):
        lines += ["", f"{number}. {stage.title.upper()}"]
        lines += [
            f"[ ] {s.title} ({s.who}; {anchor_text(s).lower()}) Date: ______" for s in members
        ]
    return "\n".join(lines).strip()


def overview(steps: tuple[ExitStep, ...], page: str) -> str:
    """The stages as a numbered list, each with its steps' titles as linked sub-items."""
    lines: list[str] = []
    for number, (stage, members) in enumerate(staged(steps), start=1):
        lines.append(f"{number}. **{stage.title}** ({stage_span(stage, members)}). {stage.summary}")
        lines += [f"    - [{markdown_text(s.title)}]({link(page, s.link)})" for s in members]
    return "\n".join(lines)


def timeline_table(steps: tuple[ExitStep, ...], page: str) -> str:
    """A Markdown table of every week from eight before the last day to four after."""
    placed = relative_timeline(steps, EXAMPLE_NOTICE_DAYS)
    rows = ["| Week | Step | Who | Placed at |", "| --- | --- | --- | --- |"]
    for week in range(FIRST_WEEK, LAST_WEEK + 1):
        in_week = [step for offset, step in placed if offset // 7 == week]
        if not in_week:
            rows.append(f"| {week_label(week)} | *No new step: keep the hand-over moving.* | | |")
        for number, step in enumerate(in_week):
            label = week_label(week) if number == 0 else ""
            rows.append(
                f"| {label} | [{markdown_text(step.title)}]({link(page, step.link)}) | "
                f"{markdown_text(step.who)} | {anchor_text(step)} |"
            )
    outside = [step for offset, step in placed if not FIRST_WEEK <= offset // 7 <= LAST_WEEK]
    if outside:
        # A data file edited beyond the window must still show every step.
        rows += [f"| Outside the window | {markdown_text(s.title)} | | |" for s in outside]
    return "\n".join(rows)


def date_rules(steps: tuple[ExitStep, ...]) -> str:
    """The date rules as a Markdown list, each with an example the planner computes."""
    today = date(2026, 1, 1)
    month = Period(1, "month")
    renewing = make_plan(PlanInput("renews", date(2027, 3, 31), month, today=today), steps)
    in_days = make_plan(
        PlanInput("renews", date(2027, 3, 31), Period(60, "day"), today=today), steps
    )
    posted = make_plan(
        PlanInput(
            "renews", date(2027, 3, 31), month, today=today, service="post",
            deemed=Period(2, "business_day"),
        ),
        steps,
    )  # fmt: skip
    convenience = make_plan(PlanInput("notice_given", date(2027, 3, 31), month, today=today), steps)
    cause = make_plan(
        PlanInput("concern_sent", date(2027, 1, 15), None, Period(30, "day"), today=today), steps
    )
    passed = make_plan(
        PlanInput(
            "renews", date(2027, 3, 31), Period(60, "day"), None, Period(1, "year"),
            date(2027, 2, 15),
        ),
        steps,
    )  # fmt: skip
    assert renewing.deadline_as_written is not None and in_days.deadline_as_written is not None
    items = [
        (
            "**Not renewing.** The agreement ends or renews on a date, and notice must reach the "
            "partner a period before it. The notice deadline is that date minus the period. "
            "Renewal on 2027-03-31 with 60 days' notice: the deadline is "
            f"{in_days.deadline_as_written}, {WORKDAYS.why_not(in_days.deadline_as_written)}, so "
            f"notice must arrive by {in_days.notice_deadline}."
        ),
        (
            "**Periods in months keep the day of the month**, moved to the month's last day when "
            "that month is shorter. Renewal on 2027-03-31 with one month's notice: the deadline "
            f"is {renewing.deadline_as_written}. Periods in days or weeks are plain counting; "
            "periods in business days count working days only. Some agreements and some laws "
            "count differently (leaving out the first day, say): where yours does, add the "
            "difference to the margin."
        ),
        (
            "**Working days.** A deadline that falls on a Saturday, a Sunday or a day your "
            "business is closed (closures you add, such as 24 Dec to 1 Jan) moves to the working "
            "day before; a meeting or a task moves to the working day after (or before, when "
            "the day after would pass the last day it is tied to); and the plan says "
            f"which moved. In the example above, {renewing.deadline_as_written} is "
            f"{WORKDAYS.why_not(renewing.deadline_as_written)}: notice must arrive by "
            f"{renewing.notice_deadline}. A key date within a week of a closure is flagged, "
            "since the partner's office may be closed around it too."
        ),
        (
            f"**Send before the deadline.** The recommended send-by date leaves a margin "
            f"(by default {DEFAULT_MARGIN} days) for delivery and for the conversation that comes "
            f"first: {renewing.send_by} in the example above. The conversation and the written "
            "notice are planned for that day."
        ),
        (
            "**How the notice arrives.** Follow the notices clause: its method, its address and "
            "when a notice counts as received. Many agreements exclude e-mail for notices. A "
            'rule such as "two business days after posting" moves the send-by date: with it, '
            f"the example's notice must be posted by {posted.latest_send}, and the recommended "
            f"send-by date is {posted.send_by}."
        ),
        (
            "**A deadline that has passed** is said plainly: the agreement renews. If you give "
            "the term, the planner moves to the next renewal. Renewal on 2027-03-31, 60 days' "
            "notice, one-year term, planned on 2027-02-15: the next deadline is "
            f"{passed.notice_deadline}, for the renewal on {passed.end_date}. A notice period "
            "longer than the term is refused: one of the two is wrong."
        ),
        (
            "**Ending for convenience.** Notice given on a date ends the agreement a period later, "
            f"with the same month rule: notice on 2027-03-31 with one month ends on "
            f"{convenience.end_date}. Notice planned for a day that is not a working day is "
            "planned for the working day after, and counted from there."
        ),
        (
            "**Ending for cause.** The cure period starts on the day the agreement says: usually "
            "the day the notice of breach is received, sometimes the day it is sent or deemed "
            "received. Enter that day. If the breach is still not put right when the period "
            "ends, ending the agreement takes a separate written termination notice. A period "
            f"of 30 days starting on 2027-01-15 runs to {cause.cure_ends}, its last day. Send "
            "the termination notice only once that day has fully passed, unless the agreement "
            f"says otherwise: the planner dates it {cause.notice_day}, the next working day. A "
            "notice period, if the agreement has one, runs from there."
        ),
        (
            "**Steps keep their order.** Each step is placed from the notice day or the last day "
            "(the checklist says which). A step tied to the notice never lands after the last "
            "day, and hand-over work tied to the last day never starts before the notice: with "
            "a short notice period it is squeezed in between. Steps whose date has already gone "
            "by come first, under *Do now*, so you can see what to catch up on; they are never "
            "put in the calendar file as events to come."
        ),
        (
            f"**Periods are written** as agreements write them: {PERIOD_EXAMPLES} (digits or "
            "words, singular or plural, any case, with or without 'not less than', 'at least' or "
            "'prior', and hyphenated as in '60-day notice'); dates as YYYY-MM-DD. A zero, "
            "negative or unreadable period is refused with a message that names the field and "
            "lists these forms."
        ),
    ]
    return "\n".join(f"{number}. {text}" for number, text in enumerate(items, start=1))
