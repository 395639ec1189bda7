"""The decision (assessment/decision.py): the clock, the suggestion, the memo, the calendar, the
file and the command line `partnership-decide`. Every date is checked against the exit
planner's own (the same engine), every verdict against the bank's."""

from __future__ import annotations

import base64
import json
import re
import subprocess
import sys
import tomllib
from datetime import date, timedelta
from html.parser import HTMLParser
from itertools import pairwise
from pathlib import Path
from typing import Any

import icalendar
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from assessment import Bank, assess, encode
from assessment.bank import load_bank
from assessment.codec import decode_response
from assessment.decision import (
    AGREEMENT,
    COST_ROWS,
    FIELDS,
    FORMAT,
    NEXT_STEPS,
    STAYING,
    TOTAL_LEAVING,
    DecisionError,
    calendar_events,
    clean_values,
    decide,
    decision_of,
    document,
    exit_lead_days,
    read_decision,
    read_document,
    read_file_bytes,
    to_dict,
    to_html,
    to_ics,
    to_markdown,
)
from assessment.decision_page import calendar as page_calendar
from assessment.decision_page import decide as page_decide
from assessment.decision_page import export, latest_health, open_file
from assessment.examples import scenario
from assessment.exit_plan import plan_from_form
from assessment.page_facts import page_facts
from assessment.periods import WORKDAYS, Period, shift
from assessment.team import combine

ROOT = Path(__file__).resolve().parent.parent
TODAY = date(2026, 12, 7)
DECISION_ID = "0a1b2c3d-decision"
BASE = {
    "partnership": "Cobalt Advisory, reseller agreement",
    "agreement_case": "renews",
    "agreement_renews": "2027-06-30",
    "agreement_notice": "3 months",
    "agreement_term": "1 year",
    "decided_by": "Sponsor and budget holder",
}


def values(**more: str) -> dict[str, str]:
    """A decision as the page sends it (strings only)."""
    return {**BASE, **more}


def code_of(bank: Bank, scenario_id: str) -> str:
    """The share code of a named scenario's answers, dated before the decision."""
    return encode(scenario(scenario_id).answers(bank), bank, given=date(2026, 11, 20))


def made(**more: str) -> Any:
    decision, problems = decision_of(values(**more), TODAY)
    assert decision is not None, problems
    return decision


def planner_form(v: dict[str, str], today: date = TODAY) -> dict[str, str]:
    """The same agreement as the exit planner's form."""
    form = {k[len(AGREEMENT) :]: x for k, x in v.items() if k.startswith(AGREEMENT)}
    return {**form, "case": form.get("case", "renews"), "today": today.isoformat()}


# -- The clock is the exit planner's ---------------------------------------------------------------


def test_the_memo_s_dates_are_the_exit_planner_s(bank: Bank) -> None:
    """The send-by date and the notice deadline are the planner's, and going must be decided on
    the day the planner dates its first step, "Confirm the decision"."""
    decision = made(health_code=code_of(bank, "no_value_one_sided"))
    plan = plan_from_form(planner_form(values()))
    clock = decision.clock
    assert clock is not None
    assert clock.deadline == plan.notice_deadline and clock.send_by == plan.send_by
    confirm = next(t for t in plan.tasks if t.step.id == "decide")
    assert clock.go_by == confirm.day
    assert decision.option("go").decide_by == confirm.day
    assert (decision.suggestion, decision.path, decision.decide_by) == ("go", "go", confirm.day)
    markdown = to_markdown(decision)
    for day in (plan.send_by, plan.notice_deadline, confirm.day):
        assert day is not None
        assert day.strftime("%-d %b %Y") in markdown


def test_restructure_starts_talks_a_negotiation_before_going_and_repair_a_review_before(
    bank: Bank,
) -> None:
    """Each option's decide-by date: going's, less the negotiation or the review period."""
    decision = made(negotiation="8 weeks", review_period="2 months")
    clock = decision.clock
    assert clock is not None
    assert clock.restructure_by == WORKDAYS.on_or_before(clock.go_by - timedelta(weeks=8))
    assert clock.repair_by == WORKDAYS.on_or_before(shift(clock.go_by, Period(2, "month"), -1))


# -- Properties ------------------------------------------------------------------------------------

renewals = st.dates(min_value=date(2027, 1, 1), max_value=date(2031, 12, 31))
notices = st.builds(
    Period,
    count=st.integers(min_value=1, max_value=6),
    unit=st.sampled_from(["week", "month", "day", "business_day"]),
)
reviews = st.builds(
    Period, count=st.integers(min_value=1, max_value=6), unit=st.sampled_from(["week", "month"])
)
todays = st.dates(min_value=date(2026, 1, 1), max_value=date(2027, 12, 31))
closures = st.sampled_from(["", "24 Dec to 1 Jan", "1 Aug to 21 Aug; 1 May"])
margins = st.integers(min_value=0, max_value=30)


