// @ts-check
/*
 * The Python interpreter PyScript starts (runtime/pyscript.json's "interpreter"): Pyodide from
 * the site's own runtime/.
 *
 * Where Pyodide is comes from the build's manifest (runtime/manifest.json, written by
 * hooks/runtime.py), fetched with this module's own build (in its name:
 * interpreter-<build>.mjs), so both always belong to the same build. It also gives Python an
 * IndexedDB where the browser blocks site data, and turns a WebAssembly that cannot start
 * into an error the page shows at once, rather than a wait for ever.
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
const pyodideLoad = pyodideModule.loadPyodide;

// PyScript reads the interpreter's version from this module, as from pyodide.mjs.
export const version = pyodideModule.version;

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
    return await Promise.race([pyodideLoad(settings), failed]);
  } finally {
    console.warn = warn;
  }
};

/** Start Pyodide as PyScript asks, from the site's own runtime/. */
export const loadPyodide = async (options = {}) => {
  const settings = { ...options, indexURL: INDEX_URL };
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
