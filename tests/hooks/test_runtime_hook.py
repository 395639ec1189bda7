"""hooks/runtime.py on its own: what it ships and what it refuses, without a browser."""

from __future__ import annotations

import hashlib
import importlib.util
import io
import json
import os
import py_compile
import re
import shutil
import subprocess
import sys
import zipfile
from html import unescape
from pathlib import Path
from typing import Any

import pytest
from mkdocs.exceptions import PluginError

from assessment import load_bank
from assessment.exit_steps import load_steps
from assessment.selfcheck import SHIPPED_RECORD, engine_files, fingerprint
from sitekit.hookfiles import REPO, load_hook
from sitekit.pages import python_pages

hook = load_hook("runtime")
# Skipped on a machine without node_modules, never in CI (where `make test` installs them).
needs_node_modules = pytest.mark.skipif(
    not hook.NODE_MODULES.is_dir() and not os.environ.get("CI"),
    reason="node_modules is missing: run 'make deps'",
)
BUILD = "0123456789ab"
PACKAGE = REPO / "assessment"
# The engine modules the repository's pages run: what their main.py files import.
MAINS = sorted((REPO / "docs").rglob("main.py"))
ROOTS = hook.page_roots((str(path), path.read_text(encoding="utf-8")) for path in MAINS)
PAGE_MODULES = hook.module_closure(PACKAGE, ROOTS)


def test_config_unpacks_the_engine_archive_of_its_build() -> None:
    """The config names one archive, with the build in its name, unpacked into ./assessment/."""
    config = hook.pyscript_config(BUILD)
    assert config["interpreter"] == f"../javascripts/interpreter-{BUILD}.mjs"
    # PyScript unpacks an entry whose destination ends in "/*" and whose URL ends in .zip:
    # a query after the name would make it refuse the archive.
    assert config["files"] == {f"engine/assessment-{BUILD}.zip": "./assessment/*"}


@pytest.mark.parametrize(
    "source",
    [
        'import { loadPyodide } from "https://cdn.jsdelivr.net/pyodide/v314.0.7/full/pyodide.mjs";',
        "const url = '//cdn.example.com/pyodide/';",
        "await import(`https://elsewhere.example/pyodide.mjs`);",
    ],
)
def test_an_interpreter_naming_another_origin_fails_the_build(source: str) -> None:
    """The shipped interpreter module passes; one taking Pyodide from elsewhere stops the build."""
    hook.check_interpreter((REPO / "docs" / hook.INTERPRETER).read_text(encoding="utf-8"))
    with pytest.raises(PluginError, match="must load Pyodide from the site itself"):
        hook.check_interpreter(source)


@needs_node_modules
def test_the_manifest_names_what_is_shipped() -> None:
    """The manifest lists the shipped files and the names everything else reads from it."""
    shipped = hook.runtime_files()
    manifest = hook.runtime_manifest(shipped, BUILD)
    assert manifest["build"] == BUILD
    assert manifest["engine"] == fingerprint(REPO / "assessment")
    assert manifest["pyodide"]["files"] == list(hook.PYODIDE_FILES)
    base = manifest["pyodide"]["base"]
    assert base == f"runtime/pyodide/{manifest['pyodide']['version']}/"
    for name in manifest["pyodide"]["files"]:
        assert f"{base}{name}" in shipped
    assert manifest["package"] == {
        "base": "runtime/engine/",
        "files": [f"assessment-{BUILD}.zip"],
    }
    assert set(manifest["names"]) == {
        "offline_cache",
        "retired_caches",
        "storage_prefix",
        "ready_mark",
    }


