"""The exit planner's date rules (assessment/exit_plan.py): worked examples and properties."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assessment.errors import PlanError
from assessment.exit_form import PlanInput
from assessment.exit_plan import (
    ExitPlan,
    make_plan,
    plan_from_form,
    step_bounds,
    step_is_a_deadline,
)
from assessment.exit_report import to_ics
from assessment.exit_steps import load_steps
from assessment.periods import WORKDAYS, Closure, Period, WorkCalendar, shift
from tests.exit_examples import EXAMPLE, form

# -- The worked examples of the issue -------------------------------------------------------------


# A plan's id, as the page keeps one with its plan.
PLAN_ID = "0a1b2c3d-plan"


def test_month_notice_before_a_month_end_renewal_clamps_to_february() -> None:
    """Renewal 2027-03-31 with one month's notice: the deadline is 2027-02-28, a Sunday, so
    notice must arrive by Friday 2027-02-26, and the plan says so."""
    plan = plan_from_form(form(case="renews", renews="2027-03-31", notice="1 month"))
    assert plan.deadline_as_written == date(2027, 2, 28)
    assert plan.notice_deadline == date(2027, 2, 26)
    assert plan.send_by == date(2027, 2, 19)
    assert plan.end_date == date(2027, 3, 31)
    assert not plan.deadline_passed
    assert any("Sun 28 Feb 2027, is a Sunday" in note for note in plan.notes)


def test_notice_for_convenience_on_january_31_ends_on_february_28() -> None:
    """Notice given on 2027-01-31 with one month ended the agreement on 2027-02-28 (a notice
    already given stays on its day, weekend or not)."""
    plan = plan_from_form(
        {"case": "notice_given", "notice_given": "2027-01-31", "notice": "1 month",
         "today": "2027-02-10"}
    )  # fmt: skip
    assert plan.end_date == date(2027, 2, 28)
    assert plan.notice_day == date(2027, 1, 31)
    assert plan.notice_deadline is None
    assert plan.send_by is None


def test_days_and_weeks_are_plain_subtraction() -> None:
    """60 days and 8 weeks count back day by day, with no month rule (then onto a working
    day: 2027-01-30 is a Saturday)."""
    days = plan_from_form(form(case="renews", renews="2027-03-31", notice="60 days"))
    assert days.deadline_as_written == date(2027, 1, 30)
    assert days.notice_deadline == date(2027, 1, 29)
    weeks = plan_from_form(form(case="renews", renews="2027-03-31", notice="8 weeks"))
    assert weeks.notice_deadline == weeks.deadline_as_written == date(2027, 2, 3)


def test_the_margin_moves_the_send_by_date_only() -> None:
    """A 14-day margin sends notice two weeks before the deadline; the deadline stays put."""
    plan = plan_from_form(form(case="renews", renews="2027-03-31", notice="1 month", margin="14"))
    assert plan.notice_deadline == date(2027, 2, 26)
    assert plan.send_by == date(2027, 2, 12)
    assert plan.notice_day == plan.send_by


def test_leap_year_february_keeps_its_29th() -> None:
    """In a leap year, one month before March 31 is February 29."""
    plan = plan_from_form(form(case="renews", renews="2028-03-31", notice="1 month"))
    assert plan.notice_deadline == plan.deadline_as_written == date(2028, 2, 29)


def test_inside_the_margin_the_notice_is_due_today() -> None:
    """Past the send-by date but before the deadline: converse and send today, and say so."""
    plan = plan_from_form(
        {"case": "renews", "renews": "2027-03-31", "notice": "1 month", "today": "2027-02-25"}
    )
    assert plan.notice_day == date(2027, 2, 25)
    assert plan.notice_deadline == date(2027, 2, 26)
    assert any("has passed but the deadline" in note for note in plan.notes)
    conversation = next(t for t in plan.tasks if t.step.id == "conversation")
    assert conversation.day == date(2027, 2, 25)
    assert not conversation.past
    # The preparation that should have started weeks ago comes first, to do now.
    assert next(t for t in plan.tasks if t.step.id == "decide").past
    assert "decide" in [t.step.id for t in plan.do_now]


def test_a_passed_deadline_with_a_term_gives_the_next_renewal() -> None:
    """Deadline gone: the plan says so plainly and moves to the next renewal's deadline."""
    plan = plan_from_form(form(case="renews", renews="2026-12-10", notice="60 days", term="1 year"))
    assert plan.deadline_passed
    assert "It has passed" in plan.notes[0]
    assert "2026-10-11" in plan.notes[0]
    assert plan.end_date == date(2027, 12, 10)
    assert plan.notice_deadline == date(2027, 10, 11)
    assert plan.key_dates[0].key == "missed_deadline"
    assert plan.key_dates[0].day == date(2026, 10, 11)


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
    """Termination notice goes the day after the cure period's last day; a notice period runs
    from there."""
    plan = plan_from_form(form(case="concern_sent", concern_sent="2027-01-15", cure="30 days"))
    assert plan.cure_ends == date(2027, 2, 14)
    assert plan.notice_day == date(2027, 2, 15)
    assert plan.end_date == date(2027, 2, 15)
    with_notice = plan_from_form(
        form(case="concern_sent", concern_sent="2027-01-15", cure="30 days", notice="1 month")
    )
    assert with_notice.end_date == date(2027, 3, 15)


