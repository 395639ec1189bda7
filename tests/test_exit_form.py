"""The exit planner's form (assessment/exit_form.py): one table, and reading raw values."""

from __future__ import annotations

import json
from datetime import date
from html.parser import HTMLParser
from typing import Any

import pytest

from assessment.errors import AssessmentError, PlanError
from assessment.exit_form import (
    CASE_TABLE,
    CASES,
    DATES_LEGEND,
    DEFAULT_MARGIN,
    FIELD_LABELS,
    FIELDS,
    HINTS,
    KINDS,
    MAX_MARGIN,
    UNREADABLE_DATE,
    describe,
    field,
    parse_margin,
)
from assessment.exit_plan import plan_from_form
from tests.exit_examples import DOCS, form


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


def test_an_empty_plan_as_of_means_today() -> None:
    """Left empty, 'Plan as of' is today's date, as the page and the command line fill it in."""
    plan = plan_from_form(
        {"case": "notice_given", "notice_given": "2027-01-31", "notice": "1 month", "today": ""}
    )
    assert plan.inputs.today == date.today()


def test_an_unreadable_date_from_the_page_is_not_called_missing() -> None:
    """The page's marker for a date its browser could not read names that field, plainly."""
    values = form(case="renews", renews=UNREADABLE_DATE, notice="1 month")
    with pytest.raises(PlanError, match="not a real date: check the day") as caught:
        plan_from_form(values)
    assert caught.value.field == "renews"


# -- The table -------------------------------------------------------------------------------


def test_the_table_is_whole_and_json_ready() -> None:
    """Every field has a known kind, its cases and hints exist, numbers have their limits."""
    described = describe()
    assert json.loads(json.dumps(described)) == described
    assert [c["id"] for c in described["cases"]] == list(CASES)
    hint_ids = {hint.id for hint in HINTS}
    for spec in FIELDS:
        assert spec.kind in KINDS, spec.name
        assert set(spec.required) <= set(spec.cases) <= set(CASES), spec.name
        assert set(spec.hints) <= hint_ids, spec.name
        if spec.kind == "number":
            assert spec.minimum is not None and spec.maximum is not None
            assert spec.default is not None and spec.minimum <= spec.default <= spec.maximum
    # Each case reads the date named after it, and only that one.
    dates = {spec.name: spec.cases for spec in FIELDS if spec.kind == "date"}
    assert all(dates[case] == (case,) for case in CASES)
    assert {spec.name: spec.label for spec in FIELDS} == FIELD_LABELS
    assert (field("margin").default, field("margin").maximum) == (DEFAULT_MARGIN, MAX_MARGIN)
    assert {hint for spec in FIELDS for hint in spec.hints} == hint_ids


