"""Load the question bank (bank.toml) and validate it into frozen dataclasses."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any, NoReturn, Protocol, TypeVar

from .colours import HEX_COLOUR, RELATIONSHIP_COLOURS
from .datafile import ID, PAGE_LINK, load_data
from .errors import BankError

SHIPPED_BANK = Path(__file__).with_name("bank.toml")

LEVELS = (1, 2, 3, 4, 5)
VERDICT_IDS = ("stay", "repair", "restructure", "go", "undecided")
RESTRUCTURE = "restructure"
# What a dimension says about the partnership, for the restructure verdict: the working
# relationship between the people, or the deal itself (a dimension may be neither).
PARTS = ("relationship", "deal")
REPAIR_HISTORY = "repair_history"
DEAL_BREAKERS = "deal_breakers"
BLOCK_IDS = (REPAIR_HISTORY, DEAL_BREAKERS)
REPAIR_ROLES = ("raised", "reset", "time_to_work", "follow_through")
# Banks from before the relationships had their name call them [[perspectives]], and a
# question's wording for one of them [questions.by_perspective]: both names still load.
OLDER_NAMES = {"relationships": "perspectives", "by_relationship": "by_perspective"}

# The colours a verdict may be shown in (the site's stylesheet has each, in both colour schemes);
# a verdict without one is shown in "grey". A colour always comes with the verdict's word.
VERDICT_COLOURS = ("green", "amber", "red", "grey", "blue", "purple")
DEFAULT_VERDICT_COLOUR = "grey"

# A bank's version as it is written, also inside every share code (codec.CODE_SHAPE).
VERSION_SHAPE = r"[A-Za-z0-9.]{1,20}"
_VERSION = re.compile(rf"^{VERSION_SHAPE}$")


@dataclass(frozen=True)
class Relationship:
    """How the respondent's organisation relates to the partner: client, provider or peers.

    It decides the wording of the questions (Question.by_relationship) and is what a share
    code, an export and the team view say about who answered. `label` is what the person
    answering picks ("We are the client"); `name` what the team view calls the respondents of
    it ("Client side"); `colour` their marks in the team view's chart (#rrggbb).
    """

    id: str
    label: str
    name: str = ""
    colour: str = ""


@dataclass(frozen=True)
class Thresholds:
    """Every number the verdict rules use."""

    min_coverage: float
    min_scored_dimensions: int
    stay_overall: float
    critical_dimension: float
    sound_relationship: float
    repair_step_done: int
    no_follow_through: int
    weakest_count: int


@dataclass(frozen=True)
class TeamThresholds:
    """The numbers that combine several people's answers (assessment/team.py)."""

    disagreement_levels: int
    divergent_points: float
    strength_at: float
    talk_first_count: int
    max_responses: int
    # The fewest respondents of an organisation whose scores are shown apart (team.py).
    min_group: int = 3


@dataclass(frozen=True)
class Dimension:
    """A scored dimension of partnership health."""

    id: str
    title: str
    description: str
    weight: float
    playbook: str
    part: str = ""  # "relationship", "deal" (PARTS) or "" for neither


@dataclass(frozen=True)
class Block:
    """A group of questions that drives the decision rather than the health score."""

    id: str
    title: str
    description: str
    playbook: str


@dataclass(frozen=True)
class Verdict:
    """What a verdict means for the reader and what to do next."""

    id: str
    title: str
    summary: str
    next_steps: tuple[str, ...]
    playbook: str
    colour: str = DEFAULT_VERDICT_COLOUR


@dataclass(frozen=True)
class Question:
    """One question with its five anchored levels (level 1 first)."""

    id: str
    dimension: str
    idea: str
    text: str
    levels: tuple[str, str, str, str, str]
    reverse: bool = False
    role: str | None = None
    knock_out_at: int | None = None
    by_relationship: tuple[tuple[str, str], ...] = ()
    # In the quick check (bank.toml's `core`).
    core: bool = False
    # The skip rule: asked only when another question (id) is answered at this level or more.
    asked_if: tuple[str, int] | None = None

    def text_for(self, relationship: str | None) -> str:
        """The question's wording for one relationship, or its neutral wording."""
        return dict(self.by_relationship).get(relationship or "", self.text)

    def level_text(self, level: int) -> str:
        """The anchor that describes one level."""
        return self.levels[level - 1]

    def practice_level(self, level: int) -> int:
        """A level on the practice scale (higher is healthier): an answer to a reverse-scored
        question turned round. Turning round twice gives the level back, so a practice level
        also becomes the answer that says it."""
        return LEVELS[0] + LEVELS[-1] - level if self.reverse else level


