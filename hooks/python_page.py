"""MkDocs hook: a page whose front matter has ``python:`` runs Python; give it what that takes.

The front matter names the page's worker, the engine module behind its ``main.py`` and the words
its status line uses::

    python:
      worker: exit-planner            # the worker's name (it names the ready mark: manifest names)
      engine: exit_page               # assessment/exit_page.py: what main.py's endpoints call
      noun: The planner               # "The planner is ready." / "... could not load"
      loading: Loading the planner… You can fill in the form now.
      ready: The planner is ready. Your dates stay in this browser.
      without_script: what you enter is not being saved and the plan cannot be computed
      command: partnership-exit-plan --help      # optional: the same on the command line

The page's folder holds its ``main.py`` (the worker's endpoints) and ``app.js`` (its script);
the page's Markdown places the status line with ``{{ python_engine() }}`` (macros/engine.py).
This hook checks all of that and hands the template (overrides/main.html) the tags it writes:
the build's runtime manifest as a JSON block, PyScript's worker script and its configuration,
search-later.js just before Material's bundle, and the page's own module script, each file
asked for with the build's version so that a page never mixes two builds.
"""

from __future__ import annotations

import json
import posixpath
import re
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page

from assessment.web import PAGE_MAIN

# The front-matter key that declares a page that runs Python.
KEY = "python"
# Its entries: those every such page must give, and the optional ones.
REQUIRED = ("worker", "engine", "noun", "loading", "ready", "without_script")
OPTIONAL = ("command",)
WORKER_NAME = re.compile(r"^[a-z][a-z0-9-]{0,39}$")
MODULE_NAME = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
# The files beside the page's Markdown.
MAIN = PAGE_MAIN
SCRIPT = "app.js"
# What the engine is made of, relative to the project: an `engine` entry names a module here.
ENGINE_PACKAGE = "assessment"
# How a built page that runs Python is recognised (the tests and the benchmark pick pages by it).
MARKER = '<script type="py" worker'
# The id of the runtime manifest's JSON block (docs/javascripts/engine.js reads it), and of the
# status line the page must place (engine.js keeps it truthful).
MANIFEST_ELEMENT_ID = "pp-runtime-manifest"
STATUS_ELEMENT_ID = "py-status"
# Holds Material's search worker back while Python starts; runs just before the theme's bundle.
SEARCH_LATER = "javascripts/search-later.js"


def declaration(page: Page, project: Path) -> dict[str, str] | None:
    """Return the page's checked `python:` entries, or None for a page that runs no Python."""
    meta = page.meta.get(KEY)
    if meta is None:
        return None
    where = f"{page.file.src_uri}: front matter '{KEY}'"
    if not isinstance(meta, dict):
        raise PluginError(f"{where}: must be a mapping of {', '.join(REQUIRED)}")
    unknown = sorted(set(meta) - {*REQUIRED, *OPTIONAL})
    if unknown:
        raise PluginError(f"{where}: unknown entry '{unknown[0]}'")
    for name in REQUIRED:
        if not isinstance(meta.get(name), str) or not meta[name].strip():
            raise PluginError(f"{where}: entry '{name}' is missing or not text")
    if not WORKER_NAME.match(meta["worker"]):
        worker = meta["worker"]
        raise PluginError(f"{where}: worker '{worker}' must be lower-case letters, digits and -")
    engine = meta["engine"]
    if not MODULE_NAME.match(engine) or not (project / ENGINE_PACKAGE / f"{engine}.py").is_file():
        raise PluginError(f"{where}: engine '{engine}' is not a module of {ENGINE_PACKAGE}/")
    folder = Path(str(page.file.abs_src_path)).parent
    for name in (MAIN, SCRIPT):
        if not (folder / name).is_file():
            raise PluginError(f"{where}: the page runs Python but {name} is missing beside it")
    if page.file.name != "index":
        raise PluginError(f"{where}: a page that runs Python must be a folder's index.md")
    return {name: str(meta.get(name, "")) for name in (*REQUIRED, *OPTIONAL)}


def template_tags(
    page_url: str, worker: str, manifest: dict[str, Any], manifest_text: str
) -> dict[str, str]:
    """Return the values overrides/main.html writes into a page that runs Python."""
    page_dir = posixpath.dirname(page_url.rstrip("/") + "/index.html") or "."
    query = manifest["version_query"]

    def site(path: str) -> str:
        return posixpath.relpath(path, page_dir)

    return {
        "worker": worker,
        "main": f"{MAIN}{query}",
        "config": site(manifest["config"]),
        "app": f"{SCRIPT}{query}",
        "search_later": f"{site(SEARCH_LATER)}{query}",
        # "<" escaped, so no text in the manifest can end the data block.
        "manifest": manifest_text.strip().replace("<", "\\u003c"),
        "manifest_id": MANIFEST_ELEMENT_ID,
        # PyScript loads its plugins (editor, terminal, game...) unless told not to, and reads
        # the list only from a main-thread <py-config>/<mpy-config> (hooks/runtime.py).
        "no_plugins": json.dumps(
            {"plugins": [f"!{name}" for name in manifest["pyscript"]["plugins_off"]]}
        ),
    }


# -- MkDocs events ---------------------------------------------------------------------------


def on_page_context(
    context: dict[str, Any], *, page: Page, config: MkDocsConfig, nav: Navigation
) -> dict[str, Any]:
    """Give a page that runs Python the tags the template writes (`python_page`)."""
    declared = declaration(page, Path(config.config_file_path).parent)
    if declared is None:
        context["python_page"] = None
        return context
    manifest_text = str(config["extra"]["runtime_manifest"])
    manifest = json.loads(manifest_text)
    context["python_page"] = template_tags(page.url, declared["worker"], manifest, manifest_text)
    return context


def on_post_page(output: str, *, page: Page, config: MkDocsConfig) -> str:
    """Refuse a page that runs Python but places no status line (or a status line without it)."""
    runs_python = page.meta.get(KEY) is not None
    has_status = f'id="{STATUS_ELEMENT_ID}"' in output
    if runs_python and not has_status:
        raise PluginError(
            f"{page.file.src_uri}: the page runs Python but has no status line: "
            "put {{ python_engine() }} where it should show"
        )
    if has_status and not runs_python:
        raise PluginError(
            f"{page.file.src_uri}: python_engine() needs '{KEY}:' in the page's front matter"
        )
    return output


def on_files(files: Files, *, config: MkDocsConfig) -> Files:
    """Fail early if the template this hook feeds is not the theme's: custom_dir is needed."""
    custom = config.theme.custom_dir
    if not custom or not (Path(custom) / "main.html").is_file():
        raise PluginError("hooks/python_page.py needs theme.custom_dir with main.html (overrides/)")
    return files
