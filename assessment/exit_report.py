"""An exit plan written out: terminal text, Markdown, an HTML fragment, iCalendar, one sentence.

Pure functions shared by the command line (partnership-exit-plan) and the planner page, so the
page's plan and downloads are the command line's, byte for byte. Every value from the steps
file is escaped (HTML) or made inert (Markdown, iCalendar).
"""

from __future__ import annotations

import hashlib
from datetime import timedelta
from html import escape

from .exit_plan import ExitPlan
from .periods import day_name, long_date
from .report import markdown_text, page_url


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
