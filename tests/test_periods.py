"""Periods and dates (assessment/periods.py): reading them, and the month arithmetic."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assessment.errors import PlanError
from assessment.periods import (
    AT_LEAST_WORDS,
    CALENDAR_UNITS,
    EXAMPLE_PERIODS,
    FORTNIGHT_WORDS,
    HYPHEN_WORDS,
    MAX_COUNT,
    MAX_WORD_NUMBER,
    NOTICE_WORDS,
    UNIT_WORDS,
    WORKDAYS,
    Closure,
    Period,
    WorkCalendar,
    add_months,
    days_in_month,
    parse_closures,
    parse_date,
    parse_deemed,
    parse_period,
    spellings,
)

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
        # As people and agreements write them (issue 30).
        ("three months", Period(3, "month")),
        ("3 months' notice", Period(3, "month")),
        ("90 calendar days", Period(90, "day")),
        ("30 business days", Period(30, "business_day")),
        ("1 yr", Period(1, "year")),
        ("six weeks", Period(6, "week")),
        ("a month", Period(1, "month")),
        ("one month\u2019s prior written notice", Period(1, "month")),
        ("ninety (90) days", Period(90, "day")),
        ("twenty-one working days", Period(21, "business_day")),
        ("one hundred and twenty days", Period(120, "day")),
        # As contracts write them (the audit of issue 30): calendar months are months, a
        # fortnight is two weeks, "not less than N" is N, "prior" alone is "prior notice".
        ("3 calendar months", Period(3, "month")),
        ("three (3) calendar months", Period(3, "month")),
        ("a calendar month's notice", Period(1, "month")),
        ("not less than 60 days", Period(60, "day")),
        ("No less than sixty (60) days' prior written notice", Period(60, "day")),
        ("at least 60 days", Period(60, "day")),
        ("a minimum of three months", Period(3, "month")),
        ("60 days prior", Period(60, "day")),
        ("a fortnight", Period(2, "week")),
        ("Fortnight", Period(2, "week")),
        ("a fortnight's notice", Period(2, "week")),
        ("two fortnights", Period(4, "week")),
        ("two weeks' notice", Period(2, "week")),
        ("60-day", Period(60, "day")),
        ("sixty (60)-day", Period(60, "day")),
        ("90-calendar-day notice", Period(90, "day")),
        ("thirty-business-day", Period(30, "business_day")),
        ("twenty-one-day prior written notice", Period(21, "day")),
        ("3-month", Period(3, "month")),
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
        ("some months", "cannot read"),
        ("3 calendar weeks", "cannot read"),
        ("calendar months", "cannot read"),
        ("fortnights", "cannot read"),
        ("a calendar fortnight", "cannot read"),
        ("90 (90) days", "cannot read"),
        ("60 (60)-day", "cannot read"),
        ("ninety (91) days", "two different numbers"),
        ("sixty (61)-day", "two different numbers"),
        ("a-month", "cannot read"),
        ("60 -day", "cannot read"),
        ("60-days", "cannot read"),
        ("+60 days", "cannot read"),
        ("more than 60 days", "cannot read"),
        ("60 days after", "cannot read"),
        ("not less than 0 days", "longer than zero"),
        ("261 fortnights", "ten years"),
        # Ambiguous: refused, with the forms that are read.
        ("1.5 months", "cannot read"),
        ("half a year", "cannot read"),
        ("2 quarters", "cannot read"),
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


# -- Periods as people write them: every accepted phrasing, and nothing else -------------------

# The grammar, written out here on its own. Optionally a minimum ("not less than", "at least"),
# which is the period itself; then either
# - spaced: a number (digits, or words with an optional "(90)" that repeats it), an optional
#   "calendar" before days or months, the unit (or fortnights, two weeks each; "fortnight" alone
#   is one), then optionally "notice" with or without a possessive; or
# - hyphenated: the number (not "a" or "an"), "-", an optional "calendar", the singular unit
#   with a space or a hyphen between its words, then optionally "notice".
# This is the specification the parser is checked against.
NUMBER_WORDS = {"a": 1, "an": 1}
ARTICLES = tuple(NUMBER_WORDS)


def _words(count: int) -> list[str]:
    forms = list(spellings(count)) if count <= MAX_WORD_NUMBER else []
    return forms + [w for w, n in NUMBER_WORDS.items() if n == count]


def _normalise(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\u2019", "'").strip().lower())


def _either(words: list[str] | tuple[str, ...]) -> str:
    return "|".join(re.escape(w) for w in words)


def _spaced_units(unit: str) -> list[str]:
    """The unit's words, with "calendar" before those of days and months."""
    units = list(UNIT_WORDS[unit])
    return units + ([f"calendar {u}" for u in units] if unit in CALENDAR_UNITS else [])


