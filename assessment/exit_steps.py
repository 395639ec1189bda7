"""The exit steps file (exit_steps.toml): read, checked, and each step placed on its day.

The one source of the exit steps: the planner dates them (exit_plan.py) and the exit timeline
page draws them relative to the last day (macros/exit.py), both by the rule in schedule().
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any, NoReturn

from .datafile import ID, PAGE_LINK, load_data
from .errors import StepsError

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
    if not ID.match(step_id):
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
    if not PAGE_LINK.match(link):
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


def place(
    steps: tuple[ExitStep, ...], notice_day: date, end_day: date
) -> tuple[tuple[date, ExitStep], ...]:
    """Every step on its day (schedule), in date order; a day's steps keep the file's order."""
    placed = [schedule(s, notice_day, end_day) for s in steps]
    order = sorted(range(len(steps)), key=lambda i: (placed[i], i))
    return tuple((placed[i], steps[i]) for i in order)


def relative_timeline(
    steps: tuple[ExitStep, ...], notice_days: int = 28
) -> tuple[tuple[int, ExitStep], ...]:
    """Each step's day relative to the last day, for a notice period of `notice_days` days."""
    # The very rule the dated plan uses, applied to a notional last day.
    end_day = date(2001, 1, 1)
    notice_day = end_day - timedelta(days=notice_days)
    return tuple(((day - end_day).days, step) for day, step in place(steps, notice_day, end_day))