def test_missing_node_modules_says_what_to_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without node_modules the build fails with the one command that fixes it."""
    monkeypatch.setattr(hook, "NODE_MODULES", tmp_path / "node_modules")
    with pytest.raises(PluginError, match=r"run 'make deps' \(npm ci\) first"):
        hook.runtime_files()


@needs_node_modules
def test_pyscript_closure_is_core_and_what_it_imports() -> None:
    """PyScript ships as core.js and the chunks it can import: no source map, no stray file,
    and none of the plugins the pages turn off, nor their libraries."""
    shipped = hook.pyscript_closure(hook.PYSCRIPT_DIST)
    assert "core.js" in shipped
    assert any(name.startswith("core-") for name in shipped)
    assert not [name for name in shipped if name.endswith(".map")]
    assert "service-worker.js" not in shipped
    assert "storage.js" not in shipped
    # The archive's unpacker, which the engine's archive needs.
    assert any(name.startswith("zip-") for name in shipped)
    # With every plugin on, their chunks and the editor's and terminal's libraries are reached.
    everything = hook.pyscript_closure(hook.PYSCRIPT_DIST, plugins_off={})
    left_out = sorted(set(everything) - set(shipped))
    for plugin in hook.PYSCRIPT_PLUGINS_OFF:
        loaded_anyway = plugin in hook.PYSCRIPT_PLUGINS_LOADED_ANYWAY
        assert any(name.startswith(f"{plugin}-") for name in left_out) != loaded_anyway, plugin
    for library in ("codemirror", "xterm"):
        assert [name for name in left_out if name.startswith(library)], library
        assert not [name for name in shipped if name.startswith(library)], library


@needs_node_modules
def test_the_pages_turn_off_the_plugins_that_are_not_shipped(built_site: Path) -> None:
    """Every page that runs Python tells PyScript, in the two configurations it reads on the
    page's thread, to load none of the plugins the build leaves out."""
    manifest = json.loads((built_site / hook.MANIFEST_URI).read_text(encoding="utf-8"))
    assert manifest["pyscript"]["plugins_off"] == list(hook.PYSCRIPT_PLUGINS_OFF)
    wanted = {"plugins": [f"!{name}" for name in hook.PYSCRIPT_PLUGINS_OFF]}
    pages = python_pages(built_site)
    assert pages
    for page in pages:
        html = (built_site / page / "index.html").read_text(encoding="utf-8")
        for tag in ("py-config", "mpy-config"):
            found = re.search(rf'<{tag} hidden type="json">(.*?)</{tag}>', html)
            assert found and json.loads(unescape(found.group(1))) == wanted, (page, tag)


@needs_node_modules
def test_the_package_lock_is_shipped_without_packages(built_site: Path) -> None:
    """Pyodide's lock file, which loadPyodide reads at every start, keeps its header and lists
    none of the packages the site never loads."""
    published = json.loads((hook.PYODIDE_DIR / hook.PYODIDE_LOCK).read_text(encoding="utf-8"))
    shipped = json.loads(
        (built_site / hook.pyodide_uri() / hook.PYODIDE_LOCK).read_text(encoding="utf-8")
    )
    assert published["packages"]
    assert shipped == {**published, "packages": {}}


@needs_node_modules
def test_runtime_files_exist() -> None:
    """Every shipped URI of Pyodide and PyScript has a real source file."""
    shipped = hook.runtime_files()
    assert all(path.is_file() for path in shipped.values())
    for name in hook.PYODIDE_FILES:
        assert f"{hook.pyodide_uri()}/{name}" in shipped
    assert [
        uri for uri in shipped if not uri.startswith(("runtime/pyodide/", "runtime/pyscript/"))
    ] == []


# -- The engine's archive --------------------------------------------------------------------


def pyc_header(data: bytes) -> tuple[bytes, int]:
    """Return a .pyc's magic number and its flags (PEP 552)."""
    return data[:4], int.from_bytes(data[4:8], "little")


