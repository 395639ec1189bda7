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
from .codec import CODE_SHAPE, Response, decode_response, encode, relationship_index
from .errors import AnswerError, AssessmentError, CodeError
from .exports import response_from_bytes
from .paste import parse_codes
from .team import TeamError, combine, over_time, relationship_name
from .team_report import notes, over_time_html, over_time_markdown, to_html, to_markdown
from .team_report import workshop_agenda as agenda
from .text import excerpt
from .web import PAGE_BASE
from .web import SET_FRAGMENT as SET_PREFIX

# A code, then optionally "~client": a relationship chosen on the page ("2-2026.2-AB…~client").
_SET_ITEM = re.compile(rf"^(?P<code>{CODE_SHAPE})(?:~(?P<chosen>[a-z][a-z0-9_]*))?$")


def describe(response: Response, code: str, bank: Bank) -> dict[str, Any]:
    """A response as the page lists it: its code, relationship (if the code says), day."""
    return {
        "code": code,
        "side": response.relationship,
        "side_name": (
            relationship_name(response.relationship, bank) if response.relationship else ""
        ),
        "side_said": response.relationship is not None,
        "date": None if response.given is None else response.given.isoformat(),
    }


def canonical_code(response: Response, bank: Bank) -> str:
    """The format-2 code of a response (old codes and files are carried as today's codes)."""
    return encode(
        response.answers,
        bank,
        relationship=response.relationship,
        given=response.given,
        dated=response.given is not None,
    )


def read_pasted(text: str, bank: Bank | None = None) -> dict[str, Any]:
    """Pasted links or codes: each good one described, each bad one with its reason."""
    bank = bank or load_bank()
    items, refused = [], []
    for parsed in parse_codes(text, bank):
        if parsed.response is None:
            refused.append(
                {"number": parsed.number, "text": parsed.text, "error": parsed.error or ""}
            )
        else:
            items.append(describe(parsed.response, canonical_code(parsed.response, bank), bank))
    return {"items": items, "refused": refused, "message": _read_message(len(items), refused)}


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
        raise AnswerError(f"{excerpt(name)}: {error}") from None
    return describe(response, canonical_code(response, bank), bank)


def mine(
    record: Mapping[str, Any], today: date | None = None, bank: Bank | None = None
) -> dict[str, Any]:
    """The reader's own answers as saved by the assessment page, as a response of today."""
    bank = bank or load_bank()
    if not isinstance(record, Mapping) or record.get("bank_version") != bank.version:
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
    response = Response(dict(answers), relationship, today or date.today(), bank.version)
    return describe(
        response, encode(answers, bank, relationship=relationship, given=response.given), bank
    )


def _responses(items: Sequence[Mapping[str, Any]], bank: Bank) -> list[Response]:
    """The page's items ({code, side}) as responses; the relationship chosen on the page (side)
    applies where the code said none."""
    if not isinstance(items, Sequence) or isinstance(items, str):
        raise TeamError("The page sent a malformed set of responses.")
    responses = []
    for number, item in enumerate(items, start=1):
        if not isinstance(item, Mapping) or not isinstance(item.get("code"), str):
            raise TeamError(f"Response {number}: the page sent a malformed entry.")
        try:
            response = decode_response(item["code"], bank)
        except CodeError as error:
            raise TeamError(f"Response {number}: {error}") from None
        chosen = item.get("side") or None
        if response.relationship is None and chosen is not None:
            try:
                relationship_index(chosen, bank)
            except AnswerError as error:
                raise TeamError(f"Response {number}: {error}") from None
            response = dataclasses.replace(response, relationship=chosen)
        responses.append(response)
    return responses


def team_view(
    items: Sequence[Mapping[str, Any]], base_url: str, bank: Bank | None = None
) -> dict[str, Any]:
    """The team result of the page's set: data, the HTML to show, the downloads."""
    bank = bank or load_bank()
    team = combine(_responses(items, bank), bank, limit=bank.team.max_responses)
    return {
        "result": team.to_dict(),
        "html": to_html(team, page_base=PAGE_BASE),
        "markdown": to_markdown(team, base_url),
        "agenda": agenda(team, base_url),
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
    series = over_time([_responses(check, bank) for check in checks], bank)
    return {
        "result": series.to_dict(),
        "html": over_time_html(series),
        "markdown": over_time_markdown(series),
    }


def set_fragment(items: Sequence[Mapping[str, Any]], bank: Bank | None = None) -> str:
    """The link fragment that reopens the set: "#set=CODE~client,CODE,…" (labels stay out)."""
    bank = bank or load_bank()
    parts = []
    for response, item in zip(_responses(items, bank), items, strict=True):
        code = str(item["code"]).strip()
        chosen = item.get("side") or None
        chosen_here = chosen and response.relationship == chosen
        parts.append(f"{code}~{response.relationship}" if chosen_here else code)
    return SET_PREFIX + ",".join(parts)


def items_from_fragment(fragment: str, bank: Bank | None = None) -> dict[str, Any]:
    """The set a "#set=…" link holds: each item described, each bad one with its reason."""
    bank = bank or load_bank()
    if not isinstance(fragment, str) or not fragment.startswith(SET_PREFIX):
        raise TeamError("This link does not hold a set of responses (it should start #set=).")
    pieces = [p for p in fragment[len(SET_PREFIX) :].split(",") if p]
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
