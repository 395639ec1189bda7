"""The exit planner: date rules, the steps file, the renderers and their properties."""

from __future__ import annotations

import re
import tomllib
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import icalendar
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assessment.errors import AssessmentError, PlanError, StepsError
from assessment.exit_plan import (
    SHIPPED_STEPS,
    ExitPlan,
    Period,
    PlanInput,
    add_months,
    days_in_month,
    load_steps,
    make_plan,
    parse_date,
    parse_margin,
    parse_period,
    parse_steps,
    plan_from_form,
    relative_timeline,
    shift,
    to_html,
    to_ics,
    to_markdown,
    to_text,
)

DOCS = Path(__file__).resolve().parent.parent / "docs"
TODAY = "2026-11-25"


def form(**values: str) -> dict[str, str]:
    """A form as the page sends it: strings only, today fixed."""
    return {"today": TODAY, **values}


def raw_steps() -> dict[str, Any]:
    """The shipped steps file as data, for tests that break one field."""
    return tomllib.loads(SHIPPED_STEPS.read_text(encoding="utf-8"))


# -- The worked examples of the issue -------------------------------------------------------------


def test_month_notice_before_a_month_end_renewal_clamps_to_february() -> None:
    """Renewal 2027-03-31 with one month's notice: the deadline is 2027-02-28."""
    plan = plan_from_form(form(case="renews", renews="2027-03-31", notice="1 month"))
    assert plan.notice_deadline == date(2027, 2, 28)
    assert plan.send_by == date(2027, 2, 21)
    assert plan.end_date == date(2027, 3, 31)
    assert not plan.deadline_passed


def test_notice_for_convenience_on_january_31_ends_on_february_28() -> None:
    """Notice on 2027-01-31 with one month ends the agreement on 2027-02-28."""
    plan = plan_from_form(form(case="notice_given", notice_given="2027-01-31", notice="1 month"))
    assert plan.end_date == date(2027, 2, 28)
    assert plan.notice_day == date(2027, 1, 31)
    assert plan.notice_deadline is None
    assert plan.send_by is None


def test_days_and_weeks_are_plain_subtraction() -> None:
    """60 days and 8 weeks count back day by day, with no month rule."""
    days = plan_from_form(form(case="renews", renews="2027-03-31", notice="60 days"))
    assert days.notice_deadline == date(2027, 1, 30)
    weeks = plan_from_form(form(case="renews", renews="2027-03-31", notice="8 weeks"))
    assert weeks.notice_deadline == date(2027, 2, 3)


def test_the_margin_moves_the_send_by_date_only() -> None:
    """A 14-day margin sends notice two weeks before the deadline; the deadline stays put."""
    plan = plan_from_form(form(case="renews", renews="2027-03-31", notice="1 month", margin="14"))
    assert plan.notice_deadline == date(2027, 2, 28)
    assert plan.send_by == date(2027, 2, 14)
    assert plan.notice_day == plan.send_by


def test_leap_year_february_keeps_its_29th() -> None:
    """In a leap year, one month before March 31 is February 29."""
    plan = plan_from_form(form(case="renews", renews="2028-03-31", notice="1 month"))
    assert plan.notice_deadline == date(2028, 2, 29)


def test_inside_the_margin_the_notice_is_due_today() -> None:
    """Past the send-by date but before the deadline: converse and send today, and say so."""
    plan = plan_from_form(
        {"case": "renews", "renews": "2027-03-31", "notice": "1 month", "today": "2027-02-25"}
    )
    assert plan.notice_day == date(2027, 2, 25)
    assert plan.notice_deadline == date(2027, 2, 28)
    assert any("has passed but the deadline" in note for note in plan.notes)
    conversation = next(t for t in plan.tasks if t.step.id == "conversation")
    assert conversation.day == date(2027, 2, 25)
    assert not conversation.past
    # The preparation that should have started weeks ago is flagged, not hidden.
    assert next(t for t in plan.tasks if t.step.id == "decide").past


