"""Answers <-> share code: compact, URL-safe, versioned, with a checksum.

A code also says the respondent's relationship to the partner (client, provider, peer or not
said), which organisation they are in when a health check's organiser asked (issue 29: the
organiser's own, or the partner's), on which day they answered, the bank edition it was made
with (editions.py) and a random nonce, so that two people with the same answers stay two
respondents. Codes never carry a name. A code made with any edition the bank's lock keeps
decodes: its answers go to today's questions by id.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import re
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from .bank import VERSION_SHAPE, Bank, load_bank
from .editions import Edition, Lock, edition_of, editions_for
from .errors import AnswerError, CodeError
from .scoring import Answers, validate_answers
from .text import excerpt

# Code layout: "<format>-<bank version>-<base64url body>".
# Format 3 (written today), the body byte by byte:
#   0       organisation in the top 2 bits (0 = not said, 1 = the organiser's own organisation,
#           2 = the partner's; 3 never) and relationship in the low 6 bits (0 = not said, else
#           its position in the edition's relationships, from 1)
#   1-2     the day the answers were given: 0 = not said, else days since DAY_ZERO (big-endian)
#   3-4     the edition's fingerprint (editions.edition_digest: its version, relationship ids
#           and question ids)
#   5-7     a random nonce (NONCE_BITS): two people with the same answers, relationship and day
#           are two respondents, while the same code read twice is one (Response.key)
#   8-      3 bits per question in the edition's order (0 = not answered, 1-5 = level, 6 = don't
#           know), zero bits to the byte's end
#   last 3  check bytes: SHA-256 over "3|<version>|" and every byte before them
# The check finds a damaged code; the fingerprint finds the code's edition among those the lock
# keeps, or tells that another site's questions share this version string.
# Format 2 (read only): byte 0 the relationship, bytes 1-2 the day, then the answers, then 3
# check bytes over the format, the version, the relationship ids, the question ids and every
# byte before. Format 1 (read only): the answers, then 3 check bytes over the format, the
# version and the question ids. Neither carries a fingerprint: a code of another site's edition
# with the same version fails the check like a damaged one.
FORMAT = "3"
FORMAT_2 = "2"
OLD_FORMAT = "1"
FORMATS = (OLD_FORMAT, FORMAT_2, FORMAT)
CHECK_BYTES = 3
NONCE_BITS = 24
# Which organisation a respondent is in, numbered from 1 in a code (0: not said).
ORGANISATIONS = ("organiser", "partner")
# A code has 6 bits for the relationship.
MAX_RELATIONSHIPS = 63
# A code of any length up to this reads; a longer one is refused before any work. Big banks
# raise the limit to their own codes' exact length (see code_length), up to MAX_ENCODED_LENGTH.
MAX_CODE_LENGTH = 400
# Longer than this, a link is no longer safe to paste into mail or chat: encode refuses.
MAX_ENCODED_LENGTH = 8000
DAY_ZERO = date(2000, 1, 1) - timedelta(days=1)
LAST_DAY = DAY_ZERO + timedelta(days=0xFFFF)
_HEAD_BYTES = 8
_FORMAT_2_HEAD_BYTES = 3
_NOT_ANSWERED = 0
_DONT_KNOW = 6
# A share code as written: format, bank version and body (the compare page's links embed it).
CODE_SHAPE = rf"(?P<format>[0-9]{{1,3}})-(?P<version>{VERSION_SHAPE})-(?P<body>[A-Za-z0-9_-]+)"
_CODE = re.compile(rf"^{CODE_SHAPE}$")
_DAMAGED = "The share code is damaged: it was cut short or changed."
_DAMAGED_OR_OTHER = (
    "The share code is damaged (cut short or changed), or made by another site's questions."
)


@dataclass(frozen=True)
class Response:
    """One person's response: answers (by question id), their relationship to the partner, the
    day answered, the bank version it was made with, their organisation and the code's nonce.

    `dropped` names the questions it answered that the reading bank no longer has (their
    answers are left out); `nonce` is None for old codes and files that carry none.
    """

    answers: Mapping[str, int | None] = field(hash=False)
    relationship: str | None
    given: date | None
    bank_version: str
    organisation: str | None = None
    nonce: int | None = None
    dropped: tuple[str, ...] = ()

    @property
    def identity(self) -> int:
        """The nonce that tells this reply from another with the same content: its own, or for
        a reply that carries none (old codes, files), one made from its content."""
        if self.nonce is not None:
            return self.nonce
        return derived_nonce(self.answers, self.relationship, self.given)

    def key(self) -> tuple[object, ...]:
        """What makes two responses the same response (the same code read twice)."""
        return (
            tuple(sorted(self.answers.items())),
            self.relationship,
            self.given,
            self.identity,
        )


def derived_nonce(
    answers: Mapping[str, int | None], relationship: str | None, given: date | None
) -> int:
    """A nonce made from a response's content: the same content always gives the same one."""
    content = [sorted(answers.items()), relationship, None if given is None else given.isoformat()]
    digest = hashlib.sha256(json.dumps(content).encode("utf-8")).digest()
    return int.from_bytes(digest[: NONCE_BITS // 8], "big")


def encode(
    answers: Answers,
    bank: Bank | None = None,
    *,
    relationship: str | None = None,
    given: date | None = None,
    dated: bool = True,
    organisation: str | None = None,
    nonce: int | None = None,
) -> str:
    """Encode answers, the relationship, the organisation and the day answered (today by
    default) as a share code with a nonce (random by default; pass one to repeat a code).

    With dated=False the code says no day (for answers whose day is not known, such as a
    plain answers file); `given` is then ignored.
    """
    bank = bank or load_bank()
    answers = validate_answers(answers, bank)
    relationship_number = relationship_index(relationship, bank)
    if relationship_number > MAX_RELATIONSHIPS:
        raise CodeError(f"A share code can say one of {MAX_RELATIONSHIPS} relationships at most.")
    organisation_number = organisation_index(organisation)
    nonce = secrets.randbits(NONCE_BITS) if nonce is None else check_nonce(nonce)
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
    edition = edition_of(bank)
    head = (
        bytes([organisation_number << 6 | relationship_number])
        + day.to_bytes(2, "big")
        + bytes.fromhex(edition.fingerprint)
        + nonce.to_bytes(NONCE_BITS // 8, "big")
        + _pack(states)
    )
    body = head + _check(FORMAT, edition, head)
    text = base64.urlsafe_b64encode(body).decode("ascii").rstrip("=")
    return f"{FORMAT}-{bank.version}-{text}"


def decode(code: str, bank: Bank | None = None) -> dict[str, int | None]:
    """Decode a share code into answers, or raise CodeError saying what is wrong."""
    return dict(decode_response(code, bank).answers)


def decode_response(code: str, bank: Bank | None = None, lock: Lock | None = None) -> Response:
    """Decode a share code of this bank or of any edition its lock keeps (`lock`, else the one
    beside the bank's file) into a response by question id, or raise CodeError."""
    bank = bank or load_bank()
    if not isinstance(code, str):
        raise CodeError("A share code must be text.")
    if not code.strip():
        raise CodeError("The share code is empty.")
    code = code.strip()
    editions = editions_for(bank, lock)
    if len(code) > MAX_CODE_LENGTH and len(code) > max(_edition_code_length(e) for e in editions):
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
            f"{', '.join(FORMATS[:-1])} and {FORMATS[-1]}."
        )
    named = [e for e in editions if e.version == version]
    if not named:
        earlier = len({e.version for e in editions}) - 1
        reads = f", and reads codes of {earlier} earlier versions" if earlier > 1 else ""
        reads = reads or (f", and reads codes of {editions[1].version}" if earlier else "")
        raise CodeError(
            f"This share code was made with version {version} of the questions, which this site "
            f"does not have (its questions are version {bank.version}{reads}): a newer edition, "
            "or another site's. Please answer again."
        )
    try:
        body = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError):
        raise CodeError(_DAMAGED) from None
    # Base64's last character may carry unused bits: only the canonical spelling is a code.
    if base64.urlsafe_b64encode(body).decode("ascii").rstrip("=") != text:
        raise CodeError(_DAMAGED)
    if code_format == FORMAT:
        return _read_format_3(body, version, named, bank)
    return _read_old_format(code_format, body, named, bank)


def _read_format_3(body: bytes, version: str, named: Sequence[Edition], bank: Bank) -> Response:
    head, check = body[:-CHECK_BYTES], body[-CHECK_BYTES:]
    if len(head) < _HEAD_BYTES or check != _check(FORMAT, version, head):
        raise CodeError(_DAMAGED)
    fingerprint = head[3:5].hex()
    packed = head[_HEAD_BYTES:]
    found = [
        e
        for e in named
        if e.fingerprint == fingerprint and len(packed) == _packed_length(len(e.questions))
    ]
    if not found:
        raise CodeError(
            f"This share code was made with a different set of questions that is also called "
            f"{version}: another site, or an adapted copy of this one. Its answers cannot be "
            "matched to these questions."
        )
    edition = found[0]
    organisation_number, relationship_number = head[0] >> 6, head[0] & MAX_RELATIONSHIPS
    if organisation_number > len(ORGANISATIONS):
        raise CodeError(_DAMAGED)
    organisation = ORGANISATIONS[organisation_number - 1] if organisation_number else None
    nonce = int.from_bytes(head[5:_HEAD_BYTES], "big")
    return _response(edition, bank, packed, relationship_number, head[1:3], organisation, nonce)


def _read_old_format(
    code_format: str, body: bytes, named: Sequence[Edition], bank: Bank
) -> Response:
    meta = _FORMAT_2_HEAD_BYTES if code_format == FORMAT_2 else 0
    head, check = body[:-CHECK_BYTES], body[-CHECK_BYTES:]
    for edition in named:
        if len(head) != meta + _packed_length(len(edition.questions)):
            continue
        if check != _check(code_format, edition, head):
            continue
        if not meta:
            return _response(edition, bank, head, 0, b"", None, None)
        return _response(edition, bank, head[meta:], head[0], head[1:3], None, None)
    raise CodeError(_DAMAGED_OR_OTHER)


def _response(
    edition: Edition,
    bank: Bank,
    packed: bytes,
    relationship_number: int,
    day_bytes: bytes,
    organisation: str | None,
    nonce: int | None,
) -> Response:
    """The response a code's parts hold, its answers given to the bank's questions by id."""
    if relationship_number > len(edition.relationships):
        raise CodeError(_DAMAGED)
    relationship = edition.relationships[relationship_number - 1] if relationship_number else None
    if relationship not in {r.id for r in bank.relationships}:
        relationship = None  # a relationship the bank no longer has: not said
    given: date | None = None
    day = int.from_bytes(day_bytes, "big")
    if day:
        given = DAY_ZERO + timedelta(days=day)
        try:
            check_date(given)
        except AnswerError as error:
            raise CodeError(f"The share code is dated wrongly: {error}") from None
    states = _unpack(packed, len(edition.questions))
    if states is None:
        raise CodeError(_DAMAGED)
    known = set(bank.question_ids)
    answers: dict[str, int | None] = {}
    dropped: list[str] = []
    for question_id, state in zip(edition.questions, states, strict=True):
        if state == _NOT_ANSWERED:
            continue
        if question_id not in known:
            dropped.append(question_id)
        else:
            answers[question_id] = None if state == _DONT_KNOW else state
    return Response(
        answers=answers,
        relationship=relationship,
        given=given,
        bank_version=edition.version,
        organisation=organisation,
        nonce=nonce,
        dropped=tuple(dropped),
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


def organisation_index(organisation: str | None) -> int:
    """An organisation's number in a code: 0 for not said, else its place in ORGANISATIONS."""
    if organisation is None:
        return 0
    if not isinstance(organisation, str) or organisation not in ORGANISATIONS:
        shown = organisation if isinstance(organisation, str) else type(organisation).__name__
        raise AnswerError(
            f"the organisation {excerpt(repr(shown))} is not one of "
            f"{', '.join(ORGANISATIONS)} (or none)."
        )
    return ORGANISATIONS.index(organisation) + 1


def check_nonce(nonce: object) -> int:
    """A nonce a code can carry (a whole number of NONCE_BITS bits), or AnswerError."""
    if isinstance(nonce, bool) or not isinstance(nonce, int) or not 0 <= nonce < 1 << NONCE_BITS:
        raise AnswerError(
            f"the nonce {excerpt(repr(nonce))} is not a whole number from 0 to "
            f"{(1 << NONCE_BITS) - 1}."
        )
    return nonce


def code_length(bank: Bank) -> int:
    """The length of every share code this bank writes (format 3)."""
    return _edition_code_length(edition_of(bank))


def _edition_code_length(edition: Edition) -> int:
    body = _HEAD_BYTES + _packed_length(len(edition.questions)) + CHECK_BYTES
    return len(FORMAT) + len(edition.version) + 2 + (4 * body + 2) // 3


def _packed_length(count: int) -> int:
    return (3 * count + 7) // 8


def _check(code_format: str, edition: Edition | Bank | str, head: bytes) -> bytes:
    """The check bytes of a code: format 3 covers its version (`edition` may be just that);
    formats 1 and 2 also cover their edition's ids."""
    if isinstance(edition, Bank):
        edition = edition_of(edition)
    if isinstance(edition, str):
        parts: tuple[str, ...] = (code_format, edition)
    elif code_format == FORMAT:
        parts = (code_format, edition.version)
    elif code_format == OLD_FORMAT:
        parts = (code_format, edition.version, *edition.questions)
    else:
        parts = (code_format, edition.version, *edition.relationships, "#", *edition.questions)
    header = "|".join(parts).encode("utf-8")
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