def _decision(
    renewal: date, notice: Period, review: Period, today: date, margin: int, closed: str,
    choice: str = "",
) -> Any:  # fmt: skip
    v = values(
        agreement_renews=renewal.isoformat(), agreement_notice=str(notice),
        agreement_term="", agreement_margin=str(margin), agreement_closures=closed,
        review_period=str(review), decided_on=today.isoformat(), choice=choice,
        health_code="",
    )  # fmt: skip
    decision, problems = decision_of(v, today)
    assert decision is not None, problems
    return decision


@settings(max_examples=150)
@given(renewals, notices, reviews, todays, margins, closures)
def test_no_decide_by_date_is_after_the_notice_deadline(
    renewal: date, notice: Period, review: Period, today: date, margin: int, closed: str
) -> None:
    """Every option's decide-by date comes before notice must arrive, and a repair review is
    never planned after the decide-by date it feeds."""
    decision = _decision(renewal, notice, review, today, margin, closed, "stay")
    clock = decision.clock
    if clock is None:
        return
    assert clock.deadline is not None
    for option in decision.options:
        assert option.decide_by is not None and option.decide_by <= clock.deadline
    assert clock.repair_by <= clock.restructure_by or clock.restructure_by <= clock.go_by
    assert clock.go_by <= clock.notice_day <= clock.deadline
    if decision.review is not None:
        assert decision.review <= clock.go_by


deemed_rules = st.sampled_from(["", "two business days after posting", "next day", "5 days"])


@settings(max_examples=200)
@given(
    renewals, st.integers(min_value=-200, max_value=400), notices, margins,
    st.sampled_from(["", "hand", "courier", "post", "email"]), deemed_rules, closures,
    st.sampled_from(["1 year", ""]), st.sampled_from(["go", "stay", "restructure", ""]),
)  # fmt: skip
def test_the_decision_s_dates_are_always_the_exit_planner_s(
    renewal: date, before: int, notice: Period, margin: int, service: str, deemed: str,
    closed: str, term: str, choice: str,
) -> None:  # fmt: skip
    """For any agreement and any today (before the send-by date, after it, after the notice
    deadline), the decision's deadline, send-by date, going's decide-by date and its next step
    to send the notice are the exit planner's: its notice deadline, send-by date, "Confirm the
    decision" step and "Conversation and written notice" day."""
    today = renewal - timedelta(days=before)
    v = values(
        agreement_renews=renewal.isoformat(), agreement_notice=str(notice),
        agreement_term=term, agreement_margin=str(margin), agreement_service=service,
        agreement_deemed=deemed, agreement_closures=closed, decided_on=today.isoformat(),
        choice=choice, health_code="",
    )  # fmt: skip
    decision, problems = decision_of(v, today)
    assert decision is not None, problems
    plan = plan_from_form(planner_form(v, today))
    clock = decision.clock
    if plan.notice_day is None:
        assert clock is None
        return
    assert clock is not None
    assert clock.deadline == plan.notice_deadline and clock.send_by == plan.send_by
    assert clock.notice_day == plan.notice_day
    confirm = next(t for t in plan.tasks if t.step.id == "decide")
    assert clock.go_by == confirm.day
    assert decision.option("go").decide_by == confirm.day
    if decision.path == "go":
        send = next(s for s in decision.next_steps if "send the written notice" in s.what)
        assert send.day == plan.notice_day
    keys = {key: day for key, _, day in decision.key_dates}
    assert keys.get("send_by", keys.get("notice_day")) == plan.notice_day


@settings(max_examples=150)
@given(renewals, st.integers(min_value=1, max_value=400), notices, reviews, todays, margins,
       closures)  # fmt: skip
def test_a_later_renewal_never_moves_a_decide_by_date_earlier(
    renewal: date, later: int, notice: Period, review: Period, today: date, margin: int,
    closed: str,
) -> None:  # fmt: skip
    """Moving the renewal later moves each decide-by date later or leaves it (while neither
    renewal's deadline has passed: a passed one is about the next renewal)."""
    first = _decision(renewal, notice, review, today, margin, closed)
    second = _decision(renewal + timedelta(days=later), notice, review, today, margin, closed)
    assume(first.clock is not None and second.clock is not None)
    assume(not first.clock.plan.deadline_passed and not second.clock.plan.deadline_passed)
    for a, b in zip(first.options, second.options, strict=True):
        assert a.decide_by is not None and b.decide_by is not None
        assert b.decide_by >= a.decide_by, (a, b)
    assert second.clock.go_by >= first.clock.go_by


@settings(max_examples=100)
@given(reviews, todays, st.dates(min_value=date(2026, 1, 1), max_value=date(2028, 12, 31)))
def test_a_repair_review_never_ends_after_the_decision_it_feeds(
    review: Period, today: date, given_review: date
) -> None:
    """Whatever review date the reader gives, the review the memo plans (and puts in the
    calendar) ends by the day going must be decided; when none fits, none is planned."""
    v = values(
        review_period=str(review), repair_review=given_review.isoformat(), choice="stay",
        decided_on=today.isoformat(), health_code="",
    )  # fmt: skip
    decision, _ = decision_of(v, today)
    assert decision is not None and decision.clock is not None
    keys = {key: day for key, _, day in decision.key_dates}
    if "repair_review" in keys:
        assert keys["repair_review"] <= decision.clock.go_by


