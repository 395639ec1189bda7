"""Fuzzing share codes, links, pasted text, periods and bank files; and bank texts that try to
be HTML.

Every fuzz test runs FUZZ_EXAMPLES examples (its own settings, whatever the Hypothesis
profile), but the one of bank files nesting deeply (fewer: see there): enough in every
`make test` to find what fuzzing here has found so far; `make fuzz` runs ten times as many. The
one rule for `decode`, whatever it is given: it returns valid answers to the shipped bank that
encode back to the same code (a code of an earlier edition: valid answers by question id), or
raises CodeError with a message; never another exception. Every other parser of codes and links
(a "#set=" link, pasted text), the period and margin fields and the bank loader likewise answer
or raise the engine's own error with a message. How many inputs of each kind were tried and
refused is printed by the last test of the fuzzing part.

Then a bank whose texts carry HTML payloads is built into a site, and the payloads must stay
text everywhere the build puts them: the methodology page, the assessment form, the dimension
list, the search index, and the engine's own SVG chart and Markdown report.
"""

from __future__ import annotations

import base64
import copy
import html
import json
import os
import re
import string
import tomllib
import urllib.parse
from collections import Counter
from datetime import date, timedelta
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from assessment import (
    Bank,
    CodeError,
    Response,
    assess,
    codec,
    decode,
    decode_response,
    encode,
    to_markdown,
    to_svg,
)
from assessment.bank import LEVELS, SHIPPED_BANK, parse_bank
from assessment.datafile import DataFileError, parse_toml
from assessment.errors import AssessmentError, BankError, PlanError
from assessment.exit_form import plan_inputs
from assessment.paste import parse_codes
from assessment.periods import parse_period
from assessment.team_page import items_from_fragment
from assessment.web import SET_FRAGMENT
from tests.conftest import build_site, copy_project
from tests.editions_kit import format_2_code
from tests.strategies import BANK

# How many examples each fuzz test runs: `make fuzz` sets PLAYBOOK_FUZZ_EXAMPLES higher.
FUZZ_EXAMPLES = int(os.environ.get("PLAYBOOK_FUZZ_EXAMPLES", "2000"))
FUZZ = settings(
    max_examples=FUZZ_EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
# base64url's alphabet, in the order of the values it encodes (0 to 63).
B64URL = string.ascii_uppercase + string.ascii_lowercase + string.digits + "-_"
PREFIX = f"3-{BANK.version}-"
OLD_PREFIX = f"1-{BANK.version}-"
HUGE = 100_000

TRIED: Counter[str] = Counter()
REFUSED: Counter[str] = Counter()


def body_bytes(code: str) -> bytes:
    """The bytes a code's base64url body stands for (as decode reads them)."""
    body = code.split("-", 2)[2]
    return base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))


def check(kind: str, code: Any, bank: Bank = BANK) -> dict[str, int | None] | None:
    """Decode `code`: valid answers that re-encode to it, or CodeError with a message."""
    TRIED[kind] += 1
    try:
        response = decode_response(code, bank)
    except CodeError as error:
        REFUSED[kind] += 1
        event(f"{kind}: refused")
        assert str(error).strip(), f"empty CodeError message for {code!r}"
        return None
    event(f"{kind}: decoded")
    decoded = dict(response.answers)
    assert response.relationship is None or response.relationship in {
        p.id for p in bank.relationships
    }
    assert set(decoded) <= set(bank.question_ids), set(decoded) - set(bank.question_ids)
    for level in decoded.values():
        assert level is None or (type(level) is int and level in LEVELS), level
    if response.bank_version != bank.version:
        # A code of an earlier edition the lock keeps: read by question id, never spelt again.
        event(f"{kind}: an earlier edition")
        return decoded
    if code.strip().startswith("1-"):
        # A format-1 code carries no side and no day, and is the old spelling of its answers.
        assert response.relationship is None and response.given is None
        assert old_encode(decoded, bank) == code.strip(), code
        return decoded
    if code.strip().startswith("2-"):
        # A format-2 code carries no nonce and no organisation.
        assert response.nonce is None and response.organisation is None
        again = format_2_code(decoded, bank, response.relationship, response.given)
        assert again == code.strip(), (code, again)
        return decoded
    again = encode(
        decoded,
        bank,
        relationship=response.relationship,
        given=response.given,
        dated=response.given is not None,
        organisation=response.organisation,
        nonce=response.nonce,
    )
    # Every accepted code is the canonical spelling of its response: one code, one meaning.
    assert again == code.strip(), (code, again)
    return decoded


