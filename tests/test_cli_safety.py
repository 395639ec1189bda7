"""The command line is safe in any terminal: no raw control text, no flood, no traceback.

Each test runs `python -m assessment` in a subprocess, as a person or a script would, with
hostile input (an answers file or a bank carrying escape sequences, a huge key, a huge file) or
hostile surroundings (standard input or output closed, a full disk, an ASCII-only locale).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assessment import Bank, encode, load_bank
from assessment.bank import SHIPPED_BANK
from assessment.examples import scenario
from assessment.exports import MAX_EXPORT_BYTES
from assessment.terminal import (
    MAX_BANK_BYTES,
    fit_encoding,
    message_line,
    neutralise,
    size_text,
)
from assessment.text import excerpt
from tests.conftest import copy_package, run_copied_package

REPO = Path(__file__).resolve().parents[1]
FORMATS = ("text", "json", "markdown")
# Clear the screen, home the cursor, set the window title (OSC ... BEL), a C1 CSI (one byte in
# some terminals) and a right-to-left override, written as TOML / JSON escapes.
PAYLOAD = r"\u001b[2J\u001b[H\u001b]0;pwned\u0007\u009b31m\u202eX"
RAW_PAYLOAD = json.loads(f'"{PAYLOAD}"')
NON_ASCII = "Café “fit” — 日本 "


def run(
    *args: str,
    stdin: bytes | int | None = b"",
    stdout: int | None = subprocess.PIPE,
    env: dict[str, str] | None = None,
    shell_redirect: str = "",
) -> subprocess.CompletedProcess[bytes]:
    """Run the command line; `shell_redirect` (e.g. '>&-') is applied by sh before exec."""
    command = [sys.executable, "-m", "assessment", *args]
    if shell_redirect:
        command = ["sh", "-c", f'exec "$@" {shell_redirect}', "sh", *command]
    return subprocess.run(
        command,
        input=stdin if isinstance(stdin, bytes) else None,
        stdin=None if isinstance(stdin, bytes) else stdin,
        stdout=stdout,
        stderr=subprocess.PIPE,
        env={**os.environ, **(env or {})},
        timeout=60,
        check=False,
    )


def raw_controls(data: bytes) -> list[str]:
    """The control, format and separator characters in output (newline and tab are fine)."""
    text = data.decode("utf-8", "replace")
    return [
        ch
        for ch in text
        if unicodedata.category(ch) in {"Cc", "Cf", "Zl", "Zp"} and ch not in "\n\t\u200c\u200d"
    ]


def assert_clean_failure(done: subprocess.CompletedProcess[bytes]) -> str:
    """A non-zero exit with one neutral line on stderr and no traceback; returns stderr."""
    err = done.stderr.decode("utf-8", "replace")
    assert done.returncode != 0, err
    assert "Traceback" not in err and "Exception ignored" not in err, err
    assert raw_controls(done.stderr) == [], err
    assert len(err.strip().splitlines()) == 1, err
    return err


def tampered_bank(tmp_path: Path, prefix: str) -> Path:
    """A copy of the shipped bank with `prefix` (TOML text) before every title, text and label."""
    text = SHIPPED_BANK.read_text(encoding="utf-8")
    # Replacement functions, so that the prefix's backslashes stay TOML escapes.
    text = re.sub(
        r'^(title|text|summary|label|description) = "',
        lambda m: f'{m.group(1)} = "{prefix}',
        text,
        flags=re.M,
    )
    # Level texts sit one per line inside `levels = [...]`.
    text = re.sub(r'^  "(?=[A-Z])', lambda _: f'  "{prefix}', text, flags=re.M)
    path = tmp_path / "tampered.toml"
    path.write_text(text, encoding="utf-8")
    return path


def healthy_code(bank: Bank) -> str:
    """A share code for the healthy scenario under this bank."""
    return encode(scenario("healthy").answers(bank), bank)


# --- Control characters from an answers file or a bank -----------------------------------


@pytest.mark.parametrize("output", FORMATS)
def test_answers_file_key_with_escapes_is_neutralised(tmp_path: Path, output: str) -> None:
    """An answers-file key cannot clear the screen or print a fake second error line."""
    path = tmp_path / "answers.json"
    path.write_text(f'{{"{PAYLOAD}\\nerror: all fine": 3}}', encoding="utf-8")
    done = run("--answers", str(path), "--format", output)
    err = assert_clean_failure(done)
    assert "Unknown question id" in err
    assert "\\x1b[2J" in err  # Shown, visibly, as what it is.
    assert done.stdout == b""


def test_file_name_with_escapes_is_neutralised(tmp_path: Path) -> None:
    """A path that cannot be read is named in the error without its control characters."""
    done = run("--answers", str(tmp_path / f"{RAW_PAYLOAD}.json"))
    err = assert_clean_failure(done)
    assert "cannot be read" in err


def test_unknown_argument_with_escapes_is_neutralised() -> None:
    """argparse's own errors echo arguments: they are neutralised too."""
    done = run(f"{RAW_PAYLOAD}stray")
    err = done.stderr.decode()
    assert done.returncode == 2
    assert raw_controls(done.stderr) == [], err
    assert "unrecognized arguments" in err and "Traceback" not in err