# -- The suggestion, from the health result --------------------------------------------------------


@pytest.mark.parametrize(
    ("scenario_id", "suggestion", "path"),
    [
        ("healthy", "stay", "stay"),
        ("no_written_agreement", "stay", "repair"),
        ("deal_no_longer_pays", "restructure", "restructure"),
        ("no_value_one_sided", "go", "go"),
        ("too_many_unknowns", None, None),
    ],
)
def test_the_suggestion_follows_the_health_verdict(
    bank: Bank, scenario_id: str, suggestion: str | None, path: str | None
) -> None:
    """Stay, repair (staying), restructure and go each suggest their path; too few answers
    suggests nothing; the verdict's own reasons come with it."""
    decision = made(health_code=code_of(bank, scenario_id), agreement_renews="2028-06-30")
    assert (decision.suggestion, decision.path) == (suggestion, path)
    result = assess(scenario(scenario_id).answers(bank), bank)
    assert f"gives {result.verdict_label}" in decision.reasons[0]
    if result.reasons:
        assert result.reasons[0] in decision.reasons


def test_without_a_health_result_there_is_no_suggestion() -> None:
    """No share code: no suggestion, and the reason says how to get one."""
    decision = made()
    assert decision.suggestion is None
    assert "take the self-assessment" in decision.reasons[0]


def test_a_team_round_s_codes_give_the_team_s_result(bank: Bank) -> None:
    """Several codes or share links, one per line: the health result is the team's, combined as
    the compare page combines it, and the memo says it is a team's."""
    ids = ("deal_no_longer_pays", "healthy", "no_value_one_sided")
    codes = [code_of(bank, scenario_id) for scenario_id in ids]
    pasted = f"{codes[0]}\n  https://example.org/assessment/#code={codes[1]}\n{codes[2]}\n"
    decision = made(health_code=pasted)
    team = combine([decode_response(code, bank) for code in codes], bank)
    health = decision.inputs.health
    assert health is not None and health.respondents == len(ids)
    assert health.result.verdict == team.verdict
    assert f"({len(ids)} respondents)" in decision.reasons[0]
    assert f"gives {team.verdict_label}" in decision.reasons[0]
    assert to_dict(decision)["health"]["respondents"] == len(ids)
    assert f"{len(ids)} respondents" in to_markdown(decision)
    # One code alone is one person's result, as before.
    alone = made(health_code=codes[0]).inputs.health
    assert alone is not None and alone.respondents == 1


def test_a_team_code_that_cannot_be_read_is_named_by_its_place(bank: Bank) -> None:
    """Among a round's codes, the one that cannot be read is named by its number."""
    pasted = f"{code_of(bank, 'healthy')}\n2-{bank.version}-notacode"
    decision, problems = decision_of(values(health_code=pasted), TODAY)
    assert decision is None
    [problem] = problems
    assert problem.field == "health_code" and "Code 2" in problem.text


def test_when_a_repair_no_longer_fits_the_two_honest_options_are_given(bank: Bank) -> None:
    """A repair verdict four months before the deadline, with a three-month review: it cannot
    be reviewed before going must be decided. Decide now, or let it renew (with the next
    renewal's dates, from the term)."""
    decision = made(
        health_code=code_of(bank, "no_written_agreement"),
        agreement_renews="2027-05-31",
        review_period="3 months",
    )
    assert not decision.repair_fits and decision.suggestion is None
    assert decision.suggestion_label == "Decide now, or let it renew"
    now, renew = decision.honest_options
    assert now.startswith("Decide now")
    assert "Let it renew on Mon 31 May 2027" in renew and "31 May 2028" in renew
    assert decision.review is None
    assert "too late for a repair started now" in decision.option("stay").needs
    without_term = made(
        health_code=code_of(bank, "no_written_agreement"),
        agreement_renews="2027-05-31",
        agreement_term="",
    )
    assert "give the renewal term" in without_term.honest_options[1]


def test_the_last_day_to_decide_is_a_key_date_when_no_decide_by_date_is_ahead(bank: Bank) -> None:
    """With no path to date (a repair that no longer fits) or its date gone by, the day going
    must be decided on is still in the memo's key dates and the calendar; with a path whose date
    is ahead, it is not said twice."""
    no_path = made(health_code=code_of(bank, "no_written_agreement"), agreement_renews="2027-05-31")
    assert no_path.path is None and no_path.clock is not None
    keys = {key: day for key, _, day in no_path.key_dates}
    assert keys["last_call"] == no_path.clock.go_by >= TODAY
    assert no_path.clock.go_by in {e.day for e in calendar_events(no_path)}
    gone_by = made(health_code=code_of(bank, "no_written_agreement"), choice="stay",
                   agreement_renews="2027-05-31")  # fmt: skip
    assert gone_by.decide_by is not None and gone_by.decide_by < TODAY
    assert {key: day for key, _, day in gone_by.key_dates}["last_call"] == gone_by.clock.go_by
    ahead = made(health_code=code_of(bank, "no_value_one_sided"), agreement_renews="2028-06-30")
    assert ahead.decide_by is not None and ahead.decide_by >= TODAY
    assert "last_call" not in {key for key, _, _ in ahead.key_dates}


