"""The command line: an interactive questionnaire, or scoring of an answers file or share code."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from datetime import date

from . import team_cli
from .bank import Bank, Question, load_bank, parse_bank
from .codec import Response, decode_response, encode
from .datafile import DataFileError, parse_toml
from .editions import add_edition, edition_note, lock_path, read_lock, write_lock
from .errors import AnswerError, AssessmentError, BankError
from .exports import MAX_EXPORT_BYTES, export_document, response_from_bytes
from .plan import to_plan_markdown
from .report import margin_lines, page_url, pivotal_lines, to_markdown
from .rescore import rescore_folder
from .scoring import DONT_KNOW, NOT_ENOUGH_ANSWERS, Result, assess, score_text
from .terminal import (
    MAX_BANK_BYTES,
    SafeArgumentParser,
    SafeWriter,
    TextSink,
    guard,
    read_input,
    read_line,
    report_error,
    size_text,
    write_output,
)
from .text import plain


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status (never a traceback, whatever the streams)."""
    return guard(lambda: _main(argv))


def _main(argv: Sequence[str] | None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    if arguments[:1] == ["lock"]:
        return lock(arguments[1:])
    if arguments[:1] == ["check"]:
        # python -m assessment check [--bank FILE] [--docs FOLDER]: the bank as the build checks it.
        from . import check

        return check.main(arguments[1:])
    parser = _parser()
    args = parser.parse_args(arguments)
    if args.help:
        return show_help(parser, args.bank)
    try:
        bank = read_bank_file(args.bank)
        check_relationship(args.relationship, bank)
        if args.rescore is not None:
            return rescore_folder(args.rescore, bank, write_output, _note)
        if team_cli.wants_team(args):
            return team_cli.run(args, bank)
        # The relationship and day go into the share code and the JSON export: from the input
        # when it says them (an exported file, a share code), --perspective overriding it. So
        # do its organisation and nonce: the code written is the same respondent's.
        relationship, given = args.relationship, None
        organisation: str | None = None
        nonce: int | None = None
        if args.answers is not None or args.code is not None:
            response = (
                read_response_file(args.answers, bank)
                if args.answers is not None
                else decode_response(args.code, bank)
            )
            answers, given = dict(response.answers), response.given
            relationship = relationship or response.relationship
            organisation, nonce = response.organisation, response.identity
            note = edition_note(response.bank_version, response.dropped, bank)
            if note:
                _note(note)
        else:
            # Prompts go to stderr so that stdout carries only the result (pipe-friendly).
            answers = questionnaire(
                bank, args.relationship, input_fn=_ask, out=SafeWriter(sys.stderr)
            )
        result = assess(answers, bank)
    except AssessmentError as error:
        report_error(str(error))
        return 1
    except (EOFError, KeyboardInterrupt):
        SafeWriter(sys.stderr).write("\nStopped before the end: nothing was scored.\n")
        return 1
    output = render(
        result,
        answers,
        bank,
        args.format,
        args.base_url,
        relationship=relationship,
        given=given,
        organisation=organisation,
        nonce=nonce,
    )
    write_output(output + "\n")
    return 0


def _note(text: str) -> None:
    report_error(text, prefix="note: ")


def lock(argv: Sequence[str]) -> int:
    """`python -m assessment lock [--bank FILE]`: record the bank's edition in its lock file."""
    parser = SafeArgumentParser(
        prog="partnership-assessment lock",
        description=(
            "Record the question bank's edition (its version, and its relationship and question "
            "ids in order) in the lock file beside it (bank.lock.json beside bank.toml), so "
            "that share codes, exports and kept results made with it keep reading after the "
            "questions change. Run it after raising the bank's version."
        ),
    )
    parser.add_argument(
        "--bank",
        metavar="FILE",
        help=f"lock another question bank (TOML, at most {size_text(MAX_BANK_BYTES)})",
    )
    args = parser.parse_args(argv)
    try:
        bank = read_bank_file(args.bank)
        before = read_lock(lock_path(bank.source))
        after, added = add_edition(before, bank)
        if added:
            write_lock(after)
    except AssessmentError as error:
        report_error(str(error))
        return 1
    except OSError as error:
        report_error(f"{lock_path(bank.source)}: cannot be written ({error.strerror}).")
        return 1
    edition = after.with_version(bank.version)[0]
    said = "locked" if added else "was already locked: nothing to do"
    write_output(
        f"{after.source}: version {bank.version} ({len(edition.questions)} questions, "
        f"fingerprint {edition.fingerprint}) {said}.\n"
    )
    return 0


def _ask(prompt: str) -> str:
    return read_line(prompt)


def show_help(parser: argparse.ArgumentParser, bank_path: str | None) -> int:
    """--help: the options, then the check of the question bank that `check` makes."""
    from . import check

    write_output(parser.format_help() + "\n")
    return check.main([] if bank_path is None else ["--bank", bank_path])


def read_bank_file(path: str | None) -> Bank:
    """The shipped bank, or a bank file of at most MAX_BANK_BYTES, validated."""
    if path is None:
        return load_bank()
    # Read here rather than in load_bank: a file far too large (or /dev/zero) is refused
    # before it is read whole.
    raw = read_input(path, MAX_BANK_BYTES, "a question bank")
    try:
        data = parse_toml(raw)
    except DataFileError as error:
        raise BankError(path, "file", "", str(error)) from None
    return parse_bank(data, path)


def _parser() -> argparse.ArgumentParser:
    parser = SafeArgumentParser(
        prog="partnership-assessment",
        add_help=False,
        description=(
            "Assess one business partnership: stay, repair or go. Without --answers or --code, "
            "asks the questions one by one."
        ),
        epilog="partnership-assessment check [--bank FILE] [--docs FOLDER] checks a question "
        "bank as the site's build does (see: partnership-assessment check --help).",
    )
    parser.add_argument(
        "-h",
        "--help",
        action="store_true",
        help="show this help, then check the question bank (the shipped one, or --bank FILE) "
        "as 'check' does",
    )
    team_cli.add_arguments(parser)  # --answers, --code (each repeatable), --over-time
    parser.add_argument(
        "--format",
        choices=("text", "json", "markdown", "plan"),
        default="text",
        help="output format (plan: a Markdown plan pre-filled from the answers)",
    )
    parser.add_argument(
        "--bank",
        metavar="FILE",
        help=f"use another question bank (TOML, at most {size_text(MAX_BANK_BYTES)})",
    )
    parser.add_argument(
        "--perspective",
        dest="relationship",
        metavar="SIDE",
        help="the side you are on: your relationship to the partner (the shipped bank's: "
        + ", ".join(r.id for r in load_bank().relationships)
        + "); interactive mode asks if not given",
    )
    parser.add_argument(
        "--rescore",
        metavar="FOLDER",
        help="re-score every exported JSON file in a folder with this bank: one line per file "
        "(file, verdict, overall), to check the scoring against outcomes you know",
    )
    parser.add_argument(
        "--base-url", default="", metavar="URL", help="prefix for playbook links in the output"
    )
    return parser


def check_relationship(relationship: str | None, bank: Bank) -> None:
    """Refuse a --perspective that is not one of this bank's relationships, naming them."""
    ids = [r.id for r in bank.relationships]
    if relationship is not None and relationship not in ids:
        raise AnswerError(
            f"--perspective: '{relationship}' is not a side of this question bank "
            f"(use one of: {', '.join(ids)})."
        )


def read_answers_file(path: str, bank: Bank) -> dict[str, int | None]:
    """Answers from a JSON file: a mapping of question ids to levels, or an exported result."""
    return dict(read_response_file(path, bank).answers)


def read_response_file(path: str, bank: Bank) -> Response:
    """A response (answers, and the relationship and day an export says) from a JSON file."""
    # The page's import limit; a 5 GB file or /dev/zero is refused without being read whole.
    raw = read_input(path, MAX_EXPORT_BYTES, "an answers file")
    try:
        return response_from_bytes(raw, bank)
    except AnswerError as error:
        raise AnswerError(f"{path}: {error}") from None


def questionnaire(
    bank: Bank,
    relationship: str | None,
    input_fn: Callable[[str], str],
    out: TextSink,
) -> dict[str, int | None]:
    """Ask every question in the terminal; 'b' goes back, '?' or 0 is don't know."""
    write = out.write
    write(f"{bank.title}: {len(bank.questions)} questions, about ten minutes.\n")
    write("Answer 1-5 (the level that fits best), 0 or ? for don't know, b to go back.\n\n")
    if relationship is None:
        relationship = _ask_relationship(bank, input_fn, out)
    answers: dict[str, int | None] = {}
    index = 0
    while index < len(bank.questions):
        question = bank.questions[index]
        _show(question, index, bank, relationship, answers, out)
        reply = input_fn("> ").strip().lower()
        if reply == "b":
            index = max(index - 1, 0)
            continue
        if reply in {"0", "?"}:
            answers[question.id] = None
        elif reply in {"1", "2", "3", "4", "5"}:
            answers[question.id] = int(reply)
        elif reply == "" and question.id in answers:
            pass  # Enter keeps the answer given before going back.
        else:
            write("Please type a level 1-5, 0 or ? for don't know, or b to go back.\n")
            continue
        index += 1
    write("\n")
    return answers


def _ask_relationship(bank: Bank, input_fn: Callable[[str], str], out: TextSink) -> str | None:
    for number, relationship in enumerate(bank.relationships, start=1):
        out.write(f"  {number}. {relationship.label}\n")
    while True:
        reply = input_fn("Which side are you on? (number, or Enter to skip) ").strip()
        if not reply:
            return None
        if reply.isdigit() and 1 <= int(reply) <= len(bank.relationships):
            return bank.relationships[int(reply) - 1].id
        out.write(f"Please type a number from 1 to {len(bank.relationships)}.\n")


def _show(
    question: Question,
    index: int,
    bank: Bank,
    relationship: str | None,
    answers: dict[str, int | None],
    out: TextSink,
) -> None:
    out.write(f"\n[{index + 1}/{len(bank.questions)}] {bank.group_title(question.dimension)}\n")
    out.write(f"{question.text_for(relationship)}\n")
    for level, text in enumerate(question.levels, start=1):
        out.write(f"  {level}. {text}\n")
    out.write(f"  0. {DONT_KNOW}\n")
    if question.id in answers:
        given = answers[question.id]
        out.write(f"  (your answer: {0 if given is None else given}; Enter keeps it)\n")


def render(
    result: Result,
    answers: dict[str, int | None],
    bank: Bank,
    output: str,
    base_url: str,
    *,
    relationship: str | None = None,
    given: date | None = None,
    organisation: str | None = None,
    nonce: int | None = None,
) -> str:
    """The result in one of the output formats; the share code says the relationship, the
    organisation and the day, with the respondent's nonce (a new one without)."""
    code = encode(
        answers, bank, relationship=relationship, given=given, organisation=organisation,
        nonce=nonce,
    )  # fmt: skip
    if output == "json":
        made = decode_response(code, bank)
        document = export_document(
            result, answers, code, relationship=relationship, given=made.given,
            organisation=organisation, nonce=made.nonce,
        )  # fmt: skip
        return json.dumps(document, indent=2)
    if output == "markdown":
        return to_markdown(result, base_url)
    if output == "plan":
        return to_plan_markdown(result, base_url)
    return to_text(result, code, base_url)


def to_text(result: Result, share_code: str, base_url: str = "") -> str:
    """A plain-text summary of a result for the terminal."""
    overall = (
        NOT_ENOUGH_ANSWERS if result.overall is None else f"{score_text(result.overall)} / 100"
    )
    lines = [
        f"Verdict: {result.verdict_label.upper()}: {result.verdict_title}",
        result.verdict_summary,
        "",
        f"Overall health: {overall}",
        "",
        "Why:",
        *(f"  - {reason}" for reason in result.reasons),
        f"  Rule: {result.rule.text}",
        "",
        "How close it was:",
        *(f"  - {line}" for line in margin_lines(result)),
        "",
        "What would change it:",
        *(f"  - {line}" for line in pivotal_lines(result)),
        "",
        "Dimensions:",
    ]
    for d in result.dimensions:
        score = "  -" if d.score is None else f"{score_text(d.score):>3}"
        note = "" if d.scored else f"  {NOT_ENOUGH_ANSWERS}"
        lines.append(f"  {d.title:<22} {score}  ({d.answered}/{d.total} answered){note}")
    if result.weakest:
        lines += ["", "Start with:"]
        lines += [
            f"  - {d.title} ({score_text(d.score)}): {page_url(d.playbook, base_url)}"
            for d in result.weakest
            if d.score is not None
        ]
    lines += ["", "Next steps:"]
    lines += [f"  {n}. {step}" for n, step in enumerate(result.next_steps, start=1)]
    lines += ["", f"Share code: {share_code}"]
    return "\n".join(plain(line) for line in lines)
