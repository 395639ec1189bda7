"""The reader's kept results: bad entries dropped, order by day, changes between results."""

from __future__ import annotations

from datetime import date, timedelta
from html.parser import HTMLParser

from assessment import encode, load_bank
from assessment.history import MAX_ENTRIES, read_history, to_html

BANK = load_bank()


def test_entries_are_ordered_by_day_and_bad_ones_kept_aside() -> None:
    """Codes come back oldest first; an unreadable entry is kept aside with why (only the
    reader deletes it); what is not text at all is dropped."""
    some = BANK.question_ids[:20]
    older = encode(dict.fromkeys(some, 1), given=date(2026, 1, 5))
    newer = encode(dict.fromkeys(some, 5), given=date(2026, 7, 5))
    history = read_history([newer, "not a code", 42, older])
    assert history.codes == (older, newer)
    assert [code for code, _ in history.unreadable] == ["not a code"]
    assert history.kept == (older, newer, "not a code")
    assert history.dropped == 1
    assert history.series is not None
    assert [c for c in history.series.latest_changes if c.delta], "no score moved"


def test_nothing_readable_is_an_empty_history_that_keeps_the_unreadable() -> None:
    """A history with no readable entry shows no table, and lists what it keeps unread."""
    history = read_history(["1-0-AAAA"])
    assert history.series is None and history.dropped == 0
    assert history.kept == ("1-0-AAAA",)
    assert "No results" in to_html(read_history([]))
    assert "1 kept result cannot be shown here" in to_html(history)
    assert "made with version 0 of the questions" in to_html(history)


def test_only_the_latest_entries_are_shown() -> None:
    """A history past its cap shows the latest entries and counts the older ones apart: they
    were not damaged, only left out (they stay in the browser)."""
    first = BANK.question_ids[0]
    codes = [
        encode({first: 1 + n % 5}, given=date(2025, 1, 1) + timedelta(days=n))
        for n in range(MAX_ENTRIES + 5)
    ]
    # Listed in any order (the browser sorts its list by code): the latest by day are shown.
    history = read_history([*sorted(codes), 7])
    assert (history.older, history.dropped, history.unreadable) == (5, 1, ())
    assert history.codes == tuple(codes[5:])
    assert read_history(codes[-MAX_ENTRIES:]).older == 0


def test_the_table_escapes_and_parses() -> None:
    """The rendered table is well-formed HTML with one delete button per kept result."""
    codes = [encode({BANK.question_ids[0]: level}, given=date(2026, level, 1)) for level in (1, 3)]
    html = to_html(read_history(codes))
    buttons: list[str] = []

    class Buttons(HTMLParser):
        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            if tag == "button":
                buttons.append(dict(attrs)["data-history-delete"] or "")

    Buttons().feed(html)
    assert sorted(buttons) == sorted(codes)
    assert "<script" not in html