@pytest.mark.parametrize(
    "agreement",
    [
        {"agreement_case": "notice_given", "agreement_notice_given": "2027-03-15"},
        {"agreement_case": "concern_sent", "agreement_concern_sent": "2027-01-04",
         "agreement_cure": "30 days"},
    ],
    ids=["notice_given", "concern_sent"],
)  # fmt: skip
def test_a_notice_on_a_set_day_is_a_key_date_in_the_planner_s_words(
    bank: Bank, agreement: dict[str, str]
) -> None:
    """When the notice goes out on a day the agreement sets (no send-by date to count back
    from), that day is a key date, named as the exit planner names it, and in the calendar."""
    v = {k: x for k, x in values(**agreement).items() if k != "agreement_renews"}
    decision, problems = decision_of({**v, "health_code": code_of(bank, "no_value_one_sided")},
                                     TODAY)  # fmt: skip
    assert decision is not None, problems
    plan = plan_from_form(planner_form(v))
    assert plan.send_by is None and plan.notice_day is not None
    [(label, day)] = [(label, day) for key, label, day in decision.key_dates if key == "notice_day"]
    assert day == plan.notice_day
    assert label in {k.label for k in plan.key_dates if k.day == plan.notice_day}
    assert day in {e.day for e in calendar_events(decision)}


@pytest.mark.parametrize("days", range(7))
def test_the_next_steps_fall_on_working_days(bank: Bank, days: int) -> None:
    """Whatever day of the week the memo is made, with the agreement's calendar (a closure
    too), no next step is dated on a weekend or a closure day."""
    today = TODAY + timedelta(days=days)
    closed = (today + timedelta(days=1)).isoformat()
    for scenario_id in ("healthy", "no_written_agreement", "deal_no_longer_pays"):
        decision, problems = decision_of(
            values(health_code=code_of(bank, scenario_id), agreement_renews="2028-06-30",
                   agreement_closures=closed, decided_on=today.isoformat()),
            today,
        )  # fmt: skip
        assert decision is not None, problems
        assert decision.inputs.agreement is not None
        calendar = decision.inputs.agreement.calendar
        for step in decision.next_steps:
            assert step.day is None or calendar.is_working(step.day), step


@settings(max_examples=60)
@given(
    renewals, todays, reviews, st.sampled_from(["stay", "restructure", "go", "repair"]),
    st.sampled_from(["", "1 year"]),
)  # fmt: skip
def test_the_next_steps_are_in_date_order(
    renewal: date, today: date, recheck: Period, choice: str, term: str
) -> None:
    """Whatever the path and however far the re-check or the renewal, the memo lists its next
    steps by date; a step with no date stays just after the step before it."""
    scenario_id = "no_written_agreement" if choice == "repair" else "healthy"
    v = values(
        agreement_renews=renewal.isoformat(), agreement_term=term, recheck=str(recheck),
        decided_on=today.isoformat(), health_code=code_of(load_bank(), scenario_id),
        choice="stay" if choice == "repair" else choice,
    )  # fmt: skip
    decision, problems = decision_of(v, today)
    assert decision is not None, problems
    days = [s.day for s in decision.next_steps if s.day is not None]
    assert days == sorted(days), decision.next_steps
    if decision.path is not None:
        whats = [s.what for s in decision.next_steps]
        for before, after in pairwise(NEXT_STEPS[decision.path]):
            if before[0] in whats and after[0] in whats:
                step = decision.next_steps[whats.index(after[0])]
                if step.day is None:
                    assert whats.index(after[0]) == whats.index(before[0]) + 1


def test_a_suggestion_whose_decide_by_date_has_passed_says_so(bank: Bank) -> None:
    """No choice made, and the suggested path's decide-by date is behind: the suggestion's
    reasons say so, with what can still be done."""
    decision = made(health_code=code_of(bank, "no_value_one_sided"),
                    agreement_renews="2027-03-31")  # fmt: skip
    assert decision.chosen is None and decision.path == "go"
    assert decision.decide_by is not None and decision.decide_by < TODAY
    assert any("has already passed" in reason for reason in decision.reasons)
    ahead = made(health_code=code_of(bank, "no_value_one_sided"), agreement_renews="2028-06-30")
    assert not any("has already passed" in reason for reason in ahead.reasons)


def test_a_decide_by_date_already_past_is_said_beside_the_choice(bank: Bank) -> None:
    """Choosing to go after going's decide-by date: a warning beside the choice, with what can
    still be done; the memo is still made."""
    decision = made(choice="go", agreement_renews="2027-03-31")
    assert decision.decide_by is not None and decision.decide_by < TODAY
    [warning] = [w for w in decision.warnings if w.field == "choice"]
    assert "has already passed" in warning.text
    assert "send notice by" in warning.text or "exit planner" in warning.text
    assert "has already passed" in to_html(decision)


