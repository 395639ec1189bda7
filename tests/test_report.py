"""Renderers: the Markdown report and the SVG chart, pure functions of a Result."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assessment import Bank, assess, load_bank, to_markdown, to_svg
from assessment.bank import parse_bank
from assessment.examples import SCENARIOS, scenario
from assessment.plan import to_plan_markdown
from assessment.report import (
    announcement,
    margin_lines,
    markdown_text,
    overall_sentence,
    page_url,
    pivotal_lines,
    scope_text,
    to_html,
)
from tests.strategies import answers

SVG = "{http://www.w3.org/2000/svg}"
BANK = load_bank()
BANK_VERSION = BANK.version
PAYLOAD = '<img src=x onerror="alert(1)"> [link](javascript:alert(1)) </script>'


def test_markdown_report_explains_the_result(bank: Bank) -> None:
    """The report states the verdict, its reasons, every dimension and the weakest links."""
    result = assess(scenario("no_written_agreement").answers(bank))
    report = to_markdown(result, base_url="https://example.test/")
    assert "**Verdict: Repair" in report
    for reason in result.reasons:
        assert reason.split(",")[0].replace("(", "\\(")[:20] in report
    for dimension in bank.dimensions:
        assert dimension.title in report
    assert f"https://example.test/{page_url(result.weakest[0].playbook)}" in report


def test_page_url_follows_directory_urls() -> None:
    """Docs paths become the site's directory URLs, keeping the anchor."""
    assert page_url("stay/reset.md#reset") == "stay/reset/#reset"
    assert page_url("stay/index.md") == "stay/"
    assert page_url("index.md", "/base/") == "/base/"


def test_svg_chart_is_accessible_xml(bank: Bank) -> None:
    """The chart is well-formed SVG with a title and a description naming every score."""
    for item in SCENARIOS:
        result = assess(item.answers(bank))
        root = ET.fromstring(to_svg(result, id_prefix="c1"))
        assert root.tag == f"{SVG}svg" and root.get("role") == "img"
        assert root.get("aria-labelledby") == "c1-title c1-desc"
        description = root.find(f"{SVG}desc")
        assert description is not None and description.text
        for dimension in result.dimensions:
            assert dimension.title in description.text
        bars = root.findall(f".//{SVG}rect[@class]")
        assert len(bars) == sum(1 for d in result.dimensions if d.score is not None)


def test_bank_text_with_html_is_inert(bank_data: Any) -> None:
    """Texts from an edited bank with HTML in them are escaped in the report and the chart."""
    bank_data["dimensions"][0]["title"] = PAYLOAD
    bank_data["questions"][0]["text"] = PAYLOAD
    bank_data["verdicts"][0]["summary"] = PAYLOAD
    edited = parse_bank(bank_data, "edited.toml")
    result = assess({q.id: 5 for q in edited.questions}, edited)
    svg = to_svg(result)
    ET.fromstring(svg)
    assert "<img" not in svg and "</script>" not in svg
    report = to_markdown(result)
    assert "<img" not in report and "</script>" not in report
    assert "](javascript:" not in report


