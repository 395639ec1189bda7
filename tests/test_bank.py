"""The question bank: the shipped bank meets its rules; a malformed bank is refused clearly."""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from assessment import Bank, BankError, load_bank
from assessment.bank import BLOCK_IDS, parse_bank

CORE_DIMENSIONS = ("cultural_fit", "value_creation", "expectation_clarity")
STABLE_DIMENSIONS = (*CORE_DIMENSIONS, "communication", "mutual_benefit", "success_metrics")


# About this site's own bank (a company's copy has its own dimensions and size): content.
@pytest.mark.content
def test_shipped_bank_has_the_stable_dimensions(bank: Bank) -> None:
    """The six dimension ids appear in exports and links, so they never change."""
    assert tuple(d.id for d in bank.dimensions) == STABLE_DIMENSIONS
    assert {b.id for b in bank.blocks} == set(BLOCK_IDS)


@pytest.mark.content
def test_shipped_bank_size_fits_ten_minutes(bank: Bank) -> None:
    """At least 4 questions per scored dimension, 24 to 40 in all."""
    counts = Counter(q.dimension for q in bank.questions)
    assert all(counts[d] >= 4 for d in STABLE_DIMENSIONS), counts
    assert 24 <= len(bank.questions) <= 40


def test_shipped_bank_questions_are_complete(bank: Bank) -> None:
    """Every question has five anchored levels and cites the idea it measures."""
    for question in bank.questions:
        assert len(question.levels) == 5 and all(question.levels)
        assert question.idea and question.text


def test_shipped_bank_has_reverse_items_in_every_dimension(bank: Bank) -> None:
    """Negatively worded items keep answers honest; each scored dimension has one."""
    for dimension in bank.dimensions:
        assert any(q.reverse for q in bank.questions_in(dimension.id)), dimension.id


def test_shipped_bank_words_some_questions_per_side(bank: Bank) -> None:
    """Where the wording differs for the client, the provider or peers, the bank holds it."""
    worded = [q for q in bank.questions if q.by_relationship]
    assert worded, "no question of the bank has a wording of its own for a relationship"
    question = worded[0]
    side, text = question.by_relationship[0]
    assert question.text_for(side) == text
    assert question.text_for(None) == question.text


def test_shipped_bank_is_read_once(bank: Bank) -> None:
    """load_bank() without a path returns the same validated bank every time."""
    assert load_bank() is load_bank()


def test_bank_from_a_path(tmp_path: Path) -> None:
    """load_bank(path) reads another bank, as an internal host would use."""
    from assessment.bank import SHIPPED_BANK

    copy = tmp_path / "ours.toml"
    copy.write_bytes(SHIPPED_BANK.read_bytes().replace(b'version = "', b'version = "9', 1))
    other = load_bank(copy)
    assert other.version.startswith("9") and other.source == str(copy)


def _set(path: tuple[Any, ...], value: Any) -> Callable[[dict[str, Any]], None]:
    def mutate(data: dict[str, Any]) -> None:
        target: Any = data
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value

    return mutate


def _delete(path: tuple[Any, ...]) -> Callable[[dict[str, Any]], None]:
    def mutate(data: dict[str, Any]) -> None:
        target: Any = data
        for key in path[:-1]:
            target = target[key]
        del target[path[-1]]

    return mutate


def _duplicate_dimension(data: dict[str, Any]) -> None:
    data["dimensions"][1]["id"] = data["dimensions"][0]["id"]


def _duplicate_question(data: dict[str, Any]) -> None:
    data["questions"][1]["id"] = data["questions"][0]["id"]


def _second_role(data: dict[str, Any]) -> None:
    roles = [q for q in data["questions"] if q["dimension"] == "repair_history"]
    roles[1]["role"] = roles[0]["role"]


def _delete_from_first(group: str, field: str) -> Callable[[dict[str, Any]], None]:
    def mutate(data: dict[str, Any]) -> None:
        del data["questions"][_first_in(data, group)][field]

    return mutate


def _question_id(data: dict[str, Any], index: int) -> str:
    return str(data["questions"][index]["id"])


def _first_in(data: dict[str, Any], group: str) -> int:
    return next(i for i, q in enumerate(data["questions"]) if q["dimension"] == group)