# -- Bad input: named beside its field, nothing else lost ------------------------------------------


@pytest.mark.parametrize(
    ("field", "value", "problem"),
    [
        ("agreement_renews", "2027-02-30", "not a real date"),
        ("agreement_notice", "13 months", "longer than the renewal term"),
        ("cost_switching", "about ten grand", "write an amount in figures"),
        ("cost_staying", "-500", "write an amount in figures"),
        ("decided_on", "tomorrow", "YYYY-MM-DD"),
        ("review_period", "a while", "cannot read"),
        ("health_code", "2-2026.2-notacode", "share code"),
        ("agreement_closures", "32 Dec", "not a real day"),
    ],
)
def test_bad_input_is_named_beside_its_field(field: str, value: str, problem: str) -> None:
    """Each bad value is a problem named by its field and label; the other fields are fine."""
    decision, problems = decision_of(values(**{field: value}), TODAY)
    assert decision is None
    [found] = problems
    assert found.field == field
    assert problem in found.text
    assert found.text.split(":")[0] in {"Renewal or end date", "Notice period",
                                        "Switching", "Cost of staying", "Decision date",
                                        "Time a repair needs before its review",
                                        "Share code of the result, or a team round's codes",
                                        "Days your business is closed"}  # fmt: skip


def test_every_bad_field_is_named_at_once() -> None:
    """Several bad values: each is named, so the reader can fix them in one go."""
    _, problems = decision_of(
        values(cost_overlap="lots", cost_risk="12.345", decided_on="2026-13-01"), TODAY
    )
    assert {p.field for p in problems} == {"cost_overlap", "cost_risk", "decided_on"}


def test_numbers_are_read_as_people_type_them() -> None:
    """12000, 12,000, 12 000.50 and EUR 3,000 are amounts; the totals add them exactly."""
    decision = made(
        cost_switching="12,000", cost_overlap="12 000.50", cost_fees="EUR 3,000",
        cost_staying="20000", currency="EUR",
    )  # fmt: skip
    assert str(decision.leaving_total) == "27000.50"
    assert "Leaving costs more than staying" in decision.cost_reading
    data = to_dict(decision)
    assert data["costs"]["leaving"] == "27000.50"
    assert data["costs"]["rows"]["cost_overlap"] == "12000.50"
    assert "Total cost of leaving: EUR 27,000.50" in to_markdown(decision)


@pytest.mark.parametrize(
    ("leaving", "staying", "reading"),
    [("10000", "30000", "clearly costs less"), ("28000", "30000", "about the same"),
     ("50000", "30000", "costs more")],
)  # fmt: skip
def test_the_costs_are_read_the_way_the_worksheet_reads_them(
    leaving: str, staying: str, reading: str
) -> None:
    """Less, close (within a fifth), or more: the worksheet page's three readings."""
    assert reading in made(cost_overlap=leaving, cost_staying=staying).cost_reading


def test_the_cost_rows_are_the_worksheet_s() -> None:
    """The page's cost rows are the cost-of-leaving worksheet's, in its order."""
    page = (ROOT / "docs" / "decide" / "cost-of-leaving.md").read_text(encoding="utf-8")
    worksheet = page.split("{ #worksheet }")[1].split("\n\n")[2]
    rows = re.findall(r"^\| \*\*(.+?)\*\*", worksheet, re.MULTILINE)
    assert rows == [label for _, label, _ in COST_ROWS] + [TOTAL_LEAVING, STAYING[1]]


# -- The memo --------------------------------------------------------------------------------------

PAYLOAD = '<img src=x onerror="alert(1)"> *bold* [link](javascript:x) A, B; C\\D'


def test_the_memo_holds_what_the_issue_lists(bank: Bank) -> None:
    """Decision, date, who decided, options weighed, reasons, the numbers, next steps with
    owners' roles and dates."""
    decision = made(
        health_code=code_of(bank, "deal_no_longer_pays"), choice="restructure",
        reasons="Only one region sells.", cost_overlap="8000", cost_staying="9000",
        alternative="Take the work in-house", walk_away="No fee below 2,000 a month",
        risk_go="Customers follow the partner",
    )  # fmt: skip
    markdown = to_markdown(decision, "/site/", "Alliance Desk")
    for needed in (
        "| Decision | Keep the partner, change the deal |",
        "| Decided by | Sponsor and budget holder |",
        f"| Date | {TODAY.strftime('%a %-d %b %Y')} |",
        "## Options weighed", "Only one region sells.", "## The numbers", "Overall health:",
        "Take the work in-house", "Customers follow the partner", "## Next steps",
        "| Step | Owner (role) | Date |", "Sponsor", "Alliance Desk's decision page",
        "/site/decide/decision/",
    ):  # fmt: skip
        assert needed in markdown, needed
    steps = decision.next_steps
    assert steps and all(s.who and s.day for s in steps)


