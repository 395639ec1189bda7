#!/usr/bin/env node
// Compile the engine, and the part of the standard library it needs, to bytecode for the
// Python the browser runs: Pyodide's, from node_modules (the pinned npm package), run here in
// Node.js. hooks/runtime.py calls this at build time and ships the bytecode, so a first
// visit's worker compiles nothing (bench/levers.md). It is also the build's proof that every
// module compiles, and imports, under Pyodide's Python, not only under this machine's CPython.
//
//   node scripts/compile-engine.mjs PYODIDE_DIR OUT_DIR STDLIB.zip MODULE.py... [STDLIB_MODULE...]
//
// The hook names the modules (the engine's shipped files, assessment/selfcheck.py decides
// which), the standard-library modules the page's runtime imports beyond Pyodide's own start
// (PyScript's Python), and the name under which loadPyodide fetches the library. It writes:
// - OUT_DIR/<name>.<cache tag>.pyc for each module (unchecked-hash pycs: the importer uses
//   them without comparing them with a source's timestamp, which an archive unpacked in the
//   browser does not keep);
// - OUT_DIR/STDLIB.zip: Pyodide's standard library with each module that Python's
//   start, the engine and the named modules import as bytecode in place of its source.
//   Pyodide ships the library as source only, so a first visit compiled all of those (about
//   150 modules, most of loadPyodide's time); the others stay as they were.
// It prints the cache tag, e.g. cpython-314. A module that does not compile stops it with the
// compiler's message and exit status 1.

import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { pathToFileURL } from "node:url";

const [pyodideDir, outDir, stdlibZip, ...names] = process.argv.slice(2);
const sources = names.filter((name) => name.endsWith(".py")).map((path) => resolve(path));
const alsoImported = names.filter((name) => !name.endsWith(".py"));
const usable = /^[\w.-]+\.zip$/.test(stdlibZip ?? "") && sources.length;
if (!usable || alsoImported.some((name) => !/^[\w.]+$/.test(name))) {
  console.error(
    "usage: node scripts/compile-engine.mjs PYODIDE_DIR OUT_DIR STDLIB.zip MODULE.py... " +
      "[STDLIB_MODULE...]",
  );
  process.exit(2);
}

const { loadPyodide } = await import(pathToFileURL(join(resolve(pyodideDir), "pyodide.mjs")).href);
const pyodide = await loadPyodide({ indexURL: `${resolve(pyodideDir)}/` });

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
import importlib, os, sys

sys.path.insert(0, "${dirname(PACKAGE)}")
failure = ""
try:
    for name in ${JSON.stringify(alsoImported)}:
        importlib.import_module(name)
    for name in ${JSON.stringify(modules)}:
        if name != "__main__.py":  # the command line's entry point: importing it runs it
            importlib.import_module("${basename(PACKAGE)}." + name[:-3])
except Exception as error:
    failure = f"{type(error).__name__}: {error}"
stdlib = os.path.dirname(os.__file__)  # Pyodide's archive, e.g. /lib/python314.zip
imported = sorted(
    module.__file__.removeprefix(stdlib + "/")
    for module in list(sys.modules.values())
    if (getattr(module, "__file__", None) or "").startswith(stdlib + "/")
    and module.__file__.endswith(".py")
)
failure
`;
const importFailure = pyodide.runPython(listImports);

const compile = `
import py_compile, sys
failures = []
for name in ${JSON.stringify(modules)}:
    try:
        py_compile.compile(
            f"${WORK}/{name}",
            cfile=f"${WORK}/{name[:-3]}.{sys.implementation.cache_tag}.pyc",
            dfile=name,
            doraise=True,
            invalidation_mode=py_compile.PycInvalidationMode.UNCHECKED_HASH,
        )
    except py_compile.PyCompileError as error:
        failures.append(error.msg.strip())
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

mkdirSync(outDir, { recursive: true });
for (const name of modules) {
  const pyc = `${name.slice(0, -3)}.${tag}.pyc`;
  writeFileSync(join(outDir, pyc), pyodide.FS.readFile(`${WORK}/${pyc}`));
}

const compileStdlib = `
import importlib.util, zipfile
from importlib._bootstrap_external import _code_to_hash_pyc

with zipfile.ZipFile(stdlib) as published, zipfile.ZipFile("/stdlib.zip", "w") as out:
    for member in published.infolist():
        data = published.read(member)
        if member.filename in imported:
            # Named as the importer names the source, so tracebacks read as they did.
            code = compile(data, f"{stdlib}/{member.filename}", "exec", dont_inherit=True)
            pyc = _code_to_hash_pyc(code, importlib.util.source_hash(data), checked=False)
            member = zipfile.ZipInfo(member.filename[:-3] + ".pyc", member.date_time)
            member.compress_type, data = zipfile.ZIP_DEFLATED, bytes(pyc)
        out.writestr(member, data)
`;
pyodide.runPython(compileStdlib);
writeFileSync(join(outDir, stdlibZip), pyodide.FS.readFile("/stdlib.zip"));
console.log(tag);
