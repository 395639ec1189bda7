"""Answers -> Result: dimension scores, overall health and the verdict rules. No I/O."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .bank import DEAL_BREAKERS, LEVELS, REPAIR_HISTORY, REPAIR_ROLES, Bank, Question, load_bank
from .errors import AnswerError

# An answer is a level 1-5, or None for "don't know / doesn't apply".
# A question missing from the mapping has not been answered yet; it scores like None.
Answers = Mapping[str, int | None]

DONT_KNOW = "Don't know / doesn't apply"

# How a verdict is named to the reader, everywhere a result is shown (page, CLI, reports).
VERDICT_LABELS = {"stay": "Stay", "repair": "Repair", "go": "Go", "undecided": "Not enough answers"}

# What a dimension (or the overall health) shows when too few questions were answered.
NOT_ENOUGH_ANSWERS = "not enough answers"

REPAIR_STEP_NAMES = {
    "raised": "the problems raised with the partner directly",
    "reset": "objectives, deliverables, owners and timelines reset together",
    "time_to_work": "the reset given time to work",
}


@dataclass(frozen=True)
class DimensionResult:
    """One scored dimension: its score (None when too few answers) and its coverage."""

    id: str
    title: str
    weight: float
    playbook: str
    score: float | None
    coverage: float
    answered: int
    total: int

    @property
    def scored(self) -> bool:
        """Whether enough questions were answered to give a score."""
        return self.score is not None


@dataclass(frozen=True)
class Contribution:
    """What one answer contributed: its 0-100 item score and its points in the overall score."""

    question_id: str
    dimension: str
    text: str
    level: int | None
    answer: str
    item_score: float | None
    overall_points: float


@dataclass(frozen=True)
class RepairStep:
    """One repair-history answer and whether it counts as done."""

    role: str
    level: int | None
    done: bool


@dataclass(frozen=True)
class Rule:
    """One verdict rule, as a reader can follow it on the methodology page."""

    id: str
    verdict: str
    text: str


@dataclass(frozen=True)
class Result:
    """The outcome of an assessment: verdict, the rule and reasons behind it, and every score."""

    bank_version: str
    verdict: str
    verdict_label: str
    verdict_title: str
    verdict_summary: str
    next_steps: tuple[str, ...]
    verdict_playbook: str
    rule: Rule
    reasons: tuple[str, ...]
    overall: float | None
    dimensions: tuple[DimensionResult, ...]
    weakest: tuple[DimensionResult, ...]
    knock_outs: tuple[str, ...]
    repair_steps: tuple[RepairStep, ...]
    contributions: tuple[Contribution, ...]
    stay_overall: float
    critical_dimension: float

    def to_dict(self) -> dict[str, Any]:
        """The result as JSON-ready data (scores rounded to one decimal)."""
        return {
            "bank_version": self.bank_version,
            "verdict": self.verdict,
            "verdict_label": self.verdict_label,
            "verdict_title": self.verdict_title,
            "verdict_summary": self.verdict_summary,
            "rule": self.rule.id,
            "rule_text": self.rule.text,
            "reasons": list(self.reasons),
            "overall": _round(self.overall),
            "dimensions": {
                d.id: {
                    "title": d.title,
                    "score": _round(d.score),
                    "coverage": round(d.coverage, 3),
                    "answered": d.answered,
                    "total": d.total,
                    "playbook": d.playbook,
                }
                for d in self.dimensions
            },
            "weakest": [
                {"id": d.id, "title": d.title, "score": _round(d.score), "playbook": d.playbook}
                for d in self.weakest
            ],
            "knock_outs": list(self.knock_outs),
            "repair_steps": {s.role: {"level": s.level, "done": s.done} for s in self.repair_steps},
            "next_steps": list(self.next_steps),
            "playbook": self.verdict_playbook,
            "contributions": [
                {
                    "question": c.question_id,
                    "dimension": c.dimension,
                    "level": c.level,
                    "item_score": _round(c.item_score),
                    "overall_points": round(c.overall_points, 2),
                }
                for c in self.contributions
            ],
        }


def score_text(value: float | None) -> str:
    """A score as the reader sees it: rounded to a whole number, or "not enough answers"."""
    return NOT_ENOUGH_ANSWERS if value is None else f"{value:.0f}"


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def validate_answers(answers: Answers, bank: Bank) -> dict[str, int | None]:
    """Check every answer names a question of the bank and a level 1-5 (or None)."""
    if not isinstance(answers, Mapping):
        raise AnswerError("The answers must be a mapping of question ids to levels.")
    known = set(bank.question_ids)
    clean: dict[str, int | None] = {}
    for question_id, level in answers.items():
        if question_id not in known:
            raise AnswerError(f"Unknown question id '{question_id}' (bank version {bank.version}).")
        if level is not None and (
            isinstance(level, bool) or not isinstance(level, int) or level not in LEVELS
        ):
            raise AnswerError(
                f"Question '{question_id}': level {level!r} is out of range "
                "(use 1 to 5, or null for don't know)."
            )
        clean[question_id] = level
    return clean


def item_score(question: Question, level: int) -> float:
    """A level as 0-100, where 100 is best practice (reverse-scored items are flipped)."""
    value = 6 - level if question.reverse else level
    return (value - 1) * 25.0


def score_dimensions(answers: Answers, bank: Bank) -> tuple[DimensionResult, ...]:
    """Score every dimension from its answered items; too little coverage gives no score."""
    results = []
    for dimension in bank.dimensions:
        questions = bank.questions_in(dimension.id)
        levels = [(q, answers.get(q.id)) for q in questions]
        answered = [item_score(q, level) for q, level in levels if level is not None]
        coverage = len(answered) / len(questions)
        enough = bool(answered) and coverage >= bank.thresholds.min_coverage
        results.append(
            DimensionResult(
                id=dimension.id,
                title=dimension.title,
                weight=dimension.weight,
                playbook=dimension.playbook,
                score=sum(answered) / len(answered) if enough else None,
                coverage=coverage,
                answered=len(answered),
                total=len(questions),
            )
        )
    return tuple(results)


def overall_score(dimensions: tuple[DimensionResult, ...]) -> float | None:
    """The weighted mean of the scored dimensions (None if none is scored)."""
    scored = [d for d in dimensions if d.score is not None]
    total_weight = sum(d.weight for d in scored)
    if not scored:
        return None
    return sum(d.weight * d.score for d in scored if d.score is not None) / total_weight


def describe_rules(bank: Bank) -> tuple[Rule, ...]:
    """The verdict rules in the order they are tried, with this bank's thresholds."""
    t = bank.thresholds
    return (
        Rule(
            "deal_breaker",
            "go",
            "If any deal-breaker question is answered at or below its knock-out level, the "
            "verdict is go, whatever the scores say: consider ending the partnership.",
        ),
        Rule(
            "too_few_answers",
            "undecided",
            f"Otherwise, if fewer than {t.min_scored_dimensions} dimensions have at least "
            f"{t.min_coverage:.0%} of their questions answered, the verdict is undecided: "
            "there are not enough answers to judge.",
        ),
        Rule(
            "healthy",
            "stay",
            f"Otherwise, if the overall health is at least {t.stay_overall:g} and no scored "
            f"dimension is below {t.critical_dimension:g}, the verdict is stay.",
        ),
        Rule(
            "partner_not_engaging",
            "go",
            "Otherwise the partnership is unhealthy. If the problems have been raised with the "
            f"partner (level {t.repair_step_done} or more) but the partner's follow-through is "
            f"at level {t.no_follow_through} or below, the verdict is go: the partner will not "
            "engage.",
        ),
        Rule(
            "repair_failed",
            "go",
            f"Otherwise, if the problems were raised, the objectives reset and the reset given "
            f"time to work (each at level {t.repair_step_done} or more), the verdict is go: "
            "the repair was tried and did not work.",
        ),
        Rule(
            "repair_first",
            "repair",
            "Otherwise the verdict is repair: the repair steps have not all been tried yet.",
        ),
    )


