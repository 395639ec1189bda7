"""Share codes: compact, URL-safe, versioned; anything else is refused with one clear error."""

from __future__ import annotations

import re
import string
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assessment import Bank, CodeError, decode, encode
from assessment.bank import parse_bank
from tests.strategies import BANK, answers

URL_SAFE = re.compile(r"^[A-Za-z0-9._~-]+$")


@given(answers)
def test_decode_inverts_encode(given_answers: dict[str, int | None]) -> None:
    """decode(encode(a)) == a, keeping unanswered apart from "don't know"."""
    code = encode(given_answers)
    assert decode(code) == given_answers


@given(answers)
def test_codes_are_short_and_url_safe(given_answers: dict[str, int | None]) -> None:
    """A code fits in a URL fragment without escaping."""
    code = encode(given_answers)
    assert URL_SAFE.match(code)
    assert len(code) <= 40
    assert code.startswith(f"1-{BANK.version}-")


@given(st.text())
def test_decode_of_any_text_succeeds_or_raises_code_error(text: str) -> None:
    """Arbitrary input never crashes decode with an internal exception."""
    try:
        decoded = decode(text)
    except CodeError as error:
        assert str(error)
    else:
        assert encode(decoded) == text.strip()


@given(st.text(alphabet=string.ascii_letters + string.digits + "-_", min_size=1, max_size=40))
def test_decode_of_code_shaped_text(body: str) -> None:
    """Text that looks like a code but was not made by encode is refused."""
    try:
        decoded = decode(f"1-{BANK.version}-{body}")
    except CodeError:
        return
    assert encode(decoded) == f"1-{BANK.version}-{body}"


@given(answers, st.data())
def test_any_single_character_change_is_detected(
    given_answers: dict[str, int | None], data: Any
) -> None:
    """A tampered code is refused, never half-decoded into other answers."""
    code = encode(given_answers)
    prefix = f"1-{BANK.version}-"
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
    for end in range(len(code) - 1, len(f"1-{bank.version}-"), -1):
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


def test_answers_from_json_reads_plain_and_exported(bank: Bank) -> None:
    """Both a plain {id: level} object and the site's export document are read."""
    import json

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
        ('"just text"', "expected a JSON object"),
        ('{"format": "partnership-assessment", "bank_version": "' + "9" * 500 + '"}', "…"),
    ],
)
def test_answers_from_json_refuses_bad_documents(text: str, message: str) -> None:
    """Deep nesting, broken JSON and foreign versions give one short AnswerError."""
    from assessment import AnswerError, answers_from_json

    with pytest.raises(AnswerError, match=message) as caught:
        answers_from_json(text)
    assert len(str(caught.value)) < 200


@given(st.text(alphabet='[]{}"\\ab:,', max_size=60))
def test_nesting_depth_counts_only_structure(text: str) -> None:
    """Brackets inside strings do not count; the depth never exceeds the bracket count."""
    from assessment.codec import _nesting_depth

    assert 0 <= _nesting_depth(text) <= text.count("[") + text.count("{")
