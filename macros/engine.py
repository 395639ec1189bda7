"""The status block of a page that runs Python: status line, retry button, script check.

A page declares that it runs Python in its front matter (`python:`, see hooks/python_page.py,
which also writes the worker's tags); `{{ python_engine() }}` places this block where the page
wants its status to show. docs/javascripts/engine.js keeps the status line truthful.
"""

from __future__ import annotations

from collections.abc import Mapping
from html import escape


def python_engine(python: Mapping[str, str], bank_version: str) -> str:
    """Return the HTML of a page's engine status, from its front matter's `python:` entries."""
    # hooks/python_page.py checks the entries, and fails the build with a message naming any
    # that is missing.
    h = escape
    command = python.get("command", "")
    same_elsewhere = (
        f" The same is available on the command line: <code>{h(command)}</code>." if command else ""
    )
    return "\n".join(
        [
            f'<p id="py-status" class="pp-status" role="status" data-state="loading" '
            f'data-bank-version="{h(bank_version)}" data-noun="{h(python.get("noun", ""))}" '
            f'data-ready="{h(python.get("ready", ""))}">{h(python.get("loading", ""))}</p>',
            '<p><button type="button" class="md-button" id="pp-retry" hidden>'
            "Try loading the engine again</button></p>",
            # Shown until the page's script says it started (data-app-started, extra.css).
            f'<p class="pp-script-check" role="alert">The page\'s script has not started, so '
            f"{h(python.get('without_script', ''))}. Reload the page; if this stays, your "
            f"browser or network may be blocking the site's scripts.{same_elsewhere}</p>",
        ]
    )
