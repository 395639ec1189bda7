"""MkDocs hook: ship the self-hosted Python runtime and the assessment package into the site.

At every build (and every `mkdocs serve` rebuild) this adds, straight from their sources and
without copying anything into docs/:

- ``runtime/pyodide/``: the Pyodide files that ``loadPyodide`` fetches (node_modules/pyodide);
- ``runtime/pyscript/``: PyScript's ``core.js`` and every module it can import at run time
  (node_modules/@pyscript/core/dist, no source maps);
- ``runtime/assessment/``: every ``assessment/*.py`` and ``assessment/bank.toml``, so the
  browser runs the very files the tests and the build-time macros run;
- an empty ``.nojekyll``: GitHub Pages' Jekyll step (branch deployments) would drop files
  whose name starts with "_", such as ``__init__.py``.

It also completes the assessment page's PyScript configuration
(``docs/assessment/pyscript.json``): its empty ``files`` table is filled with one entry per
shipped file of the package, so the worker can ``import assessment``, and its ``interpreter``
is checked to point at ``docs/assessment/interpreter.mjs``, which must import the shipped
``pyodide.mjs`` (without them PyScript would silently load Pyodide from a CDN).
"""

from __future__ import annotations

import json
import posixpath
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.structure.files import File, Files, InclusionLevel

# The hook lives in <repo>/hooks/: resolving from here (not from the config file) keeps a
# temporary mkdocs.yml elsewhere, e.g. one that builds only the assessment page, working.
REPO = Path(__file__).resolve().parent.parent
NODE_MODULES = REPO / "node_modules"
PYODIDE_DIR = NODE_MODULES / "pyodide"
PYSCRIPT_DIST = NODE_MODULES / "@pyscript" / "core" / "dist"
PACKAGE_DIR = REPO / "assessment"

RUNTIME = "runtime"
PYODIDE_URI = f"{RUNTIME}/pyodide"
PYSCRIPT_URI = f"{RUNTIME}/pyscript"
PACKAGE_URI = f"{RUNTIME}/assessment"

# What loadPyodide (Pyodide 314) fetches, checked in Chromium: the ES module, the Emscripten
# glue it imports, the WebAssembly binary, the standard library and the package lock file
# (read even when no package is loaded). The rest of the npm package (console pages, the
# CommonJS build, typings, source maps) is never requested.
PYODIDE_FILES = (
    "pyodide.mjs",
    "pyodide.asm.mjs",
    "pyodide.asm.wasm",
    "python_stdlib.zip",
    "pyodide-lock.json",
)

# PyScript's entry point; everything else in dist/ is reached from it (see pyscript_closure).
PYSCRIPT_ENTRY = "core.js"

# A relative "./name.js" (or .mjs/.css) string in a dist module: a static import, a dynamic
# import() (also inside the worker's source, where quotes may be escaped) or an asset loaded
# with new URL("./name", import.meta.url), like the terminal plugin's xterm.css.
RELATIVE_ASSET = re.compile(r"""\\?["']\./([\w.-]+\.(?:m?js|css))\\?["']""")

# Tells GitHub Pages not to run Jekyll, which would drop the package's __init__.py.
NO_JEKYLL = ".nojekyll"

# The assessment page's PyScript configuration, relative to docs/.
PAGE_CONFIG = "assessment/pyscript.json"

# The module PyScript loads as its interpreter (Pyodide, from a memory snapshot when one is
# kept), relative to docs/; it must import the shipped pyodide.mjs.
INTERPRETER = "assessment/interpreter.mjs"

# PyScript's `files` template key: one base URL, then one short entry per package file.
FILES_BASE_KEY = "{ASSESSMENT}"

MISSING_NODE_MODULES = (
    "The self-hosted Python runtime (Pyodide, PyScript) is missing from {path}: "
    "run 'make deps' (npm ci) first."
)


def require(path: Path) -> Path:
    """Return `path` if it is a file, else fail the build with the one message that fixes it."""
    if not path.is_file():
        raise PluginError(MISSING_NODE_MODULES.format(path=path))
    return path


def pyscript_closure(dist: Path, entry: str = PYSCRIPT_ENTRY) -> list[str]:
    """Return the dist files reachable from `entry`: every module or stylesheet it may load."""
    # Chunk names carry content hashes that change with each PyScript release, so the list is
    # computed, not written down; a referenced name that dist/ lacks is not PyScript's own
    # (e.g. a path inside a string of a third-party bundle) and is skipped.
    seen: set[str] = set()
    todo = [entry]
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        text = require(dist / name).read_text(encoding="utf-8")
        todo.extend(ref for ref in RELATIVE_ASSET.findall(text) if (dist / ref).is_file())
    return sorted(seen)


