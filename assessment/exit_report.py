"""An exit plan written out: terminal text, Markdown, an HTML fragment, iCalendar, one sentence.

Pure functions shared by the command line (partnership-exit-plan) and the planner page, so the
page's plan and downloads are the command line's, byte for byte. Every value from the steps
file is escaped (HTML) or made inert (Markdown, iCalendar).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from html import escape

from .errors import PlanError
from .exit_form import EVERY_STEP, KEY_DATES
from .exit_plan import ExitPlan, Task
from .ics import CALENDAR_ID, Event, calendar, new_id
from .periods import day_name, long_date
from .report import markdown_text, page_url

# The playbook page that says what depends on the law, and whom to ask.
LAW_PAGE = "law.md"
# Steps whose date has passed come first, under this heading.
DO_NOW = "Do now"
DO_NOW_NOTE = "their date has passed: do each now, unless it is done"


def announcement(plan: ExitPlan) -> str:
    """One sentence for a screen reader when a plan appears."""
    if plan.end_date is None:
        return "The notice deadline has passed; the notes below the key dates say what to do."
    deadline = (
        "" if plan.notice_deadline is None else f" Notice must arrive by {plan.notice_deadline}."
    )
    now = f", {len(plan.do_now)} of them to do now" if plan.do_now else ""
    return (
        f"Plan ready: {len(plan.tasks)} dated steps{now}; the last day is {plan.end_date}."
        f"{deadline}"
    )


def _step_date(task: Task) -> str:
    """A step's date as the plan shows it, with the day it moved from: 'Fri 26 Feb 2027 (moved
    from Sat 27 Feb 2027, a Saturday)'."""
    moved = f" ({task.moved_text})" if task.moved_text else ""
    return f"{long_date(task.day)}{moved}"


def to_text(plan: ExitPlan, base_url: str = "") -> str:
    """The plan as plain text for the terminal: what to do now first."""
    lines = [plan.title]
    if plan.do_now:
        lines += ["", f"{DO_NOW} ({DO_NOW_NOTE}):"]
        lines += [f"  was due {_step_date(t)}  {t.step.title}" for t in plan.do_now]
    lines += ["", "Key dates:"]
    lines += [f"  {k.day.isoformat()}  {k.label}" for k in plan.key_dates]
    lines += ["", *plan.notes]
    soon = plan.due_soon()
    if soon:
        lines += ["", "This week:"]
        lines += [f"  {t.day.isoformat()}  {t.step.title}" for t in soon]
    if plan.upcoming:
        lines += ["", "Steps:"]
        for task in plan.upcoming:
            day = f"{task.day.isoformat()} {day_name(task.day)}"
            moved = f"  ({task.moved_text})" if task.moved_text else ""
            lines.append(f"  {day}  {task.step.title}{moved}")
            lines.append(f"      {task.step.who}. {task.step.detail}")
            lines.append(f"      Read: {page_url(task.step.link, base_url)}")
    return "\n".join(lines)


def to_markdown(plan: ExitPlan, base_url: str = "", site_name: str = "") -> str:
    """The plan as a Markdown document: what to do now, the key dates, a checklist of steps."""
    lines = [f"# Exit plan: {markdown_text(plan.title)}", ""]
    made = plan.inputs.today.isoformat()
    maker = f"{markdown_text(site_name)}'s exit planner" if site_name else "the exit planner"
    lines += [f"Made on {made} with {maker}.", ""]
    if plan.do_now:
        lines += [f"## {DO_NOW}", "", f"{DO_NOW_NOTE[:1].upper()}{DO_NOW_NOTE[1:]}.", ""]
        lines += _markdown_steps(plan.do_now, base_url, due=True)
        lines.append("")
    lines += ["## Key dates", "", "| Date | What |", "| --- | --- |"]
    lines += [f"| {long_date(k.day)} | {markdown_text(k.label)} |" for k in plan.key_dates]
    lines.append("")
    lines += [f"- {markdown_text(note)}" for note in plan.notes]
    soon = plan.due_soon()
    if soon:
        lines += ["", "## This week", ""]
        lines += [f"- **{long_date(t.day)}**: {markdown_text(t.step.title)}" for t in soon]
    if plan.upcoming:
        lines += ["", "## Steps", ""]
        lines += _markdown_steps(plan.upcoming, base_url)
    law = page_url(LAW_PAGE, base_url)
    lines += [
        "",
        "This plan is a practical aid, not legal advice: your agreement and the law that governs "
        f"it decide. What to check, and with whom: [where the law decides](<{law}>).",
        "",
    ]
    return "\n".join(lines)


