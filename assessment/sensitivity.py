"""How much the verdict depends on the bank's numbers: re-decide a fixed sample under changes.

The sample is generated from a fixed seed, so the methodology page's table is the same on every
build and changes only when the bank does. Dimension tallies are computed once per answer set;
a changed threshold or weight re-applies only the verdict rules (scoring.RULES), which keeps the
build fast.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, replace

from .bank import DEAL_BREAKERS, LEVELS, REPAIR_HISTORY, REPAIR_ROLES, Bank, Thresholds
from .scoring import (
    VERDICT_LABELS,
    DimensionResult,
    Facts,
    asked_answers,
    core_answers,
    core_covered,
    decide,
    dimension_result,
    item_score,
    overall_score,
    verdict_of,
)

SEED = 20261125
SAMPLE_SIZE = 2000
# Chance of "don't know" on a scored question, and of a serious problem on a deal-breaker.
DONT_KNOW_RATE = 0.1
TROUBLE_RATE = 0.08


@dataclass(frozen=True)
class Change:
    """One row of the table: a change to the bank, and how many verdicts it changed."""

    name: str
    changed: int
    total: int
    moves: tuple[tuple[str, str, int], ...]

    @property
    def share(self) -> float:
        """The share of the sample whose verdict changed."""
        return self.changed / self.total

    def moves_text(self) -> str:
        """The commonest verdict changes, in words: "Stay → Repair (120)"."""
        return ", ".join(
            f"{VERDICT_LABELS[a]} → {VERDICT_LABELS[b]} ({n})" for a, b, n in self.moves[:3]
        )


Answers = dict[str, int | None]


def sample_answers(bank: Bank, size: int = SAMPLE_SIZE, seed: int = SEED) -> list[Answers]:
    """A deterministic sample of answer sets, spread from failing to healthy partnerships.

    Each set draws one overall health, each dimension drifts around it, each answer around its
    dimension; some answers are "don't know"; deal-breakers are mostly fine; the repair steps
    are anywhere from not tried to done. Only random() is used: its sequence for a seed is
    the same on every Python version.
    """
    rnd = random.Random(seed)

    def level(centre: float, spread: float) -> int:
        value = centre + (rnd.random() - 0.5) * spread
        return min(5, max(1, round(value)))

    sample = []
    for _ in range(size):
        health = 1 + 4 * rnd.random()
        centres = {d.id: health + (rnd.random() - 0.5) * 2 for d in bank.dimensions}
        answers: Answers = {}
        for question in bank.questions:
            if question.dimension == DEAL_BREAKERS:
                trouble = rnd.random() < TROUBLE_RATE
                answers[question.id] = 1 + int(rnd.random() * 3) if trouble else level(4.5, 1)
            elif question.dimension == REPAIR_HISTORY:
                answers[question.id] = None if rnd.random() < DONT_KNOW_RATE else level(3, 5)
            elif rnd.random() < DONT_KNOW_RATE:
                answers[question.id] = None
            else:
                practice = level(centres[question.dimension], 2)
                answers[question.id] = question.practice_level(practice)
        sample.append(answers)
    return sample


@dataclass(frozen=True)
class _Tally:
    """One answer set reduced to what the rules need: item scores per dimension, and blocks."""

    items: tuple[tuple[float, ...], ...]
    totals: tuple[int, ...]
    knock_outs: tuple[str, ...]
    repair_levels: tuple[tuple[str, int | None], ...]
    core: tuple[bool, ...] = ()


class _Scorer:
    """Tallies and facts for one bank, with the item scores and dimension results memoised."""

    def __init__(self, bank: Bank) -> None:
        self.bank = bank
        self.groups = [
            tuple((q.id, tuple(item_score(q, level) for level in LEVELS)) for q in group)
            for group in (bank.questions_in(d.id) for d in bank.dimensions)
        ]
        self.questions = [bank.questions_in(d.id) for d in bank.dimensions]
        self.breakers = [(q.id, q.knock_out_at or 0) for q in bank.questions_in(DEAL_BREAKERS)]
        by_role = {q.role: q.id for q in bank.questions_in(REPAIR_HISTORY)}
        self.roles = [(role, by_role[role]) for role in REPAIR_ROLES]
        # Many answer sets share a dimension's items: build each DimensionResult once.
        self.memo: dict[tuple[int, float, float, tuple[float, ...], bool], DimensionResult] = {}

    def tally(self, answers: Mapping[str, int | None]) -> _Tally:
        """The answer set reduced to its item scores per dimension and its block answers."""
        answers = asked_answers(answers, self.bank)
        items = tuple(
            tuple(scores[level - 1] for qid, scores in group if (level := answers.get(qid)))
            for group in self.groups
        )
        knock_outs = tuple(
            qid
            for qid, knock_out in self.breakers
            if (level := answers.get(qid)) is not None and level <= knock_out
        )
        repair = tuple((role, answers.get(qid)) for role, qid in self.roles)
        core = tuple(core_covered(group, answers) for group in self.questions)
        return _Tally(items, tuple(len(g) for g in self.groups), knock_outs, repair, core)

    def facts(self, tally: _Tally, bank: Bank) -> Facts:
        """The facts under `bank` (this bank, or one with other thresholds or weights)."""
        # The same arithmetic as scoring.score_dimensions and facts_of, from the tallied items.
        t = bank.thresholds
        dimensions = []
        for index, dimension in enumerate(bank.dimensions):
            items, total = tally.items[index], tally.totals[index]
            core = tally.core[index]
            key = (index, dimension.weight, t.min_coverage, items, core)
            result = self.memo.get(key)
            if result is None:
                result = dimension_result(dimension, items, total, t, core)
                self.memo[key] = result
            dimensions.append(result)
        scored = tuple(dimensions)
        count = sum(1 for d in scored if d.score is not None)
        overall = overall_score(scored) if count >= t.min_scored_dimensions else None
        return Facts(scored, overall, tally.knock_outs, tally.repair_levels)


def _with_overall(facts: Facts, t: Thresholds) -> Facts:
    enough = len(facts.scored) >= t.min_scored_dimensions
    overall = overall_score(facts.dimensions) if enough else None
    return Facts(facts.dimensions, overall, facts.knock_outs, facts.repair_levels)


def _shifted(answers: Answers, step: int) -> Answers:
    # Every answer one level along, kept within 1-5; "don't know" stays as it is.
    moved: dict[int | None, int | None] = {None: None}
    moved.update({level: min(max(level + step, LEVELS[0]), LEVELS[-1]) for level in LEVELS})
    return {qid: moved[level] for qid, level in answers.items()}


# The thresholds moved for the table: (field, its name in the table, how it is shown, steps).
_MOVES: tuple[tuple[str, str, str, tuple[float, ...]], ...] = (
    ("stay_overall", "Stay threshold {}", "g", (-5, 5)),
    ("critical_dimension", "Critical dimension level {}", "g", (-5, 5)),
    ("sound_relationship", "Sound relationship level {}", "g", (-5, 5)),
    ("min_coverage", "Minimum coverage {}", ".0%", (-0.05, 0.05)),
    ("min_scored_dimensions", "Scored dimensions needed: {}", "d", (-1, 1)),
    ("repair_step_done", "A repair step counts as done at level {}", "d", (-1, 1)),
    ("no_follow_through", "No follow-through at level {} or below", "d", (-1, 1)),
)


def _threshold_variants(t: Thresholds, dimension_count: int) -> list[tuple[str, Thresholds]]:
    """Each score threshold 5 points either way; each count or level threshold one step."""
    variants = []
    for name, label, shown, steps in _MOVES:
        now = getattr(t, name)
        for step in steps:
            value = type(now)(round(now + step, 4))
            changed = replace(t, **{name: value})
            title = f"{label.format(format(value, shown))} (not {format(now, shown)})"
            variants.append((title, changed))
    # A change the bank's own checks would refuse (critical above stay, level 6) is left out.
    return [
        (name, c)
        for name, c in variants
        if 0 <= c.critical_dimension <= c.stay_overall <= 100
        and c.critical_dimension <= c.sound_relationship <= 100
        and 0 < c.min_coverage <= 1
        and 1 <= c.min_scored_dimensions <= dimension_count
        and c.repair_step_done in LEVELS
        and c.no_follow_through in LEVELS
    ]


def _row(name: str, base: list[str], other: list[str]) -> Change:
    moves = Counter((a, b) for a, b in zip(base, other, strict=True) if a != b)
    ordered = sorted(moves.items(), key=lambda item: (-item[1], item[0]))
    return Change(
        name=name,
        changed=sum(moves.values()),
        total=len(base),
        moves=tuple((a, b, n) for (a, b), n in ordered),
    )


@dataclass(frozen=True)
class Sensitivity:
    """The sample's verdicts under the bank as it is, and the rows of changes."""

    size: int
    seed: int
    verdicts: tuple[tuple[str, int], ...]
    rows: tuple[Change, ...]


