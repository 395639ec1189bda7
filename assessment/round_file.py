"""A health check's file: the responses the compare page holds, as the command line reads them.

The compare page keeps its set of responses as items ({code, side, organisation}: a share code,
and the relationship and the organisation chosen on the page where the code said none). Its
"Download the round's file" writes a health check's items with the round's id, name and
expected counts, never a label a reader gave. `responses_from_items` reads items for the page
and for the file alike.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from .bank import Bank, load_bank
from .codec import ORGANISATIONS, Response, decode_response, relationship_index
from .errors import AnswerError, CodeError
from .exports import NumberTooLongError, whole_number
from .rounds import ROUND_FILE_FORMAT, ROUND_FILE_VERSION, Action, read_actions
from .team import TeamError
from .text import excerpt

# Far above a round's largest file (its responses' codes, a few hundred bytes each).
MAX_ROUND_FILE_BYTES = 4 * 1024 * 1024


@dataclass(frozen=True)
class RoundFile:
    """What a health check's file says: the round, its name, its responses and its actions."""

    round: str
    name: str
    responses: tuple[Response, ...]
    actions: tuple[Action, ...] = ()


def responses_from_items(
    items: Sequence[Mapping[str, Any]], bank: Bank, sender: str = "The page"
) -> list[Response]:
    """Items ({code, side, organisation}) as responses; the relationship (side) and the
    organisation chosen on the page apply where the code said none. `sender` names where the
    items came from in an error ("The page", "The file")."""
    if not isinstance(items, Sequence) or isinstance(items, str):
        raise TeamError(f"{sender} sent a malformed set of responses.")
    responses = []
    for number, item in enumerate(items, start=1):
        if not isinstance(item, Mapping) or not isinstance(item.get("code"), str):
            raise TeamError(f"Response {number}: {sender.lower()} sent a malformed entry.")
        try:
            response = decode_response(item["code"], bank)
        except CodeError as error:
            raise TeamError(f"Response {number}: {error}") from None
        chosen = item.get("side") or None
        if response.relationship is None and chosen is not None:
            try:
                relationship_index(chosen, bank)
            except (AnswerError, TypeError) as error:
                raise TeamError(f"Response {number}: {error}") from None
            response = dataclasses.replace(response, relationship=chosen)
        # The organisation set on the page (a number: 1 ours, 2 theirs), where the code said none.
        given = item.get("organisation")
        if response.organisation is None and given:
            if type(given) is not int or given not in range(1, len(ORGANISATIONS) + 1):
                raise TeamError(
                    f"Response {number}: {sender.lower()} sent an unknown organisation."
                )
            response = dataclasses.replace(response, organisation=ORGANISATIONS[given - 1])
        responses.append(response)
    return responses


def read_round_file(raw: bytes, bank: Bank | None = None) -> RoundFile:
    """The health check a round's file holds, or TeamError (ActionError for its actions)
    saying plainly why it cannot be read."""
    bank = bank or load_bank()
    if len(raw) > MAX_ROUND_FILE_BYTES:
        raise TeamError("This file is far larger than a health check's file can be.")
    try:
        data = json.loads(raw.decode("utf-8-sig"), parse_int=whole_number)
    except NumberTooLongError as error:
        raise TeamError(f"This health check's file cannot be read: {error}.") from None
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise TeamError(
            "This is not a health check's file: it is not JSON (download it again from the "
            "compare page)."
        ) from None
    if not isinstance(data, dict) or data.get("format") != ROUND_FILE_FORMAT:
        raise TeamError(
            "This is not a health check's file (the compare page's \"Download the round's "
            'file" writes one); an answers file goes with --answers.'
        )
    if data.get("version") != ROUND_FILE_VERSION:
        version = excerpt(json.dumps(data.get("version")), 20)
        raise TeamError(
            f"This health check's file is of version {version}; this "
            f"site reads version {ROUND_FILE_VERSION}. Download it again from this site."
        )
    round_id, name, items = data.get("round"), data.get("name", ""), data.get("responses")
    if not isinstance(round_id, str) or not isinstance(name, str) or not isinstance(items, list):
        raise TeamError("This health check's file is damaged: its round or responses are missing.")
    if len(items) > bank.team.max_responses:
        raise TeamError(
            f"This health check's file holds {len(items)} responses; at most "
            f"{bank.team.max_responses} can be combined at once."
        )
    responses = responses_from_items(items, bank, sender="The file")
    return RoundFile(round_id, name, tuple(responses), read_actions(data.get("actions")))
