"""What the compare page asks of the engine, as plain data in and out (docs/compare/main.py).

The page keeps its set of responses as share codes (each with a relationship chosen on the page
where the code said none) and a local label that never reaches Python. Everything it shows
about a response, a team result or a series over time is computed and worded here. The page's
data still calls a respondent's relationship their "side": those are the keys its script reads.
"""

from __future__ import annotations

import base64
import binascii
import dataclasses
import re
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from .bank import Bank, load_bank
from .codec import (
    CODE_SHAPE,
    Response,
    check_nonce,
    decode_response,
    encode,
    organisation_index,
    relationship_index,
)
from .editions import edition_named, edition_note
from .errors import AnswerError, AssessmentError, CodeError
from .exports import about_file, response_from_bytes
from .paste import parse_codes
from .replies import find_replies
from .round_file import responses_from_items
from .rounds import (
    OURS,
    THEIRS,
    Invitation,
    InvitationError,
    counterpart,
    invitation_fragment,
    invitation_message,
    partnership_name,
    read_actions,
    reminder_message,
)
from .team import TeamError, combine, over_time, relationship_name
from .team_report import notes, over_time_html, over_time_markdown, to_html, to_markdown
from .team_report import workshop_agenda as agenda
from .text import excerpt
from .web import PAGE_BASE
from .web import SET_FRAGMENT as SET_PREFIX

# A run of percent escapes in a link's fragment: its bytes are read together.
_ESCAPES = re.compile(r"(?:%[0-9A-Fa-f]{2})+")
# A code, then optionally "~client": a relationship chosen on the page ("2-2026.2-AB…~client").
_SET_ITEM = re.compile(rf"^(?P<code>{CODE_SHAPE})(?:~(?P<chosen>[a-z][a-z0-9_]*))?$")


def describe(response: Response, code: str, bank: Bank | None = None) -> dict[str, Any]:
    """A response as the page lists it: its code, relationship (if the code says), day, its
    organisation (if said), the questions' version it was made with and, for an earlier one,
    a note of what changed since ("" otherwise)."""
    bank = bank or load_bank()
    return {
        "code": code,
        "side": response.relationship,
        "side_name": (
            relationship_name(response.relationship, bank) if response.relationship else ""
        ),
        "side_said": response.relationship is not None,
        "date": None if response.given is None else response.given.isoformat(),
        # As the page numbers them (codec: 0 not said, then ORGANISATIONS in order).
        "organisation": organisation_index(response.organisation),
        "organisation_said": response.organisation is not None,
        "bank_version": response.bank_version,
        "note": edition_note(response.bank_version, response.dropped, bank),
    }


def canonical_code(response: Response, bank: Bank) -> str:
    """Today's code of a response (codes of older formats or editions, and files, are carried
    as today's codes), with the same nonce: read again, it is the same response."""
    return encode(
        response.answers,
        bank,
        relationship=response.relationship,
        given=response.given,
        dated=response.given is not None,
        organisation=response.organisation,
        nonce=response.identity,
    )


def read_pasted(text: str, bank: Bank | None = None) -> dict[str, Any]:
    """Pasted text: each link or code in it described, each bad one with its reason, and the
    sealed replies of a health check found in it (the page opens them with the round's key,
    then sends the codes inside back here)."""
    bank = bank or load_bank()
    if not isinstance(text, str):
        raise TeamError("The pasted codes must be text.")
    sealed, bad, rest = find_replies(text)
    items: list[dict[str, Any]] = []
    refused: list[dict[str, Any]] = [
        {"number": b.number, "text": b.text, "error": b.error, "piece": b.text, "reply": True}
        for b in bad
    ]
    for parsed in parse_codes(" ".join(rest), bank):
        if parsed.response is None:
            refused.append(
                {
                    "number": parsed.number,
                    "text": parsed.text,
                    "error": parsed.error or "",
                    "piece": parsed.piece,
                }
            )
        else:
            response = parsed.response
            items.append(describe(response, canonical_code(response, bank), bank))
    return {
        "items": items,
        "refused": refused,
        "sealed": [{"number": r.number, "round": r.round, "body": r.body} for r in sealed],
        "message": _read_message(len(items), refused),
    }


def _read_message(kept: int, refused: Sequence[Mapping[str, Any]]) -> str:
    said = f"{kept} response" + ("" if kept == 1 else "s") + " added"
    if refused:
        said += f"; {len(refused)} could not be read (listed with the reason)"
    return said + "."