def test_ending_for_cause_at_once_squeezes_the_hand_over_onto_the_last_day() -> None:
    """With no notice after the cure period, no hand-over step falls before the notice day."""
    plan = plan_from_form(form(case="concern_sent", concern_sent="2027-01-15", cure="2 weeks"))
    assert plan.end_date is not None
    for task in plan.tasks:
        if task.step.anchor == "end":
            assert task.day >= plan.end_date


def test_the_conversation_and_the_notice_fall_on_the_same_day() -> None:
    """The order of operations: the written notice follows the conversation the same day."""
    plan = plan_from_form(form(case="renews", renews="2027-03-31", notice="1 month"))
    days = {t.step.id: t.day for t in plan.tasks}
    assert days["conversation"] == days["send_notice"] == plan.send_by
    assert days["decide"] < days["read_agreement"] < days["conversation"] < days["walkthroughs"]
    assert days["last_day"] == plan.end_date
    assert days["retrospective"] == date(2027, 4, 28)


# -- The plan as data ------------------------------------------------------------------------


def test_the_json_has_the_promised_fields_in_date_order() -> None:
    """notice_deadline, send_by and end_date are ISO dates; tasks carry date and title, sorted."""
    data = plan_from_form(EXAMPLE).to_dict()
    assert data["notice_deadline"] == "2027-02-26"
    assert data["deadline_as_written"] == "2027-02-28"
    assert data["send_by"] == "2027-02-19"
    assert data["end_date"] == "2027-03-31"
    assert data["cure_ends"] is None
    tasks = data["tasks"]
    assert isinstance(tasks, list)
    dates = [t["date"] for t in tasks]
    assert dates == sorted(dates)
    assert all(t["title"] for t in tasks)


# -- Properties -------------------------------------------------------------------------------

dates = st.dates(min_value=date(1990, 1, 1), max_value=date(2150, 12, 31))
periods = st.builds(
    Period,
    count=st.integers(min_value=1, max_value=24),
    unit=st.sampled_from(["day", "week", "month", "year"]),
)
margins = st.integers(min_value=0, max_value=60)


