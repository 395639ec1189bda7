"""Answers -> Result: dimension scores, overall health and the verdict rules. No I/O."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass, field, replace
from typing import Any

from .bank import (
    DEAL_BREAKERS,
    LEVELS,
    REPAIR_HISTORY,
    REPAIR_ROLES,
    Bank,
    Dimension,
    Question,
    Thresholds,
    Verdict,
    load_bank,
)
from .errors import AnswerError

# An answer is a level 1-5, or None for "don't know / doesn't apply".
# A question missing from the mapping has not been answered yet; it scores like None.
Answers = Mapping[str, int | None]

DONT_KNOW = "Don't know / doesn't apply"
NOT_ANSWERED = "Not answered"
# A question the bank's skip rule leaves out (asked_if): its answer, if any, is kept but not used.
NOT_ASKED = "Not asked: it does not apply"

# How a verdict is named to the reader, everywhere a result is shown (page, CLI, reports).
VERDICT_LABELS = {
    "stay": "Stay",
    "repair": "Repair",
    "restructure": "Restructure",
    "go": "Go",
    "undecided": "Not enough answers",
}

# What a dimension (or the overall health) shows when too few questions were answered.
NOT_ENOUGH_ANSWERS = "not enough answers"

# Said when no single one-level move of an answer changes the verdict.
ROBUST = (
    "The verdict is robust to any single one-level change: no answer moved one level up or "
    "down would change it."
)

REPAIR_STEP_NAMES = {
    "raised": "the problems raised with the partner directly",
    "reset": "objectives, deliverables, owners and timelines reset together",
    "time_to_work": "the reset given time to work",
}
FOLLOW_THROUGH_NAME = "the partner's follow-through"

# A plan names at most this many weak questions: enough to act on, short enough for one page.
PLAN_QUESTIONS = 5


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
    part: str = ""  # "relationship", "deal" or "": what the restructure rule reads it as

    @property
    def scored(self) -> bool:
        """Whether enough questions were answered to give a score."""
        return self.score is not None


@dataclass(frozen=True)
class Contribution:
    """What one answer contributed: its 0-100 item score and its points in the overall score.

    `target_level` and `target_answer` are the next better level and its description (None
    when the answer is already the best practice, or there is no answer).
    """

    question_id: str
    dimension: str
    text: str
    level: int | None
    answer: str
    item_score: float | None
    overall_points: float
    target_level: int | None = None
    target_answer: str | None = None


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
class Margin:
    """How far a figure that decided the verdict is from its threshold (value - limit)."""

    threshold: str
    subject: str
    value: float
    limit: float
    text: str
    # For a margin on one answer (a knock-out, a repair step): the answer given, in the bank's
    # words ("" when none), and the answer at the threshold.
    answer: str = ""
    limit_answer: str = ""
    # For a repair step: False when the skip rule did not ask its question (it does not apply).
    asked: bool = True

    @property
    def difference(self) -> float:
        """The value minus the threshold: negative means below it."""
        return self.value - self.limit


@dataclass(frozen=True)
class PivotalAnswer:
    """One answer that, moved one level, would change the verdict, and the verdict it gives."""

    question_id: str
    text: str
    from_level: int
    to_level: int
    verdict: str
    # What the move would do, for saying it as a reason: both answers in the bank's words, the
    # question's group, and its effect: "score" (the dimension's score then, `score`),
    # "knock_out" / "no_knock_out" (a deal-breaker), "done" / "undone" (a repair step, `role`),
    # "not_engaging" / "engaging" (the partner's follow-through).
    from_answer: str = ""
    to_answer: str = ""
    group: str = ""
    effect: str = ""
    score: float | None = None
    role: str | None = None


class ShowsVerdict:
    """A result's verdict as the bank words it, read from the bank's one `Verdict` (`meaning`),
    and the rule and reasons that led to it."""

    meaning: Verdict
    rule: Rule
    reasons: tuple[str, ...]

    @property
    def verdict(self) -> str:
        """The verdict's id (stay, repair, restructure, go, undecided)."""
        return self.meaning.id

    @property
    def verdict_label(self) -> str:
        """The verdict as a reader sees it (Stay, Repair, Go, Not enough answers)."""
        return VERDICT_LABELS[self.meaning.id]

    @property
    def verdict_title(self) -> str:
        """The verdict's headline, from the bank."""
        return self.meaning.title

    @property
    def verdict_summary(self) -> str:
        """What the verdict means, from the bank."""
        return self.meaning.summary

    @property
    def next_steps(self) -> tuple[str, ...]:
        """What to do next, from the bank."""
        return self.meaning.next_steps

    @property
    def verdict_playbook(self) -> str:
        """The playbook page for this verdict, from the bank."""
        return self.meaning.playbook

    @property
    def verdict_colour(self) -> str:
        """The verdict card's colour, from the bank (always shown with the verdict's word)."""
        return self.meaning.colour

    def verdict_dict(self) -> dict[str, Any]:
        """The verdict, its words, its rule and its reasons as JSON-ready data."""
        return {
            "verdict": self.verdict,
            "verdict_label": self.verdict_label,
            "verdict_title": self.verdict_title,
            "verdict_summary": self.verdict_summary,
            "rule": self.rule.id,
            "rule_text": self.rule.text,
            "reasons": list(self.reasons),
        }