@dataclass(frozen=True)
class Bank:
    """The whole validated question bank."""

    version: str
    title: str
    relationships: tuple[Relationship, ...]
    thresholds: Thresholds
    dimensions: tuple[Dimension, ...]
    blocks: tuple[Block, ...]
    verdicts: tuple[Verdict, ...]
    questions: tuple[Question, ...]
    team: TeamThresholds
    source: str = "<bank>"

    @property
    def question_ids(self) -> tuple[str, ...]:
        """Question ids in bank order."""
        return tuple(q.id for q in self.questions)

    @property
    def core_questions(self) -> tuple[Question, ...]:
        """The quick check's questions (`core = true`), in bank order; none when the bank has
        no quick check."""
        return tuple(q for q in self.questions if q.core)

    def question(self, question_id: str) -> Question:
        """The question with this id (KeyError if there is none)."""
        return _with_id(self.questions, question_id)

    def questions_in(self, group_id: str) -> tuple[Question, ...]:
        """The questions of one dimension or block, in bank order."""
        return self._groups.get(group_id, ())

    @cached_property
    def _groups(self) -> dict[str, tuple[Question, ...]]:
        # Scoring asks for each group's questions many times per result (pivotal answers).
        groups: dict[str, list[Question]] = {}
        for question in self.questions:
            groups.setdefault(question.dimension, []).append(question)
        return {group: tuple(questions) for group, questions in groups.items()}

    def relationship(self, relationship_id: str) -> Relationship:
        """The relationship with this id (KeyError if there is none)."""
        return _with_id(self.relationships, relationship_id)

    def dimension(self, dimension_id: str) -> Dimension:
        """The scored dimension with this id (KeyError if there is none)."""
        return _with_id(self.dimensions, dimension_id)

    def block(self, block_id: str) -> Block:
        """The block with this id (KeyError if there is none)."""
        return _with_id(self.blocks, block_id)

    def verdict(self, verdict_id: str) -> Verdict:
        """The verdict with this id (KeyError if there is none)."""
        return _with_id(self.verdicts, verdict_id)

    def group_title(self, group_id: str) -> str:
        """The title of a dimension or a block."""
        titles = {d.id: d.title for d in self.dimensions} | {b.id: b.title for b in self.blocks}
        return titles[group_id]


class _Identified(Protocol):
    @property
    def id(self) -> str: ...


_Item = TypeVar("_Item", bound=_Identified)


def _with_id(items: tuple[_Item, ...], item_id: str) -> _Item:
    for item in items:
        if item.id == item_id:
            return item
    raise KeyError(item_id)


def load_bank(path: str | Path | None = None) -> Bank:
    """Read and validate a bank file; without a path, the bank shipped with the package."""
    if path is None:
        return _shipped_bank()
    return _read_bank(Path(path))


@lru_cache(maxsize=1)
def _shipped_bank() -> Bank:
    # The shipped file never changes while the program runs: read it once.
    return _read_bank(SHIPPED_BANK)


def _read_bank(path: Path) -> Bank:
    return parse_bank(load_data(path, BankError), str(path))


