"""The decision: stay, restructure or go, on the agreement's clock, written down as a memo.

One document holds a decision as the reader typed it (the Decide page saves it, exports it and
reads it back; `partnership-decide` reads the same file): the latest health result (a share
code), the repair so far, the agreement's dates (the exit planner's fields, each name prefixed
`agreement_`), the cost of staying against the cost of leaving, the best alternative and the
walk-away point, the risks of each option, and the choice. From it this module computes the
engine's suggestion with its reasons, the decide-by date of each option, and writes the memo
(Markdown and escaped HTML), the data (JSON) and the calendar (iCalendar, key dates only).

The clock is the exit planner's (exit_plan.make_plan), so the memo's dates are the planner's:
the decide-by date of going is the day of the planner's first step ("Confirm the decision"),
restructuring starts a negotiation before it, and a repair's review must end by it. Pure
standard library, no I/O.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from html import escape
from typing import Any

from .bank import load_bank
from .errors import AssessmentError, PlanError
from .exit_form import FIELDS as AGREEMENT_FIELDS
from .exit_form import PlanInput, plan_inputs
from .exit_plan import ExitPlan, make_plan, next_renewal
from .exit_steps import load_steps
from .exports import MAX_JSON_DEPTH, read_json_bytes
from .ics import CALENDAR_ID, DECISION_ID, ID_RULE, Event, calendar, new_id
from .paste import parse_codes
from .periods import Period, long_date, parse_date, parse_period, shift
from .report import markdown_text, page_url
from .scoring import Result, assess, score_text
from .team import TeamResult, combine
from .text import excerpt

# The tag and version of the decision's JSON document.
FORMAT = "partnership-decision"
FORMAT_VERSION = 1
# A decision file is a few kilobytes; the page refuses a larger one before reading it.
MAX_FILE_BYTES = 256_000
# The most a text field holds (a few paragraphs), and a one-line field.
MAX_TEXT = 4000
MAX_LINE = 200
# The health field holds one share code, or a team round's codes (or links), one per line: room
# for the bank's largest team (team.max_responses) of the longest codes.
MAX_CODES_TEXT = 40_000
# The agreement's fields are the exit planner's (exit_form.FIELDS), each name with this prefix.
AGREEMENT = "agreement_"
# Leaving and staying cost "about the same" when the smaller is within this share of the larger.
CLOSE = Decimal("0.2")
# The most a money field holds: enough for any partnership, little enough to print.
MAX_MONEY = Decimal("1000000000000")
CHOICES = ("stay", "restructure", "go")
CHOICE_LABELS = {"stay": "Stay", "restructure": "Restructure", "go": "Go"}
# What each way of staying or leaving is called in the memo.
PATH_TITLES = {
    "stay": "Stay and keep it healthy",
    "repair": "Stay and repair it",
    "restructure": "Keep the partner, change the deal",
    "go": "Go: end it professionally",
}
PAGE = "decide/decision/index.md"
PLANNER = "exit-planner/index.md"
LAW_PAGE = "law.md"


class DecisionError(AssessmentError):
    """A decision file or a value that cannot be read; names the field when one is at fault."""

    def __init__(self, field: str, problem: str) -> None:
        self.field = field
        self.problem = problem
        super().__init__(f"{field}: {problem}" if field else problem)


# -- The form, written once ----------------------------------------------------------------------


@dataclass(frozen=True)
class Choice:
    """One answer a choice field offers."""

    id: str
    label: str


@dataclass(frozen=True)
class Group:
    """A fieldset of the form: the part of the decision it gathers, in the page's order."""

    id: str
    legend: str
    intro: str = ""


