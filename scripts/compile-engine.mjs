#!/usr/bin/env node
// Compile the engine, and the part of the standard library it needs, to bytecode for the
// Python the browser runs: Pyodide's, from node_modules (the pinned npm package), run here in
// Node.js. hooks/runtime.py calls this at build time and ships the bytecode, so a first
// visit's worker compiles nothing (bench/levers.md). It is also the build's proof that every
// module compiles, and imports, under Pyodide's Python, not only under this machine's CPython.
//
//   node scripts/compile-engine.mjs PYODIDE_DIR OUT_DIR STDLIB.zip MODULE.py... [NAME...]
//     [--names-from=FILE.py,...] [--unshipped=NAME,...]
//
// The hook names the modules (the engine's shipped files, assessment/selfcheck.py decides
// which), modules to import first and sources whose imports count too (PyScript's Python: of
// what it names, the standard library's modules are imported, the others skipped), the
// standard-library modules that are not shipped on purpose, and the name under which
// loadPyodide fetches the library. It writes:
// - OUT_DIR/<name>.<cache tag>.pyc for each module (unchecked-hash pycs, without docstrings
//   and asserts as python -OO compiles, and without line numbers (without_lines below): the
//   site ships them without their sources, and the worker never reads a docstring);
// - OUT_DIR/STDLIB.zip: the part of Pyodide's standard library that Python's start, the
//   engine (every module it names, at any depth) and the named modules import, as bytecode
//   without line numbers, less the frozen modules (os, site...: Python runs its own copy and
//   never reads the archive's). Pyodide ships the whole library as source,
//   so a first visit downloaded all of it and compiled what it imported (most of
//   loadPyodide's time).
// A shipped module that names a module left out, other than the unshipped ones, stops it: an
// import the site needs is never dropped unnoticed; so does an unshipped name that no shipped
// module names any more (the list stays true), and an unshipped one that Python imports at
// start other than inside a try that catches ImportError (ssl, which asyncio tries, is left
// out; json could not be). It prints the cache tag, e.g. cpython-314. A
// module that does not compile stops it with the compiler's message and exit status 1.

import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { pathToFileURL } from "node:url";

const args = process.argv.slice(2);
/** The values of option `--name=`, comma-separated or repeated. */
const option = (/** @type {string} */ name) =>
  args
    .filter((arg) => arg.startsWith(`--${name}=`))
    .flatMap((arg) => arg.slice(name.length + 3).split(","))
    .filter(Boolean);
const unshipped = option("unshipped");
// Sources whose imports count as the engine's (PyScript's Python), though not compiled here.
const namesFrom = option("names-from").map((path) => readFileSync(path, "utf-8"));
const [pyodideDir, outDir, stdlibZip, ...names] = args.filter((arg) => !arg.startsWith("--"));
const sources = names.filter((name) => name.endsWith(".py")).map((path) => resolve(path));
const alsoImported = names.filter((name) => !name.endsWith(".py"));
const usable = /^[\w.-]+\.zip$/.test(stdlibZip ?? "") && sources.length;
if (!usable || [...alsoImported, ...unshipped].some((name) => !/^[\w.]+$/.test(name))) {
  console.error(
    "usage: node scripts/compile-engine.mjs PYODIDE_DIR OUT_DIR STDLIB.zip MODULE.py... " +
      "[NAME...] [--names-from=FILE.py,...] [--unshipped=NAME,...]",
  );
  process.exit(2);
}

const { loadPyodide } = await import(pathToFileURL(join(resolve(pyodideDir), "pyodide.mjs")).href);
// Without column ranges in the bytecode: each instruction keeps its line, tracebacks lose only
// their carets under the failing expression, and the archives are a fifth smaller (the
// standard library's is downloaded on every first visit; bench/levers.md).
const pyodide = await loadPyodide({
  indexURL: `${resolve(pyodideDir)}/`,
  env: { PYTHONNODEBUGRANGES: "1" },
});

const WORK = "/engine";
pyodide.FS.mkdirTree(WORK);
const modules = sources.map((path) => basename(path));
for (const path of sources) {
  pyodide.FS.writeFile(`${WORK}/${basename(path)}`, readFileSync(path));
}