def test_a_passed_deadline_with_a_term_gives_the_next_renewal() -> None:
    """Deadline gone: the plan says so plainly and moves to the next renewal's deadline."""
    plan = plan_from_form(form(case="renews", renews="2026-12-10", notice="60 days", term="1 year"))
    assert plan.deadline_passed
    assert "It has passed" in plan.notes[0]
    assert "2026-10-11" in plan.notes[0]
    assert plan.end_date == date(2027, 12, 10)
    assert plan.notice_deadline == date(2027, 10, 11)
    assert plan.key_dates[0].key == "missed_deadline"


def test_a_month_term_counts_each_renewal_from_the_original_date() -> None:
    """Renewals of a January 31 agreement with monthly terms stay on month ends, without drift."""
    plan = plan_from_form(
        {
            "case": "renews",
            "renews": "2027-01-31",
            "notice": "7 days",
            "term": "1 month",
            "today": "2027-04-10",
        }
    )
    assert plan.end_date == date(2027, 4, 30)
    assert plan.notice_deadline == date(2027, 4, 23)


def test_a_passed_deadline_without_a_term_gives_no_dated_steps() -> None:
    """Without the term there is no next renewal to plan for: no end date, no tasks, advice."""
    plan = plan_from_form(form(case="renews", renews="2026-12-10", notice="60 days"))
    assert plan.deadline_passed
    assert plan.end_date is None
    assert plan.send_by is None
    assert plan.notice_deadline == date(2026, 10, 11)
    assert plan.tasks == ()
    assert any("mutual agreement" in note for note in plan.notes)
    assert plan.to_dict()["end_date"] is None


def test_ending_for_cause_starts_at_the_end_of_the_cure_period() -> None:
    """The earliest termination is the cure period's end; a notice period runs from there."""
    plan = plan_from_form(form(case="concern_sent", concern_sent="2027-01-15", cure="30 days"))
    assert plan.cure_ends == date(2027, 2, 14)
    assert plan.notice_day == date(2027, 2, 14)
    assert plan.end_date == date(2027, 2, 14)
    with_notice = plan_from_form(
        form(case="concern_sent", concern_sent="2027-01-15", cure="30 days", notice="1 month")
    )
    assert with_notice.end_date == date(2027, 3, 14)


def test_ending_for_cause_at_once_squeezes_the_hand_over_onto_the_last_day() -> None:
    """With no notice after the cure period, no hand-over step falls before the notice day."""
    plan = plan_from_form(form(case="concern_sent", concern_sent="2027-01-15", cure="2 weeks"))
    assert plan.end_date is not None
    for task in plan.tasks:
        if task.step.anchor == "end":
            assert task.day >= plan.end_date


# -- Reading the inputs ------------------------------------------------------------------------


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


def test_margin_defaults_to_seven_days_and_refuses_nonsense() -> None:
    """An empty margin is 7 days; '10 days' is read; a negative or huge one is refused."""
    assert parse_margin("") == 7
    assert parse_margin("10 days") == 10
    assert parse_margin("0") == 0
    for bad in ("-1", "400", "soon"):
        with pytest.raises(PlanError, match="margin"):
            parse_margin(bad)


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"case": "leave"}, "case"),
        ({"case": "renews", "notice": "1 month"}, "renews"),
        ({"case": "renews", "renews": "2027-03-31"}, "notice"),
        ({"case": "renews", "renews": "2027-03-31", "notice": "1 month", "term": "x"}, "term"),
        ({"case": "concern_sent", "concern_sent": "2027-03-31"}, "cure"),
        ({"case": "renews", "renews": "2027-03-31", "notice": "1 month", "margin": "-3"}, "margin"),
        ({"case": "renews", "renews": 20270331, "notice": "1 month"}, "renews"),
    ],
)
def test_the_form_reader_names_the_first_bad_field(values: dict[str, Any], field: str) -> None:
    """plan_from_form raises PlanError (an AssessmentError) naming the form field."""
    with pytest.raises(AssessmentError) as caught:
        plan_from_form(form(**values))
    assert isinstance(caught.value, PlanError)
    assert caught.value.field == field