def _hyphen_units(unit: str, gap: str) -> list[str]:
    """The unit's singular words after "60-", `gap` (" " or "-") between words."""
    units = [w.replace(" ", gap) for w in HYPHEN_WORDS[unit]]
    if unit in CALENDAR_UNITS:
        units += [f"calendar{gap}{u}" for u in units]
    return units


def _number(count: int, articles: bool = True) -> str:
    """Digits or words (words may repeat the number in brackets) for `count`."""
    words = [w for w in _words(count) if articles or w not in ARTICLES]
    return rf"(?:0*{count}|(?:{_either(words)})(?: ?\( ?0*{count} ?\))?)"


def _oracle(text: str, period: Period) -> bool:
    """Whether `text` (normalised) is one of the phrasings the grammar gives `period`."""
    count, notice = period.count, _either(NOTICE_WORDS)
    least = rf"(?:(?:{_either(AT_LEAST_WORDS)}) )?"
    forms = [rf"{_number(count)} ?(?:{_either(_spaced_units(period.unit))})"]
    if period.unit == "week" and count % 2 == 0:
        number = _number(count // 2)
        bare = "|fortnight" if count == 2 else ""
        forms.append(rf"(?:{number} ?(?:{_either(FORTNIGHT_WORDS)}){bare})")
    spaced = rf"(?:{'|'.join(forms)})(?:(?:'s|')? (?:{notice}))?"
    hyphen_units = _hyphen_units(period.unit, " ") + _hyphen_units(period.unit, "-")
    hyphenated = rf"{_number(count, articles=False)}-(?:{_either(hyphen_units)})(?: (?:{notice}))?"
    return re.fullmatch(rf"{least}(?:{spaced}|{hyphenated})", text) is not None


periods = st.builds(
    Period,
    count=st.integers(min_value=1, max_value=120),
    unit=st.sampled_from(["day", "business_day", "week", "month", "year"]),
).filter(lambda p: p.count <= MAX_COUNT[p.unit])


@st.composite
def phrasings(draw: st.DrawFn) -> tuple[str, Period]:
    """A period and one way a person or an agreement may write it."""
    shape = draw(st.sampled_from(["spaced", "fortnights", "hyphenated"]))
    if shape == "fortnights":
        fortnights = draw(st.integers(min_value=1, max_value=60))
        period = Period(2 * fortnights, "week")
    else:
        period, fortnights = draw(periods), 0
    count = fortnights or period.count
    articles = shape != "hyphenated"
    number = draw(
        st.sampled_from(
            [str(count), *(w for w in _words(count) if articles or w not in ARTICLES)]
            + (["fortnight"] if fortnights == 1 else [])
        )
    )
    if not number.isdigit() and number != "fortnight" and draw(st.booleans()):
        number += f" ({count})"
    gap = draw(st.sampled_from([" ", "  ", "\t"]))
    notices = [f" {n}" for n in NOTICE_WORDS]
    if shape == "hyphenated":
        unit = draw(st.sampled_from(_hyphen_units(period.unit, draw(st.sampled_from(" -")))))
        suffix = draw(st.sampled_from(["", *notices]))
        text = f"{number}-{unit}{suffix}"
    else:
        if number == "fortnight":
            unit, number = "", "fortnight"
        elif fortnights:
            unit = gap + draw(st.sampled_from(FORTNIGHT_WORDS))
        else:
            unit = gap + draw(st.sampled_from(_spaced_units(period.unit)))
        suffix = draw(
            st.sampled_from(["", *(f"{p}{n}" for p in ("", "'", "'s", "\u2019") for n in notices)])
        )
        text = f"{number}{unit}{suffix}"
    least = draw(st.sampled_from(["", *(f"{w}{gap}" for w in AT_LEAST_WORDS)]))
    case = draw(st.sampled_from([str.lower, str.upper, str.title]))
    return case(f"{least}{text}"), period


@settings(max_examples=300)
@given(phrasings())
def test_every_accepted_phrasing_round_trips_through_its_canonical_form(
    written: tuple[str, Period],
) -> None:
    """Any phrasing the grammar allows reads as its period; the period's canonical text reads
    back as the same period, and is itself one of the phrasings."""
    text, period = written
    assert parse_period(text, "notice") == period
    canonical = str(period)
    assert parse_period(canonical, "notice") == period
    assert _oracle(canonical, period)


@st.composite
def near_misses(draw: st.DrawFn) -> str:
    """A phrasing with a few characters inserted, deleted or replaced, or any text at all."""
    text, _ = draw(phrasings())
    for _ in range(draw(st.integers(min_value=1, max_value=3))):
        at = draw(st.integers(min_value=0, max_value=len(text)))
        change = draw(st.sampled_from(["insert", "delete", "replace"]))
        char = draw(st.sampled_from([*list("0123456789 ()'-,.sayd"), draw(st.characters())]))
        if change == "insert":
            text = text[:at] + char + text[at:]
        elif change == "delete":
            text = text[:at] + text[at + 1 :]
        else:
            text = text[:at] + char + text[at + 1 :]
    return text


@settings(max_examples=500)
@given(st.one_of(near_misses(), st.text(max_size=40)))
def test_nothing_else_is_accepted(text: str) -> None:
    """Whatever is not one of the grammar's phrasings is refused with the accepted forms listed
    (or, for a readable period out of range, with why)."""
    try:
        period = parse_period(text, "notice")
    except PlanError as error:
        assert error.field == "notice"
        if error.problem.startswith("cannot read"):
            assert all(example in error.problem for example in EXAMPLE_PERIODS)
        return
    assert _oracle(_normalise(text), period), (text, period)


@pytest.mark.parametrize("text", ["1.5 months", "half a year", "2 quarters", "a few weeks"])
def test_an_ambiguous_period_is_refused_with_the_forms_that_are_read(text: str) -> None:
    """Fractions, halves and quarters are not guessed at: the message lists what is read,
    calendar months and fortnights among it."""
    with pytest.raises(PlanError) as caught:
        parse_period(text, "notice")
    problem = caught.value.problem
    assert problem.startswith(f"cannot read '{text}' as a period")
    assert "calendar months" in problem and "fortnights" in problem
    assert "'3 calendar months'" in problem


def test_the_examples_in_messages_are_all_read() -> None:
    """Every form the messages and hints show is one the planner reads."""
    for example in EXAMPLE_PERIODS:
        parse_period(example, "notice")


# -- When a notice counts as received -------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("two business days after posting", Period(2, "business_day")),
        ("2 business days", Period(2, "business_day")),
        ("next business day", Period(1, "business_day")),
        ("3 days after sending", Period(3, "day")),
        ("on delivery", None),
        ("", None),
        ("same day", None),
        # As notices clauses write them (the audit of issue 30).
        ("48 hours after posting", Period(2, "day")),
        ("forty-eight (48) hours after sending", Period(2, "day")),
        ("24 hrs", Period(1, "day")),
        ("the second business day after posting", Period(2, "business_day")),
        ("on the 3rd working day after posting", Period(3, "business_day")),
        ("the fifth day after dispatch", Period(5, "day")),
        ("the first business day", Period(1, "business_day")),
        ("on the next working day", Period(1, "business_day")),
        ("the following business day after posting", Period(1, "business_day")),
        ("the next day", Period(1, "day")),
        ("the day after posting", Period(1, "day")),
        ("at least two business days after posting", Period(2, "business_day")),
        ("upon receipt", None),
        ("on receipt", None),
        ("Upon delivery", None),
        ("0 days after posting", None),
    ],
)
def test_deemed_receipt_is_read_as_a_period_after_sending(
    text: str, expected: Period | None
) -> None:
    """A deemed-receipt rule as the notices clause writes it; on delivery (or nothing) is None."""
    assert parse_deemed(text, "deemed") == expected


