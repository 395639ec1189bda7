"""Share codes in pasted text: each link or code read into a response, or refused with why.

Page glue, like team_page.py: what a person pastes on the compare page is read here (links, bare
codes, a chat line or an e-mail around them); the team engine (team.py) only ever sees the
responses. Words around the codes are ignored, not reported: only a piece that looks like a
share code or a link to one, and cannot be read, is refused, with its reason. Sealed replies of
a health check are found first (replies.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .bank import Bank, load_bank
from .codec import CODE_SHAPE, Response, decode_response
from .errors import AssessmentError
from .team import TeamError
from .text import excerpt

# A share link's fragment: "#code=CODE", also after other keys ("#lang=en&code=CODE").
CODE_FRAGMENT = re.compile(r"#(?:.*&)?code=([^&\s]*)")
# A share code inside a piece of text (with quotes, brackets or punctuation around it).
CODE_INSIDE = re.compile(rf"(?<![A-Za-z0-9_.-]){CODE_SHAPE}")


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
    candidates = []
    for piece in text.split():
        # A word around the codes is neither a code nor a mistake: it is left out.
        if link := CODE_FRAGMENT.search(piece):
            # The punctuation that ends a sentence is not part of the code it follows.
            shaped = CODE_INSIDE.match(link.group(1))
            candidates.append((piece, shaped.group(0) if shaped else link.group(1)))
        elif inside := CODE_INSIDE.search(piece):
            candidates.append((piece, inside.group(0)))
    cap = bank.team.max_responses
    if len(candidates) > cap:
        raise TeamError(
            f"{len(candidates)} codes were pasted; at most {cap} responses can be combined at once."
        )
    parsed = []
    for number, (piece, code) in enumerate(candidates, start=1):
        try:
            response = decode_response(code, bank)
            parsed.append(ParsedInput(number, excerpt(piece), response, None, piece))
        except AssessmentError as error:
            parsed.append(ParsedInput(number, excerpt(piece), None, str(error), piece))
    return tuple(parsed)
