"""The JSON export: one writer, one reader of bytes or text, the relationship and day carried."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assessment import AnswerError, Bank, Response, assess, encode, load_bank
from assessment.examples import scenario
from assessment.exports import (
    EXPORT_FORMAT,
    MAX_EXPORT_BYTES,
    answers_from_json,
    export_document,
    read_json_bytes,
    response_from_bytes,
    response_from_json,
)
from tests.strategies import BANK, FIRST_SIDE, LAST_SIDE, SECOND_SIDE, answers

RELATIONSHIPS = st.sampled_from([None, *(p.id for p in BANK.relationships)])
DAYS = st.one_of(st.none(), st.dates(min_value=date(2000, 1, 1), max_value=date.today()))


def exported(answers: dict[str, int | None], relationship: str | None, day: date | None) -> str:
    """The JSON text the site and the command line write for these answers."""
    code = encode(answers, relationship=relationship, given=day)
    document = export_document(assess(answers), answers, code, relationship=relationship, given=day)
    return json.dumps(document, indent=2)


@given(answers, RELATIONSHIPS, DAYS)
def test_an_export_reads_back_as_the_same_response(
    given_answers: dict[str, int | None], side: str | None, day: date | None
) -> None:
    """Writer and reader agree: answers, side and day come back; the bank version is kept."""
    text = exported(given_answers, side, day)
    assert response_from_json(text) == Response(given_answers, side, day, BANK.version)
    assert response_from_bytes(text.encode("utf-8")) == response_from_json(text)
    assert answers_from_json(text) == given_answers


def test_an_export_never_carries_a_name(bank: Bank) -> None:
    """The document's keys are fixed: nothing in it can hold who answered."""
    document = json.loads(exported({bank.question_ids[0]: 2}, FIRST_SIDE, date(2026, 5, 1)))
    assert document["format"] == EXPORT_FORMAT
    assert document["relationship"] == FIRST_SIDE and document["date"] == "2026-05-01"
    assert set(document) == {
        "format", "bank_version", "relationship", "organisation", "date", "nonce", "answers",
        "share_code", "result",
    }  # fmt: skip


def test_a_plain_answers_object_has_no_side_and_no_day(bank: Bank) -> None:
    """{question id: level} alone is a response whose side and day are not known."""
    response = response_from_json(json.dumps({bank.question_ids[0]: 4}))
    assert response.relationship is None and response.given is None


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        (
            "relationship",
            "customer",
            f"field 'relationship': the side 'customer' is not one of {FIRST_SIDE}",
        ),
        ("relationship", 3, "field 'relationship'"),
        ("relationship", [FIRST_SIDE], "field 'relationship'"),
        ("date", "31/03/2026", "field 'date': '31/03/2026' is not a date like 2026-03-31"),
        ("date", "2026-02-30", "field 'date'"),
        ("date", 20260331, "field 'date'"),
        ("date", "1999-12-31", "field 'date': the date 1999-12-31 is not possible"),
        ("date", (date.today() + timedelta(days=30)).isoformat(), "is not possible"),
        ("date", "2026-03-31T10:00:00", "field 'date'"),
    ],
)
def test_a_hand_edited_side_or_date_is_refused(
    bank: Bank, field: str, value: Any, message: str
) -> None:
    """An export edited by hand with a wrong side or date names the field and what is wrong."""
    document = json.loads(exported({bank.question_ids[0]: 4}, SECOND_SIDE, date(2026, 3, 31)))
    document[field] = value
    with pytest.raises(AnswerError, match=message.replace("(", r"\(")) as caught:
        response_from_json(json.dumps(document))
    assert len(str(caught.value)) < 200


