// @ts-check
/*
 * The Python interpreter PyScript starts (runtime/pyscript.json's "interpreter"): Pyodide from
 * the site's own runtime/, started from a memory snapshot when an earlier visit kept one.
 *
 * Why: on a revisit the files come from the browser's caches, and most of what is left of the
 * wait is Python starting (unpacking the standard library, initialising the interpreter,
 * importing what the engine needs). A snapshot of Pyodide's memory taken just after that skips
 * it (bench/levers.md). The snapshot is made after the page is ready, by a separate worker
 * (snapshot-worker.mjs) that never sees an answer: it holds Pyodide and the standard library
 * only. PyScript then loads the engine into the restored interpreter as on a first visit.
 *
 * Where Pyodide is and what the cache is called come from the build's manifest
 * (runtime/manifest.json, written by hooks/runtime.py), fetched with this module's own
 * build (in its name: interpreter-<build>.mjs), so both always belong to the same build.
 *
 * It relies on Pyodide's experimental `_makeSnapshot` / `_loadSnapshot` options, so any
 * failure (no Cache Storage, a damaged snapshot, another Pyodide version) means an ordinary
 * start, and the snapshot is dropped.
 */

const SITE = new URL("../", import.meta.url);
// The build ships this module as interpreter-<build>.mjs (hooks/runtime.py).
const BUILD = /-([0-9a-f]+)\.mjs$/.exec(new URL(import.meta.url).pathname)?.[1] ?? "";
// Where the browser blocks site data, PyScript's start (it opens an IndexedDB store) would fail:
// this worker then gets an IndexedDB in memory, and Python starts as anywhere else.
const indexedDBWorks = await globalThis.indexedDB?.databases().then(
  () => true,
  () => false,
);
if (!indexedDBWorks) {
  const memory = new URL(`memory-indexeddb.mjs?v=${BUILD}`, import.meta.url);
  (await import(memory.href)).installMemoryIndexedDB();
}
const manifestUrl = new URL(`runtime/manifest.json?v=${BUILD}`, SITE);
const manifest = await (await fetch(manifestUrl)).json();
const INDEX_URL = new URL(manifest.pyodide.base, SITE).href;
const pyodideModule = await import(new URL("pyodide.mjs", INDEX_URL).href);
const loadFresh = pyodideModule.loadPyodide;

// PyScript reads the interpreter's version from this module, as from pyodide.mjs.
export const version = pyodideModule.version;

const CACHE = manifest.names.snapshot_cache;
// A snapshot fits only the exact runtime that made it: one per site and Pyodide version.
const KEY = new URL(`snapshot-${version}.bin.gz`, INDEX_URL).href;
// The standard-library modules the engine (assessment/) imports, loaded before the snapshot.
const PRELOAD = [
  "base64",
  "binascii",
  "dataclasses",
  "datetime",
  "hashlib",
  "json",
  "math",
  "re",
];
// Set in the restored interpreter, so the page can tell how Python started (selfcheck.ping).
const START_MARKER = 'import os\nos.environ["PLAYBOOK_PYTHON_START"] = "snapshot"';

/** The SHA-256 of `bytes`, as hex. */
const sha256 = async (/** @type {ArrayBuffer} */ bytes) =>
  [...new Uint8Array(await crypto.subtle.digest("SHA-256", bytes))]
    .map((byte) => byte.toString(16).padStart(2, "0"))
    .join("");

const forgetSnapshot = async () => {
  await (await caches.open(CACHE)).delete(KEY);
};

/** The kept snapshot's bytes, or null; throws if it is damaged in any way. */
const keptSnapshot = async () => {
  if (typeof caches === "undefined" || !globalThis.crypto?.subtle) return null;
  const kept = await (await caches.open(CACHE)).match(KEY);
  if (!kept?.body) return null;
  const stored = await kept.arrayBuffer();
  // The digest of what was stored catches any changed byte; the gzip CRC and the length
  // then check what it unpacks to.
  if ((await sha256(stored)) !== kept.headers.get("X-Snapshot-SHA256")) {
    throw new Error("the kept snapshot does not match its digest");
  }
  const unpacked = new Blob([stored]).stream().pipeThrough(new DecompressionStream("gzip"));
  const bytes = new Uint8Array(await new Response(unpacked).arrayBuffer());
  if (bytes.length !== Number(kept.headers.get("X-Snapshot-Length"))) {
    throw new Error("the kept snapshot is incomplete");
  }
  return bytes;
};

/**
 * Start Pyodide; reject, rather than wait for ever, when its WebAssembly cannot start.
 * Pyodide 314 catches that failure, logs "wasm instantiation failed!", then the error, and
 * never settles, so its two warnings are the only sign there is; the error is named.
 */
const loadOrFail = async (/** @type {object} */ settings) => {
  const warn = console.warn;
  /** @type {(error: Error) => void} */
  let fail = () => undefined;
  const failed = new Promise((_, reject) => {
    fail = reject;
  });
  /** @type {string | undefined} Set by the warning that follows Pyodide's first. */
  let cause;
  let failing = false;
  console.warn = (...args) => {
    warn(...args);
    if (failing && cause === undefined) cause = String(args[0]);
    if (args[0] !== "wasm instantiation failed!") return;
    failing = true;
    // Pyodide warns with the error right after; wait for it, so the message can name it.
    setTimeout(() => {
      const why = cause ?? "a damaged or blocked file?";
      fail(new Error(`its WebAssembly could not be started (${why})`));
    });
  };
  try {
    return await Promise.race([loadFresh(settings), failed]);
  } finally {
    console.warn = warn;
  }
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
  try {
    return await loadOrFail(settings);
  } catch (error) {
    // The page cannot see this worker's console: tell it, so it shows an error at once.
    const channel = new BroadcastChannel(`${manifest.names.storage_prefix}:engine`);
    channel.postMessage({ type: "fatal", build: manifest.build, error: String(error) });
    channel.close();
    throw error;
  }
};

/** Make and keep the snapshot the next visit starts from, unless it is kept already. */
export const keepSnapshot = async () => {
  const cache = await caches.open(CACHE);
  if (await cache.match(KEY)) return "kept already";
  const pyodide = await loadFresh({ indexURL: INDEX_URL, _makeSnapshot: true });
  pyodide.runPython(PRELOAD.map((name) => `import ${name}`).join("\n"));
  const bytes = pyodide.makeMemorySnapshot();
  const length = bytes.length;
  const packed = new Blob([bytes]).stream().pipeThrough(new CompressionStream("gzip"));
  const stored = await new Response(packed).arrayBuffer();
  const headers = {
    "Content-Type": "application/gzip",
    "X-Snapshot-Length": String(length),
    "X-Snapshot-SHA256": await sha256(stored),
  };
  await cache.put(KEY, new Response(stored, { headers }));
  // Snapshots of earlier Pyodide versions will never fit again.
  for (const request of await cache.keys()) {
    if (request.url !== KEY) await cache.delete(request);
  }
  return "kept";
};