def parse_bank(data: Mapping[str, Any], source: str = "<bank>") -> Bank:
    """Validate bank data (as read from TOML) into a Bank, or raise BankError."""
    top = _Table(data, source, "bank")
    top.only(
        "version",
        "title",
        "relationships",
        "perspectives",
        "thresholds",
        "dimensions",
        "blocks",
        "verdicts",
        "questions",
        "team",
    )
    version = top.string("version")
    if not _VERSION.match(version):
        top.fail("version", "use 1 to 20 letters, digits or dots (it appears in share links)")
    relationships = tuple(
        _relationship(t, position)
        for position, t in enumerate(top.tables(top.named("relationships")))
    )
    _unique(source, "relationship", [r.id for r in relationships])
    dimensions = tuple(_dimension(t) for t in top.tables("dimensions"))
    _unique(source, "dimension", [d.id for d in dimensions])
    blocks = tuple(_block(t) for t in top.tables("blocks"))
    _unique(source, "block", [b.id for b in blocks])
    for block in blocks:
        if block.id not in BLOCK_IDS:
            known = _list(BLOCK_IDS)
            raise BankError(source, f"block '{block.id}'", "id", f"must be one of {known}")
    for block_id in BLOCK_IDS:
        if block_id not in {b.id for b in blocks}:
            raise BankError(source, "blocks", "id", f"the block '{block_id}' is missing")
    clash = {d.id for d in dimensions} & set(BLOCK_IDS)
    if clash:
        raise BankError(source, f"dimension '{min(clash)}'", "id", "is reserved for a block")
    verdicts = tuple(_verdict(t) for t in top.tables("verdicts"))
    _unique(source, "verdict", [v.id for v in verdicts])
    # The restructure verdict is for a bank that marks its dimensions' parts: a bank written
    # before it (a company's among them) may leave it out, and then never suggests it.
    given = {v.id for v in verdicts}
    parted = any(d.part for d in dimensions)
    needed = VERDICT_IDS if parted else tuple(v for v in VERDICT_IDS if v != RESTRUCTURE)
    if not set(needed) <= given <= set(VERDICT_IDS):
        why = " (the dimensions have parts: the restructure rule reads them)" if parted else ""
        raise BankError(source, "verdicts", "id", f"there must be exactly {_list(needed)}{why}")
    thresholds = _thresholds(top.table("thresholds"), len(dimensions), parted)
    groups = {d.id for d in dimensions} | set(BLOCK_IDS)
    questions = tuple(
        _question(t, groups, {r.id for r in relationships}) for t in top.tables("questions")
    )
    _unique(source, "question", [q.id for q in questions])
    _check_groups(source, dimensions, questions)
    _check_asked_if(source, questions)
    _check_core(source, dimensions, questions, thresholds.min_scored_dimensions)
    return Bank(
        version=version,
        title=top.string("title"),
        relationships=relationships,
        thresholds=thresholds,
        dimensions=dimensions,
        blocks=blocks,
        verdicts=verdicts,
        questions=questions,
        team=_team(top.table("team")),
        source=source,
    )


def _team(t: _Table) -> TeamThresholds:
    t.only(
        "disagreement_levels", "divergent_points", "strength_at", "talk_first_count",
        "max_responses", "min_group",
    )  # fmt: skip
    return TeamThresholds(
        disagreement_levels=t.integer("disagreement_levels", 1, 4),
        divergent_points=t.whole_score("divergent_points", low_inclusive=False),
        strength_at=t.whole_score("strength_at"),
        talk_first_count=t.integer("talk_first_count", 1, 50),
        max_responses=t.integer("max_responses", 2, 10_000),
        min_group=t.optional_integer("min_group", 1, 100) or TeamThresholds.min_group,
    )


def _relationship(t: _Table, position: int) -> Relationship:
    relationship_id = t.identifier()
    t.only("id", "label", "name", "colour")
    # Without a name, the id in words ("Peer"); without a colour, the next of the default
    # chart colours, each readable on both colour schemes (assessment/colours.py).
    name = t.optional_string("name") or relationship_id.replace("_", " ").capitalize()
    colour = t.optional_string("colour")
    if colour is None:
        colour = RELATIONSHIP_COLOURS[position % len(RELATIONSHIP_COLOURS)]
    elif not HEX_COLOUR.match(colour):
        t.fail("colour", f"'{colour}' must be a colour written #rrggbb, such as '#2a6fb0'")
    return Relationship(
        id=relationship_id, label=t.string("label"), name=name, colour=colour.lower()
    )


def _dimension(t: _Table) -> Dimension:
    dimension_id = t.identifier()
    t.only("id", "title", "description", "weight", "playbook", "part")
    part = t.optional_string("part") or ""
    if part and part not in PARTS:
        t.fail("part", f"must be one of {_list(PARTS)} (or left out)")
    return Dimension(
        id=dimension_id,
        title=t.string("title"),
        description=t.string("description"),
        weight=t.number("weight", low=0.0, high=100.0, low_inclusive=False),
        playbook=t.playbook(),
        part=part,
    )


