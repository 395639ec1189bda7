"""A health check's file, as the compare page writes it and the command line reads it."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from assessment import encode
from assessment.codec import ORGANISATIONS, decode_response
from assessment.errors import AssessmentError
from assessment.round_file import read_round_file, responses_from_items
from assessment.rounds import ROUND_FILE_FORMAT, ROUND_FILE_VERSION
from assessment.team import combine
from tests.conftest import run_cli
from tests.strategies import BANK, SIDES, full_answers

ORGANISATION = st.sampled_from([*ORGANISATIONS, None])


@st.composite
def items(draw: Any) -> list[dict[str, Any]]:
    """The compare page's items: a code (its relationship and organisation said, or not), the
    relationship and the organisation (0: none, 1: ours, 2: theirs) chosen on the page, and a
    label the page keeps."""
    made = []
    for number in range(draw(st.integers(0, 12))):
        code = encode(
            draw(full_answers),
            BANK,
            relationship=draw(st.sampled_from([None, *SIDES])),
            given=date(2026, 11, 2),
            organisation=draw(ORGANISATION),
            nonce=number,
        )
        made.append(
            {
                "code": code,
                "side": draw(st.sampled_from([None, *SIDES])),
                "organisation": draw(st.integers(0, len(ORGANISATIONS))),
                "label": draw(st.text(max_size=10)),
            }
        )
    return made


def round_file(listed: list[dict[str, Any]], **fields: Any) -> bytes:
    """A round's file as the compare page writes it (its responses without labels)."""
    data = {
        "format": ROUND_FILE_FORMAT,
        "version": ROUND_FILE_VERSION,
        "round": "a1b2c3d4e5f60718",
        "name": "Acme and Beta",
        "relationship": SIDES[0],
        "expected": {"ours": 3, "theirs": 3},
        "deadline": None,
        "actions": [],
        "responses": [{k: v for k, v in item.items() if k != "label"} for item in listed],
        **fields,
    }
    return json.dumps(data, indent=2).encode("utf-8")


@given(items(), st.booleans())
def test_a_round_file_reads_as_the_page_reads_its_items(
    made: list[dict[str, Any]], bom: bool
) -> None:
    """The file's responses are the page's: each code, with the relationship and organisation
    chosen on the page where the code said none (a BOM from an editor changes nothing)."""
    raw = round_file(made)
    read = read_round_file(b"\xef\xbb\xbf" + raw if bom else raw, BANK)
    assert list(read.responses) == responses_from_items(made, BANK)
    assert read.round == "a1b2c3d4e5f60718" and read.name == "Acme and Beta"
    for response, item in zip(read.responses, made, strict=True):
        said = decode_response(item["code"], BANK)
        assert response.answers == said.answers
        assert response.relationship == (said.relationship or item["side"])
        chosen = ORGANISATIONS[item["organisation"] - 1] if item["organisation"] else None
        assert response.organisation == (said.organisation or chosen)


@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
        lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner),
        max_leaves=12,
    ),
    st.sampled_from(["format", "version", "round", "name", "responses", "side", "organisation"]),
    st.booleans(),
)
@example(1.0, "organisation", False)  # a number that is not a whole one, equal to one
@example(["client"], "side", False)
def test_a_damaged_round_file_is_refused_in_a_sentence(value: Any, field: str, whole: bool) -> None:
    """Any value in place of the whole file, of a field, or of a response's side or
    organisation: read, or refused with a sentence, never another exception."""
    code = encode({}, BANK, given=date(2026, 11, 2))
    if whole:
        raw = json.dumps(value).encode()
    elif field in ("side", "organisation"):
        raw = round_file([{"code": code, "side": None, "organisation": 0, field: value}])
    else:
        raw = round_file([], **{field: value})
    try:
        read_round_file(raw, BANK)
    except AssessmentError as error:
        assert str(error).strip().endswith((".", ")"))


@pytest.mark.parametrize(
    ("raw", "says"),
    [
        (b"\xff\xfe not text", "not JSON"),
        (b'{"format": "partnership-assessment", "answers": {}}', "--answers"),
        (round_file([], version=ROUND_FILE_VERSION + 1), "Download it again"),
        (round_file([{"code": "3-nope"}]), "Response 1"),
        (round_file([], responses={}), "damaged"),
        (b'{"format": 1%s}' % (b"0" * 4_400), "4,401 digits, far too long"),
    ],
)
def test_each_kind_of_bad_file_says_what_to_do(raw: bytes, says: str) -> None:
    """A file that is not a round's, of another version, with a bad code, or damaged."""
    with pytest.raises(AssessmentError, match=says):
        read_round_file(raw, BANK)


def test_the_command_line_combines_a_round_file(tmp_path: Path) -> None:
    """`--round FILE` prints the team report of its responses; a bad file is one line."""
    made = [
        {"code": encode(answers, BANK, relationship=SIDES[0], given=date(2026, 11, 2)),
         "side": None, "organisation": 1 + number % 2}
        for number, answers in enumerate([{}, {BANK.question_ids[0]: 2}, {}])
    ]  # fmt: skip
    path = tmp_path / "health-check.json"
    path.write_bytes(round_file(made))
    done = run_cli("--round", str(path), "--format", "json")
    assert done.returncode == 0, done.stderr
    expected = combine(responses_from_items(made, BANK), BANK).to_dict()
    assert json.loads(done.stdout) == json.loads(json.dumps(expected))
    path.write_bytes(round_file([], version=99))
    done = run_cli("--round", str(path))
    assert done.returncode == 1 and done.stdout == ""
    # A sole input's error is the whole message: one line.
    assert len(done.stderr.splitlines()) == 1 and "version 99" in done.stderr


@pytest.mark.parametrize("output", ["text", "markdown"])
def test_the_command_line_opens_with_a_round_s_open_actions(tmp_path: Path, output: str) -> None:
    """A round's file with its actions: the report lists the open one before why, not the
    done one; an unreadable action names itself in one line."""
    made = [{"code": encode({}, BANK, relationship=SIDES[0]), "side": None, "organisation": 0}]
    actions = [
        {
            "what": "Weekly status call",
            "owner": "Account lead",
            "due": "2027-01-15",
            "status": "open",
        },
        {"what": "Shared glossary", "owner": "", "due": "", "status": "done"},
    ]
    path = tmp_path / "health-check.json"
    path.write_bytes(round_file(made, actions=actions))
    done = run_cli("--round", str(path), "--format", output)
    assert done.returncode == 0, done.stderr
    assert "Weekly status call" in done.stdout and "Shared glossary" not in done.stdout
    why = "## Why" if output == "markdown" else "Why:"
    assert done.stdout.index("Weekly status call") < done.stdout.index(why)
    path.write_bytes(round_file(made, actions=[{"what": "", "status": "open"}]))
    done = run_cli("--round", str(path), "--format", output)
    assert done.returncode == 1 and "Action 1" in done.stderr.splitlines()[0]