@dataclass(frozen=True)
class Result(ShowsVerdict):
    """The outcome of an assessment: verdict, the rule and reasons behind it, and every score."""

    bank_version: str
    meaning: Verdict
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
    margins: tuple[Margin, ...] = ()
    pivotal: tuple[PivotalAnswer, ...] = ()
    weakest_questions: tuple[Contribution, ...] = ()
    # A quick check: only the bank's core questions were answered (is_quick).
    quick: bool = False

    @property
    def dont_know(self) -> tuple[Contribution, ...]:
        """The questions answered "don't know / doesn't apply", in bank order."""
        return tuple(c for c in self.contributions if c.level is None and c.answer == DONT_KNOW)

    @property
    def missing_repair_steps(self) -> tuple[str, ...]:
        """The repair steps not yet done, in words, in the order they are taken."""
        done = {s.role: s.done for s in self.repair_steps}
        return tuple(name for role, name in REPAIR_STEP_NAMES.items() if not done.get(role))

    def to_dict(self) -> dict[str, Any]:
        """The result as JSON-ready data (scores rounded to one decimal)."""
        return {
            "bank_version": self.bank_version,
            **self.verdict_dict(),
            "overall": round_score(self.overall),
            "dimensions": {
                d.id: {
                    "title": d.title,
                    "score": round_score(d.score),
                    "coverage": round(d.coverage, 3),
                    "answered": d.answered,
                    "total": d.total,
                    "playbook": d.playbook,
                }
                for d in self.dimensions
            },
            "weakest": [
                {
                    "id": d.id,
                    "title": d.title,
                    "score": round_score(d.score),
                    "playbook": d.playbook,
                }
                for d in self.weakest
            ],
            "knock_outs": list(self.knock_outs),
            "repair_steps": {s.role: {"level": s.level, "done": s.done} for s in self.repair_steps},
            "next_steps": list(self.next_steps),
            "playbook": self.verdict_playbook,
            "margins": [
                {
                    "threshold": m.threshold,
                    "subject": m.subject,
                    "value": round(m.value, 1),
                    "limit": m.limit,
                    "difference": round(m.difference, 1),
                    "text": m.text,
                }
                for m in self.margins
            ],
            "pivotal": [
                {
                    "question": p.question_id,
                    "from": p.from_level,
                    "to": p.to_level,
                    "verdict": p.verdict,
                }
                for p in self.pivotal
            ],
            "robust": not self.pivotal,
            "quick": self.quick,
            "weakest_questions": [c.question_id for c in self.weakest_questions],
            "dont_know": [c.question_id for c in self.dont_know],
            "contributions": [
                {
                    "question": c.question_id,
                    "dimension": c.dimension,
                    "level": c.level,
                    "item_score": round_score(c.item_score),
                    "overall_points": round(c.overall_points, 2),
                }
                for c in self.contributions
            ],
        }


def shown(value: float) -> int:
    """THE rounding rule for every number a person sees: a whole number, rounded down.

    The bank's score thresholds are whole numbers (bank.py checks), and for a whole number t,
    value >= t exactly when shown(value) >= t: a number shown beside a threshold is always on
    the side of it the rules saw (39.6 shows as 39, below a critical level of 40; 69.9 as 69,
    below a stay threshold of 70). A change is the difference of the two numbers shown.
    """
    return math.floor(value)


def score_text(value: float | None) -> str:
    """A score as the reader sees it: shown() as a whole number, or "not enough answers"."""
    return NOT_ENOUGH_ANSWERS if value is None else str(shown(value))


def number_text(value: float) -> str:
    """A figure as the reader sees it: by the one rounding rule, shown()."""
    return str(shown(value))


def round_score(value: float | None) -> float | None:
    """A score as JSON data carries it: to one decimal (None stays None)."""
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


def asked(question: Question, answers: Answers) -> bool:
    """Whether the bank's skip rule asks this question, given the other answers (asked_if)."""
    if question.asked_if is None:
        return True
    other, at_least = question.asked_if
    level = answers.get(other)
    return level is not None and level >= at_least