@dataclass(frozen=True)
class Field:
    """One field of the decision's form: what it asks, what it accepts, how it is shown."""

    name: str
    label: str
    kind: str  # KINDS
    group: str
    hint: str = ""
    default: str = ""  # what an empty period field reads as
    choices: tuple[Choice, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """The field as JSON-ready data."""
        return {
            "name": self.name,
            "label": self.label,
            "kind": self.kind,
            "group": self.group,
            "hint": self.hint,
            "default": self.default,
            "choices": [{"id": c.id, "label": c.label} for c in self.choices],
        }


# text: one line; longtext: paragraphs; money: an amount; code: a share code.
KINDS = ("text", "longtext", "date", "period", "money", "choice", "code")

GROUPS = (
    Group("partnership", "The partnership"),
    Group(
        "health",
        "1. The latest health result",
        "Your latest result kept in this browser is filled in; paste another share code, or a "
        "team round's codes, to decide on that result instead.",
    ),
    Group("repair", "2. The repair so far"),
    Group(
        "clock",
        "3. The agreement's clock",
        "The exit planner's dates, filled in from the planner in this browser if you used it. "
        "The planner's engine works out the notice deadline and the send-by date from them.",
    ),
    Group(
        "costs",
        "4. The cost of staying and the cost of leaving, over the next 12 months",
        "Estimates are fine. Leave a line empty if it does not apply.",
    ),
    Group("alternative", "5. If talks fail"),
    Group("risks", "6. The risks of each option"),
    Group("decision", "7. The decision"),
)

# The cost-of-leaving worksheet's rows (docs/decide/cost-of-leaving.md#worksheet), in its order.
COST_ROWS = (
    ("cost_replacement", "Finding a replacement",
     "Staff time to write a brief, shortlist, interview and check references; any fee for a "
     "selection consultant."),
    ("cost_switching", "Switching",
     "Set-up or onboarding fees of the new provider; new tools or licences; migration of data "
     "and accounts."),
    ("cost_overlap", "Overlap",
     "Paying the old and the new partner at the same time while the work is handed over."),
    ("cost_fees", "Fees to leave",
     "Early-termination fees, minimum commitments, notice-period fees, unused prepaid work that "
     "is not refunded."),
    ("cost_knowledge", "Knowledge lost",
     "What only the outgoing partner knows: the days your team or the new partner will need to "
     "rebuild it."),
    ("cost_rampup", "Ramp-up dip", "Weaker results while the new partner learns."),
    ("cost_internal", "Internal time",
     "The exit owner's time, legal review, finance work on final accounts, the hand-over "
     "sessions."),
    ("cost_risk", "Risk",
     "Assets held in the partner's name, customers who follow the partner, work that stops if "
     "the hand-over fails: the likely cost."),
)  # fmt: skip
STAYING = ("cost_staying", "Cost of staying",
           "Missed results, rework, extra management time, the opportunity you are not "
           "pursuing.")  # fmt: skip
TOTAL_LEAVING = "Total cost of leaving"

REPAIR_OUTCOMES = (
    Choice("", "Not reviewed yet"),
    Choice("improving", "Improving: the review showed progress"),
    Choice("no_change", "No real change"),
    Choice("worse", "Worse than before"),
)
DECISION_CHOICES = (
    Choice("", "Not decided yet"),
    Choice("stay", "Stay (and repair it, if it needs repair)"),
    Choice("restructure", "Restructure: keep the partner, change the deal"),
    Choice("go", "Go: end it professionally"),
)

FIELDS = (
    Field("partnership", "Which partnership", "text", "partnership",
          "A name the memo can carry, e.g. 'Cobalt Advisory, reseller agreement'."),
    Field("health_code", "Share code of the result, or a team round's codes", "code", "health",
          "A share code from the self-assessment (it starts with the format and the question "
          "bank's version). For a team round, paste everyone's codes or share links, one per "
          "line: the result is then the team's, combined as the compare page does."),
    Field("repair_tried", "What was tried", "longtext", "repair",
          "The problems raised, the reset agreed, the check-ins held."),
    Field("repair_since", "Repair started on", "date", "repair"),
    Field("repair_review", "Repair review date", "date", "repair",
          "When the repair is (or was) reviewed. Left empty, the review is planned one review "
          "period from today."),
    Field("repair_outcome", "What the review showed", "choice", "repair",
          choices=REPAIR_OUTCOMES),
    Field("review_period", "Time a repair needs before its review", "period", "repair",
          "Usually three months: one full cycle of the reset plan.", default="3 months"),
    *(Field(name, label, "money", "costs", hint) for name, label, hint in COST_ROWS),
    Field(STAYING[0], STAYING[1], "money", "costs", STAYING[2]),
    Field("currency", "Currency", "text", "costs", "E.g. EUR, GBP or USD: shown with the sums."),
    Field("alternative", "Your best alternative if talks fail", "longtext", "alternative",
          "What you will do if the partner says no: let it run, end it at the next renewal, "
          "move the work in-house, bring in another provider."),
    Field("walk_away", "Your walk-away point", "longtext", "alternative",
          "The least you will accept, decided before the meeting."),
    Field("negotiation", "Time a restructure needs to negotiate and sign", "period",
          "alternative", "From the first proposal to a signed amendment.", default="6 weeks"),
    Field("risk_stay", "Risks if you stay", "longtext", "risks"),
    Field("risk_restructure", "Risks if you restructure", "longtext", "risks"),
    Field("risk_go", "Risks if you go", "longtext", "risks"),
    Field("choice", "Your decision", "choice", "decision", choices=DECISION_CHOICES),
    Field("reasons", "Why", "longtext", "decision",
          "The evidence: targets missed, the repair and its outcome, the costs."),
    Field("decided_by", "Who decided", "text", "decision",
          "Names or roles: the sponsor, the budget holder, whoever runs the work."),
    Field("decided_on", "Decision date", "date", "decision", "Left empty, today."),
    Field("recheck", "Check again after", "period", "decision",
          "When to take the health check again if you stay or restructure.",
          default="3 months"),
)  # fmt: skip
# The agreement's fields as this form names them: the exit planner's, prefixed (not its own
# "plan as of": the decision date is the day the clock is read).
AGREEMENT_NAMES = tuple(AGREEMENT + spec.name for spec in AGREEMENT_FIELDS if spec.name != "today")
LABELS = {
    **{spec.name: spec.label for spec in FIELDS},
    **{AGREEMENT + spec.name: spec.label for spec in AGREEMENT_FIELDS},
}
NAMES = (*(spec.name for spec in FIELDS), *AGREEMENT_NAMES)
_BY_NAME = {spec.name: spec for spec in FIELDS}


def field_spec(name: str) -> Field:
    """The decision's field with this name (KeyError if there is none)."""
    return _BY_NAME[name]


# -- Reading a decision ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    """A value that cannot be used, named by its field, in words for the person who typed it."""

    field: str
    text: str

    def to_dict(self) -> dict[str, str]:
        """The problem as JSON-ready data."""
        return {"field": self.field, "text": self.text}


@dataclass(frozen=True)
class Health:
    """The health result the decision rests on: the result (one person's, or a team round's
    combined), its code or codes as given and the day it was made (a team's: its latest)."""

    code: str
    result: Result | TeamResult
    given: date | None
    bank_version: str
    respondents: int = 1

    @property
    def whose(self) -> str:
        """'The health check' or 'The team's health check (4 respondents)'."""
        if self.respondents == 1:
            return "The health check"
        return f"The team's health check ({self.respondents} respondents)"


@dataclass(frozen=True)
class DecisionInput:
    """A decision's values, read: every date, period and sum checked."""

    values: Mapping[str, str]
    today: date
    health: Health | None
    repair_since: date | None
    repair_review: date | None
    review_period: Period
    negotiation: Period
    recheck: Period
    agreement: PlanInput | None
    costs: tuple[tuple[str, str, Decimal | None], ...]
    staying: Decimal | None

    def text(self, name: str) -> str:
        """A text field's value, trimmed."""
        return self.values.get(name, "").strip()


_MONEY = re.compile(r"^[+]?\d{1,3}(?:[,' _\u00a0\u202f]\d{3})*(?:\.\d{1,2})?$|^\d+(?:\.\d{1,2})?$")


def parse_money(text: str, name: str) -> Decimal | None:
    """An amount as people type it ('12000', '12,000', '12 000.50'), None when empty."""
    written = text.strip()
    if not written:
        return None
    bare = re.sub(r"^(?:[A-Za-z]{3}\s*|[$€£¥]\s*)", "", written)
    if not _MONEY.match(bare):
        raise DecisionError(
            name,
            f"write an amount in figures, e.g. 12000 or 12,000.50 (it is '{excerpt(text, 40)}')",
        )
    try:
        amount = Decimal(re.sub(r"[,' _\u00a0\u202f+]", "", bare))
    except InvalidOperation:  # pragma: no cover - the pattern admits only figures
        raise DecisionError(name, "write an amount in figures") from None
    if amount > MAX_MONEY:
        raise DecisionError(name, f"is larger than {MAX_MONEY:,} (check the figure)")
    return amount


def clean_values(raw: object) -> dict[str, str]:
    """The decision's values as text, known fields only; DecisionError for another shape."""
    if not isinstance(raw, Mapping):
        raise DecisionError("", "The decision's values must be a mapping of fields to text.")
    values: dict[str, str] = {}
    for name in NAMES:
        value = raw.get(name, "")
        if value is None:
            value = ""
        if not isinstance(value, str):
            raise DecisionError(name, "must be text")
        limit = max_length(_kind(name))
        if len(value) > limit:
            raise DecisionError(name, f"is longer than {limit:,} characters")
        values[name] = value
    return values


def max_length(kind: str) -> int:
    """The most characters a field of this kind holds (the page's maxlength, the file's check)."""
    return {"longtext": MAX_TEXT, "code": MAX_CODES_TEXT}.get(kind, MAX_LINE * 2)


def _kind(name: str) -> str:
    spec = _BY_NAME.get(name)
    return spec.kind if spec else "agreement"


def read_decision(raw: object, today: date) -> tuple[DecisionInput | None, tuple[Problem, ...]]:
    """The decision's values read, and every problem found (each named by its field).

    `today` stands for an empty decision date. With problems the input is None: a memo is
    written only from values that all read.
    """
    values = clean_values(raw)
    problems: list[Problem] = []

    def attempt(name: str, read: Any) -> Any:
        try:
            return read()
        except (DecisionError, PlanError) as error:
            problems.append(Problem(name, f"{LABELS.get(name, name)}: {error.problem}"))
            return None

    def optional_date(name: str) -> date | None:
        text = values[name].strip()
        return None if not text else parse_date(text, name)

    def period(name: str) -> Period:
        spec = _BY_NAME[name]
        return parse_period(values[name].strip() or spec.default, name)

    decided = attempt("decided_on", lambda: optional_date("decided_on")) or today
    health = attempt("health_code", lambda: read_health(values["health_code"]))
    repair_since = attempt("repair_since", lambda: optional_date("repair_since"))
    repair_review = attempt("repair_review", lambda: optional_date("repair_review"))
    review_period = attempt("review_period", lambda: period("review_period"))
    negotiation = attempt("negotiation", lambda: period("negotiation"))
    recheck = attempt("recheck", lambda: period("recheck"))
    for name in ("repair_outcome", "choice"):
        ids = [c.id for c in _BY_NAME[name].choices]
        if values[name].strip() not in ids:
            problems.append(Problem(name, f"{LABELS[name]}: must be one of {', '.join(ids[1:])}"))
    costs = tuple(
        (name, label, attempt(name, lambda n=name: parse_money(values[n], n)))
        for name, label, _ in COST_ROWS
    )
    staying = attempt(STAYING[0], lambda: parse_money(values[STAYING[0]], STAYING[0]))
    if repair_since and repair_since > decided:
        problems.append(
            Problem("repair_since", f"{LABELS['repair_since']}: is after the decision date")
        )
    agreement = _read_agreement(values, decided, problems)
    if problems:
        return None, tuple(problems)
    return (
        DecisionInput(
            values=values,
            today=decided,
            health=health,
            repair_since=repair_since,
            repair_review=repair_review,
            review_period=review_period,
            negotiation=negotiation,
            recheck=recheck,
            agreement=agreement,
            costs=costs,
            staying=staying,
        ),
        (),
    )


def _read_agreement(
    values: Mapping[str, str], today: date, problems: list[Problem]
) -> PlanInput | None:
    """The agreement's fields as the exit planner reads them (None when no date is given)."""
    form = {name[len(AGREEMENT) :]: values[name] for name in AGREEMENT_NAMES}
    case = form.get("case", "").strip() or "renews"
    if not form.get(case, "").strip():
        if any(form[name].strip() for name in ("renews", "notice_given", "concern_sent")):
            problems.append(
                Problem(AGREEMENT + case, f"{LABELS[AGREEMENT + case]}: is missing for this case")
            )
        return None
    try:
        agreement = plan_inputs({**form, "case": case, "today": today.isoformat()})
        make_plan(agreement)  # the dates must make a plan: a notice longer than the term not
        return agreement
    except PlanError as error:
        name = AGREEMENT + error.field
        problems.append(Problem(name, f"{LABELS.get(name, error.field)}: {error.problem}"))
        return None


def read_health(code: str) -> Health | None:
    """The result a share code holds, or the team result of a round's codes or share links
    (separated by spaces or lines), as the compare page combines them; None for an empty field.
    DecisionError naming the first code that cannot be read, or why they cannot be combined."""
    code = code.strip()
    if not code:
        return None
    bank = load_bank()
    try:
        pieces = parse_codes(code, bank)
        unreadable = next((p for p in pieces if p.response is None), None)
        if unreadable is not None:
            which = "" if len(pieces) == 1 else f"Code {unreadable.number} ({unreadable.text}): "
            raise DecisionError("health_code", f"{which}{unreadable.error}")
        responses = [p.response for p in pieces if p.response is not None]
        if len(responses) == 1:
            [response] = responses
            return Health(code, assess(response.answers, bank), response.given, bank.version)
        team = combine(responses, bank, limit=bank.team.max_responses)
    except DecisionError:
        raise
    except AssessmentError as error:
        raise DecisionError("health_code", str(error)) from None
    return Health(code, team, team.given, bank.version, len(team.respondents))


# -- The clock ------------------------------------------------------------------------------------


def exit_lead_days() -> int:
    """How many days before the notice the exit planner's first step comes (its decide step)."""
    return -min(s.offset_days for s in load_steps() if s.anchor == "notice")


@dataclass(frozen=True)
class Clock:
    """The agreement's dates, read by the exit planner, and each option's decide-by date.

    `go_by` is the day the planner dates "Confirm the decision": notice is sent a planner's lead
    later. `restructure_by` starts the negotiation early enough to be signed by `go_by`;
    `repair_by` is the last day to start a repair whose review ends by `go_by`.
    """

    plan: ExitPlan
    notice_day: date
    go_by: date
    restructure_by: date
    repair_by: date
    deadline: date | None  # notice must arrive by (not renewing)
    send_by: date | None
    renewal: date | None

    def decide_by(self, path: str) -> date:
        """The decide-by date of a path (stay, repair, restructure or go)."""
        return {"repair": self.repair_by, "restructure": self.restructure_by}.get(path, self.go_by)


def clock_of(agreement: PlanInput, review: Period, negotiation: Period) -> Clock | None:
    """The clock for the agreement's inputs (None when the plan has no notice day: a deadline
    passed with no term to find the next one)."""
    plan = make_plan(agreement)
    calendar = agreement.calendar
    # The planner's day for the conversation and the notice: the send-by date, or today when
    # that has passed but the deadline has not.
    notice_day = plan.notice_day
    if notice_day is None:
        return None
    go_by = calendar.on_or_before(notice_day - timedelta(days=exit_lead_days()))
    return Clock(
        plan=plan,
        notice_day=notice_day,
        go_by=go_by,
        restructure_by=calendar.on_or_before(shift(go_by, negotiation, -1, calendar)),
        repair_by=calendar.on_or_before(shift(go_by, review, -1, calendar)),
        deadline=plan.notice_deadline if agreement.case == "renews" else None,
        send_by=plan.send_by,
        renewal=plan.end_date if agreement.case == "renews" else None,
    )


def repair_review(inputs: DecisionInput, clock: Clock | None) -> date | None:
    """The repair review to put in the diary: the reader's date, or one review period from
    today, on a working day; None when it would end after the decision it feeds."""
    calendar = inputs.agreement.calendar if inputs.agreement else None
    if inputs.repair_review is not None and inputs.repair_review >= inputs.today:
        review = inputs.repair_review
    else:
        review = shift(inputs.today, inputs.review_period)
        if calendar is not None:
            review = calendar.on_or_before(review)
    if clock is not None and review > clock.go_by:
        return None
    return review


# -- The decision ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    """A next step of the memo: what, who does it (a role), by when."""

    what: str
    who: str
    day: date | None

    def to_dict(self) -> dict[str, Any]:
        """The step as JSON-ready data."""
        return {"what": self.what, "who": self.who, "date": _iso(self.day)}


@dataclass(frozen=True)
class Option:
    """One option weighed: its path, its decide-by date, and what it needs by then."""

    choice: str
    path: str
    decide_by: date | None
    needs: str
    passed: bool

    def to_dict(self) -> dict[str, Any]:
        """The option as JSON-ready data."""
        return {
            "choice": self.choice,
            "path": self.path,
            "title": PATH_TITLES[self.path],
            "decide_by": _iso(self.decide_by),
            "needs": self.needs,
            "passed": self.passed,
        }


@dataclass(frozen=True)
class Decision:
    """Everything the memo says: the suggestion and its reasons, each option's date, the
    chosen path with its decide-by date, the honest options when a repair no longer fits,
    the numbers, the next steps and the key dates."""

    inputs: DecisionInput
    clock: Clock | None
    suggestion: str | None  # stay, restructure, go; None when there is none to give
    suggestion_label: str
    reasons: tuple[str, ...]
    options: tuple[Option, ...]
    chosen: str | None
    path: str | None
    decide_by: date | None
    review: date | None
    recheck: date | None
    repair_fits: bool
    honest_options: tuple[str, ...]
    warnings: tuple[Problem, ...]
    cost_reading: str
    leaving_total: Decimal | None
    next_steps: tuple[Step, ...]
    key_dates: tuple[tuple[str, str, date], ...]
    clock_notes: tuple[str, ...] = field(default=())

    def option(self, choice: str) -> Option:
        """The option weighed for `choice`."""
        return next(o for o in self.options if o.choice == choice)


def decide(inputs: DecisionInput) -> Decision:
    """The decision for read values: suggestion, decide-by dates, next steps, key dates."""
    today = inputs.today
    clock = None
    notes: list[str] = []
    if inputs.agreement is not None:
        clock = clock_of(inputs.agreement, inputs.review_period, inputs.negotiation)
        if clock is None:
            notes.append(
                "The notice deadline has passed and the agreement renews: give the renewal term "
                "to see the next deadline, or ask the partner to end it earlier by agreement."
            )
    health = inputs.health
    verdict = health.result.verdict if health else None
    unhealthy = verdict not in (None, "stay")
    review = repair_review(inputs, clock)
    repair_fits = review is not None
    options = _options(inputs, clock, review, unhealthy)
    leaving_total, reading = _costs(inputs)
    suggestion, label, reasons = _suggest(inputs, clock, repair_fits, leaving_total, reading)
    chosen = inputs.text("choice") or None
    path = _path(chosen or suggestion, verdict)
    decide_by = None if clock is None or path is None else clock.decide_by(path)
    warnings = list(_warnings(inputs, clock, chosen, path, decide_by, review, repair_fits))
    # No choice yet, and the suggestion's own date has gone by: said with it.
    if chosen is None and path is not None and path != "stay" and decide_by and decide_by < today:
        reasons.append(
            f"The decide-by date for this suggestion ({PATH_TITLES[path].lower()}), "
            f"{_day(decide_by)}, has already passed: {_late(path, clock, today)}"
        )
    wants_repair = path == "repair" or (chosen is None and verdict == "repair")
    honest = _honest_options(inputs, clock) if wants_repair and not repair_fits else ()
    recheck = None
    if path in ("stay", "restructure"):
        recheck = shift(today, inputs.recheck)
        if inputs.agreement is not None:
            recheck = inputs.agreement.calendar.on_or_after(recheck)
    scheduled = review if path == "repair" and repair_fits else None
    steps = _next_steps(inputs, clock, path, scheduled, recheck, decide_by)
    keys = _key_dates(clock, path, scheduled, recheck, decide_by, today)
    return Decision(
        inputs=inputs,
        clock=clock,
        suggestion=suggestion,
        suggestion_label=label,
        reasons=tuple(reasons),
        options=options,
        chosen=chosen,
        path=path,
        decide_by=decide_by,
        review=scheduled,
        recheck=recheck,
        repair_fits=repair_fits,
        honest_options=honest,
        warnings=tuple(warnings),
        cost_reading=reading,
        leaving_total=leaving_total,
        next_steps=steps,
        key_dates=keys,
        clock_notes=tuple(notes),
    )


def _path(choice: str | None, verdict: str | None) -> str | None:
    """The way of staying or leaving a choice means: stay means repair when it is unhealthy."""
    if choice == "stay":
        return "repair" if verdict not in (None, "stay") else "stay"
    return choice


def _options(
    inputs: DecisionInput, clock: Clock | None, review: date | None, unhealthy: bool
) -> tuple[Option, ...]:
    today = inputs.today
    stay_path = "repair" if unhealthy else "stay"

    def by(path: str) -> date | None:
        return None if clock is None else clock.decide_by(path)

    if clock is None:
        needs = {
            "stay": "Nothing by a date: add the agreement's dates to see the clock.",
            "restructure": "Time to negotiate and sign; add the agreement's dates to see when.",
            "go": "Notice as the agreement says; add its dates to see when.",
        }
    else:
        send = clock.notice_day
        needs = {
            "stay": (
                f"A repair reviewed by {_day(clock.go_by)}"
                + (
                    ": too late for a repair started now, unless the agreement renews first"
                    if review is None
                    else f" (planned {_day(review)})"
                )
                if unhealthy
                else f"Nothing more: the agreement carries on. To change course, decide by "
                f"{_day(clock.go_by)}."
            ),
            "restructure": (
                f"Talks started by {_day(clock.restructure_by)} ({inputs.negotiation} to "
                f"negotiate and sign), a signed change by {_day(clock.go_by)}."
            ),
            "go": (
                f"The decision confirmed and an exit owner named by {_day(clock.go_by)}, notice "
                f"sent by {_day(send)}"
                + ("" if clock.deadline is None else f", arriving by {_day(clock.deadline)}")
                + "."
            ),
        }
    result = []
    for choice in CHOICES:
        path = stay_path if choice == "stay" else choice
        when = by(path)
        result.append(Option(choice, path, when, needs[choice], when is not None and when < today))
    return tuple(result)


def _costs(inputs: DecisionInput) -> tuple[Decimal | None, str]:
    given = [amount for _, _, amount in inputs.costs if amount is not None]
    total = sum(given, Decimal(0)) if given else None
    staying = inputs.staying
    if total is None or staying is None:
        return total, ""
    larger = max(total, staying)
    if larger == 0 or abs(total - staying) <= CLOSE * larger:
        return total, (
            "Leaving and staying cost about the same: look again at restructuring, which often "
            "keeps most of the value at a fraction of the cost of leaving."
        )
    if total < staying:
        return total, (
            "Leaving clearly costs less than staying: if you go, each line of the cost of "
            "leaving becomes a task of the exit."
        )
    return total, (
        "Leaving costs more than staying: if staying is still wrong, go anyway, but time it "
        "(after a campaign, once the new partner is chosen) to cut the overlap and ramp-up."
    )


def _suggest(
    inputs: DecisionInput,
    clock: Clock | None,
    repair_fits: bool,
    leaving: Decimal | None,
    reading: str,
) -> tuple[str | None, str, list[str]]:
    """The engine's suggestion, its label and its reasons, from the health result first."""
    health = inputs.health
    if health is None:
        return (
            None,
            "No suggestion yet",
            [
                "There is no health result to go on: take the self-assessment, or paste a share "
                "code, for a suggestion."
            ],
        )
    result = health.result
    made = "" if health.given is None else f" of {_day(health.given)}"
    reasons = [
        f"{health.whose}{made} gives {result.verdict_label}: {result.verdict_title}."
        f" Overall health {score_text(result.overall)}.",
        *result.reasons[:4],
    ]
    verdict = result.verdict
    outcome = inputs.text("repair_outcome")
    if verdict == "undecided":
        return (
            None,
            "No suggestion yet",
            [
                *reasons,
                "Too many answers were left open for a suggestion: find out, then retake the "
                "check.",
            ],
        )
    suggestion: str | None = {
        "stay": "stay",
        "repair": "stay",
        "restructure": "restructure",
        "go": "go",
    }[verdict]
    label = {"stay": "Stay", "repair": "Stay and repair it", "restructure": "Restructure",
             "go": "Go"}[verdict]  # fmt: skip
    if verdict == "repair" and outcome in ("no_change", "worse"):
        reasons.append(
            "Your repair review showed no improvement: answer the check's repair questions "
            "again; a repair that was tried and did not work points to go."
        )
    if verdict == "repair" and clock is not None and not repair_fits:
        suggestion, label = None, "Decide now, or let it renew"
        reasons.append(
            f"A repair started now cannot be reviewed before {_day(clock.go_by)}, the day the "
            "decision must be made to give notice in time: the two honest options are below."
        )
    if verdict == "restructure" and clock is not None and clock.restructure_by < inputs.today:
        reasons.append(
            f"To restructure before the deadline, talks had to start by "
            f"{_day(clock.restructure_by)}: propose it now with a short negotiation, or let the "
            "agreement renew and negotiate before the next deadline."
        )
    if reading:
        reasons.append(reading)
    if verdict == "go" and result.rule.id != "deal_breaker" and "about the same" in reading:
        reasons.append("With no deal-breaker, compare a restructure before you give notice.")
    if suggestion in ("go", "restructure") and not inputs.text("alternative"):
        reasons.append(
            "Write down your best alternative and your walk-away point before you act on it."
        )
    return suggestion, label, reasons


def _warnings(
    inputs: DecisionInput,
    clock: Clock | None,
    chosen: str | None,
    path: str | None,
    decide_by: date | None,
    review: date | None,
    repair_fits: bool,
) -> list[Problem]:
    """What the reader should know next to a field: a decide-by date already past, a review
    date after the decision it feeds, no clock to date the decision by."""
    today = inputs.today
    found = []
    if clock is None and inputs.agreement is None:
        found.append(
            Problem(
                AGREEMENT + "renews",
                "Add the agreement's dates here (or make a plan in the exit planner first) to get "
                "a decide-by date.",
            )
        )
    if chosen and decide_by is not None and path and path != "stay" and decide_by < today:
        found.append(
            Problem(
                "choice",
                f"The decide-by date for this choice ({PATH_TITLES[path].lower()}), "
                f"{_day(decide_by)}, has already passed: {_late(path, clock, today)}",
            )
        )
    given = inputs.repair_review
    if clock is not None and given is not None and given >= today and given > clock.go_by:
        found.append(
            Problem(
                "repair_review",
                f"{LABELS['repair_review']}: {_day(given)} comes after {_day(clock.go_by)}, the "
                "day the decision must be made to give notice in time. Bring the review "
                "forward, or let the agreement renew and review before the next deadline.",
            )
        )
    return found


def _late(path: str, clock: Clock | None, today: date) -> str:
    if clock is None:  # pragma: no cover - a passed date needs a clock
        return ""
    if path == "go":
        if clock.send_by is not None and clock.send_by >= today:
            return (
                f"prepare in less time (the exit planner lists what to do now) and send notice "
                f"by {_day(clock.send_by)}."
            )
        return "the exit planner says what can still be done before the deadline."
    if path == "restructure":
        return (
            f"propose it now with a shorter negotiation, signed by {_day(clock.go_by)}, or let "
            "the agreement renew and negotiate before the next deadline."
        )
    return "see the two honest options below."


def _honest_options(inputs: DecisionInput, clock: Clock | None) -> tuple[str, ...]:
    """When a repair cannot be reviewed before the decision must be made: decide now, or let
    it renew and set the next deadline."""
    if clock is None:
        return ()
    today = inputs.today
    now = [f"go (decide by {_day(clock.go_by)})"] if clock.go_by >= today else []
    if clock.restructure_by >= today:
        now.append(f"restructure (start talks by {_day(clock.restructure_by)})")
    decide_now = (
        "Decide now: " + " or ".join(now) + ", on what you know today."
        if now
        else "Decide now, on what you know today: the exit planner says what can still be done "
        "before the deadline."
    )
    agreement = inputs.agreement
    if agreement is None or agreement.case != "renews":
        later = (
            "Give notice later: repair first, review it, and plan the notice after the review, "
            "if the agreement allows it."
        )
        return decide_now, later
    if agreement.term is None or agreement.notice is None or clock.renewal is None:
        return decide_now, (
            "Let it renew and set the next deadline: give the renewal term to see when that is."
        )
    renewal = next_renewal(
        clock.renewal, agreement.notice, agreement.term,
        clock.renewal + timedelta(days=1), agreement.calendar,
    )  # fmt: skip
    following = clock_of(replace(agreement, day=renewal), inputs.review_period, inputs.negotiation)
    if following is None:  # pragma: no cover - a renewal ahead always has a send-by date
        return (decide_now,)
    review = repair_review(inputs, following)
    planned = "" if review is None else f" review the repair by {_day(review)} and"
    return decide_now, (
        f"Let it renew on {_day(clock.renewal)} and set the next deadline: repair now,{planned} "
        f"decide by {_day(following.go_by)} for the renewal on {_day(renewal)} (notice must "
        f"arrive by {_day(following.deadline or following.notice_day)})."
    )


# The next steps of each path: what, who (a role), and which date of the decision it takes.
NEXT_STEPS = {
    "go": (
        ("Confirm the decision in writing and name one exit owner", "Leadership", "decide_by"),
        ("Make the dated exit plan in the exit planner", "Exit owner", "decide_by"),
        ("Hold the exit conversation and send the written notice", "Exit owner", "send_by"),
        ("Notice must have arrived", "Exit owner", "deadline"),
    ),
    "restructure": (
        ("Write the new shape in one sentence and ask: would we sign it today?", "Sponsor",
         "today"),
        ("Agree the walk-away point with whoever approves the outcome", "Sponsor and budget "
         "holder", "decide_by"),
        ("Propose the new shape to the partner in writing", "Relationship owner", "decide_by"),
        ("Sign the amendment, or decide to go", "Leadership", "go_by"),
        ("Check the new shape: take the health check again", "Relationship owner", "recheck"),
    ),
    "repair": (
        ("Raise the weakest areas with the partner, with examples", "Relationship owner",
         "today"),
        ("Reset objectives, owners and dates together, in writing", "Both sides' leads",
         "today"),
        ("Review the repair: take the health check again", "Sponsor", "review"),
        ("Decide: stay, restructure or go", "Leadership", "go_by"),
    ),
    "stay": (
        ("Agree one improvement for the weakest area", "Relationship owner", "today"),
        ("Take the health check again", "Relationship owner", "recheck"),
        ("Last day to change course before the agreement runs on", "Leadership", "go_by"),
    ),
}  # fmt: skip


def _next_steps(
    inputs: DecisionInput,
    clock: Clock | None,
    path: str | None,
    review: date | None,
    recheck: date | None,
    decide_by: date | None,
) -> tuple[Step, ...]:
    if path is None:
        return ()
    dates = {
        # A step to do now falls on a working day, as the planner's tasks do.
        "today": inputs.today
        if inputs.agreement is None
        else inputs.agreement.calendar.on_or_after(inputs.today),
        "decide_by": decide_by,
        "go_by": None if clock is None else clock.go_by,
        "send_by": None if clock is None else clock.notice_day,
        "deadline": None if clock is None else clock.deadline,
        "review": review,
        "recheck": recheck,
    }
    steps = [
        Step(what, who, dates[when])
        for what, who, when in NEXT_STEPS[path]
        if not (when == "deadline" and dates[when] is None and clock is not None)
    ]
    return _by_date(steps)


def _by_date(steps: list[Step]) -> tuple[Step, ...]:
    """The steps in date order; one with no date stays just after the step before it."""
    keys: list[date] = []
    for step in steps:
        keys.append(step.day or (keys[-1] if keys else date.min))
    order = sorted(range(len(steps)), key=lambda i: (keys[i], i))
    return tuple(steps[i] for i in order)


# The calendar's key dates: key, summary.
KEY_LABELS = {
    "repair_review": "Repair review: take the health check again",
    "decide_by": "Decide by",
    "last_call": "Last day to decide, for notice in time",
    "send_by": "Send the notice by",
    "notice_deadline": "Notice must arrive by",
    "recheck": "Re-check the partnership's health",
}


def _key_dates(
    clock: Clock | None,
    path: str | None,
    review: date | None,
    recheck: date | None,
    decide_by: date | None,
    today: date,
) -> tuple[tuple[str, str, date], ...]:
    found: list[tuple[str, str, date]] = []
    if review is not None:
        found.append(("repair_review", KEY_LABELS["repair_review"], review))
    if decide_by is not None and path is not None:
        found.append(("decide_by", f"Decide by ({PATH_TITLES[path].lower()})", decide_by))
    # No path chosen or suggested (a repair that no longer fits), or its date has passed: the
    # day the planner's first step is due is still the last one to decide for notice in time.
    if (
        clock is not None
        and clock.go_by >= today
        and (decide_by is None or decide_by < today)
        and clock.go_by != decide_by
    ):
        found.append(("last_call", KEY_LABELS["last_call"], clock.go_by))
    if clock is not None:
        if clock.send_by == clock.notice_day:
            found.append(("send_by", KEY_LABELS["send_by"], clock.send_by))
        else:
            # Notice given on a set day, after a cure period, or now (the send-by date has
            # passed, the deadline has not): the planner's own words for that day.
            labels = {k.key: k.label for k in clock.plan.key_dates if k.day == clock.notice_day}
            label = labels.get("notice_date") or labels.get("notice_day") or KEY_LABELS["send_by"]
            found.append(("notice_day", label, clock.notice_day))
        if clock.deadline is not None:
            found.append(("notice_deadline", KEY_LABELS["notice_deadline"], clock.deadline))
    if recheck is not None:
        found.append(("recheck", KEY_LABELS["recheck"], recheck))
    return tuple(sorted(found, key=lambda k: (k[2], k[0])))


def _iso(day: date | None) -> str | None:
    return None if day is None else day.isoformat()


def _day(day: date) -> str:
    return long_date(day)


def money_text(amount: Decimal | None, currency: str = "") -> str:
    """An amount as the memo shows it: '12,000' or 'EUR 12,000.50'; '' when not given."""
    if amount is None:
        return ""
    shown = f"{amount:,.0f}" if amount == amount.to_integral_value() else f"{amount:,.2f}"
    return f"{currency.strip()} {shown}".strip()


# -- The decision as data -------------------------------------------------------------------------


def to_dict(decision: Decision, base_url: str = "") -> dict[str, Any]:
    """The decision as JSON-ready data (ISO dates, sums as text so none is rounded)."""
    inputs, clock = decision.inputs, decision.clock
    health = inputs.health
    plan = None if clock is None else clock.plan
    return {
        "format": FORMAT,
        "date": inputs.today.isoformat(),
        "partnership": inputs.text("partnership"),
        "choice": decision.chosen,
        "path": decision.path,
        "decide_by": _iso(decision.decide_by),
        "suggestion": decision.suggestion,
        "suggestion_label": decision.suggestion_label,
        "reasons": list(decision.reasons),
        "repair_fits": decision.repair_fits,
        "repair_review": _iso(decision.review),
        "recheck": _iso(decision.recheck),
        "honest_options": list(decision.honest_options),
        "options": [o.to_dict() for o in decision.options],
        "warnings": [w.to_dict() for w in decision.warnings],
        "health": None
        if health is None
        else {
            "code": health.code,
            "date": _iso(health.given),
            "bank_version": health.bank_version,
            "respondents": health.respondents,
            "verdict": health.result.verdict,
            "verdict_label": health.result.verdict_label,
            "overall": None if health.result.overall is None else round(health.result.overall, 1),
            "dimensions": {
                d.id: None if d.score is None else round(d.score, 1)
                for d in health.result.dimensions
            },
        },
        "clock": None
        if clock is None
        else {
            "notice_deadline": _iso(clock.deadline),
            "send_by": _iso(clock.send_by),
            "notice_day": clock.notice_day.isoformat(),
            "renewal": _iso(clock.renewal),
            "go_by": clock.go_by.isoformat(),
            "restructure_by": clock.restructure_by.isoformat(),
            "repair_by": clock.repair_by.isoformat(),
            "plan": None if plan is None else plan.to_dict(base_url),
        },
        "costs": {
            "currency": inputs.text("currency"),
            "rows": {name: None if a is None else str(a) for name, _, a in inputs.costs},
            "leaving": None if decision.leaving_total is None else str(decision.leaving_total),
            "staying": None if inputs.staying is None else str(inputs.staying),
            "reading": decision.cost_reading,
        },
        "next_steps": [s.to_dict() for s in decision.next_steps],
        "key_dates": [
            {"key": key, "label": label, "date": day.isoformat()}
            for key, label, day in decision.key_dates
        ],
        "notes": list(decision.clock_notes),
    }


# -- The memo -----------------------------------------------------------------------------------


def _title(decision: Decision) -> str:
    name = decision.inputs.text("partnership")
    return f"Decision memo: {name}" if name else "Decision memo"


def _decision_line(decision: Decision) -> str:
    if decision.chosen is None:
        return "Not decided yet"
    return PATH_TITLES[decision.path or decision.chosen]


def _decide_by_line(decision: Decision) -> str:
    """The memo's decide-by date: the path's, else going's last day to decide (no path yet)."""
    if decision.decide_by is not None:
        return long_date(decision.decide_by)
    clock = decision.clock
    if clock is None:
        return "no date: add the agreement's dates"
    passed = " (passed)" if clock.go_by < decision.inputs.today else ""
    return f"choose a path: {long_date(clock.go_by)}{passed} is the last day to decide on going"


def _memo_rows(decision: Decision) -> list[tuple[str, str]]:
    inputs = decision.inputs
    rows = [
        ("Decision", _decision_line(decision)),
        ("Decide by", _decide_by_line(decision)),
        ("Date", long_date(inputs.today)),
        ("Decided by", inputs.text("decided_by") or "not said"),
        ("The engine's suggestion", decision.suggestion_label),
    ]
    return rows


def _numbers(decision: Decision) -> list[tuple[str, list[str]]]:
    """The numbers behind the decision, section by section, as plain lines."""
    inputs, clock = decision.inputs, decision.clock
    sections: list[tuple[str, list[str]]] = []
    health = inputs.health
    if health is None:
        sections.append(("Health", ["No health result given."]))
    else:
        result = health.result
        made = "" if health.given is None else f", made on {_day(health.given)}"
        lines = [
            f"Verdict: {result.verdict_label} ({result.verdict_title}){made}, question bank "
            f"{health.bank_version}.",
            f"Overall health: {score_text(result.overall)} out of 100.",
        ]
        lines += [f"{d.title}: {score_text(d.score)}" for d in result.dimensions]
        if health.respondents > 1:
            lines.insert(0, f"{health.whose}, combined as the compare page combines it.")
        sections.append(("Health", lines))
    repair = [
        f"What was tried: {inputs.text('repair_tried') or 'not said'}",
    ]
    if inputs.repair_since:
        repair.append(f"Since: {long_date(inputs.repair_since)}")
    if inputs.repair_review:
        repair.append(f"Review date: {long_date(inputs.repair_review)}")
    outcome = dict((c.id, c.label) for c in REPAIR_OUTCOMES)[inputs.text("repair_outcome")]
    repair.append(f"What the review showed: {outcome}")
    sections.append(("The repair so far", repair))
    if clock is None:
        sections.append(("The agreement's clock", ["No dates given.", *decision.clock_notes]))
    else:
        plan = clock.plan
        lines = [plan.title + "."]
        lines += [f"{k.label}: {long_date(k.day)}" for k in plan.key_dates]
        lines.append(
            f"The exit planner's first step, confirm the decision: {long_date(clock.go_by)}"
        )
        sections.append(("The agreement's clock (from the exit planner)", lines))
    currency = inputs.text("currency")
    costs = [f"{label}: {money_text(a, currency)}" for _, label, a in inputs.costs if a is not None]
    if decision.leaving_total is not None:
        costs.append(f"{TOTAL_LEAVING}: {money_text(decision.leaving_total, currency)}")
    if inputs.staying is not None:
        costs.append(f"{STAYING[1]}: {money_text(inputs.staying, currency)}")
    if decision.cost_reading:
        costs.append(decision.cost_reading)
    sections.append(("Cost of leaving and of staying (next 12 months)", costs or ["Not given."]))
    sections.append(
        (
            "If talks fail",
            [
                f"Best alternative: {inputs.text('alternative') or 'not written down yet'}",
                f"Walk-away point: {inputs.text('walk_away') or 'not written down yet'}",
            ],
        )
    )
    return sections


def to_markdown(decision: Decision, base_url: str = "", site_name: str = "") -> str:
    """The decision memo as Markdown: one page to print or copy into a document."""
    inputs = decision.inputs
    md = markdown_text
    lines = [f"# {md(_title(decision))}", ""]
    lines += ["| | |", "| --- | --- |"]
    lines += [f"| {md(k)} | {md(v)} |" for k, v in _memo_rows(decision)]
    lines.append("")
    lines += _md_section("Why", [inputs.text("reasons") or "Not written down yet."])
    lines += ["## The engine's suggestion", "", f"**{md(decision.suggestion_label)}**", ""]
    lines += [f"- {md(reason)}" for reason in decision.reasons]
    lines.append("")
    if decision.honest_options:
        lines += ["## A repair no longer fits before the deadline", ""]
        lines += [f"{n}. {md(text)}" for n, text in enumerate(decision.honest_options, 1)]
        lines.append("")
    if decision.warnings:
        lines += [f"> {md(w.text)}" for w in decision.warnings]
        lines.append("")
    lines += ["## Options weighed", "", "| Option | Decide by | What it needs | Risks |"]
    lines.append("| --- | --- | --- | --- |")
    for option in decision.options:
        when = "no date" if option.decide_by is None else long_date(option.decide_by)
        if option.passed:
            when += " (passed)"
        risk = inputs.text(f"risk_{option.choice}") or "not written down"
        lines.append(
            f"| {md(PATH_TITLES[option.path])} | {md(when)} | {md(option.needs)} | "
            f"{md(_one_line(risk))} |"
        )
    lines += ["", "## The numbers", ""]
    for title, rows in _numbers(decision):
        lines += [f"### {md(title)}", ""]
        lines += [f"- {md(row)}" for row in rows]
        lines.append("")
    lines += ["## Next steps", ""]
    if decision.next_steps:
        lines += ["| Step | Owner (role) | Date |", "| --- | --- | --- |"]
        lines += [
            f"| {md(s.what)} | {md(s.who)} | {md('' if s.day is None else long_date(s.day))} |"
            for s in decision.next_steps
        ]
    else:
        lines.append("Choose stay, restructure or go to see the next steps.")
    lines.append("")
    if decision.key_dates:
        lines += ["## Key dates", ""]
        lines += [f"- **{long_date(day)}**: {md(label)}" for _, label, day in decision.key_dates]
        lines.append("")
    made = f"{md(site_name)}'s decision page" if site_name else "the decision page"
    lines += [
        f"Made with {made}: {page_url(PAGE, base_url)} (the dates are the exit planner's). Not "
        f"legal advice: your agreement and its law decide; see {page_url(LAW_PAGE, base_url)}.",
        "",
    ]
    return "\n".join(lines)


def _md_section(title: str, paragraphs: list[str]) -> list[str]:
    lines = [f"## {markdown_text(title)}", ""]
    for paragraph in paragraphs:
        lines += [markdown_text(paragraph).replace("\n", "  \n"), ""]
    return lines


def _one_line(text: str) -> str:
    return " ".join(text.split())


def to_html(decision: Decision, page_base: str = "../../") -> str:
    """The decision memo as an HTML fragment: every value escaped, no style, no script."""
    inputs = decision.inputs
    h = escape
    parts = [f'<h2 id="pp-memo-title">{h(_title(decision))}</h2>', '<dl class="pp-memo-facts">']
    for key, value in _memo_rows(decision):
        parts.append(f"<dt>{h(key)}</dt><dd>{h(value)}</dd>")
    parts.append("</dl>")
    for warning in decision.warnings:
        parts.append(f'<p class="pp-notice pp-memo-warning">{h(warning.text)}</p>')
    parts.append('<h3 id="pp-memo-why">Why</h3>')
    parts.append(_paragraphs(inputs.text("reasons") or "Not written down yet."))
    parts.append('<h3 id="pp-memo-suggestion">The engine\'s suggestion</h3>')
    parts.append(f'<p class="pp-suggestion"><strong>{h(decision.suggestion_label)}</strong></p>')
    parts.append("<ul>" + "".join(f"<li>{h(r)}</li>" for r in decision.reasons) + "</ul>")
    if decision.honest_options:
        parts.append('<h3 id="pp-memo-honest">A repair no longer fits before the deadline</h3>')
        parts.append(
            '<ol id="pp-honest-options">'
            + "".join(f"<li>{h(t)}</li>" for t in decision.honest_options)
            + "</ol>"
        )
    parts.append('<h3 id="pp-memo-options">Options weighed</h3>')
    parts.append(
        '<table class="pp-table pp-memo-options"><thead><tr><th scope="col">Option</th>'
        '<th scope="col">Decide by</th><th scope="col">What it needs</th>'
        '<th scope="col">Risks</th></tr></thead><tbody>'
    )
    for option in decision.options:
        when = "no date" if option.decide_by is None else long_date(option.decide_by)
        time = (
            h(when)
            if option.decide_by is None
            else f'<time datetime="{option.decide_by.isoformat()}">{h(when)}</time>'
        )
        if option.passed:
            time += " (passed)"
        risk = inputs.text(f"risk_{option.choice}") or "not written down"
        parts.append(
            f'<tr data-option="{h(option.choice)}"><td>{h(PATH_TITLES[option.path])}</td>'
            f"<td>{time}</td><td>{h(option.needs)}</td><td>{h(risk)}</td></tr>"
        )
    parts.append("</tbody></table>")
    parts.append('<h3 id="pp-memo-numbers">The numbers</h3>')
    for title, rows in _numbers(decision):
        parts.append(f"<h4>{h(title)}</h4><ul>" + "".join(f"<li>{h(r)}</li>" for r in rows))
        parts.append("</ul>")
    parts.append('<h3 id="pp-memo-steps">Next steps</h3>')
    if decision.next_steps:
        parts.append(
            '<table class="pp-table pp-memo-steps"><thead><tr><th scope="col">Step</th>'
            '<th scope="col">Owner (role)</th><th scope="col">Date</th></tr></thead><tbody>'
        )
        for step in decision.next_steps:
            day = (
                ""
                if step.day is None
                else f'<time datetime="{step.day.isoformat()}">{h(long_date(step.day))}</time>'
            )
            parts.append(f"<tr><td>{h(step.what)}</td><td>{h(step.who)}</td><td>{day}</td></tr>")
        parts.append("</tbody></table>")
    else:
        parts.append("<p>Choose stay, restructure or go to see the next steps.</p>")
    if decision.key_dates:
        parts.append('<h3 id="pp-memo-dates">Key dates</h3><ul class="pp-memo-dates">')
        parts += [
            f'<li><time datetime="{day.isoformat()}">{h(long_date(day))}</time>: {h(label)}</li>'
            for _, label, day in decision.key_dates
        ]
        parts.append("</ul>")
    planner = h(page_url(PLANNER, page_base))
    law = h(page_url(LAW_PAGE, page_base))
    parts.append(
        f'<p class="pp-hint">The dates are the <a href="{planner}">exit planner\'s</a>. Not '
        f'legal advice: <a href="{law}">where the law decides</a> says what to check.</p>'
    )
    return "\n".join(parts)


def _paragraphs(text: str) -> str:
    return "".join(
        "<p>" + "<br>".join(escape(line) for line in block.splitlines()) + "</p>"
        for block in re.split(r"\n\s*\n", text.strip())
    )


def announcement(decision: Decision) -> str:
    """One sentence for a screen reader when the memo appears."""
    when = "" if decision.decide_by is None else f" Decide by {long_date(decision.decide_by)}."
    return f"Memo ready: {_decision_line(decision)}. Suggestion: {decision.suggestion_label}.{when}"


# -- The calendar ---------------------------------------------------------------------------------

PRODUCT = "Decision"


def calendar_events(decision: Decision) -> tuple[Event, ...]:
    """The decision's key dates still to come, each with a reminder a week before."""
    title = _title(decision)
    return tuple(
        Event(f"key-{key}", day, label, f"{title}: {_decision_line(decision)}", reminder=True)
        for key, label, day in decision.key_dates
        if day >= decision.inputs.today
    )


def to_ics(
    decision: Decision,
    *,
    decision_id: str,
    sequence: int = 0,
    cancelled: Mapping[str, date] | None = None,
    site_name: str = "",
) -> str:
    """The decision's key dates as an iCalendar file: repair review, decide-by, send-by,
    notice deadline and re-check, each with a reminder a week before. UIDs are each date's key
    with the decision's id, so a file downloaded again updates the events in place."""
    return calendar(
        calendar_events(decision),
        calendar_id=decision_id,
        domain="decision",
        product=PRODUCT,
        name=_title(decision),
        stamp=decision.inputs.today,
        sequence=sequence,
        cancelled=cancelled,
        site_name=site_name,
        cancelled_summary="Cancelled: no longer a date of this decision",
        cancelled_description=_title(decision),
    )


# -- The decision file -----------------------------------------------------------------------


def document(values: Mapping[str, str], decision_id: str = "", sequence: int = 0) -> dict[str, Any]:
    """The decision's JSON document: what the page exports and reads back, and the command
    line reads."""
    return {
        "format": FORMAT,
        "version": FORMAT_VERSION,
        DECISION_ID: decision_id or new_id(),
        "sequence": sequence,
        "values": clean_values(values),
    }


def read_document(text: str) -> dict[str, Any]:
    """A decision document from JSON text, checked; DecisionError saying what is wrong."""
    # One depth rule and one number rule for every JSON file read.
    from .exports import NumberTooLongError, _nesting_depth, whole_number

    if _nesting_depth(text) > MAX_JSON_DEPTH:
        raise DecisionError("", "This file nests too deeply to be a decision file.")
    try:
        data = json.loads(text, parse_int=whole_number)
    except NumberTooLongError as error:
        raise DecisionError("", f"This file cannot be read: {error}.") from None
    except (ValueError, RecursionError):
        raise DecisionError("", "This file is not valid JSON.") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise DecisionError("", f"This is not a decision file (its format is not '{FORMAT}').")
    if data.get("version") != FORMAT_VERSION:
        raise DecisionError(
            "", f"This decision file is version {excerpt(repr(data.get('version')))}; this site "
            f"reads version {FORMAT_VERSION}."
        )  # fmt: skip
    decision_id = data.get(DECISION_ID, "")
    sequence = data.get("sequence", 0)
    if not isinstance(decision_id, str) or (decision_id and not CALENDAR_ID.match(decision_id)):
        raise DecisionError(DECISION_ID, ID_RULE)
    if isinstance(sequence, bool) or not isinstance(sequence, int) or sequence < 0:
        raise DecisionError("sequence", "must be a whole number, 0 or more")
    return {
        DECISION_ID: decision_id,
        "sequence": sequence,
        "values": clean_values(data.get("values", {})),
    }


def read_file_bytes(data: bytes) -> dict[str, Any]:
    """A decision document from a file's bytes (UTF-8, with or without a byte-order mark)."""
    if len(data) > MAX_FILE_BYTES:
        raise DecisionError(
            "", f"This file is {len(data):,} bytes, larger than a decision file can be."
        )
    try:
        text = read_json_bytes(data)
    except AssessmentError as error:
        raise DecisionError("", f"This file {error}") from None
    return read_document(text)


def decision_of(
    values: Mapping[str, str], today: date
) -> tuple[Decision | None, tuple[Problem, ...]]:
    """The decision for raw values, or the problems that stop it."""
    inputs, problems = read_decision(values, today)
    if inputs is None:
        return None, problems
    return decide(inputs), ()