def _block(t: _Table) -> Block:
    block_id = t.identifier()
    t.only("id", "title", "description", "playbook")
    return Block(
        id=block_id,
        title=t.string("title"),
        description=t.string("description"),
        playbook=t.playbook(),
    )


def _verdict(t: _Table) -> Verdict:
    verdict_id = t.identifier()
    t.only("id", "title", "summary", "next_steps", "playbook", "colour")
    if verdict_id not in VERDICT_IDS:
        t.fail("id", f"must be one of {_list(VERDICT_IDS)}")
    colour = t.optional_string("colour") or DEFAULT_VERDICT_COLOUR
    if colour not in VERDICT_COLOURS:
        t.fail("colour", f"'{colour}' must be one of {_list(VERDICT_COLOURS)}")
    return Verdict(
        id=verdict_id,
        title=t.string("title"),
        summary=t.string("summary"),
        next_steps=t.strings("next_steps"),
        playbook=t.playbook(),
        colour=colour,
    )


def _thresholds(t: _Table, dimension_count: int, parted: bool = True) -> Thresholds:
    t.only(
        "min_coverage",
        "min_scored_dimensions",
        "stay_overall",
        "critical_dimension",
        "sound_relationship",
        "repair_step_done",
        "no_follow_through",
        "weakest_count",
    )
    stay_overall = t.whole_score("stay_overall")
    critical = t.whole_score("critical_dimension")
    if critical > stay_overall:
        t.fail("critical_dimension", f"must not be above stay_overall ({stay_overall:g})")
    # Read by the restructure rule only: a bank without dimension parts may leave it out.
    sound = (
        t.whole_score("sound_relationship")
        if parted or "sound_relationship" in t.data
        else stay_overall
    )
    if sound < critical:
        t.fail("sound_relationship", f"must not be below critical_dimension ({critical:g})")
    return Thresholds(
        min_coverage=t.number("min_coverage", low=0.0, high=1.0, low_inclusive=False),
        min_scored_dimensions=t.integer("min_scored_dimensions", 1, max(dimension_count, 1)),
        stay_overall=stay_overall,
        critical_dimension=critical,
        sound_relationship=sound,
        repair_step_done=t.integer("repair_step_done", 1, 5),
        no_follow_through=t.integer("no_follow_through", 1, 5),
        weakest_count=t.integer("weakest_count", 1, 20),
    )


def _question(t: _Table, groups: set[str], relationships: set[str]) -> Question:
    question_id = t.identifier()
    t.only(
        "id", "dimension", "idea", "text", "levels", "reverse", "role", "knock_out_at",
        "core", "asked_if", "by_relationship", "by_perspective",
    )  # fmt: skip
    dimension = t.string("dimension")
    if dimension not in groups:
        t.fail("dimension", f"'{dimension}' is not a dimension or block of this bank")
    levels = t.strings("levels")
    if len(levels) != len(LEVELS):
        t.fail("levels", f"needs exactly {len(LEVELS)} level descriptions, found {len(levels)}")
    reverse = t.boolean("reverse", default=False)
    role = t.optional_string("role")
    knock_out_at = t.optional_integer("knock_out_at", 1, 4)
    if dimension == REPAIR_HISTORY:
        if role not in REPAIR_ROLES:
            t.fail("role", f"a repair-history question needs a role: one of {_list(REPAIR_ROLES)}")
    elif role is not None:
        t.fail("role", "only repair-history questions have a role")
    if dimension == DEAL_BREAKERS:
        if knock_out_at is None:
            t.fail("knock_out_at", "a deal-breaker question needs the level (1-4) it knocks out at")
    elif knock_out_at is not None:
        t.fail("knock_out_at", "only deal-breaker questions have a knock-out level")
    if reverse and dimension in BLOCK_IDS:
        t.fail("reverse", "only questions of scored dimensions can be reverse-scored")
    wording = t.optional_table(t.named("by_relationship"))
    by_relationship: tuple[tuple[str, str], ...] = ()
    if wording is not None:
        for key in wording.fields():
            if key not in relationships:
                known = _list(sorted(relationships))
                wording.fail(key, f"is not a relationship of this bank ({known})")
        by_relationship = tuple((key, wording.string(key)) for key in wording.fields())
    return Question(
        id=question_id,
        dimension=dimension,
        idea=t.string("idea"),
        text=t.string("text"),
        levels=(levels[0], levels[1], levels[2], levels[3], levels[4]),
        reverse=reverse,
        role=role,
        knock_out_at=knock_out_at,
        by_relationship=by_relationship,
        core=t.boolean("core", default=False),
        asked_if=_asked_if(t),
    )


