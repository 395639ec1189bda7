"""The restructure verdict: keep the partner, change the deal (issue 30).

Its rule is read from the bank (which dimensions are the relationship's and which the deal's,
the sound level, the critical level) and from the restructure page's own tests; every case
here builds its answers from the bank, never from today's question ids.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings

from assessment import Bank, Response, assess, describe_rules
from assessment.bank import DEAL_BREAKERS, REPAIR_HISTORY, parse_bank
from assessment.errors import BankError
from assessment.examples import SCENARIOS, scenario
from assessment.history import _earlier
from assessment.plan import to_plan_markdown
from assessment.scoring import (
    RULES,
    VERDICT_LABELS,
    earlier_verdict,
    restructure_applies,
    rules_in_force,
)
from assessment.sensitivity import sensitivity
from assessment.team import combine, describe_team_rules
from macros.render import restructure_reasoning, verdict_rules
from tests.strategies import BANK, full_answers

ENGAGED = {"raised": 4, "reset": 2, "time_to_work": 1, "follow_through": 4}


def answers_at(bank: Bank, practice: dict[str, int], repair: dict[str, int] | None = None,
               breaker: int = 5) -> dict[str, int | None]:  # fmt: skip
    """Answers giving each dimension the practice level named (else 4), and the repair steps."""
    roles = repair or ENGAGED
    answers: dict[str, int | None] = {}
    for question in bank.questions:
        if question.dimension == REPAIR_HISTORY:
            answers[question.id] = roles.get(question.role or "")
        elif question.dimension == DEAL_BREAKERS:
            answers[question.id] = breaker
        else:
            level = practice.get(question.dimension, 4)
            answers[question.id] = question.practice_level(level)
    return answers


def parts(bank: Bank, part: str) -> list[str]:
    return [d.id for d in bank.dimensions if d.part == part]


def neither(bank: Bank) -> list[str]:
    return [d.id for d in bank.dimensions if not d.part]


def test_the_bank_says_which_dimensions_are_the_relationship_and_which_the_deal(
    bank: Bank,
) -> None:
    """Both kinds exist in the shipped bank, and the sound level lies between critical and stay."""
    assert parts(bank, "relationship") and parts(bank, "deal")
    t = bank.thresholds
    assert t.critical_dimension <= t.sound_relationship <= t.stay_overall
    assert "restructure" in {v.id for v in bank.verdicts}
    assert VERDICT_LABELS["restructure"] == "Restructure"


def test_a_sound_relationship_and_a_failing_deal_give_restructure(bank: Bank) -> None:
    """Relationship dimensions good, a deal dimension critical, nothing else: restructure, with
    the reasons and the margins that decided it."""
    deal = parts(bank, "deal")[0]
    result = assess(answers_at(bank, {deal: 1}), bank)
    assert (result.verdict, result.rule.id) == ("restructure", "restructure")
    title = bank.dimension(deal).title
    assert any(r.startswith(f"{title} scores 0, below the critical") for r in result.reasons)
    assert any(r.startswith("The relationship is sound") for r in result.reasons)
    sound = [m for m in result.margins if m.threshold == "sound_relationship"]
    assert {m.subject for m in sound} == set(parts(bank, "relationship"))
    assert all(m.value >= m.limit for m in sound)
    assert result.verdict_playbook.startswith("decide/restructure.md")


@pytest.mark.parametrize(
    "case",
    ["relationship_weak", "other_also_critical", "deal_breaker", "partner_not_engaging"],
)
def test_the_restructure_page_s_wrong_calls_are_not_restructure(bank: Bank, case: str) -> None:
    """Trust gone, a repairable problem as well, a deal-breaker, a partner who will not act:
    each of the page's "wrong call" tests gives another verdict."""
    deal = parts(bank, "deal")[0]
    practice = {deal: 1}
    repair, breaker = None, 5
    if case == "relationship_weak":
        practice[parts(bank, "relationship")[0]] = 2
    elif case == "other_also_critical":
        practice[neither(bank)[0]] = 1
    elif case == "deal_breaker":
        breaker = 1
    else:
        repair = {"raised": 5, "reset": 2, "time_to_work": 1, "follow_through": 1}
    result = assess(answers_at(bank, practice, repair, breaker), bank)
    expected = {
        "relationship_weak": "repair",
        "other_also_critical": "repair",
        "deal_breaker": "go",
        "partner_not_engaging": "go",
    }[case]
    assert result.verdict == expected, result.rule.id