# Each case: a mutation of the shipped bank, the id and the field the error must name.
MALFORMATIONS: dict[str, tuple[Callable[[dict[str, Any]], None], str, str]] = {
    "missing question text": (_delete(("questions", 0, "text")), "Q0", "text"),
    "unknown dimension": (_set(("questions", 0, "dimension"), "vibes"), "Q0", "dimension"),
    "duplicate question id": (_duplicate_question, "Q0", "id"),
    "zero weight": (_set(("dimensions", 0, "weight"), 0), "D0", "weight"),
    "negative weight": (_set(("dimensions", 1, "weight"), -1.5), "D1", "weight"),
    "weight not a number": (_set(("dimensions", 1, "weight"), "heavy"), "D1", "weight"),
    "threshold out of range": (
        _set(("thresholds", "stay_overall"), 140),
        "thresholds",
        "stay_overall",
    ),
    "coverage above one": (_set(("thresholds", "min_coverage"), 1.5), "thresholds", "min_coverage"),
    "critical above stay": (
        _set(("thresholds", "critical_dimension"), 95),
        "thresholds",
        "critical_dimension",
    ),
    "missing threshold": (_delete(("thresholds", "weakest_count")), "thresholds", "weakest_count"),
    "four levels": (_set(("questions", 0, "levels"), ["a", "b", "c", "d"]), "Q0", "levels"),
    "level without description": (
        _set(("questions", 0, "levels"), ["a", "b", "", "d", "e"]),
        "Q0",
        "levels",
    ),
    "unknown question field": (_set(("questions", 0, "weigth"), 2), "Q0", "weigth"),
    "reverse not boolean": (_set(("questions", 0, "reverse"), "yes"), "Q0", "reverse"),
    "bad question id": (_set(("questions", 0, "id"), "Bad Id!"), "question #1", "id"),
    "unknown relationship": (
        _set(("questions", 0, "by_relationship"), {"investor": "x"}),
        "Q0",
        "investor",
    ),
    "bad playbook link": (
        _set(("dimensions", 0, "playbook"), "https://example.org"),
        "D0",
        "playbook",
    ),
    "missing dimension title": (_delete(("dimensions", 2, "title")), "D2", "title"),
    "duplicate dimension": (_duplicate_dimension, "D0", "id"),
    "bad relationship colour": (_set(("relationships", 0, "colour"), "blue"), "R0", "colour"),
    "missing verdict": (_delete(("verdicts", 3)), "verdicts", "id"),
    "missing block": (_delete(("blocks", 0)), "blocks", "id"),
    "repair role missing": (_delete_from_first("repair_history", "role"), "RH", "role"),
    "repair role twice": (_second_role, "repair_history", "role"),
    "knock-out level missing": (
        _delete_from_first("deal_breakers", "knock_out_at"),
        "DB",
        "knock_out_at",
    ),
    "bad version": (_set(("version",), "v 1/2"), "bank", "version"),
}


@pytest.mark.parametrize("case", sorted(MALFORMATIONS))
def test_malformed_bank_names_file_id_and_field(case: str, bank_data: dict[str, Any]) -> None:
    """Each kind of malformation raises BankError naming the file, the item's id and the field."""
    mutate, where, field = MALFORMATIONS[case]
    symbolic = {"Q0": _question_id(bank_data, 0)}
    symbolic["RH"] = _question_id(bank_data, _first_in(bank_data, "repair_history"))
    symbolic["DB"] = _question_id(bank_data, _first_in(bank_data, "deal_breakers"))
    symbolic |= {f"D{n}": d["id"] for n, d in enumerate(bank_data["dimensions"][:3])}
    symbolic["R0"] = bank_data["relationships"][0]["id"]
    mutate(bank_data)
    with pytest.raises(BankError) as caught:
        parse_bank(bank_data, "ours/bank.toml")
    message = str(caught.value)
    assert message.startswith("ours/bank.toml: ")
    assert symbolic.get(where, where) in message
    assert f"'{field}'" in message


