"""A reader's own results over time, kept in their browser: read, checked, shown with changes."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape
from typing import TYPE_CHECKING

from .bank import Bank, load_bank
from .codec import Response, decode_response
from .errors import AssessmentError
from .scoring import VERDICT_LABELS, earlier_verdict, score_text

if TYPE_CHECKING:
    from .team import OverTime

# The team modules (.team, .team_report) are imported only once there is a kept result to
# show: the assessment page asks for the history as soon as Python is ready, and on a first
# visit, with nothing kept, making their dozen dataclasses would only delay that moment.

# A history longer than this is trimmed to its latest entries: a year of weekly checks.
MAX_ENTRIES = 60


@dataclass(frozen=True)
class History:
    """The readable entries of a saved history, in date order, and what was dropped."""

    codes: tuple[str, ...]
    series: OverTime | None
    dropped: int
    # For each kept code, what its result was told under the rules of the bank it was made
    # with, when today's rules give another verdict ("" when they agree).
    earlier: tuple[str, ...] = ()


def read_history(codes: Sequence[object], bank: Bank | None = None) -> History:
    """Check each saved share code; keep those of this bank with a day, drop the rest."""
    bank = bank or load_bank()
    kept: list[tuple[str, Response]] = []
    dropped = 0
    for code in list(codes)[-MAX_ENTRIES:]:
        try:
            if not isinstance(code, str):
                raise AssessmentError("not a share code")
            response = decode_response(code, bank)
        except AssessmentError:
            dropped += 1
            continue
        if response.given is None:
            dropped += 1
            continue
        kept.append((code, response))
    dropped += max(0, len(codes) - MAX_ENTRIES)
    if not kept:
        return History((), None, dropped)
    from .team import over_time

    series = over_time([[response] for _, response in kept], bank)
    order = [point.inputs[0] - 1 for point in series.points]
    return History(
        tuple(kept[i][0] for i in order),
        series,
        dropped,
        tuple(_earlier(kept[i][1], bank) for i in order),
    )


def _earlier(response: Response, bank: Bank) -> str:
    """'Under the rules of 2026.2 this was Repair.' when today's rules decide otherwise."""
    then = earlier_verdict(response.answers, bank, response.bank_version)
    if then is None:
        return ""
    return f"Under the rules of {response.bank_version} this was {VERDICT_LABELS[then]}."


def to_html(history: History) -> str:
    """The history as a table (newest first) with the change since the previous result."""
    if history.series is None:
        return '<p id="pp-history-empty">No results are kept in this browser yet.</p>'
    from .team_report import delta_text

    rows = []
    points = history.series.points
    for index in reversed(range(len(points))):
        point = points[index]
        result = point.result
        moved = [c for c in history.series.changes(index) if c.delta]
        if index == 0:
            change = "First kept result."
        elif not moved:
            change = "No score changed."
        else:
            change = "; ".join(f"{c.title} {delta_text(c.delta)}" for c in moved)
        if index and points[index - 1].result.verdict != result.verdict:
            change = f"Verdict was {points[index - 1].result.verdict_label}. {change}"
        if index < len(history.earlier) and history.earlier[index]:
            change = f"{history.earlier[index]} {change}"
        code = escape(history.codes[index])
        rows.append(
            "<tr>"
            f"<td>{escape(point.given.isoformat())}</td>"
            f"<td>{escape(result.verdict_label)}</td>"
            f"<td>{escape(score_text(result.overall))}</td>"
            f"<td>{escape(change)}</td>"
            f'<td><button type="button" class="md-button" data-history-delete="{code}" '
            f'aria-label="Delete the result of {escape(point.given.isoformat())}">Delete'
            "</button></td></tr>"
        )
    return (
        '<table id="pp-history-table"><caption>Your results kept in this browser, newest '
        'first</caption><thead><tr><th scope="col">Day</th><th scope="col">Verdict</th>'
        '<th scope="col">Overall</th><th scope="col">Change since the previous one</th>'
        '<th scope="col"><span class="pp-visually-hidden">Delete</span></th></tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>"
    )