@needs_node_modules
def test_the_archive_holds_the_pages_modules_as_bytecode_for_pyodide(tmp_path: Path) -> None:
    """The bytecode for Pyodide's Python of each module the pages run, where its source would
    be and without it; every data file byte for byte; the engine's fingerprint; nothing else."""
    path = hook.cached_archive(PACKAGE, ROOTS, tmp_path)
    with zipfile.ZipFile(path) as archive:
        members = {info.filename: archive.read(info) for info in archive.infolist()}
    record = json.loads(members.pop(SHIPPED_RECORD))
    assert record["fingerprint"] == fingerprint(PACKAGE)
    assert record["files"] == {
        name: hashlib.sha256(data).hexdigest() for name, data in sorted(members.items())
    }
    for source in engine_files(PACKAGE):
        if source.suffix != ".py":
            assert members.pop(source.name) == source.read_bytes()
    assert sorted(members) == sorted(f"{module}.pyc" for module in PAGE_MODULES)
    for data in members.values():
        magic, flags = pyc_header(data)
        # Not this machine's Python: the browser's (Pyodide's 3.14), whose importer then uses
        # the bytecode as it is (hash-based, unchecked: an unpacked archive keeps no mtimes).
        assert magic != importlib.util.MAGIC_NUMBER
        assert flags == 0b01
    # Compiled as python -OO: a function's name is in its module's bytecode, its docstring not.
    assert b"load_bank" in members["bank.pyc"]
    assert b"Read and validate a bank file" not in members["bank.pyc"]
    assert_compiled_stdlib(hook.stdlib_path(PACKAGE, ROOTS, tmp_path), magic)


def test_the_pages_modules_are_what_their_main_py_files_import() -> None:
    """Every module a page's main.py imports, and what those import at any depth (a function's
    imports too), with the package's __init__; not the command line's modules."""
    main = "from assessment import web\nfrom assessment.exit_page import plan_view\n"
    modules = hook.module_closure(PACKAGE, hook.page_roots([("main.py", main)]))
    assert {"__init__", "web", "exit_page", "exit_plan", "selfcheck", "bank"} <= set(modules)
    assert not {"cli", "exit_cli", "terminal", "__main__"} & set(modules)
    assert "decision_page" not in modules and "decision_page" in PAGE_MODULES
    for module in modules:
        source = (PACKAGE / f"{module}.py").read_text(encoding="utf-8")
        for name in hook.imported_modules(source, PACKAGE.name):
            assert name in modules or not (PACKAGE / f"{name}.py").is_file(), (module, name)


@pytest.mark.parametrize(
    ("source", "named"),
    [
        ("from . import bank, load_bank\n", {"bank", "load_bank"}),
        ("from .bank import load_bank\n", {"bank"}),
        ("def f():\n    from .ics import calendar\n", {"ics"}),
        ("import assessment.codec as codec\n", {"codec"}),
        ("from assessment import web\nfrom assessment.web import endpoint\n", {"web"}),
        ("import json\nfrom pathlib import Path\nfrom .. import other\n", set()),
    ],
)
def test_imports_of_the_package_are_found(source: str, named: set[str]) -> None:
    """Relative and absolute imports of the package's modules, at any depth of the source."""
    assert hook.imported_modules(source, "assessment") == named


def assert_compiled_stdlib(path: Path, magic: bytes) -> None:
    """Check the built standard library against Pyodide's: the modules Python's start and the
    engine import, as bytecode for Pyodide's Python in place of their source, and nothing
    else."""
    with zipfile.ZipFile(hook.PYODIDE_DIR / hook.PYODIDE_STDLIB) as published:
        sources = set(published.namelist())
    with zipfile.ZipFile(path) as built:
        members = {info.filename: built.read(info) for info in built.infolist()}
    for name, data in members.items():
        assert name.endswith(".pyc") and name[:-1] in sources
        assert pyc_header(data) == (magic, 0b01)
    # Python's start (the event loop, typing), the engine's imports, and PyScript's.
    for module in ("asyncio/tasks", "typing", "dataclasses", "hashlib", "html/__init__"):
        assert f"{module}.pyc" in members
    assert "tomllib/_parser.pyc" in members
    # Not what nothing imports, nor what only the command line imports.
    assert not any(name.startswith(("email/", "unittest/", "argparse")) for name in members)
    # Without docstrings (as python -OO compiles): a function's name is in its module's
    # bytecode, the first line of its docstring is not.
    with zipfile.ZipFile(hook.PYODIDE_DIR / hook.PYODIDE_STDLIB) as published:
        for module in ("typing", "dataclasses", "hashlib"):
            source = published.read(f"{module}.py").decode("utf-8")
            documented = re.findall(r'\n *def (\w+)\(.*?\):\n +"""([^\n"]{30,})', source)
            assert documented, module
            for function, docstring in documented:
                assert function.encode() in members[f"{module}.pyc"], (module, function)
                assert docstring.encode() not in members[f"{module}.pyc"], (module, function)