def assess(answers: Answers, bank: Bank | None = None) -> Result:
    """Score a set of answers against the bank (the shipped one by default)."""
    bank = bank or load_bank()
    answers = validate_answers(answers, bank)
    t = bank.thresholds
    dimensions = score_dimensions(answers, bank)
    scored = [d for d in dimensions if d.score is not None]
    # With too few scored dimensions an overall figure would be a guess: give none.
    enough = len(scored) >= t.min_scored_dimensions
    overall = overall_score(dimensions) if enough else None
    critical = [d for d in scored if d.score is not None and d.score < t.critical_dimension]
    weakest = tuple(sorted(scored, key=lambda d: (d.score, d.id))[: t.weakest_count])

    knock_outs = tuple(
        q.id
        for q in bank.questions_in(DEAL_BREAKERS)
        if q.knock_out_at is not None
        and (level := answers.get(q.id)) is not None
        and level <= q.knock_out_at
    )
    repair_steps = _repair_steps(answers, bank)
    done = {s.role: s.done for s in repair_steps}
    follow_through = next(s.level for s in repair_steps if s.role == "follow_through")
    rules = {rule.id: rule for rule in describe_rules(bank)}

    reasons: list[str] = []
    if knock_outs:
        rule = rules["deal_breaker"]
        for question_id in knock_outs:
            question = bank.question(question_id)
            level = answers[question_id]
            assert level is not None
            reasons.append(
                f"Deal-breaker: “{question.text}” was answered “{question.level_text(level)}”."
            )
    elif not enough:
        rule = rules["too_few_answers"]
        missing = [d for d in dimensions if d.score is None]
        reasons.append(
            f"Only {len(scored)} of {len(dimensions)} dimensions have enough answers; "
            f"at least {t.min_scored_dimensions} are needed."
        )
        reasons.extend(
            f"{d.title}: {d.answered} of {d.total} questions answered, not enough for a score."
            for d in missing
        )
    elif overall is not None and overall >= t.stay_overall and not critical:
        rule = rules["healthy"]
        reasons.append(
            f"Overall health is {overall:.0f}, at or above the stay threshold of "
            f"{t.stay_overall:g}, and no dimension is below {t.critical_dimension:g}."
        )
        if weakest:
            reasons.append(
                f"Keep an eye on {weakest[0].title} ({weakest[0].score:.0f}), the lowest score."
            )
    else:
        reasons.extend(_unhealthy_reasons(overall, critical, t.stay_overall, t.critical_dimension))
        raised = done["raised"]
        not_engaging = follow_through is not None and follow_through <= t.no_follow_through
        if raised and not_engaging:
            rule = rules["partner_not_engaging"]
            reasons.append(
                "The problems have been raised with the partner, but the partner has not "
                "followed through on them."
            )
        elif all(done[role] for role in REPAIR_STEP_NAMES):
            rule = rules["repair_failed"]
            reasons.append(
                "The repair steps have been taken (problems raised, objectives reset, time given) "
                "and the partnership is still unhealthy."
            )
        else:
            rule = rules["repair_first"]
            missing_steps = [name for role, name in REPAIR_STEP_NAMES.items() if not done[role]]
            reasons.append("Not yet done: " + "; ".join(missing_steps) + ".")
    verdict = bank.verdict(rule.verdict)
    return Result(
        bank_version=bank.version,
        verdict=verdict.id,
        verdict_label=VERDICT_LABELS[verdict.id],
        verdict_title=verdict.title,
        verdict_summary=verdict.summary,
        next_steps=verdict.next_steps,
        verdict_playbook=verdict.playbook,
        rule=rule,
        reasons=tuple(reasons),
        overall=overall,
        dimensions=dimensions,
        weakest=weakest,
        knock_outs=knock_outs,
        repair_steps=repair_steps,
        contributions=_contributions(answers, bank, dimensions, with_points=enough),
        stay_overall=t.stay_overall,
        critical_dimension=t.critical_dimension,
    )