def read_file(name: str, data_b64: str, bank: Bank | None = None) -> dict[str, Any]:
    """An exported JSON file (its bytes, base64): the response it holds, described."""
    bank = bank or load_bank()
    try:
        data = base64.b64decode(data_b64, validate=True)
    except (binascii.Error, ValueError, TypeError):
        raise AnswerError(f"{excerpt(name)}: the page could not read the file.") from None
    try:
        response = response_from_bytes(data, bank)
    except AnswerError as error:
        raise AnswerError(about_file(name, error)) from None
    return describe(response, canonical_code(response, bank), bank)


def mine(
    record: Mapping[str, Any], today: date | None = None, bank: Bank | None = None
) -> dict[str, Any]:
    """The reader's own answers as saved by the assessment page, as a response of today.

    Answers saved with an earlier edition of the questions count by question id. The record
    may carry the reader's nonce ("nonce") and organisation ("organisation"), which the
    response then keeps.
    """
    bank = bank or load_bank()
    version = record.get("bank_version") if isinstance(record, Mapping) else None
    if not isinstance(version, str) or edition_named(version, bank) is None:
        raise AnswerError(
            "There are no answers of yours for this version of the questions in this browser. "
            "Answer the self-assessment first."
        )
    answers = record.get("answers")
    if not isinstance(answers, Mapping) or not answers:
        raise AnswerError("You have not answered any question yet in this browser.")
    # The assessment page saves the relationship under "perspective" (its form's name).
    relationship = record.get("perspective") or None
    relationship_index(relationship, bank)
    organisation = record.get("organisation") or None
    organisation_index(organisation)
    nonce = record.get("nonce")
    if nonce is not None:
        check_nonce(nonce)
    known = set(bank.question_ids)
    dropped = tuple(str(q) for q in answers if q not in known) if version != bank.version else ()
    response = Response(
        {q: level for q, level in answers.items() if q not in dropped},
        relationship,
        today or date.today(),
        version,
        organisation,
        nonce,
        dropped,
    )
    return describe(response, canonical_code(response, bank), bank)


def team_view(
    items: Sequence[Mapping[str, Any]],
    base_url: str,
    actions: Any = None,
    bank: Bank | None = None,
) -> dict[str, Any]:
    """The team result of the page's set: data, the HTML to show, the downloads; a health
    check's result and agenda open with its actions from the last workshop still open."""
    bank = bank or load_bank()
    team = combine(responses_from_items(items, bank), bank, limit=bank.team.max_responses)
    carried = read_actions(actions)
    return {
        "result": team.to_dict(),
        "html": to_html(team, page_base=PAGE_BASE, actions=carried),
        "markdown": to_markdown(team, base_url, carried),
        "agenda": agenda(team, base_url, carried),
        "notes": list(notes(team)),
        "duplicates": [number for number, _ in team.duplicates],
        "announce": f"Team verdict: {team.verdict_label}. {len(team.respondents)} respondents "
        f"combined; {len(team.disagreements)} questions with a disagreement.",
    }


def over_time_view(
    checks: Sequence[Sequence[Mapping[str, Any]]], bank: Bank | None = None
) -> dict[str, Any]:
    """Earlier sets of the same partnership and the current one, as a series over time."""
    bank = bank or load_bank()
    if not isinstance(checks, Sequence) or len(checks) < 2:
        raise TeamError("Load at least one earlier set to see the change over time.")
    series = over_time([responses_from_items(check, bank) for check in checks], bank)
    return {
        "result": series.to_dict(),
        "html": over_time_html(series),
        "markdown": over_time_markdown(series),
    }


def set_fragment(items: Sequence[Mapping[str, Any]], bank: Bank | None = None) -> str:
    """The link fragment that reopens the set: "#set=CODE~client,CODE,…" (labels stay out)."""
    bank = bank or load_bank()
    parts = []
    for response, item in zip(responses_from_items(items, bank), items, strict=True):
        code = str(item["code"]).strip()
        chosen = item.get("side") or None
        chosen_here = chosen and response.relationship == chosen
        parts.append(f"{code}~{response.relationship}" if chosen_here else code)
    return SET_PREFIX + ",".join(parts)