class _Form(HTMLParser):
    """The planner page's form as written: legends, labels, inputs, hints and their cases."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.legends: list[str] = []
        self.labels: dict[str, str] = {}
        self.inputs: dict[str, dict[str, str | None]] = {}
        self.cases: dict[str, str | None] = {}
        self.radios: list[tuple[str, str]] = []
        self.hints: dict[str, tuple[str, str | None]] = {}
        self.options: dict[str, list[str]] = {}
        self._select: str | None = None
        self._case: str | None = None
        self._text: list[str] | None = None
        self._into: tuple[str, str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "p":
            self._case = a.get("data-cases")
            if (a.get("id") or "").endswith("-hint"):
                self._start("hint", str(a["id"]))
        elif tag == "legend":
            self._start("legend", "")
        elif tag == "label":
            self._start("label", str(a["for"]))
        elif tag == "strong" and self._text is not None:
            self._text.append("<strong>")
        elif tag == "input" and a.get("type") == "radio":
            self.radios.append((str(a["value"]), str(a["id"])))
        elif tag in ("input", "select"):
            self.inputs[str(a["name"])] = {**a, "type": a.get("type", "select")}
            self.cases[str(a["name"])] = self._case
            self._select = str(a["name"]) if tag == "select" else None
        elif tag == "option" and self._select:
            self.options.setdefault(self._select, []).append(str(a["value"]))

    def handle_endtag(self, tag: str) -> None:
        if tag == "strong" and self._text is not None:
            self._text.append("</strong>")
        if tag in ("p", "legend", "label") and self._text is not None and self._into:
            kind, key = self._into
            text = "".join(self._text).strip()
            if kind == "legend":
                self.legends.append(text)
            elif kind == "label" and tag == "label":
                self.labels[key] = text
            elif kind == "hint" and tag == "p":
                self.hints[key] = (text, self._case)
            else:
                return
            self._text, self._into = None, None

    def handle_data(self, data: str) -> None:
        if self._text is not None:
            self._text.append(data)

    def _start(self, kind: str, key: str) -> None:
        self._text, self._into = [], (kind, key)


def test_the_planner_page_says_what_the_table_says() -> None:
    """The page renders its form from the table, and the form matches it field by field."""
    from macros.planner import planner_form

    page = (DOCS / "exit-planner" / "index.md").read_text(encoding="utf-8")
    assert "{{ exit_planner_form() }}" in page and "<input" not in page
    written = _Form()
    written.feed(planner_form())
    case_field = field("case")
    assert written.legends == [case_field.legend, DATES_LEGEND]
    assert [value for value, _ in written.radios] == list(CASES)
    for case, (_, radio_id) in zip(CASE_TABLE, written.radios, strict=True):
        bold = f"<strong>{case.emphasis}</strong>"
        assert written.labels[radio_id] == case.choice.replace(case.emphasis, bold, 1)
    input_types = {"date": "date", "period": "text", "number": "number", "choice": "select",
                   "deemed": "text", "closures": "text"}  # fmt: skip
    named = [spec for spec in FIELDS if spec.kind != "case"]
    assert list(written.inputs) == [spec.name for spec in named]
    for spec in named:
        attributes = written.inputs[spec.name]
        assert attributes["type"] == input_types[spec.kind], spec.name
        assert written.labels[str(attributes["id"])] == spec.form_label, spec.name
        shown_in = written.cases[spec.name]
        assert tuple(shown_in.split()) == spec.cases if shown_in else spec.cases == CASES, spec.name
        described_by = (attributes.get("aria-describedby") or "").split()
        assert described_by == [f"pp-{hint}-hint" for hint in spec.hints], spec.name
        if spec.kind == "number":
            limits = (attributes["min"], attributes["max"], attributes["value"])
            assert limits == (str(spec.minimum), str(spec.maximum), str(spec.default))
        if spec.kind == "choice":
            assert written.options[spec.name] == [choice.id for choice in spec.choices]
    for hint in HINTS:
        text, shown_in = written.hints[f"pp-{hint.id}-hint"]
        assert text == hint.text, hint.id
        assert tuple(shown_in.split()) == hint.cases if shown_in else hint.cases == CASES, hint.id


@pytest.mark.parametrize("field", ["notice", "term", "margin"])
def test_the_page_marks_a_field_holding_a_number_too_long_to_read(field: str) -> None:
    """The planner page's endpoint: a 4,301-digit number is the field's own message, with the
    field marked, not Python's words about integer conversion."""
    from assessment import exit_page
    from assessment.web import endpoint

    plan = endpoint(exit_page.plan, labels=exit_page.LABELS)
    values = {"case": "renews", "renews": "2027-03-31", "notice": "1 month"}
    values[field] = "1" * 4_301 + ("" if field == "margin" else " days")
    reply = json.loads(plan(json.dumps(values), json.dumps("")))
    assert reply["ok"] is False and reply["field"] == field
    assert reply["error"].startswith(f"{exit_page.LABELS[field]}: ")
    assert "digits" not in reply["error"] and len(reply["error"]) < 200
