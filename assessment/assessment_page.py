"""What the assessment page asks of the engine, as plain data in and out (docs/assessment/main.py).

The page sends the form's answers, the perspective chosen and the site's address; everything it
shows about a result (the verdict, the scores, the reasons, the share code, the downloads and
the reader's kept results over time) is computed and worded here.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Mapping
from typing import Any

from . import report
from .bank import load_bank
from .codec import decode, decode_response, encode
from .errors import AnswerError
from .exports import about_file, export_document, response_from_bytes
from .history import History, read_history
from .history import to_html as history_html
from .plan import to_plan_markdown
from .scoring import assess as score
from .scoring import is_quick
from .text import excerpt
from .web import PAGE_BASE


def assess(answers: Mapping[str, Any], perspective: str, base_url: str) -> dict[str, Any]:
    """Score answers ({question id: level or null}) given from a perspective (or "")."""
    relationship = perspective or None
    result = score(answers)
    code = encode(answers, relationship=relationship)
    given = decode_response(code).given
    return {
        "result": result.to_dict(),
        "html": report.to_html(result, page_base=PAGE_BASE),
        "announce": report.announcement(result),
        "markdown": report.to_markdown(result, base_url=base_url),
        "plan": to_plan_markdown(result, base_url=base_url),
        "export": export_document(result, answers, code, relationship=relationship, given=given),
        "share_code": code,
    }


def open_code(code: str) -> dict[str, Any]:
    """The answers a share code holds, or CodeError saying in plain words why it cannot be read."""
    return {"answers": decode(code)}


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
    return {"answers": dict(response.answers), "side": response.relationship}


def history(codes: list[Any]) -> dict[str, Any]:
    """The reader's kept results (share codes), shown with the change since the previous one."""
    if not isinstance(codes, list):
        raise AnswerError("The kept results are not a list.")
    kept = read_history(codes)
    return {
        "html": history_html(kept),
        "codes": list(kept.codes),
        "dropped": kept.dropped,
        "last": last_result(kept),
    }


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
