"""The quick check (the bank's core questions) and the skip rule (asked_if), in CPython."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings

from assessment import Bank, assess
from assessment.bank import BLOCK_IDS, parse_bank
from assessment.check import Project, check_core
from assessment.errors import BankError
from assessment.scoring import (
    NOT_ASKED,
    asked,
    asked_answers,
    core_answers,
    decide,
    facts_of,
    is_quick,
    validate_answers,
    verdict_of,
)
from assessment.sensitivity import quick_agreement
from tests.strategies import answers


@pytest.mark.content
def test_the_shipped_bank_s_quick_check_is_about_a_dozen_questions(bank: Bank) -> None:
    """This site's choice of size (a copy with more dimensions has more core questions)."""
    assert 10 <= len(bank.core_questions) <= 16


def test_the_bank_has_a_fair_quick_check(bank: Bank) -> None:
    """Whatever the bank holds, as its rules make it: every block question is core (bank.py)
    and every dimension has one (the bank check, assessment/check.py's check_core, which the
    build runs first); a bank that has a quick check at all."""
    assert bank.core_questions
    assert check_core(bank, Project(None, None)) == []
    for question in bank.questions:
        if question.dimension in BLOCK_IDS:
            assert question.core, question.id
    for dimension in bank.dimensions:
        assert any(q.core for q in bank.questions_in(dimension.id)), dimension.id


@settings(max_examples=200)
@given(answers)
def test_a_quick_check_is_the_core_answers_scored(given_answers: dict[str, int | None]) -> None:
    """A quick check's result is assess() of its core answers, and says it is a quick check."""
    from assessment import load_bank

    bank = load_bank()
    core = core_answers(given_answers, bank)
    result = assess(core)
    assert result.quick is bool(core)
    assert result.to_dict()["quick"] is bool(core)
    if any(not bank.question(qid).core for qid in given_answers):
        assert not assess(given_answers).quick


def test_answering_every_core_question_scores_every_dimension(bank: Bank) -> None:
    """The core questions alone, all answered, score every dimension: a verdict, not 'undecided'
    (the bank check asks a core question of every dimension)."""
    result = assess({q.id: 3 for q in bank.core_questions})
    assert result.quick
    assert all(d.scored for d in result.dimensions)
    assert result.verdict != "undecided"


def test_the_agreement_figure_is_computed_on_the_sample(bank: Bank) -> None:
    """How often quick and full agree: counted on the sample, the differences add up."""
    agreement = quick_agreement(bank, size=200)
    assert agreement is not None
    assert agreement.core == len(bank.core_questions)
    assert agreement.agree + sum(n for _, _, n in agreement.differences) == 200
    assert 0.5 < agreement.share <= 1


def test_a_bank_without_core_questions_has_no_quick_check(bank_data: dict[str, Any]) -> None:
    """Core is optional: without it there is no quick check, and nothing is quick."""
    for question in bank_data["questions"]:
        question.pop("core", None)
    plain = parse_bank(bank_data)
    assert plain.core_questions == ()
    assert quick_agreement(plain, size=10) is None
    assert not assess({plain.question_ids[0]: 3}, plain).quick


def _block_question_not_core(questions: list[dict[str, Any]]) -> None:
    next(q for q in questions if q["dimension"] == "deal_breakers").pop("core")


def _no_dimension_core(questions: list[dict[str, Any]]) -> None:
    for question in questions:
        if question["dimension"] not in BLOCK_IDS:
            question.pop("core", None)


def _unknown_question(questions: list[dict[str, Any]]) -> None:
    questions[0]["asked_if"] = {"question": "nope", "at_least": 3}


def _later_question(questions: list[dict[str, Any]]) -> None:
    questions[0]["asked_if"] = {"question": questions[1]["id"], "at_least": 3}


def _level_out_of_range(questions: list[dict[str, Any]]) -> None:
    questions[1]["asked_if"] = {"question": questions[0]["id"], "at_least": 9}


