"""MkDocs hook: ship the self-hosted Python runtime and the engine into the site, versioned.

At every build (and every `mkdocs serve` rebuild) this adds, straight from their sources and
without copying anything into docs/:

- ``runtime/pyodide/<version>/``: the Pyodide files that ``loadPyodide`` fetches
  (node_modules/pyodide), in a folder per Pyodide version, so a cached file of one version is
  never used with another. Its standard library is compiled at build time: Pyodide publishes
  it as source, which every first visit compiled again (most of ``loadPyodide``'s time); the
  build ships the modules the worker imports as bytecode instead (scripts/compile-engine.mjs);
- ``runtime/pyscript/``: PyScript's ``core.js`` and every module it can import at run time
  (node_modules/@pyscript/core/dist, no source maps; chunk names carry content hashes);
- ``runtime/engine/assessment-<build>.zip``: the engine as the pages' workers run it, one
  archive of the modules the pages' ``main.py`` files import (at any depth) as bytecode for
  Pyodide's Python, compiled by Pyodide itself at build time (scripts/compile-engine.mjs) from
  the very files the tests and the build-time macros run, with the data files (``*.toml``, the
  bank's lock) and a record of each file's digest and of the engine's fingerprint, which the
  worker checks (assessment/selfcheck.py). The command
  line's modules, and the modules' sources, are not shipped; PyScript unpacks the archive into
  the worker's ``assessment/`` folder;
- ``runtime/pyscript.json``: the PyScript configuration every page that starts Python uses
  (the interpreter module and the engine's archive);
- ``runtime/manifest.json``: the one place that names what the pages, the service worker, the
  tests and the benchmark share (the file lists, the build and engine digests, the cache and
  storage names); ``runtime-manifest.js`` is the same data for the service worker, which
  reads it with ``importScripts`` (kept with the worker, so it works offline);
- an empty ``.nojekyll``: GitHub Pages' Jekyll step (branch deployments) would drop any file
  whose name starts with "_" (the engine's ``__init__.py`` was one, before the archive).

Versioned by content: every file a page's worker loads is requested with ``?v=<build>`` or
with the build in its name, a digest of the engine and the site's own scripts. The pages that
run Python name their worker's files with it (hooks/python_page.py, from the manifest this
hook writes); the generated config names the interpreter module and the engine's archive of
the same build. A page cached before a deploy thus keeps asking for the files of its own
build, and a new page for the new ones, even from a server that lets browsers cache for ten
minutes (GitHub Pages).
"""

from __future__ import annotations

import ast
import hashlib
import io
import json
import os
import posixpath
import re
import subprocess
import tempfile
import zipfile
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any

from jinja2 import Environment
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.structure.files import File, Files, InclusionLevel

from assessment import load_bank
from assessment.page_facts import page_facts
from assessment.selfcheck import SHIPPED_RECORD, engine_files, fingerprint, shipped_record
from assessment.web import PAGE_MAIN

# The hook lives in <repo>/hooks/: resolving from here (not from the config file) keeps a
# temporary mkdocs.yml elsewhere, e.g. one that builds only the assessment page, working.
REPO = Path(__file__).resolve().parent.parent
NODE_MODULES = REPO / "node_modules"
PYODIDE_DIR = NODE_MODULES / "pyodide"
PYSCRIPT_DIST = NODE_MODULES / "@pyscript" / "core" / "dist"
PACKAGE_DIR = REPO / "assessment"

RUNTIME = "runtime"
PYSCRIPT_URI = f"{RUNTIME}/pyscript"
# The engine's archive; written as assessment-<build>.zip: PyScript tells an archive by the
# name's ending, so the build cannot go in a query there.
ENGINE_URI = f"{RUNTIME}/engine/assessment.zip"
# The PyScript configuration of the pages that start Python. Written once per build under its
# own name (pyscript-<build>.json): PyScript tells JSON from TOML by the name's ending, so
# the build's version cannot go in a query there.
CONFIG_URI = f"{RUNTIME}/pyscript.json"
MANIFEST_URI = f"{RUNTIME}/manifest.json"
# The same for the service worker, beside it: a plain page loads the worker, never runtime/.
MANIFEST_SCRIPT_URI = "runtime-manifest.js"