class _Fragment(HTMLParser):
    """Collects the ids, the text, the links and any markup the page's CSP would refuse."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: list[str] = []
        self.tags: list[str] = []
        self.text: list[str] = []
        self.hrefs: list[str] = []
        self.styles: list[str] = []
        self.stack: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        attributes = dict(attrs)
        if attributes.get("id"):
            self.ids.append(str(attributes["id"]))
        if tag == "a":
            self.hrefs.append(str(attributes.get("href")))
        self.styles += [name for name, _ in attrs if name == "style" or name.startswith("on")]
        if tag not in {"line", "rect"}:
            self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in {"line", "rect"}:
            self.stack.pop()

    def handle_endtag(self, tag: str) -> None:
        assert self.stack and self.stack[-1] == tag, (self.stack, tag)
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _parse_fragment(fragment: str) -> _Fragment:
    parser = _Fragment()
    parser.feed(fragment)
    parser.close()
    assert not parser.stack, parser.stack
    return parser


PAGE_IDS = {
    "pp-verdict", "pp-summary", "pp-overall", "pp-why-title", "pp-reasons", "pp-rule",
    "pp-chart", "pp-scores", "pp-weakest", "pp-next-steps", "pp-verdict-link",
}  # fmt: skip


@pytest.mark.parametrize("item", SCENARIOS, ids=lambda s: s.id)
def test_html_fragment_shows_the_whole_result(item: Any, bank: Bank) -> None:
    """The page's fragment is balanced HTML with every id the page styles, and every value."""
    result = assess(item.answers(bank))
    page = _parse_fragment(to_html(result))
    assert set(page.ids) >= PAGE_IDS
    assert len(page.ids) == len(set(page.ids)), "an id is used twice"
    assert "script" not in page.tags and not page.styles
    text = "".join(page.text)
    assert f"Verdict: {result.verdict_label}. {result.verdict_title}" in text
    assert overall_sentence(result) in text
    for reason in result.reasons:
        assert reason in text
    assert f"Rule applied: {result.rule.text}" in text
    for dimension in result.dimensions:
        assert dimension.title in text
        assert f"{dimension.answered} of {dimension.total}" in text
    for step in result.next_steps:
        assert step in text
    assert "../" + page_url(result.verdict_playbook) in page.hrefs
    assert {"../" + page_url(d.playbook) for d in result.dimensions} <= set(page.hrefs)


def test_html_fragment_without_scores_says_so(bank: Bank) -> None:
    """With nothing answered the fragment says so in the engine's words, never a number."""
    result = assess({})
    text = "".join(_parse_fragment(to_html(result, page_base="/site/")).text)
    assert "Overall health: not enough answers to give a score." in text
    assert "Answer more questions to see which dimensions need attention." in text
    assert text.count("not enough answers") >= len(result.dimensions)


def test_html_fragment_escapes_every_value(bank_data: Any) -> None:
    """Bank texts carrying markup stay text in the fragment: no element comes from data."""
    bank_data["dimensions"][0]["title"] = PAYLOAD
    bank_data["questions"][0]["text"] = PAYLOAD
    for verdict in bank_data["verdicts"]:
        verdict["title"] = PAYLOAD
        verdict["summary"] = PAYLOAD
        verdict["next_steps"] = [PAYLOAD]
    edited = parse_bank(bank_data, "edited.toml")
    for given_answers in (
        {q.id: 5 for q in edited.questions},
        {q.id: 1 for q in edited.questions},
        {},
    ):
        result = assess(given_answers, edited)
        fragment = to_html(result)
        page = _parse_fragment(fragment)
        assert "img" not in page.tags and "script" not in page.tags
        assert not page.styles
        assert PAYLOAD in "".join(page.text)
        plan = to_plan_markdown(result)
        assert "<img" not in plan and "</script>" not in plan and "](javascript:" not in plan


def test_announcement_names_the_verdict(bank: Bank) -> None:
    """The screen-reader line carries the verdict's label and title from the engine."""
    result = assess(scenario("healthy").answers(bank))
    assert announcement(result) == f"Result: Stay. {result.verdict_title}"
    assert result.to_dict()["verdict_label"] == "Stay"


@settings(max_examples=60)
@given(answers)
def test_plan_names_every_weak_answer_and_every_unknown(
    given_answers: dict[str, int | None],
) -> None:
    """The plan lists each weakest question with its level now and the next as the target."""
    result = assess(given_answers)
    plan = to_plan_markdown(result)
    for item in result.weakest_questions:
        assert item.target_level is not None and item.target_answer is not None
        assert markdown_text(item.text) in plan
        # Each answer and its target in words: no level number that could run either way.
        assert f"| {markdown_text(item.answer)} | {markdown_text(item.target_answer)} |" in plan
    for item in result.dont_know:
        assert markdown_text(item.text) in plan
    assert "| Owner |" in plan or "| Owner (one person) |" in plan
    assert "Prepared by: ____" in plan and "Date: ____" in plan


