"""The assessment page's Python: runs in a PyScript Web Worker, never on the page's thread.

PyScript copied the `assessment` package (runtime/assessment/) into this worker before running
this file, so the engine imported here is the very code the tests and the build run. Every
name in `__export__` can be called by app.js; each takes and returns JSON text. This file only
translates: read the answers, call the engine, hand back what the page shows.
"""

import json

import assessment
from assessment import report
from assessment.selfcheck import ping

# Playbook links in the page's result are relative to the assessment page (<site>/assessment/).
PAGE_BASE = "../"


def _failed(error: Exception) -> str:
    return json.dumps({"ok": False, "error": str(error)})


def assess_json(answers_json: str, perspective_json: str, base_url_json: str) -> str:
    """Score answers ({question id: level or null}); the report's links start at base_url."""
    try:
        answers = json.loads(answers_json)
        json.loads(perspective_json)
        base_url = json.loads(base_url_json)
        result = assessment.assess(answers)
        code = assessment.encode(answers)
    except (assessment.AssessmentError, ValueError) as error:
        return _failed(error)
    return json.dumps(
        {
            "ok": True,
            "result": result.to_dict(),
            "html": report.to_html(result, page_base=PAGE_BASE),
            "announce": report.announcement(result),
            "markdown": assessment.to_markdown(result, base_url=base_url),
            "export": assessment.export_document(result, answers, code),
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


def import_json(text_json: str) -> str:
    """Read an exported JSON file (or a plain {question id: level} object) into answers."""
    try:
        answers = assessment.answers_from_json(json.loads(text_json))
    except (assessment.AssessmentError, ValueError) as error:
        return _failed(error)
    return json.dumps({"ok": True, "answers": answers})


# PyScript exposes these to the page as `xworker.sync.<name>` (no SharedArrayBuffer needed:
# the page calls, the worker answers asynchronously).
__export__ = ["ping", "assess_json", "decode_json", "import_json"]