# Pyodide's standard library, which the site ships as the build compiles it (cached_archive),
# not as published.
PYODIDE_STDLIB = "python_stdlib.zip"
# Pyodide's package lock, which the site ships without its packages (shipped_lock).
PYODIDE_LOCK = "pyodide-lock.json"
# What loadPyodide (Pyodide 314) fetches, checked in Chromium: the ES module, the Emscripten
# glue it imports, the WebAssembly binary, the standard library and the package lock file
# (read even when no package is loaded). The rest of the npm package (console pages, the
# CommonJS build, typings, source maps) is never requested.
PYODIDE_FILES = (
    "pyodide.mjs",
    "pyodide.asm.mjs",
    "pyodide.asm.wasm",
    PYODIDE_STDLIB,
    PYODIDE_LOCK,
)
# PyScript's own Python, as source: the standard-library modules it names are shipped, compiled.
PYSCRIPT_PYTHON = PYSCRIPT_DIST.parent / "src" / "stdlib"
# Standard-library modules that shipped ones name but the site leaves out, and why: the build
# stops on any other (scripts/compile-engine.mjs), so a new import is never dropped unnoticed.
# Everything the worker imports is shipped; the browser test of the engine's start and every
# page's tests run on what is left.
STDLIB_UNSHIPPED = {
    "argparse": "the command lines of standard modules (python -m zipfile...); the engine's "
    "command line is not shipped",
    "_ast_unparse": "ast.unparse: nothing turns a tree back into source",
    "_pydatetime": "datetime's fallback where the C module _datetime is missing",
    "_threading_local": "threading.local's fallback where the C one is missing",
    "difflib": "argparse's and traceback's suggestions for a mistyped word or keyword",
    "doctest": "heapq's self-test",
    "getopt": "base64's command line",
    "pickle": "pickling a logger",
    "py_compile": "zipfile's PyZipFile, which writes archives of modules",
    "pyodide._nodesock_transport": "sockets under Node.js",
    # Imported at start, but only inside a try: the worker runs on without them.
    "bz2": "zipfile's and shutil's bzip2 archives: the site's archives are deflated",
    "compression": "zipfile's and shutil's zstd archives: the site's archives are deflated",
    "lzma": "zipfile's and shutil's xz archives: the site's archives are deflated",
    "ssl": "asyncio's TLS transports: a worker opens no TLS connection",
    "statistics": "random's self-test",
    "tarfile": "tar archives: the engine comes as a zip",
    "tracemalloc": "tracebacks of where a warned-about object was allocated",
    "urllib": "Path.as_uri and Path.from_uri: the worker's paths come from no URI and go to none",
}

# PyScript's entry point; everything else in dist/ is reached from it (see pyscript_closure).
PYSCRIPT_ENTRY = "core.js"
# PyScript's plugins, which it loads for each interpreter unless a page's configuration turns
# them off: the pages use none of them, and turn them all off (the manifest's
# pyscript.plugins_off, which hooks/python_page.py writes into each page). Their chunks are
# not shipped, nor what only they load: the terminal's xterm, which only its chunk imports,
# and the editor's CodeMirror, which PyScript's core names in getters that only the editor
# reads (each plugin's libraries, here, by the start of their chunks' names).
PYSCRIPT_PLUGINS_OFF: dict[str, tuple[str, ...]] = {
    "deprecations-manager": (),
    "donkey": (),
    "error": (),
    "py-editor": ("codemirror",),
    "py-game": (),
    "py-terminal": (),
}
# Except this one's chunk, which PyScript loads even when it is off: to keep its messages off
# the page, and to show an error in the configuration.
PYSCRIPT_PLUGINS_LOADED_ANYWAY = ("error",)

# The module PyScript loads as its interpreter (Pyodide), relative to docs/. It finds Pyodide
# through the manifest.
INTERPRETER = "javascripts/interpreter.mjs"

# Names shared by the pages, the service worker, the tests and the benchmark. Written here
# only; everything else reads them from the manifest.
NAMES = {
    # Cache Storage: the service worker's copies of the site's files, for offline use.
    "offline_cache": "partnership-playbook-v1",
    # Cache Storage that earlier builds kept and this one does not use: the service worker
    # deletes it for a returning reader. (The Python memory snapshot, a few megabytes, that
    # revisits started from until it was measured to earn nothing: bench/levers.md.)
    "retired_caches": ["partnership-playbook-python-snapshot"],
    # localStorage keys start with this, then the site's path (several sites can share an
    # origin, e.g. GitHub Pages project sites).
    "storage_prefix": "partnership-playbook",
    # The performance mark a page that runs Python sets once its engine answers (engine.js),
    # for the page's worker name: the tests and the benchmark wait for it.
    "ready_mark": "{worker}-engine-ready",
}