@pytest.mark.parametrize("output", FORMATS)
def test_bank_text_with_escapes_never_reaches_the_output_raw(tmp_path: Path, output: str) -> None:
    """A bank's titles, texts and verdicts are neutralised in every output format."""
    path = tampered_bank(tmp_path, PAYLOAD)
    bank = load_bank(path)
    assert RAW_PAYLOAD in bank.dimensions[0].title  # The tampering did reach the bank.
    done = run("--bank", str(path), "--code", healthy_code(bank), "--format", output)
    assert done.returncode == 0, done.stderr.decode()
    assert raw_controls(done.stdout) == []
    assert done.stderr == b""


def test_bank_text_with_escapes_is_neutralised_in_interactive_mode(tmp_path: Path) -> None:
    """The questionnaire's prompts (questions, levels, sides) show a bank's escapes inert."""
    path = tampered_bank(tmp_path, PAYLOAD)
    count = len(load_bank(path).questions)
    done = run("--bank", str(path), "--format", "markdown", stdin=b"1\n" + b"3\n" * count)
    assert done.returncode == 0, done.stderr.decode()
    assert raw_controls(done.stderr) == []
    assert raw_controls(done.stdout) == []
    assert b"\\x1b[2J" in done.stderr  # The question text is there, made visible.


def test_a_bank_error_quoting_bank_text_is_neutralised(tmp_path: Path) -> None:
    """A malformed bank's error quotes its bad value inert and short."""
    text = SHIPPED_BANK.read_text(encoding="utf-8")
    path = tmp_path / "bad.toml"
    long_id = "x" * 5000
    path.write_text(
        text.replace('id = "cf_values"', f'id = "{PAYLOAD}{long_id}"', 1), encoding="utf-8"
    )
    err = assert_clean_failure(run("--bank", str(path), "--code", "x"))
    assert "'id'" in err and len(err) < 500


# --- Error messages quote a short excerpt only --------------------------------------------


def test_a_huge_key_is_not_echoed_whole(tmp_path: Path) -> None:
    """A key of nearly 1 MB (under the file limit) is quoted as a short excerpt."""
    path = tmp_path / "answers.json"
    path.write_text(json.dumps({"k" * 900_000: 3}), encoding="utf-8")
    err = assert_clean_failure(run("--answers", str(path)))
    assert "Unknown question id" in err
    assert len(err) < 500


def test_a_5mb_key_is_refused_without_echo(tmp_path: Path) -> None:
    """A 5 MB key makes the file too large: refused by its size, the key never printed."""
    path = tmp_path / "answers.json"
    path.write_text(json.dumps({"k" * 5_000_000: 3}), encoding="utf-8")
    err = assert_clean_failure(run("--answers", str(path)))
    assert "larger than 1 MB" in err and len(err) < 500


# --- Input files above the limit ----------------------------------------------------------