def test_a_reset_that_did_not_fix_the_deal_gives_restructure_before_go(bank: Bank) -> None:
    """Repair tried (raised, reset, time given) with the relationship intact and only the deal
    failing: change the deal before ending it; with the relationship worn too, go."""
    deal = parts(bank, "deal")[0]
    tried = {"raised": 5, "reset": 4, "time_to_work": 4, "follow_through": 4}
    assert assess(answers_at(bank, {deal: 1}, tried), bank).verdict == "restructure"
    worn = {deal: 1, parts(bank, "relationship")[0]: 2}
    result = assess(answers_at(bank, worn, tried), bank)
    assert (result.verdict, result.rule.id) == ("go", "repair_failed")


@settings(max_examples=200)
@given(full_answers)
def test_restructure_is_exactly_the_rule_s_conditions(answers: dict[str, int | None]) -> None:
    """Whenever the verdict is restructure, no deal-breaker applies, the relationship is sound
    and only deal dimensions are critical; the rule's own test agrees with the result's scores."""
    result = assess(answers, BANK)
    holds = restructure_applies(result.dimensions, BANK.thresholds)
    if result.verdict == "restructure":
        assert holds and not result.knock_outs
        t = BANK.thresholds
        for d in result.dimensions:
            if d.part == "relationship":
                assert d.score is not None and d.score >= t.sound_relationship
            if d.score is not None and d.score < t.critical_dimension:
                assert d.part == "deal"
    elif holds and not result.knock_outs:
        # Only a partner who will not engage comes before it once the partnership is unhealthy.
        assert result.rule.id == "partner_not_engaging"


@settings(max_examples=100)
@given(full_answers)
def test_a_team_of_one_restructures_exactly_when_its_respondent_does(
    answers: dict[str, int | None],
) -> None:
    """The team rule reads the team's scores as the single rule reads one response's."""
    single = assess(answers, BANK)
    team = combine([Response(answers, None, date(2026, 1, 5), BANK.version)], BANK)
    assert (team.verdict == "restructure") == (single.verdict == "restructure")


def test_a_team_that_agrees_on_a_failing_deal_restructures(bank: Bank) -> None:
    """Two sides with the same picture: the team verdict is restructure, said for the team."""
    deal = parts(bank, "deal")[0]
    answers = answers_at(bank, {deal: 1})
    team = combine(
        [
            Response(answers, "client", date(2026, 1, 5), bank.version),
            Response(answers_at(bank, {deal: 2}), "provider", date(2026, 1, 6), bank.version),
        ],
        bank,
    )
    assert (team.verdict, team.rule.id) == ("restructure", "restructure")
    assert any("The relationship is sound for the team" in r for r in team.reasons)
    texts = {r.id: r.text for r in describe_team_rules(bank)}
    assert "team score of at least" in texts["restructure"]