# A relative "./name.js" (or .mjs/.css) string in a dist module: a static import, a dynamic
# import() (also inside the worker's source, where quotes may be escaped) or an asset loaded
# with new URL("./name", import.meta.url), like the terminal plugin's xterm.css.
RELATIVE_ASSET = re.compile(r"""\\?["']\./([\w.-]+\.(?:m?js|css))\\?["']""")

# Tells GitHub Pages not to run Jekyll, which would drop any file whose name starts with "_".
NO_JEKYLL = ".nojekyll"

# Compiles the engine to bytecode with Pyodide's own Python, in Node.js, at build time.
COMPILE_SCRIPT = REPO / "scripts" / "compile-engine.mjs"
# Where the compiled archive and standard library are kept between builds, by a digest of all
# that goes into them: compiling starts a Pyodide (about 3 s), which an unchanged engine need
# not repeat.
ARCHIVE_CACHE = NODE_MODULES / ".cache" / "partnership-playbook"
# How many of each the cache keeps.
KEPT_ARCHIVES = 8
# The names the two are kept under in the cache, each followed by "-<archive_key>.zip".
CACHED_ARCHIVE, CACHED_STDLIB = "assessment", Path(PYODIDE_STDLIB).stem
# A fixed time for every archive member, so the same engine always makes the same archive.
ARCHIVE_TIME = (2020, 1, 1, 0, 0, 0)
# Where in config["extra"] the build keeps the archive being compiled (on_files to on_env).
PENDING_ARCHIVE = "_engine_archive"
# Where in config["extra"] the build keeps its pages (on_files to on_post_build).
SITE_PAGES = "_site_pages"

MISSING_NODE_MODULES = (
    "The self-hosted Python runtime (Pyodide, PyScript) is missing from {path}: "
    "run 'make deps' (npm ci) first."
)


def require(path: Path) -> Path:
    """Return `path` if it is a file, else fail the build with the one message that fixes it."""
    if not path.is_file():
        raise PluginError(MISSING_NODE_MODULES.format(path=path))
    return path


def npm_version(package_dir: Path) -> str:
    """Return the version of the npm package installed in `package_dir`."""
    manifest = json.loads(require(package_dir / "package.json").read_text(encoding="utf-8"))
    return str(manifest["version"])


def pyodide_uri() -> str:
    """Return the site folder of the shipped Pyodide: one per version."""
    return f"{RUNTIME}/pyodide/{npm_version(PYODIDE_DIR)}"


def pyscript_closure(
    dist: Path,
    entry: str = PYSCRIPT_ENTRY,
    plugins_off: dict[str, tuple[str, ...]] = PYSCRIPT_PLUGINS_OFF,
) -> list[str]:
    """Return the dist files reachable from `entry`: every module or stylesheet it may load,
    except the chunks of the plugins turned off and of their libraries."""
    # Chunk names carry content hashes that change with each PyScript release, so the list is
    # computed, not written down; a referenced name that dist/ lacks is not PyScript's own
    # (e.g. a path inside a string of a third-party bundle) and is skipped. A plugin's chunk is
    # its name and an eight-character hash (py-editor-C4XsZtn7.js); a library's chunks start
    # with its name (codemirror_state-DxSVIxgn.js).
    left_out = [name for name in plugins_off if name not in PYSCRIPT_PLUGINS_LOADED_ANYWAY]
    plugins = "|".join(map(re.escape, left_out)) or "(?!)"
    libraries = "|".join(re.escape(name) for names in plugins_off.values() for name in names)
    off = re.compile(rf"(?:{plugins})-[\w-]{{8}}\.js|(?:{libraries or '(?!)'})[\w-]*\.js")
    seen: set[str] = set()
    todo = [entry]
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        text = require(dist / name).read_text(encoding="utf-8")
        todo.extend(
            ref
            for ref in RELATIVE_ASSET.findall(text)
            if (dist / ref).is_file() and not off.fullmatch(ref)
        )
    return sorted(seen)


def pyscript_sources(source: Path = PYSCRIPT_PYTHON) -> list[Path]:
    """Return the files of PyScript's own Python, whose imports the worker may run."""
    found = sorted(source.rglob("*.py"))
    if not found:
        raise PluginError(MISSING_NODE_MODULES.format(path=source))
    return found


