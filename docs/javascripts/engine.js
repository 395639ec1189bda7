// @ts-check
/*
 * The one bridge between a page and its Python engine. Any page that runs Python imports it;
 * it knows nothing of any page's form.
 *
 * A page declares that it runs Python in its front matter (`python:`, hooks/python_page.py).
 * The build then writes into the page the status line (#py-status, with the words it uses),
 * the retry button (#pp-retry), the build's runtime manifest (#pp-runtime-manifest) and
 *   <script type="py" worker name="NAME" src="main.py?v=BUILD" config="…/pyscript-BUILD.json">
 * so the page, its engine and the names they share always come from one build.
 *
 * PyScript, imported from the site's own runtime/, starts main.py in a Web Worker (the page
 * never freezes), with Pyodide started by javascripts/interpreter.mjs and the engine unpacked
 * into the worker. main.py lists in `__export__` the endpoints the page may call
 * (assessment/web.py: JSON text in, {ok, ...} out); from this thread they are asynchronous.
 * This needs no SharedArrayBuffer and no special HTTP header: the page calls, the worker answers.
 *
 * "Ready" is said only after a real call (`ping`, which scores the shipped bank once) has
 * answered with the engine and the bank version this page was built with.
 */

/**
 * @typedef {"loading" | "slow" | "ready" | "error"} EngineState
 * @typedef {{
 *   ready: Promise<void>,
 *   call: (name: string, ...args: unknown[]) => Promise<any>,
 *   ask: (name: string, ...args: unknown[]) => Promise<any>,
 *   state: () => EngineState,
 * }} Engine
 */

import {
  SITE_URL,
  announce,
  clause,
  kept,
  latestOnly,
  manifest,
  reason,
  storageWorks,
  unsavedHere,
} from "./page.js";


// Loading normally takes seconds; after this long, say so and offer a retry, but keep waiting.
const SLOW_AFTER_MS = 60_000;
// A call that has not returned after this long is said to be taking long, with the retry;
// it is still awaited (a slow phone may yet answer, and its answer is used).
const CALL_SLOW_MS = 30_000;
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
  // PyScript reads its configuration as it starts, and with none it asks a CDN for Pyodide
  // (refused by the site's policy) and waits for ever: check the file first, and name it.
  // The browser keeps it, so PyScript's own request costs nothing more.
  await fetchChecked(new URL(manifest.config, SITE_URL));
  const core = new URL(manifest.pyscript.base + manifest.pyscript.entry, SITE_URL);
  const { whenDefined } = await import(core.href);
  // PyScript resolves this as soon as it has made the worker (polyscript's custom.js).
  await whenDefined("py");
};

/**
 * Resolve once the page's first frame is painted: the runtime's megabytes then never compete
 * with the page's own text and styles for a slow network, or for the main thread while the
 * browser lays the page out. At once in a hidden tab, which paints nothing until it is shown.
 */
const afterFirstPaint = () =>
  new Promise((resolve) => {
    if (document.visibilityState === "hidden") resolve(undefined);
    else requestAnimationFrame(() => setTimeout(resolve, 0));
  });

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

/** Per tab: "this page reloaded once to get its own build's engine" (build>engine). */
const reloaded = () =>
  kept("reloaded-for-engine", (raw) => (typeof raw === "string" ? raw : undefined), "sessionStorage");

/**
 * Resolve when the engine is the one this page was built with. If not (a deploy in between,
 * a cache holding another build's file), reload once, and never resolve: the page goes away.
 * If the reload did not help, reject.
 */
const checkSameBuild = async (/** @type {{engine: string, bank_version: string}} */ pong) => {
  const status = document.getElementById("py-status");
  const expected = status?.dataset.bankVersion ?? manifest.bank_version;
  const mark = reloaded();
  if (pong.engine === manifest.engine && pong.bank_version === expected) {
    mark.remove();
    return;
  }
  const pair = `${manifest.build}>${pong.engine}`;
  // Reloaded once only, and only where the tab can remember that it did (no loop where the
  // browser blocks site data). Nothing typed is lost: pages save their inputs and restore them.
  if (mark.read().value !== pair && mark.write(pair)) {
    window.location.reload();
    await new Promise(() => undefined);
  }
  throw new Error(
    "the site was updated while this page was open, and this page and its engine are from " +
      "different versions; reload the page",
  );
};

/**
 * Start the page's engine (its one `<script type="py" worker>`) and keep the page's status
 * line (#py-status) and retry button (#pp-retry) truthful.
 *
 * @returns {Engine}
 */