def unquote(text: str) -> str:
    """`text` with each run of %XX escapes read as UTF-8 (a wrong byte as '\ufffd'): what
    urllib.parse.unquote(text, errors="replace") returns, without shipping urllib.parse and
    the ipaddress module it imports to every first visit (bench/levers.md)."""
    return _ESCAPES.sub(
        lambda run: bytes.fromhex(run[0].replace("%", "")).decode(errors="replace"), text
    )


def items_from_fragment(fragment: str, bank: Bank | None = None) -> dict[str, Any]:
    """The set a "#set=…" link holds: each item described, each bad one with its reason."""
    bank = bank or load_bank()
    if not isinstance(fragment, str) or not fragment.startswith(SET_PREFIX):
        raise TeamError("This link does not hold a set of responses (it should start #set=).")
    # The page decodes the fragment; a link whose codes were percent-encoded once more (a
    # mail client's doing) reads the same.
    after = fragment[len(SET_PREFIX) :]
    if "%" in after:
        after = unquote(after)
    pieces = [p for p in after.split(",") if p]
    if len(pieces) > bank.team.max_responses:
        raise TeamError(
            f"The link holds {len(pieces)} responses; at most {bank.team.max_responses} can be "
            "combined at once."
        )
    items, refused = [], []
    for number, piece in enumerate(pieces, start=1):
        match = _SET_ITEM.match(piece)
        try:
            if match is None:
                raise CodeError("This is not a share code from this site.")
            response = decode_response(match.group("code"), bank)
            chosen = match.group("chosen")
            described = describe(response, match.group("code"), bank)
            if chosen and response.relationship is None:
                relationship_index(chosen, bank)
                described["side"] = chosen
            items.append(described)
        except AssessmentError as error:
            refused.append({"number": number, "text": excerpt(piece), "error": str(error)})
    return {"items": items, "refused": refused, "message": _read_message(len(items), refused)}


def relationships(bank: Bank | None = None) -> list[dict[str, str]]:
    """The bank's relationships with their names, for the page's choice of side."""
    bank = bank or load_bank()
    return [{"id": r.id, "name": r.name} for r in bank.relationships]


# -- The page's endpoints that wrap the functions above (docs/compare/main.py) -----------------


def sides_view() -> dict[str, Any]:
    """The sides a respondent can be on (the bank's relationships), with their names."""
    return {"sides": relationships()}


def read_file_view(name: str, data_b64: str) -> dict[str, Any]:
    """An exported JSON file, given as its name and its bytes in base64."""
    return {"item": read_file(name, data_b64)}


def mine_view(record: Mapping[str, Any]) -> dict[str, Any]:
    """The reader's own answers saved by the assessment page, as a response of today."""
    return {"item": mine(record)}


def set_link(items: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """The "#set=…" fragment of a link that reopens the set."""
    return {"fragment": set_fragment(items)}


# -- A health check's round (the organiser's side of the compare page) -------------------------


def round_invitations(kept: Mapping[str, Any], assessment_url: str) -> dict[str, Any]:
    """A round's two invitation links (its organiser's organisation, the partner's) and the
    texts to send with them: each link opens the assessment page at `assessment_url`."""
    if not isinstance(kept, Mapping) or not isinstance(assessment_url, str):
        raise InvitationError("The page sent a malformed round.")
    deadline = None
    if kept.get("deadline"):
        try:
            deadline = date.fromisoformat(str(kept["deadline"]))
        except ValueError:
            raise InvitationError("The round's deadline is not a date.") from None
    relationship = str(kept.get("relationship", ""))
    ours = Invitation(
        round=str(kept.get("id", "")),
        organisation=OURS,
        relationship=relationship,
        public_key=str(kept.get("public_key", "")),
        name=partnership_name(str(kept.get("name", ""))),
        deadline=deadline,
    )
    invitations = {
        "ours": ours,
        "theirs": dataclasses.replace(
            ours, organisation=THEIRS, relationship=counterpart(relationship)
        ),
    }
    links = {key: assessment_url + invitation_fragment(i) for key, i in invitations.items()}
    return {
        "links": links,
        "messages": {key: invitation_message(i, links[key]) for key, i in invitations.items()},
        "reminders": {key: reminder_message(i, links[key]) for key, i in invitations.items()},
        "relationships": {key: i.relationship for key, i in invitations.items()},
    }