def package_files(package: Path) -> list[Path]:
    """Return the engine's files: every module and every data file (the bank...)."""
    if not (package / "__init__.py").is_file():
        raise PluginError(f"The assessment package is missing: no {package / '__init__.py'}.")
    return engine_files(package)


def imported_modules(source: str, package: str) -> set[str]:
    """Return the names that `source` imports as modules of `package`, relatively or not,
    anywhere in it (a function's imports too); names that are not modules are kept."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.update(
                alias.name.split(".")[1]
                for alias in node.names
                if alias.name.startswith(f"{package}.")
            )
        elif isinstance(node, ast.ImportFrom):
            absolute = node.level == 0 and node.module is not None
            parts = (node.module or "").split(".") if node.level <= 1 else []
            if absolute and parts[0] != package:
                continue
            within = parts[1:] if absolute else [part for part in parts if part]
            if within:
                found.add(within[0])
            elif absolute or node.level == 1:
                found.update(alias.name for alias in node.names)
    return found


def page_roots(mains: Iterable[tuple[str, str]], package: Path = PACKAGE_DIR) -> list[str]:
    """Return the names the pages' main.py files (each a name to report and its source)
    import from the engine: with what those import (module_closure), what the workers run."""
    roots: set[str] = set()
    for name, source in mains:
        try:
            roots |= imported_modules(source, package.name)
        except SyntaxError as error:
            raise PluginError(f"{name} is not valid Python ({error}).") from None
    return sorted(roots)


def module_closure(package: Path, roots: Iterable[str]) -> list[str]:
    """Return `roots` and every module of `package` they import at any depth, with __init__."""
    seen: set[str] = set()
    todo = ["__init__", *roots]
    while todo:
        name = todo.pop()
        path = package / f"{name}.py"
        if name in seen or not path.is_file():
            continue  # a name imported from the package that is not a module: load_bank...
        seen.add(name)
        try:
            todo.extend(imported_modules(path.read_text(encoding="utf-8"), package.name))
        except SyntaxError:
            continue  # Pyodide's compiler stops the build on it, naming the file and line
    return sorted(seen)


def runtime_files() -> dict[str, Path]:
    """Map each site URI of Pyodide and PyScript to the file it is served from."""
    if not NODE_MODULES.is_dir():
        raise PluginError(MISSING_NODE_MODULES.format(path=NODE_MODULES))
    pyodide = pyodide_uri()
    shipped = {f"{pyodide}/{name}": require(PYODIDE_DIR / name) for name in PYODIDE_FILES}
    for name in pyscript_closure(PYSCRIPT_DIST):
        shipped[f"{PYSCRIPT_URI}/{name}"] = PYSCRIPT_DIST / name
    return shipped


def shipped_lock(published: Path) -> str:
    """Return Pyodide's package lock as the site ships it: its header, and no packages."""
    # loadPyodide reads the lock at every start, even when it loads no package, and the site
    # loads none (the worker's Python is the standard library and the engine): the hundreds of
    # packages it lists would be bytes on every first visit for nothing.
    lock = json.loads(published.read_text(encoding="utf-8"))
    return json.dumps({**lock, "packages": {}}, indent=1) + "\n"


def compile_bytecode(package: Path, modules: Sequence[str], destination: Path) -> None:
    """Write the bytecode of `package`'s `modules` for Pyodide's Python into `destination`,
    and Pyodide's standard library with the modules they import compiled."""
    sources = [str(package / f"{module}.py") for module in modules]
    command = ["node", str(COMPILE_SCRIPT), str(PYODIDE_DIR), str(destination), PYODIDE_STDLIB]
    command += [*sources, f"--unshipped={','.join(STDLIB_UNSHIPPED)}"]
    command += [f"--names-from={path}" for path in pyscript_sources()]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=300, check=False)
    except (OSError, subprocess.TimeoutExpired) as error:
        raise PluginError(f"{COMPILE_SCRIPT.name} could not run ({error}).") from error
    if done.returncode != 0:
        reason = (done.stderr or done.stdout).strip() or f"exit status {done.returncode}"
        raise PluginError(f"{package}: {reason}")