def test_the_form_reader_ignores_the_other_cases_fields() -> None:
    """Fields left filled in for another case do not affect (or break) the chosen one."""
    plain = plan_from_form(form(case="notice_given", notice_given="2027-01-31", notice="1 month"))
    noisy = plan_from_form(
        form(
            case="notice_given",
            notice_given="2027-01-31",
            notice="1 month",
            renews="garbage",
            cure="nonsense",
            term="x",
            margin="-1",
        )
    )
    assert noisy == plain


# -- The steps file ------------------------------------------------------------------------------


def test_the_shipped_steps_load_and_cover_both_anchors() -> None:
    """The shipped file is valid, has unique ids, and has steps on the notice and the last day."""
    steps = load_steps()
    assert len(steps) >= 15
    assert len({s.id for s in steps}) == len(steps)
    assert {"conversation", "send_notice", "last_day", "retrospective"} <= {s.id for s in steps}


def test_every_step_links_to_an_existing_page() -> None:
    """Each step's link names a page of the site (the strict build checks the anchors)."""
    for step in load_steps():
        page = step.link.partition("#")[0]
        assert (DOCS / page).is_file(), step.id


def test_the_conversation_and_the_notice_fall_on_the_same_day() -> None:
    """The order of operations: the written notice follows the conversation the same day."""
    plan = plan_from_form(form(case="renews", renews="2027-03-31", notice="1 month"))
    days = {t.step.id: t.day for t in plan.tasks}
    assert days["conversation"] == days["send_notice"] == plan.send_by
    assert days["decide"] < days["read_agreement"] < days["conversation"] < days["walkthroughs"]
    assert days["last_day"] == plan.end_date
    assert days["retrospective"] == date(2027, 4, 28)


def _broken(change: dict[str, Any], index: int = 0) -> dict[str, Any]:
    data = raw_steps()
    data["steps"][index].update(change)
    return data


@pytest.mark.parametrize(
    ("data", "where", "field"),
    [
        (_broken({"phase": "celebrate"}), "step 'decide'", "phase"),
        (_broken({"anchor": "start"}), "step 'decide'", "anchor"),
        (_broken({"offset_days": -200}), "step 'decide'", "offset_days"),
        (_broken({"offset_days": 1.5}), "step 'decide'", "offset_days"),
        (_broken({"offset_days": True}), "step 'decide'", "offset_days"),
        (_broken({"colour": "red"}), "step 'decide'", "colour"),
        (_broken({"title": ""}), "step 'decide'", "title"),
        (_broken({"title": "two\nlines"}), "step 'decide'", "title"),
        (_broken({"link": "https://example.com/"}), "step 'decide'", "link"),
        (_broken({"id": "Decide!"}), "step 1", "id"),
        (_broken({"id": "next_option"}), "step 'next_option'", "id"),
        ({"steps": []}, "file", "steps"),
        ({"step": [{}]}, "file", "step"),
    ],
)
def test_a_malformed_steps_file_names_the_step_and_the_field(
    data: dict[str, Any], where: str, field: str
) -> None:
    """Each kind of mistake is a StepsError naming the file, the step and the field."""
    with pytest.raises(StepsError) as caught:
        parse_steps(data, "exit_steps.toml")
    assert caught.value.where == where
    assert caught.value.field == field
    assert str(caught.value).startswith("exit_steps.toml: ")


def test_a_missing_field_is_named() -> None:
    """A step without a title is refused for that field."""
    data = raw_steps()
    del data["steps"][2]["title"]
    with pytest.raises(StepsError, match="step 'read_agreement', field 'title': is missing"):
        parse_steps(data, "f.toml")


