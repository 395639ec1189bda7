"""The command line of the decision: partnership-decide FILE.

It reads the decision file the Decide page exports (the same JSON, read by the same code) and
writes the memo (Markdown, the default), its data (JSON), its HTML fragment or its calendar
(iCalendar: the key dates, each with a reminder a week before).
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence
from datetime import date

from . import decision as engine
from .errors import AssessmentError, PlanError
from .ics import DECISION_ID, check_id, new_id, read_sequence
from .periods import parse_date
from .terminal import (
    BriefArgumentParser,
    InputError,
    OutputError,
    finish_output,
    guard,
    read_input,
    report_error,
    size_text,
    write_calendar,
    write_output,
)

FORMATS = ("markdown", "json", "html", "ics")


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status (bad input: one line, status 1)."""
    return guard(lambda: _main(argv))


def _main(argv: Sequence[str] | None) -> int:
    args = _parser().parse_args(argv)
    try:
        today = date.today() if args.today is None else parse_date(args.today, "--today")
        data = read_input(args.file, engine.MAX_FILE_BYTES, "a decision file")
        document = engine.read_file_bytes(data)
        made, problems = engine.decision_of(document["values"], today)
    except InputError as error:
        report_error(str(error))
        return 1
    except AssessmentError as error:
        report_error(f"{args.file}: {error}")
        return 1
    if made is None:
        more = len(problems) - 1
        also = f" (and {more} more: {', '.join(p.field for p in problems[1:4])})" if more else ""
        report_error(f"{args.file}: {problems[0].text}{also}")
        return 1
    if args.format == "json":
        output = json.dumps(engine.to_dict(made, args.base_url), indent=2) + "\n"
    elif args.format == "html":
        output = engine.to_html(made, args.base_url or "../../") + "\n"
    elif args.format == "ics":
        decision_id = args.decision_id or document[DECISION_ID]
        try:
            sequence = (
                document["sequence"] if args.sequence is None else read_sequence(args.sequence)
            )
        except PlanError as error:
            report_error(f"--sequence: {error.problem}")
            return 1
        try:
            if decision_id:
                check_id(decision_id, sequence, "--decision-id")
            output = engine.to_ics(
                made,
                decision_id=decision_id or new_id(),
                sequence=sequence,
                site_name=args.site_name,
            )
        except AssessmentError as error:
            report_error(str(error))
            return 1
        try:
            write_calendar(output)
        except OutputError as error:
            report_error(str(error))
            return 1
        return finish_output()
    else:
        output = engine.to_markdown(made, args.base_url, args.site_name)
    try:
        write_output(output)
    except OutputError as error:
        report_error(str(error))
        return 1
    return finish_output()


def _parser() -> argparse.ArgumentParser:
    parser = BriefArgumentParser(
        prog="partnership-decide",
        description=(
            "Turn a decision file (exported from the Decide page) into a decision memo: the "
            "engine's suggestion and its reasons, each option's decide-by date on the "
            "agreement's clock, the numbers and the next steps; or its data, or its calendar."
        ),
        epilog=(
            f"The file is the page's JSON export, at most {size_text(engine.MAX_FILE_BYTES)}. "
            "Not legal advice: check your agreement's own wording."
        ),
    )
    parser.add_argument("file", metavar="FILE", help="the decision file (JSON)")
    parser.add_argument("--format", choices=FORMATS, default="markdown", help="output format")
    parser.add_argument("--today", metavar="DATE", help="decide as if today were DATE")
    parser.add_argument(
        "--base-url", default="", metavar="URL", help="prefix for playbook links in the output"
    )
    parser.add_argument(
        "--site-name", default="", metavar="NAME", help="the site named in the memo and calendar"
    )
    parser.add_argument(
        "--decision-id",
        default="",
        metavar="ID",
        help="with --format ics: the decision's id (default: the file's, or a new one)",
    )
    parser.add_argument(
        "--sequence",
        default=None,
        metavar="N",
        help="with --format ics: the calendar's version (default: the file's)",
    )
    return parser


if __name__ == "__main__":
    raise SystemExit(main())