def test_a_byte_order_mark_is_accepted(bank: Bank) -> None:
    """UTF-8 with a byte-order mark (as Windows tools save it) reads like plain UTF-8."""
    text = exported({bank.question_ids[0]: 5}, LAST_SIDE, date(2026, 1, 1))
    plain = response_from_bytes(text.encode("utf-8"))
    assert response_from_bytes(b"\xef\xbb\xbf" + text.encode("utf-8")) == plain
    assert response_from_json("\ufeff" + text) == plain


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-32"])
def test_utf16_and_utf32_are_refused_with_one_message(bank: Bank, encoding: str) -> None:
    """UTF-16 or UTF-32, with a mark or without, gets the same clear words (page and CLI alike)."""
    data = json.dumps({bank.question_ids[0]: 5}).encode(encoding)
    with pytest.raises(AnswerError, match="is UTF-16 or UTF-32 text; save it as UTF-8"):
        read_json_bytes(data)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"\xff\xff{}", "not UTF-8 text"),
        (b" " * (MAX_EXPORT_BYTES + 1), "larger than the 1,000,000"),
        (b"", "is not valid JSON"),
        (b'{"cf_values": 1, "cf_values": 1}', "appears twice"),
        # Python's own words for a number past 4,300 digits never reach the reader.
        (b'{"cf_values": %s}' % (b"9" * 5_000), "cannot be read as answers: it holds a number"),
    ],
)
def test_bad_bytes_are_refused(data: bytes, message: str) -> None:
    """Bytes that are not a small UTF-8 JSON object give one short AnswerError."""
    with pytest.raises(AnswerError, match=message):
        response_from_bytes(data)


def test_read_json_bytes_refuses_what_is_not_bytes() -> None:
    """Text passed where the file's bytes were expected is a clear error, not a crash."""
    with pytest.raises(AnswerError, match="expected bytes"):
        read_json_bytes("{}")  # type: ignore[arg-type]


def test_old_names_stay_importable() -> None:
    """Code written before the move keeps working: report.export_document is the same one."""
    import assessment
    from assessment import report

    assert report.export_document is export_document is assessment.export_document
    assert assessment.answers_from_json is answers_from_json


# -- Exports written before the relationship had its name ----------------------------------------

# Written by `partnership-assessment --code … --format json` as it was before, when the
# export said the respondent's relationship under "side", with the bank of its version (a
# fixture of its own, whatever today's bank holds).
OLD_EXPORT = Path(__file__).parent / "data" / "export-2026.2-side.json"
OLD_EXPORT_BANK = Path(__file__).parent / "data" / "bank-2026.2.toml"


@pytest.fixture
def old_bank() -> Bank:
    """The bank the old export was made with (version 2026.2)."""
    return load_bank(OLD_EXPORT_BANK)


def test_an_old_export_still_loads_with_its_relationship(old_bank: Bank) -> None:
    """An export that says "side" reads as it did: answers, relationship and day."""
    bank = old_bank
    data = OLD_EXPORT.read_bytes()
    assert "side" in json.loads(data) and "relationship" not in json.loads(data)
    response = response_from_bytes(data, bank)
    assert response.relationship == "provider"
    assert response.given == date(2026, 3, 2)
    assert response.answers == scenario("no_written_agreement").answers(bank)
    # Written again today, the same response says "relationship" and reads back the same.
    again = export_document(
        assess(response.answers, bank),
        response.answers,
        encode(response.answers, bank, relationship="provider", given=response.given),
        relationship=response.relationship,
        given=response.given,
    )
    assert response_from_json(json.dumps(again), bank) == response


def test_an_old_export_with_a_wrong_side_names_that_field(old_bank: Bank) -> None:
    """A hand-edited old export is refused naming the field it has, "side"."""
    bank = old_bank
    document = json.loads(OLD_EXPORT.read_bytes())
    document["side"] = "customer"
    with pytest.raises(AnswerError, match="field 'side': the side 'customer' is not one of"):
        response_from_json(json.dumps(document), bank)


def test_both_names_at_once_are_refused(old_bank: Bank) -> None:
    """A file with "side" and "relationship" is not one the site wrote: keep one of the two."""
    bank = old_bank
    document = json.loads(OLD_EXPORT.read_bytes())
    document["relationship"] = "provider"
    with pytest.raises(AnswerError, match="field 'side': is the older name of 'relationship'"):
        response_from_json(json.dumps(document), bank)
