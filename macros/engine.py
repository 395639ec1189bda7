"""The block a page that computes with Python includes: status line, retry, PyScript tags."""

from __future__ import annotations

import posixpath
from html import escape

# Written by hooks/runtime.py into the built site; every page's engine uses it.
PYSCRIPT_CONFIG = "runtime/pyscript.json"

# PyScript loads six plugins (editor, terminal, game...) for each interpreter type unless told
# not to, and reads the list only from a main-thread <py-config>/<mpy-config>. The pages use
# none of them (six requests saved).
NO_PLUGINS = (
    '{"plugins": ["!deprecations-manager", "!donkey", "!error", "!py-editor", "!py-game", '
    '"!py-terminal"]}'
)


def python_engine(name: str, page_url: str, bank_version: str, loading_text: str) -> str:
    """Return the HTML that declares a page's Python worker `name` and reports its state."""
    page_dir = posixpath.dirname(page_url.rstrip("/") + "/index.html")
    config = posixpath.relpath(PYSCRIPT_CONFIG, page_dir or ".")
    worker = escape(name, quote=True)
    return "\n".join(
        [
            f'<p id="py-status" class="pp-status" role="status" data-state="loading" '
            f'data-bank-version="{escape(bank_version, quote=True)}">{escape(loading_text)}</p>',
            '<p><button type="button" class="md-button" id="pp-retry" hidden>'
            "Try loading the engine again</button></p>",
            f'<py-config hidden type="json">{NO_PLUGINS}</py-config>',
            f'<mpy-config hidden type="json">{NO_PLUGINS}</mpy-config>',
            f'<script type="py" worker name="{worker}" src="main.py" '
            f'config="{escape(config, quote=True)}"></script>',
        ]
    )
