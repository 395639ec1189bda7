"""Share codes in pasted text: each link or code read into a response, or refused with why.

Page glue, like team_page.py: what a person pastes on the compare page (links, bare codes, any
whitespace between) is read here; the team engine (team.py) only ever sees the responses.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .bank import Bank, load_bank
from .codec import Response, decode_response
from .errors import AssessmentError
from .team import TeamError
from .text import excerpt

# A share link's fragment: "#code=CODE", also after other keys ("#lang=en&code=CODE").
CODE_FRAGMENT = re.compile(r"#(?:.*&)?code=([^&\s]*)")


@dataclass(frozen=True)
class ParsedInput:
    """One piece of pasted text: the response it holds, or why it cannot be read."""

    number: int
    text: str  # a short excerpt, safe to show in a message
    response: Response | None
    error: str | None
    piece: str = ""  # the piece as it was pasted, to give back for correcting


def parse_codes(text: str, bank: Bank | None = None) -> tuple[ParsedInput, ...]:
    """Many share links or codes separated by any whitespace: each read or refused on its own."""
    bank = bank or load_bank()
    if not isinstance(text, str):
        raise TeamError("The pasted codes must be text.")
    pieces = text.split()
    cap = bank.team.max_responses
    if len(pieces) > cap:
        raise TeamError(
            f"{len(pieces)} codes were pasted; at most {cap} responses can be combined at once."
        )
    parsed = []
    for number, piece in enumerate(pieces, start=1):
        match = CODE_FRAGMENT.search(piece)
        code = match.group(1) if match else piece
        try:
            response = decode_response(code, bank)
            parsed.append(ParsedInput(number, excerpt(piece), response, None, piece))
        except AssessmentError as error:
            parsed.append(ParsedInput(number, excerpt(piece), None, str(error), piece))
    return tuple(parsed)
