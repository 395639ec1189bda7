// A Web Worker that runs the assessment engine with Pyodide alone, without PyScript.
//
// It runs loadPyodide() from the site's own runtime/ while it fetches the `files` of the page's
// pyscript.json (PyScript's {TEMPLATE} keys resolved) and its main.py, writes the package into
// Pyodide's file system, runs main.py, and then answers {id, name, args} messages by calling
// main.py's functions: {id, result} or {id, error}. It posts {ready: true} first.
// `?page=<folder>` (relative to this file) names the page folder; the default is this folder.
// `?snapshot`: once ready, keep a Pyodide memory snapshot (Pyodide's private, experimental
// _makeSnapshot/_loadSnapshot options) in Cache Storage, and start from it on the next visit.
// Used by bench-floor/floor-engine.html and by the `no-pyscript` levers of bench/run.py.
import { loadPyodide } from "../runtime/pyodide/pyodide.mjs";

const HOME = "/home/pyodide";
const indexURL = new URL("../runtime/pyodide/", import.meta.url).href;
const page = new URL(new URL(import.meta.url).searchParams.get("page") ?? "./", import.meta.url);
const configURL = new URL("pyscript.json", page);
const params = new URL(import.meta.url).searchParams;
const SNAPSHOTS = params.has("snapshot") ? "pyodide-snapshot" : null;
const SNAPSHOT_KEY = new URL("pyodide.asm.wasm?snapshot", indexURL).href;

/** The snapshot kept by an earlier visit, or null. */
const keptSnapshot = async () => {
  if (!SNAPSHOTS) return null;
  const response = await (await caches.open(SNAPSHOTS)).match(SNAPSHOT_KEY);
  return response ? new Uint8Array(await response.arrayBuffer()) : null;
};

/** Keep a snapshot of this interpreter for the next visit (after the page is told "ready"). */
const keepSnapshot = async (pyodide) => {
  const snapshot = pyodide.makeMemorySnapshot();
  await (await caches.open(SNAPSHOTS)).put(SNAPSHOT_KEY, new Response(snapshot));
};

const fetchFiles = async () => {
  const { files } = await (await fetch(configURL)).json();
  const template = /^\{\w+\}$/;
  const templates = Object.entries(files).filter(([key]) => template.test(key));
  const entries = Object.entries(files).filter(([key]) => !template.test(key));
  return Promise.all(
    entries.map(async ([source, target]) => {
      for (const [key, value] of templates) source = source.replaceAll(key, value);
      const response = await fetch(new URL(source, configURL));
      return [target, new Uint8Array(await response.arrayBuffer())];
    }),
  );
};

let fromSnapshot = false;

const start = async () => {
  const snapshot = await keptSnapshot();
  fromSnapshot = snapshot !== null;
  const options = snapshot ? { _loadSnapshot: snapshot } : { _makeSnapshot: Boolean(SNAPSHOTS) };
  const [pyodide, files, main] = await Promise.all([
    loadPyodide({ indexURL, ...options }),
    fetchFiles(),
    fetch(new URL("main.py", page)).then((response) => response.text()),
  ]);
  for (const [target, bytes] of files) {
    const path = `${HOME}/${target.replace(/^\.\//, "")}`;
    pyodide.FS.mkdirTree(path.slice(0, path.lastIndexOf("/")));
    pyodide.FS.writeFile(path, bytes);
  }
  pyodide.runPython(`import sys\nif "${HOME}" not in sys.path: sys.path.insert(0, "${HOME}")`);
  const namespace = pyodide.globals.get("dict")();
  pyodide.runPython(main, { globals: namespace, filename: "main.py" });
  return [pyodide, namespace];
};

start().then(
  ([pyodide, namespace]) => {
    self.onmessage = ({ data: { id, name, args } }) => {
      try {
        postMessage({ id, result: namespace.get(name)(...args) });
      } catch (error) {
        postMessage({ id, error: String(error) });
      }
    };
    postMessage({ ready: true, fromSnapshot });
    if (SNAPSHOTS && !fromSnapshot) {
      keepSnapshot(pyodide).catch((error) => console.warn(`no snapshot kept: ${error}`));
    }
  },
  (error) => postMessage({ error: String(error) }),
);
