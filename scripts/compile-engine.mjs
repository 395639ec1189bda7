#!/usr/bin/env node
// Compile the engine's modules to bytecode for the Python the browser runs: Pyodide's, from
// node_modules (the pinned npm package), run here in Node.js. hooks/runtime.py calls this at
// build time and ships the bytecode beside the sources, so a first visit's worker imports the
// engine without compiling it (bench/levers.md). It is also the build's proof that every
// module compiles under Pyodide's Python, not only under the CPython of this machine.
//
//   node scripts/compile-engine.mjs PYODIDE_DIR OUT_DIR MODULE.py...
//
// The hook names the modules (the engine's shipped files, assessment/selfcheck.py decides
// which). It writes OUT_DIR/<name>.<cache tag>.pyc for each (unchecked-hash
// pycs: the importer uses them without comparing them with a source's timestamp, which an
// archive unpacked in the browser does not keep) and prints the cache tag, e.g. cpython-314.
// A module that does not compile stops it with the compiler's message and exit status 1.

import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import { pathToFileURL } from "node:url";

const [pyodideDir, outDir, ...sources] = process.argv.slice(2).map((path) => resolve(path));
if (!sources.length || !sources.every((path) => path.endsWith(".py"))) {
  console.error("usage: node scripts/compile-engine.mjs PYODIDE_DIR OUT_DIR MODULE.py...");
  process.exit(2);
}

const { loadPyodide } = await import(pathToFileURL(join(pyodideDir, "pyodide.mjs")).href);
const pyodide = await loadPyodide({ indexURL: `${pyodideDir}/` });

const WORK = "/engine";
pyodide.FS.mkdirTree(WORK);
const modules = sources.map((path) => basename(path));
for (const path of sources) {
  pyodide.FS.writeFile(`${WORK}/${basename(path)}`, readFileSync(path));
}

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

mkdirSync(outDir, { recursive: true });
for (const name of modules) {
  const pyc = `${name.slice(0, -3)}.${tag}.pyc`;
  writeFileSync(join(outDir, pyc), pyodide.FS.readFile(`${WORK}/${pyc}`));
}
console.log(tag);