// First, in a Python that has imported nothing else yet: unpack the engine from an archive as
// PyScript does, import every module of it and the named ones, and list the standard-library
// modules this Python then holds. A failure is kept for later: the compiler says it better.
const PACKAGE = `/site/${basename(dirname(sources[0]))}`;
const engineZip = pyodide.runPython(`
import io, zipfile
buffer = io.BytesIO()
with zipfile.ZipFile(buffer, "w") as archive:
    for name in ${JSON.stringify(modules)}:
        archive.write(f"${WORK}/{name}", name)
buffer.getvalue()
`);
pyodide.unpackArchive(engineZip.toJs(), "zip", { extractDir: PACKAGE });
engineZip.destroy();
const listImports = `
import ast, importlib, os, sys, zipfile

stdlib = os.path.dirname(os.__file__)  # Pyodide's archive, e.g. /lib/python314.zip


def module_name(member):
    name = member.removesuffix(".py").removesuffix("/__init__")
    return name.replace("/", ".")


published = {
    module_name(member): member for member in zipfile.ZipFile(stdlib).namelist()
    if member.endswith(".py")
}


def catches_import_error(handler):
    caught = [] if handler.type is None else getattr(handler.type, "elts", [handler.type])
    names = {getattr(name, "id", "") for name in caught}
    return handler.type is None or bool(names & {"ImportError", "ModuleNotFoundError", "Exception"})


def named(source, guarded=True):
    """Every module an import of this source names, at any depth (a function's too); with
    guarded=False, only those it imports outside a try that catches ImportError."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return  # the compiler names it below, better
    inside_try = set()
    for node in ast.walk(tree) if not guarded else ():
        if isinstance(node, ast.Try) and any(map(catches_import_error, node.handlers)):
            inside_try.update(id(inner) for part in node.body for inner in ast.walk(part))
    for node in ast.walk(tree):
        if id(node) in inside_try:
            continue
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.module
            yield from (f"{node.module}.{alias.name}" for alias in node.names)


def in_stdlib(names):
    return sorted({name for name in names if name in published})


sys.path.insert(0, "${dirname(PACKAGE)}")
engine_sources = [open(f"${WORK}/{module}").read() for module in ${JSON.stringify(modules)}]
engine_sources += ${JSON.stringify(namesFrom)}
engine_names = in_stdlib(name for source in engine_sources for name in named(source))
failure = ""
try:
    for name in in_stdlib(${JSON.stringify(alsoImported)}) + engine_names:
        importlib.import_module(name)
    for name in ${JSON.stringify(modules)}:
        if name != "__main__.py":  # the command line's entry point: importing it runs it
            importlib.import_module("${basename(PACKAGE)}." + name[:-3])
except Exception as error:
    failure = f"{type(error).__name__}: {error}"
# Frozen modules (os, site, codecs, importlib's bootstrap...) are in Python's binary: they
# name a file in the archive, but Python never reads it, so it is not shipped.
frozen = {
    name for name, module in list(sys.modules.items())
    if getattr(getattr(module, "__spec__", None), "origin", None) == "frozen"
}
imported = sorted(
    module.__file__.removeprefix(stdlib + "/")
    for name, module in list(sys.modules.items())
    if (getattr(module, "__file__", None) or "").startswith(stdlib + "/")
    and module.__file__.endswith(".py") and name not in frozen
)
shipped = {module_name(member) for member in imported}
unshipped = ${JSON.stringify(unshipped)}


def covers(left, name):
    return name == left or name.startswith(left + ".")


# An unshipped module that Python imports all the same (ssl: asyncio's TLS) is left out when
# every import of it is inside a try that catches ImportError: the worker runs on without it.
# One imported outside such a try stops the build, named with its importer.
left_out = {name for name in shipped if any(covers(left, name) for left in unshipped)}
shipped -= left_out
imported = [member for member in imported if module_name(member) not in left_out]
with zipfile.ZipFile(stdlib) as library:
    unguarded = sorted(
        f"{name} (by {importer})"
        for importer, source in [
            *((importer, library.read(published[importer])) for importer in sorted(shipped)),
            *(("the engine or PyScript", source) for source in engine_sources),
        ]
        for name in in_stdlib(named(source, guarded=False))
        if name in left_out
    )
with zipfile.ZipFile(stdlib) as library:
    names_of = {
        importer: in_stdlib(named(library.read(published[importer])))
        for importer in sorted(shipped)
    }
dropped = sorted(
    f"{name} (named by {importer})"
    for importer, names in names_of.items()
    for name in names
    if name not in shipped | frozen and not any(covers(left, name) for left in unshipped)
)
named_anywhere = {name for names in names_of.values() for name in names} - shipped - frozen
stale = [left for left in unshipped if not any(covers(left, name) for name in named_anywhere)]
failure
`;
const importFailure = pyodide.runPython(listImports);

