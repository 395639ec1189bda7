"""partnership-exit-plan: the command line of the exit planner, run as a subprocess."""

from __future__ import annotations

import json
import subprocess
import sys
import tomllib
from pathlib import Path

import icalendar
import pytest

from assessment.decision import document
from assessment.exit_plan import plan_from_form
from assessment.exit_report import to_markdown

ROOT = Path(__file__).resolve().parent.parent
WORKED = ["--renews", "2027-03-31", "--notice", "1 month", "--today", "2026-11-25"]
# A number one digit longer than Python converts from text (sys.get_int_max_str_digits()).
HUGE = "1" * 4_301


def run(*args: str) -> subprocess.CompletedProcess[bytes]:
    """The command line in a fresh interpreter, as a user would run it."""
    return subprocess.run(
        [sys.executable, "-m", "assessment.exit_cli", *args],
        capture_output=True,
        cwd=ROOT,
        check=False,
        timeout=60,
    )


def test_the_console_script_is_declared() -> None:
    """pyproject.toml installs partnership-exit-plan pointing at this module's main."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["scripts"]["partnership-exit-plan"] == "assessment.exit_cli:main"


def test_json_gives_the_worked_example_and_equals_the_page_function() -> None:
    """The JSON has the issue's fields and equals what the page's function computes."""
    done = run(*WORKED, "--format", "json")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["notice_deadline"] == "2027-02-26"
    assert data["deadline_as_written"] == "2027-02-28"
    assert data["send_by"] == "2027-02-19"
    assert data["end_date"] == "2027-03-31"
    dates = [task["date"] for task in data["tasks"]]
    assert dates == sorted(dates)
    page = plan_from_form(
        {"case": "renews", "renews": "2027-03-31", "notice": "1 month", "today": "2026-11-25"}
    )
    assert data == page.to_dict()


def test_convenience_and_cause_cases() -> None:
    """--notice-given and --concern-sent/--cure give their end dates; null where n/a."""
    convenience = json.loads(
        run(
            "--notice-given", "2027-01-31", "--notice", "1 month", "--today", "2027-02-10",
            "--format", "json",
        ).stdout
    )  # fmt: skip
    assert convenience["end_date"] == "2027-02-28"
    assert convenience["notice_deadline"] is None
    # Planned for a Sunday still to come: given on the Monday, and counted from there.
    planned = json.loads(
        run(
            "--notice-given", "2027-01-31", "--notice", "1 month", "--today", "2026-11-25",
            "--format", "json",
        ).stdout
    )  # fmt: skip
    assert (planned["notice_date"], planned["end_date"]) == ("2027-02-01", "2027-03-01")
    cause = json.loads(
        run("--concern-sent", "2027-01-15", "--cure", "30 days", "--format", "json").stdout
    )
    assert cause["cure_ends"] == "2027-02-14"
    assert cause["end_date"] == "2027-02-15"


def test_the_ics_output_is_crlf_and_parses() -> None:
    """--format ics writes bytes with CRLF line ends that the icalendar library reads; without
    --plan-id it makes one and says which, so the next calendar can update these events."""
    done = run(*WORKED, "--term", "1 year", "--format", "ics", "--calendar", "every-step")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(b"BEGIN:VCALENDAR\r\n")
    assert b"\n" not in done.stdout.replace(b"\r\n", b"")
    events = icalendar.Calendar.from_ical(done.stdout).walk("VEVENT")
    assert len(events) > 20
    note = done.stderr.decode("utf-8")
    assert note.startswith("note: this calendar's plan id is ") and note.count("\n") == 1
    plan_id = note.split("plan id is ")[1].split(":")[0]
    assert all(str(event["UID"]).endswith(f".{plan_id}@exit-plan") for event in events)
    again = run(*WORKED, "--term", "1 year", "--format", "ics", "--plan-id", plan_id,
                "--calendar", "every-step")  # fmt: skip
    assert again.stdout == done.stdout and again.stderr == b""
    later = run(*WORKED, "--format", "ics", "--plan-id", plan_id, "--sequence", "1")
    updated = icalendar.Calendar.from_ical(later.stdout).walk("VEVENT")
    assert {str(e["UID"]) for e in updated} <= {str(e["UID"]) for e in events}
    assert {int(str(e["SEQUENCE"])) for e in updated} == {1}


def test_markdown_and_text_outputs() -> None:
    """Markdown equals the library's renderer; text names the key dates."""
    markdown = run(*WORKED, "--format", "markdown").stdout.decode("utf-8")
    page = plan_from_form(
        {"case": "renews", "renews": "2027-03-31", "notice": "1 month", "today": "2026-11-25"}
    )
    assert markdown.replace("\r\n", "\n") == to_markdown(page)
    text = run(*WORKED).stdout.decode("utf-8")
    assert "2027-02-26  Notice must arrive by" in text


