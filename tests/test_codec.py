"""Share codes: compact, URL-safe, versioned; anything else is refused with one clear error."""

from __future__ import annotations

import json
import re
import string
from datetime import date, timedelta
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assessment import Bank, CodeError, Response, decode, decode_response, encode
from assessment.bank import parse_bank
from assessment.codec import MAX_ENCODED_LENGTH, NONCE_BITS, ORGANISATIONS, code_length
from assessment.editions import lock_for
from tests.editions_kit import format_2_code
from tests.strategies import BANK, FIRST_SIDE, LAST_SIDE, SECOND_SIDE, SIDES, answers

RELATIONSHIPS = st.sampled_from([None, *(p.id for p in BANK.relationships)])
ORGANISATION = st.sampled_from([None, *ORGANISATIONS])
NONCES = st.integers(0, (1 << NONCE_BITS) - 1)
DAYS = st.dates(min_value=date(2000, 1, 1), max_value=date.today())
# Codes written by format 1 (before codes carried a side and a day) with the bank's first
# published edition, 2026.1, kept as they were made; they read while the lock keeps 2026.1.
OLD_CODES = {
    "1-2026.1-eDbbbbbbbbbbbbbbbYASot8": "all 3, the second don't know, the third unanswered",
    "1-2026.1-AAAAAAAAAAAAAAAAAAAmefg": "nothing answered",
}

URL_SAFE = re.compile(r"^[A-Za-z0-9._~-]+$")


def again(response: Response, nonce: int | None = None) -> str:
    """The code encode writes for a decoded response (format 3, with its nonce or `nonce`)."""
    return encode(
        response.answers,
        relationship=response.relationship,
        given=response.given,
        dated=response.given is not None,
        organisation=response.organisation,
        nonce=response.nonce if nonce is None else nonce,
    )


@given(answers, RELATIONSHIPS, ORGANISATION, DAYS, NONCES)
def test_decode_inverts_encode(
    given_answers: dict[str, int | None],
    side: str | None,
    organisation: str | None,
    day: date,
    nonce: int,
) -> None:
    """decode_response(encode(...)) gives back the answers, side, organisation, day and nonce."""
    code = encode(
        given_answers, relationship=side, given=day, organisation=organisation, nonce=nonce
    )
    response = decode_response(code)
    assert response == Response(given_answers, side, day, BANK.version, organisation, nonce)
    assert decode(code) == given_answers  # decode keeps returning the answers alone
    assert again(response) == code


def test_a_code_can_say_no_day(bank: Bank) -> None:
    """A response whose day is not known (a plain answers file) keeps it unknown in its code."""
    code = encode({bank.question_ids[0]: 2}, relationship=LAST_SIDE, dated=False, nonce=7)
    assert decode_response(code) == Response(
        {bank.question_ids[0]: 2}, LAST_SIDE, None, bank.version, nonce=7
    )


def test_two_people_with_the_same_answers_are_two_responses(bank: Bank) -> None:
    """Two codes of the same answers, side and day differ by their random nonce: two keys; the
    same code read twice is one key."""
    answered = {q: 3 for q in bank.question_ids}
    first = encode(answered, relationship=FIRST_SIDE, given=date(2026, 3, 1))
    second = encode(answered, relationship=FIRST_SIDE, given=date(2026, 3, 1))
    assert first != second  # 1 in 2**24 to fail by chance
    assert decode_response(first).key() != decode_response(second).key()
    assert decode_response(first).key() == decode_response(f"  {first}\n").key()


def test_a_response_without_a_nonce_keeps_one_made_from_its_content(bank: Bank) -> None:
    """An old code carries no nonce: its identity comes from its content, so that today's code
    of it (the same identity as its nonce) is the same response."""
    old = decode_response(
        format_2_code({bank.question_ids[0]: 4}, bank, LAST_SIDE, date(2026, 1, 9))
    )
    assert old.nonce is None
    today = decode_response(again(old, nonce=old.identity))  # team_page.canonical_code
    assert today.nonce == old.identity and today.key() == old.key()


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"organisation": "ours"}, "the organisation 'ours' is not one of organiser, partner"),
        ({"organisation": 1}, "the organisation 'int' is not one of"),
        ({"nonce": -1}, "the nonce -1 is not a whole number"),
        ({"nonce": 1 << NONCE_BITS}, "is not a whole number"),
        ({"nonce": True}, "the nonce True"),
    ],
)
def test_encode_refuses_an_organisation_or_nonce_it_cannot_carry(
    options: dict[str, Any], message: str
) -> None:
    """A wrong organisation or nonce is refused when the code is made."""
    from assessment import AnswerError

    with pytest.raises(AnswerError, match=message):
        encode({}, **options)


def test_the_day_defaults_to_today(bank: Bank) -> None:
    """Without a day, a code is dated the day it is made."""
    assert decode_response(encode({}, relationship=SECOND_SIDE)).given == date.today()
    assert decode_response(encode({})).relationship is None


