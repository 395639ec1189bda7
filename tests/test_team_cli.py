"""The command line's team mode, run as a person would: several --code/--answers, --over-time."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from assessment import Bank, Response, assess, encode
from assessment.exports import export_document
from assessment.scoring import shown
from assessment.team import combine
from tests.conftest import run_cli
from tests.strategies import FIRST_SIDE, LAST_SIDE, SECOND_SIDE, side_name, story


@pytest.fixture(scope="module")
def codes() -> dict[str, str]:
    """Share codes of a two-sided set (the bank's first two sides, "client" and "provider"),
    one of them from half a year later."""
    healthy, unhealthy = story("healthy"), story("no_written_agreement")
    return {
        "client": encode(healthy, relationship=FIRST_SIDE, given=date(2026, 1, 10)),
        "provider": encode(unhealthy, relationship=SECOND_SIDE, given=date(2026, 1, 12)),
        "later": encode(healthy, relationship=SECOND_SIDE, given=date(2026, 7, 1)),
    }


def test_two_codes_print_the_team_report_as_json(codes: dict[str, str], bank: Bank) -> None:
    """The JSON team report equals the engine's, with the keys other tools read."""
    done = run_cli("--code", codes["client"], "--code", codes["provider"], "--format", "json")
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    expected = combine(
        [
            Response(story("healthy"), FIRST_SIDE, date(2026, 1, 10), bank.version),
            Response(story("no_written_agreement"), SECOND_SIDE, date(2026, 1, 12), bank.version),
        ]
    ).to_dict()
    assert report == json.loads(json.dumps(expected))
    assert report["respondents"] == 2
    for key in ("verdict", "reasons", "dimensions", "disagreements", "deal_breakers"):
        assert key in report


def test_codes_and_answers_files_mix(codes: dict[str, str], tmp_path: Path, bank: Bank) -> None:
    """--answers and --code together: an exported file (with its side) joins the codes."""
    answers = story("no_value_one_sided")
    document = export_document(
        assess(answers), answers, encode(answers), relationship=LAST_SIDE, given=date(2026, 2, 1)
    )
    path = tmp_path / "export.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    done = run_cli("--code", codes["client"], "--answers", str(path), "--format", "json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["sides"] == {FIRST_SIDE: 1, LAST_SIDE: 1}


def test_the_same_code_twice_is_a_team_report_that_flags_it(codes: dict[str, str]) -> None:
    """Two identical inputs still give the team report, counting the response once."""
    done = run_cli("--code", codes["client"], "--code", codes["client"], "--format", "json")
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["respondents"] == 1
    assert report["duplicates"] == [{"input": 2, "same_as": 1}]
    text = run_cli("--code", codes["client"], "--code", codes["client"]).stdout
    assert "Input 2 is the same response as input 1" in text


def test_text_and_markdown_team_reports(codes: dict[str, str]) -> None:
    """The default text and the Markdown report show the verdict and the sides' views."""
    text = run_cli("--code", codes["client"], "--code", codes["provider"])
    assert text.returncode == 0 and text.stdout.startswith("Team verdict: ")
    assert "Talk about these first:" in text.stdout
    markdown = run_cli(
        "--code", codes["client"], "--code", codes["provider"], "--format", "markdown"
    )
    sides = f"{side_name(FIRST_SIDE)} | {side_name(SECOND_SIDE)}"
    assert f"| Dimension | Team | Range | {sides} | Gap |" in markdown.stdout


def test_bad_inputs_among_good_are_each_named(codes: dict[str, str], tmp_path: Path) -> None:
    """Which input and why, for every bad one; nothing combined; a non-zero exit."""
    broken = tmp_path / "broken.json"
    broken.write_text('{"cf_values": 2, "cf_values": 3}', encoding="utf-8")
    done = run_cli(
        "--code", codes["client"],
        "--code", codes["provider"][:-2],
        "--code", "1-1999.9-AAAA",
        "--answers", str(broken),
    )  # fmt: skip
    assert done.returncode == 1
    assert done.stdout == ""
    lines = done.stderr.strip().splitlines()
    assert lines[0].startswith("error: input 2 (code ") and "damaged" in lines[0]
    assert lines[1].startswith("error: input 3 (code 1-1999.9-AAAA)") and "1999.9" in lines[1]
    assert lines[2].startswith("error: input 4 (answers file ") and "appears twice" in lines[2]
    assert "3 of 4 inputs could not be read" in lines[3]
    assert "Traceback" not in done.stderr


def test_over_time_orders_by_date(codes: dict[str, str]) -> None:
    """--over-time: the inputs as one series by date, with the change since the previous."""
    done = run_cli("--over-time", "--code", codes["later"], "--code", codes["provider"])
    assert done.returncode == 0, done.stderr
    assert done.stdout.index("2026-01-12") < done.stdout.index("2026-07-01")
    healthy, unhealthy = assess(story("healthy")), assess(story("no_written_agreement"))
    assert f"Verdict: {unhealthy.verdict_label} -> {healthy.verdict_label}" in done.stdout
    data = json.loads(
        run_cli(
            "--over-time", "--code", codes["later"], "--code", codes["provider"], "--format", "json"
        ).stdout
    )
    assert [p["date"] for p in data["points"]] == ["2026-01-12", "2026-07-01"]
    healthy, unhealthy = assess(story("healthy")), assess(story("no_written_agreement"))
    assert healthy.overall is not None and unhealthy.overall is not None
    # A change is the difference of the two numbers shown (scoring.shown).
    assert data["points"][1]["changes"]["overall"] == shown(healthy.overall) - shown(
        unhealthy.overall
    )


def old_code(bank: Bank) -> str:
    """A format-1 code (no side, no day) of an empty answer set, for today's bank version."""
    import base64

    from assessment import codec

    packed = codec._pack([0] * len(bank.question_ids))
    body = packed + codec._check("1", bank, packed)
    return f"1-{bank.version}-" + base64.urlsafe_b64encode(body).decode().rstrip("=")


def test_over_time_refuses_an_undated_code(codes: dict[str, str], bank: Bank) -> None:
    """A format-1 code has no date: --over-time names it."""
    done = run_cli("--over-time", "--code", codes["client"], "--code", old_code(bank))
    assert done.returncode == 1
    assert "Input 2 has no date" in done.stderr


def test_a_single_code_still_gives_the_single_report(codes: dict[str, str]) -> None:
    """One input is scored as before: the single-person report, not a team of one."""
    done = run_cli("--code", codes["client"])
    verdict = assess(story("healthy")).verdict_label.upper()
    assert done.returncode == 0 and done.stdout.startswith(f"Verdict: {verdict}")
