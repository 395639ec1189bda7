"""Periods and dates as agreements write them: read, counted on the calendar, written out.

The exit planner counts with these, and so does the decision page: a period as people write
it ("three months", "3 calendar months", "not less than 60 days", "60-day", "a fortnight",
"30 business days", "1 yr"), a date, the days a business is closed ("24 Dec to 1 Jan"), and
the working-day calendar they make (Monday to Friday, less the closures), on which business
days are counted and onto which a deadline or a task is moved. Pure standard library, no I/O.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from .errors import PlanError
from .text import ONES, excerpt

EARLIEST = date(1900, 1, 1)
LATEST = date(2199, 12, 31)
# Periods as a person may write them, for messages, hints and help: each a form that is read.
EXAMPLE_PERIODS = (
    "60 days",
    "three months",
    "3 calendar months",
    "3 months' notice",
    "90 calendar days",
    "30 business days",
    "six weeks",
    "1 yr",
)
PERIOD_EXAMPLES = ", ".join(f"'{p}'" for p in EXAMPLE_PERIODS[:-1]) + f" or '{EXAMPLE_PERIODS[-1]}'"
MISSING_PERIOD = f"is missing (write e.g. {PERIOD_EXAMPLES})"
# The units a period is counted in, and how each is written out (singular, plural).
UNITS = ("day", "business_day", "week", "month", "year")
UNIT_NAMES = {
    "day": ("day", "days"),
    "business_day": ("business day", "business days"),
    "week": ("week", "weeks"),
    "month": ("month", "months"),
    "year": ("year", "years"),
}
# What a person may write for each unit (lower case). "calendar" may come before the words of
# CALENDAR_UNITS ("90 calendar days", "3 calendar months": the same as days and months).
UNIT_WORDS = {
    "day": ("day", "days"),
    "business_day": ("business day", "business days", "working day", "working days"),
    "week": ("week", "weeks", "wk", "wks"),
    "month": ("month", "months", "mth", "mths", "mo", "mos"),
    "year": ("year", "years", "yr", "yrs"),
}
CALENDAR_UNITS = ("day", "month")
# A fortnight is two weeks ("a fortnight", "two fortnights"); "fortnight" alone is one.
FORTNIGHT_WORDS = ("fortnight", "fortnights")
WEEKS_IN_FORTNIGHT = 2
# After the unit: "notice" as agreements write it ("3 months' notice", "90 days prior notice").
NOTICE_WORDS = ("notice", "written notice", "prior notice", "prior written notice", "prior")
# Before the number: a minimum, which is the period itself ("not less than 60 days" is 60 days).
AT_LEAST_WORDS = (
    "not less than", "no less than", "not fewer than", "no fewer than", "at least", "a minimum of",
)  # fmt: skip
# Joined to the number by a hyphen, the singular words ("60-day", "sixty (60)-day notice",
# "30-business-day"), where a hyphen may stand for each space ("60-calendar-day").
HYPHEN_WORDS = {
    unit: tuple(word for word in words if not word.endswith("s"))
    for unit, words in UNIT_WORDS.items()
}
# Upper bounds keep every computed date far inside what datetime.date can hold: ten years.
MAX_COUNT = {"day": 3660, "business_day": 2610, "week": 520, "month": 120, "year": 10}
# Words for a number, from one to this (and "a" or "an" for one).
MAX_WORD_NUMBER = 999
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# How much of an unreadable value a message quotes.
_QUOTED = 40
_DAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTH_NAMES = (
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
)  # fmt: skip


@dataclass(frozen=True)
class Period:
    """A length of time as agreements state it: a count of days, business days, weeks, months
    or years. Its canonical text (str) is read back as the same period."""

    count: int
    unit: str  # one of UNITS

    def __str__(self) -> str:
        singular, plural = UNIT_NAMES[self.unit]
        return f"{self.count} {singular if self.count == 1 else plural}"

    def months(self) -> int | None:
        """The period in calendar months, or None for periods counted in days."""
        return _count(self, _MONTHS_IN)

    def days(self) -> int | None:
        """The period in calendar days, or None for periods counted in months or business days."""
        return _count(self, _DAYS_IN)

    @property
    def business(self) -> bool:
        """Whether the period is counted in business days (on the working-day calendar)."""
        return self.unit == "business_day"


# A period is counted on the calendar in months (month, year), in days (day, week), or in
# working days (business_day).
_MONTHS_IN = {"month": 1, "year": 12}
_DAYS_IN = {"day": 1, "week": 7}


def _count(period: Period, per_unit: dict[str, int]) -> int | None:
    per = per_unit.get(period.unit)
    return None if per is None else per * period.count


# -- Numbers written in words -------------------------------------------------------------------

_TENS = ("", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")


def _below_hundred(n: int) -> tuple[str, ...]:
    """The ways to write 0-99 in words: 'twenty-one' or 'twenty one'."""
    if n < 20:
        return (ONES[n],)
    tens, ones = divmod(n, 10)
    if not ones:
        return (_TENS[tens],)
    return (f"{_TENS[tens]}-{ONES[ones]}", f"{_TENS[tens]} {ONES[ones]}")


def spellings(n: int) -> tuple[str, ...]:
    """Every way the reader may write `n` (1 to MAX_WORD_NUMBER) in words, lower case."""
    if n < 100:
        return _below_hundred(n)
    hundreds, rest = divmod(n, 100)
    heads = [f"{ONES[hundreds]} hundred"] + (["a hundred"] if hundreds == 1 else [])
    if not rest:
        return tuple(heads)
    return tuple(
        f"{head}{joint}{tail}"
        for head in heads
        for joint in (" and ", " ")
        for tail in _below_hundred(rest)
    )


@lru_cache(maxsize=1)
def word_numbers() -> dict[str, int]:
    """Numbers in words (one to MAX_WORD_NUMBER, and 'a' or 'an' for one), by their spelling."""
    table = {"a": 1, "an": 1}
    for n in range(1, MAX_WORD_NUMBER + 1):
        for spelling in spellings(n):
            table[spelling] = n
    return table


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


def shift(day: date, period: Period, times: int = 1, calendar: WorkCalendar | None = None) -> date:
    """`day` moved by `times` periods (negative: earlier); months keep the day, clamped;
    business days are counted on `calendar` (weekdays only when none is given)."""
    if period.business:
        return (calendar or WORKDAYS).add_business_days(day, period.count * times)
    months = period.months()
    if months is not None:
        return add_months(day, months * times)
    return day + timedelta(days=(period.days() or 0) * times)


# -- Days the business is closed, and the working-day calendar ----------------------------------

# A closure as written: one day or a range, each day as "24 Dec", "24 December", "24 Dec 2027"
# or "2027-12-24"; several separated by ";" or ",".
CLOSURE_EXAMPLE = "24 Dec to 1 Jan; 1 May"
MAX_CLOSURES = 20
# One closure spans at most this many days (a factory's summer shutdown fits; a year does not).
MAX_CLOSURE_DAYS = 62
MAX_CLOSURES_TEXT = 400
# A key date this close to a closure (before or after it) is flagged: offices may be closed.
NEAR_DAYS = 7
_MONTHS = {
    name: index
    for index, month in enumerate(
        ("january", "february", "march", "april", "may", "june", "july", "august",
         "september", "october", "november", "december"),
        start=1,
    )
    for name in (month, month[:3], *(("sept",) if month == "september" else ()))
}  # fmt: skip
_DAY_MONTH = re.compile(r"^(\d{1,2})\s+([a-z]+)\.?(?:\s+(\d{4}))?$")
_RANGE = re.compile(
    r"^(?P<first>.+?)\s*(?:\bto\b|\buntil\b|\btill\b|\bthrough\b|\u2013|\u2014|\s-\s|(?<=[a-z])-(?=\d))"
    r"\s*(?P<last>.+)$"
)
# How far the calendar looks for a working day before it gives up (closures that cover years).
_SEARCH_DAYS = 3660


@dataclass(frozen=True)
class Closure:
    """Days a business is closed: one day or a range, every year (no year given) or dated.

    A yearly closure holds (month, day) pairs and may run over the new year ("24 Dec to
    1 Jan"); a dated one holds its first and last date.
    """

    first: tuple[int, int] | date
    last: tuple[int, int] | date

    @property
    def yearly(self) -> bool:
        """Whether the closure comes back every year."""
        return not isinstance(self.first, date)

    def covers(self, day: date) -> bool:
        """Whether `day` falls in the closure."""
        if isinstance(self.first, date) and isinstance(self.last, date):
            return self.first <= day <= self.last
        first, last, key = self.first, self.last, (day.month, day.day)
        assert isinstance(first, tuple) and isinstance(last, tuple)
        if first <= last:
            return first <= key <= last
        return key >= first or key <= last  # over the new year

    def __str__(self) -> str:
        first, last = _closure_day(self.first), _closure_day(self.last)
        return first if first == last else f"{first} to {last}"


def _closure_day(day: tuple[int, int] | date) -> str:
    if isinstance(day, date):
        return day.isoformat()
    return f"{day[1]} {_MONTH_NAMES[day[0] - 1]}"


@dataclass(frozen=True)
class WorkCalendar:
    """Working days: Monday to Friday, less the closures the reader added."""

    closures: tuple[Closure, ...] = ()

    def closure_on(self, day: date) -> Closure | None:
        """The closure `day` falls in, if any."""
        return next((c for c in self.closures if c.covers(day)), None)

    def is_working(self, day: date) -> bool:
        """Whether `day` is a working day: a weekday outside every closure."""
        return day.weekday() < 5 and self.closure_on(day) is None

    def why_not(self, day: date) -> str:
        """Why `day` is not a working day: 'a Saturday', 'your closure 24 Dec to 1 Jan'."""
        closure = self.closure_on(day)
        if closure is not None:
            return f"your closure {closure}"
        return "a Saturday" if day.weekday() == 5 else "a Sunday"

    def on_or_before(self, day: date) -> date:
        """The latest working day on or before `day` (where a deadline moves)."""
        return self._search(day, -1)

    def on_or_after(self, day: date) -> date:
        """The earliest working day on or after `day` (where a meeting or a task moves)."""
        return self._search(day, 1)

    def _search(self, day: date, step: int) -> date:
        for offset in range(_SEARCH_DAYS):
            candidate = day + timedelta(days=offset * step)
            if self.is_working(candidate):
                return candidate
        raise PlanError("closures", "leave no working day for years: check them")

    def add_business_days(self, day: date, count: int) -> date:
        """The `count`-th working day after `day` (before it, for a negative count)."""
        step = 1 if count >= 0 else -1
        for _ in range(abs(count)):
            day = self._search(day + timedelta(days=step), step)
        return day

    def near(self, day: date, within: int = NEAR_DAYS) -> Closure | None:
        """A closure that covers a day within `within` days of `day`, or `day` itself."""
        for offset in range(-within, within + 1):
            closure = self.closure_on(day + timedelta(days=offset))
            if closure is not None:
                return closure
        return None

    def __str__(self) -> str:
        return "; ".join(str(c) for c in self.closures)


WORKDAYS = WorkCalendar()


def parse_closures(text: str, field: str) -> WorkCalendar:
    """Closures as a person writes them ("24 Dec to 1 Jan; 1 May"), or PlanError naming the
    field. Empty text means no closures."""
    if len(text) > MAX_CLOSURES_TEXT:
        raise PlanError(field, f"is longer than {MAX_CLOSURES_TEXT} characters")
    parts = [part.strip() for part in re.split(r"[;,\n]", text) if part.strip()]
    if len(parts) > MAX_CLOSURES:
        raise PlanError(field, f"lists more than {MAX_CLOSURES} closures")
    return WorkCalendar(tuple(_closure(part, field) for part in parts))


def _closure(text: str, field: str) -> Closure:
    written = re.sub(r"\s+", " ", text.lower().replace("\u2019", "'"))
    match = _RANGE.match(written)
    ends = (match.group("first"), match.group("last")) if match else (written, written)
    first, last = (_closure_end(end.strip(), text, field) for end in ends)
    if isinstance(first, date) != isinstance(last, date):
        # One end has a year: the other takes it (the next year when it comes earlier).
        if isinstance(first, date):
            assert isinstance(last, tuple)
            last = _dated(first.year, last, text, field)
            if last < first:
                last = _dated(first.year + 1, (last.month, last.day), text, field)
        else:
            assert isinstance(last, date)
            first = _dated(last.year, first, text, field)
            if first > last:
                first = _dated(last.year - 1, (first.month, first.day), text, field)
    closure = Closure(first, last)
    if isinstance(first, date) and isinstance(last, date) and last < first:
        raise PlanError(field, f"'{excerpt(text, _QUOTED)}' ends before it starts")
    if _span(closure) > MAX_CLOSURE_DAYS:
        raise PlanError(field, f"'{excerpt(text, _QUOTED)}' is longer than {MAX_CLOSURE_DAYS} days")
    return closure


def _closure_end(text: str, whole: str, field: str) -> tuple[int, int] | date:
    if _ISO_DATE.match(text):
        return parse_date(text, field)
    match = _DAY_MONTH.match(text)
    month = None if match is None else _MONTHS.get(match.group(2))
    if match is None or month is None:
        raise PlanError(
            field,
            f"cannot read '{excerpt(whole, _QUOTED)}' as days off: write e.g. '{CLOSURE_EXAMPLE}' "
            "or '2027-08-02 to 2027-08-13'",
        )
    day = int(match.group(1))
    if match.group(3):
        return _dated(int(match.group(3)), (month, day), whole, field)
    if not 1 <= day <= days_in_month(2000, month):  # 2000: a leap year, so 29 Feb is a day
        raise PlanError(field, f"'{excerpt(whole, _QUOTED)}' is not a real day of the year")
    return (month, day)


def _dated(year: int, month_day: tuple[int, int], whole: str, field: str) -> date:
    month, day = month_day
    if not 1 <= day <= days_in_month(year, month) or not EARLIEST.year <= year <= LATEST.year:
        raise PlanError(field, f"'{excerpt(whole, _QUOTED)}' is not a real date")
    return date(year, month, day)


def _span(closure: Closure) -> int:
    """How many days the closure lasts (a yearly one measured in a leap year)."""
    if isinstance(closure.first, date) and isinstance(closure.last, date):
        return (closure.last - closure.first).days + 1
    assert isinstance(closure.first, tuple) and isinstance(closure.last, tuple)
    start = date(2000, *closure.first)
    end = date(2000, *closure.last)
    if end < start:
        end = date(2001, *closure.last) if closure.last != (2, 29) else date(2001, 3, 1)
    return (end - start).days + 1


# -- Reading what a person wrote ----------------------------------------------------------------


def _alternatives(words: Iterable[str]) -> str:
    """A regular expression for any of `words`, the longest tried first."""
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


_UNIT_OF = {word: unit for unit, words in UNIT_WORDS.items() for word in words}
_AT_LEAST_PATTERN = _alternatives(AT_LEAST_WORDS)
_NOTICE_PATTERN = _alternatives(NOTICE_WORDS)
# "sixty (60)": a number in words may be confirmed in digits.
_WORDS_CHECK = r"(?:\s*\(\s*(?P<check>\d+)\s*\))?"
_PERIOD = re.compile(
    rf"^(?:(?:{_AT_LEAST_PATTERN}) )?"
    rf"(?:(?P<number>-?\d+|[a-z][a-z -]*?){_WORDS_CHECK}\s*)?"
    r"(?P<calendar>calendar\s+)?"
    rf"(?P<unit>{_alternatives([*_UNIT_OF, *FORTNIGHT_WORDS])})"
    rf"(?:(?P<possessive>'s|')?\s+(?P<notice>{_NOTICE_PATTERN}))?$"
)
_HYPHEN_UNIT_PATTERN = "|".join(
    "[ -]".join(re.escape(part) for part in word.split(" "))
    for words in HYPHEN_WORDS.values()
    for word in sorted(words, key=len, reverse=True)
)
_HYPHENATED = re.compile(
    rf"^(?:(?:{_AT_LEAST_PATTERN}) )?"
    rf"(?P<number>\d+|[a-z](?:[a-z -]*?[a-z])?){_WORDS_CHECK}"
    r"-(?P<calendar>calendar[ -])?"
    rf"(?P<unit>{_HYPHEN_UNIT_PATTERN})"
    rf"(?: (?P<notice>{_NOTICE_PATTERN}))?$"
)
# Longer than this, a number is no period anyone means (and int() of it would be slow).
_MAX_DIGITS = 6


def _normalised(text: str) -> str:
    """Lower case, one space between words, straight apostrophes."""
    return re.sub(r"\s+", " ", text.replace("\u2019", "'").strip().lower())


def _unreadable_period(text: str, field: str) -> PlanError:
    """The refusal of a period that cannot be read, with the forms that can."""
    return PlanError(
        field,
        f"cannot read '{excerpt(text, _QUOTED)}' as a period: write a number and a unit (days, "
        "calendar days, business days, weeks, fortnights, months, calendar months or years), "
        f"e.g. {PERIOD_EXAMPLES}",
    )


def _read_count(number: str, check: str | None, text: str, field: str) -> int:
    """The number written in digits ('-90') or words ('ninety', 'ninety (90)'), or PlanError."""
    if number.lstrip("-").isdigit():
        if check is not None:
            raise _unreadable_period(text, field)  # "(90)" only confirms a number in words
        digits = number.lstrip("-").lstrip("0") or "0"
        if len(digits) > _MAX_DIGITS:
            raise PlanError(field, f"is longer than ten years ('{excerpt(text, _QUOTED)}')")
        return -int(digits) if number.startswith("-") else int(digits)
    words = number.strip()
    if words not in word_numbers():
        raise _unreadable_period(text, field)
    count = word_numbers()[words]
    if check is not None and (len(check) > _MAX_DIGITS or int(check) != count):
        raise PlanError(field, f"'{excerpt(text, _QUOTED)}' gives two different numbers: check it")
    return count


def parse_period(text: str, field: str) -> Period:
    """A period as agreements and people write it ('60 days', 'three months', '3 calendar
    months', 'not less than 60 days', '60-day', 'a fortnight', '1 yr'), or PlanError naming
    the field."""
    if not text.strip():
        raise PlanError(field, MISSING_PERIOD)
    written = _normalised(text)
    match = _HYPHENATED.match(written) or _PERIOD.match(written)
    if match is None:
        raise _unreadable_period(text, field)
    word, number = match.group("unit").replace("-", " "), match.group("number")
    unit, per = ("week", WEEKS_IN_FORTNIGHT) if word in FORTNIGHT_WORDS else (_UNIT_OF[word], 1)
    if match.group("calendar") and (unit not in CALENDAR_UNITS or per != 1):
        raise _unreadable_period(text, field)
    if number is None:  # only "fortnight" stands without a number
        if word != "fortnight":
            raise _unreadable_period(text, field)
        count = per
    elif match.re is _HYPHENATED and number in ("a", "an"):
        raise _unreadable_period(text, field)  # "a-month" is no way to write one
    else:
        count = per * _read_count(number, match.group("check"), text, field)
    if count <= 0:
        raise PlanError(field, f"must be longer than zero (it is '{excerpt(text, _QUOTED)}')")
    if count > MAX_COUNT[unit]:
        raise PlanError(field, f"is longer than ten years ('{excerpt(text, _QUOTED)}')")
    return Period(count, unit)


# When a notice counts as received: on the day it is sent, or a period after sending.
SAME_DAY = "on the day it is sent"
_SAME_DAY_WORDS = (
    "same day", "the same day", "on the same day", "on delivery", "upon delivery", "on the day",
    "on receipt", "upon receipt", "when delivered", "when it is delivered", "immediately",
    "at once", "on the day it is sent",
)  # fmt: skip
_AFTER_SENDING = re.compile(
    r"\s+(?:after|from)\s+(?:posting|sending|dispatch|sending it|it is sent|it is posted|"
    r"being sent|being posted)$"
)
HOURS_IN_DAY = 24
# "48 hours (after posting)": a whole number of days, in hours.
_HOURS = re.compile(rf"^(?P<number>\d+|[a-z][a-z -]*?){_WORDS_CHECK} ?(?:hours?|hrs?)$")
# "(on) the next working day", "the following day".
_ON_THE = r"^(?:(?:on|upon) )?(?:the )?"
_BUSINESS_DAY = r" (?P<business>business |working )?day$"
_NEXT_DAY = re.compile(rf"{_ON_THE}(?:next|following){_BUSINESS_DAY}")
# "(on) the second business day (after posting)", "the 3rd working day", "the fifth day".
_NTH_DAY = re.compile(rf"{_ON_THE}(?P<ordinal>[a-z0-9][a-z0-9 -]*?){_BUSINESS_DAY}")
_ORDINAL_SUFFIXES = {1: "st", 2: "nd", 3: "rd"}
_IRREGULAR_ORDINALS = {
    "one": "first", "two": "second", "three": "third", "five": "fifth", "eight": "eighth",
    "nine": "ninth", "twelve": "twelfth",
}  # fmt: skip
DEEMED_EXAMPLES = (
    "'two business days after posting', '48 hours after posting', 'the next working day' or "
    "'on delivery'"
)


def _ordinal_word(spelling: str) -> str:
    """'twenty-one' -> 'twenty-first': the last word of a number made an ordinal."""
    match = re.fullmatch(r"(.*?)([a-z]+)", spelling)
    assert match is not None
    head, last = match.groups()
    if last in _IRREGULAR_ORDINALS:
        return head + _IRREGULAR_ORDINALS[last]
    return head + (f"{last[:-1]}ieth" if last.endswith("y") else f"{last}th")


def ordinal_suffix(n: int) -> str:
    """'st', 'nd', 'rd' or 'th': how 1st, 2nd, 3rd, 11th, 21st end."""
    return "th" if n % 100 in (11, 12, 13) else _ORDINAL_SUFFIXES.get(n % 10, "th")


@lru_cache(maxsize=1)
def ordinal_numbers() -> dict[str, int]:
    """Ordinals in words and digits ('second', 'twenty-first', '2nd', '21st'), one to
    MAX_WORD_NUMBER, by their spelling."""
    table: dict[str, int] = {}
    for n in range(1, MAX_WORD_NUMBER + 1):
        table[f"{n}{ordinal_suffix(n)}"] = n
        for spelling in spellings(n):
            table[_ordinal_word(spelling)] = n
    return table


def _unreadable_deemed(text: str, field: str) -> PlanError:
    """The refusal of a deemed-receipt rule that cannot be read, with the forms that can."""
    return PlanError(
        field,
        f"cannot read '{excerpt(text, _QUOTED)}' as a rule for when a notice counts as "
        f"received: write e.g. {DEEMED_EXAMPLES}",
    )


def _deemed_in_days(count: int, unit: str, text: str, field: str) -> Period:
    """`count` days or business days after sending, within the bounds of any period."""
    if count > MAX_COUNT[unit]:
        raise PlanError(field, f"is longer than ten years ('{excerpt(text, _QUOTED)}')")
    return Period(count, unit)


def parse_deemed(text: str, field: str) -> Period | None:
    """When a notice counts as received, as its agreement says: None for the day it is sent
    (also for an empty field, 'upon receipt'), else the period after sending ('two business
    days after posting', '48 hours after posting', 'the second business day after posting',
    'on the next working day'); PlanError naming the field when it cannot be read."""
    written = _normalised(text)
    if not written or written in _SAME_DAY_WORDS:
        return None
    body = _AFTER_SENDING.sub("", written)
    if re.match(r"^0+ [a-z ]*days?$", body):
        return None
    if hours := _HOURS.match(body):
        count = _read_count(hours.group("number"), hours.group("check"), text, field)
        days, rest = divmod(count, HOURS_IN_DAY)
        if rest:
            raise PlanError(
                field,
                f"'{excerpt(text, _QUOTED)}' is not a whole number of days, and the planner "
                "counts in days: write the days the agreement means, e.g. '2 days after posting'",
            )
        return _deemed_in_days(days, "day", text, field) if days else None
    if body != written and body in ("the day", "on the day"):  # "the day after posting"
        return Period(1, "day")
    if next_day := _NEXT_DAY.match(body):
        return Period(1, "business_day" if next_day.group("business") else "day")
    nth = _NTH_DAY.match(body)
    if nth and nth.group("ordinal") in ordinal_numbers():
        unit = "business_day" if nth.group("business") else "day"
        return _deemed_in_days(ordinal_numbers()[nth.group("ordinal")], unit, text, field)
    try:
        return parse_period(body, field)
    except PlanError as error:
        if error.problem.startswith("cannot read"):
            raise _unreadable_deemed(text, field) from None
        raise


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


def bounded_number(digits: str) -> int:
    """The whole number written in `digits`, or 10**_MAX_DIGITS for any larger one (a number
    of thousands of digits is never converted: Python refuses, and it would be slow)."""
    significant = digits.lstrip("0")
    return 10**_MAX_DIGITS if len(significant) > _MAX_DIGITS else int(significant or "0")
