"""The exit planner's date rules (assessment/exit_plan.py): worked examples and properties."""

from __future__ import annotations

import re
from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from assessment.exit_form import PlanInput
from assessment.exit_plan import ExitPlan, make_plan, plan_from_form
from assessment.exit_report import to_ics
from assessment.exit_steps import load_steps
from assessment.periods import Period, shift
from tests.exit_examples import EXAMPLE, form

# -- The worked examples of the issue -------------------------------------------------------------


# A plan's id, as the page keeps one with its plan.
PLAN_ID = "0a1b2c3d-plan"


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
    assert data["notice_deadline"] == "2027-02-28"
    assert data["send_by"] == "2027-02-21"
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


# -- The timeline page's date rules ----------------------------------------------------------


def test_the_date_rules_quote_the_planners_own_results() -> None:
    """The published rules carry the worked examples as the planner computes them."""
    from macros.exit import date_rules

    rules = date_rules(load_steps())
    assert "the deadline is 2027-02-28" in rules
    assert "ends on 2027-02-28" in rules
    assert "runs to 2027-02-14, its last day" in rules
    assert "the planner dates it 2027-02-15" in rules
    assert "the next deadline is 2028-01-31, for the renewal on 2028-03-31" in rules