def old_encode(answers: dict[str, int | None], bank: Bank = BANK) -> str:
    """The format-1 code of these answers, as the site wrote it before codes carried a side."""
    states = [
        0 if qid not in answers else 6 if answers[qid] is None else int(answers[qid] or 0)
        for qid in bank.question_ids
    ]
    packed = codec._pack(states)
    body = packed + codec._check("1", bank, packed)
    return f"1-{bank.version}-" + base64.urlsafe_b64encode(body).decode().rstrip("=")


# -- decode, fuzzed ------------------------------------------------------------------------


def answers_for(bank: Bank) -> st.SearchStrategy[dict[str, int | None]]:
    """Answers to `bank` in two draws (fast enough for 10,000 examples): which questions are
    answered, and each one's level (1-5) or don't know (None)."""
    count = len(bank.question_ids)

    def build(answered: int, levels: int) -> dict[str, int | None]:
        made: dict[str, int | None] = {}
        for index, question_id in enumerate(bank.question_ids):
            if answered >> index & 1:
                state = levels // 6**index % 6
                made[question_id] = None if state == 0 else state
        return made

    return st.builds(build, st.integers(0, 2**count - 1), st.integers(0, 6**count - 1))


real_answers = answers_for(BANK)
RELATIONSHIPS = st.sampled_from([None, *(p.id for p in BANK.relationships)])
# None stands for an old format-1 code, which has no day.
DAYS = st.one_of(st.none(), st.dates(date(2000, 1, 1), date.today() + timedelta(days=1)))


@FUZZ
@given(
    st.one_of(
        st.text(st.characters(codec=None, exclude_categories=())),
        st.text(st.characters(max_codepoint=127)),
    )
)
def test_arbitrary_text(text: str) -> None:
    """Any text at all, unpaired surrogates and control characters included."""
    check("arbitrary text", text)


@pytest.mark.parametrize("value", [None, 0, 1.5, b"1-2026.1-AAAA", ["1-2026.1-AAAA"], {}])
def test_values_that_are_not_text(value: Any) -> None:
    """Whatever a careless caller passes instead of text is refused the same way."""
    with pytest.raises(CodeError, match=r"."):
        decode(value)


code_format = st.one_of(st.sampled_from(["1", "2", "3"]), st.integers(0, 9999).map(str))
version = st.one_of(
    st.just(BANK.version), st.text(string.ascii_letters + "0123456789.", max_size=22)
)
padding = st.sampled_from(["", "", "", "=", "==", " ", "\n", "%3D", "#", "."])
code_shaped = st.builds(
    lambda f, v, body, end: f"{f}-{v}-{body}{end}",
    code_format,
    version,
    st.one_of(st.text(B64URL, max_size=48), st.text(B64URL, min_size=20, max_size=26)),
    padding,
)


@FUZZ
@given(code_shaped)
def test_code_shaped_text(code: str) -> None:
    """<format>-<version>-<base64url>: the right shape, made up."""
    check("code-shaped text", code)


