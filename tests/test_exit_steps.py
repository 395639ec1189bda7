"""The exit steps file (assessment/exit_steps.py): validation, placement, the timeline."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from assessment.errors import StepsError
from assessment.exit_plan import plan_from_form
from assessment.exit_steps import load_steps, parse_steps, relative_timeline
from tests.exit_examples import DOCS, form, raw_steps


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
