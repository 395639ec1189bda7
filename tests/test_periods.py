"""Periods and dates (assessment/periods.py): reading them, and the month arithmetic."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assessment.errors import PlanError
from assessment.periods import Period, add_months, days_in_month, parse_date, parse_period

dates = st.dates(min_value=date(1990, 1, 1), max_value=date(2150, 12, 31))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("60 days", Period(60, "day")),
        ("1 day", Period(1, "day")),
        ("8 Weeks", Period(8, "week")),
        ("1 month", Period(1, "month")),
        ("1 months", Period(1, "month")),
        (" 3 MONTH ", Period(3, "month")),
        ("1 year", Period(1, "year")),
        ("2years", Period(2, "year")),
    ],
)
def test_periods_are_read_leniently(text: str, expected: Period) -> None:
    """Singular or plural, any case, spaces around: the period is read."""
    assert parse_period(text, "notice") == expected


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("0 days", "longer than zero"),
        ("-1 month", "longer than zero"),
        ("60", "cannot read"),
        ("a month", "cannot read"),
        ("1 fortnight", "cannot read"),
        ("", "is missing"),
        ("11 years", "ten years"),
    ],
)
def test_unreadable_periods_are_refused_naming_the_field(text: str, problem: str) -> None:
    """Zero, negative, unknown units and absurd lengths raise PlanError for the field."""
    with pytest.raises(PlanError, match=problem) as caught:
        parse_period(text, "cure")
    assert caught.value.field == "cure"
    assert str(caught.value).startswith("cure: ")


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("2027-02-30", "not a real date"),
        ("2027-2-3", "YYYY-MM-DD"),
        ("31/03/2027", "YYYY-MM-DD"),
        ("", "is missing"),
        ("1850-01-01", "between"),
    ],
)
def test_impossible_dates_are_refused_naming_the_field(text: str, problem: str) -> None:
    """A date that is not a real YYYY-MM-DD date raises PlanError for the field."""
    with pytest.raises(PlanError, match=problem) as caught:
        parse_date(text, "renews")
    assert caught.value.field == "renews"


@settings(max_examples=200)
@given(day=dates, months=st.integers(min_value=-240, max_value=240))
def test_month_arithmetic_keeps_the_day_clamped_to_the_month_end(day: date, months: int) -> None:
    """add_months lands in the right month, on the same day or that month's last day."""
    moved = add_months(day, months)
    assert (moved.year * 12 + moved.month) - (day.year * 12 + day.month) == months
    assert moved.day == min(day.day, days_in_month(moved.year, moved.month))
    assert moved.day == day.day or moved.day == days_in_month(moved.year, moved.month)


@settings(max_examples=100)
@given(year=st.integers(min_value=1900, max_value=2199))
def test_leap_years_give_february_its_29th(year: int) -> None:
    """January 31 plus a month is February 29 exactly in leap years (the Gregorian rule)."""
    leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
    assert add_months(date(year, 1, 31), 1) == date(year, 2, 29 if leap else 28)
    assert add_months(date(year, 3, 31), -1) == date(year, 2, 29 if leap else 28)
