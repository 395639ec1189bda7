"""The compare page's Python: runs in a PyScript Web Worker, never on the page's thread.

PyScript copied the `assessment` package into this worker, so the team result computed here
is the one `partnership-assessment --code … --code …` prints for the same codes. This file
only translates: JSON text in, the engine's data and renderings out (assessment/team_page.py).
"""

import json
from collections.abc import Callable
from typing import Any

from assessment import AssessmentError, team_page
from assessment.selfcheck import ping  # noqa: F401 (exported: the bridge calls it for "ready")

# Playbook links in the page's result are relative to the compare page (<site>/compare/).
PAGE_BASE = "../"


def _reply(compute: Callable[[], dict[str, Any]]) -> str:
    """Run `compute`; its data with ok=True, or the engine's message with ok=False."""
    try:
        data = compute()
    except (AssessmentError, ValueError, TypeError) as error:
        return json.dumps({"ok": False, "error": str(error)})
    return json.dumps({"ok": True, **data})


def sides_json() -> str:
    """The sides a respondent can be on, with their names."""
    return _reply(lambda: {"sides": team_page.relationships()})


def read_codes_json(text_json: str) -> str:
    """Pasted share links or codes (any whitespace between): each read or refused."""
    return _reply(lambda: team_page.read_pasted(json.loads(text_json)))


def read_file_json(name_json: str, data_json: str) -> str:
    """An exported JSON file, as its name and its bytes in base64."""
    return _reply(
        lambda: {"item": team_page.read_file(json.loads(name_json), json.loads(data_json))}
    )


def mine_json(record_json: str) -> str:
    """The reader's own answers saved by the assessment page, as a response of today."""
    return _reply(lambda: {"item": team_page.mine(json.loads(record_json))})


def team_json(items_json: str, base_url_json: str) -> str:
    """The team result of the set: [{code, side}]; downloads link into the site at base_url."""
    return _reply(
        lambda: team_page.team_view(json.loads(items_json), PAGE_BASE, json.loads(base_url_json))
    )


def over_time_json(groups_json: str) -> str:
    """Earlier sets and the current one ([[{code, side}], …]) as a series over time."""
    return _reply(lambda: team_page.over_time_view(json.loads(groups_json)))


def fragment_json(items_json: str) -> str:
    """The "#set=…" fragment of a link that reopens the set."""
    return _reply(lambda: {"fragment": team_page.set_fragment(json.loads(items_json))})


def open_fragment_json(fragment_json: str) -> str:
    """The set a "#set=…" link holds."""
    return _reply(lambda: team_page.items_from_fragment(json.loads(fragment_json)))


# PyScript exposes these to the page as `xworker.sync.<name>`.
__export__ = [
    "ping",
    "sides_json",
    "read_codes_json",
    "read_file_json",
    "mine_json",
    "team_json",
    "over_time_json",
    "fragment_json",
    "open_fragment_json",
]
