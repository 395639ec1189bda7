// @ts-check
/*
 * The one bridge between a page and its Python engine. Any page that computes with Python
 * imports it; it knows nothing of any page's form.
 *
 * A page declares its engine with the `python_engine(name)` macro (macros/engine.py), which
 * renders the status line (#py-status), the retry button (#pp-retry), PyScript's plugin
 * switches and
 *   <script type="py" worker name="NAME" src="main.py" config="../runtime/pyscript.json">
 * The build (hooks/runtime.py) versions those URLs with the build's digest and puts the
 * build's runtime manifest in the page as JSON (#pp-runtime-manifest), so the page, its
 * engine and the names they share always come from one build.
 *
 * PyScript, imported from the site's own runtime/, starts main.py in a Web Worker (the page
 * never freezes), with Pyodide started by javascripts/interpreter.mjs and the `assessment`
 * package copied into the worker. main.py lists in `__export__` the functions the page may
 * call; each takes and returns JSON text; from this thread they are asynchronous. This needs
 * no SharedArrayBuffer and no special HTTP header: the page calls, the worker answers.
 *
 * "Ready" is said only after a real call (`ping`, a scoring of the shipped bank) has
 * answered with the engine and the bank version this page was built with.
 */

/**
 * @typedef {{
 *   build: string, version_query: string, engine: string, bank_version: string,
 *   config: string, interpreter: string,
 *   pyodide: {version: string, base: string, files: string[]},
 *   pyscript: {base: string, entry: string, files: string[]},
 *   package: {base: string, files: string[]},
 *   names: {snapshot_cache: string, offline_cache: string, storage_prefix: string},
 *   limits: {answers_file_bytes: number, team_responses: number},
 * }} Manifest
 * @typedef {"loading" | "slow" | "ready" | "error"} EngineState
 * @typedef {{
 *   ready: Promise<void>,
 *   call: (name: string, ...args: unknown[]) => Promise<any>,
 *   state: () => EngineState,
 * }} Engine
 */

const SITE_URL = new URL("../", import.meta.url);

/** @returns {Manifest} the build's runtime manifest, as the page carries it. */
const readManifest = () => {
  const element = document.getElementById("pp-runtime-manifest");
  if (!element?.textContent) throw new Error("this page carries no runtime manifest");
  return JSON.parse(element.textContent);
};

/** The runtime manifest of the build this page belongs to. */
export const manifest = readManifest();

/** The localStorage key for `what`, one per site (several sites can share an origin). */
export const storageKey = (/** @type {string} */ what) =>
  `${manifest.names.storage_prefix}:${SITE_URL.pathname}:${what}`;

// Loading normally takes seconds; after this long, say so and offer a retry, but keep waiting.
const SLOW_AFTER_MS = 60_000;
// A call that has not returned after this long will not: the worker has stopped.
const CALL_TIMEOUT_MS = 30_000;
// While the page is open, the engine is asked now and then whether it still answers, so a
// worker that died (killed by the browser, out of memory) is noticed before the next click.
const HEARTBEAT_MS = 5_000;
const HEARTBEAT_TIMEOUT_MS = 4_000;

/** Resolve with `promise`'s value, or reject with `message` after `ms`. */
const within = (/** @type {Promise<any>} */ promise, /** @type {number} */ ms, message = "") => {
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
};

/** Fetch `url` with `method`; reject with a plain reason unless it answers 2xx. */
const fetchChecked = async (/** @type {URL} */ url, method = "GET") => {
  const response = await fetch(url, { method }).catch(() => null);
  if (!response?.ok) throw new Error(`the file ${url.pathname} could not be loaded`);
  return response;
};

/**
 * Reject with a plain reason if this browser or this site cannot run the engine.
 *
 * Inside the worker a missing or blocked file only logs a warning and loading never ends, so
 * the page checks the files too, and a failure shows at once. The runtime is asked with HEAD:
 * reading the bodies as well made the worker wait for the page's copy of the wasm and lose
 * its streaming compilation (bench/levers.md). The engine's archive (about 300 KB) is read
 * whole: PyScript fetches it once Python has started, and then finds it cached.
 */