@given(answers, RELATIONSHIPS, ORGANISATION, DAYS)
def test_codes_are_short_and_url_safe(
    given_answers: dict[str, int | None], side: str | None, organisation: str | None, day: date
) -> None:
    """A code fits in a URL fragment without escaping; beyond the answers' 3 bits each, its
    header, edition, nonce and check cost 15 characters and its prefix."""
    code = encode(given_answers, relationship=side, given=day, organisation=organisation)
    assert URL_SAFE.match(code)
    assert len(code) == code_length(BANK)
    prefix = f"3-{BANK.version}-"
    assert code.startswith(prefix)
    answers_chars = -(-4 * -(-3 * len(BANK.question_ids) // 8) // 3)
    assert len(code) - len(prefix) - answers_chars <= 15


@pytest.mark.parametrize("code", sorted(OLD_CODES))
def test_old_codes_keep_decoding(code: str, bank: Bank) -> None:
    """A format-1 code of the first edition reads under today's bank, by question id, while
    the lock keeps that edition; damaged, it is refused."""
    (edition,) = lock_for(bank).with_version("2026.1") or pytest.skip(
        "this copy's lock does not keep the edition 2026.1"
    )
    response = decode_response(code, bank)
    assert response.relationship is None and response.given is None
    assert response.bank_version == "2026.1"
    if "nothing" in OLD_CODES[code]:
        assert response.answers == {}
    else:
        first, second, third, *rest = edition.questions
        expected = {first: 3, second: None, **{q: 3 for q in rest}}
        assert response.answers == {q: v for q, v in expected.items() if q in bank.question_ids}
        assert set(response.dropped) == set(expected) - set(bank.question_ids)
        assert third not in response.answers
    damaged = code[:-1] + ("A" if code[-1] != "A" else "B")
    with pytest.raises(CodeError, match="damaged"):
        decode(damaged, bank)


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
    st.sampled_from(["1", "2", "3"]),
    st.text(alphabet=string.ascii_letters + string.digits + "-_", min_size=1, max_size=48),
)
def test_decode_of_code_shaped_text(code_format: str, body: str) -> None:
    """Text that looks like a code but was not made by encode is refused (a made-up text
    passes the check 1 time in 2**24; then it reads as the code it spells)."""
    try:
        response = decode_response(f"{code_format}-{BANK.version}-{body}")
    except CodeError as error:
        assert str(error)
        return
    if code_format == "3":
        assert again(response) == f"3-{BANK.version}-{body}"


@given(answers, st.data())
def test_any_single_character_change_is_detected(
    given_answers: dict[str, int | None], data: Any
) -> None:
    """A tampered code is refused, never half-decoded into other answers."""
    code = encode(given_answers, relationship=FIRST_SIDE, given=date(2026, 3, 31))
    prefix = f"3-{BANK.version}-"
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
        ("4-2026.1-AAAA", "reads formats 1, 2 and 3"),
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
    for end in range(len(code) - 1, len(f"3-{bank.version}-"), -1):
        with pytest.raises(CodeError):
            decode(code[:end])


ANOTHER_SITE = "made with a different set of questions that is also called"
DAMAGED_OR_OTHER = r"damaged \(cut short or changed\), or made by another site's questions"


def test_code_from_a_bank_with_other_questions_is_refused(bank: Bank, bank_data: Any) -> None:
    """Same version, renamed question (another site's, or a fork's, edition): its code says so
    instead of mis-assigning answers or calling itself damaged; a format-2 code cannot tell."""
    bank_data["questions"][0]["id"] = "cf_renamed"
    other = parse_bank(bank_data, "other.toml")
    answered = {q.id: 4 for q in other.questions}
    assert other.version == bank.version
    with pytest.raises(CodeError, match=f"{ANOTHER_SITE} {re.escape(bank.version)}: another"):
        decode(encode(answered, other), bank)
    with pytest.raises(CodeError, match=DAMAGED_OR_OTHER):
        decode(format_2_code(answered, other), bank)


def test_code_from_a_bank_with_other_sides_is_refused(bank: Bank, bank_data: Any) -> None:
    """Same version and questions, other relationships: one would be misread, so refused."""
    bank_data["relationships"][0]["id"] = "buyer"
    bank_data["questions"] = [
        {k: v for k, v in q.items() if k != "by_relationship"} for q in bank_data["questions"]
    ]
    other = parse_bank(bank_data, "other.toml")
    with pytest.raises(CodeError, match=ANOTHER_SITE):
        decode(encode({}, other, relationship="buyer"), bank)
    with pytest.raises(CodeError, match=DAMAGED_OR_OTHER):
        decode(format_2_code({}, other, relationship="buyer"), bank)


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
    code = encode(made, big, relationship=FIRST_SIDE, given=date(2026, 1, 2), nonce=9)
    assert len(code) == code_length(big) <= MAX_ENCODED_LENGTH
    assert decode_response(code, big) == Response(
        made, FIRST_SIDE, date(2026, 1, 2), big.version, nonce=9
    )


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
