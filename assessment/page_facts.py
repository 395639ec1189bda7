"""The engine's facts a page needs before Python has loaded: the build writes them into the
runtime manifest (hooks/runtime.py), and the pages' scripts read them from there.

Not imported by a page's worker: what it names (rounds, replies, calendars) is imported only
by the pages that use it.
"""

from __future__ import annotations

from typing import Any

from .bank import LEVELS, Bank
from .codec import MAX_ENCODED_LENGTH, NONCE_BITS, code_length
from .exports import MAX_EXPORT_BYTES
from .ics import DECISION_ID, ID_BYTES, PLAN_ID
from .replies import REPLY_END, REPLY_START, ROUND_ID
from .rounds import (
    ACTION_STATUSES,
    INVITE_FRAGMENT,
    MAX_ACTION_TEXT,
    MAX_ACTIONS,
    MAX_NAME,
    MAX_OWNER,
    ORGANISATIONS,
    ROUND_FILE_FORMAT,
    ROUND_FILE_VERSION,
)
from .web import CODE_FRAGMENT, DONT_KNOW_VALUE, SET_FRAGMENT

# Room for each response in pasted text: a link, and the words of an e-mail or chat around it.
PASTED_CHARS_PER_RESPONSE = 2000


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
        # A health check's id as replies carry it, and the longest name its invitations carry.
        "rounds": {"id_pattern": ROUND_ID.pattern, "name_chars": MAX_NAME},
        # The key of the id in a kept calendar: a plan's, a decision's (ics.next_version).
        "calendar_ids": {"plan": PLAN_ID, "decision": DECISION_ID},
        # The random bytes of a new plan's or decision's id, as the command line makes one.
        "calendar_id_bytes": ID_BYTES,
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
