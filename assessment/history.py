"""A reader's own results over time, kept in their browser: read, checked, shown with changes.

Results made with an earlier edition of the questions are read by question id, scored with
today's bank and marked with their edition; a kept code that cannot be read at all (another
site's, a newer edition's after a rollback, damaged) stays kept and is listed with the reason,
until the reader deletes it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from html import escape
from typing import TYPE_CHECKING

from .bank import Bank, load_bank
from .codec import Response, decode_response
from .editions import edition_mark
from .errors import AssessmentError
from .scoring import VERDICT_LABELS, earlier_verdict, score_text
from .text import excerpt

if TYPE_CHECKING:
    from .team import OverTime

# The team modules (.team, .team_report) are imported only once there is a kept result to
# show: the assessment page asks for the history as soon as Python is ready, and on a first
# visit, with nothing kept, making their dozen dataclasses would only delay that moment.

# A history longer than this shows its latest entries by day (the rest stay kept): a year of
# weekly checks.
MAX_ENTRIES = 60


@dataclass(frozen=True)
class History:
    """The readable entries of a saved history in date order (with the version each was made
    with), the entries kept but unreadable (each with why), how many were dropped (not text at
    all), and how many older entries the cap leaves out (kept, not shown)."""

    codes: tuple[str, ...]
    series: OverTime | None
    dropped: int
    versions: tuple[str, ...] = ()
    unreadable: tuple[tuple[str, str], ...] = ()
    older: int = 0

    @property
    def kept(self) -> tuple[str, ...]:
        """Every code to keep: the readable ones in date order, then the unreadable ones."""
        return (*self.codes, *(code for code, _ in self.unreadable))

    # For each kept code, what its result was told under the rules of the bank it was made
    # with, when today's rules give another verdict ("" when they agree).
    earlier: tuple[str, ...] = ()


def read_history(codes: Sequence[object], bank: Bank | None = None) -> History:
    """Check each saved share code: those with a day, of this bank or an earlier edition, are
    read; the rest are kept aside with the reason; only what is not text is dropped."""
    bank = bank or load_bank()
    kept: list[tuple[str, Response]] = []
    unreadable: list[tuple[str, str]] = []
    dropped = 0
    for code in codes:
        if not isinstance(code, str):
            dropped += 1
            continue
        try:
            response = decode_response(code, bank)
        except AssessmentError as error:
            unreadable.append((code, str(error)))
            continue
        if response.given is None:
            unreadable.append((code, "It carries no date, so it cannot be placed in time."))
            continue
        kept.append((code, response))
    # The latest by their day, whatever order the browser listed them in.
    kept.sort(key=lambda item: item[1].given or date.min)
    older = max(0, len(kept) - MAX_ENTRIES)
    kept = kept[older:]
    if not kept:
        return History((), None, dropped, (), tuple(unreadable), older=older)
    from .team import over_time

    series = over_time([[response] for _, response in kept], bank)
    order = [point.inputs[0] - 1 for point in series.points]
    return History(
        tuple(kept[i][0] for i in order),
        series,
        dropped,
        tuple(kept[i][1].bank_version for i in order),
        tuple(unreadable),
        earlier=tuple(_earlier(kept[i][1], bank) for i in order),
        older=older,
    )


def _earlier(response: Response, bank: Bank) -> str:
    """'Under the rules of 2026.2 this was Repair.' when today's rules decide otherwise."""
    then = earlier_verdict(response.answers, bank, response.bank_version)
    if then is None:
        return ""
    return f"Under the rules of {response.bank_version} this was {VERDICT_LABELS[then]}."


def to_html(history: History, bank: Bank | None = None) -> str:
    """The history as a table (newest first) with the change since the previous result, each
    result of an earlier edition marked; then the kept results that cannot be read."""
    bank = bank or load_bank()
    if history.series is None:
        empty = '<p id="pp-history-empty">No results are kept in this browser yet.</p>'
        return (empty if not history.unreadable else "") + _unreadable_html(history)
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
        mark = edition_mark(history.versions[index], bank) if history.versions else ""
        day = point.given.isoformat() + (f" ({mark})" if mark else "")
        rows.append(
            "<tr>"
            f"<td>{escape(day)}</td>"
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
        f"<tbody>{''.join(rows)}</tbody></table>" + _unreadable_html(history)
    )


def _unreadable_html(history: History) -> str:
    """The kept results that cannot be read, each with why and its own delete button."""
    if not history.unreadable:
        return ""
    items = "".join(
        f"<li>{escape(excerpt(code))}: {escape(reason)} "
        f'<button type="button" class="md-button" data-history-delete="{escape(code)}" '
        f'aria-label="Delete the kept result {escape(excerpt(code))}">Delete</button></li>'
        for code, reason in history.unreadable
    )
    count = len(history.unreadable)
    return (
        f'<p id="pp-history-unreadable">{count} kept result{"" if count == 1 else "s"} '
        "cannot be shown here; kept in this browser until you delete "
        f"{'it' if count == 1 else 'them'}:</p><ul>{items}</ul>"
    )