def asked_answers(answers: Answers, bank: Bank) -> dict[str, int | None]:
    """The answers the rules use: an answer to a question the skip rule does not ask is left
    out (it stays in the reader's answers, and in a share code; it is only not scored)."""
    by_id = {q.id: q for q in bank.questions}
    return {
        qid: level
        for qid, level in answers.items()
        if qid not in by_id or asked(by_id[qid], answers)
    }


def is_quick(answers: Answers, bank: Bank) -> bool:
    """Whether answers are a quick check: some given, and only to the bank's core questions."""
    core = {q.id for q in bank.questions if q.core}
    return bool(core) and bool(answers) and all(qid in core for qid in answers)


def core_answers(answers: Answers, bank: Bank) -> dict[str, int | None]:
    """Only the answers to the bank's core questions: what a quick check would have asked."""
    core = {q.id for q in bank.questions if q.core}
    return {qid: level for qid, level in answers.items() if qid in core}


def item_score(question: Question, level: int) -> float:
    """A level as 0-100, where 100 is best practice (reverse-scored items are flipped)."""
    return (question.practice_level(level) - 1) * 25.0


def better_level(question: Question, level: int) -> int | None:
    """The next level towards best practice (None when the answer is the best already)."""
    better = level - 1 if question.reverse else level + 1
    return better if better in LEVELS else None


def score_dimensions(answers: Answers, bank: Bank) -> tuple[DimensionResult, ...]:
    """Score every dimension from its answered items; too little coverage gives no score."""
    results = []
    for dimension in bank.dimensions:
        questions = bank.questions_in(dimension.id)
        levels = [(q, answers.get(q.id)) for q in questions]
        items = [item_score(q, level) for q, level in levels if level is not None]
        core = core_covered(questions, answers)
        results.append(dimension_result(dimension, items, len(questions), bank.thresholds, core))
    return tuple(results)


def core_covered(questions: Sequence[Question], answers: Answers) -> bool:
    """Whether a dimension's core questions (it has some) are all answered with a level."""
    core = [q for q in questions if q.core]
    return bool(core) and all(answers.get(q.id) is not None for q in core)


def dimension_result(
    dimension: Dimension,
    items: Sequence[float],
    total: int,
    t: Thresholds,
    core_covered: bool = False,
) -> DimensionResult:
    """One dimension from its answered item scores (of `total` questions) and the thresholds.

    It is scored when enough of its questions are answered (min_coverage), or when every one
    of its core questions is (the quick check's coverage rule, bank.toml's `core`).
    """
    coverage = len(items) / total
    enough = bool(items) and (coverage >= t.min_coverage or core_covered)
    return DimensionResult(
        id=dimension.id,
        title=dimension.title,
        weight=dimension.weight,
        playbook=dimension.playbook,
        score=sum(items) / len(items) if enough else None,
        coverage=coverage,
        answered=len(items),
        total=total,
        part=dimension.part,
    )


def overall_score(dimensions: tuple[DimensionResult, ...]) -> float | None:
    """The weighted mean of the scored dimensions (None if none is scored)."""
    scored = [d for d in dimensions if d.score is not None]
    total_weight = sum(d.weight for d in scored)
    if not scored:
        return None
    return sum(d.weight * d.score for d in scored if d.score is not None) / total_weight


# ---- The facts the verdict rules look at --------------------------------------------------


@dataclass(frozen=True)
class Facts:
    """Everything the verdict rules look at, computed once from one set of answers."""

    dimensions: tuple[DimensionResult, ...]
    overall: float | None
    knock_outs: tuple[str, ...]
    repair_levels: tuple[tuple[str, int | None], ...]

    # Derived once, when made: the rules read them many times (pivotal answers, sensitivity).
    scored: tuple[DimensionResult, ...] = field(init=False, repr=False, compare=False)
    _repair: dict[str, int | None] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        scored = tuple(d for d in self.dimensions if d.score is not None)
        object.__setattr__(self, "scored", scored)
        object.__setattr__(self, "_repair", dict(self.repair_levels))

    def critical(self, t: Thresholds) -> tuple[DimensionResult, ...]:
        """The scored dimensions below the critical level, weakest first."""
        low = [d for d in self.scored if d.score is not None and d.score < t.critical_dimension]
        return tuple(sorted(low, key=lambda d: (d.score, d.id)))

    def level(self, role: str) -> int | None:
        """The answer to the repair-history question with this role."""
        return self._repair[role]

    def done(self, role: str, t: Thresholds) -> bool:
        """Whether the repair step with this role counts as done."""
        level = self.level(role)
        return level is not None and level >= t.repair_step_done