const preflight = async (
  /** @type {HTMLScriptElement} */ script,
  /** @type {Promise<unknown>} */ workerMade,
) => {
  if (typeof WebAssembly !== "object" || typeof Worker !== "function") {
    throw new Error(
      "this browser cannot run WebAssembly in a Web Worker; a current version of Chrome, " +
        "Edge, Firefox or Safari can",
    );
  }
  // Not before PyScript has made its worker: asked at once, these requests took the
  // browser's few connections to the site while PyScript's own modules, config and main.py
  // waited behind them, and the worker started about 200 ms later (bench/levers.md).
  await workerMade;
  const site = (/** @type {string} */ path) => new URL(path, SITE_URL);
  const runtime = [
    ...manifest.pyodide.files.map((name) => site(manifest.pyodide.base + name)),
    site(manifest.interpreter),
    new URL(script.getAttribute("src") ?? "", document.baseURI),
  ];
  const engineFiles = [
    site(manifest.config),
    // The engine's archive: its name carries the build.
    ...manifest.package.files.map((name) => site(manifest.package.base + name)),
    // The worker's interpreter module reads the manifest too: fetched here, it is among the
    // files the page lists for the service worker to keep, so Python also starts offline.
    site(`runtime/manifest.json${manifest.version_query}`),
  ];
  await Promise.all([
    ...runtime.map((url) => fetchChecked(url, "HEAD")),
    ...engineFiles.map(async (url) => (await fetchChecked(url)).arrayBuffer()),
  ]);
};

/**
 * Wait for a fatal error that the worker's Python start reports (interpreter.mjs posts it on
 * this channel), so a broken runtime shows as an error within seconds, not "loading" for ever.
 */
const fatalStart = () =>
  new Promise((_, reject) => {
    if (typeof BroadcastChannel !== "function") return;
    const channel = new BroadcastChannel(`${manifest.names.storage_prefix}:engine`);
    channel.addEventListener("message", ({ data }) => {
      if (data?.type === "fatal" && data.build === manifest.build) {
        channel.close();
        reject(new Error(`Python could not start (${data.error})`));
      }
    });
  });

/** Start PyScript; resolve once it has made the Python worker of the page's script. */
const makeWorker = async () => {
  const core = new URL(manifest.pyscript.base + manifest.pyscript.entry, SITE_URL);
  const { whenDefined } = await import(core.href);
  // PyScript resolves this as soon as it has made the worker (polyscript's custom.js).
  await whenDefined("py");
};

/** Resolve with the worker's exported functions once main.py has run. */
const workerFunctions = async (
  /** @type {HTMLScriptElement} */ script,
  /** @type {Promise<unknown>} */ workerMade,
) => {
  await workerMade;
  // @ts-ignore: PyScript adds `xworker` to the script element it starts.
  const worker = script.xworker;
  await worker.ready;
  return worker.sync;
};

/** Have the next visit start Python from a memory snapshot (interpreter.mjs), made now. */
const keepPythonSnapshot = () => {
  if (typeof caches === "undefined" || !globalThis.crypto?.subtle) return;
  // Making it runs a second Python for a few seconds: not on a device that says it is small.
  // @ts-ignore: deviceMemory is Chromium's.
  const memory = navigator.deviceMemory;
  if (typeof memory === "number" && memory < 4) return;
  const make = () => {
    const url = new URL(`snapshot-worker.mjs${manifest.version_query}`, import.meta.url);
    const worker = new Worker(url, { type: "module" });
    // The second Python is released as soon as it has answered.
    const done = (/** @type {MessageEvent} */ { data }) => {
      if (data?.error) console.warn(`No Python snapshot for the next visit: ${data.error}`);
      worker.terminate();
    };
    worker.addEventListener("message", done);
    worker.addEventListener("error", () => worker.terminate());
  };
  // When the page is idle, not while the reader is working with it (at most 10 s later).
  if (typeof requestIdleCallback === "function") requestIdleCallback(make, { timeout: 10_000 });
  else setTimeout(make, 2_000);
};

/** A key, per tab, for "this page reloaded once to get its own build's engine". */
const RELOADED_KEY = () => storageKey("reloaded-for-engine");

/**
 * Resolve when the engine is the one this page was built with. If not (a deploy in between,
 * a cache holding another build's file), reload once, and never resolve: the page goes away.
 * If the reload did not help, reject.
 */
