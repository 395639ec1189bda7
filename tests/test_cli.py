"""The command line, run as a person would: python -m assessment in a subprocess."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from assessment import Bank, assess, decode_response, encode, load_bank
from assessment.examples import scenario
from tests.conftest import run_cli
from tests.strategies import FIRST_SIDE, SECOND_SIDE


def test_help_describes_the_options() -> None:
    """--help lists the ways in and the output formats."""
    done = run_cli("--help")
    assert done.returncode == 0
    for option in ("--answers", "--code", "--format", "--bank"):
        assert option in done.stdout


def test_scores_an_answers_file(tmp_path: Path, bank: Bank) -> None:
    """--answers FILE --format json prints the same result as assess()."""
    answers = scenario("no_written_agreement").answers(bank)
    path = tmp_path / "answers.json"
    path.write_text(json.dumps(answers), encoding="utf-8")
    done = run_cli("--answers", str(path), "--format", "json")
    assert done.returncode == 0, done.stderr
    document = json.loads(done.stdout)
    assert document["result"] == assess(answers).to_dict()
    # The code's nonce is made from the file's answers: the same file gives the same code.
    code = document["share_code"]
    assert code == encode(answers, nonce=decode_response(code).nonce)
    assert (
        json.loads(run_cli("--answers", str(path), "--format", "json").stdout)["share_code"] == code
    )
    assert document["bank_version"] == bank.version


def test_exported_json_can_be_scored_again(tmp_path: Path, bank: Bank) -> None:
    """The JSON export (from the page or the command line) is itself a valid answers file."""
    answers = scenario("healthy").answers(bank)
    source = tmp_path / "a.json"
    source.write_text(json.dumps(answers), encoding="utf-8")
    export = tmp_path / "export.json"
    export.write_text(
        run_cli("--answers", str(source), "--format", "json").stdout, encoding="utf-8"
    )
    again = run_cli("--answers", str(export), "--format", "text")
    assert again.returncode == 0, again.stderr
    assert "Verdict: STAY" in again.stdout


def test_scores_a_share_code_as_markdown(bank: Bank) -> None:
    """--code CODE --format markdown prints the report."""
    code = encode(scenario("no_value_one_sided").answers(bank))
    done = run_cli("--code", code, "--format", "markdown")
    assert done.returncode == 0, done.stderr
    assert "**Verdict: Go" in done.stdout


def test_text_output_shows_verdict_scores_and_share_code(bank: Bank) -> None:
    """The default text output is readable in a terminal."""
    answers = scenario("no_written_agreement").answers(bank)
    code = encode(answers)
    done = run_cli("--code", code)
    assert "Verdict: REPAIR" in done.stdout
    assert "Expectation clarity" in done.stdout
    assert f"Share code: {code}" in done.stdout  # the same respondent: the same nonce


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('{"no_such_question": 3}', "Unknown question id 'no_such_question'"),
        ('{"cf_values": 9}', "out of range"),
        ("{not json", "is not valid JSON"),
        ("[1, 2, 3]", "expected a JSON object"),
        ('{"format": "partnership-assessment", "bank_version": "v 0.1", "answers": {}}', "0.1"),
    ],
)
def test_bad_answers_file_gives_one_clear_line(tmp_path: Path, content: str, message: str) -> None:
    """Bad input prints one line naming the problem, exits non-zero, and shows no traceback."""
    path = tmp_path / "answers.json"
    path.write_text(content, encoding="utf-8")
    done = run_cli("--answers", str(path))
    assert done.returncode != 0
    assert message in done.stderr
    assert "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1


def test_missing_answers_file(tmp_path: Path) -> None:
    """A path that does not exist is named in the error."""
    done = run_cli("--answers", str(tmp_path / "nope.json"))
    assert done.returncode == 1 and "nope.json: cannot be read" in done.stderr


def test_bad_code_gives_one_clear_line() -> None:
    """A malformed share code is refused with the decoder's message."""
    done = run_cli("--code", "1-2026.1-!!!")
    assert done.returncode == 1
    assert done.stderr.startswith("error: This is not a share code")
    assert "Traceback" not in done.stderr


def test_invalid_bank_gives_one_clear_line(tmp_path: Path) -> None:
    """--bank with a malformed bank names the file, the item and the field."""
    from assessment.bank import SHIPPED_BANK

    broken = tmp_path / "bank.toml"
    broken.write_text(
        SHIPPED_BANK.read_text(encoding="utf-8").replace("weight = 1.5", "weight = -2", 1),
        encoding="utf-8",
    )
    done = run_cli("--bank", str(broken), "--code", "x")
    assert done.returncode == 1
    assert str(broken) in done.stderr and "'weight'" in done.stderr
    assert "Traceback" not in done.stderr


def test_interactive_questionnaire_with_back_and_dont_know(bank: Bank) -> None:
    """Typing through every question (with a mistake, a step back and a don't-know) scores."""
    count = len(bank.questions)
    # Relationship 2 (the bank's second: provider); q1 = 4; a typo; go back; re-answer q1 = 5;
    # q2 don't know; rest 4.
    replies = ["2", "4", "seven", "b", "5", "?"] + ["4"] * (count - 2)
    done = run_cli("--format", "json", stdin="\n".join(replies) + "\n")
    assert done.returncode == 0, done.stderr
    answers = json.loads(done.stdout)["answers"]
    first, second = bank.question_ids[:2]
    assert answers[first] == 5 and answers[second] is None
    assert len(answers) == count
    assert "Please type a level" in done.stderr
    # The questions are asked in the chosen relationship's wording, where the bank has one.
    worded = [dict(q.by_relationship)[SECOND_SIDE] for q in bank.questions
              if SECOND_SIDE in dict(q.by_relationship)]  # fmt: skip
    assert all(text in done.stderr for text in worded)


def test_interactive_input_ending_early_scores_nothing() -> None:
    """Closing the input half-way stops cleanly, without a traceback."""
    done = run_cli(stdin="1\n3\n")
    assert done.returncode == 1
    assert "nothing was scored" in done.stderr and "Traceback" not in done.stderr


def test_the_export_keeps_the_relationship_and_day_the_code_carries() -> None:
    """A share code's relationship and day go into the JSON export; --perspective names it."""
    bank = load_bank()
    answers = dict.fromkeys(bank.question_ids[:10], 3)
    code = encode(answers, bank, relationship=SECOND_SIDE, given=date(2026, 3, 1))
    exported = json.loads(run_cli("--code", code, "--format", "json").stdout)
    assert (exported["relationship"], exported["date"]) == (SECOND_SIDE, "2026-03-01")
    assert decode_response(exported["share_code"]).relationship == SECOND_SIDE
    chosen = json.loads(
        run_cli("--code", code, "--perspective", FIRST_SIDE, "--format", "json").stdout
    )
    assert chosen["relationship"] == FIRST_SIDE