@settings(max_examples=150)
@given(renewal=dates, notice=periods, margin=margins, today=dates, term=st.none() | periods)
def test_the_deadline_is_never_after_the_end_date(
    renewal: date, notice: Period, margin: int, today: date, term: Period | None
) -> None:
    """Send-by <= deadline < end date, whenever the plan has an end date."""
    try:
        plan = make_plan(PlanInput("renews", renewal, notice, None, term, today, margin))
    except PlanError as error:
        # Only a notice longer than the term is refused, and it names the notice.
        assert term is not None and error.field == "notice"
        assert shift(renewal, notice, -1) < shift(renewal, term, -1)
        return
    assert plan.notice_deadline is not None
    if plan.end_date is not None:
        assert plan.notice_deadline < plan.end_date
        assert plan.send_by is not None
        assert plan.send_by <= plan.notice_deadline
        assert plan.deadline_as_written is not None and plan.deadline_as_written >= today
        assert shift(plan.end_date, notice, -1) == plan.deadline_as_written
        assert plan.notice_deadline == WORKDAYS.on_or_before(plan.deadline_as_written)


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
    try:
        plan = make_plan(inputs)
    except PlanError as error:
        assert case == "renews" and term is not None and error.field == "notice"
        return
    again = make_plan(inputs)
    assert plan == again
    assert to_ics(plan, plan_id=PLAN_ID) == to_ics(again, plan_id=PLAN_ID)
    if plan.notice_day is None or plan.end_date is None:
        assert plan.tasks == ()
        return
    steps = load_steps()
    first = plan.notice_day + timedelta(days=min(s.offset_days for s in steps))
    last = plan.end_date + timedelta(days=max(s.offset_days for s in steps))
    days = [t.day for t in plan.tasks]
    assert days == sorted(days)
    assert len(days) == len(steps)
    # Each step's day before it moved onto a working day lies within the plan.
    assert all(first <= (t.moved_from or t.day) <= last for t in plan.tasks)
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
    # A notice to be given on a weekend is given on the next working day, and counted from it.
    given = WORKDAYS.on_or_after(day)
    assert plan.notice_day == given
    if notice.days() is not None:
        assert (plan.end_date - given).days == notice.days()


def test_plan_type_is_the_public_one() -> None:
    """plan_from_form returns the ExitPlan the page and the command line render."""
    assert isinstance(plan_from_form(EXAMPLE), ExitPlan)
    assert re.match(r"^Not renewing: ", plan_from_form(EXAMPLE).title)


# -- The timeline page's date rules ----------------------------------------------------------


def test_the_date_rules_quote_the_planners_own_results() -> None:
    """The published rules carry the worked examples as the planner computes them."""
    from macros.exit import date_rules

    rules = date_rules(load_steps())
    assert "the deadline is 2027-01-30, a Saturday, so notice must arrive by 2027-01-29" in rules
    assert "the deadline is 2027-02-28" in rules
    assert "2027-02-28 is a Sunday: notice must arrive by 2027-02-26" in rules
    assert "must be posted by 2027-02-24, and the recommended send-by date is 2027-02-17" in rules
    assert "ends on 2027-04-30" in rules
    assert "runs to 2027-02-14, its last day" in rules
    assert "the planner dates it 2027-02-15" in rules
    assert "the next deadline is 2028-01-31, for the renewal on 2028-03-31" in rules


# -- Working days, closures and how the notice arrives (issue 30) ----------------------------------

yearly = st.tuples(st.integers(1, 12), st.integers(1, 28))


@st.composite
def closure_calendars(draw: st.DrawFn) -> WorkCalendar:
    """Up to three closures, yearly or dated, of up to three weeks each."""
    closures = []
    for _ in range(draw(st.integers(0, 3))):
        if draw(st.booleans()):
            first = draw(yearly)
            end = date(2001, *first) + timedelta(days=draw(st.integers(0, 20)))
            closures.append(Closure(first, (end.month, end.day)))
        else:
            start = draw(st.dates(min_value=date(2020, 1, 1), max_value=date(2040, 12, 31)))
            closures.append(Closure(start, start + timedelta(days=draw(st.integers(0, 20)))))
    return WorkCalendar(tuple(closures))


deemed_rules = st.none() | st.builds(
    Period, count=st.integers(1, 5), unit=st.sampled_from(["day", "business_day"])
)
near_dates = st.dates(min_value=date(2025, 1, 1), max_value=date(2035, 12, 31))


