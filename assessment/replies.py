"""Sealed replies of a health check, found in any pasted text (e-mail, chat, a whole thread).

A respondent's browser seals their share code to the round's organiser (docs/javascripts/seal.js)
and writes it as one token between two markers:

    PPREPLY1.<round id>.<sealed bytes, base64url>.PPEND

Mail and chat programs wrap long lines (inserting line breaks anywhere, even inside the token),
quote them ("> " at the start of each line) and put words around them. This module finds each
token in such text and joins it back; the organiser's browser then opens it with the round's
private key. Python cannot open a reply (it holds no key, and the standard library has no
elliptic curves): it only finds them, and names the ones it cannot read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .text import excerpt

# The markers around a sealed reply: plain letters, which no mail program rewrites.
REPLY_START = "PPREPLY1."
REPLY_END = ".PPEND"
# A round's id: lower-case letters and digits (the organiser's browser makes a random one).
ROUND_ID = re.compile(r"^[a-z0-9]{8,32}$")
# The longest sealed body a reply can have: a key, a nonce, the longest share code, its tag.
MAX_BODY = 12_000
# What a reply's token is made of; anything else inside it means it was damaged on the way.
_TOKEN = re.compile(r"[A-Za-z0-9_.-]")
# A wrapped line's continuation: the line break, then any quoting ("> > ") and indentation.
_CONTINUATION = re.compile(r"\s*(?:>[ \t]*)*")
# The start marker, which a hard wrap may break too: any line break (and quoting) between its
# characters.
_BREAK = r"(?:[ \t]*\r?\n[ \t>]*)?"
_START = re.compile(_BREAK.join(re.escape(char) for char in REPLY_START))


@dataclass(frozen=True)
class SealedReply:
    """A sealed reply found in pasted text: its place among the pieces, round and body."""

    number: int
    round: str
    body: str


@dataclass(frozen=True)
class BadReply:
    """Something that starts like a sealed reply but cannot be read, and why."""

    number: int
    text: str
    error: str


def _joined(text: str, start: int) -> tuple[str, int]:
    """The token from `start`, joined across line breaks and quoting; and where it ended."""
    token: list[str] = []
    at = start
    while at < len(text) and len(token) <= MAX_BODY + 64:
        char = text[at]
        if char.isspace():
            gap = _CONTINUATION.match(text, at)
            assert gap is not None  # the pattern matches the empty string
            following = text[gap.end() : gap.end() + 1]
            # A line break inside the token (a mail program wrapped it) joins it; a space on the
            # same line, or the start of another reply, ends it.
            wrapped = "\n" in text[at : gap.end()] or "\r" in text[at : gap.end()]
            if not wrapped or not following or not _TOKEN.match(following):
                break
            if _START.match(text, gap.end()):
                break
            at = gap.end()
            continue
        if not _TOKEN.match(char):
            break
        token.append(char)
        at += 1
        if "".join(token[-len(REPLY_END) :]) == REPLY_END:
            break
    return "".join(token), at


def find_replies(text: str) -> tuple[tuple[SealedReply, ...], tuple[BadReply, ...], list[str]]:
    """Every sealed reply in `text`, each damaged one with why, and the text left around them.

    The text left (a list of the pieces between the replies) is what other readers of pasted
    text (share codes and links: assessment/paste.py) still look through.
    """
    found: list[SealedReply] = []
    bad: list[BadReply] = []
    rest: list[str] = []
    at = 0
    number = 0
    while (start := _START.search(text, at)) is not None:
        rest.append(text[at : start.start()])
        number += 1
        token, end = _joined(text, start.end())
        at = end
        shown = excerpt(REPLY_START + token)
        if not token.endswith(REPLY_END):
            error = "This reply was cut short: its end (.PPEND) is missing. Ask for it again."
            bad.append(BadReply(number, shown, error))
            continue
        round_id, dot, body = token[: -len(REPLY_END)].partition(".")
        if not dot or not ROUND_ID.match(round_id):
            bad.append(BadReply(number, shown, "This reply is damaged: its round is unreadable."))
        elif not body or len(body) > MAX_BODY or not re.fullmatch(r"[A-Za-z0-9_-]+", body):
            bad.append(BadReply(number, shown, "This reply is damaged: it was changed on the way."))
        else:
            found.append(SealedReply(number, round_id, body))
    rest.append(text[at:])
    return tuple(found), tuple(bad), rest


def reply_text(round_id: str, body: str) -> str:
    """A sealed reply as a respondent sends it (what find_replies finds)."""
    if not ROUND_ID.match(round_id) or not re.fullmatch(r"[A-Za-z0-9_-]+", body):
        raise ValueError("a round id and a base64url body are needed")
    return f"{REPLY_START}{round_id}.{body}{REPLY_END}"
