"""An exit plan written out (assessment/exit_report.py): iCalendar, Markdown, HTML, text."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import icalendar
import pytest

from assessment.errors import AssessmentError, PlanError
from assessment.exit_form import EVERY_STEP, PlanInput
from assessment.exit_plan import make_plan, plan_from_form
from assessment.exit_report import DO_NOW, calendar_events, to_html, to_ics, to_markdown, to_text
from assessment.exit_steps import parse_steps
from assessment.periods import Period, long_date
from tests.exit_examples import EXAMPLE, form, raw_steps


def _steps_with(title: str) -> tuple[Any, ...]:
    data = raw_steps()
    data["steps"][0]["title"] = title
    data["steps"][0]["detail"] = title
    data["steps"][0]["who"] = title[:60]
    return parse_steps(data)


PLAN_ID = "5f0e8c1a-3d2b-4a6e-9c7f-1b2d3e4f5a6b"


def test_the_calendar_parses_as_all_day_events_with_unique_stable_uids() -> None:
    """The icalendar library reads one all-day event per key date and step, UIDs unique."""
    plan = plan_from_form(EXAMPLE)
    text = to_ics(plan, plan_id=PLAN_ID, site_name="Our Alliance Desk", what=EVERY_STEP)
    calendar = icalendar.Calendar.from_ical(text)
    events = list(calendar.walk("VEVENT"))
    assert len(events) == len(plan.key_dates) + len(plan.tasks)
    assert str(calendar["PRODID"]) == "-//Our Alliance Desk//Exit planner//EN"
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
    again = to_ics(plan_from_form(EXAMPLE), plan_id=PLAN_ID, site_name="Our Alliance Desk",
                   what=EVERY_STEP)  # fmt: skip
    assert again == text
    assert all(str(e["UID"]).endswith(f".{PLAN_ID}@exit-plan") for e in events)


def test_a_new_version_keeps_each_event_s_uid_and_cancels_what_is_gone() -> None:
    """Same plan id: the same event keeps its UID on another day; a removed one is cancelled;
    another plan of the same dates shares no UID."""
    first = plan_from_form(EXAMPLE)
    shorter = plan_from_form({**EXAMPLE, "notice": "1 week"})
    events = {e.key: e.day for e in calendar_events(first, what=EVERY_STEP)}
    gone = {"key-retired_step": date(2027, 1, 5)}
    text = to_ics(
        shorter, plan_id=PLAN_ID, sequence=1, cancelled={**events, **gone}, what=EVERY_STEP
    )
    parsed = {str(e["UID"]): e for e in icalendar.Calendar.from_ical(text).walk("VEVENT")}
    assert {int(str(e["SEQUENCE"])) for e in parsed.values()} == {1}
    retired = parsed[f"key-retired_step.{PLAN_ID}@exit-plan"]
    assert (
        str(retired["STATUS"]) == "CANCELLED"
        and retired.decoded("DTSTART") == gone["key-retired_step"]
    )
    kept = [uid for uid, e in parsed.items() if "STATUS" not in e]
    assert len(kept) == len(calendar_events(shorter, what=EVERY_STEP))
    other = to_ics(first, plan_id="another-plan-0001")
    assert not set(parsed) & {
        str(e["UID"]) for e in icalendar.Calendar.from_ical(other).walk("VEVENT")
    }


@pytest.mark.parametrize(
    "plan_id", ["short", "has space in it", "x" * 65, "<script>alert(1)</script>"]
)
def test_a_malformed_plan_id_is_refused(plan_id: str) -> None:
    """A plan id that is not 8 to 64 letters, digits or dashes names its field."""
    with pytest.raises(PlanError, match="plan_id"):
        to_ics(plan_from_form(EXAMPLE), plan_id=plan_id)


def test_the_calendar_uses_crlf_and_folds_at_75_octets() -> None:
    """Every line ends CRLF, none is longer than 75 octets, and folding never splits a character."""
    title = ("Réunion de clôture: « très » important " * 3).strip()
    steps = _steps_with(title)
    plan = make_plan(
        PlanInput("renews", date(2027, 3, 31), Period(1, "month"), today=date(2026, 1, 1)), steps
    )
    raw = to_ics(plan, plan_id=PLAN_ID, what=EVERY_STEP).encode("utf-8")
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
    text = to_ics(plan, plan_id=PLAN_ID, what=EVERY_STEP)
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
    # The first step, 28 days before the send-by date (Fri 19 Feb), on Fri 22 Jan.
    assert "- [ ] **Fri 22 Jan 2027**: " in markdown


def test_steps_whose_date_passed_come_first_as_do_now() -> None:
    """Text, Markdown and HTML open with "Do now": every step whose date has passed, and only
    those; the steps to come follow, and nothing is marked "(date passed)" any more."""
    plan = plan_from_form(
        {"case": "renews", "renews": "2027-03-31", "notice": "1 month", "today": "2027-02-25"}
    )
    overdue = [t.step.title for t in plan.tasks if t.day < date(2027, 2, 25)]
    assert overdue and [t.step.title for t in plan.do_now] == overdue
    text = to_text(plan)
    week = text.split("This week:")[1].split("Steps:")[0]
    assert "Hold the exit conversation" in week
    assert "Confirm the decision" not in week
    now = text.split(f"{DO_NOW} (")[1].split("Key dates:")[0]
    assert all(title in now for title in overdue)
    assert text.index(DO_NOW) < text.index("Key dates:")
    markdown = to_markdown(plan)
    head, steps = markdown.split("## Steps")
    assert f"## {DO_NOW}" in head and head.index(f"## {DO_NOW}") < head.index("## Key dates")
    assert not any(title in steps for title in overdue)
    html = to_html(plan)
    assert html.index('id="plan-do-now"') < html.index('id="plan-key-dates"')
    for output in (text, markdown, html):
        assert "date passed" not in output
    # A plan with nothing overdue has no such section.
    assert DO_NOW not in to_text(plan_from_form(form(case="renews", renews="2030-03-31",
                                                      notice="1 month")))  # fmt: skip


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


def test_key_dates_only_by_default_each_with_a_reminder_a_week_before() -> None:
    """The default calendar holds the key dates still to come, each with a VALARM a week before
    (a display alarm whose trigger is seven days before the day, at 09:00)."""
    plan = plan_from_form(EXAMPLE)
    events = icalendar.Calendar.from_ical(to_ics(plan, plan_id=PLAN_ID)).walk("VEVENT")
    assert [e.decoded("DTSTART") for e in events] == [k.day for k in plan.key_dates]
    for event in events:
        [alarm] = event.walk("VALARM")
        assert str(alarm["ACTION"]) == "DISPLAY" and str(alarm["DESCRIPTION"])
        trigger = alarm.decoded("TRIGGER")
        assert timedelta(days=-7) < trigger <= timedelta(days=-6)
        assert timedelta(days=7) + trigger == timedelta(hours=9)


def test_past_dates_are_not_exported_as_events_to_come() -> None:
    """Steps and key dates gone by are left out of both kinds of calendar, and an event a
    calendar had before is not cancelled merely because its day has passed."""
    early = plan_from_form({**EXAMPLE, "today": "2026-11-25"})
    late = plan_from_form({**EXAMPLE, "today": "2027-02-25"})
    before = {e.key: e.day for e in calendar_events(early, what=EVERY_STEP)}
    text = to_ics(late, plan_id=PLAN_ID, sequence=1, cancelled=before, what=EVERY_STEP)
    events = icalendar.Calendar.from_ical(text).walk("VEVENT")
    assert late.do_now
    assert all(e.decoded("DTSTART") >= date(2027, 2, 25) for e in events)
    assert not [e for e in events if str(e.get("STATUS", "")) == "CANCELLED"]
    assert len(events) == len(calendar_events(late, what=EVERY_STEP))


def test_every_step_adds_the_steps_and_switching_back_cancels_them() -> None:
    """Every step: key dates and steps; downloaded again with key dates only, the steps of the
    earlier file are cancelled, the key dates updated in place."""
    plan = plan_from_form(EXAMPLE)
    every = calendar_events(plan, what=EVERY_STEP)
    keys = calendar_events(plan)
    assert len(every) == len(keys) + len(plan.upcoming)
    text = to_ics(plan, plan_id=PLAN_ID, sequence=1, cancelled={e.key: e.day for e in every})
    events = icalendar.Calendar.from_ical(text).walk("VEVENT")
    cancelled = {str(e["UID"]).split(".")[0] for e in events if "STATUS" in e}
    assert cancelled == {e.key for e in every if e.key.startswith("step-")}


def test_the_page_calendar_keeps_what_it_exported_and_refuses_another_choice() -> None:
    """The page's calendar endpoint keeps the events it exported (for the next version) and
    accepts only the two choices the page offers. The plan's id is kept under the key the
    manifest gives the page's script."""
    from assessment.bank import load_bank
    from assessment.exit_page import calendar
    from assessment.exit_plan import plan_from_form as plan_of
    from assessment.page_facts import page_facts

    key = page_facts(load_bank())["calendar_ids"]["plan"]
    kept = {key: PLAN_ID, "sequence": 0, "events": {}}
    reply = calendar(EXAMPLE, "/site/", kept, "Desk", "every_step")
    assert reply["kept"]["sequence"] == 1
    assert reply["kept"][key] == PLAN_ID
    assert len(reply["kept"]["events"]) == len(calendar_events(plan_of(EXAMPLE), what=EVERY_STEP))
    with pytest.raises(AssessmentError):
        calendar(EXAMPLE, "/site/", kept, "Desk", "everything")


