"""Answers <-> share code: compact, URL-safe, versioned, with a checksum."""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import re

from .bank import LEVELS, Bank, load_bank
from .errors import AnswerError, CodeError
from .scoring import Answers, validate_answers

# Code layout: "<format>-<bank version>-<base64url body>".
# The body packs 3 bits per question in bank order (0 = not answered, 1-5 = level,
# 6 = don't know), then 3 check bytes over the format, the bank version, the bank's
# question ids and the packed answers. A code from a bank with other questions fails the check.
FORMAT = "1"
CHECK_BYTES = 3
MAX_CODE_LENGTH = 400
_NOT_ANSWERED = 0
_DONT_KNOW = 6
_CODE = re.compile(r"^([0-9]{1,3})-([A-Za-z0-9.]{1,20})-([A-Za-z0-9_-]+)$")


def encode(answers: Answers, bank: Bank | None = None) -> str:
    """Encode answers as a share code for this bank."""
    bank = bank or load_bank()
    answers = validate_answers(answers, bank)
    states = []
    for question_id in bank.question_ids:
        if question_id not in answers:
            states.append(_NOT_ANSWERED)
        else:
            level = answers[question_id]
            states.append(_DONT_KNOW if level is None else level)
    packed = _pack(states)
    body = packed + _check(bank, packed)
    text = base64.urlsafe_b64encode(body).decode("ascii").rstrip("=")
    return f"{FORMAT}-{bank.version}-{text}"


def decode(code: str, bank: Bank | None = None) -> dict[str, int | None]:
    """Decode a share code into answers, or raise CodeError saying what is wrong."""
    bank = bank or load_bank()
    if not isinstance(code, str):
        raise CodeError("A share code must be text.")
    if not code.strip():
        raise CodeError("The share code is empty.")
    code = code.strip()
    if len(code) > MAX_CODE_LENGTH:
        raise CodeError("The share code is far too long to be one of this site's codes.")
    match = _CODE.match(code)
    if match is None:
        raise CodeError(
            "This is not a share code from this site "
            f"(a code looks like {FORMAT}-{bank.version}-…, letters, digits, - and _ only)."
        )
    code_format, version, text = match.groups()
    if code_format != FORMAT:
        raise CodeError(
            f"This share code uses format {code_format}; this site reads format {FORMAT}."
        )
    if version != bank.version:
        raise CodeError(
            f"This share code was made with version {version} of the questions; this site uses "
            f"version {bank.version}, so the answers cannot be matched. Please answer again."
        )
    try:
        body = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError):
        raise CodeError("The share code is damaged: it was cut short or changed.") from None
    # Base64's last character may carry unused bits: only the canonical spelling is a code.
    if base64.urlsafe_b64encode(body).decode("ascii").rstrip("=") != text:
        raise CodeError("The share code is damaged: it was cut short or changed.")
    packed_length = (3 * len(bank.question_ids) + 7) // 8
    packed, check = body[:packed_length], body[packed_length:]
    if len(body) != packed_length + CHECK_BYTES or check != _check(bank, packed):
        raise CodeError("The share code is damaged: it was cut short or changed.")
    states = _unpack(packed, len(bank.question_ids))
    if states is None:
        raise CodeError("The share code is damaged: it was cut short or changed.")
    answers: dict[str, int | None] = {}
    for question_id, state in zip(bank.question_ids, states, strict=True):
        if state == _DONT_KNOW:
            answers[question_id] = None
        elif state in LEVELS:
            answers[question_id] = state
    return answers


# The tag of the JSON document the site and the command line export (report.export_document).
EXPORT_FORMAT = "partnership-assessment"
# An export nests four levels deep; a little room for hand-made files, and no more.
MAX_JSON_DEPTH = 16


def answers_from_json(text: str, bank: Bank | None = None) -> dict[str, int | None]:
    """Answers from JSON text: {question id: level or null}, or a document the site exported."""
    bank = bank or load_bank()
    if _nesting_depth(text) > MAX_JSON_DEPTH:
        raise AnswerError("is not valid JSON for answers (nested far too deeply).")
    try:
        data = json.loads(text)
    except (ValueError, RecursionError) as error:
        raise AnswerError(f"is not valid JSON ({_short(str(error))}).") from None
    if isinstance(data, dict) and data.get("format") == EXPORT_FORMAT:
        version = data.get("bank_version")
        if version != bank.version:
            raise AnswerError(
                f"was saved with question bank version {_short(repr(version))}; "
                f"this bank is version {bank.version}."
            )
        data = data.get("answers")
    if not isinstance(data, dict):
        raise AnswerError("expected a JSON object of question ids to levels (1-5 or null).")
    return validate_answers(data, bank)


def _nesting_depth(text: str) -> int:
    """How deeply arrays and objects nest in JSON text (strings are skipped)."""
    # json.loads recurses once per level: in Pyodide a very deep document overflows the
    # WebAssembly stack before Python's recursion limit can stop it, so refuse it first.
    depth = deepest = 0
    in_string = escaped = False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif char in "]}":
            depth -= 1
    return deepest


def _short(text: str, limit: int = 60) -> str:
    # Echo only a little of what a file said: enough to recognise it, never a flood.
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _check(bank: Bank, packed: bytes) -> bytes:
    header = "|".join((FORMAT, bank.version, *bank.question_ids)).encode("utf-8")
    return hashlib.sha256(header + b"|" + packed).digest()[:CHECK_BYTES]


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
