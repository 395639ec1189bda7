"""The command line's team mode: several --code and --answers inputs, a health check's file
(--round), or --over-time.

`partnership-assessment` (cli.py) hands over here when it is given more than one input, a
round's file or --over-time; each input is read on its own, and every bad one is named with its
reason.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence
from typing import Any

from .bank import Bank
from .codec import Response, decode_response
from .editions import edition_note
from .errors import AssessmentError
from .exports import MAX_EXPORT_BYTES, response_from_bytes
from .round_file import MAX_ROUND_FILE_BYTES, read_round_file
from .rounds import Action
from .team import combine, over_time
from .team_report import over_time_markdown, over_time_text, to_markdown, to_text
from .terminal import read_input, report_error, size_text, write_output
from .text import excerpt

TEAM_FORMATS = ("text", "json", "markdown")
MAX_REPORTED = 20


class AddInput(argparse.Action):
    """--code and --answers, each given any number of times, kept in the order they came."""

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: str | Sequence[Any] | None,
        option_string: str | None = None,
    ) -> None:
        # The last value also goes where the single-input path reads it (args.code/answers).
        setattr(namespace, self.dest, values)
        inputs = list(getattr(namespace, "inputs", None) or [])
        inputs.append((self.dest, values))
        namespace.inputs = inputs


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The inputs (--answers, --code, repeatable) and --over-time."""
    parser.add_argument(
        "--answers",
        metavar="FILE",
        action=AddInput,
        help=f"score a JSON answers file (UTF-8, at most {size_text(MAX_EXPORT_BYTES)}); give "
        "several, with --code too, for a team report",
    )
    parser.add_argument(
        "--code",
        metavar="CODE",
        action=AddInput,
        help="score a share code; give several for a team report",
    )
    parser.add_argument(
        "--round",
        metavar="FILE",
        action=AddInput,
        help="combine the responses of a health check's file (the compare page's \"Download "
        "the round's file\"), with any --code and --answers given too",
    )
    parser.add_argument(
        "--over-time",
        action="store_true",
        help="treat the inputs as assessments of one partnership, ordered by their dates",
    )
    parser.set_defaults(inputs=[])


def wants_team(args: argparse.Namespace) -> bool:
    """Whether this run combines inputs (more than one, a round's file, or over time)."""
    return len(args.inputs) > 1 or bool(args.over_time) or any(k == "round" for k, _ in args.inputs)


def read_inputs(
    inputs: Sequence[tuple[str, str]], bank: Bank
) -> tuple[list[Response], tuple[Action, ...]]:
    """Every input as a response, and the actions of any round's file; the bad ones are each
    reported, then one error is raised."""
    responses: list[Response] = []
    actions: tuple[Action, ...] = ()
    bad = 0
    for number, (kind, value) in enumerate(inputs, start=1):
        what = {"code": "code", "round": "health check's file"}.get(kind, "answers file")
        try:
            if kind == "code":
                read = [decode_response(value, bank)]
            elif kind == "round":
                raw = read_input(value, MAX_ROUND_FILE_BYTES, "a health check's file")
                round_file = read_round_file(raw, bank)
                read = list(round_file.responses)
                actions += round_file.actions
            else:
                raw = read_input(value, MAX_EXPORT_BYTES, "an answers file")
                read = [response_from_bytes(raw, bank)]
        except AssessmentError as error:
            message = f"input {number} ({what} {excerpt(value)}): {error}"
            if len(inputs) == 1:
                # One input: its own line is the whole story.
                raise AssessmentError(message) from None
            bad += 1
            # Each bad input is named, up to a screenful; the count says how many in all.
            if bad <= MAX_REPORTED:
                report_error(message)
            continue
        responses += read
        # An input of an earlier edition is read by question id: say what changed since.
        notes = {edition_note(r.bank_version, r.dropped, bank) for r in read} - {""}
        for note in sorted(notes):
            report_error(f"input {number} ({what} {excerpt(value)}): {note}", prefix="note: ")
    if bad:
        raise AssessmentError(
            f"{bad} of {len(inputs)} inputs could not be read; nothing was combined."
        )
    return responses, actions


def run(args: argparse.Namespace, bank: Bank) -> int:
    """Combine the inputs and print the team report (or the series over time)."""
    if args.format not in TEAM_FORMATS:
        report_error(
            f"--format {args.format} is for one response; a team report is text, json or markdown."
        )
        return 2
    if not args.inputs:
        report_error("--over-time needs inputs: give --code or --answers, once per assessment.")
        return 2
    try:
        responses, actions = read_inputs(args.inputs, bank)
        if args.over_time:
            series = over_time([[r] for r in responses], bank)
            if args.format == "json":
                output = json.dumps(series.to_dict(), indent=2, ensure_ascii=False)
            elif args.format == "markdown":
                output = over_time_markdown(series)
            else:
                output = over_time_text(series)
        else:
            team = combine(responses, bank)
            if args.format == "json":
                output = json.dumps(team.to_dict(), indent=2, ensure_ascii=False)
            elif args.format == "markdown":
                output = to_markdown(team, args.base_url, actions)
            else:
                output = to_text(team, args.base_url, actions)
    except AssessmentError as error:
        report_error(str(error))
        return 1
    write_output(output + "\n")
    return 0
