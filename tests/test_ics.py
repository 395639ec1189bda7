"""The iCalendar writer's shared rules: the next version of a calendar a page kept."""

from __future__ import annotations

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from assessment.ics import CALENDAR_ID, new_id, next_version

anything = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=12),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner),
    max_leaves=8,
)


def test_a_kept_calendar_gives_its_id_the_next_sequence_and_its_events_to_cancel() -> None:
    """What the page kept last time: the same id, the sequence one higher, its events by day."""
    kept = {"plan_id": "abc-12345", "sequence": 3, "events": {"key-end": "2027-02-26"}}
    version = next_version(kept, "plan_id")
    assert version.calendar_id == "abc-12345"
    assert version.sequence == 4
    assert version.cancelled == {"key-end": date(2027, 2, 26)}


@given(st.dictionaries(st.sampled_from(["plan_id", "sequence", "events", "other"]), anything))
def test_anything_kept_reads_as_a_version_never_an_error(kept: dict[str, object]) -> None:
    """Whatever a page sends as kept, the next version is readable: an unreadable sequence
    starts again at 0, an unreadable event is left out, a missing id is empty."""
    version = next_version(kept, "plan_id")
    sequence = kept.get("sequence")
    valid = isinstance(sequence, int) and not isinstance(sequence, bool) and sequence >= 0
    assert version.sequence == (sequence + 1 if valid and isinstance(sequence, int) else 0)
    assert all(isinstance(day, date) for day in version.cancelled.values())
    events = kept.get("events")
    assert set(version.cancelled) <= (
        {str(key) for key in events} if isinstance(events, dict) else set()
    )
    assert version.calendar_id == str(kept.get("plan_id") or "")


def test_a_new_id_is_a_calendar_id_and_never_the_same_twice() -> None:
    """A plan's or a decision's new id is one the calendar accepts, and random: a thousand
    differ."""
    ids = [new_id() for _ in range(1000)]
    assert all(CALENDAR_ID.match(made) for made in ids)
    assert len(set(ids)) == len(ids)