def facts_of(answers: Answers, bank: Bank) -> Facts:
    """The facts the verdict rules need, from answers already validated."""
    t = bank.thresholds
    dimensions = score_dimensions(answers, bank)
    scored = sum(1 for d in dimensions if d.score is not None)
    # With too few scored dimensions an overall figure would be a guess: give none.
    overall = overall_score(dimensions) if scored >= t.min_scored_dimensions else None
    knock_outs = tuple(
        q.id
        for q in bank.questions_in(DEAL_BREAKERS)
        if q.knock_out_at is not None
        and (level := answers.get(q.id)) is not None
        and level <= q.knock_out_at
    )
    by_role = {q.role: q.id for q in bank.questions_in(REPAIR_HISTORY)}
    repair = tuple((role, answers.get(by_role[role])) for role in REPAIR_ROLES)
    return Facts(dimensions, overall, knock_outs, repair)


# ---- The verdict rules: each written once, as data plus one predicate -----------------------


@dataclass(frozen=True)
class VerdictRule:
    """A verdict rule: its wording (with the thresholds' names in braces, and the bank's
    relationship and deal dimensions as {relationship} and {deal}) and its predicate.

    `since` is the version of the shipped bank whose rules first had it: a result made with an
    earlier bank was decided without it (rules_in_force), which a reader's kept history says.
    """

    id: str
    verdict: str
    text: str
    applies: Callable[[Facts, Thresholds], bool]
    since: str = ""

    def describe(self, t: Thresholds, names: Mapping[str, str] | None = None) -> Rule:
        """The rule as a reader sees it, with this bank's thresholds filled in."""
        return Rule(self.id, self.verdict, self.text.format(**asdict(t), **(names or {})))


def _unhealthy(f: Facts, t: Thresholds) -> bool:
    if f.overall is None or f.overall < t.stay_overall:
        return True
    return any(d.score is not None and d.score < t.critical_dimension for d in f.scored)


def _partner_not_engaging(f: Facts, t: Thresholds) -> bool:
    follow_through = f.level("follow_through")
    engaged = follow_through is None or follow_through > t.no_follow_through
    return f.done("raised", t) and not engaged


def restructure_applies(dimensions: Sequence[DimensionResult], t: Thresholds) -> bool:
    """The relationship is sound (every relationship dimension scored, at or above the sound
    level) but the deal is not (a deal dimension below the critical level), and no other
    dimension is critical. Whether a deal-breaker applies is for the rules before it."""
    relationship = [d for d in dimensions if d.part == "relationship"]
    deal = [d for d in dimensions if d.part == "deal"]
    if not relationship or not deal:
        return False
    if any(d.score is None or d.score < t.sound_relationship for d in relationship):
        return False
    critical = [d for d in dimensions if d.score is not None and d.score < t.critical_dimension]
    return bool(critical) and all(d.part == "deal" for d in critical)


RULES: tuple[VerdictRule, ...] = (
    VerdictRule(
        "deal_breaker",
        "go",
        "If any deal-breaker question is answered at or below its knock-out level, the "
        "verdict is go, whatever the scores say: consider ending the partnership.",
        lambda f, t: bool(f.knock_outs),
    ),
    VerdictRule(
        "too_few_answers",
        "undecided",
        "Otherwise, if fewer than {min_scored_dimensions} dimensions have at least "
        "{min_coverage:.0%} of their questions answered, the verdict is undecided: "
        "there are not enough answers to judge.",
        lambda f, t: len(f.scored) < t.min_scored_dimensions,
    ),
    VerdictRule(
        "healthy",
        "stay",
        "Otherwise, if the overall health is at least {stay_overall:g} and no scored "
        "dimension is below {critical_dimension:g}, the verdict is stay.",
        lambda f, t: not _unhealthy(f, t),
    ),
    VerdictRule(
        "partner_not_engaging",
        "go",
        "Otherwise the partnership is unhealthy. If the problems have been raised with the "
        "partner (level {repair_step_done} or more) but the partner's follow-through is "
        "at level {no_follow_through} or below, the verdict is go: the partner will not "
        "engage.",
        _partner_not_engaging,
    ),
    VerdictRule(
        "restructure",
        "restructure",
        "Otherwise, if the relationship is sound (every relationship dimension, {relationship}, "
        "scores at least {sound_relationship:g}) but the deal is not (a deal dimension, "
        "{deal}, is below {critical_dimension:g}, and no other dimension is), the verdict is "
        "restructure: keep the partner, change the deal.",
        lambda f, t: restructure_applies(f.dimensions, t),
        since="2026.3",
    ),
    VerdictRule(
        "repair_failed",
        "go",
        "Otherwise, if the problems were raised, the objectives reset and the reset given "
        "time to work (each at level {repair_step_done} or more), the verdict is go: "
        "the repair was tried and did not work.",
        lambda f, t: all(f.done(role, t) for role in REPAIR_STEP_NAMES),
    ),
    VerdictRule(
        "repair_first",
        "repair",
        "Otherwise the verdict is repair: the repair steps have not all been tried yet.",
        lambda f, t: True,
    ),
)


