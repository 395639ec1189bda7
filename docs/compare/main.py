"""The compare page's Python, run by PyScript in a Web Worker: the page's endpoints.

The code behind each endpoint (assessment/team_page.py) is the code that
`partnership-assessment --code … --code …` runs; assessment/web.py says what an endpoint takes
and returns.
"""

from assessment import team_page as page
from assessment import web
from assessment.web import endpoint

# Every page exports the engine's self-check: engine.js asks it before saying "ready".
ping = web.ping

sides = endpoint(page.sides_view)
read_codes = endpoint(page.read_pasted)
read_file = endpoint(page.read_file_view)
mine = endpoint(page.mine_view)
team = endpoint(page.team_view)
over_time = endpoint(page.over_time_view)
set_link = endpoint(page.set_link)
open_set = endpoint(page.items_from_fragment)
round_invitations = endpoint(page.round_invitations)

# PyScript gives the page these as `xworker.sync.<name>`; engine.js calls them.
__export__ = [
    "ping",
    "sides",
    "read_codes",
    "read_file",
    "mine",
    "team",
    "over_time",
    "set_link",
    "open_set",
    "round_invitations",
]
