"""The exit planner page's Python: runs in a PyScript Web Worker, never on the page's thread.

PyScript copied the `assessment` package (with exit_steps.toml) into this worker, so the plan
computed here is the one `partnership-exit-plan` prints for the same input. This file only
translates: the form's raw strings in, the engine's renderings out.
"""

import json

from assessment import AssessmentError
from assessment.errors import PlanError
from assessment.exit_form import field_message
from assessment.exit_plan import plan_from_form
from assessment.exit_report import announcement, to_html, to_ics, to_markdown
from assessment.selfcheck import ping  # noqa: F401 (exported: the bridge calls it for "ready")

# Playbook links in the page's result are relative to the planner page (<site>/exit-planner/).
PAGE_BASE = "../"


def plan_json(form_json: str, base_url_json: str) -> str:
    """The plan for the form's raw values; downloads link into the site at base_url."""
    try:
        form = json.loads(form_json)
        base_url = json.loads(base_url_json)
        if not isinstance(form, dict) or not isinstance(base_url, str):
            raise ValueError("the page sent a malformed request")
        plan = plan_from_form(form)
    except PlanError as error:
        return json.dumps({"ok": False, "field": error.field, "error": field_message(error)})
    except (AssessmentError, ValueError) as error:
        return json.dumps({"ok": False, "field": "", "error": str(error)})
    return json.dumps(
        {
            "ok": True,
            "plan": plan.to_dict(base_url),
            "html": to_html(plan, PAGE_BASE),
            "announce": announcement(plan),
            "markdown": to_markdown(plan, base_url),
            "ics": to_ics(plan, base_url),
        }
    )


# PyScript exposes these to the page as `xworker.sync.<name>`.
__export__ = ["ping", "plan_json"]