def _skipped_question(questions: list[dict[str, Any]]) -> None:
    follow = next(q for q in questions if q["id"] == "rh_follow")
    follow["asked_if"] = {"question": "rh_reset", "at_least": 3}


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (_block_question_not_core, "core"),
        (_no_dimension_core, "core"),
        (_unknown_question, "asked_if"),
        (_later_question, "asked_if"),
        (_level_out_of_range, "at_least"),
        (_skipped_question, "asked_if"),
    ],
)
def test_the_bank_checks_core_and_skip_rules(
    bank_data: dict[str, Any], change: Any, field: str
) -> None:
    """A bank whose core set or skip rule could mislead is refused, naming the field."""
    change(bank_data["questions"])
    with pytest.raises(BankError) as error:
        parse_bank(bank_data)
    assert field in str(error.value)


@pytest.mark.parametrize("field", ["stay_overall", "critical_dimension"])
def test_score_thresholds_are_whole_numbers(bank_data: dict[str, Any], field: str) -> None:
    """Scores are shown as whole numbers: a threshold between two of them is refused."""
    bank_data["thresholds"][field] = 39.5
    with pytest.raises(BankError, match="whole number"):
        parse_bank(bank_data)


def test_a_verdict_colour_comes_from_the_bank(bank_data: dict[str, Any]) -> None:
    """A verdict's colour is one of the named colours; without one it is grey."""
    bank_data["verdicts"][0].pop("colour", None)
    assert parse_bank(bank_data).verdicts[0].colour == "grey"
    bank_data["verdicts"][0]["colour"] = "#ff0000"
    with pytest.raises(BankError, match="colour"):
        parse_bank(bank_data)


# -- The skip rule -----------------------------------------------------------------------------


def test_the_repair_history_is_asked_once_the_problems_are_raised(bank: Bank) -> None:
    """The rule is in the bank: the later repair questions name the first, and a level."""
    skipped = [q for q in bank.questions if q.asked_if is not None]
    assert skipped and all(q.dimension == "repair_history" for q in skipped)
    raised, at_least = skipped[0].asked_if or ("", 0)
    for level in range(1, 6):
        assert all(asked(q, {raised: level}) is (level >= at_least) for q in skipped)
    assert not any(asked(q, {raised: None}) for q in skipped)


@settings(max_examples=300)
@given(answers)
def test_the_skip_rule_never_changes_a_verdict(given_answers: dict[str, int | None]) -> None:
    """Leaving out what does not apply changes no verdict: the rules read those answers only
    once the problems count as raised, which is after they are asked."""
    from assessment import load_bank

    bank = load_bank()
    valid = validate_answers(given_answers, bank)
    every_answer = decide(facts_of(valid, bank), bank.thresholds).verdict
    assert verdict_of(valid, bank) == every_answer
    assert assess(valid).verdict == every_answer


def test_an_answer_that_does_not_apply_is_kept_but_not_scored(bank: Bank) -> None:
    """It stays in the answers (and so in a share code); the result says it was not asked."""
    skipped = next(q for q in bank.questions if q.asked_if is not None)
    raised = skipped.asked_if[0] if skipped.asked_if else ""
    given_answers = {raised: 1, skipped.id: 5}
    assert asked_answers(given_answers, bank) == {raised: 1}
    result = assess(given_answers)
    contribution = next(c for c in result.contributions if c.question_id == skipped.id)
    assert contribution.answer == NOT_ASKED and contribution.level is None
    assert is_quick(given_answers, bank)


def test_the_methodology_page_states_the_agreement_the_build_computed(
    bank: Bank, bank_data: dict[str, Any], built_site: Any
) -> None:
    """The figure on the page is the engine's on the bank as built; another core set, another
    figure (the macro computes it, nobody writes it)."""
    from macros.render import quick_check

    agreement = quick_agreement(bank)
    assert agreement is not None
    figure = f"{agreement.share:.1%}"
    page = (built_site / "methodology" / "index.html").read_text(encoding="utf-8")
    assert f"<strong>{figure}</strong>" in page
    for question in bank_data["questions"]:
        if question["id"] == "cf_values":
            question.pop("core")
        if question["id"] == "cf_leadership":
            question["core"] = True
    other = quick_agreement(parse_bank(bank_data))
    assert other is not None
    assert f"**{other.share:.1%}**" in quick_check(parse_bank(bank_data), "methodology.md")
    assert other.agree != agreement.agree