def decide(facts: Facts, t: Thresholds, rules: tuple[VerdictRule, ...] = RULES) -> VerdictRule:
    """The first rule, in order, whose predicate holds for these facts."""
    for rule in rules:
        if rule.applies(facts, t):
            return rule
    raise AssertionError("the last rule always applies")  # pragma: no cover


def _version_key(version: str) -> tuple[int, ...] | None:
    """A bank version as numbers ("2026.3" -> (2026, 3)); None when it is not numbers."""
    parts = version.split(".")
    return tuple(int(p) for p in parts) if all(p.isdigit() for p in parts) else None


def rules_in_force(version: str) -> tuple[VerdictRule, ...]:
    """The rules a result made with bank `version` was decided by: those the shipped bank had
    by then (a version that is not numbers, as a company's own may be, gets every rule)."""
    made = _version_key(version)
    if made is None:
        return RULES
    return tuple(
        rule
        for rule in RULES
        if not rule.since or (since := _version_key(rule.since)) is None or made >= since
    )


def earlier_verdict(answers: Answers, bank: Bank, version: str) -> str | None:
    """The verdict answers made with bank `version` had under that bank's rules, when it
    differs from today's (None when the same, and for this bank's own version): what a kept
    result made with an earlier bank was told."""
    rules = RULES if version == bank.version else rules_in_force(version)
    if rules == RULES:
        return None
    facts = facts_of(validate_answers(answers, bank), bank)
    then = decide(facts, bank.thresholds, rules).verdict
    return None if then == decide(facts, bank.thresholds).verdict else then


def dimension_names(bank: Bank) -> dict[str, str]:
    """The bank's relationship and deal dimensions in words, for the rules' texts."""

    def listed(part: str, joint: str) -> str:
        titles = [d.title.lower() for d in bank.dimensions if d.part == part]
        if not titles:
            return "none in this bank"
        return titles[0] if len(titles) == 1 else ", ".join(titles[:-1]) + joint + titles[-1]

    return {"relationship": listed("relationship", " and "), "deal": listed("deal", " or ")}


def describe_rules(bank: Bank) -> tuple[Rule, ...]:
    """The verdict rules in the order they are tried, with this bank's thresholds."""
    names = dimension_names(bank)
    return tuple(rule.describe(bank.thresholds, names) for rule in RULES)


def verdict_of(answers: Answers, bank: Bank) -> str:
    """Only the verdict id for a set of valid answers (cheaper than a whole assess)."""
    return decide(facts_of(asked_answers(answers, bank), bank), bank.thresholds).verdict


def assess(answers: Answers, bank: Bank | None = None) -> Result:
    """Score a set of answers against the bank (the shipped one by default)."""
    bank = bank or load_bank()
    given = validate_answers(answers, bank)
    # The skip rule: an answer to a question that does not apply is not scored.
    answers = asked_answers(given, bank)
    t = bank.thresholds
    facts = facts_of(answers, bank)
    rule = decide(facts, t)
    scored = facts.scored
    weakest = tuple(sorted(scored, key=lambda d: (d.score, d.id))[: t.weakest_count])
    repair_steps = tuple(
        RepairStep(role=role, level=level, done=facts.done(role, t))
        for role, level in facts.repair_levels
    )
    contributions = _contributions(
        answers, bank, facts.dimensions, with_points=facts.overall is not None, given=given
    )
    return Result(
        bank_version=bank.version,
        meaning=bank.verdict(rule.verdict),
        rule=rule.describe(t, dimension_names(bank)),
        reasons=tuple(_reasons(rule.id, facts, answers, bank)),
        overall=facts.overall,
        dimensions=facts.dimensions,
        weakest=weakest,
        knock_outs=facts.knock_outs,
        repair_steps=repair_steps,
        contributions=contributions,
        stay_overall=t.stay_overall,
        critical_dimension=t.critical_dimension,
        margins=tuple(_margins(rule.id, facts, answers, bank)),
        pivotal=_pivotal(answers, bank, facts, rule.verdict),
        weakest_questions=_weakest_questions(contributions, facts.dimensions),
        quick=is_quick(given, bank),
    )


# ---- Reasons and margins: why the rule applied, and how close it was ------------------------


# The sentences of the reasons, each written once: the team verdict (team.py) says the same
# things of a team's combined answers, with its own subject or a "by most accounts".
REPAIR_REASONS = {
    "partner_not_engaging": "the problems have been raised with the partner, but the partner "
    "has not followed through on them",
    "repair_failed": "the repair steps have been taken (problems raised, objectives reset, time "
    "given) and the partnership is still unhealthy",
}