def test_an_unreadable_deemed_receipt_rule_says_what_to_write() -> None:
    """A rule that cannot be read names the field and shows the forms that can."""
    with pytest.raises(PlanError, match="two business days after posting") as caught:
        parse_deemed("when the postman feels like it", "deemed")
    assert caught.value.field == "deemed"


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("36 hours after posting", "not a whole number of days"),
        ("the 22th business day after posting", "cannot read"),
        ("the second after posting", "cannot read"),
        ("on the day before posting", "cannot read"),
        ("on receipt after posting", "cannot read"),
        ("the next week", "cannot read"),
        ("the 9999th day", "cannot read"),
        ("87864 hours", "ten years"),
    ],
)
def test_deemed_receipt_rules_without_a_clear_meaning_are_refused(text: str, problem: str) -> None:
    """Hours that are no whole number of days, misspelt ordinals and the like are refused."""
    with pytest.raises(PlanError, match=problem) as caught:
        parse_deemed(text, "deemed")
    assert caught.value.field == "deemed"


# Ordinals written out here on their own: the words for one to twelve, and digits with the
# suffix English gives them (1st, 2nd, 3rd, 4th, 11th, 12th, 13th, 21st, 22nd, 23rd).
ORDINAL_WORDS = (
    "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth",
    "tenth", "eleventh", "twelfth",
)  # fmt: skip


