/*
 * The assessment page's main-thread code: starts the Python engine and talks to it.
 *
 * The bridge. index.md declares the engine as
 *   <script type="py" worker name="assessment" src="main.py" config="pyscript.json">
 * PyScript, imported below from the site's own runtime/, starts it in a Web Worker as soon as
 * the page opens (the page never freezes), with Pyodide from runtime/pyodide/ (the config's
 * `interpreter`) and the `assessment` package from runtime/assessment/ (its `files`, filled at
 * build time by hooks/runtime.py). main.py lists in `__export__` the functions the page may
 * call; each takes and returns JSON text. From this thread they are asynchronous:
 * `await sync.name(...)`. This needs no SharedArrayBuffer and no special HTTP header, since
 * the page calls the worker and the worker never reaches into the page.
 *
 * To add a call, e.g. scoring the answers:
 *   main.py: def assess_json(answers_json: str) -> str: ...   and add "assess_json" to __export__
 *   app.js:  export const assess = (answers) => call("assess_json", answers);
 * A Python exception rejects the returned promise with the traceback as its message.
 */

const STATUS_ID = "py-status";
const WORKER_SELECTOR = 'script[type="py"][worker][name="assessment"]';
const CORE_URL = new URL("../runtime/pyscript/core.js", import.meta.url);

const status = document.getElementById(STATUS_ID);

/** Show the engine's state on the page's status line (role="status" announces it). */
const setStatus = (state, text) => {
  status.dataset.state = state;
  status.textContent = text;
};

/** Start PyScript and resolve with the worker's exported functions once main.py has run. */
const start = async () => {
  const { whenDefined } = await import(CORE_URL.href);
  await whenDefined("py");
  const worker = document.querySelector(WORKER_SELECTOR).xworker;
  await worker.ready;
  return worker.sync;
};

/** The running engine: a promise of the functions main.py exports. */
export const engine = start();

/** Call the exported function `name` with JSON-able `args`; resolve with its decoded result. */
const call = async (name, ...args) => {
  const sync = await engine;
  return JSON.parse(await sync[name](...args.map((arg) => JSON.stringify(arg))));
};

/** Which engine runs, on which Python: `{engine, module, python}`. */
export const ping = () => call("ping");

engine.then(
  () => {
    performance.mark("assessment-engine-ready");
    setStatus("ready", "The scoring engine is ready. Your answers stay in this browser.");
  },
  (error) => {
    setStatus("error", `The scoring engine could not start: ${error?.message ?? error}`);
  },
);