def test_plan_takes_the_weakest_answers_first(bank: Bank) -> None:
    """The weakest questions are the lowest item scores; a don't-know is never one of them."""
    answers_given = scenario("no_written_agreement").answers(bank)
    answers_given["cf_values"] = None
    result = assess(answers_given)
    weakest = result.weakest_questions
    assert weakest and all(item.item_score == 0 for item in weakest)
    assert "cf_values" in {item.question_id for item in result.dont_know}
    assert result.to_dict()["dont_know"] == [item.question_id for item in result.dont_know]
    plan = to_plan_markdown(result, base_url="https://example.test/")
    assert plan.startswith("# Repair plan")
    for step in result.missing_repair_steps:
        assert step[1:] in plan
    assert "https://example.test/templates/repair-plan/" in plan


def test_go_plan_lists_the_exit_steps_and_the_planner(bank: Bank) -> None:
    """For a go verdict the plan carries the exit steps and links the exit planner."""
    from assessment.exit_steps import load_steps

    result = assess(scenario("no_value_one_sided").answers(bank))
    plan = to_plan_markdown(result, base_url="/site/")
    assert plan.startswith("# Exit plan")
    assert "](/site/exit-planner/)" in plan
    for step in load_steps():
        assert markdown_text(step.title) in plan
    assert "Repair steps not yet taken" not in plan


@pytest.mark.parametrize("item", SCENARIOS, ids=lambda s: s.id)
def test_results_show_margins_and_pivotal_answers(item: Any, bank: Bank) -> None:
    """The fragment and the Markdown report carry each margin and each pivotal answer."""
    result = assess(item.answers(bank))
    page = _parse_fragment(to_html(result))
    assert {"pp-margins", "pp-pivotal", "pp-plan-note"} <= set(page.ids)
    text = "".join(page.text)
    report = to_markdown(result)
    for line in (*margin_lines(result), *pivotal_lines(result)):
        assert line in text
        assert markdown_text(line) in report
    if not result.pivotal:
        assert "robust to any single one-level change" in text


def test_pivotal_answers_are_written_out(bank: Bank) -> None:
    """A pivotal answer names the question, the move and the verdict it would give."""
    best = {q.id: (1 if q.reverse else 5) for q in bank.questions}
    breaker = bank.questions_in("deal_breakers")[0]
    assert breaker.knock_out_at is not None
    result = assess({**best, breaker.id: breaker.knock_out_at + 1})
    lines = pivotal_lines(result)
    # As a reason, with the answer in words, never a level number.
    said = [line for line in lines if breaker.text in line]
    assert said and "that would be a deal-breaker" in said[0]
    assert "the verdict would be Go" in said[0]
    assert breaker.level_text(breaker.knock_out_at).rstrip(".") in said[0]
    assert "level" not in said[0]


def test_every_result_points_to_the_two_sided_health_check() -> None:
    """One person's result links to the page on asking both sides, which exists."""
    from assessment.report import HEALTH_CHECK_PAGE

    assert (Path(__file__).resolve().parents[1] / "docs" / HEALTH_CHECK_PAGE).is_file()
    assert 'href="../stay/health-check/"' in to_html(assess({}))


# -- The verdict card: its numbers are the engine's, by the one rounding rule ---------------------


class _Figures(HTMLParser):
    """The card's figures (<data value>) and its text outside them."""

    def __init__(self) -> None:
        super().__init__()
        self.figures: list[tuple[float, str]] = []
        self._value: str | None = None
        self._inside = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "section" and "pp-card" in (attributes.get("class") or ""):
            self._inside += 1
        if tag == "data" and self._inside:
            self._value = attributes.get("value")

    def handle_endtag(self, tag: str) -> None:
        if tag == "section" and self._inside:
            self._inside -= 1
        if tag == "data":
            self._value = None

    def handle_data(self, data: str) -> None:
        if self._inside and self._value is not None:
            self.figures.append((float(self._value), data))


