"""The assessment page's Python: runs in a PyScript Web Worker, never on the page's thread.

PyScript unpacked the `assessment` package (the build's archive, runtime/engine/) into this
worker before running this file, so the engine imported here is the very code the tests and
the build run. Every name in `__export__` can be called by app.js; each takes and returns JSON
text. This file only translates: read the answers, call the engine, hand back what the page
shows.
"""

import base64
import json

import assessment
from assessment import report, selfcheck
from assessment.history import read_history
from assessment.history import to_html as history_html

# The engine's self-check: the page says "ready" only once it has answered.
ping = selfcheck.ping

# Playbook links in the page's result are relative to the assessment page (<site>/assessment/).
PAGE_BASE = "../"


def _failed(error: Exception) -> str:
    return json.dumps({"ok": False, "error": str(error)})


def assess_json(answers_json: str, perspective_json: str, base_url_json: str) -> str:
    """Score answers ({question id: level or null}) given from a side (a perspective or "")."""
    try:
        answers = json.loads(answers_json)
        side = json.loads(perspective_json) or None
        base_url = json.loads(base_url_json)
        result = assessment.assess(answers)
        code = assessment.encode(answers, relationship=side)
        given = assessment.decode_response(code).given
    except (assessment.AssessmentError, ValueError) as error:
        return _failed(error)
    return json.dumps(
        {
            "ok": True,
            "result": result.to_dict(),
            "html": report.to_html(result, page_base=PAGE_BASE),
            "announce": report.announcement(result),
            "markdown": assessment.to_markdown(result, base_url=base_url),
            "plan": assessment.to_plan_markdown(result, base_url=base_url),
            "export": assessment.export_document(
                result, answers, code, relationship=side, given=given
            ),
            "share_code": code,
        }
    )


def decode_json(code_json: str) -> str:
    """Decode a share code into answers, or say in plain words why it cannot be read."""
    try:
        answers = assessment.decode(json.loads(code_json))
    except (assessment.AssessmentError, ValueError) as error:
        return _failed(error)
    return json.dumps({"ok": True, "answers": answers})


def import_json(base64_json: str) -> str:
    """Read an exported file's bytes (given in base64) into answers and side."""
    # The bytes, not text decoded by the browser: the command line and the page then apply
    # one rule to byte-order marks and encodings (assessment.exports.read_json_bytes).
    try:
        data = base64.b64decode(json.loads(base64_json), validate=True)
        response = assessment.response_from_bytes(data)
    except (assessment.AssessmentError, ValueError, TypeError) as error:
        return _failed(error)
    return json.dumps({"ok": True, "answers": response.answers, "side": response.relationship})


def history_json(codes_json: str) -> str:
    """Show the reader's kept results (share codes) with the change since the previous one."""
    try:
        codes = json.loads(codes_json)
        if not isinstance(codes, list):
            raise ValueError("the kept results are not a list")
        history = read_history(codes)
    except (assessment.AssessmentError, ValueError) as error:
        return _failed(error)
    return json.dumps(
        {
            "ok": True,
            "html": history_html(history),
            "codes": list(history.codes),
            "dropped": history.dropped,
        }
    )


# PyScript exposes these to the page as `xworker.sync.<name>` (no SharedArrayBuffer needed:
# the page calls, the worker answers asynchronously).
__export__ = ["ping", "assess_json", "decode_json", "import_json", "history_json"]
