"""Hypothesis strategies for answers to the shipped bank."""

from __future__ import annotations

from hypothesis import strategies as st

from assessment import Bank, load_bank
from assessment.examples import scenario

BANK = load_bank()
QUESTION_IDS = BANK.question_ids
LEVEL = st.integers(min_value=1, max_value=5)
ANSWER = st.one_of(st.none(), LEVEL)

# Some questions unanswered, some "don't know", the rest levels 1-5.
answers = st.dictionaries(keys=st.sampled_from(QUESTION_IDS), values=ANSWER)
# Every question answered with a level: the densest case.
full_answers = st.fixed_dictionaries({qid: LEVEL for qid in QUESTION_IDS})

# The bank's relationships, by position: the tests name no side of their own, so a bank with
# other sides (a company's copy) runs them as they are. Two sides at least (a bank may have one
# only in theory: the team view's tests need two).
SIDES = tuple(r.id for r in BANK.relationships)
assert len(SIDES) >= 2, "the tests of the team view need a bank with two relationships"
FIRST_SIDE, SECOND_SIDE, LAST_SIDE = SIDES[0], SIDES[1], SIDES[-1]


def side_name(side: str) -> str:
    """What the team view calls a relationship's respondents (its name in the bank)."""
    return BANK.relationship(side).name


def story(scenario_id: str, bank: Bank = BANK) -> dict[str, int | None]:
    """A named scenario (assessment/examples.py) as answers to every question of a bank: a
    dimension the scenario does not name (one a company added) at the scenario's middle level,
    so that every dimension is scored as the story's others are."""
    chosen = scenario(scenario_id)
    given = sorted(level for level in chosen.practice.values() if level is not None)
    answers = chosen.answers(bank)
    if given:
        middle = given[len(given) // 2]
        for dimension in bank.dimensions:
            if dimension.id not in chosen.practice:
                for question in bank.questions_in(dimension.id):
                    answers[question.id] = question.practice_level(middle)
    return answers
