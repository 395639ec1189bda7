"""Share codes: compact, URL-safe, versioned; anything else is refused with one clear error."""

from __future__ import annotations

import json
import re
import string
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assessment import Bank, CodeError, Response, decode, decode_response, encode, load_bank
from assessment.bank import parse_bank
from assessment.codec import MAX_ENCODED_LENGTH, code_length
from tests.strategies import BANK, FIRST_SIDE, LAST_SIDE, SECOND_SIDE, SIDES, answers

RELATIONSHIPS = st.sampled_from([None, *(p.id for p in BANK.relationships)])
DAYS = st.dates(min_value=date(2000, 1, 1), max_value=date.today())
# Codes written by format 1 (before codes carried a side and a day), kept as they were made.
OLD_CODES = {
    "1-2026.1-eDbbbbbbbbbbbbbbbYASot8": "all 3, the second don't know, the third unanswered",
    "1-2026.1-AAAAAAAAAAAAAAAAAAAmefg": "nothing answered",
}

URL_SAFE = re.compile(r"^[A-Za-z0-9._~-]+$")


def again(response: Response) -> str:
    """The code encode writes for a decoded response."""
    return encode(
        response.answers,
        relationship=response.relationship,
        given=response.given,
        dated=response.given is not None,
    )


@given(answers, RELATIONSHIPS, DAYS)
def test_decode_inverts_encode(
    given_answers: dict[str, int | None], side: str | None, day: date
) -> None:
    """decode_response(encode(a, side, day)) gives back a, the side and the day."""
    code = encode(given_answers, relationship=side, given=day)
    response = decode_response(code)
    assert response == Response(given_answers, side, day, BANK.version)
    assert decode(code) == given_answers  # decode keeps returning the answers alone


def test_a_code_can_say_no_day(bank: Bank) -> None:
    """A response whose day is not known (a plain answers file) keeps it unknown in its code."""
    code = encode({bank.question_ids[0]: 2}, relationship=LAST_SIDE, dated=False)
    expected = Response({bank.question_ids[0]: 2}, LAST_SIDE, None, bank.version)
    assert decode_response(code) == expected


def test_the_day_defaults_to_today(bank: Bank) -> None:
    """Without a day, a code is dated the day it is made."""
    assert decode_response(encode({}, relationship=SECOND_SIDE)).given == date.today()
    assert decode_response(encode({})).relationship is None


@given(answers, RELATIONSHIPS, DAYS)
def test_codes_are_short_and_url_safe(
    given_answers: dict[str, int | None], side: str | None, day: date
) -> None:
    """A code fits in a URL fragment without escaping, in under 48 characters."""
    code = encode(given_answers, relationship=side, given=day)
    assert URL_SAFE.match(code)
    assert len(code) < 48
    assert len(code) == code_length(BANK)
    assert code.startswith(f"2-{BANK.version}-")


# The bank the old codes were made with, version 2026.1, as it was published: a fixture of its
# own, so that what today's bank (or a company's) holds changes nothing here.
BANK_2026_1 = Path(__file__).parent / "data" / "bank-2026.1.toml"


@pytest.mark.parametrize("code", sorted(OLD_CODES))
def test_old_codes_keep_decoding(code: str, bank: Bank) -> None:
    """A format-1 code reads as before with its own bank version; a newer bank refuses it."""
    old_bank = load_bank(BANK_2026_1)
    response = decode_response(code, old_bank)
    assert response.relationship is None and response.given is None
    if "nothing" in OLD_CODES[code]:
        assert response.answers == {}
    else:
        first, second, third, *rest = old_bank.question_ids
        assert response.answers == {first: 3, second: None, **{q: 3 for q in rest}}
        assert third not in response.answers
    damaged = code[:-1] + ("A" if code[-1] != "A" else "B")
    with pytest.raises(CodeError, match="damaged"):
        decode(damaged, old_bank)
    if bank.version != old_bank.version:
        with pytest.raises(CodeError, match=r"made with version 2026\.1 of the questions"):
            decode(code, bank)


