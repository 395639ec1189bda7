"""Answers <-> share code: compact, URL-safe, versioned, with a checksum.

A code also says the respondent's relationship to the partner (client, provider, peer or not
said) and on which day they answered. Codes never carry a name.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta

from .bank import LEVELS, VERSION_SHAPE, Bank, load_bank
from .errors import AnswerError, CodeError
from .scoring import Answers, validate_answers
from .text import excerpt

# Code layout: "<format>-<bank version>-<base64url body>".
# Format 2 (written today): the body is one byte for the relationship (0 = not said, else its
# position in the bank's relationships, from 1), two bytes for the day the answers were given
# (0 = not said, else days since DAY_ZERO), then 3 bits per question in bank order
# (0 = not answered, 1-5 = level, 6 = don't know), then 3 check bytes over the format, the bank
# version, its relationship ids, its question ids and everything before the check. A code from
# a bank with other questions or other relationships fails the check.
# Format 1 (read only): no relationship and no day; the check covers the format, version and
# question ids.
FORMAT = "2"
OLD_FORMAT = "1"
FORMATS = (OLD_FORMAT, FORMAT)
CHECK_BYTES = 3
# A code of any length up to this reads; a longer one is refused before any work. Big banks
# raise the limit to their own codes' exact length (see code_length), up to MAX_ENCODED_LENGTH.
MAX_CODE_LENGTH = 400
# Longer than this, a link is no longer safe to paste into mail or chat: encode refuses.
MAX_ENCODED_LENGTH = 8000
DAY_ZERO = date(2000, 1, 1) - timedelta(days=1)
LAST_DAY = DAY_ZERO + timedelta(days=0xFFFF)
_META_BYTES = 3
_NOT_ANSWERED = 0
_DONT_KNOW = 6
# A share code as written: format, bank version and body (the compare page's links embed it).
CODE_SHAPE = rf"(?P<format>[0-9]{{1,3}})-(?P<version>{VERSION_SHAPE})-(?P<body>[A-Za-z0-9_-]+)"
_CODE = re.compile(rf"^{CODE_SHAPE}$")
_DAMAGED = "The share code is damaged: it was cut short or changed."


@dataclass(frozen=True)
class Response:
    """One person's response: answers, their relationship to the partner, the day answered."""

    answers: Mapping[str, int | None] = field(hash=False)
    relationship: str | None
    given: date | None
    bank_version: str

    def key(self) -> tuple[object, ...]:
        """What makes two responses the same response (the same code read twice)."""
        return (
            tuple(sorted(self.answers.items())),
            self.relationship,
            self.given,
            self.bank_version,
        )


def encode(
    answers: Answers,
    bank: Bank | None = None,
    *,
    relationship: str | None = None,
    given: date | None = None,
    dated: bool = True,
) -> str:
    """Encode answers, the relationship and the day answered (today by default) as a share code.

    With dated=False the code says no day (for answers whose day is not known, such as a
    plain answers file); `given` is then ignored.
    """
    bank = bank or load_bank()
    answers = validate_answers(answers, bank)
    relationship_number = relationship_index(relationship, bank)
    given = date.today() if given is None else given
    check_date(given)
    length = code_length(bank)
    if length > MAX_ENCODED_LENGTH:
        raise CodeError(
            f"This bank has {len(bank.questions)} questions: its share code would be {length} "
            f"characters, more than the {MAX_ENCODED_LENGTH} a link can safely carry. "
            "Use the JSON export instead."
        )
    states = []
    for question_id in bank.question_ids:
        if question_id not in answers:
            states.append(_NOT_ANSWERED)
        else:
            level = answers[question_id]
            states.append(_DONT_KNOW if level is None else level)
    day = (given - DAY_ZERO).days if dated else 0
    head = bytes([relationship_number]) + day.to_bytes(2, "big") + _pack(states)
    body = head + _check(FORMAT, bank, head)
    text = base64.urlsafe_b64encode(body).decode("ascii").rstrip("=")
    return f"{FORMAT}-{bank.version}-{text}"


def decode(code: str, bank: Bank | None = None) -> dict[str, int | None]:
    """Decode a share code into answers, or raise CodeError saying what is wrong."""
    return dict(decode_response(code, bank).answers)


