"""Pasted share links and codes (assessment/paste.py): each read or refused on its own."""

from __future__ import annotations

from datetime import date

import pytest

from assessment import encode
from assessment.examples import scenario
from assessment.paste import parse_codes
from assessment.team import TeamError
from tests.strategies import BANK, FIRST_SIDE, SECOND_SIDE

HEALTHY = scenario("healthy").answers(BANK)
UNHEALTHY = scenario("no_written_agreement").answers(BANK)


def test_pasted_codes_keep_the_good_and_refuse_the_bad_one_by_one() -> None:
    """Links, bare codes, any whitespace: each bad piece named with its reason."""
    good = encode(HEALTHY, relationship=FIRST_SIDE, given=date(2026, 1, 5))
    other = encode(UNHEALTHY, relationship=SECOND_SIDE, given=date(2026, 1, 6))
    text = (
        f"  https://example.org/assessment/#code={good}\n\n"
        f"nonsense\t{other[:-3]}\r\n{other} 1-1999.9-AAAA"
    )
    parsed = parse_codes(text)
    # "nonsense" is a word, not a code: left out, not reported.
    assert [p.number for p in parsed] == [1, 2, 3, 4]
    assert [p.response is not None for p in parsed] == [True, False, True, False]
    assert parsed[0].response and parsed[0].response.relationship == FIRST_SIDE
    assert parsed[1].error and "damaged" in parsed[1].error
    assert parsed[1].piece == other[:-3]
    assert parsed[3].error and "version 1999.9" in parsed[3].error


def test_words_around_codes_in_a_chat_line_or_an_email_are_left_out() -> None:
    """ "Hi Sam, here's mine: <link>" adds the response and reports nothing else."""
    good = encode(HEALTHY, relationship=FIRST_SIDE, given=date(2026, 1, 5))
    chat = f"Hi Sam, here's mine: https://example.org/assessment/#code={good}. Cheers!"
    email = f"> On Monday Ana wrote:\n> my code is ({good})\n>\n> Best, Ana"
    for text in (chat, email):
        (parsed,) = parse_codes(text)
        assert parsed.response is not None and parsed.response.relationship == FIRST_SIDE


def test_more_than_the_cap_of_codes_gets_a_message() -> None:
    """200 pasted codes are read; 201 are refused with a clear message."""
    code = encode(HEALTHY)
    assert len(parse_codes(" ".join([code] * 200))) == 200
    with pytest.raises(TeamError, match="201 codes were pasted; at most 200"):
        parse_codes(" ".join([code] * 201))


def test_a_pasted_excerpt_is_short_and_printable() -> None:
    """What is echoed back of a bad piece is short and has no control characters."""
    (parsed,) = parse_codes("\x1b[2J https://x.example/#code=" + "x" * 5000)
    assert parsed.error and len(parsed.text) <= 60 and "\x1b" not in parsed.text
