"""Bank editions (assessment/editions.py): the lock keeps every published edition, so share codes,
exports, kept results and team sets of any earlier edition read under a later one, by question
id, with a note of what changed; another site's edition of the same version says so.

The editions here are made from whatever bank is shipped: today's is edition N, and its next
edition N+1 (version raised, one question removed, one added) is written beside a lock keeping
both, as `python -m assessment lock` would (tests/test_cli_editions.py runs that command).
"""

from __future__ import annotations

import dataclasses
import json
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assessment import AnswerError, Bank, CodeError, assess, decode_response, encode, load_bank
from assessment.bank import SHIPPED_BANK, parse_bank
from assessment.codec import NONCE_BITS, ORGANISATIONS
from assessment.editions import (
    FINGERPRINT_BYTES,
    Edition,
    Lock,
    LockError,
    add_edition,
    check_lock,
    edition_note,
    edition_of,
    lock_for,
    lock_path,
    parse_lock,
    read_lock,
    write_lock,
)
from assessment.exports import export_document, response_from_json
from assessment.history import read_history, to_html
from assessment.team import combine
from assessment.team_page import items_from_fragment, read_pasted, team_view
from tests.editions_kit import format_1_code, format_2_code, next_edition_data, next_edition_text
from tests.strategies import BANK, FIRST_SIDE, LAST_SIDE, LEVEL, SECOND_SIDE

OLD = BANK
ANSWER = st.one_of(st.none(), LEVEL)
OLD_ANSWERS = st.dictionaries(st.sampled_from(OLD.question_ids), ANSWER)
RELATIONSHIPS = st.sampled_from([None, *(r.id for r in OLD.relationships)])
ORGANISATION = st.sampled_from([None, *ORGANISATIONS])
DAYS = st.dates(date(2000, 1, 1), date.today())
NONCES = st.integers(0, (1 << NONCE_BITS) - 1)


@dataclass(frozen=True)
class NextEdition:
    """Edition N+1 of the shipped bank, in a folder with its lock (every edition of the
    shipped lock, then N+1), and the question it removed and the one it added."""

    bank: Bank
    removed: str
    added: str


@pytest.fixture(scope="module")
def nxt(tmp_path_factory: pytest.TempPathFactory) -> NextEdition:
    folder = tmp_path_factory.mktemp("next-edition")
    text, removed, added = next_edition_text(SHIPPED_BANK.read_text(encoding="utf-8"), OLD)
    (folder / "bank.toml").write_text(text, encoding="utf-8")
    new = load_bank(folder / "bank.toml")
    shipped = read_lock(lock_path(SHIPPED_BANK))
    locked, _ = add_edition(Lock(str(folder / "bank.lock.json"), shipped.editions), OLD)
    locked, _ = add_edition(locked, new)
    write_lock(locked)
    return NextEdition(new, removed, added)


def by_id(answers: dict[str, int | None], bank: Bank) -> dict[str, int | None]:
    """The answers a later bank keeps: those to questions it still has."""
    return {q: level for q, level in answers.items() if q in bank.question_ids}


# -- The lock file and its check ----------------------------------------------------------------


def test_the_shipped_bank_is_locked() -> None:
    """The shipped bank's edition is in its lock: nothing for the build to refuse."""
    assert check_lock(OLD, lock_for(OLD)) == []
    assert edition_of(OLD) in lock_for(OLD).editions


@given(
    st.text("abcXYZ019.", min_size=1, max_size=20),
    st.lists(st.from_regex(r"[a-z][a-z0-9_]{0,8}", fullmatch=True), unique=True, max_size=4),
    st.lists(st.from_regex(r"[a-z][a-z0-9_]{0,8}", fullmatch=True), unique=True, max_size=8),
)
def test_an_edition_written_to_a_lock_reads_back(
    version: str, relationships: list[str], questions: list[str]
) -> None:
    """The lock file's text reads back as the same editions, each with its short fingerprint."""
    edition = Edition(version, tuple(relationships), tuple(questions))
    lock = Lock("x.lock.json", (edition,))
    assert parse_lock(lock.to_json().encode(), "x.lock.json") == lock
    assert re.fullmatch(f"[0-9a-f]{{{2 * FINGERPRINT_BYTES}}}", edition.fingerprint)


def test_a_bank_edited_without_raising_its_version_is_caught(bank_data: dict[str, Any]) -> None:
    """Questions changed, version the same: the check says so in one line, and `lock` refuses."""
    changed, _, _ = next_edition_data(bank_data, OLD)
    changed["version"] = OLD.version
    edited = parse_bank(changed, "assessment/bank.toml")
    problems = check_lock(edited, lock_for(OLD))
    assert len(problems) == 1 and "\n" not in problems[0]
    assert f"changed but version {OLD.version} did not: raise version" in problems[0]
    with pytest.raises(LockError, match=f"{re.escape(OLD.version)} is already locked with other"):
        add_edition(lock_for(OLD), edited)