def test_answers_file_above_the_limit_is_refused(tmp_path: Path, bank: Bank) -> None:
    """One byte over the page's import limit is refused with the limit in the message."""
    answers = json.dumps(scenario("healthy").answers(bank))
    at_limit = tmp_path / "at.json"
    at_limit.write_text(answers + " " * (MAX_EXPORT_BYTES - len(answers)), encoding="utf-8")
    assert at_limit.stat().st_size == MAX_EXPORT_BYTES
    assert run("--answers", str(at_limit)).returncode == 0
    over = tmp_path / "over.json"
    over.write_text(answers + " " * (MAX_EXPORT_BYTES + 1 - len(answers)), encoding="utf-8")
    err = assert_clean_failure(run("--answers", str(over)))
    assert f"larger than {size_text(MAX_EXPORT_BYTES)}" in err and "over.json" in err


def test_an_endless_answers_file_is_refused() -> None:
    """/dev/zero as an answers file is refused by size, not read until memory runs out."""
    err = assert_clean_failure(run("--answers", "/dev/zero"))
    assert "larger than 1 MB" in err


@pytest.mark.parametrize("args", [("--bank",), ("--help", "--bank")])
@pytest.mark.parametrize("opener", ["[", "{a = "])
def test_a_bank_nesting_a_thousand_deep_is_one_line(
    tmp_path: Path, args: tuple[str, ...], opener: str
) -> None:
    """A bank file nesting arrays (or inline tables) 1,000 deep: one line, status 1, no
    RecursionError."""
    closer = "]" if opener == "[" else "}"
    nested = tmp_path / "b.toml"
    nested.write_text(f"a = {opener * 1000}{closer * 1000}\n", encoding="utf-8")
    err = assert_clean_failure(run(*args, str(nested)))
    assert "nested far too deeply" in err and "b.toml" in err


def test_bank_file_above_the_limit_is_refused(tmp_path: Path) -> None:
    """A bank over its limit is refused before it is parsed, the limit in the message."""
    path = tmp_path / "huge.toml"
    text = SHIPPED_BANK.read_text(encoding="utf-8")
    path.write_text(text + "#" * (MAX_BANK_BYTES + 1 - len(text)) + "\n", encoding="utf-8")
    err = assert_clean_failure(run("--bank", str(path), "--code", "x"))
    assert f"larger than {size_text(MAX_BANK_BYTES)}" in err


def test_help_states_the_limits() -> None:
    """--help says how large an answers file and a bank may be."""
    done = run("--help")
    help_text = done.stdout.decode()
    assert done.returncode == 0
    assert f"at most {size_text(MAX_EXPORT_BYTES)}" in help_text
    assert f"at most {size_text(MAX_BANK_BYTES)}" in help_text


# --- Standard input closed ------------------------------------------------------------------


def test_interactive_with_stdin_at_end_stops_cleanly() -> None:
    """Standard input from /dev/null: nothing to answer with, one message, status 1."""
    done = run(stdin=subprocess.DEVNULL)
    err = done.stderr.decode()
    assert done.returncode == 1 and "nothing was scored" in err and "Traceback" not in err
    assert done.stdout == b""


def test_interactive_with_stdin_closed_stops_cleanly() -> None:
    """Standard input closed (no file descriptor 0 at all): a message, not an AttributeError."""
    done = run(shell_redirect="<&-", stdin=None)
    err = done.stderr.decode()
    assert done.returncode == 1, err
    assert "standard input is closed" in err and "Traceback" not in err
    assert done.stdout == b""


def test_interactive_with_an_endless_line_stops_cleanly() -> None:
    """/dev/zero as standard input (no newline, ever) is refused, not read into memory."""
    with open("/dev/zero", "rb") as zero:
        done = run(stdin=zero.fileno())
    err = done.stderr.decode()
    assert done.returncode == 1 and "longer than" in err and "Traceback" not in err


# --- Standard output closed, full or broken -------------------------------------------------