def test_invalid_toml_names_the_file(tmp_path: Path) -> None:
    """A file that is not TOML at all fails with the file's name and the parser's position."""
    broken = tmp_path / "bank.toml"
    broken.write_text('version = "1"\n[[questions]\nid = ', encoding="utf-8")
    with pytest.raises(BankError, match=r"bank\.toml: file: is not valid TOML \(.*line"):
        load_bank(broken)


def test_missing_file_is_a_bank_error(tmp_path: Path) -> None:
    """A bank path that does not exist gives a BankError, not an OSError traceback."""
    with pytest.raises(BankError, match="cannot be read"):
        load_bank(tmp_path / "nope.toml")


# Questions on the respondent's own side: the rest of the bank mostly judges the partner.
OWN_SIDE = {"mb_own_delivery": "mutual_benefit"}


@pytest.mark.content
def test_shipped_bank_asks_about_our_own_side(bank: Bank) -> None:
    """At least one question asks how well we deliver, in the dimension it measures."""
    for question_id, dimension in OWN_SIDE.items():
        question = bank.question(question_id)
        assert question.dimension == dimension
        assert "own" in question.idea.lower() and "own side" in question.text
        assert {side for side, _ in question.by_relationship} == {p.id for p in bank.relationships}


def test_relationships_are_the_banks_to_choose(bank_data: dict[str, Any]) -> None:
    """A bank may name its own relationships: two, or four, load as written, in their order."""
    bank_data["relationships"] = [
        {"id": "buyer", "label": "We buy"},
        {"id": "seller", "label": "We sell"},
    ]
    for question in bank_data["questions"]:
        question.pop("by_relationship", None)
    edited = parse_bank(bank_data, "two-sides.toml")
    assert [p.id for p in edited.relationships] == ["buyer", "seller"]


def test_a_bank_with_the_older_names_still_loads(bank: Bank, tmp_path: Path) -> None:
    """A bank adapted from an older copy ([[perspectives]], by_perspective) loads the same."""
    from assessment.bank import SHIPPED_BANK

    text = SHIPPED_BANK.read_text(encoding="utf-8")
    older = text.replace("[[relationships]]", "[[perspectives]]").replace(
        "[questions.by_relationship]", "[questions.by_perspective]"
    )
    assert "[[relationships]]" not in older and "by_relationship]" not in older
    path = tmp_path / "older.toml"
    path.write_text(older, encoding="utf-8")
    assert dataclasses.replace(load_bank(path), source=bank.source) == bank


@pytest.mark.parametrize(
    ("where", "older", "newer"),
    [(None, "perspectives", "relationships"), (0, "by_perspective", "by_relationship")],
)
def test_both_names_at_once_are_refused(
    bank_data: dict[str, Any], where: int | None, older: str, newer: str
) -> None:
    """The older and the newer name side by side: the bank names the older one."""
    table = bank_data if where is None else next(q for q in bank_data["questions"] if newer in q)
    table[older] = table[newer]
    with pytest.raises(BankError, match=f"field '{older}': is the older name of '{newer}'"):
        parse_bank(bank_data, "both.toml")


def test_a_bank_written_before_the_restructure_rule_still_loads(bank_data: Any) -> None:
    """A bank whose dimensions say no part (one published before, or a company's) needs neither
    the restructure verdict nor its threshold, and never suggests it; one that marks parts
    needs both."""
    old = load_bank(Path(__file__).parent / "data" / "bank-2026.2.toml")
    assert "restructure" not in {v.id for v in old.verdicts}
    assert not any(d.part for d in old.dimensions)
    unparted = {
        **bank_data,
        "dimensions": [
            {k: v for k, v in d.items() if k != "part"} for d in bank_data["dimensions"]
        ],
        "verdicts": [v for v in bank_data["verdicts"] if v["id"] != "restructure"],
        "thresholds": {
            k: v for k, v in bank_data["thresholds"].items() if k != "sound_relationship"
        },
    }
    assert "restructure" not in {v.id for v in parse_bank(unparted, "ours.toml").verdicts}
    if any("part" in d for d in bank_data["dimensions"]):
        missing = {**bank_data, "verdicts": unparted["verdicts"]}
        with pytest.raises(BankError, match="restructure rule reads them"):
            parse_bank(missing, "ours.toml")
