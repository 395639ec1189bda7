"""The JSON export: its format tag, its writer and its one reader (bytes or text to a response).

The site and the command line write the same document and read it back through the same
functions, so a file saved by one is read the same way by the other. An export carries the
answers, the respondent's relationship to the partner, their organisation, the day answered and
its share code's nonce; never a name. An export of any bank version reads by question id:
answers to questions this bank no longer has are left out, and the response says which.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import date
from typing import Any

from .bank import VERSION_SHAPE, Bank, load_bank
from .codec import Response, check_date, check_nonce, organisation_index, relationship_index
from .datafile import ID
from .errors import AnswerError, AssessmentError
from .scoring import Answers, Result, validate_answers
from .text import excerpt

# The tag of the JSON document the site and the command line export.
EXPORT_FORMAT = "partnership-assessment"
# An export nests four levels deep; a little room for hand-made files, and no more.
MAX_JSON_DEPTH = 16
# The most digits a whole number in a file read here may have: far more than any answer, count
# or version needs, and far fewer than the 4,300 Python refuses to read, in its own words.
MAX_NUMBER_DIGITS = 30
# The browser caps imports at this size too: an answers file is a few kilobytes.
MAX_EXPORT_BYTES = 1_000_000
# The key of the respondent's relationship, and the one exports written before used.
RELATIONSHIP_KEY = "relationship"
OLD_RELATIONSHIP_KEY = "side"
# Keys that exports written before them do not have: a missing one reads as null.
ORGANISATION_KEY = "organisation"
NONCE_KEY = "nonce"
_VERSION = re.compile(rf"^{VERSION_SHAPE}$")


def export_document(
    result: Result,
    answers: Answers,
    share_code: str,
    *,
    relationship: str | None = None,
    given: date | None = None,
    organisation: str | None = None,
    nonce: int | None = None,
) -> dict[str, object]:
    """The JSON export: answers, relationship, organisation, day, the share code and its nonce,
    the result; tagged with the bank's version."""
    return {
        "format": EXPORT_FORMAT,
        "bank_version": result.bank_version,
        RELATIONSHIP_KEY: relationship,
        ORGANISATION_KEY: organisation,
        "date": None if given is None else given.isoformat(),
        NONCE_KEY: nonce,
        "answers": dict(answers),
        "share_code": share_code,
        "result": result.to_dict(),
    }


def about_file(name: str, error: AssessmentError) -> str:
    """A reader's problem with the file `name` as one sentence: "x.json is not valid JSON."."""
    problem = str(error)
    shown = excerpt(name)
    return f"{shown} {problem}" if problem.startswith("is ") else f"{shown}: {problem}"


def read_json_bytes(data: bytes) -> str:
    """The text of a JSON file's bytes: UTF-8, with or without a byte-order mark; else refused."""
    # One rule for the command line and the page (which passes the file's bytes): UTF-8 only.
    # UTF-16 and UTF-32 are refused with the same words everywhere, not guessed at.
    if not isinstance(data, bytes | bytearray):
        raise AnswerError("is not a file's content (expected bytes).")
    if len(data) > MAX_EXPORT_BYTES:
        raise AnswerError(
            f"is {len(data):,} bytes, larger than the {MAX_EXPORT_BYTES:,} an answers file can be."
        )
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in data[:4]:
        raise AnswerError("is UTF-16 or UTF-32 text; save it as UTF-8 and try again.")
    try:
        text = bytes(data).decode("utf-8")
    except UnicodeDecodeError:
        raise AnswerError("is not valid JSON (not UTF-8 text).") from None
    return text.removeprefix("\ufeff")


def response_from_bytes(data: bytes, bank: Bank | None = None) -> Response:
    """A response from a JSON file's bytes (see read_json_bytes and response_from_json)."""
    return response_from_json(read_json_bytes(data), bank)


def response_from_json(text: str, bank: Bank | None = None) -> Response:
    """A response from JSON text: {question id: level or null}, or a document the site exported."""
    bank = bank or load_bank()
    if not isinstance(text, str):
        raise AnswerError("is not text (expected the JSON file's content).")
    text = text.removeprefix("\ufeff")
    if _nesting_depth(text) > MAX_JSON_DEPTH:
        raise AnswerError("is not valid JSON for answers (nested far too deeply).")
    try:
        data = json.loads(text, object_pairs_hook=_no_duplicate_keys, parse_int=whole_number)
    except _DuplicateKeyError as error:
        raise AnswerError(f"is not valid JSON for answers ({error}).") from None
    except NumberTooLongError as error:
        raise AnswerError(f"cannot be read as answers: {error}.") from None
    except (ValueError, RecursionError) as error:
        raise AnswerError(f"is not valid JSON ({excerpt(str(error))}).") from None
    if isinstance(data, dict) and data.get("format") == EXPORT_FORMAT:
        return _exported_response(data, bank)
    if not isinstance(data, dict):
        raise AnswerError("expected a JSON object of question ids to levels (1-5 or null).")
    answers = validate_answers(data, bank)
    return Response(answers=answers, relationship=None, given=None, bank_version=bank.version)