@needs_node_modules
def test_the_build_stops_when_a_shipped_module_names_one_left_out(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A standard-library module that a shipped one imports and that is neither shipped nor
    named as unshipped on purpose stops the build, as does a name in that list that no shipped
    module imports: each is named."""
    first, *rest = sorted(hook.STDLIB_UNSHIPPED)
    stale = "no_module_of_this_name"
    listed = {name: hook.STDLIB_UNSHIPPED[name] for name in rest} | {stale: "a test's"}
    monkeypatch.setattr(hook, "STDLIB_UNSHIPPED", listed)
    with pytest.raises(PluginError) as stopped:
        hook.compile_bytecode(PACKAGE, PAGE_MODULES, tmp_path)
    assert f"{first} (named by " in str(stopped.value)
    assert f"unshipped: {stale}" in str(stopped.value)


@needs_node_modules
def test_a_module_imported_outside_a_try_cannot_be_left_out(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A module named as unshipped that Python imports all the same is left out only where
    every import of it is inside a try that catches ImportError (ssl, in asyncio): json, which
    the engine and the standard library import outright, stops the build, named."""
    listed = hook.STDLIB_UNSHIPPED | {"json": "a test's"}
    monkeypatch.setattr(hook, "STDLIB_UNSHIPPED", listed)
    with pytest.raises(PluginError) as stopped:
        hook.compile_bytecode(PACKAGE, PAGE_MODULES, tmp_path)
    assert "imported outside a try that catches ImportError" in str(stopped.value)
    assert "json (by the engine or PyScript)" in str(stopped.value)
    assert "ssl" not in str(stopped.value)


# Node.js runs Pyodide's Python on the standard library as the site ships it (compiled first
# if need be) and prints what the Python code (its JSON text) gives.
ON_SHIPPED_STDLIB = """
const [pyodideDir, stdlib, code] = process.argv.slice(2);
const { loadPyodide } = await import(`${pyodideDir}/pyodide.mjs`);
const pyodide = await loadPyodide({ stdLibURL: stdlib });
console.log(pyodide.runPython(code));
"""


def on_shipped_stdlib(tmp_path: Path, code: str) -> Any:
    """What Python `code` (its last expression, JSON text) gives on the shipped standard library."""
    hook.cached_archive(PACKAGE, ROOTS)
    script = tmp_path / "on-shipped-stdlib.mjs"
    script.write_text(ON_SHIPPED_STDLIB, encoding="utf-8")
    stdlib = hook.stdlib_path(PACKAGE, ROOTS)
    done = subprocess.run(
        ["node", str(script), str(hook.PYODIDE_DIR), str(stdlib), code],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


# A ValueError raised in json's decoder, under a function compiled here, and the traceback
# Python prints for it.
TRACEBACK = """
import json, traceback
def compiled_here():
    return json.loads("{")
try:
    compiled_here()
except ValueError as error:
    frames = [[f.name, f.lineno] for f in traceback.extract_tb(error.__traceback__)]
    printed = "".join(traceback.format_exception(error))
json.dumps({"frames": frames, "printed": printed})
"""


@needs_node_modules
def test_a_traceback_through_the_shipped_standard_library_still_prints(tmp_path: Path) -> None:
    """The site's standard library ships without line numbers (as does the engine): a traceback
    through it still prints, naming each of its functions (line None), and code compiled in the
    worker keeps its lines."""
    shown = on_shipped_stdlib(tmp_path, TRACEBACK)
    frames = dict(shown["frames"])
    assert isinstance(frames["compiled_here"], int)
    assert {name: frames[name] for name in ("loads", "decode", "raw_decode")} == dict.fromkeys(
        ("loads", "decode", "raw_decode")
    )
    assert 'json/decoder.py", line None, in raw_decode' in shown["printed"]
    assert "JSONDecodeError: Expecting property name" in shown["printed"]


# Where Python finds each module the archive holds (a frozen one is found in Python's binary,
# whatever the archive has).
ORIGINS = """
import importlib.util, json, zipfile
archive = json.__file__.removesuffix("/json/__init__.pyc")
names = [
    member.removesuffix(".pyc").removesuffix("/__init__").replace("/", ".")
    for member in zipfile.ZipFile(archive).namelist()
]
json.dumps({name: importlib.util.find_spec(name).origin for name in names})
"""


@needs_node_modules
def test_every_module_the_shipped_standard_library_holds_is_read_from_it(tmp_path: Path) -> None:
    """The worker's Python reads each module of the site's standard library from the archive:
    none is one it takes from its own binary instead (a frozen module, such as os or site)."""
    origins = on_shipped_stdlib(tmp_path, ORIGINS)
    assert "json" in origins
    frozen = sorted(name for name, origin in origins.items() if origin == "frozen")
    assert frozen == []
    assert all(origin.endswith(".pyc") for origin in origins.values())


def test_pyscript_s_python_is_found_or_named_missing(tmp_path: Path) -> None:
    """The build reads the imports of every file of PyScript's Python; none found names the
    folder and the one command that fixes it."""
    (tmp_path / "pyscript").mkdir()
    for name in ("__init__.py", "web.py"):
        (tmp_path / "pyscript" / name).write_text("import json\n", encoding="utf-8")
    assert hook.pyscript_sources(tmp_path) == sorted(tmp_path.rglob("*.py"))
    with pytest.raises(PluginError, match="make deps"):
        hook.pyscript_sources(tmp_path / "pyscript" / "missing")


def test_the_unpacked_engine_runs_from_its_bytecode_alone(tmp_path: Path) -> None:
    """Unpacked, as PyScript unpacks it, the engine imports without its sources, loads the bank
    and the exit steps, and names the fingerprint of the files it was compiled from."""
    bytecode = tmp_path / "bytecode"
    bytecode.mkdir()
    tag = sys.implementation.cache_tag  # this Python's bytecode, as the build makes Pyodide's
    for module in PAGE_MODULES:
        py_compile.compile(
            str(PACKAGE / f"{module}.py"), cfile=str(bytecode / f"{module}.{tag}.pyc"), doraise=True
        )
    archive = zipfile.ZipFile(io.BytesIO(hook.engine_archive(PACKAGE, bytecode)))
    archive.extractall(tmp_path / "assessment")
    assert not list((tmp_path / "assessment").glob("*.py"))
    script = (
        "import json\n"
        "import assessment\n"
        "from assessment.exit_steps import load_steps\n"
        "from assessment.selfcheck import fingerprint, has_bytecode\n"
        "bank, steps = assessment.load_bank(), load_steps()\n"
        "print(json.dumps([assessment.__file__, fingerprint(), has_bytecode(),\n"
        "                  bank.version, [q.id for q in bank.questions], [s.id for s in steps]]))\n"
    )
    done = subprocess.run(
        [sys.executable, "-B", "-c", script], cwd=tmp_path, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    module, engine, compiled, version, questions, steps = json.loads(done.stdout)
    assert module == str(tmp_path / "assessment" / "__init__.pyc")
    assert engine == fingerprint(PACKAGE)
    assert compiled is True
    assert version == load_bank().version
    assert questions == [question.id for question in load_bank().questions]
    assert steps == [step.id for step in load_steps()]


def test_the_same_engine_makes_the_same_archive(tmp_path: Path) -> None:
    """The archive depends on its inputs only: same files, same bytes; a changed file shows."""
    package = tmp_path / "assessment"
    shutil.copytree(REPO / "assessment", package, ignore=shutil.ignore_patterns("__pycache__"))
    bytecode = tmp_path / "bytecode"
    bytecode.mkdir()
    (bytecode / "errors.cpython-314.pyc").write_bytes(b"compiled")
    first = hook.engine_archive(package, bytecode)
    assert hook.engine_archive(package, bytecode) == first
    key = hook.archive_key(package, ROOTS)
    assert hook.archive_key(package, ROOTS[:-1]) != key
    (package / "bank.toml").write_text("# edited\n", encoding="utf-8")
    assert hook.engine_archive(package, bytecode) != first
    assert hook.archive_key(package, ROOTS) != key


def test_a_kept_archive_is_not_compiled_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An unchanged engine reuses its kept archive; Pyodide is not started for it."""
    kept = hook.archive_path(PACKAGE, ROOTS, tmp_path)
    kept.write_bytes(b"kept archive")
    hook.stdlib_path(PACKAGE, ROOTS, tmp_path).write_bytes(b"kept standard library")

    def must_not_compile(package: Path, modules: list[str], destination: Path) -> None:
        raise AssertionError("compiled an engine whose archive was kept")

    monkeypatch.setattr(hook, "compile_bytecode", must_not_compile)
    assert hook.cached_archive(PACKAGE, ROOTS, tmp_path) == kept
    assert kept.read_bytes() == b"kept archive"


def test_the_cache_keeps_only_the_latest_archives(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each new archive and standard library join the cache and the oldest leave it: it never
    grows past a few of each."""
    families = (hook.CACHED_ARCHIVE, hook.CACHED_STDLIB)
    for family in families:
        for age in range(hook.KEPT_ARCHIVES + 3):
            old = tmp_path / f"{family}-old{age:02}.zip"
            old.write_bytes(b"old")
            os.utime(old, (1_000_000 - age, 1_000_000 - age))

    def no_compiler(package: Path, modules: list[str], destination: Path) -> None:
        """Compile nothing (the archive then holds only the data); a stand-in library."""
        (destination / hook.PYODIDE_STDLIB).write_bytes(b"compiled library")

    monkeypatch.setattr(hook, "compile_bytecode", no_compiler)
    new = hook.cached_archive(PACKAGE, ROOTS, tmp_path)
    stdlib = hook.stdlib_path(PACKAGE, ROOTS, tmp_path)
    assert stdlib.read_bytes() == b"compiled library"
    kept = sorted(path.name for path in tmp_path.iterdir())
    newest_old = [
        f"{family}-old{age:02}.zip" for family in families for age in range(hook.KEPT_ARCHIVES - 1)
    ]
    assert kept == sorted([new.name, stdlib.name, *newest_old])


@needs_node_modules
def test_a_module_pyodide_cannot_compile_fails_the_build(tmp_path: Path) -> None:
    """A syntax error fails the build naming the module and the line, and keeps nothing."""
    package = tmp_path / "assessment"
    shutil.copytree(REPO / "assessment", package, ignore=shutil.ignore_patterns("__pycache__"))
    with (package / "codec.py").open("a", encoding="utf-8") as module:
        module.write("\ndef broken(:\n    pass\n")
    cache = tmp_path / "cache"
    with pytest.raises(PluginError, match=r"(?s)codec\.py.*SyntaxError"):
        hook.cached_archive(package, ROOTS, cache)
    assert list(cache.iterdir()) == []
