"""The one contract between a page that runs Python and the engine.

A page's ``main.py`` runs in PyScript's Web Worker and lists in ``__export__`` the functions the
page may call (through docs/javascripts/engine.js). Each is an endpoint made here: every argument
arrives as JSON text, and one JSON text goes back, either ``{"ok": true, ...data}`` or
``{"ok": false, "error": "<a sentence for a person>", "field": "<the input at fault, or ''>"}``.
The functions behind the endpoints live in the engine (``assessment/*_page.py``) and take and
return plain Python data, so the tests call them directly.

``ping`` is every page's first export: engine.js calls it before saying "ready", and then now
and then to know the worker still answers (selfcheck.ping, cheap after its first call).
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Mapping
from typing import Any

from .bank import LEVELS, Bank
from .codec import MAX_ENCODED_LENGTH, NONCE_BITS, code_length
from .errors import AssessmentError
from .exports import MAX_EXPORT_BYTES
from .ics import DECISION_ID, PLAN_ID
from .replies import REPLY_END, REPLY_START
from .rounds import (
    ACTION_STATUSES,
    INVITE_FRAGMENT,
    MAX_ACTION_TEXT,
    MAX_ACTIONS,
    MAX_OWNER,
    ORGANISATIONS,
    ROUND_FILE_FORMAT,
    ROUND_FILE_VERSION,
)
from .selfcheck import ping

__all__ = [
    "CODE_FRAGMENT",
    "DONT_KNOW_VALUE",
    "MALFORMED",
    "PAGE_BASE",
    "PAGE_MAIN",
    "SET_FRAGMENT",
    "endpoint",
    "failure",
    "page_facts",
    "ping",
]

# The file beside a page's Markdown that its worker runs: the page's endpoints. The site ships
# the engine modules these files import, at any depth (hooks/runtime.py).
PAGE_MAIN = "main.py"

# Every page that runs Python is a folder of the site (<site>/<page>/index.html): the playbook
# links in what its endpoints render are relative to it.
PAGE_BASE = "../"

# A share link carries one response after this in its "#" part (the assessment page's)...
CODE_FRAGMENT = "#code="
# ...and a link to the compare page a set of them ("#set=CODE,CODE~side,...").
SET_FRAGMENT = "#set="
# The form's value for "Don't know / doesn't apply" (a level is its number).
DONT_KNOW_VALUE = "dk"
# The side question the assessment's form asks first (its answers: the bank's relationships).
SIDE_PROMPT = "Which side of the partnership are you on?"

# Room for each response in pasted text: a link, and the words of an e-mail or chat around it.
PASTED_CHARS_PER_RESPONSE = 2000

# What a page is told when what it sent cannot be read at all (not JSON, the wrong shape):
# never a visitor's doing, so it names no field.
MALFORMED = "the page sent a request the engine could not read"

Data = Mapping[str, Any]


def endpoint(
    function: Callable[..., Data], *, labels: Mapping[str, str] | None = None
) -> Callable[..., str]:
    """Wrap `function` for a page: JSON text in (one per argument), one JSON reply out.

    An AssessmentError becomes ``ok: false`` with its message and the field it names (an
    error's ``field`` attribute); with `labels`, a field's label goes before its problem, as
    the page shows it beside the input ("Notice period: is missing").
    """

    @functools.wraps(function)
    def call(*arguments: str) -> str:
        try:
            values = [json.loads(argument) for argument in arguments]
        except (TypeError, ValueError, RecursionError):
            return failure(MALFORMED)
        try:
            data = function(*values)
        except AssessmentError as error:
            return failure(*_described(error, labels or {}))
        except (TypeError, ValueError, RecursionError) as error:
            # The engine checks what a person can type; anything else is a malformed request.
            return failure(f"{MALFORMED} ({error})")
        return json.dumps({"ok": True, **data})

    return call


def failure(error: str, field: str = "") -> str:
    """The JSON reply of an endpoint that could not do what was asked."""
    return json.dumps({"ok": False, "error": error, "field": field})


def _described(error: AssessmentError, labels: Mapping[str, str]) -> tuple[str, str]:
    """The message a page shows for `error`, and the field it names ("" if none)."""
    field = getattr(error, "field", "") or ""
    problem = getattr(error, "problem", None)
    if field in labels and isinstance(problem, str):
        return f"{labels[field]}: {problem}", field
    return str(error), field


def pasted_chars(bank: Bank) -> int:
    """The most text a page reads from one paste: enough for the most responses it combines."""
    return bank.team.max_responses * (code_length(bank) + PASTED_CHARS_PER_RESPONSE)


def page_facts(bank: Bank) -> dict[str, Any]:
    """The engine's facts a page needs before Python has loaded (the build's manifest)."""
    return {
        "limits": {
            "answers_file_bytes": MAX_EXPORT_BYTES,
            "team_responses": bank.team.max_responses,
            "code_length": MAX_ENCODED_LENGTH,
            "paste_chars": pasted_chars(bank),
        },
        "answers": {
            "levels": list(LEVELS),
            "dont_know": DONT_KNOW_VALUE,
            "nonce_bits": NONCE_BITS,
        },
        "fragments": {"code": CODE_FRAGMENT, "set": SET_FRAGMENT, "invite": INVITE_FRAGMENT},
        "replies": {"start": REPLY_START, "end": REPLY_END},
        "round_file": {"format": ROUND_FILE_FORMAT, "version": ROUND_FILE_VERSION},
        # The key of the id in a kept calendar: a plan's, a decision's (ics.next_version).
        "calendar_ids": {"plan": PLAN_ID, "decision": DECISION_ID},
        # A health check's actions from the last workshop (rounds.read_actions reads them).
        "actions": {
            "statuses": list(ACTION_STATUSES),
            "most": MAX_ACTIONS,
            "what_chars": MAX_ACTION_TEXT,
            "owner_chars": MAX_OWNER,
        },
        # A response's organisation as pages keep it: 0 when not said, else rounds' number.
        "organisations": [
            {"number": 0, "name": "Not said"},
            *({"number": n, "name": name.capitalize()} for n, name in ORGANISATIONS.items()),
        ],
    }
