"""The exit planner page's Python, run by PyScript in a Web Worker: the page's endpoints.

The code behind each endpoint (assessment/exit_page.py) is the code `partnership-exit-plan`
runs; assessment/web.py says what an endpoint takes and returns.
"""

from assessment import exit_page as page
from assessment import web
from assessment.web import endpoint

# Every page exports the engine's self-check: engine.js asks it before saying "ready".
ping = web.ping

plan = endpoint(page.plan, labels=page.LABELS)
calendar = endpoint(page.calendar, labels=page.LABELS)

# PyScript gives the page these as `xworker.sync.<name>`; engine.js calls them.
__export__ = ["ping", "plan", "calendar"]