def test_with_dates_but_no_path_the_memo_s_decide_by_is_going_s_last_day() -> None:
    """No choice and no suggestion, but the agreement's dates given: the memo's header gives
    the last day to decide on going (the planner's "Confirm the decision"), not "add the
    agreement's dates", which it says only when there are none."""
    decision = made(health_code="", choice="")
    assert decision.path is None and decision.clock is not None
    go_by = decision.clock.go_by.strftime("%a %-d %b %Y")
    row = f"| Decide by | choose a path: {go_by} is the last day to decide on going |"
    assert row in to_markdown(decision)
    assert f"choose a path: {go_by} is the last day to decide on going" in to_html(decision)
    late = made(health_code="", choice="", agreement_renews="2027-03-10", agreement_term="")
    assert late.clock is not None and late.clock.go_by < TODAY
    assert "(passed) is the last day to decide on going" in to_markdown(late)
    undated, _ = decision_of(
        {k: v for k, v in values(health_code="").items() if not k.startswith(AGREEMENT)}, TODAY
    )
    assert undated is not None and undated.clock is None
    assert "| Decide by | no date: add the agreement's dates |" in to_markdown(undated)


def test_markdown_and_html_keep_every_value_inert() -> None:
    """Markup typed into the decision is text in both the Markdown and the HTML memo."""
    decision = made(partnership=PAYLOAD, reasons=PAYLOAD, risk_stay=PAYLOAD)
    html = to_html(decision)
    assert "<img" not in html and "&lt;img" in html
    assert "style=" not in html and "<script" not in html
    markdown = to_markdown(decision)
    assert "<img" not in markdown and "\\*bold\\*" in markdown

    class Parser(HTMLParser):
        """Checks the fragment is well formed: every tag closed in order."""

        def __init__(self) -> None:
            super().__init__()
            self.open: list[str] = []

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            if tag not in ("br",):
                self.open.append(tag)

        def handle_endtag(self, tag: str) -> None:
            assert self.open.pop() == tag

    parser = Parser()
    parser.feed(html)
    assert parser.open == []


# -- The calendar ----------------------------------------------------------------------------------


def test_the_calendar_holds_the_key_dates_each_with_a_reminder(bank: Bank) -> None:
    """Parsed by icalendar: the key dates still to come (repair review, decide-by, send-by,
    notice deadline), VALARM a week before each, UIDs unique per decision, DTSTAMP, all-day
    DTEND, lines folded at 75 octets, text escaped."""
    decision = made(
        health_code=code_of(bank, "no_written_agreement"), choice="stay", partnership=PAYLOAD,
        agreement_renews="2028-06-30",
    )  # fmt: skip
    text = to_ics(decision, decision_id=DECISION_ID, site_name="Alliance Desk")
    raw = text.encode("utf-8")
    assert all(len(line) <= 75 for line in raw.split(b"\r\n"))
    assert any(line.startswith(b" ") for line in raw.split(b"\r\n"))
    assert b"\n" not in raw.replace(b"\r\n", b"")
    calendar = icalendar.Calendar.from_ical(raw)
    events = calendar.walk("VEVENT")
    keys = [str(e["UID"]).split(".")[0] for e in events]
    assert set(keys) == {"key-repair_review", "key-decide_by", "key-send_by",
                         "key-notice_deadline"}  # fmt: skip
    uids = [str(e["UID"]) for e in events]
    assert len(set(uids)) == len(uids)
    assert all(uid.endswith(f".{DECISION_ID}@decision") for uid in uids)
    for event in events:
        start = event.decoded("DTSTART")
        assert type(start) is date and start >= TODAY
        assert event.decoded("DTEND") == start + timedelta(days=1)
        assert event.decoded("DTSTAMP").date() == TODAY
        [alarm] = event.walk("VALARM")
        assert str(alarm["ACTION"]) == "DISPLAY"
        assert alarm.decoded("TRIGGER") + timedelta(days=7) == timedelta(hours=9)
        assert str(event["DESCRIPTION"]).startswith(f"Decision memo: {PAYLOAD}")


@pytest.mark.parametrize(
    ("scenario_id", "choice"), [("healthy", "stay"), ("deal_no_longer_pays", "restructure")]
)
def test_a_stay_or_restructure_calendar_holds_the_re_check_with_a_reminder(
    bank: Bank, scenario_id: str, choice: str
) -> None:
    """Staying or restructuring: the calendar, parsed by icalendar, holds the re-check of the
    partnership's health on the memo's re-check date, with a reminder a week before."""
    decision = made(health_code=code_of(bank, scenario_id), choice=choice,
                    agreement_renews="2028-06-30")  # fmt: skip
    assert decision.path == choice and decision.recheck is not None
    raw = to_ics(decision, decision_id=DECISION_ID).encode("utf-8")
    events = icalendar.Calendar.from_ical(raw).walk("VEVENT")
    [recheck] = [e for e in events if str(e["UID"]).startswith("key-recheck.")]
    assert recheck.decoded("DTSTART") == decision.recheck > TODAY
    assert str(recheck["SUMMARY"]).startswith("Re-check the partnership's health")
    [alarm] = recheck.walk("VALARM")
    assert str(alarm["ACTION"]) == "DISPLAY"
    assert alarm.decoded("TRIGGER") + timedelta(days=7) == timedelta(hours=9)