// Bytecode without line numbers, for the engine and the standard library alike.
pyodide.runPython(`
import types

# A location table entry that says "no location" (the table's code 15) for up to 8 code units.
NO_LOCATION, MOST_UNITS = 0x80 | 15 << 3, 8


def without_lines(code):
    """The code with no line numbers in it: a traceback through it names the file and function
    (the line shows as None). The location table is the bytecode's largest part after the code
    itself, and the archives are downloaded on every first visit (bench/levers.md)."""
    units, table = len(code.co_code) // 2, bytearray()
    while units > 0:
        table.append(NO_LOCATION | min(units, MOST_UNITS) - 1)
        units -= MOST_UNITS
    consts = tuple(
        without_lines(const) if isinstance(const, types.CodeType) else const
        for const in code.co_consts
    )
    return code.replace(co_linetable=bytes(table), co_consts=consts)
`);

const compile = `
import marshal, py_compile, sys
failures = []
for name in ${JSON.stringify(modules)}:
    try:
        py_compile.compile(
            f"${WORK}/{name}",
            cfile=(pyc_path := f"${WORK}/{name[:-3]}.{sys.implementation.cache_tag}.pyc"),
            dfile=name,
            doraise=True,
            invalidation_mode=py_compile.PycInvalidationMode.UNCHECKED_HASH,
            optimize=2,
        )
    except py_compile.PyCompileError as error:
        failures.append(error.msg.strip())
        continue
    with open(pyc_path, "rb") as pyc:
        header, code = pyc.read(16), marshal.loads(pyc.read())
    with open(pyc_path, "wb") as pyc:
        pyc.write(header + marshal.dumps(without_lines(code)))
"\\n".join(failures) or sys.implementation.cache_tag
`;
let tag;
try {
  tag = pyodide.runPython(compile);
} catch (error) {
  console.error(`Pyodide could not compile the engine: ${error}`);
  process.exit(1);
}
if (!/^[\w-]+$/.test(tag)) {
  console.error(`The engine does not compile under Pyodide's Python:\n${tag}`);
  process.exit(1);
}
if (importFailure) {
  console.error(`The engine does not import under Pyodide's Python: ${importFailure}`);
  process.exit(1);
}
const dropped = pyodide.runPython("dropped").toJs();
const stale = pyodide.runPython("stale").toJs();
const unguarded = pyodide.runPython("unguarded").toJs();
if (dropped.length || stale.length || unguarded.length) {
  const problems = [];
  if (dropped.length) {
    problems.push(
      `it would leave out modules that shipped ones import: ${dropped.join(", ")}; ship them ` +
        "(import them where they are needed) or name them as unshipped on purpose",
    );
  }
  if (stale.length) {
    problems.push(`no shipped module imports these modules named as unshipped: ${stale.join(", ")}`);
  }
  if (unguarded.length) {
    problems.push(
      `these modules named as unshipped are imported outside a try that catches ImportError: ` +
        `${unguarded.join(", ")}; ship them`,
    );
  }
  console.error(
    `The site's standard library: ${problems.join("; and ")} (STDLIB_UNSHIPPED in hooks/runtime.py).`,
  );
  process.exit(1);
}

mkdirSync(outDir, { recursive: true });
for (const name of modules) {
  const pyc = `${name.slice(0, -3)}.${tag}.pyc`;
  writeFileSync(join(outDir, pyc), pyodide.FS.readFile(`${WORK}/${pyc}`));
}

const compileStdlib = `
import importlib.util, zipfile
from importlib._bootstrap_external import _code_to_hash_pyc

with zipfile.ZipFile(stdlib) as library, zipfile.ZipFile("/stdlib.zip", "w") as out:
    for member in library.infolist():
        if member.filename not in imported:
            continue
        data = library.read(member)
        # Named as the importer names the source, so tracebacks name the file as they did;
        # without docstrings and asserts (what python -OO leaves out), which the worker never
        # reads.
        code = without_lines(
            compile(data, f"{stdlib}/{member.filename}", "exec", dont_inherit=True, optimize=2)
        )
        pyc = _code_to_hash_pyc(code, importlib.util.source_hash(data), checked=False)
        member = zipfile.ZipInfo(member.filename[:-3] + ".pyc", member.date_time)
        member.compress_type, data = zipfile.ZIP_DEFLATED, bytes(pyc)
        out.writestr(member, data, compresslevel=9)
`;
pyodide.runPython(compileStdlib);
writeFileSync(join(outDir, stdlibZip), pyodide.FS.readFile("/stdlib.zip"));
console.log(tag);
