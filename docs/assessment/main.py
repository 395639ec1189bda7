"""The assessment page's Python: runs in a PyScript Web Worker, never on the page's thread.

PyScript fetched the `assessment` package that hooks/runtime.py ships (runtime/assessment/)
into this worker's file system before running this file, so the engine imported here is the
very code the tests and the build run. Every name in `__export__` can be called by app.js;
each takes and returns JSON text, so only plain strings cross between the threads.
"""

import json
import sys

import assessment


def ping() -> str:
    """Return, as JSON, which engine this worker imported and on which Python."""
    return json.dumps(
        {
            "engine": assessment.__doc__,
            "module": assessment.__file__,
            "python": sys.version.split()[0],
        }
    )


# PyScript exposes these to the page as `xworker.sync.<name>` (no SharedArrayBuffer needed:
# the page calls, the worker answers asynchronously).
__export__ = ["ping"]