const checkSameBuild = async (/** @type {{engine: string, bank_version: string}} */ pong) => {
  const status = document.getElementById("py-status");
  const expected = status?.dataset.bankVersion ?? manifest.bank_version;
  if (pong.engine === manifest.engine && pong.bank_version === expected) {
    sessionStorage.removeItem(RELOADED_KEY());
    return;
  }
  const tried = sessionStorage.getItem(RELOADED_KEY());
  const pair = `${manifest.build}>${pong.engine}`;
  if (tried !== pair) {
    // Nothing typed is lost: pages save their inputs as they change, and restore them.
    sessionStorage.setItem(RELOADED_KEY(), pair);
    window.location.reload();
    await new Promise(() => undefined);
  }
  throw new Error(
    "the site was updated while this page was open, and this page and its engine are from " +
      "different versions; reload the page",
  );
};

/**
 * Start the engine declared by `<script type="py" worker name="NAME">` and keep the page's
 * status line (#py-status) and retry button (#pp-retry) truthful.
 *
 * @param {string} name the worker's name
 * @param {{readyText?: string, loadingNoun?: string}} [options]
 * @returns {Engine}
 */
export const startEngine = (name, options = {}) => {
  const noun = options.loadingNoun ?? "The engine";
  const readyText = options.readyText ?? `${noun} is ready. Everything stays in this browser.`;
  const status = /** @type {HTMLElement} */ (document.getElementById("py-status"));
  const retry = /** @type {HTMLButtonElement} */ (document.getElementById("pp-retry"));
  const script = /** @type {HTMLScriptElement | null} */ (
    document.querySelector(`script[type="py"][worker][name="${name}"]`)
  );
  /** @type {EngineState} */
  let state = "loading";
  const setState = (/** @type {EngineState} */ next, /** @type {string} */ text) => {
    state = next;
    status.dataset.state = next;
    status.textContent = text;
    retry.hidden = next === "ready" || next === "loading";
  };
  // A retry is a fresh page load: pages restore what was typed from storage.
  retry.addEventListener("click", () => window.location.reload());

  const workerMade = script ? makeWorker() : Promise.resolve();
  /** @type {Promise<Record<string, (...args: string[]) => Promise<string>>>} */
  const sync = script
    ? Promise.race([
        Promise.all([workerFunctions(script, workerMade), preflight(script, workerMade)]).then(
          ([functions]) => functions,
        ),
        fatalStart(),
      ])
    : Promise.reject(new Error(`this page declares no engine named ${name}`));

  /** @type {(name: string, ...args: unknown[]) => Promise<any>} */
  const rawCall = async (fn, ...args) => {
    const functions = await sync;
    if (typeof functions[fn] !== "function") {
      throw new Error(`the engine has no function ${fn} (its Python did not load completely)`);
    }
    const reply = functions[fn](...args.map((arg) => JSON.stringify(arg)));
    return JSON.parse(await within(reply, CALL_TIMEOUT_MS, `${noun.toLowerCase()} stopped responding`));
  };

  const stopped = (/** @type {unknown} */ error) => {
    setState(
      "error",
      `${noun} stopped working (${error instanceof Error ? error.message : error}). ` +
        "Use the button to start it again; what you entered is kept in this browser.",
    );
  };

  const ready = rawCall("ping").then(checkSameBuild);

  const slow = setTimeout(() => {
    if (state !== "loading") return;
    setState(
      "slow",
      `${noun} is taking unusually long to load (a slow connection?). It keeps trying; ` +
        "what you entered is kept in this browser.",
    );
  }, SLOW_AFTER_MS);

  ready.then(
    () => {
      clearTimeout(slow);
      performance.mark(`${name}-engine-ready`);
      setState("ready", readyText);
      // Everything the engine needs is loaded: let the service worker keep it for offline use.
      document.dispatchEvent(new Event("playbook:keep"));
      keepPythonSnapshot();
      const heartbeat = setInterval(() => {
        if (document.hidden) return;
        within(rawCall("ping"), HEARTBEAT_TIMEOUT_MS, "no answer").catch((error) => {
          clearInterval(heartbeat);
          stopped(error);
        });
      }, HEARTBEAT_MS);
    },
    (error) => {
      clearTimeout(slow);
      setState(
        "error",
        `${noun} could not load, so nothing can be computed right now: ` +
          `${error?.message ?? error}. What you entered is kept in this browser.`,
      );
    },
  );

  return {
    ready,
    state: () => state,
    call: async (fn, ...args) => {
      await ready;
      try {
        return await rawCall(fn, ...args);
      } catch (error) {
        if (error instanceof Error && error.message.endsWith("stopped responding")) stopped(error);
        throw error;
      }
    },
  };
};