def engine_archive(package: Path, bytecode: Path) -> bytes:
    """Return the engine's archive: the compiled modules (each where its source would be, which
    Python imports without a source), the data files, and the record of what was shipped and
    the fingerprint of what it was made from (selfcheck.shipped_record)."""
    members = {path.name: path.read_bytes() for path in package_files(package)}
    members = {name: data for name, data in members.items() if not name.endswith(".py")}
    for pyc in sorted(bytecode.glob("*.pyc")):
        members[f"{pyc.name.split('.')[0]}.pyc"] = pyc.read_bytes()
    members[SHIPPED_RECORD] = shipped_record(package, members)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in sorted(members.items()):
            member = zipfile.ZipInfo(name, ARCHIVE_TIME)
            member.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(member, data, compresslevel=9)
    return buffer.getvalue()


def archive_key(package: Path, roots: Sequence[str]) -> str:
    """Return a digest of everything the archive is made from: files, what the pages import,
    compiler, Pyodide."""
    # The pages' imports, not the modules shipped: those follow from the imports and the
    # files, and finding them reads every module (kept for when the archive is compiled).
    digest = hashlib.sha256(fingerprint(package).encode("ascii"))
    digest.update(",".join(sorted(roots)).encode("ascii"))
    digest.update(npm_version(PYODIDE_DIR).encode("ascii"))
    digest.update(npm_version(PYSCRIPT_DIST.parent).encode("ascii"))  # what its Python imports
    digest.update(COMPILE_SCRIPT.read_bytes())
    digest.update(Path(__file__).read_bytes())  # how the archive is laid out
    return digest.hexdigest()[:16]


def archive_uri(build: str) -> str:
    """Return the site URI of the engine's archive of `build`."""
    return config_for_build(ENGINE_URI, build)


def archive_path(package: Path, roots: Sequence[str], cache: Path = ARCHIVE_CACHE) -> Path:
    """Return where `package`'s archive for pages importing `roots` is (or will be) kept."""
    return cache / f"{CACHED_ARCHIVE}-{archive_key(package, roots)}.zip"


def stdlib_path(package: Path, roots: Sequence[str], cache: Path = ARCHIVE_CACHE) -> Path:
    """Return where the standard library compiled with `package`'s archive is kept."""
    # Made with the archive, from the same inputs: which modules it compiles depends on what
    # the engine imports.
    return cache / f"{CACHED_STDLIB}-{archive_key(package, roots)}.zip"


def write_whole(path: Path, data: bytes) -> None:
    """Write `path` whole, then rename: two builds at once never see half a file."""
    partial = path.with_suffix(f".{os.getpid()}.part")
    partial.write_bytes(data)
    partial.replace(path)


def cached_archive(package: Path, roots: Sequence[str], cache: Path = ARCHIVE_CACHE) -> Path:
    """Return the path of `package`'s archive for pages importing `roots` in `cache`,
    compiling it (and the standard library, stdlib_path) first if needed."""
    path, stdlib = archive_path(package, roots, cache), stdlib_path(package, roots, cache)
    if path.is_file() and stdlib.is_file():
        return path
    cache.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="engine-bytecode-") as bytecode:
        compile_bytecode(package, module_closure(package, roots), Path(bytecode))
        data = engine_archive(package, Path(bytecode))
        # The archive last: a build that finds it finds the standard library beside it.
        write_whole(stdlib, (Path(bytecode) / PYODIDE_STDLIB).read_bytes())
    write_whole(path, data)
    # Only the latest few are kept: an older one may still be copied by another build running
    # at the same time (the test suite builds edited copies of the project beside this one).
    for family in (CACHED_ARCHIVE, CACHED_STDLIB):
        kept = sorted(cache.glob(f"{family}-*.zip"), key=lambda old: old.stat().st_mtime)
        for old in kept[:-KEPT_ARCHIVES]:
            old.unlink(missing_ok=True)
    return path


def relative_url(from_uri: str, to_uri: str) -> str:
    """Return the URL of site file `to_uri` relative to site file `from_uri`."""
    return posixpath.relpath(to_uri, posixpath.dirname(from_uri))


def versioned(url: str, build: str) -> str:
    """Return `url` with the build's version in its query."""
    return f"{url}{'&' if '?' in url else '?'}v={build}"


def config_for_build(uri: str, build: str) -> str:
    """Return the name under which the build writes `uri` (PyScript's config, interpreter)."""
    stem, dot, suffix = uri.rpartition(".")
    return f"{stem}-{build}{dot}{suffix}"