@pytest.mark.parametrize("args", [("--format", "text"), ("--format", "json"), ("--help",)])
def test_stdout_full_is_an_error_not_a_traceback(args: tuple[str, ...]) -> None:
    """Output to /dev/full (no space left): one line on stderr, a non-zero status."""
    with open("/dev/full", "wb") as full:
        done = run("--code", healthy_code(load_bank()), *args, stdout=full.fileno())
    err = assert_clean_failure(done)
    assert "No space left" in err


@pytest.mark.parametrize("args", [("--format", "markdown"), ("--help",)])
def test_stdout_closed_is_an_error(args: tuple[str, ...]) -> None:
    """No standard output at all: the result cannot be written, so the status says so."""
    done = run("--code", healthy_code(load_bank()), *args, shell_redirect=">&-")
    err = assert_clean_failure(done)
    assert "standard output is closed" in err


def test_stdout_pipe_closed_early_is_an_error() -> None:
    """A reader that went away (broken pipe): one line, a non-zero status, no traceback."""
    read_end, write_end = os.pipe()
    os.close(read_end)  # Before the program starts: its first write meets a broken pipe.
    try:
        done = run("--code", healthy_code(load_bank()), stdout=write_end)
    finally:
        os.close(write_end)
    err = assert_clean_failure(done)
    assert "Broken pipe" in err


# --- A locale that cannot encode the text ---------------------------------------------------

ASCII_ENVIRONMENTS = {
    "PYTHONIOENCODING=ascii": {"PYTHONIOENCODING": "ascii"},
    "LC_ALL=C": {"LC_ALL": "C"},
    "LC_ALL=C, no coercion": {"LC_ALL": "C", "PYTHONCOERCECLOCALE": "0", "PYTHONUTF8": "0"},
}


@pytest.mark.parametrize("output", FORMATS)
@pytest.mark.parametrize("environment", ASCII_ENVIRONMENTS)
def test_non_ascii_bank_in_an_ascii_locale(tmp_path: Path, output: str, environment: str) -> None:
    """Text the terminal cannot encode is written escaped: no traceback, status 0."""
    path = tampered_bank(tmp_path, NON_ASCII)
    bank = load_bank(path)
    done = run(
        "--bank",
        str(path),
        "--code",
        healthy_code(bank),
        "--format",
        output,
        env={"PYTHONIOENCODING": "", **ASCII_ENVIRONMENTS[environment]},
    )
    err = done.stderr.decode("utf-8", "replace")
    assert done.returncode == 0, err
    assert "Traceback" not in err
    out = done.stdout.decode("utf-8")  # ASCII, or UTF-8 where Python chose it for C.
    assert "Caf" in out or output == "json"
    if environment == "PYTHONIOENCODING=ascii" and output != "json":
        assert "Caf\\xe9" in out and '"fit"' in out  # Escaped, typography made ASCII.
        assert err.count("note: ") == 1 and "UTF-8" in err  # Said once, and what to do.
    if output == "json":
        assert json.loads(out)["bank_version"] == bank.version


def test_non_ascii_bank_in_interactive_mode_with_ascii_io(tmp_path: Path) -> None:
    """The questionnaire runs on an ASCII-only terminal, and non-ASCII typing is just refused."""
    path = tampered_bank(tmp_path, NON_ASCII)
    count = len(load_bank(path).questions)
    replies = "1\n" + "é\n" + "3\n" * count
    done = run(
        "--bank",
        str(path),
        "--format",
        "json",
        stdin=replies.encode("utf-8"),
        env={"PYTHONIOENCODING": "ascii"},
    )
    err = done.stderr.decode("ascii")  # Everything on stderr is ASCII.
    assert done.returncode == 0, err
    assert "Caf\\xe9" in err and "Please type a level" in err


# --- The bank check the documents promise ---------------------------------------------------


def test_help_checks_the_shipped_bank() -> None:
    """`python -m assessment --help` loads the bank and says it is fine."""
    done = run("--help")
    out = done.stdout.decode()
    assert done.returncode == 0
    assert "--answers" in out and "checked, no problem found" in out