def test_a_calendar_downloaded_again_updates_in_place_and_past_dates_are_left_out(
    bank: Bank,
) -> None:
    """The page's calendar: the same UIDs, a higher SEQUENCE, dates no longer in the decision
    cancelled, and no date gone by exported. The id is kept under the key the manifest gives the
    page's script."""
    key = page_facts(bank)["calendar_ids"]["decision"]
    v = values(health_code=code_of(bank, "no_value_one_sided"), choice="go",
               decided_on=TODAY.isoformat())  # fmt: skip
    first = page_calendar(v, TODAY.isoformat(), {key: DECISION_ID, "sequence": -1})
    assert first["kept"]["sequence"] == 0
    assert first["kept"][key] == DECISION_ID
    stayed = {**v, "choice": "stay"}
    second = page_calendar(stayed, TODAY.isoformat(), first["kept"])
    events = icalendar.Calendar.from_ical(second["ics"]).walk("VEVENT")
    assert {int(str(e["SEQUENCE"])) for e in events} == {1}
    # Every event of the first file is in the second: updated, or cancelled.
    old = {f"{k}.{DECISION_ID}@decision" for k in first["kept"]["events"]}
    assert old <= {str(e["UID"]) for e in events}
    cancelled = {str(e["UID"]).split(".")[0] for e in events if "STATUS" in e}
    assert cancelled == set(first["kept"]["events"]) - set(second["kept"]["events"])
    later = date(2027, 4, 1)
    decision, _ = decision_of({**v, "decided_on": later.isoformat()}, later)
    assert decision is not None
    assert all(e.day >= later for e in calendar_events(decision))


# -- The decision file -----------------------------------------------------------------------------


def test_the_decision_file_round_trips() -> None:
    """Exported and opened again, every value comes back, with the decision's id and version."""
    v = values(reasons="Line one\nLine two", cost_switching="1,000")
    text = export(v, DECISION_ID, 3)["text"]
    data = json.loads(text)
    assert (data["format"], data["decision_id"], data["sequence"]) == (FORMAT, DECISION_ID, 3)
    opened = open_file(base64.b64encode(text.encode("utf-8")).decode("ascii"))
    assert opened["decision_id"] == DECISION_ID and opened["sequence"] == 3
    assert {k: x for k, x in opened["values"].items() if x} == v


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("not json", "not valid JSON"),
        ('{"format": "partnership-assessment"}', "not a decision file"),
        (json.dumps({"format": FORMAT, "version": 99, "values": {}}), "version 99"),
        (json.dumps({"format": FORMAT, "version": 1, "values": {"reasons": 3}}), "must be text"),
        (json.dumps({"format": FORMAT, "version": 1, "values": []}), "mapping"),
        (json.dumps({"format": FORMAT, "version": 1, "decision_id": "x y"}), "decision_id"),
        ("[" * 100 + "]" * 100, "nests too deeply"),
        ('{"format": "x", "n": ' + "9" * 5000 + "}", "a number of 5,000 digits"),
    ],
)
def test_a_file_that_is_not_a_decision_is_refused_plainly(text: str, problem: str) -> None:
    """Each wrong file says what is wrong with it, in words."""
    with pytest.raises(DecisionError, match=problem):
        read_document(text)


def test_every_text_field_on_the_page_holds_what_the_engine_accepts_and_no_more() -> None:
    """The page's maxlength is the engine's limit: what fits is read, one more is refused."""
    from macros.decision import field_html

    limited = 0
    for spec in FIELDS:
        found = re.search(r'maxlength="(\d+)"', field_html(spec))
        if spec.kind in ("choice", "date"):
            assert found is None, spec.name
            continue
        assert found is not None, spec.name
        limit = int(found.group(1))
        assert clean_values({spec.name: "x" * limit})[spec.name] == "x" * limit
        with pytest.raises(DecisionError, match=f"longer than {limit:,}"):
            clean_values({spec.name: "x" * (limit + 1)})
        limited += 1
    assert limited


def test_a_file_too_large_is_refused_before_it_is_read() -> None:
    """A file larger than a decision file can be is refused by its size."""
    with pytest.raises(DecisionError, match="larger than a decision file"):
        read_file_bytes(b" " * 300_000)


# -- The page's endpoints --------------------------------------------------------------------------


def test_the_page_gets_problems_as_data_and_the_memo_otherwise(bank: Bank) -> None:
    """Problems come back as data, each with its field (the page says them beside the
    fields); a good decision comes back with its memo, Markdown and data."""
    bad = page_decide(values(cost_risk="???"), TODAY.isoformat(), "/site/")
    assert [p["field"] for p in bad["problems"]] == ["cost_risk"]
    good = page_decide(values(health_code=code_of(bank, "healthy")), TODAY.isoformat(), "/s/")
    assert good["problems"] == [] and good["html"] and good["markdown"]
    decision = good["decision"]
    assert decision["suggestion"] == "stay"
    assert decision == json.loads(json.dumps(decision))