def test_a_version_not_in_the_lock_is_caught(bank_data: dict[str, Any]) -> None:
    """A raised version that was never locked: the check names the command that locks it."""
    changed, _, _ = next_edition_data(bank_data, OLD)
    raised = parse_bank(changed, "ours.toml")
    (problem,) = check_lock(raised, lock_for(OLD))
    assert f"version {raised.version} is not in" in problem
    assert "run python -m assessment lock --bank ours.toml" in problem
    locked, added = add_edition(lock_for(OLD), raised)
    assert added and check_lock(raised, locked) == []
    assert add_edition(locked, raised) == (locked, False)  # locking again changes nothing


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (b"{", "is not a JSON lock file"),
        (b"[" * 100_000, "is not a JSON lock file"),
        (b'{"editions": 3}', "must be a list of editions"),
        (b'{"editions": [3]}', "edition 1: must be an object"),
        (b'{"editions": [{"version": ""}]}', "field 'version'"),
        (b'{"editions": [{"version": "1", "relationships": [], "questions": ["A"]}]}', "ids"),
        (
            b'{"editions": [{"version": "1", "relationships": [], "questions": ["a", "a"]}]}',
            "twice",
        ),
        (
            b'{"editions": [{"version": "1", "relationships": [], "questions": [], '
            b'"fingerprint": "0000"}]}',
            "the edition was edited",
        ),
    ],
)
def test_a_malformed_lock_is_refused_naming_the_edition_and_field(
    text: bytes, message: str
) -> None:
    """A lock edited by hand is refused with one line naming what is wrong."""
    with pytest.raises(LockError, match=re.escape(message)) as caught:
        parse_lock(text, "bank.lock.json")
    assert str(caught.value).startswith("bank.lock.json: ")


def test_a_version_locked_twice_is_refused() -> None:
    """Two editions with one version in a lock: which one a code means could not be told."""
    one, two = Edition("1", (), ("a",)).to_dict(), Edition("1", (), ("b",)).to_dict()
    with pytest.raises(LockError, match="1 is locked twice"):
        parse_lock(json.dumps({"editions": [one, two]}).encode())


# -- Share codes across editions ----------------------------------------------------------------


@given(OLD_ANSWERS, RELATIONSHIPS, ORGANISATION, DAYS, NONCES)
def test_a_code_of_edition_n_reads_under_edition_n_plus_1_by_id(
    nxt: NextEdition,
    answers: dict[str, int | None],
    side: str | None,
    organisation: str | None,
    day: date,
    nonce: int,
) -> None:
    """Edition N's code under N+1: the answers by question id, the removed question's answer
    left out and named, the day, side, organisation and nonce kept, the edition said."""
    code = encode(
        answers, OLD, relationship=side, given=day, organisation=organisation, nonce=nonce
    )
    response = decode_response(code, nxt.bank)
    assert response.answers == by_id(answers, nxt.bank)
    assert response.dropped == ((nxt.removed,) if nxt.removed in answers else ())
    assert (response.relationship, response.given) == (side, day)
    assert (response.organisation, response.nonce) == (organisation, nonce)
    assert response.bank_version == OLD.version
    note = edition_note(response.bank_version, response.dropped, nxt.bank)
    assert f"Made with questions {OLD.version} (these are {nxt.bank.version})" in note
    assert f"1 question added since ({nxt.added})" in note
    assert f"1 question removed since ({nxt.removed})" in note


@given(OLD_ANSWERS, RELATIONSHIPS, st.one_of(st.none(), DAYS))
def test_old_formats_of_edition_n_read_under_edition_n_plus_1(
    nxt: NextEdition, answers: dict[str, int | None], side: str | None, day: date | None
) -> None:
    """Format-2 and format-1 codes of an earlier edition read by question id as well."""
    response = decode_response(format_2_code(answers, OLD, side, day), nxt.bank)
    assert response.answers == by_id(answers, nxt.bank)
    assert (response.relationship, response.given, response.nonce) == (side, day, None)
    response = decode_response(format_1_code(answers, OLD), nxt.bank)
    assert response.answers == by_id(answers, nxt.bank) and response.bank_version == OLD.version


def test_a_code_of_a_newer_or_unknown_edition_is_refused_with_its_version(
    nxt: NextEdition,
) -> None:
    """Today's bank does not know N+1 (or another site's version): the code says which."""
    code = encode({nxt.added: 2}, nxt.bank)
    with pytest.raises(CodeError, match=f"made with version {re.escape(nxt.bank.version)} of"):
        decode_response(code, OLD)


