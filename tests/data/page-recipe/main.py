"""The greeting page's Python, run by PyScript in a Web Worker: the page's endpoints."""

from assessment import greeting_page as page
from assessment import web
from assessment.web import endpoint

ping = web.ping
greet = endpoint(page.greet)

__export__ = ["ping", "greet"]