def sensitivity(bank: Bank, size: int = SAMPLE_SIZE, seed: int = SEED) -> Sensitivity:
    """For each change to the bank's numbers, how many of the sample's verdicts it changes."""
    sample = sample_answers(bank, size, seed)
    scorer = _Scorer(bank)
    tallies = [scorer.tally(answers) for answers in sample]

    def verdicts(variant: Bank, tallied: list[_Tally]) -> list[str]:
        t = variant.thresholds
        return [decide(scorer.facts(tally, variant), t).verdict for tally in tallied]

    base_facts = [scorer.facts(tally, bank) for tally in tallies]
    base = [decide(facts, bank.thresholds).verdict for facts in base_facts]
    rows = []
    for name, t in _threshold_variants(bank.thresholds, len(bank.dimensions)):
        if t.min_coverage != bank.thresholds.min_coverage:
            other = verdicts(replace(bank, thresholds=t), tallies)
        elif t.min_scored_dimensions != bank.thresholds.min_scored_dimensions:
            # The same dimension scores; only whether an overall score is given changes.
            other = [decide(_with_overall(facts, t), t).verdict for facts in base_facts]
        else:
            # Scores and coverage are unchanged: only the rules are applied again.
            other = [decide(facts, t).verdict for facts in base_facts]
        rows.append(_row(name, base, other))
    equal = replace(bank, dimensions=tuple(replace(d, weight=1.0) for d in bank.dimensions))
    rows.append(_row("All dimensions weigh the same", base, verdicts(equal, tallies)))
    shifts: list[tuple[str, int]] = [
        ("Every answer one level higher", 1),
        ("Every answer one level lower", -1),
    ]
    for name, step in shifts:
        moved = [scorer.tally(_shifted(answers, step)) for answers in sample]
        rows.append(_row(name, base, verdicts(bank, moved)))
    counts = Counter(base)
    spread = tuple((verdict, counts.get(verdict, 0)) for verdict in VERDICT_LABELS)
    return Sensitivity(size=size, seed=seed, verdicts=spread, rows=tuple(rows))