@pytest.mark.parametrize(
    ("side", "day", "message"),
    [
        ("customer", date(2026, 1, 1), f"not one of {', '.join(SIDES)}"),
        ("", date(2026, 1, 1), "not one of"),
        (None, date(1999, 12, 31), "1999-12-31 is not possible"),
        (None, date.today() + timedelta(days=2), "is not possible"),
    ],
)
def test_encode_refuses_a_side_or_day_it_cannot_carry(
    side: str | None, day: date, message: str
) -> None:
    """A wrong side or an impossible day is refused when the code is made, not later."""
    from assessment import AnswerError

    with pytest.raises(AnswerError, match=message):
        encode({}, relationship=side, given=day)


def test_a_code_dated_tomorrow_reads(bank: Bank) -> None:
    """The person answering may be a time zone ahead: tomorrow is a possible day."""
    tomorrow = date.today() + timedelta(days=1)
    assert decode_response(encode({}, relationship=LAST_SIDE, given=tomorrow)).given == tomorrow


@given(st.text())
def test_decode_of_any_text_succeeds_or_raises_code_error(text: str) -> None:
    """Arbitrary input never crashes decode with an internal exception."""
    try:
        response = decode_response(text)
    except CodeError as error:
        assert str(error)
    else:
        assert again(response) == text.strip()


@given(
    st.sampled_from(["1", "2"]),
    st.text(alphabet=string.ascii_letters + string.digits + "-_", min_size=1, max_size=40),
)
def test_decode_of_code_shaped_text(code_format: str, body: str) -> None:
    """Text that looks like a code but was not made by encode is refused."""
    try:
        response = decode_response(f"{code_format}-{BANK.version}-{body}")
    except CodeError:
        return
    assert code_format == "2"  # no made-up text is an old code by chance (2**-24)
    assert again(response) == f"2-{BANK.version}-{body}"


@given(answers, st.data())
def test_any_single_character_change_is_detected(
    given_answers: dict[str, int | None], data: Any
) -> None:
    """A tampered code is refused, never half-decoded into other answers."""
    code = encode(given_answers, relationship=FIRST_SIDE, given=date(2026, 3, 31))
    prefix = f"2-{BANK.version}-"
    position = data.draw(st.integers(min_value=len(prefix), max_value=len(code) - 1))
    replacement = data.draw(st.sampled_from(string.ascii_letters + string.digits + "-_"))
    tampered = code[:position] + replacement + code[position + 1 :]
    if tampered == code:
        return
    with pytest.raises(CodeError):
        decode(tampered)


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("", "empty"),
        ("   ", "empty"),
        (0, "must be text"),
        (b"1-2026.1-AAAA", "must be text"),
        ("hello world", "not a share code"),
        ("<script>alert(1)</script>", "not a share code"),
        ("9-2026.1-AAAA", "format 9"),
        ("3-2026.1-AAAA", "reads formats 1 and 2"),
        ("1-1999.9-AAAA", "version 1999.9"),
        ("1-2026.1-" + "A" * 500, "too long"),
    ],
)
def test_bad_codes_have_clear_messages(code: Any, message: str, bank: Bank) -> None:
    """Each way a code can be wrong gets a message a person understands."""
    if isinstance(code, str) and "1999" not in code:
        code = code.replace("2026.1", bank.version)
    with pytest.raises(CodeError, match=message):
        decode(code)


def test_truncated_code_is_refused(bank: Bank) -> None:
    """A code cut short (a copy-paste accident) is refused, at every length."""
    code = encode({q.id: 3 for q in bank.questions})
    for end in range(len(code) - 1, len(f"2-{bank.version}-"), -1):
        with pytest.raises(CodeError):
            decode(code[:end])