def test_a_fork_edition_with_the_same_version_says_so(
    nxt: NextEdition, bank_data: dict[str, Any]
) -> None:
    """A fork's own N+1 (other questions, the same version string) is named, not 'damaged'."""
    fork_data, _, _ = next_edition_data(bank_data, OLD)
    fork_data["questions"] = fork_data["questions"][1:]
    fork = parse_bank(fork_data, "fork.toml")
    assert fork.version == nxt.bank.version and fork.question_ids != nxt.bank.question_ids
    with pytest.raises(CodeError, match="different set of questions that is also called"):
        decode_response(encode({}, fork), nxt.bank)


def test_a_relationship_the_later_edition_dropped_reads_as_not_said(
    bank_data: dict[str, Any],
) -> None:
    """A code whose side the later edition no longer has: the side is not said, the rest reads."""
    gone = OLD.relationships[-1].id
    later_data, _, _ = next_edition_data(bank_data, OLD)
    later_data["relationships"] = [r for r in later_data["relationships"] if r["id"] != gone]
    for question in later_data["questions"]:
        question.get("by_relationship", {}).pop(gone, None)
    later = parse_bank(later_data, "later.toml")
    lock = Lock("later.lock.json", (edition_of(OLD), edition_of(later)))
    response = decode_response(encode({}, OLD, relationship=gone), later, lock)
    assert response.relationship is None and response.bank_version == OLD.version


# -- Exports across editions --------------------------------------------------------------------


@given(OLD_ANSWERS, RELATIONSHIPS, ORGANISATION, st.one_of(st.none(), DAYS), NONCES)
def test_an_export_of_edition_n_reads_under_edition_n_plus_1_by_id(
    nxt: NextEdition,
    answers: dict[str, int | None],
    side: str | None,
    organisation: str | None,
    day: date | None,
    nonce: int,
) -> None:
    """An export of edition N under N+1: answers by question id, the removed one left out and
    named, side, organisation, day and nonce kept, the edition said."""
    code = encode(
        answers, OLD, relationship=side, given=day, dated=day is not None,
        organisation=organisation, nonce=nonce,
    )  # fmt: skip
    document = export_document(
        assess(answers, OLD), answers, code, relationship=side, given=day,
        organisation=organisation, nonce=nonce,
    )  # fmt: skip
    response = response_from_json(json.dumps(document), nxt.bank)
    assert response.answers == by_id(answers, nxt.bank)
    assert response.dropped == ((nxt.removed,) if nxt.removed in answers else ())
    assert (response.relationship, response.given) == (side, day)
    assert (response.organisation, response.nonce) == (organisation, nonce)
    assert response.bank_version == OLD.version
    assert response.key() == decode_response(code, nxt.bank).key()  # the file is the code
    note = edition_note(response.bank_version, response.dropped, nxt.bank)
    assert f"1 question added since ({nxt.added})" in note


def test_an_export_of_an_unknown_edition_reads_by_id(nxt: NextEdition) -> None:
    """An export of a version no lock knows: by question id, unknown ids left out and said."""
    answers = {nxt.bank.question_ids[0]: 4, "zz_not_here": 3}
    document = {"format": "partnership-assessment", "bank_version": "1999.1", "answers": answers}
    response = response_from_json(json.dumps(document), nxt.bank)
    assert response.answers == {nxt.bank.question_ids[0]: 4} and response.dropped == (
        "zz_not_here",
    )
    note = edition_note("1999.1", response.dropped, nxt.bank)
    assert "does not know" in note and "zz_not_here" in note


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("bank_version", "v 1/2", "field 'bank_version': 'v 1/2' is not a question bank version"),
        ("organisation", "ours", "field 'organisation': the organisation 'ours' is not one of"),
        ("nonce", -3, "field 'nonce': the nonce -3"),
        ("nonce", "12", "field 'nonce'"),
    ],
)
def test_an_export_with_a_wrong_new_field_names_it(field: str, value: Any, message: str) -> None:
    """The organisation and nonce an export now carries are checked like its other fields."""
    document = export_document(assess({}, OLD), {}, encode({}, OLD))
    document[field] = value
    with pytest.raises(AnswerError, match=re.escape(message)):
        response_from_json(json.dumps(document), OLD)


def test_an_export_of_this_edition_stays_strict() -> None:
    """An export of this very version naming a question the bank lacks is refused, as before."""
    document = export_document(assess({}, OLD), {}, encode({}, OLD))
    document["answers"] = {"zz_not_here": 3}
    with pytest.raises(AnswerError, match="Unknown question id 'zz_not_here'"):
        response_from_json(json.dumps(document), OLD)