DIGIT_SUFFIXES = {1: "st", 2: "nd", 3: "rd"}


def _ordinals(n: int) -> list[str]:
    """'2nd' and 'second': the ways the grammar writes the ordinal of `n`."""
    suffix = "th" if n % 100 in (11, 12, 13) else DIGIT_SUFFIXES.get(n % 10, "th")
    return [f"{n}{suffix}", *([ORDINAL_WORDS[n - 1]] if n <= len(ORDINAL_WORDS) else [])]


@settings(max_examples=200)
@given(n=st.integers(min_value=1, max_value=200), data=st.data())
def test_the_nth_day_after_posting_is_n_days_and_hours_are_whole_days(
    n: int, data: st.DataObject
) -> None:
    """'the Nth (business) day after posting' is N (business) days after sending, and 24N
    hours is N days; with or without 'on', 'the' and the words about sending."""
    on = data.draw(st.sampled_from(["", "on ", "upon "]))
    the = data.draw(st.sampled_from(["", "the "]))
    tail = data.draw(st.sampled_from(["", " after posting", " from sending", " after dispatch"]))
    ordinal = data.draw(st.sampled_from(_ordinals(n)))
    kind, unit = data.draw(
        st.sampled_from([("", "day"), ("business ", "business_day"), ("working ", "business_day")])
    )
    assert parse_deemed(f"{on}{the}{ordinal} {kind}day{tail}", "deemed") == Period(n, unit)
    hours = data.draw(st.sampled_from(["hours", "hrs", "Hours"]))
    assert parse_deemed(f"{24 * n} {hours}{tail}", "deemed") == Period(n, "day")


# -- Working days and closures -------------------------------------------------------------------


yearly_days = st.tuples(st.integers(1, 12), st.integers(1, 28))


