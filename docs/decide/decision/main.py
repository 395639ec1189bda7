"""The decision page's Python, run by PyScript in a Web Worker: the page's endpoints.

The code behind each endpoint (assessment/decision_page.py) is the code `partnership-decide`
runs; assessment/web.py says what an endpoint takes and returns.
"""

from assessment import decision_page as page
from assessment import web
from assessment.web import endpoint

# Every page exports the engine's self-check: engine.js asks it before saying "ready".
ping = web.ping

decide = endpoint(page.decide, labels=page.LABELS)
calendar = endpoint(page.calendar, labels=page.LABELS)
export = endpoint(page.export, labels=page.LABELS)
open_file = endpoint(page.open_file, labels=page.LABELS)
latest_health = endpoint(page.latest_health, labels=page.LABELS)

# PyScript gives the page these as `xworker.sync.<name>`; engine.js calls them.
__export__ = ["ping", "decide", "calendar", "export", "open_file", "latest_health"]
