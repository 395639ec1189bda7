"""The command line's engine options: --format plan, --rescore FOLDER, --perspective."""

from __future__ import annotations

import json
from pathlib import Path

from assessment import Bank, assess, encode
from assessment.examples import SCENARIOS, scenario
from tests.conftest import run_cli


def test_rescore_prints_one_line_per_export(tmp_path: Path, bank: Bank) -> None:
    """Each exported file is re-scored with the bank: file, verdict and overall, in name order."""
    expected = []
    for item in SCENARIOS:
        answers = item.answers(bank)
        code = encode(answers, bank)
        export = run_cli("--code", code, "--format", "json")
        assert export.returncode == 0, export.stderr
        (tmp_path / f"{item.id}.json").write_text(export.stdout, encoding="utf-8")
        result = assess(answers, bank)
        overall = "not enough answers" if result.overall is None else f"{result.overall:.0f}"
        expected.append(f"{item.id}.json\t{result.verdict}\t{overall}")
    (tmp_path / "notes.txt").write_text("not an export", encoding="utf-8")
    done = run_cli("--rescore", str(tmp_path))
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == sorted(expected)


def test_rescore_reports_a_bad_file_and_carries_on(tmp_path: Path, bank: Bank) -> None:
    """A malformed file gets its own error line; the others are still scored; status 1."""
    (tmp_path / "a.json").write_text(json.dumps(scenario("healthy").answers(bank)), "utf-8")
    (tmp_path / "b.json").write_text('{"no_such_question": 3}', encoding="utf-8")
    done = run_cli("--rescore", str(tmp_path))
    assert done.returncode == 1
    lines = done.stdout.splitlines()
    assert lines[0] == "a.json\tstay\t80"
    assert lines[1].startswith("b.json\terror\t") and "no_such_question" in lines[1]


def test_rescore_refuses_a_folder_without_exports(tmp_path: Path) -> None:
    """No JSON file (or no folder at all) is one clear line and status 1, never a traceback."""
    for target in (tmp_path, tmp_path / "missing"):
        done = run_cli("--rescore", str(target))
        assert done.returncode == 1
        assert done.stderr.startswith("error: --rescore:") and "Traceback" not in done.stderr


def test_format_plan_prints_the_plan(bank: Bank) -> None:
    """--format plan prints the Markdown plan with the weakest answers and blank owners."""
    answers = scenario("no_written_agreement").answers(bank)
    done = run_cli("--code", encode(answers, bank), "--format", "plan")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("# Repair plan")
    assert "| Owner |" in done.stdout or "Owner (one person)" in done.stdout


def test_perspective_choices_come_from_the_bank(bank: Bank) -> None:
    """--help names the bank's sides; a side the bank lacks is refused naming the ones it has."""
    help_text = run_cli("--help").stdout
    for side in bank.relationships:
        assert side.id in help_text
    done = run_cli("--perspective", "investor", "--code", encode({}, bank))
    assert done.returncode == 1
    assert "'investor' is not a side" in done.stderr
    assert all(side.id in done.stderr for side in bank.relationships)