def test_a_file_that_is_not_toml_is_refused(tmp_path: Path) -> None:
    """Broken TOML and unreadable files raise StepsError naming the file."""
    bad = tmp_path / "steps.toml"
    bad.write_text("[[steps]\n", encoding="utf-8")
    with pytest.raises(StepsError, match="is not valid TOML"):
        load_steps(bad)
    with pytest.raises(StepsError, match="cannot be read"):
        load_steps(tmp_path / "absent.toml")


def test_the_relative_timeline_is_the_dated_plan_seen_from_the_last_day() -> None:
    """For a 28-day notice the page's relative days equal the dated plan's distances to the end."""
    plan = plan_from_form(form(case="notice_given", notice_given="2027-05-03", notice="28 days"))
    assert plan.end_date is not None
    dated = [((t.day - plan.end_date).days, t.step.id) for t in plan.tasks]
    relative = [(offset, step.id) for offset, step in relative_timeline(load_steps(), 28)]
    assert dated == relative
    assert relative[0][0] == -56
    assert relative[-1][0] == 28


# -- Renderers ----------------------------------------------------------------------------------

EXAMPLE = form(case="renews", renews="2027-03-31", notice="1 month", term="1 year")


def test_the_json_has_the_promised_fields_in_date_order() -> None:
    """notice_deadline, send_by and end_date are ISO dates; tasks carry date and title, sorted."""
    data = plan_from_form(EXAMPLE).to_dict()
    assert data["notice_deadline"] == "2027-02-28"
    assert data["send_by"] == "2027-02-21"
    assert data["end_date"] == "2027-03-31"
    assert data["cure_ends"] is None
    tasks = data["tasks"]
    assert isinstance(tasks, list)
    dates = [t["date"] for t in tasks]
    assert dates == sorted(dates)
    assert all(t["title"] for t in tasks)


def _steps_with(title: str) -> tuple[Any, ...]:
    data = raw_steps()
    data["steps"][0]["title"] = title
    data["steps"][0]["detail"] = title
    data["steps"][0]["who"] = title[:60]
    return parse_steps(data)


def test_the_calendar_parses_as_all_day_events_with_unique_stable_uids() -> None:
    """The icalendar library reads one all-day event per key date and step, UIDs unique."""
    plan = plan_from_form(EXAMPLE)
    text = to_ics(plan)
    calendar = icalendar.Calendar.from_ical(text)
    events = list(calendar.walk("VEVENT"))
    assert len(events) == len(plan.key_dates) + len(plan.tasks)
    assert str(calendar["PRODID"]).startswith("-//Partnership Playbook")
    assert str(calendar["VERSION"]) == "2.0"
    uids = [str(e["UID"]) for e in events]
    assert len(set(uids)) == len(uids)
    for event in events:
        start = event.decoded("DTSTART")
        assert type(start) is date
        assert event.decoded("DTEND") == start + timedelta(days=1)
        assert event.decoded("DTSTAMP").date() == date(2026, 11, 25)
    starts = sorted(e.decoded("DTSTART") for e in events if "Key date" not in str(e["SUMMARY"]))
    assert starts == [t.day for t in plan.tasks]
    assert to_ics(plan_from_form(EXAMPLE)) == text


def test_the_calendar_uses_crlf_and_folds_at_75_octets() -> None:
    """Every line ends CRLF, none is longer than 75 octets, and folding never splits a character."""
    title = ("Réunion de clôture: « très » important " * 3).strip()
    steps = _steps_with(title)
    plan = make_plan(
        PlanInput("renews", date(2027, 3, 31), Period(1, "month"), today=date(2026, 1, 1)), steps
    )
    raw = to_ics(plan).encode("utf-8")
    assert raw.endswith(b"\r\n")
    assert b"\n" not in raw.replace(b"\r\n", b"")
    lines = raw.split(b"\r\n")[:-1]
    assert max(len(line) for line in lines) <= 75
    assert any(line.startswith(b" ") for line in lines)
    for line in lines:
        line.decode("utf-8")  # a split multi-byte character would fail here
    event = next(
        e
        for e in icalendar.Calendar.from_ical(raw).walk("VEVENT")
        if "Réunion" in str(e["SUMMARY"])
    )
    assert str(event["SUMMARY"]) == title