def overall_reason(
    overall: float, t: Thresholds, subject: str = "Overall health", more: str = ""
) -> str:
    """'Overall health is 48, below the stay threshold of 70.' (`more` ends the sentence)."""
    where = "at or above" if overall >= t.stay_overall else "below"
    return f"{subject} is {shown(overall)}, {where} the stay threshold of {t.stay_overall:g}{more}."


def critical_reason(title: str, score: float, t: Thresholds, whose: str = "") -> str:
    """'Value creation scores 30, below the critical level of 40.' (`whose`: ' for the team')."""
    return (
        f"{title} scores {shown(score)}{whose}, "
        f"below the critical level of {t.critical_dimension:g}."
    )


def too_few_reason(scored: int, total: int, t: Thresholds, whose: str = "") -> str:
    """How many dimensions have enough answers, and how many are needed."""
    return (
        f"Only {scored} of {total} dimensions have enough answers{whose}; "
        f"at least {t.min_scored_dimensions} are needed."
    )


def deal_breaker_reason(text: str, how: str) -> str:
    """'Deal-breaker: “…” was answered “…”.' (or, for a team, 'was raised by 2 of 6 …')."""
    return f"Deal-breaker: “{text}” {how}."


def sound_reason(dimensions: Sequence[tuple[str, float]], t: Thresholds, whose: str = "") -> str:
    """'The relationship is sound: cultural fit 75 and communication 70, each at or above 60.'"""
    scores = [f"{title.lower()} {score:.0f}" for title, score in dimensions]
    listed = scores[0] if len(scores) == 1 else ", ".join(scores[:-1]) + " and " + scores[-1]
    each = "" if len(scores) == 1 else "each "
    return (
        f"The relationship is sound{whose}: {listed}, {each}at or above the sound level of "
        f"{t.sound_relationship:g}. It is the deal that is failing: change its shape before "
        "deciding to repair or end it."
    )


def not_yet_done_reason(missing: Sequence[str], whose: str = "") -> str:
    """The repair steps not yet done, in the order they are taken."""
    return f"Not yet done{whose}: " + "; ".join(missing) + "."


def _reasons(rule_id: str, f: Facts, answers: Answers, bank: Bank) -> list[str]:
    t = bank.thresholds
    if rule_id == "deal_breaker":
        return [
            deal_breaker_reason(
                bank.question(qid).text,
                f"was answered “{bank.question(qid).level_text(_level(answers, qid))}”",
            )
            for qid in f.knock_outs
        ]
    if rule_id == "too_few_answers":
        return [
            too_few_reason(len(f.scored), len(f.dimensions), t),
            *(
                f"{d.title}: {d.answered} of {d.total} questions answered, not enough for a score."
                for d in f.dimensions
                if d.score is None
            ),
        ]
    if rule_id == "healthy":
        assert f.overall is not None
        reasons = [
            overall_reason(
                f.overall, t, more=f", and no dimension is below {t.critical_dimension:g}"
            )
        ]
        lowest = min(f.scored, key=lambda d: (d.score, d.id))
        lowest_score = score_text(lowest.score)
        reasons.append(f"Keep an eye on {lowest.title} ({lowest_score}), the lowest score.")
        return reasons
    reasons = []
    if f.overall is not None and f.overall < t.stay_overall:
        reasons.append(overall_reason(f.overall, t))
    reasons.extend(critical_reason(d.title, d.score or 0.0, t) for d in f.critical(t))
    if rule_id in REPAIR_REASONS:
        clause = REPAIR_REASONS[rule_id]
        reasons.append(clause[:1].upper() + clause[1:] + ".")
    elif rule_id == "restructure":
        sound = [(d.title, d.score or 0.0) for d in f.dimensions if d.part == "relationship"]
        reasons.append(sound_reason(sound, t))
    else:
        missing = [name for role, name in REPAIR_STEP_NAMES.items() if not f.done(role, t)]
        reasons.append(not_yet_done_reason(missing))
    return reasons


def _level(answers: Answers, question_id: str) -> int:
    level = answers[question_id]
    assert level is not None
    return level


def _side(difference: float) -> str:
    if difference > 0:
        return f"{number_text(difference)} above"
    if difference < 0:
        return f"{number_text(-difference)} below"
    return "exactly at"