def test_today_defaults_to_the_real_date() -> None:
    """Without --today the command still plans (from the system date)."""
    done = run("--notice-given", "2030-01-31", "--notice", "60 days", "--format", "json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["end_date"] == "2030-04-01"


@pytest.mark.parametrize(
    ("args", "named"),
    [
        (["--renews", "2027-02-30", "--notice", "1 month"], "--renews"),
        (["--renews", "2027-03-31", "--notice", "a while"], "--notice"),
        (["--renews", "2027-03-31", "--notice", "0 days"], "--notice"),
        (["--renews", "2027-03-31", "--notice", "-2 weeks"], "--notice"),
        (["--renews", "2027-03-31"], "--notice"),
        (["--renews", "2027-03-31", "--notice", "1 month", "--term", "ever"], "--term"),
        (["--renews", "2027-03-31", "--notice", "1 month", "--margin", "-1"], "--margin"),
        (["--renews", "2027-03-31", "--notice", "1 month", "--today", "tomorrow"], "--today"),
        (["--concern-sent", "2027-03-31"], "--cure"),
        (["--concern-sent", "2027-03-31", "--cure", "0 days"], "--cure"),
        (["--notice-given", "2027-03-31", "--notice", "1 month", "--cure", "1 week"], "--cure"),
        (["--notice", "1 month"], "--renews"),
        (["--renews", "2027-03-31", "--notice-given", "2027-03-01"], "--notice-given"),
        (["--renews", "2027-03-31", "--notice", "1 month", "--format", "pdf"], "--format"),
        # Numbers past what Python converts (4,300 digits): the same one line, never a traceback.
        (["--renews", "2027-03-31", "--notice", f"{HUGE} days"], "--notice"),
        (["--renews", "2027-03-31", "--notice", f"-{HUGE} weeks"], "--notice"),
        (["--renews", "2027-03-31", "--notice", "1 month", "--term", f"{HUGE} years"], "--term"),
        (["--concern-sent", "2027-03-31", "--cure", f"{HUGE} days"], "--cure"),
        (["--renews", "2027-03-31", "--notice", "1 month", "--margin", HUGE], "--margin"),
        (["--renews", "2027-03-31", "--notice", "1 month", "--service", "pigeon"], "--service"),
        (["--renews", "2027-03-31", "--notice", "1 month", "--deemed", "soonish"], "--deemed"),
        (["--renews", "2027-03-31", "--notice", "1 month", "--closures", "32 Dec"], "--closures"),
        (["--renews", "2027-03-31", "--notice", "3 months", "--term", "1 month"], "--notice"),
        (["--renews", "2027-03-31", "--notice", "1 month", "--calendar", "all"], "--calendar"),
    ],
)
def test_bad_input_is_one_line_naming_the_field(args: list[str], named: str) -> None:
    """Each mistake exits non-zero with one line on stderr naming the option, no traceback."""
    done = run(*args)
    assert done.returncode != 0
    assert done.stdout == b""
    err = done.stderr.decode("utf-8")
    assert "Traceback" not in err
    assert len(err.strip().splitlines()) == 1, err
    assert err.startswith("error: ")
    assert named in err


def test_the_calendar_options_reach_the_plan() -> None:
    """--service, --deemed and --closures move the dates as the page's fields do."""
    args = [*WORKED, "--service", "post", "--deemed", "two business days after posting"]
    data = json.loads(run(*args, "--closures", "24 Dec to 1 Jan", "--format", "json").stdout)
    assert (data["latest_send"], data["send_by"]) == ("2027-02-24", "2027-02-17")
    assert data["closures"] == "24 Dec to 1 Jan"
    page = plan_from_form(
        {"case": "renews", "renews": "2027-03-31", "notice": "1 month", "today": "2026-11-25",
         "service": "post", "deemed": "two business days after posting",
         "closures": "24 Dec to 1 Jan"}
    )  # fmt: skip
    assert data == page.to_dict()


@pytest.mark.parametrize("sequence", [HUGE, "-1", "two", "1000001", "\uff11"])
@pytest.mark.parametrize("command", ["exit plan", "decision"])
def test_a_calendar_s_sequence_that_cannot_be_is_one_line_and_status_one(
    tmp_path: Path, command: str, sequence: str
) -> None:
    """--sequence of either command that writes a calendar: one line naming it, status 1."""
    if command == "exit plan":
        done = run(*WORKED, "--format", "ics", "--plan-id", "abcdefgh12", f"--sequence={sequence}")
    else:
        path = tmp_path / "decision.json"
        path.write_text(json.dumps(document({})), encoding="utf-8")
        done = subprocess.run(
            [sys.executable, "-m", "assessment.decision_cli", str(path), "--format", "ics",
             f"--sequence={sequence}"],
            capture_output=True, check=False, timeout=60,
        )  # fmt: skip
    err = done.stderr.decode("utf-8")
    assert done.returncode == 1 and done.stdout == b"", err
    assert len(err.strip().splitlines()) == 1 and err.startswith("error: --sequence: "), err
