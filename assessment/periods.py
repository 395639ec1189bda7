"""Periods and dates as agreements write them: read, counted on the calendar, written out.

The exit planner counts with these, and so does anything else that works with an agreement's
dates; ways of counting (working days, days a business is closed) and more phrasings of a
period belong here too. Pure standard library, no I/O.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from .errors import PlanError
from .text import excerpt

EARLIEST = date(1900, 1, 1)
LATEST = date(2199, 12, 31)
# Periods as a person may write them, for messages, hints and help.
EXAMPLE_PERIODS = ("60 days", "8 weeks", "1 month", "3 months", "1 year")
PERIOD_EXAMPLES = ", ".join(f"'{p}'" for p in EXAMPLE_PERIODS[:-1]) + f" or '{EXAMPLE_PERIODS[-1]}'"
MISSING_PERIOD = f"is missing (write e.g. {PERIOD_EXAMPLES})"
# Upper bounds keep every computed date far inside what datetime.date can hold.
_MAX_COUNT = {"day": 3660, "week": 520, "month": 120, "year": 10}
_PERIOD = re.compile(r"^\s*([+-]?)(\d+)\s*(day|week|month|year)s?\s*$", re.IGNORECASE)
# A number written with more significant digits than this is beyond every limit: it is never
# converted (Python refuses to convert more than 4,300 digits, and a long one is slow).
_MAX_DIGITS = 9
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# How much of an unreadable value a message quotes.
_QUOTED = 40
_DAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTH_NAMES = (
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
)  # fmt: skip


@dataclass(frozen=True)
class Period:
    """A length of time as agreements state it: a count of days, weeks, months or years."""

    count: int
    unit: str  # "day", "week", "month" or "year"

    def __str__(self) -> str:
        return f"{self.count} {self.unit}{'' if self.count == 1 else 's'}"

    def months(self) -> int | None:
        """The period in calendar months, or None for periods counted in days."""
        return _count(self, _MONTHS_IN)

    def days(self) -> int | None:
        """The period in days, or None for periods counted in calendar months."""
        return _count(self, _DAYS_IN)


# A period is counted on the calendar in months (month, year) or in days (day, week).
_MONTHS_IN = {"month": 1, "year": 12}
_DAYS_IN = {"day": 1, "week": 7}


def _count(period: Period, per_unit: dict[str, int]) -> int | None:
    per = per_unit.get(period.unit)
    return None if per is None else per * period.count


# -- Counting on the calendar -----------------------------------------------------------------


def days_in_month(year: int, month: int) -> int:
    """The number of days in one month of the Gregorian calendar."""
    if month == 2:
        leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
        return 29 if leap else 28
    return 30 if month in (4, 6, 9, 11) else 31


def add_months(day: date, months: int) -> date:
    """The same day of the month `months` later (or earlier), clamped to the month's last day."""
    year, month_index = divmod(day.year * 12 + day.month - 1 + months, 12)
    month = month_index + 1
    return date(year, month, min(day.day, days_in_month(year, month)))


def shift(day: date, period: Period, times: int = 1) -> date:
    """`day` moved by `times` periods (negative: earlier); months keep the day, clamped."""
    months = period.months()
    if months is not None:
        return add_months(day, months * times)
    return day + timedelta(days=(period.days() or 0) * times)


# -- Reading what a person wrote ----------------------------------------------------------------


def parse_period(text: str, field: str) -> Period:
    """A period such as '60 days', '8 weeks' or '1 month', or PlanError naming the field."""
    if not text.strip():
        raise PlanError(field, MISSING_PERIOD)
    match = _PERIOD.match(text)
    if match is None:
        raise PlanError(
            field,
            f"cannot read '{excerpt(text, _QUOTED)}' as a period (write e.g. {PERIOD_EXAMPLES})",
        )
    sign, digits, unit = match.group(1), match.group(2), match.group(3).lower()
    count = -bounded_number(digits) if sign == "-" else bounded_number(digits)
    if count <= 0:
        raise PlanError(field, f"must be longer than zero (it is '{excerpt(text, _QUOTED)}')")
    if count > _MAX_COUNT[unit]:
        raise PlanError(field, f"is longer than ten years ('{excerpt(text, _QUOTED)}')")
    return Period(count, unit)


def bounded_number(digits: str) -> int:
    """The whole number written in `digits`, or 10**_MAX_DIGITS for any larger one."""
    significant = digits.lstrip("0")
    return 10**_MAX_DIGITS if len(significant) > _MAX_DIGITS else int(significant or "0")


def parse_date(text: str, field: str) -> date:
    """A date written YYYY-MM-DD, or PlanError naming the field."""
    text = text.strip()
    if not text:
        raise PlanError(field, "is missing (write the date as YYYY-MM-DD, e.g. 2027-03-31)")
    if not _ISO_DATE.match(text):
        raise PlanError(field, f"'{excerpt(text, _QUOTED)}' is not a date written YYYY-MM-DD")
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise PlanError(field, f"'{text}' is not a real date") from None
    if not EARLIEST <= day <= LATEST:
        raise PlanError(field, f"must be between {EARLIEST} and {LATEST}")
    return day


# -- Writing dates out ------------------------------------------------------------------------


def day_name(day: date) -> str:
    """'Sun': the day of the week, the same in every locale."""
    return _DAY_NAMES[day.weekday()]


def long_date(day: date) -> str:
    """'Sun 28 Feb 2027': the same in every locale."""
    return f"{day_name(day)} {day.day} {_MONTH_NAMES[day.month - 1]} {day.year}"