def _margins(rule_id: str, f: Facts, answers: Answers, bank: Bank) -> list[Margin]:
    t = bank.thresholds
    margins: list[Margin] = []
    if rule_id == "deal_breaker":
        for qid in f.knock_outs:
            question = bank.question(qid)
            level, limit = _level(answers, qid), question.knock_out_at or 0
            margins.append(
                Margin(
                    "knock_out_at", qid, level, limit,
                    f"“{question.text}” at level {level}: a knock-out at level {limit} or below "
                    f"({_side(level - limit)} it)",
                    question.level_text(level), question.level_text(limit),
                )
            )  # fmt: skip
        return margins
    if rule_id == "too_few_answers":
        count = len(f.scored)
        return [
            Margin(
                "min_scored_dimensions", "scored_dimensions", count, t.min_scored_dimensions,
                f"{count} of {len(f.dimensions)} dimensions scored: {t.min_scored_dimensions} "
                f"needed ({t.min_scored_dimensions - count} short)",
            )
        ]  # fmt: skip
    if f.overall is not None and (rule_id == "healthy" or f.overall < t.stay_overall):
        margins.append(
            Margin(
                "stay_overall", "overall", f.overall, t.stay_overall,
                f"overall {number_text(f.overall)}: {_side(shown(f.overall) - t.stay_overall)} "
                f"the stay threshold of {t.stay_overall:g}",
            )
        )  # fmt: skip
    if rule_id == "healthy":
        # No dimension is critical: the one nearest the line is the one that decided it.
        lowest = min(f.scored, key=lambda d: (d.score, d.id))
        return [*margins, _critical_margin(lowest, t)]
    margins.extend(_critical_margin(d, t) for d in f.critical(t))
    if rule_id == "restructure":
        return [*margins, *(_sound_margin(d, t) for d in f.dimensions if d.part == "relationship")]
    if rule_id == "partner_not_engaging":
        margins.append(_step_margin(f, "raised", bank))
        follow = f.level("follow_through")
        assert follow is not None
        question = _role_question(bank, "follow_through")
        margins.append(
            Margin(
                "no_follow_through", "follow_through", follow, t.no_follow_through,
                f"{FOLLOW_THROUGH_NAME} at level {follow}: the partner will not engage at level "
                f"{t.no_follow_through} or below ({_side(follow - t.no_follow_through)} it)",
                question.level_text(follow), question.level_text(t.no_follow_through),
            )
        )  # fmt: skip
        return margins
    roles = [r for r in REPAIR_STEP_NAMES if rule_id == "repair_failed" or not f.done(r, t)]
    margins.extend(_step_margin(f, role, bank) for role in roles)
    return margins


def _critical_margin(d: DimensionResult, t: Thresholds) -> Margin:
    assert d.score is not None
    return Margin(
        "critical_dimension", d.id, d.score, t.critical_dimension,
        f"{d.title.lower()} {number_text(d.score)}: "
        f"{_side(shown(d.score) - t.critical_dimension)} the critical {t.critical_dimension:g}",
    )  # fmt: skip


def _sound_margin(d: DimensionResult, t: Thresholds) -> Margin:
    assert d.score is not None
    return Margin(
        "sound_relationship", d.id, d.score, t.sound_relationship,
        f"{d.title.lower()} {number_text(d.score)}: "
        f"{_side(shown(d.score) - t.sound_relationship)} the sound level of "
        f"{t.sound_relationship:g}",
    )  # fmt: skip


def _role_question(bank: Bank, role: str) -> Question:
    return next(q for q in bank.questions_in(REPAIR_HISTORY) if q.role == role)


def _step_margin(f: Facts, role: str, bank: Bank) -> Margin:
    # An unanswered step shows as value 0: below any level, as the rule treats it.
    t = bank.thresholds
    question = _role_question(bank, role)
    level = f.level(role)
    value = 0 if level is None else level
    # Whether the skip rule asks the question, from the level of the step it depends on.
    applies = True
    if question.asked_if is not None:
        other = bank.question(question.asked_if[0])
        applies = asked(question, {other.id: f.level(other.role) if other.role else None})
    where = "not answered" if applies else "not asked (it does not apply yet)"
    where = where if level is None else f"at level {level}"
    gap = "" if level is None else f" ({_side(level - t.repair_step_done)} it)"
    return Margin(
        "repair_step_done", role, value, t.repair_step_done,
        f"{REPAIR_STEP_NAMES[role]} {where}: counts as done at level {t.repair_step_done} "
        f"or more{gap}",
        "" if level is None else question.level_text(level),
        question.level_text(t.repair_step_done),
        asked=applies,
    )  # fmt: skip


# ---- Pivotal answers: which single one-level move changes the verdict -----------------------


def pivotal_answers(answers: Answers, bank: Bank, verdict: str) -> tuple[PivotalAnswer, ...]:
    """Every answered question whose answer, one level up or down, changes the verdict."""
    answers = asked_answers(answers, bank)
    return _pivotal(answers, bank, facts_of(answers, bank), verdict)


