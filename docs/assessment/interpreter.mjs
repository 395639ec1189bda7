/*
 * The Python interpreter PyScript starts (pyscript.json's "interpreter"): Pyodide from the
 * site's own runtime/, started from a memory snapshot when an earlier visit kept one.
 *
 * Why: on a revisit the files come from the browser's caches, and most of what is left of the
 * wait is Python starting (unpacking the standard library, initialising the interpreter,
 * importing what the engine needs). A snapshot of Pyodide's memory taken just after that skips
 * it (bench/levers.md). The snapshot is made after the page is ready, by a separate worker
 * (snapshot-worker.mjs) that never sees an answer: it holds Pyodide and the standard library
 * only. PyScript then loads the engine into the restored interpreter as on a first visit.
 *
 * It relies on Pyodide's experimental `_makeSnapshot` / `_loadSnapshot` options, so any
 * failure (no Cache Storage, a damaged snapshot, another Pyodide version) means an ordinary
 * start, and the snapshot is dropped.
 */
import { loadPyodide as loadFresh, version } from "../runtime/pyodide/pyodide.mjs";

// PyScript reads the interpreter's version from this module, as from pyodide.mjs.
export { version };

const INDEX_URL = new URL("../runtime/pyodide/", import.meta.url).href;
const CACHE = "partnership-playbook-python-snapshot";
// A snapshot fits only the exact runtime that made it: one per site and Pyodide version.
const KEY = new URL(`snapshot-${version}.bin.gz`, INDEX_URL).href;
// The standard-library modules the engine (assessment/) imports, loaded before the snapshot.
const PRELOAD = ["base64", "binascii", "dataclasses", "hashlib", "json", "math", "re", "tomllib"];
// Set in the restored interpreter, so the page can tell how Python started (main.py's ping).
const START_MARKER = 'import os\nos.environ["PLAYBOOK_PYTHON_START"] = "snapshot"';

const forgetSnapshot = async () => {
  await (await caches.open(CACHE)).delete(KEY);
};

/** The kept snapshot's bytes, or null; throws if it is damaged (gzip checks its CRC). */
const keptSnapshot = async () => {
  if (typeof caches === "undefined") return null;
  const kept = await (await caches.open(CACHE)).match(KEY);
  if (!kept?.body) return null;
  const expected = Number(kept.headers.get("X-Snapshot-Length"));
  const bytes = new Uint8Array(
    await new Response(kept.body.pipeThrough(new DecompressionStream("gzip"))).arrayBuffer(),
  );
  if (bytes.length !== expected) throw new Error("the kept snapshot is incomplete");
  return bytes;
};

/** Start Pyodide as PyScript asks, from the kept snapshot when there is a usable one. */
export const loadPyodide = async (options = {}) => {
  const settings = { ...options, indexURL: INDEX_URL };
  try {
    const snapshot = await keptSnapshot();
    if (snapshot) {
      const pyodide = await loadFresh({ ...settings, _loadSnapshot: snapshot });
      pyodide.runPython(START_MARKER);
      return pyodide;
    }
  } catch (error) {
    console.warn(`Python starts without its snapshot (${error}); it will be made again.`);
    await forgetSnapshot().catch(() => undefined);
  }
  return loadFresh(settings);
};

/** Make and keep the snapshot the next visit starts from, unless it is kept already. */
export const keepSnapshot = async () => {
  const cache = await caches.open(CACHE);
  if (await cache.match(KEY)) return "kept already";
  const pyodide = await loadFresh({ indexURL: INDEX_URL, _makeSnapshot: true });
  pyodide.runPython(PRELOAD.map((name) => `import ${name}`).join("\n"));
  const bytes = pyodide.makeMemorySnapshot();
  const body = new Blob([bytes]).stream().pipeThrough(new CompressionStream("gzip"));
  const headers = { "Content-Type": "application/gzip", "X-Snapshot-Length": String(bytes.length) };
  await cache.put(KEY, new Response(body, { headers }));
  // Snapshots of earlier Pyodide versions will never fit again.
  for (const request of await cache.keys()) {
    if (request.url !== KEY) await cache.delete(request);
  }
  return "kept";
};
