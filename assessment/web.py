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

from .errors import AssessmentError
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