@st.composite
def closures(draw: st.DrawFn) -> Closure:
    """A yearly closure (possibly over the new year) or a dated one, of up to three weeks."""
    if draw(st.booleans()):
        first = draw(yearly_days)
        length = draw(st.integers(0, 20))
        end = date(2001, *first) + timedelta(days=length)
        return Closure(first, (end.month, end.day))
    start = draw(st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 12, 31)))
    return Closure(start, start + timedelta(days=draw(st.integers(0, 20))))


calendars = st.lists(closures(), max_size=4).map(lambda c: WorkCalendar(tuple(c)))


@settings(max_examples=200)
@given(calendar=calendars, day=dates)
def test_a_deadline_moves_to_the_working_day_before_and_a_task_after(
    calendar: WorkCalendar, day: date
) -> None:
    """Moved onto the calendar, a deadline is a working day no later than the original, a task
    one no earlier, and every day in between is not a working day."""
    before, after = calendar.on_or_before(day), calendar.on_or_after(day)
    for moved in (before, after):
        assert moved.weekday() < 5 and calendar.closure_on(moved) is None
    assert before <= day <= after
    for gap in range((day - before).days):
        assert not calendar.is_working(before + timedelta(days=gap + 1))
    for gap in range((after - day).days):
        assert not calendar.is_working(day + timedelta(days=gap))


@settings(max_examples=200)
@given(calendar=calendars, day=dates, count=st.integers(min_value=-40, max_value=40))
def test_business_days_count_working_days_only(
    calendar: WorkCalendar, day: date, count: int
) -> None:
    """n business days from a day lands on a working day with exactly n working days between."""
    moved = calendar.add_business_days(day, count)
    # The days counted: after the start up to the day reached, or from it up to the start.
    span = (day, moved) if count >= 0 else (moved - timedelta(days=1), day - timedelta(days=1))
    working = sum(
        1
        for n in range(1, (span[1] - span[0]).days + 1)
        if calendar.is_working(span[0] + timedelta(days=n))
    )
    if count:
        assert calendar.is_working(moved)
    assert working == abs(count)


@settings(max_examples=200)
@given(calendars)
def test_closures_round_trip_through_their_text(calendar: WorkCalendar) -> None:
    """Closures written out ("24 Dec to 1 Jan; 2027-08-02 to 2027-08-13") read back the same."""
    assert parse_closures(str(calendar), "closures") == calendar


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("sometime in summer", "cannot read"),
        ("31 Feb", "not a real day"),
        ("1 Jan to 30 Jun", "longer than 62 days"),
        ("2027-12-24 to 2027-01-01", "ends before it starts"),
        ("; ".join(["1 May"] * 21), "more than 20"),
    ],
)
def test_closures_that_cannot_be_read_name_the_field(text: str, problem: str) -> None:
    """Closures that are not days of the year, too long or too many are refused with why."""
    with pytest.raises(PlanError, match=problem) as caught:
        parse_closures(text, "closures")
    assert caught.value.field == "closures"


def test_a_yearly_closure_over_the_new_year_covers_both_years() -> None:
    """'24 Dec to 1 Jan' closes the office from Christmas Eve to New Year's Day, every year."""
    calendar = parse_closures("24 Dec to 1 Jan; 1 May", "closures")
    assert str(calendar) == "24 Dec to 1 Jan; 1 May"
    for year in (2026, 2031):
        assert not calendar.is_working(date(year, 12, 28))
        assert calendar.closure_on(date(year + 1, 1, 1)) is calendar.closures[0]
    assert calendar.on_or_before(date(2026, 12, 31)) == date(2026, 12, 23)
    assert calendar.on_or_after(date(2026, 12, 24)) == date(2027, 1, 4)
    assert WORKDAYS.is_working(date(2026, 12, 28))
    assert calendar.near(date(2026, 12, 18)) is calendar.closures[0]
    assert calendar.near(date(2026, 12, 10)) is None
