"""The assessment page's Python: runs in a PyScript Web Worker, never on the page's thread.

PyScript fetched the `assessment` package that hooks/runtime.py ships (runtime/assessment/)
into this worker's file system before running this file, so the engine imported here is the
very code the tests and the build run. Every name in `__export__` can be called by app.js;
each takes and returns JSON text, so only plain strings cross between the threads. This file
only translates: read the answers, call the engine, hand back what the page shows.
"""

import json
import os
import sys

import assessment
from assessment.report import page_url


def ping() -> str:
    """Return, as JSON, which engine this worker imported, on which Python, started how."""
    return json.dumps(
        {
            "engine": assessment.__doc__,
            "module": assessment.__file__,
            "python": sys.version.split()[0],
            # "snapshot" when interpreter.mjs restored a memory snapshot kept by a visit before.
            "start": os.environ.get("PLAYBOOK_PYTHON_START", "fresh"),
        }
    )


def assess_json(answers_json: str, base_url_json: str) -> str:
    """Score answers ({question id: level or null}); links in the report start at base_url."""
    try:
        answers = json.loads(answers_json)
        base_url = json.loads(base_url_json)
        result = assessment.assess(answers)
        code = assessment.encode(answers)
    except (assessment.AssessmentError, ValueError) as error:
        return json.dumps({"ok": False, "error": str(error)})
    playbooks = {d.playbook for d in result.dimensions} | {result.verdict_playbook}
    return json.dumps(
        {
            "ok": True,
            "result": result.to_dict(),
            "svg": assessment.to_svg(result, id_prefix="pp-chart"),
            "markdown": assessment.to_markdown(result, base_url=base_url),
            "export": assessment.export_document(result, answers, code),
            "share_code": code,
            # Playbook pages as URLs relative to the assessment page (<site>/assessment/).
            "urls": {playbook: page_url(playbook, "../") for playbook in playbooks},
        }
    )


def decode_json(code_json: str) -> str:
    """Decode a share code into answers, or say in plain words why it cannot be read."""
    try:
        answers = assessment.decode(json.loads(code_json))
    except (assessment.AssessmentError, ValueError) as error:
        return json.dumps({"ok": False, "error": str(error)})
    return json.dumps({"ok": True, "answers": answers})


def import_json(text_json: str) -> str:
    """Read an exported JSON file (or a plain {question id: level} object) into answers."""
    try:
        answers = assessment.answers_from_json(json.loads(text_json))
    except (assessment.AssessmentError, ValueError) as error:
        return json.dumps({"ok": False, "error": str(error)})
    return json.dumps({"ok": True, "answers": answers})


# PyScript exposes these to the page as `xworker.sync.<name>` (no SharedArrayBuffer needed:
# the page calls, the worker answers asynchronously).
__export__ = ["ping", "assess_json", "decode_json", "import_json"]
