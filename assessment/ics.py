"""iCalendar (RFC 5545) files of all-day events: the exit plan's and the decision's calendars.

One writer for both: each event is an all-day event (DTSTART and the day after as DTEND, both
VALUE=DATE) whose UID is its key in the plan or decision with that plan's or decision's random
id, so a calendar imported again with a higher SEQUENCE updates its events in place; an event
an earlier version had and this one has not comes as cancelled. An event may carry a reminder
(VALARM) a week before. Text is escaped and lines folded at 75 octets. Pure standard library.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from .errors import PlanError

# A plan's or decision's id (kept with it, so a calendar imported again updates its events in
# place): letters, digits and dashes, as a random UUID or a random hex id is written.
CALENDAR_ID = re.compile(r"^[A-Za-z0-9-]{8,64}$")
ID_RULE = "must be 8 to 64 letters, digits or dashes"
# The key of the id in what is kept of a plan's or a decision's calendar (a page's storage, the
# decision file); the manifest gives the pages' scripts the same names (page_facts.py).
PLAN_ID, DECISION_ID = "plan_id", "decision_id"
# The random bytes of a new id, written in hex: 128 bits, as many as a random UUID holds.
ID_BYTES = 16
MAX_SEQUENCE = 1_000_000
# An event's key in its plan: "key-notice_deadline", "step-send_notice", "decide-by".
EVENT_KEY = re.compile(r"^[a-z]+-[a-z0-9_]{1,40}$")
# A reminder a week before an all-day event: at 09:00 on that day (the event starts at 00:00).
REMINDER_TRIGGER = "-P6DT15H"


@dataclass(frozen=True)
class Event:
    """One all-day event: its key (the same event in every version), day and words."""

    key: str
    day: date
    summary: str
    description: str
    reminder: bool = False


@dataclass(frozen=True)
class NextVersion:
    """The next version of a calendar a page gave before: its id, its next sequence number,
    and the events it held (key to day), which the new version cancels if it has them not."""

    calendar_id: str
    sequence: int
    cancelled: dict[str, date]


def next_version(kept: Mapping[str, object], id_key: str) -> NextVersion:
    """Read what a page kept of its last calendar (`id_key`: the id's name there, "sequence",
    "events") as the next version; anything unreadable counts as never given."""
    previous = kept.get("events")
    cancelled = {}
    for key, day in previous.items() if isinstance(previous, Mapping) else ():
        try:
            cancelled[str(key)] = date.fromisoformat(str(day))
        except ValueError:
            continue
    sequence = kept.get("sequence")
    readable = isinstance(sequence, int) and not isinstance(sequence, bool) and sequence >= 0
    following = sequence + 1 if readable and isinstance(sequence, int) else 0
    return NextVersion(str(kept.get(id_key) or ""), following, cancelled)


def new_id() -> str:
    """A new random id for a plan or a decision, in hex (the page makes its own in the browser)."""
    return secrets.token_hex(ID_BYTES)


def check_id(calendar_id: str, sequence: int, field: str = PLAN_ID) -> None:
    """Refuse an id or a sequence number a calendar cannot carry (PlanError naming it)."""
    if not CALENDAR_ID.match(calendar_id):
        raise PlanError(field, ID_RULE)
    if isinstance(sequence, bool) or not 0 <= sequence <= MAX_SEQUENCE:
        raise PlanError("sequence", f"must be a whole number from 0 to {MAX_SEQUENCE}")


def read_sequence(text: str) -> int:
    """A calendar's sequence number as typed (a command-line option), or PlanError naming it."""
    digits = text.strip()
    # Checked as text first: int() of thousands of digits is Python's error, not the field's.
    short = digits.isascii() and digits.isdigit() and len(digits) <= len(str(MAX_SEQUENCE))
    if short and int(digits) <= MAX_SEQUENCE:
        return int(digits)
    raise PlanError("sequence", f"must be a whole number from 0 to {MAX_SEQUENCE}")


def calendar(
    events: Iterable[Event],
    *,
    calendar_id: str,
    domain: str,
    product: str,
    name: str,
    stamp: date,
    sequence: int = 0,
    cancelled: Mapping[str, date] | None = None,
    site_name: str = "",
    cancelled_summary: str = "Cancelled",
    cancelled_description: str = "",
) -> str:
    """The events as an iCalendar file with CRLF line ends.

    `cancelled` names the events of an earlier version (key -> the day they were on): those
    this version does not have come as cancelled, so a calendar program removes them; but an
    event whose day had gone by (before `stamp`, the day the file is made) is left as it was.
    """
    check_id(calendar_id, sequence)
    stamped = f"{stamp:%Y%m%d}T000000Z"
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:-//{text_value(site_name or product)}//{text_value(product)}//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{text_value(name)}",
    ]
    events = tuple(events)
    current = {event.key for event in events}
    for event in events:
        lines += _event(event, calendar_id, domain, sequence, stamped)
    for key, day in sorted((cancelled or {}).items()):
        if key in current or day < stamp or not EVENT_KEY.match(key):
            continue
        gone = Event(key, day, cancelled_summary, cancelled_description)
        lines += _event(gone, calendar_id, domain, sequence, stamped, cancelled=True)
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)


def _event(
    event: Event, calendar_id: str, domain: str, sequence: int, stamp: str, *,
    cancelled: bool = False,
) -> list[str]:  # fmt: skip
    """The lines of one VEVENT (and its VALARM)."""
    lines = [
        "BEGIN:VEVENT",
        f"UID:{event.key}.{calendar_id}@{domain}",
        f"DTSTAMP:{stamp}",
        f"SEQUENCE:{sequence}",
        f"DTSTART;VALUE=DATE:{event.day:%Y%m%d}",
        f"DTEND;VALUE=DATE:{event.day + timedelta(days=1):%Y%m%d}",
        f"SUMMARY:{text_value(event.summary)}",
        f"DESCRIPTION:{text_value(event.description)}",
        *(["STATUS:CANCELLED"] if cancelled else []),
        "TRANSP:TRANSPARENT",
    ]
    if event.reminder and not cancelled:
        lines += [
            "BEGIN:VALARM",
            "ACTION:DISPLAY",
            f"DESCRIPTION:{text_value('In a week: ' + event.summary)}",
            f"TRIGGER:{REMINDER_TRIGGER}",
            "END:VALARM",
        ]
    lines.append("END:VEVENT")
    return lines


def text_value(text: str) -> str:
    """A TEXT value escaped as RFC 5545 section 3.3.11 requires."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = "".join(ch for ch in text if ch == "\n" or ch.isprintable())
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def fold(line: str) -> str:
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
