"""The named scenarios, also shown as worked examples on the methodology page."""

from __future__ import annotations

import pytest

from assessment import Bank, assess
from assessment.examples import SCENARIOS, scenario


@pytest.mark.parametrize("item", SCENARIOS, ids=lambda s: s.id)
def test_scenario_gives_its_verdict(item: object, bank: Bank) -> None:
    """Each story leads to the verdict a thoughtful adviser would give."""
    from assessment.examples import Scenario

    assert isinstance(item, Scenario)
    assert assess(item.answers(bank)).verdict == item.expected_verdict


def test_healthy_partnership_stays(bank: Bank) -> None:
    """Good scores everywhere: stay, and keep an eye on the lowest dimension."""
    result = assess(scenario("healthy").answers(bank))
    assert (result.verdict, result.rule.id) == ("stay", "healthy")
    assert result.overall is not None and result.overall >= bank.thresholds.stay_overall


def test_no_written_agreement_means_repair_first(bank: Bank) -> None:
    """Fit and value are fine; the missing agreement drags expectation clarity down: repair."""
    result = assess(scenario("no_written_agreement").answers(bank))
    assert (result.verdict, result.rule.id) == ("repair", "repair_first")
    assert result.weakest[0].id == "expectation_clarity"
    assert any("Expectation clarity" in reason for reason in result.reasons)
    assert any("Not yet done" in reason for reason in result.reasons)


def test_no_value_and_one_sided_work_means_go(bank: Bank) -> None:
    """The honest conversation changed nothing: go, because the partner will not engage."""
    result = assess(scenario("no_value_one_sided").answers(bank))
    assert (result.verdict, result.rule.id) == ("go", "partner_not_engaging")
    weakest = {d.id for d in result.weakest}
    assert {"value_creation", "mutual_benefit"} <= weakest


def test_too_many_unknowns_is_undecided(bank: Bank) -> None:
    """Mostly "don't know": no overall score and no verdict beyond "not enough answers"."""
    result = assess(scenario("too_many_unknowns").answers(bank))
    assert (result.verdict, result.rule.id) == ("undecided", "too_few_answers")
    assert result.overall is None