def _asked_if(t: _Table) -> tuple[str, int] | None:
    """The skip rule of a question: asked_if = { question = "id", at_least = level }."""
    rule = t.optional_table("asked_if")
    if rule is None:
        return None
    rule.only("question", "at_least")
    return (rule.string("question"), rule.integer("at_least", LEVELS[1], LEVELS[-1]))


def _check_asked_if(source: str, questions: tuple[Question, ...]) -> None:
    """A skip rule names an earlier question of the bank, which is itself always asked."""
    seen: dict[str, Question] = {}
    for question in questions:
        if question.asked_if is not None:
            other = seen.get(question.asked_if[0])
            where = f"question '{question.id}'"
            if other is None:
                raise BankError(
                    source, where, "asked_if",
                    f"'{question.asked_if[0]}' is not a question asked before this one",
                )  # fmt: skip
            if other.asked_if is not None:
                raise BankError(
                    source, where, "asked_if",
                    f"'{other.id}' has a skip rule itself: name a question that is always asked",
                )  # fmt: skip
        seen[question.id] = question


def _check_core(
    source: str, dimensions: tuple[Dimension, ...], questions: tuple[Question, ...], needed: int
) -> None:
    """The quick check's coverage rules: what the core questions must include, so that a
    verdict from them alone is a fair one (none core: the bank has no quick check)."""
    core = {q.id for q in questions if q.core}
    if not core:
        return
    with_core = [d.id for d in dimensions if any(q.core and q.dimension == d.id for q in questions)]
    if len(with_core) < needed:
        raise BankError(
            source, "questions", "core",
            f"only {len(with_core)} dimensions have a core question; the quick check needs at "
            f"least {needed} (thresholds.min_scored_dimensions) to give a verdict, and should "
            "have one in every dimension",
        )  # fmt: skip
    for question in questions:
        where = f"question '{question.id}'"
        if question.dimension in BLOCK_IDS and not question.core:
            raise BankError(
                source, where, "core",
                f"every {question.dimension.replace('_', '-')} question steers the verdict, so "
                "the quick check must ask it: add core = true",
            )  # fmt: skip
        if question.core and question.asked_if and question.asked_if[0] not in core:
            raise BankError(
                source, where, "core",
                f"its skip rule reads '{question.asked_if[0]}', which must be core too",
            )  # fmt: skip


def _check_groups(
    source: str, dimensions: tuple[Dimension, ...], questions: tuple[Question, ...]
) -> None:
    for dimension in dimensions:
        if not any(q.dimension == dimension.id for q in questions):
            raise BankError(source, f"dimension '{dimension.id}'", "questions", "has no question")
    roles = [q.role for q in questions if q.dimension == REPAIR_HISTORY]
    for role in REPAIR_ROLES:
        count = roles.count(role)
        if count != 1:
            raise BankError(
                source, REPAIR_HISTORY, "role",
                f"needs exactly one question with role '{role}', found {count}",
            )  # fmt: skip


def _unique(source: str, kind: str, ids: list[str]) -> None:
    seen: set[str] = set()
    for item_id in ids:
        if item_id in seen:
            raise BankError(source, f"{kind} '{item_id}'", "id", "is used twice")
        seen.add(item_id)


def _list(items: tuple[str, ...] | list[str]) -> str:
    return ", ".join(items)