# -- Kept results and team sets across editions --------------------------------------------------


def test_a_history_of_edition_n_is_kept_and_marked_under_edition_n_plus_1(
    nxt: NextEdition,
) -> None:
    """Results kept under N stay under N+1, scored by question id and marked with their
    edition; a code no edition reads stays kept, listed with why; nothing is dropped."""
    older = encode({q: 2 for q in OLD.question_ids}, OLD, given=date(2026, 1, 5))
    old_format = format_2_code({q: 3 for q in OLD.question_ids}, OLD, None, date(2026, 2, 5))
    newer = encode({q: 4 for q in nxt.bank.question_ids}, nxt.bank, given=date(2026, 3, 5))
    foreign = "3-1999.1-AAAAAAAAAAAAAAAA"
    history = read_history([newer, foreign, older, old_format], nxt.bank)
    assert history.codes == (older, old_format, newer)
    assert history.versions == (OLD.version, OLD.version, nxt.bank.version)
    assert history.dropped == 0
    assert [code for code, _ in history.unreadable] == [foreign]
    assert set(history.kept) == {older, old_format, newer, foreign}
    html = to_html(history, nxt.bank)
    assert html.count(f"(made with questions {OLD.version})") == 2
    assert "version 1999.1" in html and f'data-history-delete="{foreign}"' in html


def test_the_compare_page_combines_codes_of_both_editions(nxt: NextEdition) -> None:
    """A set with codes of N and N+1 combines under N+1; a pasted code of N is carried as
    N+1's code with the same nonce, and the same reply pasted twice still counts once."""
    old_code = encode({q: 2 for q in OLD.question_ids}, OLD, relationship=FIRST_SIDE, nonce=5)
    new_code = encode({q: 4 for q in nxt.bank.question_ids}, nxt.bank, relationship=SECOND_SIDE)
    pasted = read_pasted(f"{old_code} {new_code}", nxt.bank)
    assert pasted["refused"] == []
    carried, _ = pasted["items"]
    assert carried["bank_version"] == OLD.version and nxt.added in carried["note"]
    assert carried["code"] != old_code
    assert decode_response(carried["code"], nxt.bank).key() == (
        decode_response(old_code, nxt.bank).key()
    )
    items = [{"code": old_code}, {"code": carried["code"]}, {"code": new_code}]
    view = team_view(items, "", bank=nxt.bank)
    assert view["result"]["respondents"] == 2 and view["duplicates"] == [2]
    opened = items_from_fragment(f"#set={old_code}%2C{new_code}", nxt.bank)
    assert opened["refused"] == [] and len(opened["items"]) == 2


def test_a_team_keeps_two_people_with_the_same_answers_and_their_organisation() -> None:
    """Identical answers, side and day from two people: two respondents (their nonces differ);
    each respondent carries the organisation its code says."""
    answers = {q: 3 for q in OLD.question_ids}
    first = decode_response(encode(answers, OLD, relationship=LAST_SIDE, organisation="partner"))
    second = decode_response(encode(answers, OLD, relationship=LAST_SIDE, organisation="organiser"))
    team = combine([first, second, first], OLD)
    assert len(team.respondents) == 2 and team.duplicates == ((3, 1),)
    assert [r.organisation for r in team.respondents] == ["partner", "organiser"]
    assert combine([dataclasses.replace(first, bank_version="1999.1")], OLD).respondents


def test_responses_answering_questions_the_bank_lacks_are_refused_by_number() -> None:
    """A response of another edition that still names a question these lack cannot combine."""
    from assessment.team import TeamError

    stray = decode_response(encode({}, OLD))
    stray = dataclasses.replace(stray, answers={"zz_not_here": 3}, bank_version="1999.1")
    with pytest.raises(TeamError, match=r"Response 2 was made with version 1999\.1"):
        combine([decode_response(encode({}, OLD)), stray], OLD)


def test_a_lock_beside_a_bank_file_is_found_and_reread_when_it_changes(tmp_path: Path) -> None:
    """lock_for reads the lock beside the bank's file, and again after `lock` rewrote it."""
    bank_file = tmp_path / "ours.toml"
    bank_file.write_bytes(SHIPPED_BANK.read_bytes())
    ours = load_bank(bank_file)
    assert lock_for(ours) == Lock(str(tmp_path / "ours.lock.json"))
    locked, _ = add_edition(lock_for(ours), ours)
    write_lock(locked)
    assert lock_for(ours).editions == (edition_of(ours),)
    assert check_lock(ours, lock_for(ours)) == []