@dataclass(frozen=True)
class QuickAgreement:
    """How often the quick check's verdict (the core answers alone) is the full check's."""

    size: int
    seed: int
    core: int
    agree: int
    # (full verdict, quick verdict, how many), commonest first, for the sets that differ.
    differences: tuple[tuple[str, str, int], ...]

    @property
    def share(self) -> float:
        """The share of the sample where both verdicts are the same."""
        return self.agree / self.size

    def differences_text(self) -> str:
        """The commonest differences, in words: "full Repair, quick Stay (120)"."""
        return ", ".join(
            f"full {VERDICT_LABELS[full]}, quick {VERDICT_LABELS[quick]} ({n:,})"
            for full, quick, n in self.differences[:3]
        )


def quick_agreement(bank: Bank, size: int = SAMPLE_SIZE, seed: int = SEED) -> QuickAgreement | None:
    """On the same sample as the table, each set's verdict from all its answers and from its
    core answers alone (None when the bank has no quick check)."""
    if not bank.core_questions:
        return None
    pairs = Counter(
        (verdict_of(answers, bank), verdict_of(core_answers(answers, bank), bank))
        for answers in sample_answers(bank, size, seed)
    )
    agree = sum(n for (full, quick), n in pairs.items() if full == quick)
    differences = sorted(
        ((full, quick, n) for (full, quick), n in pairs.items() if full != quick),
        key=lambda item: (-item[2], item[0], item[1]),
    )
    return QuickAgreement(size, seed, len(bank.core_questions), agree, tuple(differences))