@settings(max_examples=200)
@given(
    case=st.sampled_from(["renews", "notice_given", "concern_sent"]),
    day=near_dates,
    notice=periods,
    term=st.none() | periods,
    today=near_dates,
    margin=margins,
    deemed=deemed_rules,
    calendar=closure_calendars(),
)
def test_no_deadline_lands_on_a_weekend_or_a_closure_and_none_moves_later(
    case: str,
    day: date,
    notice: Period,
    term: Period | None,
    today: date,
    margin: int,
    deemed: Period | None,
    calendar: WorkCalendar,
) -> None:
    """The notice deadline, the last day to send and the send-by date are working days, never
    later than the agreement's own deadline; every step is on a working day inside its bounds
    (a deadline moved no later, a task later, or earlier only when later would leave them), and
    is left on another day, saying why, only when no working day it may move to is inside."""
    inputs = PlanInput(case, day, notice, notice if case == "concern_sent" else None, term,
                       today, margin, "post", deemed, calendar)  # fmt: skip
    try:
        plan = make_plan(inputs)
    except PlanError as error:
        assert error.field == "notice" and term is not None
        return
    deadlines = [plan.notice_deadline, plan.latest_send, plan.send_by]
    if case == "renews" and plan.end_date is not None:
        assert plan.deadline_as_written is not None
        for deadline in deadlines:
            assert deadline is not None and calendar.is_working(deadline)
            assert deadline <= plan.deadline_as_written
        assert plan.send_by <= plan.latest_send <= plan.notice_deadline  # type: ignore[operator]
    for task in plan.tasks:
        assert plan.notice_day is not None and plan.end_date is not None
        low, high = step_bounds(task.step, plan.notice_day, plan.end_date)
        due_by = step_is_a_deadline(task.step)
        if task.left_on:
            # Only when no working day it may move to lies inside its bounds: none from its
            # lower bound to its day (a deadline) or to its upper bound (a task).
            assert not calendar.is_working(task.day) and task.moved_from is None
            assert low is not None, task
            latest = task.day if due_by else high
            assert latest is not None and calendar.on_or_after(low) > latest, task
            continue
        assert calendar.is_working(task.day), task
        if task.moved_from is not None:
            assert (low is None or task.day >= low) and (high is None or task.day <= high), task
            if due_by:
                assert task.day < task.moved_from
            elif task.day < task.moved_from:
                # Earlier only when the working day after would leave its bounds.
                assert high is not None and calendar.on_or_after(task.moved_from) > high, task
                assert task.day == calendar.on_or_before(task.moved_from)
    days = [t.day for t in plan.tasks]
    assert days == sorted(days)


def test_a_deemed_receipt_rule_moves_the_send_by_date_earlier() -> None:
    """Posted notices that count as received two business days later must go two working days
    before the deadline; the margin then comes on top, and the plan says why."""
    plain = plan_from_form(form(case="renews", renews="2027-03-31", notice="1 month"))
    posted = plan_from_form(
        form(
            case="renews", renews="2027-03-31", notice="1 month", service="post",
            deemed="two business days after posting",
        )
    )  # fmt: skip
    assert plain.latest_send == plain.notice_deadline == date(2027, 2, 26)
    assert posted.notice_deadline == date(2027, 2, 26)
    assert posted.latest_send == date(2027, 2, 24)
    assert posted.send_by == date(2027, 2, 17)
    assert any("2 business days after it is sent" in note for note in posted.notes)
    assert "latest_send" in [k.key for k in posted.key_dates]


def test_e_mail_notices_are_flagged_and_post_without_a_rule_is_explained() -> None:
    """E-mail: many agreements exclude it for notices; post without a rule: add the rule."""
    email = plan_from_form(form(case="renews", renews="2027-03-31", notice="1 month",
                                service="email"))  # fmt: skip
    assert any("exclude it for notices" in note for note in email.notes)
    post = plan_from_form(form(case="renews", renews="2027-03-31", notice="1 month",
                               service="post"))  # fmt: skip
    assert any("usually says when such a notice counts as received" in n for n in post.notes)


