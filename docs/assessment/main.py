"""The assessment page's Python, run by PyScript in a Web Worker: the page's endpoints.

PyScript unpacked the engine (the build's archive) into this worker first, so the code behind
each endpoint (assessment/assessment_page.py) is the code the tests and the command line run.
assessment/web.py says what an endpoint takes and returns.
"""

from assessment import assessment_page as page
from assessment import web
from assessment.web import endpoint

# Every page exports the engine's self-check: engine.js asks it before saying "ready".
ping = web.ping

assess = endpoint(page.assess)
open_code = endpoint(page.open_code)
open_file = endpoint(page.open_file)
history = endpoint(page.history)
open_invitation = endpoint(page.open_invitation)
reply_to = endpoint(page.reply_to)

# PyScript gives the page these as `xworker.sync.<name>`; engine.js calls them.
__export__ = ["ping", "assess", "open_code", "open_file", "history", "open_invitation", "reply_to"]