def _markdown_steps(tasks: tuple[Task, ...], base_url: str, *, due: bool = False) -> list[str]:
    lines = []
    for task in tasks:
        url = page_url(task.step.link, base_url)
        when = f"was due {_step_date(task)}" if due else _step_date(task)
        lines.append(f"- [ ] **{markdown_text(when)}**: {markdown_text(task.step.title)}  ")
        lines.append(
            f"  {markdown_text(task.step.who)}. {markdown_text(task.step.detail)} "
            f"[Read more](<{url}>)"
        )
    return lines


def to_html(plan: ExitPlan, base_url: str = "") -> str:
    """The plan as an HTML fragment: every value escaped, no style attribute, no script."""
    parts = [f'<p class="pp-plan-title"><strong>{escape(plan.title)}</strong></p>']
    if plan.do_now:
        parts.append(f'<h3 id="plan-do-now">{escape(DO_NOW)}</h3>')
        parts.append(f"<p>{escape(DO_NOW_NOTE[:1].upper() + DO_NOW_NOTE[1:])}.</p>")
        parts.append(_html_steps(plan.do_now, base_url, "pp-plan-do-now", "Was due"))
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
    if plan.upcoming:
        parts.append('<h3 id="plan-steps">Steps on their dates</h3>')
        parts.append(_html_steps(plan.upcoming, base_url, "pp-plan-steps", "Date"))
    return "\n".join(parts)


def _html_steps(tasks: tuple[Task, ...], base_url: str, css: str, date_heading: str) -> str:
    rows = [
        f'<table class="{css}"><thead><tr><th scope="col">{escape(date_heading)}</th>'
        '<th scope="col">Step</th><th scope="col">Who</th></tr></thead><tbody>'
    ]
    for task in tasks:
        url = escape(page_url(task.step.link, base_url))
        said = task.moved_text[:1].upper() + task.moved_text[1:]
        moved = f'<br><span class="pp-moved">{escape(said)}</span>' if said else ""
        rows.append(
            f'<tr><td><time datetime="{task.day.isoformat()}">{escape(long_date(task.day))}'
            f"</time>{moved}</td><td><strong>{escape(task.step.title)}</strong><br>"
            # The link says which step it is about (screen readers list links by their text).
            f'{escape(task.step.detail)} <a href="{url}">Read more<span '
            f'class="pp-visually-hidden"> about {escape(task.step.title)}</span></a></td>'
            f"<td>{escape(task.step.who)}</td></tr>"
        )
    rows.append("</tbody></table>")
    return "".join(rows)


# The product in a calendar's PRODID: "-//<site name>//Exit planner//EN".
PRODUCT = "Exit planner"
# A plan's id (kept with the plan, so a calendar imported again updates its events in place).
PLAN_ID = CALENDAR_ID
CalendarEvent = Event


def calendar_events(plan: ExitPlan, base_url: str = "", what: str = KEY_DATES) -> tuple[Event, ...]:
    """The plan's events: its key dates (each with a reminder a week before), then, for every
    step, its steps. A date gone by is not an event to come: it is left out."""
    today = plan.inputs.today
    events = [
        Event(f"key-{k.key}", k.day, f"Key date: {k.label}", plan.title, reminder=True)
        for k in plan.key_dates
        if k.day >= today
    ]
    if what == EVERY_STEP:
        events += [
            Event(
                f"step-{t.step.id}",
                t.day,
                t.step.title,
                f"{t.step.who}. {t.step.detail}\nRead more: {page_url(t.step.link, base_url)}",
            )
            for t in plan.upcoming
        ]
    return tuple(events)


def new_plan_id() -> str:
    """A new plan's random id (the page makes its own with the browser's crypto)."""
    return new_id()


def to_ics(
    plan: ExitPlan,
    base_url: str = "",
    *,
    plan_id: str = "",
    sequence: int = 0,
    cancelled: Mapping[str, date] | None = None,
    site_name: str = "",
    what: str = KEY_DATES,
) -> str:
    """The plan as an iCalendar file (RFC 5545): one all-day event per key date to come, each
    with a reminder a week before, and with `what` EVERY_STEP one per step to come as well.

    Each event's UID is its key in the plan with the plan's id: imported again with a higher
    `sequence`, the calendar updates its events in place. `cancelled` names the events of an
    earlier version (key -> the day they were on): those this one no longer has come as
    cancelled, so a calendar program removes them; an event whose day has gone by is left as it
    was. Without a plan id, a random one is used.
    """
    if what not in (KEY_DATES, EVERY_STEP):
        raise PlanError("calendar", f"must be {KEY_DATES} or {EVERY_STEP}")
    return calendar(
        calendar_events(plan, base_url, what),
        calendar_id=plan_id or new_plan_id(),
        domain="exit-plan",
        product=PRODUCT,
        name="Exit plan",
        stamp=plan.inputs.today,
        sequence=sequence,
        cancelled=cancelled,
        site_name=site_name,
        cancelled_summary="Cancelled: no longer in the exit plan",
        cancelled_description=plan.title,
    )