def _exported_response(document: dict[str, Any], bank: Bank) -> Response:
    """The response of a document the site or the command line exported, of any bank version."""
    version = document.get("bank_version")
    if not isinstance(version, str) or not _VERSION.match(version):
        raise AnswerError(
            f"field 'bank_version': {excerpt(repr(version))} is not a question bank version."
        )
    same = version == bank.version
    relationship = _relationship(document, bank, same_version=same)
    organisation = _checked(document, ORGANISATION_KEY, organisation_index)
    nonce = _checked(document, NONCE_KEY, check_nonce)
    given = _date(document.get("date"))
    answers = document.get("answers")
    if not isinstance(answers, dict):
        raise AnswerError("field 'answers': expected an object of question ids to levels.")
    dropped: list[str] = []
    if not same:
        # Made with another edition: its answers go to this bank's questions by id, and those
        # to questions this bank no longer has are left out (and said).
        known = set(bank.question_ids)
        dropped = [k for k in answers if k not in known and isinstance(k, str) and ID.match(k)]
        answers = {k: v for k, v in answers.items() if k not in dropped}
    return Response(
        answers=validate_answers(answers, bank),
        relationship=relationship,
        given=given,
        bank_version=version,
        organisation=organisation,
        nonce=nonce,
        dropped=tuple(dropped),
    )


def _checked(document: dict[str, Any], key: str, check: Callable[[Any], object]) -> Any:
    """A field exports written before it may lack (None), else a value `check` accepts."""
    value = document.get(key)
    if value is None:
        return None
    try:
        check(value)
    except AnswerError as error:
        raise AnswerError(f"field '{key}': {error}") from None
    return value


def answers_from_json(text: str, bank: Bank | None = None) -> dict[str, int | None]:
    """Answers from JSON text: {question id: level or null}, or a document the site exported."""
    return dict(response_from_json(text, bank).answers)


def _relationship(document: dict[str, Any], bank: Bank, *, same_version: bool) -> str | None:
    # An export written before the relationship had its name says it under "side".
    key = RELATIONSHIP_KEY if RELATIONSHIP_KEY in document else OLD_RELATIONSHIP_KEY
    if key == RELATIONSHIP_KEY and OLD_RELATIONSHIP_KEY in document:
        raise AnswerError(
            f"field '{OLD_RELATIONSHIP_KEY}': is the older name of '{RELATIONSHIP_KEY}'; "
            "keep one of the two."
        )
    value = document.get(key)
    ids = {r.id for r in bank.relationships}
    if not same_version and isinstance(value, str) and ID.match(value) and value not in ids:
        return None  # a relationship of an earlier edition this bank no longer has: not said
    try:
        relationship_index(value, bank)  # refuses anything but a relationship's id or None
    except AnswerError as error:
        raise AnswerError(f"field '{key}': {error}") from None
    return value if isinstance(value, str) else None


def _date(value: object) -> date | None:
    if value is None:
        return None
    if not isinstance(value, str) or len(value) != 10:
        raise AnswerError(
            f"field 'date': {excerpt(repr(value))} is not a date like 2026-03-31 (or null)."
        )
    try:
        given = date.fromisoformat(value)
    except ValueError:
        raise AnswerError(
            f"field 'date': {excerpt(repr(value))} is not a date like 2026-03-31 (or null)."
        ) from None
    try:
        check_date(given)
    except AnswerError as error:
        raise AnswerError(f"field 'date': {error}") from None
    return given


class NumberTooLongError(ValueError):
    """A JSON file holds a whole number of more than MAX_NUMBER_DIGITS digits."""


def whole_number(digits: str) -> int:
    """A JSON whole number, refused in plain words when it is longer than any file needs."""
    if len(digits.lstrip("-")) > MAX_NUMBER_DIGITS:
        raise NumberTooLongError(
            f"it holds a number of {len(digits.lstrip('-')):,} digits, far too long for this file"
        )
    return int(digits)


class _DuplicateKeyError(ValueError):
    """A JSON object names the same key twice (which json.loads would silently let win)."""


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for key, value in pairs:
        if key in found:
            raise _DuplicateKeyError(f"the key {excerpt(repr(key))} appears twice")
        found[key] = value
    return found


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
