"""MkDocs hook: the question bank and the exit steps are checked before anything is built.

The same checks as ``python -m assessment check`` (assessment/check.py): the bank loads, its
links name pages and ids under docs/, its reverse-scored questions, a core question in each
dimension, id prefixes and each relationship's styling, the lock file; the exit steps file loads
and its links resolve. A problem stops the build with one line naming the file, the item's id
and the field, not with a traceback from the plugin that first read the file (mkdocs-macros),
nor with a broken link blamed on the page a macro wrote it into.

It runs first (a high event priority), before mkdocs-macros reads the bank.
"""

from __future__ import annotations

from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority

from assessment import check

# Where the bank is in the project being built (macros/__init__.py reads the same file).
BANK_FILE = Path("assessment") / "bank.toml"


def build_problem(outcome: check.Outcome) -> str | None:
    """The one line a failed check stops the build with (None: nothing to stop for)."""
    if outcome.ok:
        return None
    first, more = outcome.problems[0], len(outcome.problems) - 1
    if more:
        first += f" (and {more} more: 'python -m assessment check' lists them all)"
    return first


@event_priority(100)
def on_config(config: MkDocsConfig) -> MkDocsConfig:
    """Check the bank, the steps beside it, and their links into this build's docs folder."""
    project = Path(config.config_file_path).resolve().parent
    outcome = check.run(project / BANK_FILE, Path(config.docs_dir))
    stop = build_problem(outcome)
    if stop is not None:
        raise PluginError(stop)
    return config