def decode_response(code: str, bank: Bank | None = None) -> Response:
    """Decode a share code into a response (answers, relationship, day), or raise CodeError."""
    bank = bank or load_bank()
    if not isinstance(code, str):
        raise CodeError("A share code must be text.")
    if not code.strip():
        raise CodeError("The share code is empty.")
    code = code.strip()
    if len(code) > max(MAX_CODE_LENGTH, code_length(bank)):
        raise CodeError("The share code is far too long to be one of this site's codes.")
    match = _CODE.match(code)
    if match is None:
        raise CodeError(
            "This is not a share code from this site "
            f"(a code looks like {FORMAT}-{bank.version}-…, letters, digits, - and _ only)."
        )
    code_format, version, text = match.group("format", "version", "body")
    if code_format not in FORMATS:
        raise CodeError(
            f"This share code uses format {code_format}; this site reads formats "
            f"{' and '.join(FORMATS)}."
        )
    if version != bank.version:
        raise CodeError(
            f"This share code was made with version {version} of the questions; this site uses "
            f"version {bank.version}, so the answers cannot be matched. Please answer again."
        )
    try:
        body = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError):
        raise CodeError(_DAMAGED) from None
    # Base64's last character may carry unused bits: only the canonical spelling is a code.
    if base64.urlsafe_b64encode(body).decode("ascii").rstrip("=") != text:
        raise CodeError(_DAMAGED)
    meta_length = _META_BYTES if code_format == FORMAT else 0
    packed_length = _packed_length(bank)
    head, check = body[:-CHECK_BYTES], body[-CHECK_BYTES:]
    if len(body) != meta_length + packed_length + CHECK_BYTES:
        raise CodeError(_DAMAGED)
    if check != _check(code_format, bank, head):
        raise CodeError(_DAMAGED)
    relationship: str | None = None
    given: date | None = None
    if meta_length:
        if head[0] > len(bank.relationships):
            raise CodeError(_DAMAGED)
        relationship = bank.relationships[head[0] - 1].id if head[0] else None
        day = int.from_bytes(head[1:3], "big")
        if day:
            given = DAY_ZERO + timedelta(days=day)
            try:
                check_date(given)
            except AnswerError as error:
                raise CodeError(f"The share code is dated wrongly: {error}") from None
    states = _unpack(head[meta_length:], len(bank.question_ids))
    if states is None:
        raise CodeError(_DAMAGED)
    answers: dict[str, int | None] = {}
    for question_id, state in zip(bank.question_ids, states, strict=True):
        if state == _DONT_KNOW:
            answers[question_id] = None
        elif state in LEVELS:
            answers[question_id] = state
    return Response(
        answers=answers, relationship=relationship, given=given, bank_version=bank.version
    )


def relationship_index(relationship: str | None, bank: Bank) -> int:
    """A relationship's number in a code: 0 for not said, else its position in the bank."""
    if relationship is None:
        return 0
    ids = [r.id for r in bank.relationships]
    if not isinstance(relationship, str) or relationship not in ids:
        shown = relationship if isinstance(relationship, str) else type(relationship).__name__
        # People read "side" here: the page and the command line ask which side they are on.
        raise AnswerError(
            f"the side {excerpt(repr(shown))} is not one of {', '.join(ids)} (or none)."
        )
    return ids.index(relationship) + 1


def check_date(given: date, today: date | None = None) -> None:
    """Refuse a day a code cannot carry, or one after tomorrow (a clock or an edit gone wrong)."""
    # Tomorrow is allowed: the person answering may be a time zone ahead of the one reading.
    latest = min((today or date.today()) + timedelta(days=1), LAST_DAY)
    if not DAY_ZERO < given <= latest:
        raise AnswerError(
            f"the date {given.isoformat()} is not possible (from {(DAY_ZERO + timedelta(1))} "
            f"to {latest.isoformat()})."
        )


def code_length(bank: Bank) -> int:
    """The length of every format-2 share code for this bank."""
    body = _META_BYTES + _packed_length(bank) + CHECK_BYTES
    return len(FORMAT) + len(bank.version) + 2 + (4 * body + 2) // 3


def _packed_length(bank: Bank) -> int:
    return (3 * len(bank.question_ids) + 7) // 8


def _check(code_format: str, bank: Bank, head: bytes) -> bytes:
    ids: tuple[str, ...] = bank.question_ids
    if code_format != OLD_FORMAT:
        ids = (*(r.id for r in bank.relationships), "#", *ids)
    header = "|".join((code_format, bank.version, *ids)).encode("utf-8")
    return hashlib.sha256(header + b"|" + head).digest()[:CHECK_BYTES]


def _pack(states: list[int]) -> bytes:
    number = 0
    for state in states:
        number = (number << 3) | state
    bits = 3 * len(states)
    padding = -bits % 8
    return (number << padding).to_bytes((bits + padding) // 8, "big")


def _unpack(packed: bytes, count: int) -> list[int] | None:
    """The states packed in the bytes, or None if they hold an impossible value."""
    bits = 3 * count
    padding = len(packed) * 8 - bits
    number = int.from_bytes(packed, "big")
    if number & ((1 << padding) - 1):
        return None
    number >>= padding
    states = [(number >> (3 * (count - 1 - i))) & 0b111 for i in range(count)]
    if any(state > _DONT_KNOW for state in states):
        return None
    return states