def _pivotal(answers: Answers, bank: Bank, facts: Facts, verdict: str) -> tuple[PivotalAnswer, ...]:
    # A one-level move changes one dimension's score, one knock-out or one repair step, never
    # which dimensions are scored: re-derive only what the move touches (the page calls this
    # on every click), with the same arithmetic as a full scoring so boundaries agree exactly.
    t = bank.thresholds
    position = {d.id: index for index, d in enumerate(facts.dimensions)}
    found = []
    for question in bank.questions:
        level = answers.get(question.id)
        if level is None:
            continue
        for to in (level - 1, level + 1):
            if to not in LEVELS:
                continue
            moved = _moved_facts(facts, question, to, answers, bank, position)
            if moved is None:
                continue
            other = decide(moved, t).verdict
            if other != verdict:
                found.append(_pivotal_answer(question, level, to, other, moved, t, position))
    return tuple(found)


def _pivotal_answer(
    question: Question,
    level: int,
    to: int,
    verdict: str,
    moved: Facts,
    t: Thresholds,
    position: Mapping[str, int],
) -> PivotalAnswer:
    """A pivotal move, with what it would change in words the result can give as a reason."""
    score = None
    if question.dimension in position:
        effect, score = "score", moved.dimensions[position[question.dimension]].score
    elif question.dimension == DEAL_BREAKERS:
        effect = "knock_out" if question.id in moved.knock_outs else "no_knock_out"
    elif question.role == "follow_through":
        effect = "not_engaging" if to <= t.no_follow_through else "engaging"
    else:
        effect = "done" if to >= t.repair_step_done else "undone"
    return PivotalAnswer(
        question.id, question.text, level, to, verdict,
        from_answer=question.level_text(level),
        to_answer=question.level_text(to),
        group=question.dimension,
        effect=effect,
        score=score,
        role=question.role,
    )  # fmt: skip


def _moved_facts(
    facts: Facts,
    question: Question,
    to: int,
    answers: Answers,
    bank: Bank,
    position: Mapping[str, int],
) -> Facts | None:
    """The facts with one answer moved to another level (None when nothing they hold changes)."""
    if question.dimension in position:
        index = position[question.dimension]
        dimension = facts.dimensions[index]
        if dimension.score is None:
            return None
        items = [
            item_score(q, to if q.id == question.id else level)
            for q in bank.questions_in(dimension.id)
            if (level := answers.get(q.id)) is not None
        ]
        changed = replace(dimension, score=sum(items) / len(items))
        dimensions = (*facts.dimensions[:index], changed, *facts.dimensions[index + 1 :])
        overall = None if facts.overall is None else overall_score(dimensions)
        return replace(facts, dimensions=dimensions, overall=overall)
    if question.dimension == DEAL_BREAKERS:
        assert question.knock_out_at is not None
        others = tuple(qid for qid in facts.knock_outs if qid != question.id)
        knocked = (question.id,) if to <= question.knock_out_at else ()
        return replace(facts, knock_outs=others + knocked)
    repair = tuple(
        (role, to if role == question.role else level) for role, level in facts.repair_levels
    )
    return replace(facts, repair_levels=repair)


# ---- Contributions and the weakest questions -------------------------------------------------


def _contributions(
    answers: Answers,
    bank: Bank,
    dimensions: tuple[DimensionResult, ...],
    with_points: bool,
    given: Answers | None = None,
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
        target = None if level is None else better_level(question, level)
        contributions.append(
            Contribution(
                question_id=question.id,
                dimension=question.dimension,
                text=question.text,
                level=level,
                answer=_answer_text(question, answers, given),
                item_score=score,
                overall_points=points,
                target_level=target,
                target_answer=None if target is None else question.level_text(target),
            )
        )
    return tuple(contributions)


def _weakest_questions(
    contributions: tuple[Contribution, ...], dimensions: tuple[DimensionResult, ...]
) -> tuple[Contribution, ...]:
    # The lowest item scores first; on a tie, the question in the weaker dimension first.
    dimension_score = {d.id: (d.score if d.score is not None else 101.0) for d in dimensions}
    order = {c.question_id: index for index, c in enumerate(contributions)}
    weak = [c for c in contributions if c.item_score is not None and c.target_level is not None]
    weak.sort(key=lambda c: (c.item_score, dimension_score[c.dimension], order[c.question_id]))
    return tuple(weak[:PLAN_QUESTIONS])


def _answer_text(question: Question, answers: Answers, given: Answers | None = None) -> str:
    if question.id not in answers:
        return NOT_ASKED if given is not None and not asked(question, given) else NOT_ANSWERED
    level = answers[question.id]
    return DONT_KNOW if level is None else question.level_text(level)