def flip_a_byte_bit(code: str, bit: int) -> str:
    """The code with one bit of the bytes its body stands for flipped, re-encoded."""
    body = bytearray(body_bytes(code))
    bit %= len(body) * 8
    body[bit // 8] ^= 1 << (bit % 8)
    prefix = code[: code.index("-", 2) + 1]
    return prefix + base64.urlsafe_b64encode(bytes(body)).decode().rstrip("=")


def flip_a_text_bit(code: str, position: int, bit: int) -> str:
    """The code with one bit of one base64url character's value flipped."""
    prefix = code[: code.index("-", 2) + 1]
    position = len(prefix) + position % (len(code) - len(prefix))
    character = B64URL[B64URL.index(code[position]) ^ (1 << bit % 6)]
    return code[:position] + character + code[position + 1 :]


# The damage test_damaged_real_codes does, one kind per example (they share its examples).
DAMAGE = "damaged real code"
DAMAGES = ("bit flip in the bytes", "bit flip in the text", "cut or extended")


@FUZZ
@given(
    real_answers,
    st.sampled_from(DAMAGES),
    st.integers(0, 1_000),
    st.integers(0, 1_000),
    st.one_of(st.text(B64URL, max_size=12), st.text(max_size=6), st.just("")),
    RELATIONSHIPS,
    DAYS,
    st.sampled_from([None, "organiser", "partner", "format 2"]),
)
def test_damaged_real_codes(
    given_answers: dict[str, int | None],
    kind: str,
    where: int,
    bit: int,
    tail: str,
    side: str | None,
    day: date | None,
    made: str | None,
) -> None:
    """A real code (format 3 with any side, organisation and day, an old format-2 code, or an
    old format-1 code) with one bit flipped (in its bytes or its text), cut short or
    lengthened."""
    if day is None:
        code = old_encode(given_answers)
    elif made == "format 2":
        code = format_2_code(given_answers, BANK, side, day)
    else:
        code = encode(given_answers, relationship=side, given=day, organisation=made)
    if kind == "bit flip in the bytes":
        damaged = flip_a_byte_bit(code, bit)
    elif kind == "bit flip in the text":
        damaged = flip_a_text_bit(code, where, bit)
    else:
        damaged = code[: where % (len(code) + 1)] + tail
        if damaged == code:
            damaged += tail or "A"
    assert damaged != code
    check(kind, damaged)


HUGE_SHAPES = (
    "repeated text",
    "code-shaped",
    "real code in whitespace",
    "real code with a huge tail",
)


@FUZZ
@given(st.sampled_from(HUGE_SHAPES), st.text(min_size=1, max_size=16), real_answers)
def test_huge_fragments(shape: str, seed: str, given_answers: dict[str, int | None]) -> None:
    """Fragments of 100 KB and more (a share link's # can hold anything)."""
    code = encode(given_answers)
    filler = seed * (HUGE // len(seed) + 1)
    if shape == "repeated text":
        text = filler
    elif shape == "code-shaped":
        text = PREFIX + (B64URL[len(seed) % 64] * HUGE)
    elif shape == "real code in whitespace":
        space = " \n\t"[len(seed) % 3] * (HUGE // 2)
        text = space + code + space
    else:
        text = code + filler
    assert len(text) >= HUGE
    decoded = check("huge fragment", text)
    if shape == "real code in whitespace":
        # Surrounding whitespace is ignored however much there is: the answers come back.
        assert decoded == given_answers


def bank_variants() -> dict[str, Bank]:
    """Banks with the shipped bank's version but other questions, or the same ones reworded."""
    with SHIPPED_BANK.open("rb") as file:
        data = tomllib.load(file)
    questions = data["questions"]
    first = questions[0]

    def variant(change: Any) -> dict[str, Any]:
        copied = copy.deepcopy(data)
        change(copied["questions"], copied)
        return copied

    recipes: dict[str, Any] = {
        "a question added": lambda q, d: q.insert(3, {**copy.deepcopy(first), "id": "cf_added"}),
        "a question added at the end": lambda q, d: q.append(
            {**copy.deepcopy(q[-1]), "id": "db_added"}
        ),
        "the first question removed": lambda q, d: q.pop(0),
        "the last question removed": lambda q, d: q.pop(),
        "a question renamed": lambda q, d: q[5].update(id=q[5]["id"] + "_renamed"),
        "two questions swapped": lambda q, d: q.insert(1, q.pop(0)),
        "reworded, same ids": lambda q, d: q[0].update(text="Reworded: " + q[0]["text"]),
        "a new version": lambda q, d: d.update(version=d["version"] + ".1"),
    }
    return {name: parse_bank(variant(change), name) for name, change in recipes.items()}


VARIANTS = bank_variants()
VARIANT_ANSWERS = {name: answers_for(bank) for name, bank in VARIANTS.items()}
SAME_QUESTIONS = {"reworded, same ids"}


@FUZZ
@given(st.sampled_from(sorted(VARIANTS)), st.data())
def test_codes_from_modified_banks(name: str, data: Any) -> None:
    """A code made with another bank, read against the shipped one."""
    other = VARIANTS[name]
    other_answers = data.draw(VARIANT_ANSWERS[name], label="answers")
    code = encode(other_answers, other)
    decoded = check("code from a modified bank", code)
    if name in SAME_QUESTIONS:
        assert decoded == other_answers  # same ids, same order: the code still reads
    elif decoded is not None:
        # Other questions, same version: only a 1 in 2**24 checksum collision gets through.
        event(f"{name}: checksum collision")


# One piece of pasted junk: any characters but those that separate pieces.
JUNK = st.text(min_size=1, max_size=30).filter(lambda text: text.split() == [text])
WHITESPACE = st.text(" \t\n\r\x0b\x0c\u00a0\u2003\u2028", min_size=1, max_size=4)


@FUZZ
@given(
    st.lists(
        st.one_of(
            st.tuples(st.just("good"), real_answers, RELATIONSHIPS, DAYS),
            st.tuples(st.just("junk"), JUNK, st.none(), st.none()),
            st.tuples(st.just("damaged"), real_answers, st.integers(0, 1_000), st.none()),
        ),
        min_size=1,
        max_size=12,
    ),
    st.lists(WHITESPACE, min_size=12, max_size=12),
    st.booleans(),
)
def test_multi_code_inputs(pieces: list[Any], gaps: list[str], as_links: bool) -> None:
    """Many codes pasted at once, good among bad: each bad one refused alone, good ones kept."""
    TRIED["multi-code paste"] += 1
    texts: list[str] = []
    expected: list[Response | str | None] = []
    for kind, first, second, third in pieces:
        if kind == "good":
            code = (
                old_encode(first)
                if third is None
                else encode(first, relationship=second, given=third, nonce=len(texts))
            )
            texts.append(f"https://example.org/assessment/#code={code}" if as_links else code)
            side = None if third is None else second
            nonce = None if third is None else len(texts) - 1
            expected.append(Response(first, side, third, BANK.version, nonce=nonce))
        elif kind == "damaged":
            code = encode(first)
            texts.append(code[: second % len(code)] or "x")
            expected.append(None)
        else:
            texts.append(first)
            expected.append("?")
    text = "".join(gap + piece for gap, piece in zip(gaps, texts, strict=False)) + gaps[-1]
    parsed = parse_codes(text)
    # Numbered in order, one per piece that looks like a code (words are left out).
    assert [p.number for p in parsed] == list(range(1, len(parsed) + 1))
    assert len(parsed) <= len(texts)
    refused = 0
    for item in parsed:
        assert (item.response is None) == (item.error is not None)
        if item.error is not None:
            refused += 1
            assert item.error.strip() and len(item.text) <= 60
            assert item.piece in texts  # given back whole, to correct
    # Every good code is kept, in its order, with its side and day; nothing else is read as one.
    kept = [item.response for item in parsed if item.response is not None]
    assert kept == [want for want in expected if isinstance(want, Response)]
    REFUSED["multi-code paste"] += int(refused > 0)


# -- Links and pasted text: every parser of codes, fuzzed ----------------------------------------


def percent_encoded(text: str, every: bool) -> str:
    """Text as a link may carry it: every character percent-encoded, or only the unsafe ones."""
    return urllib.parse.quote(text, safe="" if every else "-_.~")


SET_PIECE = st.one_of(
    st.builds(lambda a, n: encode(a, nonce=n), real_answers, st.integers(0, 2**24 - 1)),
    st.builds(lambda a: old_encode(a), real_answers),
    st.builds(
        lambda a, side, day: format_2_code(a, BANK, side, day),
        real_answers,
        RELATIONSHIPS,
        st.dates(date(2000, 1, 1), date.today()),
    ),
    st.text(B64URL + "~%,-", max_size=40),
    st.text(max_size=20),
)
SET_ITEM = st.builds(
    lambda piece, side, encoded, every: percent_encoded(piece + side, every) if encoded
    else piece + side,
    SET_PIECE,
    st.sampled_from(["", "", "~client", "~peer", "~nobody", "~", "~~client", "%7Eclient"]),
    st.booleans(),
    st.booleans(),
)  # fmt: skip


def assert_read_or_refused(reply: dict[str, Any]) -> None:
    """A reply of the compare page's readers: items, and each refused piece with a message."""
    assert set(reply) == {"items", "refused", "message"}
    assert reply["message"].strip()
    for refused in reply["refused"]:
        assert refused["error"].strip() and len(refused["text"]) <= 60
    for item in reply["items"]:
        decode_response(item["code"])  # every item kept is a code that reads


@FUZZ
@given(
    st.lists(SET_ITEM, max_size=8),
    st.sampled_from([",", ",", "%2C", ",,", ", "]),
    st.one_of(st.just(""), st.text(max_size=12)),
)
def test_set_fragments(items: list[str], separator: str, tail: str) -> None:
    """'#set=…' as links carry it: codes of every format, chosen sides, percent-encoding, junk:
    each piece read or refused with a message, never another exception."""
    fragment = SET_FRAGMENT + separator.join(items) + tail
    TRIED["set fragment"] += 1
    try:
        reply = items_from_fragment(fragment)
    except AssessmentError as error:
        REFUSED["set fragment"] += 1
        assert str(error).strip()
        return
    assert_read_or_refused(reply)
    REFUSED["set fragment"] += int(bool(reply["refused"]))


@FUZZ
@given(st.text(st.characters(codec=None, exclude_categories=()), max_size=80))
def test_set_fragments_of_arbitrary_text(text: str) -> None:
    """Any text after '#set=', and any text at all in its place."""
    for fragment in (SET_FRAGMENT + text, text):
        try:
            reply = items_from_fragment(fragment)
        except AssessmentError as error:
            assert str(error).strip()
        else:
            assert_read_or_refused(reply)


@FUZZ
@given(
    st.lists(
        st.one_of(
            st.builds(
                lambda code, every: (
                    f"https://example.org/assessment/#code={percent_encoded(code, every)}"
                ),
                SET_PIECE,
                st.booleans(),
            ),
            st.builds(lambda code: f"#lang=en&code={code}&x=1", SET_PIECE),
            st.text(max_size=30),
        ),
        max_size=10,
    ),
    WHITESPACE,
)
def test_pasted_links_and_text(pieces: list[str], gap: str) -> None:
    """Pasted text with links (percent-encoded or not) among any words: each piece read or
    refused on its own with a message, never another exception."""
    TRIED["pasted text"] += 1
    try:
        parsed = parse_codes(gap.join(pieces))
    except AssessmentError as error:
        REFUSED["pasted text"] += 1
        assert str(error).strip()
        return
    for item in parsed:
        assert (item.response is None) == (item.error is not None)
        assert item.error is None or item.error.strip()
    REFUSED["pasted text"] += int(any(item.error for item in parsed))


# -- Numbers and nesting that Python refuses to hold ---------------------------------------------

DIGITS = st.one_of(
    st.integers(0, 10**12).map(str),
    st.integers(1, 6_000).map(lambda n: "1" * n),
    st.builds(lambda zeros, n: "0" * zeros + str(n), st.integers(0, 5_000), st.integers(0, 99)),
)
PERIOD_TEXT = st.one_of(
    st.builds(
        lambda sign, digits, unit, space: f"{sign}{digits}{space}{unit}",
        st.sampled_from(["", "+", "-"]),
        DIGITS,
        st.sampled_from(["day", "days", "week", "months", "YEAR", "fortnight", ""]),
        st.sampled_from([" ", "", "  ", "\t"]),
    ),
    st.text(max_size=40),
)


@FUZZ
@given(PERIOD_TEXT, st.sampled_from(["notice", "term", "cure"]), DIGITS)
def test_periods_and_margins(text: str, field: str, margin: str) -> None:
    """A period or a margin of any length (4,301 digits and more): read, or PlanError naming
    the field; never Python's own ValueError."""
    try:
        period = parse_period(text, field)
    except PlanError as error:
        assert error.field == field and error.problem.strip()
    else:
        assert 0 < period.count <= 3660
    form = {"case": "renews", "renews": "2027-03-31", "notice": "1 month", field: text}
    for values in (form, {**form, field: "1 month", "margin": margin}):
        try:
            plan_inputs(values)
        except PlanError as error:
            assert error.field in {field, "margin"} and error.problem.strip()


NESTED = st.builds(
    lambda key, depth, table, inner, closed: (
        f"{key} = "
        + ("{a = " if table else "[") * depth
        + inner
        + ("}" if table else "]") * (depth if closed else depth // 2)
    ),
    st.sampled_from(["version", "questions", "thresholds", "x"]),
    st.one_of(st.integers(1, 40), st.integers(400, 1_500)),
    st.booleans(),
    st.sampled_from(["", "1", '"text"', "[]"]),
    st.booleans(),
)
BANK_HEAD = st.sampled_from(["", 'version = "1"\n', 'version = "1"\ntitle = "t"\n'])


# Its own, smaller count: the space is small (a few keys, shapes and depth bands), and each deep
# example recurses to Python's limit twice; 500 examples cover it, 10,000 would take minutes.
@settings(FUZZ, max_examples=500)
@given(BANK_HEAD, NESTED, st.one_of(st.just(""), st.text(max_size=20)))
def test_bank_files_nesting_deeply(head: str, nested: str, tail: str) -> None:
    """A bank file nesting arrays or tables a thousand deep: refused with one BankError (as the
    command line reads --bank), never a RecursionError."""
    raw = f"{head}{nested}\n{tail}".encode("utf-8", "surrogatepass")
    try:
        data = parse_toml(raw)
    except DataFileError as error:
        assert str(error).strip()
    else:
        with pytest.raises(BankError):
            parse_bank(data, "fuzzed.toml")


def test_fuzz_counts(capsys: pytest.CaptureFixture[str]) -> None:
    """Print how many inputs of each kind were tried and refused (runs after the fuzzing)."""
    if not TRIED:
        # Run alone (pytest -k): nothing to count. In CI the whole file runs, so never skip there.
        if os.environ.get("CI"):
            pytest.fail("no fuzz test ran before test_fuzz_counts", pytrace=False)
        pytest.skip("no fuzz test ran before this one")
    width = max(len(kind) for kind in TRIED)
    lines = ["decode fuzzing: inputs tried, and refused with CodeError"]
    for kind, tried in TRIED.items():
        lines.append(f"  {kind:<{width}}  {tried:>7} tried  {REFUSED[kind]:>7} refused")
    with capsys.disabled():
        print("\n" + "\n".join(lines))
    # Every test ran its examples (Hypothesis may stop early only when it runs out of inputs);
    # the kinds of damage done to a real code share one test's examples.
    per_test: Counter[str] = Counter()
    for kind, tried in TRIED.items():
        per_test[DAMAGE if kind in DAMAGES else kind] += tried
    assert all(tried >= FUZZ_EXAMPLES // 2 for tried in per_test.values()), TRIED
    assert all(TRIED[kind] for kind in DAMAGES), TRIED
    assert REFUSED["arbitrary text"] == TRIED["arbitrary text"]  # no text is a code by chance


# -- HTML in bank texts ----------------------------------------------------------------------

PAYLOADS = (
    "<img src=x onerror=alert(1)>",
    '<a href="javascript:alert(2)">click</a>',
    "</script><script>alert(3)</script>",
    "[click](javascript:alert(4))",  # a Markdown link
    '{: onclick="alert(5)" }',  # Markdown attribute list
    "&lt;img src=x onerror=alert(6)&gt;",  # already an entity: must not be unescaped
)
PAYLOAD = " ".join(PAYLOADS)


def shipped_data() -> dict[str, Any]:
    """A fresh copy of the shipped bank's TOML data."""
    with SHIPPED_BANK.open("rb") as file:
        return tomllib.load(file)


def payload_bank_data() -> dict[str, Any]:
    """The shipped bank with the payloads in every kind of text the site shows."""
    data = shipped_data()
    worded = next(q for q in data["questions"] if "by_relationship" in q)
    side = next(iter(worded["by_relationship"]))
    for table, field in (
        (data["dimensions"][0], "title"),
        (data["dimensions"][0], "description"),
        (data["blocks"][0], "title"),
        (data["relationships"][0], "label"),
        (data["questions"][0], "text"),
        (data["questions"][0], "idea"),
        (worded["by_relationship"], side),
        (data["verdicts"][0], "summary"),
    ):
        table[field] = f"{field.title()} {PAYLOAD}"
    data["questions"][0]["levels"][2] = "Level " + PAYLOAD
    data["verdicts"][0]["next_steps"][0] = "Step " + PAYLOAD
    return data


def changed_texts(old: Any, new: Any, key: str = "") -> list[tuple[str, str, str]]:
    """Every text that differs between two copies of the bank's data: (key, old, new)."""
    if isinstance(old, dict):
        return [item for k in old for item in changed_texts(old[k], new[k], k)]
    if isinstance(old, list):
        return [item for a, b in zip(old, new, strict=True) for item in changed_texts(a, b)]
    return [(key, old, new)] if isinstance(old, str) and old != new else []


def write_payload_bank(bank_file: Path) -> dict[str, Any]:
    """Rewrite the copied bank.toml with the payloads (nothing else changes); return its data."""
    text = bank_file.read_text(encoding="utf-8")
    data = payload_bank_data()
    for key, old, new in changed_texts(shipped_data(), data):
        # The bank writes its texts as TOML basic strings, whose escapes JSON's include;
        # the first one written is the one changed (the check below proves it).
        before = f"{key} = " if key else ""
        quoted = before + json.dumps(old, ensure_ascii=False)
        assert quoted in text, quoted
        text = text.replace(quoted, before + json.dumps(new, ensure_ascii=False), 1)
    bank_file.write_text(text, encoding="utf-8")
    with bank_file.open("rb") as file:
        assert tomllib.load(file) == data
    return data


class Elements(HTMLParser):
    """The elements of a page as parsed, and its text with entities decoded."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.scripts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, dict(attrs)))
        self._in_script = tag == "script"

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False

    def handle_data(self, data: str) -> None:
        (self.scripts if self._in_script else self.text).append(data)


def assert_no_markup_from(markup: str, where: str) -> Elements:
    """No payload became an element, a handler, a javascript: URL or a script in `markup`."""
    parsed = Elements()
    parsed.feed(markup)
    for tag, attributes in parsed.elements:
        assert not (tag == "img" and "onerror" in attributes), f"{where}: <img onerror>"
        assert not any(name.startswith("on") for name in attributes), f"{where}: <{tag}> handler"
        for name in ("href", "src", "action", "formaction", "xlink:href"):
            value = (attributes.get(name) or "").strip().lower()
            assert not value.startswith("javascript:"), f"{where}: <{tag} {name}={value}>"
    assert not any("alert(" in script for script in parsed.scripts), f"{where}: a script runs it"
    return parsed


def assert_inert(page_html: str, where: str, expect: tuple[str, ...]) -> None:
    """No payload became markup in `page_html`; each text in `expect` shows as plain text."""
    parsed = assert_no_markup_from(page_html, where)
    text = re.sub(r"\s+", " ", "".join(parsed.text))
    for expected in expect:
        assert expected in text, f"{where}: {expected!r} is not shown as text"
    assert "&lt;img src=x onerror=alert(1)&gt;" in page_html, f"{where}: not escaped"


@pytest.mark.build
def test_html_in_bank_texts_stays_text(tmp_path: Path) -> None:
    """Payloads in the bank are shown as text on every page the build renders them on."""
    project = copy_project(tmp_path / "project")
    data = write_payload_bank(project / "assessment" / "bank.toml")
    site = tmp_path / "site"
    done = build_site(site, project=project)
    assert done.returncode == 0, done.stderr

    dimension, block = data["dimensions"][0], data["blocks"][0]
    question, verdict = data["questions"][0], data["verdicts"][0]
    worded = next(q for q in data["questions"] if "by_relationship" in q)
    form = (
        dimension["title"],
        dimension["description"],
        block["title"],
        data["relationships"][0]["label"],
        question["text"],
        question["levels"][2],
        *worded["by_relationship"].values(),
    )
    pages = {
        "methodology/index.html": (
            dimension["title"],
            dimension["description"],
            block["title"],
            question["text"],
            question["idea"],
            question["levels"][2],
            verdict["summary"],
        ),
        "assessment/index.html": form,
        "back-out-there/choosing-the-next-partner/index.html": (dimension["title"],),
    }
    for page, expected in pages.items():
        assert_inert((site / page).read_text(encoding="utf-8"), page, expected)

    # Material's search shows the indexed text as HTML: it must hold the escaped payload.
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert any(PAYLOADS[1] in html.unescape(document["text"]) for document in index["docs"])
    for document in index["docs"]:
        assert_no_markup_from(document["title"] + document["text"], document["location"])

    # The engine's own renderers, which the page shows (the chart) and downloads (the report).
    bank = parse_bank(data, "payload bank")
    result = assess({qid: 5 for qid in bank.question_ids}, bank)
    assert result.verdict == verdict["id"]  # the verdict whose summary carries the payload
    chart = to_svg(result)
    assert dimension["title"] in "".join(assert_no_markup_from(chart, "to_svg").text)
    report = to_markdown(result)
    assert verdict["summary"] not in report  # escaped for Markdown, so not verbatim
    for payload in ("<img", "<a ", "<script", "](javascript:", '{: onclick="'):
        assert payload not in report, payload
