"""The command line of the exit planner: partnership-exit-plan."""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence

from .errors import AssessmentError, PlanError
from .exit_form import (
    CALENDAR_CHOICES,
    CASES,
    FIELDS,
    KEY_DATES,
    SERVICE_CHOICES,
    Field,
    plan_inputs,
)
from .exit_plan import make_plan
from .exit_report import new_plan_id, to_html, to_ics, to_markdown, to_text
from .ics import read_sequence
from .periods import DEEMED_EXAMPLES, PERIOD_EXAMPLES
from .terminal import (
    BriefArgumentParser,
    OutputError,
    finish_output,
    report_error,
    write_calendar,
    write_output,
)

FORMATS = ("text", "json", "markdown", "ics", "html")


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    args = _parser().parse_args(argv)
    try:
        plan = make_plan(plan_inputs(_form(args)))
    except PlanError as error:
        report_error(f"{_option(error.field)}: {error.problem}")
        return 1
    except AssessmentError as error:
        report_error(str(error))
        return 1
    if args.format == "json":
        output = json.dumps(plan.to_dict(args.base_url), indent=2) + "\n"
    elif args.format == "markdown":
        output = to_markdown(plan, args.base_url, args.site_name)
    elif args.format == "ics":
        plan_id = args.plan_id or new_plan_id()
        try:
            output = to_ics(
                plan,
                args.base_url,
                plan_id=plan_id,
                sequence=read_sequence(args.sequence),
                site_name=args.site_name,
                what=args.calendar.replace("-", "_"),
            )
        except PlanError as error:
            report_error(f"{_option(error.field)}: {error.problem}")
            return 1
        if not args.plan_id:
            report_error(
                f"this calendar's plan id is {plan_id}: give --plan-id {plan_id} with a higher "
                "--sequence next time, and a calendar program updates these events in place.",
                prefix="note: ",
            )
    elif args.format == "html":
        output = to_html(plan, args.base_url) + "\n"
    else:
        output = to_text(plan, args.base_url) + "\n"
    try:
        if args.format == "ics":
            write_calendar(output)
        else:
            write_output(output)
    except OutputError as error:
        report_error(str(error))
        return 1
    return finish_output()


def _form(args: argparse.Namespace) -> dict[str, str]:
    """The arguments as the planner's raw form values, after the checks only flags need."""
    # The options are the form's fields (exit_form.FIELDS): the case is the one whose date
    # option was given (argparse allows only one), the others are named after their field.
    case = next(c for c in CASES if getattr(args, c) is not None)
    form = {"case": case}
    for spec in FIELDS:
        given = None if spec.kind == "case" else getattr(args, spec.name)
        if given is None:
            if spec.kind != "case" and case in spec.required:
                example = f" (e.g. {PERIOD_EXAMPLES})" if spec.kind == "period" else ""
                raise PlanError(spec.name, f"is needed{_with_case(spec)}{example}")
            continue
        if case not in spec.cases and spec.name not in CASES:
            raise PlanError(spec.name, f"only applies{_with_case(spec)}")
        form[spec.name] = given
    return form


def _with_case(spec: Field) -> str:
    """' with --concern-sent' for a field of some cases only; '' for a field of every case."""
    if spec.cases == CASES:
        return ""
    return " with " + " or ".join(_option(case) for case in spec.cases)


def _option(name: str) -> str:
    return f"--{name.replace('_', '-')}"


def _parser() -> argparse.ArgumentParser:
    parser = BriefArgumentParser(
        prog="partnership-exit-plan",
        description=(
            "Turn an agreement's dates and notice terms into a dated exit plan: the notice "
            "deadline, the send-by date, the last day and every exit step on its date."
        ),
        epilog=(
            f"Dates: YYYY-MM-DD. Periods: {PERIOD_EXAMPLES}. Not legal advice: check your "
            "agreement's own wording."
        ),
    )
    case = parser.add_mutually_exclusive_group(required=True)
    case.add_argument(
        "--renews", metavar="DATE", help="not renewing: the date the agreement ends or renews"
    )
    case.add_argument(
        "--notice-given",
        metavar="DATE",
        help="ending for convenience: the date notice is (or was) given",
    )
    case.add_argument(
        "--concern-sent",
        metavar="DATE",
        help="ending for cause: the day the cure period starts (needs --cure)",
    )
    parser.add_argument("--notice", metavar="PERIOD", help="the notice period, e.g. '60 days'")
    parser.add_argument("--cure", metavar="PERIOD", help="the cure period (with --concern-sent)")
    parser.add_argument(
        "--term", metavar="PERIOD", help="the renewal term (with --renews), e.g. '1 year'"
    )
    parser.add_argument("--today", metavar="DATE", help="plan as if today were DATE")
    parser.add_argument(
        "--margin", metavar="DAYS", help="days to send notice before the deadline (default 7)"
    )
    services = [choice.id for choice in SERVICE_CHOICES if choice.id]
    parser.add_argument(
        "--service",
        metavar="HOW",
        help=f"how notice is sent: {', '.join(services)} (as the notices clause allows)",
    )
    parser.add_argument(
        "--deemed",
        metavar="RULE",
        help=f"when a notice counts as received, e.g. {DEEMED_EXAMPLES}",
    )
    parser.add_argument(
        "--closures",
        metavar="DAYS",
        help="days your business is closed, e.g. '24 Dec to 1 Jan; 1 May' (working days only)",
    )
    parser.add_argument("--format", choices=FORMATS, default="text", help="output format")
    parser.add_argument(
        "--base-url", default="", metavar="URL", help="prefix for playbook links in the output"
    )
    parser.add_argument(
        "--site-name", default="", metavar="NAME", help="the site named in the plan and calendar"
    )
    parser.add_argument(
        "--calendar",
        choices=[choice.id.replace("_", "-") for choice in CALENDAR_CHOICES],
        default=KEY_DATES.replace("_", "-"),
        help="with --format ics: the key dates only, with reminders (default), or every step",
    )
    parser.add_argument(
        "--plan-id",
        default="",
        metavar="ID",
        help="with --format ics: the plan's id from an earlier calendar (its events then update)",
    )
    parser.add_argument(
        "--sequence",
        default="0",
        metavar="N",
        help="with --format ics: higher than the calendar imported before (default 0)",
    )
    return parser


if __name__ == "__main__":
    raise SystemExit(main())
