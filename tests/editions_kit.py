"""What the edition tests share: codes as the older formats wrote them, and a bank's next
edition (its version raised, one question removed and one added), made from any bank."""

from __future__ import annotations

import base64
import copy
import re
from collections.abc import Mapping
from datetime import date
from typing import Any

from assessment import Bank, codec
from assessment.bank import BLOCK_IDS, Question
from assessment.codec import DAY_ZERO


def _states(answers: Mapping[str, int | None], question_ids: tuple[str, ...]) -> list[int]:
    return [
        0 if q not in answers else 6 if answers[q] is None else int(answers[q] or 0)
        for q in question_ids
    ]


def _written(code_format: str, bank: Bank, head: bytes) -> str:
    body = head + codec._check(code_format, bank, head)
    return f"{code_format}-{bank.version}-" + base64.urlsafe_b64encode(body).decode().rstrip("=")


def format_1_code(answers: Mapping[str, int | None], bank: Bank) -> str:
    """The code format 1 wrote: the answers only."""
    return _written("1", bank, codec._pack(_states(answers, bank.question_ids)))


def format_2_code(
    answers: Mapping[str, int | None],
    bank: Bank,
    relationship: str | None = None,
    day: date | None = None,
) -> str:
    """The code format 2 wrote: the relationship, the day (or none), the answers."""
    number = 0 if relationship is None else [r.id for r in bank.relationships].index(relationship)
    days = 0 if day is None else (day - DAY_ZERO).days
    head = bytes([number + (relationship is not None)]) + days.to_bytes(2, "big")
    return _written("2", bank, head + codec._pack(_states(answers, bank.question_ids)))


def removable_question(bank: Bank) -> Question:
    """A question the bank stays valid without: one of a scored dimension that has others."""
    for question in bank.questions:
        if question.dimension not in BLOCK_IDS and len(bank.questions_in(question.dimension)) > 1:
            return question
    raise AssertionError("no scored dimension of this bank has two questions")


def added_id(bank: Bank, like: Question) -> str:
    """A new question id, with the prefix of `like`'s id, that the bank has never used."""
    return f"{like.id.split('_')[0]}_added_next_edition"


def next_version(bank: Bank) -> str:
    """The bank's version raised."""
    return f"{bank.version}.1"[-20:]


def next_edition_data(data: dict[str, Any], bank: Bank) -> tuple[dict[str, Any], str, str]:
    """The bank's raw data as its next edition: the version raised, a question removed, a new
    one added at the end. Returns the data, the removed id and the added id."""
    removed = removable_question(bank)
    new_id = added_id(bank, removed)
    changed = copy.deepcopy(data)
    changed["version"] = next_version(bank)
    questions = changed["questions"]
    template = next(q for q in questions if q["id"] == removed.id)
    questions.remove(template)
    questions.append(
        {**copy.deepcopy(template), "id": new_id, "text": "Added: " + template["text"]}
    )
    return changed, removed.id, new_id


def next_edition_text(text: str, bank: Bank) -> tuple[str, str, str]:
    """bank.toml's text as its next edition (as next_edition_data), edited as a person would."""
    removed = removable_question(bank)
    new_id = added_id(bank, removed)
    text, count = re.subn(
        r'^version = "[^"]*"', f'version = "{next_version(bank)}"', text, count=1, flags=re.M
    )
    assert count == 1, "the bank's version line was not found"
    lines = text.splitlines(keepends=True)
    start = next(
        i
        for i, line in enumerate(lines)
        if line.strip() == "[[questions]]" and lines[i + 1].strip() == f'id = "{removed.id}"'
    )
    end = next(
        (
            i
            for i in range(start + 1, len(lines))
            if lines[i].startswith("[") and not lines[i].startswith("[questions.")
        ),
        len(lines),
    )
    block = "".join(lines[start:end]).rstrip("\n") + "\n"
    added = block.replace(f'id = "{removed.id}"', f'id = "{new_id}"', 1)
    added = re.sub(r'^text = "', 'text = "Added: ', added, count=1, flags=re.M)
    kept = "".join(lines[:start] + lines[end:]).rstrip("\n") + "\n"
    return f"{kept}\n{added}", removed.id, new_id