def test_the_rule_text_names_the_bank_s_dimensions_and_numbers(bank_data: dict[str, Any]) -> None:
    """Another sound level and another split of dimensions move the text and the verdict
    together."""
    bank_data["thresholds"]["sound_relationship"] = 70
    for dimension in bank_data["dimensions"]:
        dimension.pop("part", None)
    bank_data["dimensions"][0]["part"] = "relationship"
    bank_data["dimensions"][1]["part"] = "deal"
    edited = parse_bank(bank_data, "edited.toml")
    rule = next(r for r in describe_rules(edited) if r.id == "restructure")
    first, second = edited.dimensions[0].title.lower(), edited.dimensions[1].title.lower()
    assert f"{first}, scores at least 70" in rule.text
    assert f"a deal dimension, {second}, is below" in rule.text
    answers = answers_at(edited, {edited.dimensions[1].id: 1})
    assert assess(answers, edited).verdict == "restructure"
    # Practice level 4 scores 75: at a sound level of 80 the relationship is not sound.
    bank_data["thresholds"]["sound_relationship"] = 80
    stricter = parse_bank(bank_data, "stricter.toml")
    assert assess(answers, stricter).verdict == "repair"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (lambda d: d["dimensions"][0].update(part="people"), "part"),
        (lambda d: d["thresholds"].update(sound_relationship=30), "sound_relationship"),
        (lambda d: d["thresholds"].pop("sound_relationship"), "sound_relationship"),
        (lambda d: d["verdicts"].pop(2), "id"),
    ],
    ids=["unknown-part", "sound-below-critical", "sound-missing", "verdict-missing"],
)
def test_a_bank_that_gets_restructure_wrong_names_the_field(
    bank_data: dict[str, Any], change: Any, field: str
) -> None:
    """An unknown part, a sound level below critical or none, a missing verdict: BankError."""
    change(bank_data)
    with pytest.raises(BankError) as caught:
        parse_bank(bank_data, "edited.toml")
    assert caught.value.field == field


def test_a_bank_without_both_parts_never_restructures(bank_data: dict[str, Any]) -> None:
    """Without relationship or deal dimensions the rule cannot hold: the old verdicts only."""
    for dimension in bank_data["dimensions"]:
        dimension.pop("part", None)
    plain = parse_bank(bank_data, "plain.toml")
    deal = parts(BANK, "deal")[0]
    assert assess(answers_at(plain, {deal: 1}), plain).verdict == "repair"
    assert "none in this bank" in next(
        r.text for r in describe_rules(plain) if r.id == "restructure"
    )
    # describe_rules lists restructure among the rules still: it states what it would need.
    assert [r.id for r in describe_rules(plain)] == [r.id for r in RULES]


# -- The methodology page, the sensitivity table and the worked examples ---------------------


def test_the_worked_example_of_a_deal_that_no_longer_pays_is_restructure(bank: Bank) -> None:
    """The methodology's new worked example is a test case: restructure, by its own rule."""
    item = scenario("deal_no_longer_pays")
    result = assess(item.answers(bank), bank)
    assert (item.expected_verdict, result.verdict, result.rule.id) == (
        "restructure",
        "restructure",
        "restructure",
    )
    assert {s.expected_verdict for s in SCENARIOS} >= {"stay", "repair", "restructure", "go"}


def test_the_methodology_explains_the_rule_from_the_bank(bank: Bank) -> None:
    """The reasoning names this bank's dimensions and numbers, and the rules it comes after."""
    text = restructure_reasoning(bank, "methodology.md")
    t = bank.thresholds
    for dimension in bank.dimensions:
        assert dimension.title.lower() in text
    assert f"at least {t.sound_relationship:g}" in text
    assert "decide/restructure.md#when-to-choose" in text
    assert "`partner_not_engaging`" in text and "`repair_failed`" in text
    rules = verdict_rules(bank, "methodology.md")
    assert "**Restructure** (rule `restructure`)" in rules