def test_the_calendar_escapes_commas_semicolons_backslashes_and_newlines() -> None:
    """Text with , ; \\ and a line break survives the round trip through a real parser."""
    title = r"Pay A, B; and C\D"
    plan = make_plan(
        PlanInput("renews", date(2027, 3, 31), Period(1, "month"), today=date(2026, 1, 1)),
        _steps_with(title),
    )
    text = to_ics(plan)
    assert r"SUMMARY:Pay A\, B\; and C\\D" in text
    events = icalendar.Calendar.from_ical(text).walk("VEVENT")
    event = next(e for e in events if str(e["SUMMARY"]) == title)
    description = str(event["DESCRIPTION"])
    assert description.startswith(f"{title}. {title}\nRead more: ")


def test_markdown_and_html_escape_every_value() -> None:
    """Markup in the data is inert in both outputs; the HTML has no style attribute or script."""
    steps = _steps_with("<img src=x onerror=alert(1)> & *bold*")
    plan = make_plan(
        PlanInput("renews", date(2027, 3, 31), Period(1, "month"), today=date(2026, 1, 1)), steps
    )
    html = to_html(plan, "/site/")
    assert "<img" not in html
    assert "&lt;img src=x onerror=alert(1)&gt; &amp; *bold*" in html
    assert "style=" not in html
    assert "<script" not in html
    assert 'href="/site/go/transition/#hand-over"' in html
    markdown = to_markdown(plan)
    assert "<img" not in markdown
    assert r"\*bold\*" in markdown
    assert "- [ ] **Sun 24 Jan 2027**: " in markdown


def test_text_lists_this_week_and_flags_passed_dates() -> None:
    """The terminal text has a 'This week' list and marks steps whose date has gone by."""
    plan = plan_from_form(
        {"case": "renews", "renews": "2027-03-31", "notice": "1 month", "today": "2027-02-25"}
    )
    text = to_text(plan)
    week = text.split("This week:")[1].split("Steps:")[0]
    assert "Hold the exit conversation" in week
    assert "Confirm the decision" not in week
    assert "date passed" in text.split("Confirm the decision")[1].splitlines()[0]


# -- Properties -------------------------------------------------------------------------------

dates = st.dates(min_value=date(1990, 1, 1), max_value=date(2150, 12, 31))
periods = st.builds(
    Period,
    count=st.integers(min_value=1, max_value=24),
    unit=st.sampled_from(["day", "week", "month", "year"]),
)
margins = st.integers(min_value=0, max_value=60)


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


@settings(max_examples=150)
@given(renewal=dates, notice=periods, margin=margins, today=dates, term=st.none() | periods)
def test_the_deadline_is_never_after_the_end_date(
    renewal: date, notice: Period, margin: int, today: date, term: Period | None
) -> None:
    """Send-by <= deadline < end date, whenever the plan has an end date."""
    plan = make_plan(PlanInput("renews", renewal, notice, None, term, today, margin))
    assert plan.notice_deadline is not None
    if plan.end_date is not None:
        assert plan.notice_deadline < plan.end_date
        assert plan.send_by is not None
        assert plan.send_by <= plan.notice_deadline
        assert plan.notice_deadline >= today
        assert shift(plan.end_date, notice, -1) == plan.notice_deadline