def test_a_closure_moves_dates_and_a_key_date_near_one_is_flagged() -> None:
    """With the office closed 24 Dec to 1 Jan, a deadline in it moves before it, a step after
    it, and key dates near it are flagged."""
    plan = plan_from_form(
        form(case="renews", renews="2027-01-28", notice="1 month", closures="24 Dec to 1 Jan")
    )
    assert plan.deadline_as_written == date(2026, 12, 28)
    assert plan.notice_deadline == date(2026, 12, 23)
    assert any("your closure 24 Dec to 1 Jan" in note for note in plan.notes)
    assert any("within a week of your closure 24 Dec to 1 Jan" in n for n in plan.notes)
    later = plan_from_form(
        form(case="renews", renews="2027-01-10", notice="1 month", closures="24 Dec to 1 Jan")
    )
    for each in (plan, later):
        assert all(not date(2026, 12, 24) <= t.day <= date(2027, 1, 1) for t in each.tasks)
    moved = {t.step.id: t for t in later.tasks if t.moved_why == "your closure 24 Dec to 1 Jan"}
    # Handing over the assets is due by its day: from Thu 31 Dec to Wed 23 Dec.
    assert moved["transfer_assets"].moved_from == date(2026, 12, 31)
    assert moved["transfer_assets"].day == date(2026, 12, 23)


def test_a_task_that_cannot_move_after_a_closure_moves_before_it() -> None:
    """Notice on Fri 17 Dec with a week's notice ends on Fri 24 Dec, in the closure: telling
    shared customers cannot move past the last day, so it moves to Thu 23 Dec, the working day
    before, not left on the closure day; no step is left to plan by hand."""
    plan = plan_from_form(
        form(case="notice_given", notice_given="2027-12-17", notice="1 week",
             closures="24 Dec to 1 Jan", today="2027-12-01")
    )  # fmt: skip
    tasks = {t.step.id: t for t in plan.tasks}
    tell = tasks["tell_customers"]
    assert (tell.day, tell.moved_from, tell.left_on) == (date(2027, 12, 23), date(2027, 12, 24), "")
    assert tell.day <= tasks["last_day"].day
    assert not any(t.left_on for t in plan.tasks)
    assert not any("plan those by hand" in note for note in plan.notes)


def test_a_notice_period_longer_than_the_term_is_refused() -> None:
    """Three months' notice on a monthly term cannot be right: the notice field says so."""
    with pytest.raises(PlanError, match="longer than the renewal term") as caught:
        plan_from_form(form(case="renews", renews="2027-03-31", notice="3 months", term="1 month"))
    assert caught.value.field == "notice"


def test_a_term_in_business_days_is_refused() -> None:
    """A renewal term is calendar time; business days are for notice and cure periods."""
    with pytest.raises(PlanError, match="calendar time") as caught:
        plan_from_form(
            form(case="renews", renews="2027-03-31", notice="30 business days",
                 term="250 business days")
        )  # fmt: skip
    assert caught.value.field == "term"
    plan = plan_from_form(form(case="renews", renews="2027-03-31", notice="30 business days"))
    assert plan.deadline_as_written == WORKDAYS.add_business_days(date(2027, 3, 31), -30)


def test_the_json_lists_what_to_do_now() -> None:
    """The plan's data names the overdue steps, and each step's move if it moved."""
    data = plan_from_form(
        {"case": "renews", "renews": "2027-03-31", "notice": "1 month", "today": "2027-02-25"}
    ).to_dict()
    tasks = data["tasks"]
    assert isinstance(tasks, list)
    assert data["do_now"] == [t["step"] for t in tasks if t["past"]]
    assert any(t["moved_from"] for t in tasks)