def check_interpreter(text: str) -> None:
    """Fail if the interpreter module names another origin: Pyodide must come from the site."""
    # Without a local Pyodide, PyScript would silently load one from a CDN: the page would
    # depend on another origin and fail offline or behind a firewall.
    found = re.search(r"""["'`](?:[a-z][a-z0-9+.-]*:)?//[^"'`]*""", text)
    if found:
        raise PluginError(
            f"docs/{INTERPRETER} must load Pyodide from the site itself (the manifest's "
            f"pyodide.base), not from {found.group(0)[1:]!r}."
        )


def site_build(files: Files, engine: str) -> str:
    """Return the build's version: a digest of the engine and the site's own scripts."""
    digest = hashlib.sha256(engine.encode("ascii"))
    digest.update(npm_version(PYODIDE_DIR).encode("ascii"))
    digest.update(npm_version(PYSCRIPT_DIST.parent).encode("ascii"))
    sources = [
        f for f in files if f.abs_src_path and f.src_uri.endswith((".js", ".mjs", ".py", ".css"))
    ]
    for file in sorted(sources, key=lambda f: f.src_uri):
        digest.update(file.src_uri.encode("utf-8") + b"\0")
        digest.update(hashlib.sha256(Path(str(file.abs_src_path)).read_bytes()).digest())
    return digest.hexdigest()[:12]


def pyscript_config(build: str) -> dict[str, Any]:
    """Return the PyScript configuration of every page that starts Python."""
    # Relative URLs in a worker's config resolve against the config file's own URL, so the
    # same text works at the site root and under a GitHub Pages sub-path. A destination
    # ending in "/*" has PyScript unpack the archive there.
    archive = relative_url(CONFIG_URI, archive_uri(build))
    interpreter = relative_url(CONFIG_URI, config_for_build(INTERPRETER, build))
    return {"interpreter": interpreter, "files": {archive: "./assessment/*"}}


def runtime_manifest(shipped: dict[str, Path], build: str, site_name: str = "") -> dict[str, Any]:
    """Return the manifest: what the pages, the service worker, tests and bench share."""

    def names_under(base: str) -> list[str]:
        return [uri.removeprefix(f"{base}/") for uri in shipped if uri.startswith(f"{base}/")]

    pyodide = pyodide_uri()
    bank = load_bank(PACKAGE_DIR / "bank.toml")
    return {
        "build": build,
        # The site's name (mkdocs.yml's site_name), for what the pages write: plans, calendars.
        "site_name": site_name,
        # How the worker's files are asked for: their name, then this (versioned()).
        "version_query": versioned("", build),
        "engine": fingerprint(PACKAGE_DIR),
        "bank_version": bank.version,
        "config": config_for_build(CONFIG_URI, build),
        "interpreter": config_for_build(INTERPRETER, build),
        "pyodide": {
            "version": npm_version(PYODIDE_DIR),
            "base": f"{pyodide}/",
            "files": names_under(pyodide),
        },
        "pyscript": {
            "base": f"{PYSCRIPT_URI}/",
            "entry": PYSCRIPT_ENTRY,
            "files": names_under(PYSCRIPT_URI),
            "plugins_off": list(PYSCRIPT_PLUGINS_OFF),
        },
        "package": {
            "base": posixpath.dirname(ENGINE_URI) + "/",
            "files": [posixpath.basename(archive_uri(build))],
        },
        "names": NAMES,
        # Limits the engine enforces, its answer values and link prefixes, for pages to use at
        # once (before Python has loaded): assessment/page_facts.py.
        **page_facts(bank),
    }