def test_moved_steps_say_so_in_every_output() -> None:
    """A step moved off a weekend says from which day and why, in text, Markdown and HTML."""
    plan = plan_from_form(EXAMPLE)
    moved = next(t for t in plan.tasks if t.moved_from is not None)
    said = f"moved from {long_date(moved.moved_from)}, {moved.moved_why}"  # type: ignore[arg-type]
    assert said in to_text(plan)
    assert said in to_markdown(plan)
    assert said[:1].upper() + said[1:] in to_html(plan)


def test_an_event_gone_by_is_left_but_one_moved_away_is_cancelled() -> None:
    """Downloaded again: an earlier event whose day has gone by is left alone (not cancelled,
    not exported again); one that was still to come and is no longer exported (a step now
    overdue, a step gone from the plan) is cancelled, not left standing on its old day."""
    plan = plan_from_form({**EXAMPLE, "today": "2027-02-25"})
    assert "decide" in [t.step.id for t in plan.do_now]
    earlier = {
        "step-next_option": date(2027, 1, 5),
        "step-decide": date(2027, 3, 1),
        "step-retired": date(2027, 3, 10),
    }
    text = to_ics(plan, plan_id=PLAN_ID, sequence=2, cancelled=earlier, what=EVERY_STEP)
    parsed = icalendar.Calendar.from_ical(text).walk("VEVENT")
    events = {str(e["UID"]).split(".")[0]: e for e in parsed}
    assert "step-next_option" not in events
    assert str(events["step-decide"]["STATUS"]) == "CANCELLED"
    assert str(events["step-retired"]["STATUS"]) == "CANCELLED"
