"""Named scenarios: worked examples for the docs and fixed cases for the tests."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from .bank import DEAL_BREAKERS, REPAIR_HISTORY, Bank


@dataclass(frozen=True)
class Scenario:
    """A partnership story told as practice levels per dimension (5 = best practice).

    Levels are given as *practice*, so a reverse-scored question gets the mirrored answer;
    None means "don't know" for every question of that dimension.
    """

    id: str
    title: str
    story: str
    expected_verdict: str
    practice: Mapping[str, int | None]
    repair: Mapping[str, int | None] = field(default_factory=dict)
    deal_breakers: int = 5

    def answers(self, bank: Bank) -> dict[str, int | None]:
        """The scenario as answers to this bank's questions."""
        answers: dict[str, int | None] = {}
        for question in bank.questions:
            if question.dimension == REPAIR_HISTORY:
                answers[question.id] = self.repair.get(question.role or "")
            elif question.dimension == DEAL_BREAKERS:
                answers[question.id] = self.deal_breakers
            else:
                level = self.practice.get(question.dimension)
                answers[question.id] = None if level is None else question.practice_level(level)
        return answers


NOT_TRIED = {"raised": 1, "reset": 1, "time_to_work": 1, "follow_through": None}

SCENARIOS = (
    Scenario(
        id="healthy",
        title="A healthy partnership",
        story=(
            "An agency and its client of three years: shared goals on paper, a monthly review "
            "against agreed numbers, and both sides say the work pays off."
        ),
        expected_verdict="stay",
        practice={
            "cultural_fit": 4,
            "value_creation": 5,
            "expectation_clarity": 4,
            "communication": 4,
            "mutual_benefit": 4,
            "success_metrics": 4,
        },
        repair={"raised": None, "reset": None, "time_to_work": None, "follow_through": None},
    ),
    Scenario(
        id="no_written_agreement",
        title="Good fit and value, but nothing in writing",
        story=(
            "Two peers who like working together and both gain from it, but who never wrote "
            "down who does what, by when, or how success is measured. Deadlines slip and "
            "nobody owns them. Nobody has raised it yet."
        ),
        expected_verdict="repair",
        practice={
            "cultural_fit": 4,
            "value_creation": 4,
            "expectation_clarity": 1,
            "communication": 3,
            "mutual_benefit": 4,
            "success_metrics": 2,
        },
        repair=NOT_TRIED,
    ),
    Scenario(
        id="no_value_one_sided",
        title="The partner sees no value and carries the work",
        story=(
            "A strategic partner that, over a frank lunch, said the arrangement no longer "
            "delivered anything for them and that they had ended up doing most of the work. "
            "Since that honest conversation nothing has changed."
        ),
        expected_verdict="go",
        practice={
            "cultural_fit": 4,
            "value_creation": 1,
            "expectation_clarity": 2,
            "communication": 3,
            "mutual_benefit": 1,
            "success_metrics": 2,
        },
        repair={"raised": 5, "reset": 2, "time_to_work": 2, "follow_through": 1},
    ),
    Scenario(
        id="too_many_unknowns",
        title="Too many “don't know” answers",
        story=(
            "A manager who inherited a partnership last week and cannot yet say how value, "
            "metrics or the written agreement stand."
        ),
        expected_verdict="undecided",
        practice={
            "cultural_fit": 3,
            "value_creation": None,
            "expectation_clarity": None,
            "communication": 3,
            "mutual_benefit": None,
            "success_metrics": None,
        },
        repair={"raised": None, "reset": None, "time_to_work": None, "follow_through": None},
        deal_breakers=5,
    ),
    Scenario(
        id="deal_no_longer_pays",
        title="Good people, a deal that no longer pays",
        story=(
            "A software vendor and its reseller who trust each other and talk every week, but "
            "the reseller sells well in only one of its three regions. Neither side gets what "
            "the agreement promised, and both have said so; the vendor's people still follow "
            "through on what they agree."
        ),
        expected_verdict="restructure",
        practice={
            "cultural_fit": 4,
            "value_creation": 2,
            "expectation_clarity": 3,
            "communication": 4,
            "mutual_benefit": 2,
            "success_metrics": 3,
        },
        repair={"raised": 4, "reset": 2, "time_to_work": 1, "follow_through": 4},
    ),
)


def scenario(scenario_id: str) -> Scenario:
    """The named scenario with this id."""
    for item in SCENARIOS:
        if item.id == scenario_id:
            return item
    raise KeyError(scenario_id)
