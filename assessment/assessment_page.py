"""What the assessment page asks of the engine, as plain data in and out (docs/assessment/main.py).

The page sends the form's answers, the perspective chosen and the site's address; everything it
shows about a result (the verdict, the scores, the reasons, the share code, the downloads and
the reader's kept results over time) is computed and worded here.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Mapping
from datetime import date
from typing import Any

from . import report
from .bank import load_bank
from .codec import Response, decode_response, derived_nonce, encode
from .editions import edition_note
from .errors import AnswerError
from .exports import about_file, export_document, response_from_bytes
from .history import MAX_ENTRIES, History, read_history
from .history import to_html as history_html
from .plan import to_plan_markdown
from .replies import reply_text
from .rounds import Invitation, check_invitation, read_invitation, reply_message
from .scoring import assess as score
from .scoring import is_quick
from .text import excerpt
from .web import MALFORMED, PAGE_BASE


def assess(
    answers: Mapping[str, Any],
    perspective: str,
    base_url: str,
    organisation: str = "",
    nonce: int | None = None,
) -> dict[str, Any]:
    """Score answers ({question id: level or null}) given from a perspective (or "").

    `organisation` ("organiser", "partner" or "") goes into the share code and the export, and
    so does `nonce`: the reader's own, kept with their answers (one per respondent). Without
    one, the nonce is made from the answers, so that the same answers on the same day give the
    same code (a page that keeps none adds no new kept result on every change).
    """
    relationship = perspective or None
    result = score(answers)
    given = date.today()
    if nonce is None:
        nonce = derived_nonce(dict(answers), relationship, given)
    code = encode(
        answers,
        relationship=relationship,
        given=given,
        organisation=organisation or None,
        nonce=nonce,
    )
    return {
        "result": result.to_dict(),
        "html": report.to_html(result, page_base=PAGE_BASE),
        "announce": report.announcement(result),
        "markdown": report.to_markdown(result, base_url=base_url),
        "plan": to_plan_markdown(result, base_url=base_url),
        "export": export_document(
            result,
            answers,
            code,
            relationship=relationship,
            given=given,
            organisation=organisation or None,
            nonce=nonce,
        ),
        "share_code": code,
    }


def open_code(code: str) -> dict[str, Any]:
    """The answers a share code holds (of this edition or an earlier one, with a note of what
    changed since), or CodeError saying in plain words why it cannot be read."""
    response = decode_response(code)
    return {"answers": dict(response.answers), **_made_with(response)}


def open_file(name: str, data_b64: str) -> dict[str, Any]:
    """The answers and perspective of an exported file, given as its name and bytes (base64)."""
    # The bytes, not text decoded by the browser: the command line and the page then apply
    # one rule to byte-order marks and encodings (assessment.exports.read_json_bytes).
    try:
        data = base64.b64decode(data_b64, validate=True)
    except (binascii.Error, ValueError, TypeError):
        raise AnswerError(f"{excerpt(name)}: the page could not read the file.") from None
    try:
        response = response_from_bytes(data)
    except AnswerError as error:
        raise AnswerError(about_file(name, error)) from None
    return {
        "answers": dict(response.answers),
        "side": response.relationship,
        **_made_with(response),
    }


def _made_with(response: Response) -> dict[str, Any]:
    """What a page shows beside opened answers: the organisation, the version they were made
    with and a note of what changed since ("" for this version)."""
    bank = load_bank()
    return {
        "organisation": response.organisation,
        "bank_version": response.bank_version,
        "note": edition_note(response.bank_version, response.dropped, bank),
    }


def history(codes: list[Any]) -> dict[str, Any]:
    """The reader's kept results (share codes), shown with the change since the previous one."""
    if not isinstance(codes, list):
        raise AnswerError("The kept results are not a list.")
    kept = read_history(codes)
    # "codes" is every code to keep, unreadable ones too: only the reader deletes a result.
    return {
        "html": history_html(kept),
        "codes": list(kept.kept),
        "dropped": kept.dropped,
        "older": kept.older,
        "shown": MAX_ENTRIES,
        "unreadable": len(kept.unreadable),
        "last": last_result(kept),
    }


def open_invitation(fragment: str) -> dict[str, Any]:
    """The invitation an "#invite=…" link holds, or InvitationError saying plainly why not."""
    return {"invitation": read_invitation(fragment).to_dict()}


def reply_to(invitation: Mapping[str, Any], body: str) -> dict[str, Any]:
    """The sealed reply (its body, sealed by the page) as the text and message to send."""
    if not isinstance(invitation, Mapping) or not isinstance(body, str):
        raise AnswerError(MALFORMED)
    deadline = invitation.get("deadline")
    opened = Invitation(
        round=str(invitation.get("round", "")),
        organisation=int(invitation.get("organisation") or 0),
        relationship=str(invitation.get("relationship", "")),
        public_key=str(invitation.get("public_key", "")),
        name=str(invitation.get("name", "")),
        deadline=None if not deadline else date.fromisoformat(str(deadline)),
    )
    check_invitation(opened)
    try:
        text = reply_text(opened.round, body)
    except ValueError:
        raise AnswerError("The sealed reply is damaged: answer again.") from None
    return {"reply": text, **reply_message(opened, text)}


def last_result(kept: History) -> dict[str, str] | None:
    """The returning reader's banner: their last kept result in words, and its colour."""
    if kept.series is None:
        return None
    point = kept.series.points[-1]
    result = point.result
    answers = point.result.respondents[0].answers if result.respondents else {}
    quick = " (a quick check)" if is_quick(answers, load_bank()) else ""
    return {
        "text": f"Your last result, on {point.given.isoformat()}: {result.verdict_label}{quick}. "
        f"{result.verdict_title}.",
        "colour": result.verdict_colour,
    }