def package_files(package: Path) -> list[Path]:
    """Return the assessment package's shipped files: every module and the question bank."""
    if not (package / "__init__.py").is_file():
        raise PluginError(f"The assessment package is missing: no {package / '__init__.py'}.")
    shipped = sorted(package.glob("*.py"))
    bank = package / "bank.toml"
    if bank.is_file():
        shipped.append(bank)
    return shipped


def runtime_files() -> dict[str, Path]:
    """Map each site URI of the runtime to the file it is served from."""
    if not NODE_MODULES.is_dir():
        raise PluginError(MISSING_NODE_MODULES.format(path=NODE_MODULES))
    shipped = {f"{PYODIDE_URI}/{name}": require(PYODIDE_DIR / name) for name in PYODIDE_FILES}
    for name in pyscript_closure(PYSCRIPT_DIST):
        shipped[f"{PYSCRIPT_URI}/{name}"] = PYSCRIPT_DIST / name
    for path in package_files(PACKAGE_DIR):
        shipped[f"{PACKAGE_URI}/{path.name}"] = path
    return shipped


def relative_url(from_uri: str, to_uri: str) -> str:
    """Return the URL of site file `to_uri` relative to site file `from_uri`."""
    return posixpath.relpath(to_uri, posixpath.dirname(from_uri))


def check_interpreter(text: str) -> None:
    """Fail unless the interpreter module imports Pyodide from the shipped runtime."""
    shipped = relative_url(INTERPRETER, f"{PYODIDE_URI}/pyodide.mjs")
    if f'from "{shipped}";' not in text:
        raise PluginError(
            f'docs/{INTERPRETER} must import loadPyodide from "{shipped}", the shipped Pyodide.'
        )


def complete_config(text: str, package: list[str]) -> str:
    """Return the page's PyScript config with `files` filled for `package` (site URIs)."""
    # Relative URLs in a worker's config resolve against the config file's own URL, so the
    # same text works at the site root and under a GitHub Pages sub-path.
    try:
        config: dict[str, Any] = json.loads(text)
    except json.JSONDecodeError as error:
        raise PluginError(f"docs/{PAGE_CONFIG} is not valid JSON: {error}") from error
    interpreter = config.get("interpreter")
    expected = relative_url(PAGE_CONFIG, INTERPRETER)
    if interpreter != expected:
        # Without it PyScript fetches Pyodide from a CDN: the page would depend on another
        # origin and fail offline or behind a firewall.
        raise PluginError(
            f'docs/{PAGE_CONFIG} must set "interpreter": "{expected}" (got {interpreter!r}).'
        )
    if config.get("files") != {}:
        raise PluginError(
            f'docs/{PAGE_CONFIG} must have an empty "files" table: hooks/runtime.py fills it '
            "with the assessment package."
        )
    files = {FILES_BASE_KEY: relative_url(PAGE_CONFIG, PACKAGE_URI)}
    for uri in package:
        name = posixpath.basename(uri)
        files[f"{FILES_BASE_KEY}/{name}"] = f"./assessment/{name}"
    config["files"] = files
    return json.dumps(config, indent=2) + "\n"


def on_files(files: Files, *, config: MkDocsConfig) -> Files:
    """Add the runtime to the site's files and complete the assessment page's PyScript config."""
    shipped = runtime_files()
    for uri, path in shipped.items():
        if files.get_file_from_path(uri) is not None:
            raise PluginError(f"docs/{uri} clashes with the runtime that hooks/runtime.py ships.")
        files.append(File.generated(config, uri, abs_src_path=str(path)))
    if files.get_file_from_path(NO_JEKYLL) is None:
        # Explicitly included: MkDocs leaves out dotfiles by default.
        included = InclusionLevel.INCLUDED
        files.append(File.generated(config, NO_JEKYLL, content="", inclusion=included))
    page_config = files.get_file_from_path(PAGE_CONFIG)
    if page_config is not None:
        interpreter = files.get_file_from_path(INTERPRETER)
        if interpreter is None:
            raise PluginError(f"docs/{INTERPRETER} is missing: PyScript's interpreter module.")
        check_interpreter(interpreter.content_string)
        # Replace the docs/ file by its completed version, in memory: docs/ stays as written.
        package = [uri for uri in shipped if uri.startswith(f"{PACKAGE_URI}/")]
        text = complete_config(page_config.content_string, package)
        files.remove(page_config)
        files.append(File.generated(config, PAGE_CONFIG, content=text))
    return files


def on_serve(
    server: LiveReloadServer, *, config: MkDocsConfig, builder: Callable[..., Any]
) -> LiveReloadServer:
    """Rebuild on `mkdocs serve` when the assessment package, outside docs/, changes."""
    server.watch(str(PACKAGE_DIR))
    return server