def test_the_sensitivity_table_moves_the_sound_level_and_counts_restructure(bank: Bank) -> None:
    """The build's table has the sound level both ways, each row equal to a full rescoring, and
    counts the sample's verdicts, restructure among them, as a full rescoring does (whatever
    the bank's numbers make of the sample, restructure included when it is none of it)."""
    from assessment.sensitivity import sample_answers

    report = sensitivity(bank, 300)
    rows = {row.name: row for row in report.rows}
    t = bank.thresholds
    sample = sample_answers(bank, 300)
    base = [assess(a, bank).verdict for a in sample]
    assert dict(report.verdicts) == {v: base.count(v) for v in VERDICT_LABELS}
    assert [v for v, _ in report.verdicts] == list(VERDICT_LABELS)
    for step in (-5, 5):
        level = t.sound_relationship + step
        name = f"Sound relationship level {level:g} (not {t.sound_relationship:g})"
        variant = replace(bank, thresholds=replace(t, sound_relationship=level))
        changed = sum(
            1 for a, v in zip(sample, base, strict=True) if v != assess(a, variant).verdict
        )
        assert rows[name].changed == changed


@pytest.mark.content
def test_the_shipped_bank_s_sample_reaches_restructure(bank: Bank) -> None:
    """With this site's numbers, the methodology page's sample has restructure verdicts, so its
    table shows how often the sound level moves them (a copy's numbers may give none)."""
    assert dict(sensitivity(bank, 300).verdicts)["restructure"] > 0


@pytest.mark.build
def test_the_built_methodology_page_shows_the_rule_and_the_example(built_site: Path) -> None:
    """The page the build writes carries the rule, its reasoning and the worked example."""
    page = (built_site / "methodology" / "index.html").read_text(encoding="utf-8")
    assert 'id="restructure"' in page
    assert 'id="example-deal-no-longer-pays"' in page
    assert "Verdict: Restructure" in page


# -- Results kept from before the rule --------------------------------------------------------


def test_a_result_kept_from_an_earlier_bank_says_what_it_was_then(bank: Bank) -> None:
    """Answers that restructure today were told repair under the rules of a bank from before
    the rule: the history says so; a result made with this bank says nothing."""
    deal = parts(bank, "deal")[0]
    answers = answers_at(bank, {deal: 1})
    rule = next(r for r in RULES if r.id == "restructure")
    assert rule.since
    older = "2026.2"
    assert "restructure" not in [r.id for r in rules_in_force(older)]
    newer = replace(bank, version=rule.since)
    assert earlier_verdict(answers, newer, older) == "repair"
    assert earlier_verdict(answers, newer, rule.since) is None
    kept = Response(answers, None, date(2026, 3, 2), older)
    assert _earlier(kept, newer) == f"Under the rules of {older} this was Repair."
    # Today's bank's own results are scored by today's rules: nothing to say.
    assert _earlier(replace(kept, bank_version=bank.version), bank) == ""
    # A bank version that is not numbers (a company's own) gets every rule.
    assert rules_in_force("acme") == RULES


def test_the_history_table_carries_the_earlier_verdict() -> None:
    """The kept-results table puts the earlier rules' verdict in the change column."""
    from assessment.history import History, to_html
    from assessment.team import over_time

    deal = parts(BANK, "deal")[0]
    response = Response(answers_at(BANK, {deal: 1}), None, date(2026, 3, 2), BANK.version)
    series = over_time([[response]], BANK)
    earlier = ("Under the rules of 2026.2 this was Repair.",)
    html = to_html(History(("code",), series, 0, earlier=earlier))
    assert "Under the rules of 2026.2 this was Repair. First kept result." in html


# -- The plan a restructure verdict offers ---------------------------------------------------------


def test_the_restructure_plan_has_the_shapes_the_negotiation_and_the_dates(bank: Bank) -> None:
    """The plan download for restructure: the four shapes, the quick test, the best
    alternative and walk-away point, paperwork and review, and the decision page."""
    deal = parts(bank, "deal")[0]
    plan = to_plan_markdown(assess(answers_at(bank, {deal: 1}), bank), base_url="/site/")
    assert plan.startswith("# Restructure plan")
    for needed in ("Scale down", "Pause", "Narrow the scope", "Change the model",
                   "sign this one today", "best alternative", "walk-away point",
                   "(</site/decide/decision/>)"):  # fmt: skip
        assert needed in plan, needed