def test_help_with_a_broken_bank_fails(tmp_path: Path) -> None:
    """--help with --bank FILE (in either order) names a malformed bank's field, status 1."""
    broken = tmp_path / "bank.toml"
    broken.write_text(
        SHIPPED_BANK.read_text(encoding="utf-8").replace("weight = 1.5", "weight = -2", 1),
        encoding="utf-8",
    )
    for args in (("--help", "--bank", str(broken)), ("--bank", str(broken), "--help")):
        done = run(*args)
        err = done.stderr.decode()
        assert done.returncode == 1, err
        assert "'weight'" in err and str(broken) in err and "Traceback" not in err


def test_the_documented_bank_check_catches_an_edited_bank(tmp_path: Path) -> None:
    """The command README and bank.toml name, run on a broken shipped bank, stops with its name."""
    command = "python -m assessment check"
    assert command in SHIPPED_BANK.read_text(encoding="utf-8")
    assert command in (REPO / "README.md").read_text(encoding="utf-8")
    # A copy of the package whose own bank.toml is edited badly, as a person editing it would.
    bank_file = copy_package(tmp_path)
    bank_file.write_text(
        bank_file.read_text(encoding="utf-8").replace('id = "cf_values"', 'id = "CF!"', 1),
        encoding="utf-8",
    )
    done = run_copied_package(tmp_path, *command.split()[3:])
    assert done.returncode == 1, done.stdout
    assert "bank.toml" in done.stderr and "'id'" in done.stderr
    assert "Traceback" not in done.stderr


# --- The helpers themselves (assessment.terminal), for any command line ---------------------


@given(st.text())
def test_neutralise_leaves_no_control_character(text: str) -> None:
    """Whatever the text, neutralised it has no control, format or separator character."""
    out = neutralise(text)
    assert raw_controls(out.encode("utf-8", "surrogatepass")) == []
    assert "\n" not in out and "\r" not in out


@given(st.text(alphabet=st.characters(categories=["L", "N", "P", "S"]).filter(str.isprintable)))
def test_neutralise_keeps_printable_text(text: str) -> None:
    """Printable text (letters, digits, punctuation, symbols) passes through unchanged."""
    assert neutralise(text) == text
    assert neutralise(text + "\n", keep_newlines=True) == text + "\n"


@given(st.text(), st.integers(min_value=2, max_value=200))
def test_excerpt_and_message_line_are_bounded(text: str, limit: int) -> None:
    """An excerpt or a message line quotes at most `limit` characters of the input."""
    for quoted in (excerpt(text, limit), message_line(text, limit)):
        # Each input character becomes at most one escape of up to 10 characters.
        assert len(quoted) <= 10 * limit
        assert "\n" not in quoted
    if text.isprintable():
        assert len(excerpt(text, limit)) <= limit


def test_fit_encoding_replaces_only_what_the_encoding_lacks() -> None:
    """ASCII output keeps ASCII text, maps typography, escapes the rest, and says so."""
    assert fit_encoding("plain", "ascii") == ("plain", False)
    assert fit_encoding("Café — “fit” 日", "ascii") == ('Caf\\xe9 -- "fit" \\u65e5', True)
    assert fit_encoding("Café", "utf-8") == ("Café", False)


BYTES_PROGRAM = (
    "import sys\n"
    "from assessment.terminal import guard, write_output_bytes\n"
    "def main() -> int:\n"
    "    write_output_bytes(b'BEGIN:VCALENDAR\\r\\nEND:VCALENDAR\\r\\n')\n"
    "    return 0\n"
    "sys.exit(guard(main))\n"
)


def test_write_output_bytes_keeps_crlf_and_fails_cleanly() -> None:
    """Encoded output (a calendar) goes out byte for byte, and a full disk is one line, status 1."""
    done = subprocess.run(
        [sys.executable, "-c", BYTES_PROGRAM], capture_output=True, timeout=60, check=False
    )
    assert done.returncode == 0 and done.stdout == b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n"
    with open("/dev/full", "wb") as full:
        failed = subprocess.run(
            [sys.executable, "-c", BYTES_PROGRAM],
            stdout=full,
            stderr=subprocess.PIPE,
            timeout=60,
            check=False,
        )
    assert "No space left" in assert_clean_failure(failed)