@settings(max_examples=150)
@given(answers)
def test_the_cards_numbers_are_the_engines_rounded_by_one_rule(
    given_answers: dict[str, int | None],
) -> None:
    """Every figure on the card is a score the engine computed, shown by the one rounding rule
    (scoring.shown): the overall health and each dimension below the stay threshold."""
    from assessment.scoring import shown

    result = assess(given_answers)
    parser = _Figures()
    parser.feed(to_html(result))
    scores = [result.overall, *(d.score for d in result.dimensions)]
    for value, text in parser.figures:
        assert value in scores, (value, scores)
        assert text == str(shown(value))
    if result.overall is not None:
        assert (result.overall, str(shown(result.overall))) in parser.figures
    low = [d.score for d in result.weakest if d.score is not None and d.score < result.stay_overall]
    assert len(parser.figures) == (result.overall is not None) + len(low)


@settings(max_examples=60)
@given(st.lists(answers, min_size=1, max_size=4))
def test_the_team_cards_numbers_are_the_engines_rounded_by_one_rule(
    sets: list[dict[str, int | None]],
) -> None:
    """The team's card too: each figure a team or respondent score, shown by the one rule."""
    from assessment.codec import Response
    from assessment.scoring import shown
    from assessment.team import combine
    from assessment.team_report import to_html as team_html

    responses = [
        Response(answers=a, relationship="client", given=None, bank_version=BANK_VERSION)
        for a in sets
    ]
    team = combine(responses)
    parser = _Figures()
    parser.feed(team_html(team))
    scores = [team.overall, team.overall_low, team.overall_high]
    scores += [d.score for d in team.dimensions]
    for value, text in parser.figures:
        assert value in scores
        assert text == str(shown(value))


@given(answers)
def test_a_number_beside_a_threshold_is_on_the_side_the_rules_saw(
    given_answers: dict[str, int | None],
) -> None:
    """How close it was: the whole numbers said agree with 'below' or 'above' in every line."""
    from assessment.scoring import shown

    result = assess(given_answers)
    for margin in result.margins:
        if margin.threshold in ("stay_overall", "critical_dimension"):
            line = margin_lines(result)[result.margins.index(margin)]
            below = margin.value < margin.limit
            assert ("below" in line) is below, line
            assert f" {shown(margin.value)}" in line


@given(answers)
def test_the_scope_line_accounts_for_every_question_of_the_form(
    given_answers: dict[str, int | None],
) -> None:
    """The form counts every question it holds: the card's line names those that did not apply,
    so that its numbers add up to the form's."""
    result = assess(given_answers)
    line = scope_text(result)
    numbers = [int(n) for n in re.findall(r"\d+", line)]
    if result.quick:
        assert numbers[-1] == len(BANK.questions)
    elif "did not apply" in line:
        given_count, applying, skipped = numbers
        assert applying + skipped == len(BANK.questions)
        assert given_count <= applying
    else:
        assert numbers[1] == len(BANK.questions)


@given(answers)
def test_a_step_the_skip_rule_did_not_ask_is_said_not_asked(
    given_answers: dict[str, int | None],
) -> None:
    """How close it was: a repair step whose question the skip rule left out is 'not asked',
    never 'not answered' (and one it asks is never 'not asked')."""
    from assessment.scoring import asked

    result = assess(given_answers)
    by_role = {q.role: q for q in BANK.questions if q.role}
    lines = margin_lines(result)
    for margin, line in zip(result.margins, lines, strict=True):
        if margin.threshold != "repair_step_done":
            continue
        applies = asked(by_role[margin.subject], given_answers)
        assert ("not asked" in line) is not applies, line
        assert margin.asked is applies