def _unhealthy_reasons(
    overall: float | None,
    critical: list[DimensionResult],
    stay_overall: float,
    critical_dimension: float,
) -> list[str]:
    reasons = []
    if overall is not None and overall < stay_overall:
        reasons.append(
            f"Overall health is {overall:.0f}, below the stay threshold of {stay_overall:g}."
        )
    reasons.extend(
        f"{d.title} scores {d.score:.0f}, below the critical level of {critical_dimension:g}."
        for d in sorted(critical, key=lambda d: (d.score, d.id))
    )
    return reasons


def _repair_steps(answers: Answers, bank: Bank) -> tuple[RepairStep, ...]:
    by_role = {q.role: q for q in bank.questions_in(REPAIR_HISTORY)}
    steps = []
    for role in REPAIR_ROLES:
        level = answers.get(by_role[role].id)
        done = level is not None and level >= bank.thresholds.repair_step_done
        steps.append(RepairStep(role=role, level=level, done=done))
    return tuple(steps)


def _contributions(
    answers: Answers, bank: Bank, dimensions: tuple[DimensionResult, ...], with_points: bool
) -> tuple[Contribution, ...]:
    by_id = {d.id: d for d in dimensions}
    scored_weight = sum(d.weight for d in dimensions if d.score is not None)
    contributions = []
    for question in bank.questions:
        level = answers.get(question.id)
        dimension = by_id.get(question.dimension)
        score = None if level is None or dimension is None else item_score(question, level)
        points = 0.0
        if with_points and score is not None and dimension and dimension.score is not None:
            # The item's share of its dimension, times the dimension's share of the overall.
            points = score / dimension.answered * dimension.weight / scored_weight
        contributions.append(
            Contribution(
                question_id=question.id,
                dimension=question.dimension,
                text=question.text,
                level=level,
                answer=_answer_text(question, answers),
                item_score=score,
                overall_points=points,
            )
        )
    return tuple(contributions)


def _answer_text(question: Question, answers: Answers) -> str:
    if question.id not in answers:
        return "Not answered"
    level = answers[question.id]
    return DONT_KNOW if level is None else question.level_text(level)
