"""An exit plan written out: terminal text, Markdown, an HTML fragment, iCalendar, one sentence.

Pure functions shared by the command line (partnership-exit-plan) and the planner page, so the
page's plan and downloads are the command line's, byte for byte. Every value from the steps
file is escaped (HTML) or made inert (Markdown, iCalendar).
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from html import escape

from .errors import PlanError
from .exit_plan import ExitPlan
from .periods import day_name, long_date
from .report import markdown_text, page_url

# The playbook page that says what depends on the law, and whom to ask.
LAW_PAGE = "law.md"


def announcement(plan: ExitPlan) -> str:
    """One sentence for a screen reader when a plan appears."""
    if plan.end_date is None:
        return "The notice deadline has passed; the notes below the key dates say what to do."
    deadline = (
        "" if plan.notice_deadline is None else f" Notice must arrive by {plan.notice_deadline}."
    )
    return f"Plan ready: {len(plan.tasks)} dated steps; the last day is {plan.end_date}.{deadline}"


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
            day = f"{task.day.isoformat()} {day_name(task.day)}"
            lines.append(f"  {day}  {task.step.title}{flag}")
            lines.append(f"      {task.step.who}. {task.step.detail}")
            lines.append(f"      Read: {page_url(task.step.link, base_url)}")
    return "\n".join(lines)


def to_markdown(plan: ExitPlan, base_url: str = "", site_name: str = "") -> str:
    """The plan as a Markdown document with a checklist of dated steps."""
    lines = [f"# Exit plan: {markdown_text(plan.title)}", ""]
    made = plan.inputs.today.isoformat()
    maker = f"{markdown_text(site_name)}'s exit planner" if site_name else "the exit planner"
    lines += [f"Made on {made} with {maker}.", ""]
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
    law = page_url(LAW_PAGE, base_url)
    lines += [
        "",
        "This plan is a practical aid, not legal advice: your agreement and the law that governs "
        f"it decide. What to check, and with whom: [where the law decides](<{law}>).",
        "",
    ]
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


# The product in a calendar's PRODID: "-//<site name>//Exit planner//EN".
PRODUCT = "Exit planner"
# A plan's id (kept with the plan, so a calendar imported again updates its events in place):
# letters, digits and dashes, as a random UUID is written.
PLAN_ID = re.compile(r"^[A-Za-z0-9-]{8,64}$")


@dataclass(frozen=True)
class CalendarEvent:
    """One all-day event of a plan's calendar: its key in the plan, day and words."""

    key: str  # "key-<key date>" or "step-<step id>": the same event in every version
    day: date
    summary: str
    description: str


def calendar_events(plan: ExitPlan, base_url: str = "") -> tuple[CalendarEvent, ...]:
    """The events of the plan's calendar: its key dates, then its steps."""
    events = [
        CalendarEvent(f"key-{k.key}", k.day, f"Key date: {k.label}", plan.title)
        for k in plan.key_dates
    ]
    events += [
        CalendarEvent(
            f"step-{t.step.id}",
            t.day,
            t.step.title,
            f"{t.step.who}. {t.step.detail}\nRead more: {page_url(t.step.link, base_url)}",
        )
        for t in plan.tasks
    ]
    return tuple(events)


def new_plan_id() -> str:
    """A new plan's random id (the page makes its own with the browser's crypto.randomUUID)."""
    return str(uuid.uuid4())


def to_ics(
    plan: ExitPlan,
    base_url: str = "",
    *,
    plan_id: str = "",
    sequence: int = 0,
    cancelled: Mapping[str, date] | None = None,
    site_name: str = "",
) -> str:
    """The plan as an iCalendar file (RFC 5545): one all-day event per key date and step.

    Each event's UID is its key in the plan with the plan's id: imported again with a higher
    `sequence`, the calendar updates its events in place. `cancelled` names the events of an
    earlier version that this one no longer has (key -> the day they were on): they come as
    cancelled, so a calendar program removes them. Without a plan id, a random one is used.
    """
    plan_id = plan_id or new_plan_id()
    if not PLAN_ID.match(plan_id):
        raise PlanError("plan_id", "must be 8 to 64 letters, digits or dashes")
    if not 0 <= sequence <= 1_000_000:
        raise PlanError("sequence", "must be a whole number from 0 to 1000000")
    stamp = f"{plan.inputs.today:%Y%m%d}T000000Z"
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:-//{_ics_text(site_name or PRODUCT)}//{PRODUCT}//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{_ics_text('Exit plan')}",
    ]
    events = calendar_events(plan, base_url)
    current = {event.key for event in events}
    gone = sorted((cancelled or {}).items())
    for event in events:
        lines += _event(event, plan_id, sequence, stamp)
    for key, day in gone:
        if key in current or not re.match(r"^[a-z]+-[a-z0-9_]{1,40}$", key):
            continue
        gone_event = CalendarEvent(key, day, "Cancelled: no longer in the exit plan", plan.title)
        lines += _event(gone_event, plan_id, sequence, stamp, cancelled=True)
    lines.append("END:VCALENDAR")
    return "".join(_fold(line) + "\r\n" for line in lines)


def _event(
    event: CalendarEvent, plan_id: str, sequence: int, stamp: str, *, cancelled: bool = False
) -> list[str]:
    """The lines of one VEVENT."""
    return [
        "BEGIN:VEVENT",
        f"UID:{event.key}.{plan_id}@exit-plan",
        f"DTSTAMP:{stamp}",
        f"SEQUENCE:{sequence}",
        f"DTSTART;VALUE=DATE:{event.day:%Y%m%d}",
        f"DTEND;VALUE=DATE:{event.day + timedelta(days=1):%Y%m%d}",
        f"SUMMARY:{_ics_text(event.summary)}",
        f"DESCRIPTION:{_ics_text(event.description)}",
        *(["STATUS:CANCELLED"] if cancelled else []),
        "TRANSP:TRANSPARENT",
        "END:VEVENT",
    ]


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