def on_files(files: Files, *, config: MkDocsConfig) -> Files:
    """Add the runtime, its configuration and the manifest to the site's files (the bank and
    its lock were checked first: hooks/bank_check.py)."""
    shipped = runtime_files()
    mains = [
        (f"docs/{file.src_uri}", file.content_string)
        for file in files
        if posixpath.basename(file.src_uri) == PAGE_MAIN
    ]
    roots = page_roots(mains)
    # Pyodide's standard library as the build compiles it, beside the engine's archive.
    shipped[f"{pyodide_uri()}/{PYODIDE_STDLIB}"] = stdlib_path(PACKAGE_DIR, roots)
    for uri, path in shipped.items():
        if files.get_file_from_path(uri) is not None:
            raise PluginError(f"docs/{uri} clashes with the runtime that hooks/runtime.py ships.")
        if path.name == PYODIDE_LOCK:
            files.append(File.generated(config, uri, content=shipped_lock(path)))
        else:
            files.append(File.generated(config, uri, abs_src_path=str(path)))
    if files.get_file_from_path(NO_JEKYLL) is None:
        # Explicitly included: MkDocs leaves out dotfiles by default.
        included = InclusionLevel.INCLUDED
        files.append(File.generated(config, NO_JEKYLL, content="", inclusion=included))
    interpreter = files.get_file_from_path(INTERPRETER)
    if interpreter is None:
        raise PluginError(f"docs/{INTERPRETER} is missing: PyScript's interpreter module.")
    check_interpreter(interpreter.content_string)
    build = site_build(files, fingerprint(PACKAGE_DIR))
    pyscript = json.dumps(pyscript_config(build), indent=2) + "\n"
    manifest = json.dumps(runtime_manifest(shipped, build, config.site_name), indent=2) + "\n"
    # Pages that start Python carry the manifest too (hooks/python_page.py): no request.
    config["extra"]["runtime_manifest"] = manifest
    files.append(File.generated(config, config_for_build(CONFIG_URI, build), content=pyscript))
    # PyScript recognises an interpreter module by its name ending in .mjs, so its build goes
    # in the name too; the module reads it from there.
    interpreter_uri = config_for_build(INTERPRETER, build)
    files.append(File.generated(config, interpreter_uri, content=interpreter.content_string))
    files.append(File.generated(config, MANIFEST_URI, content=manifest))
    script = f"// Written by hooks/runtime.py: {MANIFEST_URI} for the service worker.\n"
    script += f"self.PLAYBOOK_MANIFEST = {manifest.strip()};\n"
    files.append(File.generated(config, MANIFEST_SCRIPT_URI, content=script))
    # Every page's URL and where it is written, for on_post_build.
    pages = files.documentation_pages()
    config["extra"][SITE_PAGES] = [(page.url, page.dest_uri) for page in pages]
    # Compiled while the pages render (Pyodide in Node.js, when not kept from an earlier
    # build); on_env waits for it, before MkDocs copies the files.
    archive = archive_path(PACKAGE_DIR, roots)
    pending = ThreadPoolExecutor(max_workers=1, thread_name_prefix="engine-archive")
    compiled = pending.submit(cached_archive, PACKAGE_DIR, roots)
    config["extra"][PENDING_ARCHIVE] = (archive, compiled)
    pending.shutdown(wait=False)
    files.append(File.generated(config, archive_uri(build), abs_src_path=str(archive)))
    return files


def on_env(env: Environment, *, config: MkDocsConfig, files: Files) -> Environment:
    """Wait for the engine's archive and the standard library before MkDocs copies the
    site's files."""
    expected: Path
    pending: Future[Path]
    expected, pending = config["extra"].pop(PENDING_ARCHIVE)
    # A PluginError raised while compiling fails the build here.
    if pending.result() != expected:
        raise PluginError(f"{PACKAGE_DIR} changed during the build: build again.")
    return env


def on_post_build(*, config: MkDocsConfig) -> None:
    """Tell the service worker every page of the site, and a digest of them as built.

    The worker keeps them all after a first visit, so the whole playbook reads offline
    (docs/sw.js); the digest changes with any page's HTML, and so does runtime-manifest.js:
    after a deploy that changed a page, browsers install the worker again and it keeps the
    pages again. Only the worker's script carries them: runtime/manifest.json, which pages
    ask for with the build in its query, stays the same for the same build.
    """
    site = Path(config["site_dir"])
    pages: list[tuple[str, str]] = config["extra"].pop(SITE_PAGES)
    digest = hashlib.sha256()
    for url, written in sorted(pages):
        digest.update(url.encode("utf-8") + b"\0")
        digest.update(hashlib.sha256((site / written).read_bytes()).digest())
    listed = {"version": digest.hexdigest()[:16], "urls": sorted(url for url, _ in pages)}
    with (site / MANIFEST_SCRIPT_URI).open("a", encoding="utf-8") as script:
        script.write(f"self.PLAYBOOK_MANIFEST.pages = {json.dumps(listed)};\n")


def on_serve(
    server: LiveReloadServer, *, config: MkDocsConfig, builder: Callable[..., Any]
) -> LiveReloadServer:
    """Rebuild on `mkdocs serve` when the assessment package, outside docs/, changes."""
    server.watch(str(PACKAGE_DIR))
    return server