def test_the_latest_health_result_is_the_newest_kept_one_else_the_saved_answers(
    bank: Bank,
) -> None:
    """The kept results are read in date order (the newest wins); with none kept, the saved
    answers are scored as of today; with neither, nothing."""
    older = encode(scenario("healthy").answers(bank), bank, given=date(2026, 5, 1))
    newer = encode(scenario("deal_no_longer_pays").answers(bank), bank, given=date(2026, 9, 1))
    reply = latest_health([newer, "junk", older], None, TODAY.isoformat())
    assert reply["code"] == newer and "2026-09-01" in reply["source"]
    record = {"answers": {**scenario("healthy").answers(bank), "gone_question": 3},
              "perspective": "client"}  # fmt: skip
    fresh = latest_health([], record, TODAY.isoformat())
    decided = read_decision(values(health_code=fresh["code"]), TODAY)[0]
    assert decided is not None and decided.health is not None
    assert decided.health.given == TODAY and decided.health.result.verdict == "stay"
    assert latest_health([], None, TODAY.isoformat()) == {}


# -- The command line ------------------------------------------------------------------------------


def run(*args: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "assessment.decision_cli", *args],
        capture_output=True, cwd=ROOT, check=False, timeout=60,
    )  # fmt: skip


def test_the_console_script_is_declared() -> None:
    """pyproject.toml installs partnership-decide pointing at the decision's command line."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["scripts"]["partnership-decide"] == "assessment.decision_cli:main"


def test_the_command_line_reads_the_page_s_file(tmp_path: Path, bank: Bank) -> None:
    """The file the page exports gives the engine's memo, data and calendar, byte for byte."""
    v = values(health_code=code_of(bank, "deal_no_longer_pays"), choice="restructure")
    path = tmp_path / "decision.json"
    path.write_text(export(v, DECISION_ID, 2)["text"], encoding="utf-8")
    today = ("--today", TODAY.isoformat())
    decision, _ = decision_of(v, TODAY)
    assert decision is not None
    markdown = run(str(path), *today)
    assert markdown.returncode == 0, markdown.stderr
    assert markdown.stdout.decode("utf-8") == to_markdown(decision)
    data = json.loads(run(str(path), *today, "--format", "json").stdout)
    assert data == to_dict(decision)
    ics = run(str(path), *today, "--format", "ics", "--site-name", "Desk").stdout
    assert ics.decode("utf-8") == to_ics(decision, decision_id=DECISION_ID, sequence=2,
                                         site_name="Desk")  # fmt: skip


@pytest.mark.parametrize(
    ("content", "named"),
    [
        (None, "cannot be read"),
        ("not json", "not valid JSON"),
        ('{"sequence": ' + "7" * 4400 + "}", "a number of 4,400 digits"),
        (json.dumps(document(values(agreement_notice="forever"))), "Notice period"),
        (json.dumps(document(values(cost_fees="lots", cost_risk="x"))), "and 1 more"),
    ],
)
def test_bad_input_is_one_line_and_status_one(
    tmp_path: Path, content: str | None, named: str
) -> None:
    """A missing or wrong file, or a bad value: one line on stderr, status 1, no traceback."""
    path = tmp_path / "decision.json"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    done = run(str(path), "--today", TODAY.isoformat())
    assert done.returncode == 1 and done.stdout == b""
    err = done.stderr.decode("utf-8")
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1
    assert err.startswith("error: ") and named in err


def test_the_exit_lead_is_the_steps_file_s() -> None:
    """Going's decide-by date leads the notice by the exit steps' earliest step."""
    from assessment.exit_steps import load_steps

    first = min(s.offset_days for s in load_steps() if s.anchor == "notice")
    assert exit_lead_days() == -first
    decision = made()
    assert decision.clock is not None
    assert decision.clock.go_by == WORKDAYS.on_or_before(
        decision.clock.notice_day - timedelta(days=exit_lead_days())
    )


def test_read_decision_lists_no_problem_for_a_blank_form() -> None:
    """A form with nothing typed is a decision without a clock or a result, not an error."""
    inputs, problems = read_decision({}, TODAY)
    assert problems == () and inputs is not None
    decision = decide(inputs)
    assert decision.clock is None and decision.suggestion is None
    assert [w.field for w in decision.warnings] == ["agreement_renews"]


def test_the_page_states_the_planner_s_lead_from_the_steps_file(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The decision page says how long before the notice going must be decided from the exit
    steps (a macro), never as a number written into the page."""
    from macros import decision as decision_macros

    page = (ROOT / "docs" / "decide" / "decision" / "index.md").read_text(encoding="utf-8")
    assert "{{ decision_lead() }} before that" in page
    days = exit_lead_days()
    text = decision_macros.lead_text()
    assert text.endswith("days" if days % 7 else ("week" if days == 7 else "weeks"))
    monkeypatch.setattr(decision_macros, "exit_lead_days", lambda: 10)
    assert decision_macros.lead_text() == "10 days"
    monkeypatch.setattr(decision_macros, "exit_lead_days", lambda: 21)
    assert decision_macros.lead_text() == "three weeks"