def test_code_from_a_bank_with_other_questions_is_refused(bank: Bank, bank_data: Any) -> None:
    """Same version, renamed question: the check catches it instead of mis-assigning answers."""
    bank_data["questions"][0]["id"] = "cf_renamed"
    other = parse_bank(bank_data, "other.toml")
    code = encode({q.id: 4 for q in other.questions}, other)
    assert other.version == bank.version
    with pytest.raises(CodeError, match="damaged"):
        decode(code, bank)


def test_code_from_a_bank_with_other_sides_is_refused(bank: Bank, bank_data: Any) -> None:
    """Same version and questions, other relationships: one would be misread, so refused."""
    bank_data["relationships"][0]["id"] = "buyer"
    bank_data["questions"] = [
        {k: v for k, v in q.items() if k != "by_relationship"} for q in bank_data["questions"]
    ]
    other = parse_bank(bank_data, "other.toml")
    with pytest.raises(CodeError, match="damaged"):
        decode(encode({}, other, relationship="buyer"), bank)


def big_bank(bank_data: Any, count: int) -> Bank:
    """The shipped bank with `count` questions more in its first dimension."""
    first = bank_data["questions"][0]
    extra = [{**first, "id": f"cf_extra{n}"} for n in range(count)]
    bank_data["questions"] = [*bank_data["questions"], *extra]
    return parse_bank(bank_data, "big.toml")


@pytest.mark.parametrize("count", [400, 3000])
def test_codes_of_far_larger_banks_round_trip(bank_data: Any, count: int) -> None:
    """Thousands of questions: the code is long but reads back exactly."""
    big = big_bank(bank_data, count)
    made = {qid: (n % 6) or None for n, qid in enumerate(big.question_ids)}
    code = encode(made, big, relationship=FIRST_SIDE, given=date(2026, 1, 2))
    assert len(code) == code_length(big) <= MAX_ENCODED_LENGTH
    expected = Response(made, FIRST_SIDE, date(2026, 1, 2), big.version)
    assert decode_response(code, big) == expected


def test_a_bank_too_large_for_a_link_is_refused_when_encoding(bank_data: Any) -> None:
    """Past what a link can carry, encode says so: no code is made that decode would refuse."""
    big = big_bank(bank_data, 25_000)
    with pytest.raises(CodeError, match="Use the JSON export instead"):
        encode({}, big)


def test_answers_from_json_reads_plain_and_exported(bank: Bank) -> None:
    """Both a plain {id: level} object and the site's export document are read."""
    from assessment import answers_from_json, assess, export_document

    answers = {bank.question_ids[0]: 4, bank.question_ids[1]: None}
    assert answers_from_json(json.dumps(answers)) == answers
    document = export_document(assess(answers), answers, encode(answers))
    assert answers_from_json(json.dumps(document)) == answers


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[" * 100_000, "nested far too deeply"),
        ('{"a": ' * 40 + "1" + "}" * 40, "nested far too deeply"),
        ("{oops", "is not valid JSON"),
        ('{"cf_values": 2, "cf_values": 5}', "the key 'cf_values' appears twice"),
        ('{"format": "partnership-assessment", "format": "x"}', "appears twice"),
        ('"just text"', "expected a JSON object"),
        ('{"format": "partnership-assessment", "bank_version": "' + "9" * 500 + '"}', "…"),
    ],
)
def test_answers_from_json_refuses_bad_documents(text: str, message: str) -> None:
    """Deep nesting, broken JSON, repeated keys and foreign versions give one short error."""
    from assessment import AnswerError, answers_from_json

    with pytest.raises(AnswerError, match=message) as caught:
        answers_from_json(text)
    assert len(str(caught.value)) < 200


@given(st.text(alphabet='[]{}"\\ab:,', max_size=60))
def test_nesting_depth_counts_only_structure(text: str) -> None:
    """Brackets inside strings do not count; the depth never exceeds the bracket count."""
    from assessment.exports import _nesting_depth

    assert 0 <= _nesting_depth(text) <= text.count("[") + text.count("{")