export const startEngine = () => {
  const status = /** @type {HTMLElement} */ (document.getElementById("py-status"));
  const retry = /** @type {HTMLButtonElement} */ (document.getElementById("pp-retry"));
  const noun = status.dataset.noun || "The engine";
  const readyText = status.dataset.ready || `${noun} is ready. Everything stays in this browser.`;
  const script = /** @type {HTMLScriptElement | null} */ (
    document.querySelector('script[type="py"][worker]')
  );
  const name = script?.getAttribute("name") ?? "";
  /** @type {EngineState} */
  let state = "loading";
  const setState = (/** @type {EngineState} */ next, /** @type {string} */ text) => {
    state = next;
    status.dataset.state = next;
    status.textContent = text;
    retry.hidden = next === "ready" || next === "loading";
  };
  // A retry is a fresh page load: pages restore what was typed from storage, where the browser
  // lets the site keep anything; the words say which.
  retry.addEventListener("click", () => window.location.reload());
  /** Whether what the reader entered is kept, said truthfully at the moment it is said. */
  const keptWords = () => {
    if (!storageWorks()) {
      return (
        "this browser blocks the site from keeping what you entered, so copy anything you " +
        "need first"
      );
    }
    if (unsavedHere()) {
      return (
        "this browser did not save your latest changes (its storage is full), so copy " +
        "anything you need first"
      );
    }
    return "what you entered is kept in this browser";
  };

  const workerMade = script ? afterFirstPaint().then(makeWorker) : Promise.resolve();
  /** @type {Promise<Record<string, (...args: string[]) => Promise<string>>>} */
  const sync = script
    ? Promise.race([
        Promise.all([workerFunctions(script, workerMade), preflight(script, workerMade)]).then(
          ([functions]) => functions,
        ),
        fatalStart(),
      ])
    : Promise.reject(new Error("this page declares no Python worker"));

  // Calls still waiting for their answer: while one runs, the worker is busy, not dead, and
  // the heartbeat waits (a call that takes long is said so, CALL_SLOW_MS).
  let pending = 0;
  // Set when a call took long or the heartbeat found no answer: the next answer the engine
  // gives makes the page ready again.
  let stalled = false;

  /** @type {(name: string, ...args: unknown[]) => Promise<any>} */
  const rawCall = async (fn, ...args) => {
    const functions = await sync;
    if (typeof functions[fn] !== "function") {
      throw new Error(`the engine has no function ${fn} (its Python did not load completely)`);
    }
    pending += 1;
    const long = setTimeout(() => {
      stalled = true;
      setState(
        "slow",
        `${noun} is taking unusually long to answer. It keeps working, and its answer will ` +
          `show; if none comes, use the button to start it again; ${keptWords()}.`,
      );
    }, CALL_SLOW_MS);
    let text;
    try {
      text = await functions[fn](...args.map((arg) => JSON.stringify(arg)));
    } finally {
      clearTimeout(long);
      pending -= 1;
    }
    if (stalled) {
      stalled = false;
      setState("ready", readyText);
    }
    return JSON.parse(text);
  };

  const stopped = (/** @type {unknown} */ error) => {
    stalled = true;
    setState(
      "error",
      `${noun} stopped working (${clause(error)}). ` +
        `Use the button to start it again; ${keptWords()}.`,
    );
  };

  const ready = rawCall("ping").then(checkSameBuild);

  const slow = setTimeout(() => {
    if (state !== "loading") return;
    setState(
      "slow",
      `${noun} is taking unusually long to load (a slow connection?). It keeps trying; ` +
        `${keptWords()}.`,
    );
  }, SLOW_AFTER_MS);

  ready.then(
    () => {
      clearTimeout(slow);
      if (name) performance.mark(manifest.names.ready_mark.replace("{worker}", name));
      setState("ready", readyText);
      // Everything the engine needs is loaded: let the service worker keep it for offline use.
      document.dispatchEvent(new Event("playbook:keep"));
      // A worker the browser killed (out of memory, a crash) is noticed before the next click.
      // Not while a call runs: a long call is a busy worker, and it has its own timeout.
      setInterval(() => {
        if (document.hidden || pending > 0) return;
        within(rawCall("ping"), HEARTBEAT_TIMEOUT_MS, "no answer").catch((error) => {
          if (!stalled) stopped(error);
        });
      }, HEARTBEAT_MS);
    },
    (error) => {
      clearTimeout(slow);
      setState(
        "error",
        `${noun} could not load, so nothing can be computed right now: ` +
          `${clause(error)}. ${keptWords()[0].toUpperCase()}${keptWords().slice(1)}.`,
      );
    },
  );

  /** @type {Engine["call"]} */
  const call = async (fn, ...args) => {
    await ready;
    return rawCall(fn, ...args);
  };
  return {
    ready,
    state: () => state,
    call,
    // The same, never rejected: an engine that could not answer gives an error reply
    // ({ok: false, error, field: ""}), shown as the engine's own errors are.
    ask: (fn, ...args) =>
      call(fn, ...args).catch((error) => ({ ok: false, error: reason(error), field: "" })),
  };
};

/**
 * A form's request to the engine, of which only the latest counts (page.latestOnly). `send`
 * announces `loading` while the engine is still loading, and gives the reply as `{reply}`, a
 * call the engine could not answer as `{failed: why}`, and a reply overtaken by a later request
 * (or by `drop`, when what it was about is gone) as null.
 * @param {Engine} engine
 * @param {string} loading
 * @returns {{
 *   send: (name: string, ...args: unknown[]) => Promise<{reply: any} | {failed: string} | null>,
 *   drop: () => void,
 * }}
 */
export const latestRequest = (engine, loading) => {
  const next = latestOnly();
  return {
    send: async (name, ...args) => {
      const isLatest = next();
      if (engine.state() !== "ready") announce(loading);
      try {
        const reply = await engine.call(name, ...args);
        return isLatest() ? { reply } : null;
      } catch (error) {
        return { failed: reason(error) };
      }
    },
    drop: () => {
      next();
    },
  };
};