class _Table:
    """A TOML table being validated, which knows how to name itself in an error."""

    def __init__(self, data: Any, source: str, where: str) -> None:
        if not isinstance(data, Mapping):
            raise BankError(source, where, "", "must be a table")
        self.data = data
        self.source = source
        self.where = where

    def fail(self, field: str, problem: str) -> NoReturn:
        raise BankError(self.source, self.where, field, problem)

    def fields(self) -> list[str]:
        return [str(key) for key in self.data]

    def named(self, name: str) -> str:
        """The key this table uses for `name`: the name itself, or its older name."""
        older = OLDER_NAMES[name]
        if older not in self.data:
            return name
        if name in self.data:
            self.fail(older, f"is the older name of '{name}': keep one of the two")
        return older

    def only(self, *allowed: str) -> None:
        for key in self.data:
            if key not in allowed:
                self.fail(str(key), f"is not a known field (known: {_list(list(allowed))})")

    def _get(self, field: str) -> Any:
        if field not in self.data:
            self.fail(field, "is missing")
        return self.data[field]

    def string(self, field: str) -> str:
        value = self._get(field)
        if not isinstance(value, str) or not value.strip():
            self.fail(field, "must be a non-empty text")
        return str(value).strip()

    def optional_string(self, field: str) -> str | None:
        return self.string(field) if field in self.data else None

    def identifier(self) -> str:
        value = self.string("id")
        if not ID.match(value):
            self.fail("id", f"'{value}' must be lower-case letters, digits and _ (max 40)")
        # From here on, errors name the item by its id.
        kind = self.where.split(" ")[0]
        self.where = f"{kind} '{value}'"
        return value

    def playbook(self) -> str:
        value = self.string("playbook")
        if not PAGE_LINK.match(value):
            self.fail("playbook", f"'{value}' must be a docs page like 'stay/reset.md#reset'")
        return value

    def strings(self, field: str) -> tuple[str, ...]:
        value = self._get(field)
        if not isinstance(value, list):
            self.fail(field, "must be a list of texts")
        for index, item in enumerate(value, start=1):
            if not isinstance(item, str) or not item.strip():
                self.fail(field, f"item {index} must be a non-empty text")
        return tuple(str(item).strip() for item in value)

    def number(self, field: str, low: float, high: float, *, low_inclusive: bool = True) -> float:
        value = self._get(field)
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.fail(field, "must be a number")
        number = float(value)
        too_low = number < low or (number == low and not low_inclusive)
        if not math.isfinite(number) or too_low or number > high:
            bound = "above" if not low_inclusive else "from"
            self.fail(field, f"{number:g} is out of range ({bound} {low:g} to {high:g})")
        return number

    def whole_score(self, field: str, *, low_inclusive: bool = True) -> float:
        """A score threshold: a whole number from 0 to 100. Scores are shown as whole numbers
        rounded down (scoring.shown), which says on which side of a whole number a score is."""
        number = self.number(field, low=0.0, high=100.0, low_inclusive=low_inclusive)
        if not number.is_integer():
            self.fail(field, f"{number:g} must be a whole number (scores show as whole numbers)")
        return number

    def integer(self, field: str, low: int, high: int) -> int:
        value = self._get(field)
        if isinstance(value, bool) or not isinstance(value, int):
            self.fail(field, "must be a whole number")
        if not low <= value <= high:
            self.fail(field, f"{value} is out of range ({low} to {high})")
        return int(value)

    def optional_integer(self, field: str, low: int, high: int) -> int | None:
        return self.integer(field, low, high) if field in self.data else None

    def boolean(self, field: str, *, default: bool) -> bool:
        value = self.data.get(field, default)
        if not isinstance(value, bool):
            self.fail(field, "must be true or false")
        return bool(value)

    def table(self, field: str) -> _Table:
        value = self._get(field)
        if not isinstance(value, Mapping):
            self.fail(field, "must be a table")
        return _Table(value, self.source, field)

    def optional_table(self, field: str) -> _Table | None:
        if field not in self.data:
            return None
        value = self.data[field]
        if not isinstance(value, Mapping):
            self.fail(field, "must be a table")
        return _Table(value, self.source, f"{self.where}, {field}")

    def tables(self, field: str) -> list[_Table]:
        value = self._get(field)
        if not isinstance(value, list) or not value:
            self.fail(field, f"must be a non-empty list of tables ([[{field}]])")
        kind = field.rstrip("s")
        return [
            _Table(item, self.source, f"{kind} #{index}")
            for index, item in enumerate(value, start=1)
        ]