@settings(max_examples=150)
@given(
    case=st.sampled_from(["renews", "notice_given", "concern_sent"]),
    day=dates,
    notice=periods,
    cure=periods,
    term=st.none() | periods,
    today=dates,
    margin=margins,
)
def test_plans_are_deterministic_and_every_task_lies_within_the_plan(
    case: str,
    day: date,
    notice: Period,
    cure: Period,
    term: Period | None,
    today: date,
    margin: int,
) -> None:
    """Same input, same plan and calendar; tasks are sorted and lie between first and last step."""
    inputs = PlanInput(case, day, notice, cure if case == "concern_sent" else None, term, today,
                       margin)  # fmt: skip
    plan = make_plan(inputs)
    again = make_plan(inputs)
    assert plan == again
    assert to_ics(plan) == to_ics(again)
    if plan.notice_day is None or plan.end_date is None:
        assert plan.tasks == ()
        return
    steps = load_steps()
    first = plan.notice_day + timedelta(days=min(s.offset_days for s in steps))
    last = plan.end_date + timedelta(days=max(s.offset_days for s in steps))
    days = [t.day for t in plan.tasks]
    assert days == sorted(days)
    assert len(days) == len(steps)
    assert all(first <= d <= last for d in days)
    for task in plan.tasks:
        if task.step.anchor == "notice":
            assert task.day <= max(plan.end_date, plan.notice_day)
        else:
            assert task.day >= plan.notice_day
        assert task.past == (task.day < today)


@settings(max_examples=100)
@given(day=dates, notice=periods)
def test_convenience_notice_ends_after_it_is_given(day: date, notice: Period) -> None:
    """Notice given on a day ends the agreement strictly later; days count back exactly."""
    plan = make_plan(PlanInput("notice_given", day, notice, today=day))
    assert plan.end_date is not None
    assert plan.end_date > day
    if notice.days() is not None:
        assert (plan.end_date - day).days == notice.days()


def test_plan_type_is_the_public_one() -> None:
    """plan_from_form returns the ExitPlan the page and the command line render."""
    assert isinstance(plan_from_form(EXAMPLE), ExitPlan)
    assert re.match(r"^Not renewing: ", plan_from_form(EXAMPLE).title)


# -- The timeline page's macros ---------------------------------------------------------------


def test_the_timeline_table_has_every_week_and_every_step() -> None:
    """Weeks -8 to +4 each have a row, and every step of the data file appears once, linked."""
    from macros.exit import FIRST_WEEK, LAST_WEEK, timeline_table, week_label

    table = timeline_table(load_steps(), "templates/exit-checklist.md")
    for week in range(FIRST_WEEK, LAST_WEEK + 1):
        assert f"| {week_label(week)} |" in table
    for step in load_steps():
        assert table.count(f"[{step.title}](") == 1, step.id
    assert "](../exit-planner/" not in table
    assert "](../go/transition.md#hand-over)" in table
    assert "Outside the window" not in table


def test_the_date_rules_quote_the_planners_own_results() -> None:
    """The published rules carry the worked examples as the planner computes them."""
    from macros.exit import date_rules

    rules = date_rules(load_steps())
    assert "the deadline is 2027-02-28" in rules
    assert "ends on 2027-02-28" in rules
    assert "the earliest termination is 2027-02-14" in rules
    assert "the next deadline is 2028-01-31, for the renewal on 2028-03-31" in rules


def test_markdown_and_html_list_this_weeks_steps() -> None:
    """Steps due in the next seven days get their own list in the Markdown and the HTML."""
    plan = plan_from_form(
        {"case": "renews", "renews": "2027-03-31", "notice": "1 month", "today": "2027-02-25"}
    )
    soon = [t.step.title for t in plan.due_soon()]
    assert soon and all(t.day < date(2027, 3, 4) for t in plan.due_soon())
    markdown = to_markdown(plan).split("## This week")[1].split("## Steps")[0]
    html = to_html(plan).split('id="plan-this-week"')[1].split("</ul>")[0]
    for title in soon:
        assert title in markdown
        assert title in html
    assert "Confirm the decision" not in markdown
    far = plan_from_form(form(case="renews", renews="2030-03-31", notice="1 month"))
    assert "This week" not in to_markdown(far)
    assert "plan-this-week" not in to_html(far)
