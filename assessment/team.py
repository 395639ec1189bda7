"""Many views of one partnership: combine responses into a team result, and follow it over time.

Pure functions, no I/O. Every number comes from the bank ([thresholds] and [team]); the rules
are written once, in TEAM_RULES, and the methodology page prints them from there.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from .bank import DEAL_BREAKERS, REPAIR_HISTORY, REPAIR_ROLES, Bank, Question, Verdict, load_bank
from .codec import ORGANISATIONS, Response
from .colours import NOT_SAID_COLOUR
from .errors import AssessmentError
from .rounds import ORGANISATIONS as ROUND_ORGANISATIONS
from .scoring import (
    DONT_KNOW,
    REPAIR_REASONS,
    REPAIR_STEP_NAMES,
    DimensionResult,
    Rule,
    ShowsVerdict,
    asked_answers,
    critical_reason,
    deal_breaker_reason,
    describe_rules,
    dimension_names,
    not_yet_done_reason,
    overall_reason,
    overall_score,
    restructure_applies,
    round_score,
    score_dimensions,
    shown,
    sound_reason,
    too_few_reason,
    validate_answers,
)

# The key respondents who did not say their relationship to the partner are counted under.
NOT_SAID = "not_said"
# The one side of a health check whose organisations are too small to be shown apart.
EVERYONE = "everyone"
EVERYONE_NAME = "Everyone who answered"
# Each relationship is shown by its name and colour in the bank ("Client side"); these, those
# who did not say theirs.
NOT_SAID_NAME = "Side not said"

GAP_LABELS = {
    "agreed_strength": "Agreed strength",
    "agreed_weakness": "Agreed weakness",
    "divergent": "Divergent",
    "one_side": "One side only",
    "no_score": "Not enough answers",
}


class TeamError(AssessmentError):
    """Responses that cannot be combined (none, too many, another bank, no date over time)."""


@dataclass(frozen=True)
class Side:
    """How the team view shows the respondents of one relationship, or of none said (NOT_SAID):
    the bank's name and chart colour for it, and its position among the bank's relationships
    (which marker shape it gets; -1 for NOT_SAID)."""

    key: str
    name: str
    colour: str
    position: int


def sides(bank: Bank) -> tuple[Side, ...]:
    """Every relationship of the bank as the team view shows it, then NOT_SAID."""
    named = tuple(
        Side(r.id, r.name, r.colour, position) for position, r in enumerate(bank.relationships)
    )
    return (*named, Side(NOT_SAID, NOT_SAID_NAME, NOT_SAID_COLOUR, -1))


def side_of(key: str, known: Sequence[Side]) -> Side:
    """The side with this key (a key no bank names: its id in words, NOT_SAID's colour)."""
    for side in known:
        if side.key == key:
            return side
    return Side(key, key.replace("_", " ").capitalize(), NOT_SAID_COLOUR, -1)


@dataclass(frozen=True)
class Respondent:
    """One distinct response in a team: its input number, relationship, day and own scores,
    and the organisation its code says (a health check's sides: grouped())."""

    number: int
    relationship: str | None
    given: date | None
    answers: Mapping[str, int | None]
    dimensions: tuple[DimensionResult, ...]
    overall: float | None
    knock_outs: tuple[str, ...]
    same_as_this: tuple[int, ...] = ()
    organisation: str | None = None
    # The side this respondent counts under when it is not their relationship (grouped()).
    group: str = ""

    @property
    def relationship_key(self) -> str:
        """The relationship this respondent counts under (NOT_SAID when the response says none)."""
        return self.relationship or NOT_SAID

    @property
    def side_key(self) -> str:
        """The side this respondent counts under: their group, else their relationship."""
        return self.group or self.relationship_key


@dataclass(frozen=True)
class AnswerCount:
    """How often the respondents of one relationship gave one answer to a question."""

    level: int | None
    text: str
    count: int


@dataclass(frozen=True)
class QuestionSummary:
    """One question across the team: who answered what, and whether people disagree."""

    id: str
    dimension: str
    text: str
    answered: int
    dont_know: int
    low: int | None
    high: int | None
    by_relationship: tuple[tuple[str, tuple[AnswerCount, ...]], ...]
    disagreement: bool
    across_relationships: bool

    @property
    def spread(self) -> int:
        """Levels between the lowest and highest health-oriented answer (0 if fewer than two)."""
        return 0 if self.low is None or self.high is None else self.high - self.low


@dataclass(frozen=True)
class DimensionSummary:
    """One dimension across the team: team score, respondents' range, each relationship, gap."""

    id: str
    title: str
    playbook: str
    weight: float
    score: float | None
    low: float | None
    high: float | None
    by_relationship: tuple[tuple[str, float | None], ...]
    gap: float | None
    gap_kind: str
    scored_respondents: int
    # Two respondents are the bank's divergent_points apart or more (whatever their relationship).
    split: bool


@dataclass(frozen=True)
class DealBreaker:
    """A deal-breaker raised by at least one respondent, with how many raised it."""

    question: str
    text: str
    respondents: int
    by_relationship: tuple[tuple[str, int], ...]


@dataclass(frozen=True)
class TeamRule:
    """One team verdict rule: the text the methodology page prints and the predicate it states."""

    id: str
    verdict: str
    text: str
    applies: Callable[[TeamFacts], bool]


@dataclass(frozen=True)
class TeamFacts:
    """What the team rules look at."""

    deal_breakers: int
    scored_dimensions: int
    min_scored_dimensions: int
    overall: float | None
    stay_overall: float
    critical: int
    split: int
    repair_done: Mapping[str, bool]
    not_engaging: bool
    # The team's scores give a sound relationship and a failing deal (scoring.restructure_applies).
    restructure: bool = False


@dataclass(frozen=True)
class TeamResult(ShowsVerdict):
    """The combined view of a team: verdict with reasons, every dimension, disagreements."""

    bank_version: str
    respondents: tuple[Respondent, ...]
    duplicates: tuple[tuple[int, int], ...]
    meaning: Verdict
    rule: Rule
    reasons: tuple[str, ...]
    overall: float | None
    overall_low: float | None
    overall_high: float | None
    dimensions: tuple[DimensionSummary, ...]
    questions: tuple[QuestionSummary, ...]
    disagreements: tuple[QuestionSummary, ...]
    talk_first: tuple[QuestionSummary, ...]
    deal_breakers: tuple[DealBreaker, ...]
    relationships: tuple[tuple[str, int], ...]
    repair_levels: tuple[tuple[str, int | None], ...]
    disagreement_levels: int
    # How each side is shown (the bank's names and colours, or a health check's organisations).
    sides: tuple[Side, ...] = ()
    # Why the sides are not the relationships or the organisations ("" when they are).
    grouping_note: str = ""

    def side(self, key: str) -> Side:
        """How the respondents of one relationship (or NOT_SAID) are shown."""
        return side_of(key, self.sides)

    def side_name(self, key: str) -> str:
        """A relationship (or NOT_SAID) as a reader sees it ("Client side", "Side not said")."""
        return self.side(key).name

    @property
    def given(self) -> date | None:
        """The latest day any respondent answered (the day of this check), if any said."""
        days = [r.given for r in self.respondents if r.given is not None]
        return max(days) if days else None

    @property
    def single_respondent_relationships(self) -> tuple[str, ...]:
        """Relationships with one respondent in a team of several: their answers can be told."""
        if len(self.respondents) < 2:
            return ()
        return tuple(key for key, count in self.relationships if count == 1)

    @property
    def weakest(self) -> tuple[DimensionSummary, ...]:
        """The scored dimensions, weakest team score first."""
        scored = [d for d in self.dimensions if d.score is not None]
        return tuple(sorted(scored, key=lambda d: (d.score, d.id)))

    def to_dict(self) -> dict[str, Any]:
        """The team result as JSON-ready data (scores rounded to one decimal); never a name.

        Its keys are what other tools read: a respondent's relationship is still a "side" here.
        """
        return {
            "bank_version": self.bank_version,
            "respondents": len(self.respondents),
            "inputs": len(self.respondents) + len(self.duplicates),
            "duplicates": [{"input": a, "same_as": b} for a, b in self.duplicates],
            "sides": dict(self.relationships),
            "sides_note": self.grouping_note,
            "single_respondent_sides": list(self.single_respondent_relationships),
            "date": None if self.given is None else self.given.isoformat(),
            **self.verdict_dict(),
            "next_steps": list(self.next_steps),
            "playbook": self.verdict_playbook,
            "overall": round_score(self.overall),
            "overall_min": round_score(self.overall_low),
            "overall_max": round_score(self.overall_high),
            "dimensions": {
                d.id: {
                    "title": d.title,
                    "score": round_score(d.score),
                    "min": round_score(d.low),
                    "max": round_score(d.high),
                    "by_side": {key: round_score(score) for key, score in d.by_relationship},
                    "gap": round_score(d.gap),
                    "gap_kind": d.gap_kind,
                    "gap_label": GAP_LABELS[d.gap_kind],
                    "split": d.split,
                    "respondents": d.scored_respondents,
                    "playbook": d.playbook,
                }
                for d in self.dimensions
            },
            "disagreements": [_question_dict(q) for q in self.disagreements],
            "talk_first": [q.id for q in self.talk_first],
            "deal_breakers": [
                {
                    "question": b.question,
                    "text": b.text,
                    "respondents": b.respondents,
                    "by_side": dict(b.by_relationship),
                }
                for b in self.deal_breakers
            ],
            "questions": {
                q.id: {
                    "answered": q.answered,
                    "dont_know": q.dont_know,
                    "min": q.low,
                    "max": q.high,
                    "disagreement": q.disagreement,
                }
                for q in self.questions
            },
            "repair_levels": dict(self.repair_levels),
        }


def _question_dict(q: QuestionSummary) -> dict[str, Any]:
    return {
        "question": q.id,
        "dimension": q.dimension,
        "text": q.text,
        "min": q.low,
        "max": q.high,
        "spread": q.spread,
        "cross_side": q.across_relationships,
        "by_side": {
            key: [{"level": a.level, "text": a.text, "count": a.count} for a in answers]
            for key, answers in q.by_relationship
        },
    }


def respondents_text(count: int) -> str:
    """'1 respondent', '6 respondents'."""
    return f"{count} respondent" + ("" if count == 1 else "s")


def relationship_name(key: str, bank: Bank) -> str:
    """A relationship (or NOT_SAID) as a reader sees it: its name in the bank ("Client side"),
    or NOT_SAID_NAME."""
    return side_of(key, sides(bank)).name


# -- The rules ------------------------------------------------------------------------------


def describe_team_rules(bank: Bank) -> tuple[Rule, ...]:
    """The team verdict rules in the order they are tried, with this bank's numbers."""
    return tuple(Rule(r.id, r.verdict, r.text) for r in team_rules(bank))


def team_rules(bank: Bank) -> tuple[TeamRule, ...]:
    """The team verdict rules: each one's words and its predicate, written together once."""
    t, team = bank.thresholds, bank.team
    single = {rule.id: rule for rule in describe_rules(bank)}
    names = dimension_names(bank)

    def same(rule_id: str, applies: Callable[[TeamFacts], bool]) -> TeamRule:
        rule = single[rule_id]
        return TeamRule(rule.id, rule.verdict, rule.text, applies)

    return (
        TeamRule(
            "deal_breaker",
            "go",
            "If any respondent answers a deal-breaker question at or below its knock-out level, "
            "the team verdict is go, whatever the averages say; the result names each "
            "deal-breaker and how many respondents raised it.",
            lambda f: f.deal_breakers > 0,
        ),
        TeamRule(
            "too_few_answers",
            "undecided",
            f"Otherwise, if fewer than {t.min_scored_dimensions} dimensions have a team score (a "
            "dimension has one when at least one respondent answered enough of its questions), "
            "the verdict is undecided.",
            lambda f: f.scored_dimensions < f.min_scored_dimensions,
        ),
        TeamRule(
            "healthy",
            "stay",
            f"Otherwise, if the team's overall health is at least {t.stay_overall:g}, no "
            f"dimension's team score is below {t.critical_dimension:g}, and on no dimension are "
            f"two respondents {team.divergent_points:g} points or more apart, the verdict is stay.",
            lambda f: _healthy(f) and f.split == 0,
        ),
        TeamRule(
            "split_view",
            "repair",
            "Otherwise, if the team's scores alone would give stay but respondents are that far "
            "apart on a dimension, the verdict is repair: the difference is reported, not "
            "averaged away, and is the first thing to talk about.",
            _healthy,
        ),
        # The same rules as for one response, read from the team's combined answers.
        same("partner_not_engaging", lambda f: f.repair_done["raised"] and f.not_engaging),
        TeamRule(
            "restructure",
            "restructure",
            f"Otherwise, if the relationship is sound for the team (every relationship "
            f"dimension, {names['relationship']}, has a team score of at least "
            f"{t.sound_relationship:g}) but the deal is not (a deal dimension, {names['deal']}, "
            f"has a team score below {t.critical_dimension:g}, and no other dimension has), the "
            "verdict is restructure: keep the partner, change the deal.",
            lambda f: f.restructure,
        ),
        same("repair_failed", lambda f: all(f.repair_done[role] for role in REPAIR_STEP_NAMES)),
        same("repair_first", lambda f: True),
    )


def _healthy(f: TeamFacts) -> bool:
    return f.overall is not None and f.overall >= f.stay_overall and f.critical == 0


def describe_team_scoring(bank: Bank) -> tuple[str, ...]:
    """How answers are combined, one sentence per step, with this bank's numbers."""
    team = bank.team
    return (
        "Each response is scored on its own, exactly as a single assessment is.",
        "The same response given twice (the same code or file loaded again) is flagged and "
        "counted once.",
        "A side's score for a dimension is the mean of the scores of that side's respondents "
        "who answered enough of its questions. Respondents who did not say their side form a "
        "group of their own.",
        "The team score of a dimension is the mean of the side scores, so each side counts "
        "equally however many people answered for it. It always lies between the lowest and "
        "the highest respondent's score, which are shown with it.",
        "The team's overall health is the weighted mean of the team dimension scores, with the "
        "same weights as a single assessment.",
        f"On a question, two respondents disagree when their answers are "
        f"{team.disagreement_levels} or more levels apart (reverse-scored questions are "
        "flipped first, so a higher level is always the healthier answer). The "
        f"{team.talk_first_count} largest disagreements, those across sides first, are listed "
        "to talk about first, with the answers each side gave.",
        f"Between the sides, a dimension is divergent when two sides' scores are "
        f"{team.divergent_points:g} points or more apart; otherwise it is an agreed strength "
        f"when every side scores {team.strength_at:g} or more, and an agreed weakness when not. "
        "With only one side's scores there is no gap to read.",
        "The repair-history answers are combined question by question into the lower median "
        "of the levels given; the verdict rules then read them as they read one response's.",
        "In a health check, where the replies say their organisation, the sides are the two "
        "organisations (whatever relationship each answered from), and replies that say none "
        f"form a group of their own. When a group has fewer than {team.min_group} respondents, "
        "no group's scores are shown apart (the others' and the team's would give them away): "
        "everyone's answers are pooled, and the result says why.",
        f"The compare page combines up to {team.max_responses} responses at once; the command "
        "line has no limit.",
    )


# -- Combining ------------------------------------------------------------------------------


def combine(
    responses: Sequence[Response], bank: Bank | None = None, *, limit: int | None = None
) -> TeamResult:
    """Combine responses (each with its relationship) into a team result; duplicates count once.

    `limit` caps how many responses are accepted (the compare page passes the bank's
    max_responses; the command line combines any number).
    """
    bank = bank or load_bank()
    if not responses:
        raise TeamError("There are no responses to combine.")
    if limit is not None and len(responses) > limit:
        raise TeamError(
            f"{len(responses)} responses is more than the {limit} that can be combined at once."
        )
    first_seen: dict[tuple[object, ...], int] = {}
    duplicates: list[tuple[int, int]] = []
    kept: list[tuple[int, Response]] = []
    for number, response in enumerate(responses, start=1):
        # A response of an earlier edition was read by question id (codec, exports): it is
        # combined as long as every answer names one of these questions.
        if response.bank_version != bank.version and not set(response.answers) <= set(
            bank.question_ids
        ):
            raise TeamError(
                f"Response {number} was made with version {response.bank_version} of the "
                f"questions and answers questions these (version {bank.version}) do not have."
            )
        key = response.key()
        if key in first_seen:
            duplicates.append((number, first_seen[key]))
            continue
        first_seen[key] = number
        kept.append((number, response))
    same: dict[int, list[int]] = {}
    for number, original in duplicates:
        same.setdefault(original, []).append(number)
    respondents = tuple(_respondent(n, r, bank, tuple(same.get(n, ()))) for n, r in kept)
    grouping = grouped(respondents, bank)
    return _team_result(grouping.respondents, tuple(duplicates), bank, grouping)


def _respondent(number: int, response: Response, bank: Bank, same: tuple[int, ...]) -> Respondent:
    # The skip rule: an answer to a question that does not apply is not counted.
    answers = asked_answers(validate_answers(response.answers, bank), bank)
    dimensions = score_dimensions(answers, bank)
    scored = [d for d in dimensions if d.score is not None]
    enough = len(scored) >= bank.thresholds.min_scored_dimensions
    knock_outs = tuple(
        q.id
        for q in bank.questions_in(DEAL_BREAKERS)
        if q.knock_out_at is not None
        and (level := answers.get(q.id)) is not None
        and level <= q.knock_out_at
    )
    return Respondent(
        number=number,
        relationship=response.relationship,
        given=response.given,
        answers=answers,
        dimensions=dimensions,
        overall=overall_score(dimensions) if enough else None,
        knock_outs=knock_outs,
        same_as_this=same,
        organisation=response.organisation,
    )


# An exact rational (numerator, denominator): team means are computed exactly, so that a team
# of identical respondents scores exactly as one, to the last bit.
_Ratio = tuple[int, int]


def _ratio_of(d: DimensionResult) -> _Ratio:
    # A dimension score is 25 * (sum of flipped levels - 1) / answered: recover it exactly.
    assert d.score is not None
    points = round(d.score * d.answered / 25)
    return (25 * points, d.answered)


def _mean(values: Sequence[_Ratio]) -> _Ratio:
    numerator, denominator = 0, 1
    for n, d in values:
        numerator, denominator = numerator * d + n * denominator, denominator * d
        common = math.gcd(numerator, denominator)
        numerator, denominator = numerator // common, denominator // common
    return (numerator, denominator * len(values))


def _float(value: _Ratio) -> float:
    return value[0] / value[1]


@dataclass(frozen=True)
class Grouping:
    """Who counts under which side: the respondents (each with its group), how the sides are
    shown, in order, and why they are grouped as they are ("" when by relationship)."""

    respondents: tuple[Respondent, ...]
    sides: tuple[Side, ...]
    note: str = ""


def organisation_sides(bank: Bank) -> tuple[Side, ...]:
    """A health check's two organisations as the team view shows them, then NOT_SAID."""
    named = sides(bank)[:-1]
    return (
        *(
            Side(key, ROUND_ORGANISATIONS[n].capitalize(), named[i % len(named)].colour, i)
            for i, (n, key) in enumerate(enumerate(ORGANISATIONS, start=1))
        ),
        Side(NOT_SAID, "Organisation not said", NOT_SAID_COLOUR, -1),
    )


def grouped(respondents: tuple[Respondent, ...], bank: Bank) -> Grouping:
    """The sides a team's answers are compared between.

    By relationship, unless a response says its organisation (a health check's reply): then by
    organisation, and those that say none form a group of their own. A group of fewer than the
    bank's min_group is never shown apart: then no group is (the others' scores and the team's
    would give its scores away), and the note says why.
    """
    if not any(r.organisation for r in respondents):
        return Grouping(respondents, sides(bank))
    shown = organisation_sides(bank)
    by_organisation = tuple(replace(r, group=r.organisation or NOT_SAID) for r in respondents)
    counts = Counter(r.group for r in by_organisation)
    small = [side for side in shown if 0 < counts[side.key] < bank.team.min_group]
    if len(counts) < 2 or not small:
        return Grouping(by_organisation, shown)
    pooled = Side(EVERYONE, EVERYONE_NAME, shown[0].colour, 0)
    named = ", ".join(f"{side.name.lower()} ({counts[side.key]})" for side in small)
    note = (
        f"Scores are not shown for each organisation: {named} had fewer than "
        f"{bank.team.min_group} respondents, the fewest shown apart, so that no one's answers "
        "can be read as theirs. Everyone's answers are pooled."
    )
    return Grouping(
        tuple(replace(r, group=EVERYONE) for r in respondents), (pooled, shown[-1]), note
    )


def _sides_present(respondents: Iterable[Respondent], shown: Sequence[Side]) -> list[str]:
    present = {r.side_key for r in respondents}
    return [side.key for side in shown if side.key in present]


def _team_result(
    respondents: tuple[Respondent, ...],
    duplicates: tuple[tuple[int, int], ...],
    bank: Bank,
    grouping: Grouping,
) -> TeamResult:
    t, team = bank.thresholds, bank.team
    keys = _sides_present(respondents, grouping.sides)
    named = [key for key in keys if key != NOT_SAID]
    dimensions = []
    for index, dimension in enumerate(bank.dimensions):
        scored = [(r, r.dimensions[index]) for r in respondents if r.dimensions[index].scored]
        ratio_by_relationship: dict[str, _Ratio] = {}
        for key in keys:
            values = [_ratio_of(d) for r, d in scored if r.side_key == key]
            if values:
                ratio_by_relationship[key] = _mean(values)
        by_relationship = {key: _float(v) for key, v in ratio_by_relationship.items()}
        scores = [d.score for _, d in scored if d.score is not None]
        low, high = (min(scores), max(scores)) if scores else (None, None)
        score = (
            _float(_mean(list(ratio_by_relationship.values()))) if ratio_by_relationship else None
        )
        named_scores = [by_relationship[key] for key in named if key in by_relationship]
        gap = max(named_scores) - min(named_scores) if len(named_scores) >= 2 else None
        if score is None:
            kind = "no_score"
        elif gap is None:
            kind = "one_side"
        elif gap >= team.divergent_points:
            kind = "divergent"
        elif min(named_scores) >= team.strength_at:
            kind = "agreed_strength"
        else:
            kind = "agreed_weakness"
        dimensions.append(
            DimensionSummary(
                id=dimension.id,
                title=dimension.title,
                playbook=dimension.playbook,
                weight=dimension.weight,
                score=score,
                low=low,
                high=high,
                by_relationship=tuple((key, by_relationship.get(key)) for key in keys),
                gap=gap,
                gap_kind=kind,
                scored_respondents=len(scored),
                split=low is not None and high is not None and high - low >= team.divergent_points,
            )
        )
    team_dimensions = tuple(
        DimensionResult(
            id=d.id,
            title=d.title,
            weight=d.weight,
            playbook=d.playbook,
            score=d.score,
            coverage=1.0 if d.score is not None else 0.0,
            answered=d.scored_respondents,
            total=len(respondents),
            part=bank.dimension(d.id).part,
        )
        for d in dimensions
    )
    scored_count = sum(1 for d in dimensions if d.score is not None)
    enough = scored_count >= t.min_scored_dimensions
    overall = overall_score(team_dimensions) if enough else None
    overalls = [r.overall for r in respondents if r.overall is not None]
    questions = tuple(_question_summary(q, respondents, keys, bank) for q in bank.questions)
    disagreements = tuple(
        sorted(
            (q for q in questions if q.disagreement),
            key=lambda q: (-q.spread, not q.across_relationships, bank.question_ids.index(q.id)),
        )
    )
    deal_breakers = _deal_breakers(respondents, keys, bank)
    repair_levels = _repair_levels(respondents, bank)
    levels = dict(repair_levels)
    repair_done = {
        role: (level := levels.get(role)) is not None and level >= t.repair_step_done
        for role in REPAIR_ROLES
    }
    follow = levels.get("follow_through")
    facts = TeamFacts(
        deal_breakers=len(deal_breakers),
        scored_dimensions=scored_count,
        min_scored_dimensions=t.min_scored_dimensions,
        overall=overall,
        stay_overall=t.stay_overall,
        critical=sum(
            1 for d in dimensions if d.score is not None and d.score < t.critical_dimension
        ),
        split=sum(1 for d in dimensions if d.split),
        repair_done=repair_done,
        not_engaging=follow is not None and follow <= t.no_follow_through,
        restructure=restructure_applies(team_dimensions, t),
    )
    rule = next(r for r in team_rules(bank) if r.applies(facts))
    result = TeamResult(
        bank_version=bank.version,
        respondents=respondents,
        duplicates=duplicates,
        meaning=bank.verdict(rule.verdict),
        rule=Rule(rule.id, rule.verdict, rule.text),
        reasons=(),
        overall=overall,
        overall_low=min(overalls) if overalls else None,
        overall_high=max(overalls) if overalls else None,
        dimensions=tuple(dimensions),
        questions=questions,
        disagreements=disagreements,
        talk_first=disagreements[: team.talk_first_count],
        deal_breakers=deal_breakers,
        relationships=tuple(
            (key, sum(1 for r in respondents if r.side_key == key)) for key in keys
        ),
        repair_levels=repair_levels,
        disagreement_levels=team.disagreement_levels,
        sides=grouping.sides,
        grouping_note=grouping.note,
    )
    return _with_reasons(result, facts, bank)


def _question_summary(
    question: Question, respondents: Sequence[Respondent], keys: Sequence[str], bank: Bank
) -> QuestionSummary:
    # One pass over the respondents: a count of each answer, relationship by relationship.
    counts: dict[str, Counter[int | None]] = {key: Counter() for key in keys}
    for respondent in respondents:
        if question.id in respondent.answers:
            counts[respondent.side_key][respondent.answers[question.id]] += 1
    levels = {level for counter in counts.values() for level in counter if level is not None}
    health = [question.practice_level(level) for level in levels]
    low, high = (min(health), max(health)) if health else (None, None)
    by_relationship = []
    health_by_relationship: dict[str, list[int]] = {}
    answered = dont_know = 0
    for key in keys:
        counter = counts[key]
        mine = sorted(level for level in counter if level is not None)
        counted = [AnswerCount(level, question.level_text(level), counter[level]) for level in mine]
        if counter[None]:
            counted.append(AnswerCount(None, DONT_KNOW, counter[None]))
        if counted:
            by_relationship.append((key, tuple(counted)))
        health_by_relationship[key] = [question.practice_level(lv) for lv in mine]
        answered += sum(counter[level] for level in mine)
        dont_know += counter[None]
    disagreement = (
        low is not None and high is not None and high - low >= bank.team.disagreement_levels
    )
    # Across relationships: the lowest answer of one and the highest of another are that far apart.
    cross = False
    if disagreement:
        spans = [(min(v), max(v)) for v in health_by_relationship.values() if v]
        cross = any(
            abs(a_high - b_low) >= bank.team.disagreement_levels
            or abs(b_high - a_low) >= bank.team.disagreement_levels
            for i, (a_low, a_high) in enumerate(spans)
            for (b_low, b_high) in spans[i + 1 :]
        )
    return QuestionSummary(
        id=question.id,
        dimension=question.dimension,
        text=question.text,
        answered=answered,
        dont_know=dont_know,
        low=low,
        high=high,
        by_relationship=tuple(by_relationship),
        disagreement=disagreement,
        across_relationships=cross,
    )


def _deal_breakers(
    respondents: Sequence[Respondent], keys: Sequence[str], bank: Bank
) -> tuple[DealBreaker, ...]:
    raised = []
    for question in bank.questions_in(DEAL_BREAKERS):
        who = [r for r in respondents if question.id in r.knock_outs]
        if who:
            by_relationship = tuple(
                (key, n) for key in keys if (n := sum(1 for r in who if r.side_key == key))
            )
            raised.append(DealBreaker(question.id, question.text, len(who), by_relationship))
    return tuple(raised)


def _repair_levels(
    respondents: Sequence[Respondent], bank: Bank
) -> tuple[tuple[str, int | None], ...]:
    by_role = {q.role: q for q in bank.questions_in(REPAIR_HISTORY)}
    levels = []
    for role in REPAIR_ROLES:
        given = sorted(
            level for r in respondents if (level := r.answers.get(by_role[role].id)) is not None
        )
        # The lower median: with one respondent their answer; for a step to count as done,
        # more than half of those who answered must say so.
        levels.append((role, given[(len(given) - 1) // 2] if given else None))
    return tuple(levels)


def _with_reasons(result: TeamResult, f: TeamFacts, bank: Bank) -> TeamResult:
    from dataclasses import replace

    t, team = bank.thresholds, bank.team
    count = len(result.respondents)
    people = respondents_text(count)
    reasons: list[str] = []
    rule = result.rule.id
    if rule == "deal_breaker":
        for b in result.deal_breakers:
            reasons.append(
                deal_breaker_reason(b.text, f"was raised by {b.respondents} of {people}")
            )
    elif rule == "too_few_answers":
        missing = [d for d in result.dimensions if d.score is None]
        reasons.append(
            too_few_reason(f.scored_dimensions, len(result.dimensions), t, " from anyone")
        )
        reasons.extend(f"{d.title}: no respondent answered enough questions." for d in missing)
    else:
        overall = result.overall
        assert overall is not None
        reasons.append(overall_reason(overall, t, "The team's overall health"))
        for d in result.weakest:
            if d.score is not None and d.score < t.critical_dimension:
                reasons.append(critical_reason(d.title, d.score, t, " for the team"))
        if rule in REPAIR_REASONS:
            reasons.append(f"By most accounts, {REPAIR_REASONS[rule]}.")
        elif rule == "restructure":
            sound = [
                (d.title, d.score)
                for d in result.dimensions
                if d.score is not None and bank.dimension(d.id).part == "relationship"
            ]
            reasons.append(sound_reason(sound, t, " for the team"))
        elif rule == "repair_first":
            missing_steps = [
                name for role, name in REPAIR_STEP_NAMES.items() if not f.repair_done[role]
            ]
            reasons.append(not_yet_done_reason(missing_steps, ", by most accounts"))
    # Whatever the rule, a strong difference is said, never averaged away.
    for d in result.dimensions:
        if d.gap_kind == "divergent":
            scores = "; ".join(
                f"{result.side_name(key)} {shown(v)}"
                for key, v in d.by_relationship
                if v is not None and key != NOT_SAID
            )
            reasons.append(f"{d.title}: the sides see it differently ({scores}).")
        elif d.split and d.low is not None and d.high is not None:
            reasons.append(
                f"{d.title}: respondents range from {shown(d.low)} to {shown(d.high)}, "
                f"{team.divergent_points:g} points or more apart."
            )
    if rule != "deal_breaker":
        reasons.extend(
            deal_breaker_reason(b.text, f"was raised by {b.respondents} of {people}")
            for b in result.deal_breakers
        )
    return replace(result, reasons=tuple(reasons))


# -- Over time -------------------------------------------------------------------------------


@dataclass(frozen=True)
class TimePoint:
    """One assessment in a series: its day, verdict and scores, and its inputs' numbers."""

    given: date
    inputs: tuple[int, ...]
    result: TeamResult


@dataclass(frozen=True)
class Change:
    """How one dimension (or the overall health) moved since the previous assessment."""

    id: str
    title: str
    before: float | None
    after: float | None

    @property
    def delta(self) -> float | None:
        """After minus before, as a reader sees them: the difference of the two numbers shown
        (scoring.shown), so "38 -> 38" never reads as a change (None when either had no score)."""
        if self.before is None or self.after is None:
            return None
        return float(shown(self.after) - shown(self.before))


@dataclass(frozen=True)
class OverTime:
    """Assessments of one partnership in date order, and what changed between them."""

    bank_version: str
    points: tuple[TimePoint, ...]

    def changes(self, index: int) -> tuple[Change, ...]:
        """What changed at point `index` since the one before it (overall first)."""
        if index <= 0:
            return ()
        before, after = self.points[index - 1].result, self.points[index].result
        moves = [Change("overall", "Overall health", before.overall, after.overall)]
        for b, a in zip(before.dimensions, after.dimensions, strict=True):
            moves.append(Change(a.id, a.title, b.score, a.score))
        return tuple(moves)

    @property
    def latest_changes(self) -> tuple[Change, ...]:
        """What changed since the previous assessment (empty with a single one)."""
        return self.changes(len(self.points) - 1)

    def to_dict(self) -> dict[str, Any]:
        """The series as JSON-ready data: each point, and the change since the previous one."""
        points = []
        for index, point in enumerate(self.points):
            result = point.result
            before = self.points[index - 1].result if index else None
            points.append(
                {
                    "date": point.given.isoformat(),
                    "inputs": list(point.inputs),
                    "respondents": len(result.respondents),
                    "verdict": result.verdict,
                    "verdict_label": result.verdict_label,
                    "verdict_changed": before is not None and before.verdict != result.verdict,
                    "overall": round_score(result.overall),
                    "dimensions": {d.id: round_score(d.score) for d in result.dimensions},
                    "changes": {c.id: round_score(c.delta) for c in self.changes(index)},
                }
            )
        return {"bank_version": self.bank_version, "points": points}


def over_time(checks: Sequence[Sequence[Response]], bank: Bank | None = None) -> OverTime:
    """A series from checks (each the responses of one assessment), ordered by their days."""
    bank = bank or load_bank()
    if not checks:
        raise TeamError("There are no assessments to compare over time.")
    points: list[TimePoint] = []
    number = 0
    for check in checks:
        numbers = tuple(range(number + 1, number + len(check) + 1))
        number += len(check)
        result = combine(check, bank)
        if result.given is None:
            # An assessment is dated by its latest response: at least one must say its day.
            which = f"Input {numbers[0]}" if len(check) == 1 else f"Check {len(points) + 1}"
            raise TeamError(
                f"{which} has no date (older share codes carry none): over time needs the day "
                "each assessment was made."
            )
        points.append(TimePoint(result.given, numbers, result))
    points.sort(key=lambda p: p.given)  # stable: same-day points keep their input order
    return OverTime(bank.version, tuple(points))
