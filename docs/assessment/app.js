/*
 * The assessment page's main-thread code: reads the form, calls the Python engine, writes
 * the result. All scoring, encoding and report writing happen in Python (main.py calling the
 * `assessment` package); this file only moves plain data between the page and the engine.
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
 * Safety: text from the engine, the bank, storage or a link is written with textContent only.
 * The one exception is the chart, SVG text the engine builds with every value XML-escaped.
 */

const WORKER_SELECTOR = 'script[type="py"][worker][name="assessment"]';
const CORE_URL = new URL("../runtime/pyscript/core.js", import.meta.url);
const SITE_URL = new URL("../", import.meta.url);
const DONT_KNOW = "dk";
const SHARE_PREFIX = "#code=";
// One key per site (several sites can share an origin, e.g. GitHub Pages project sites).
const STORAGE_KEY = `partnership-playbook:${SITE_URL.pathname}:answers`;
const PREVIOUS_KEY = `${STORAGE_KEY}:before-shared-link`;

const $ = (id) => document.getElementById(id);
const form = $("pp-form");
const status = $("py-status");
const resultSection = $("assessment-result");
const bankVersion = form.dataset.bankVersion;

/* ---- The engine ------------------------------------------------------------------- */

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

// The files the worker needs. Inside the worker a missing or blocked file only logs a warning
// and loading never ends, so the page checks them too, and a failure shows at once. It asks
// with HEAD: reading the bodies as well made the worker wait for the page's copy of the wasm
// and lose its streaming compilation, about 0.4 s of every start (bench/levers.md).
const RUNTIME_FILES = [
  "../runtime/pyodide/pyodide.mjs",
  "../runtime/pyodide/pyodide.asm.mjs",
  "../runtime/pyodide/pyodide.asm.wasm",
  "../runtime/pyodide/python_stdlib.zip",
  "../runtime/pyodide/pyodide-lock.json",
  "interpreter.mjs",
  "main.py",
];
const CONFIG_URL = new URL("pyscript.json", import.meta.url);

/** The package files PyScript copies into the worker, from the config's `files` table. */
const packageFiles = (config) => {
  // hooks/runtime.py writes {"{ASSESSMENT}": "<base>", "{ASSESSMENT}/x.py": "./assessment/x.py"}.
  const files = config.files ?? {};
  const base = files["{ASSESSMENT}"] ?? "";
  return Object.keys(files)
    .filter((key) => key.startsWith("{ASSESSMENT}/"))
    .map((key) => key.replace("{ASSESSMENT}", base));
};

const fetchChecked = async (url, method = "GET") => {
  const response = await fetch(url, { method }).catch(() => null);
  if (!response?.ok) throw new Error(`the file ${url.pathname} could not be loaded`);
  return response;
};

/** Reject with a plain reason if this browser or this site cannot run the engine. */
const preflight = async () => {
  if (typeof WebAssembly !== "object" || typeof Worker !== "function") {
    throw new Error(
      "this browser cannot run WebAssembly in a Web Worker; a current version of Chrome, " +
        "Edge, Firefox or Safari can",
    );
  }
  const config = await (await fetchChecked(CONFIG_URL)).json();
  const runtime = RUNTIME_FILES.map((path) => new URL(path, import.meta.url));
  const engine = packageFiles(config).map((path) => new URL(path, CONFIG_URL));
  // The package (about 40 KB) is read whole: PyScript fetches it only once Python has started,
  // one file after another, and then finds it in the browser's cache.
  await Promise.all([
    ...runtime.map((url) => fetchChecked(url, "HEAD")),
    ...engine.map(async (url) => (await fetchChecked(url)).arrayBuffer()),
  ]);
};

/** The running engine: a promise of the functions main.py exports. */
export const engine = Promise.all([start(), preflight()]).then(([sync]) => sync);

/** Have the next visit start Python from a memory snapshot (interpreter.mjs), made now. */
const keepPythonSnapshot = () => {
  if (typeof caches === "undefined") return;
  const worker = new Worker(new URL("snapshot-worker.mjs", import.meta.url), { type: "module" });
  const done = ({ data }) => {
    if (data?.error) console.warn(`No Python snapshot for the next visit: ${data.error}`);
    worker.terminate();
  };
  worker.addEventListener("message", done);
  worker.addEventListener("error", () => worker.terminate());
};

// A call that has not returned after this long will not: the worker has stopped.
const CALL_TIMEOUT_MS = 30_000;

/** Call the exported function `name` with JSON-able `args`; resolve with its decoded result. */
const call = async (name, ...args) => {
  const sync = await engine;
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error("the scoring engine stopped responding")), CALL_TIMEOUT_MS);
  });
  try {
    const reply = await Promise.race([sync[name](...args.map((arg) => JSON.stringify(arg))), timeout]);
    return JSON.parse(reply);
  } finally {
    clearTimeout(timer);
  }
};

/** Which engine runs, on which Python: `{engine, module, python}`. */
export const ping = () => call("ping");

// Loading normally takes seconds; after this long, say so and offer a retry, but keep waiting.
const SLOW_AFTER_MS = 60_000;
const slow = setTimeout(() => {
  if (status.dataset.state !== "loading") return;
  setStatus(
    "slow",
    "The scoring engine is taking unusually long to load (a slow connection?). It keeps " +
      "trying; your answers are saved in this browser.",
  );
  $("pp-retry").hidden = false;
}, SLOW_AFTER_MS);

engine.then(
  () => {
    clearTimeout(slow);
    performance.mark("assessment-engine-ready");
    // One throw-away call, so that the visitor's first result is not the engine's first:
    // Pyodide compiles WebAssembly functions on first use (about 20 ms saved, bench/levers.md).
    call("assess_json", {}, SITE_URL.href).catch(() => undefined);
    setStatus("ready", "The scoring engine is ready. Your answers stay in this browser.");
    $("pp-retry").hidden = true;
    // Everything the engine needs is loaded: let the service worker keep it for offline use.
    document.dispatchEvent(new Event("playbook:keep"));
    keepPythonSnapshot();
  },
  (error) => {
    clearTimeout(slow);
    setStatus(
      "error",
      "The scoring engine could not load, so results cannot be shown right now: " +
        `${error?.message ?? error}. Your answers are kept in this browser.`,
    );
    $("pp-retry").hidden = false;
  },
);

// A retry is a fresh page load: the answers come back from storage.
$("pp-retry").addEventListener("click", () => window.location.reload());

/* ---- Notices ---------------------------------------------------------------------- */

const notice = (text) => {
  const element = $("pp-notice");
  element.textContent = text;
  element.hidden = !text;
};

/* ---- Reading and writing the form --------------------------------------------------- */

const questionNames = () =>
  [...form.querySelectorAll("fieldset[data-question]")].map((f) => f.dataset.question);

/** The form as answers: {question id: level or null}; unanswered questions are left out. */
export const readAnswers = () => {
  const answers = {};
  for (const name of questionNames()) {
    const checked = form.querySelector(`input[name="${name}"]:checked`);
    if (checked) answers[name] = checked.value === DONT_KNOW ? null : Number(checked.value);
  }
  return answers;
};

const readPerspective = () =>
  form.querySelector('input[name="perspective"]:checked')?.value ?? "";

/** Check the radios for answers; returns how many were applied. Unknown entries are skipped. */
const fillForm = (answers, perspective = "") => {
  for (const input of form.querySelectorAll('input[type="radio"]')) input.checked = false;
  const side = form.querySelector(`input[name="perspective"][value="${CSS.escape(perspective)}"]`);
  (side ?? form.querySelector('input[name="perspective"][value=""]')).checked = true;
  let applied = 0;
  for (const name of questionNames()) {
    if (!Object.hasOwn(answers, name)) continue;
    const level = answers[name];
    const value = level === null ? DONT_KNOW : String(level);
    const input = form.querySelector(`input[name="${name}"][value="${CSS.escape(value)}"]`);
    if (input) {
      input.checked = true;
      applied += 1;
    }
  }
  updateProgress();
  return applied;
};

const updateProgress = () => {
  $("pp-answered").textContent = String(Object.keys(readAnswers()).length);
};

/* ---- Saving in this browser ---------------------------------------------------------- */

let storageWorks = true;

const storage = () => {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
};

const save = (key = STORAGE_KEY, answers = readAnswers(), perspective = readPerspective()) => {
  const store = storage();
  const record = JSON.stringify({ bank_version: bankVersion, perspective, answers });
  try {
    if (!store) throw new Error("no storage");
    store.setItem(key, record);
    return true;
  } catch {
    if (storageWorks) {
      notice(
        "This browser is not letting the page save your answers (storage is off or full). " +
          "Everything still works, but your answers will be lost if you reload or leave.",
      );
    }
    storageWorks = false;
    return false;
  }
};

/** A valid saved record, or null; a record that cannot be used is reported and left alone. */
const load = (key = STORAGE_KEY) => {
  const store = storage();
  let text = null;
  try {
    text = store ? store.getItem(key) : null;
  } catch {
    text = null;
  }
  if (text === null) return null;
  let record = null;
  try {
    record = JSON.parse(text);
  } catch {
    record = null;
  }
  const answers = record?.answers;
  if (!answers || typeof answers !== "object" || Array.isArray(answers)) {
    notice("Answers saved earlier in this browser could not be read, so the form starts empty.");
    return null;
  }
  const valid = {};
  const known = new Set(questionNames());
  for (const [name, level] of Object.entries(answers)) {
    if (known.has(name) && (level === null || [1, 2, 3, 4, 5].includes(level))) {
      valid[name] = level;
    }
  }
  const perspective = typeof record.perspective === "string" ? record.perspective : "";
  return { answers: valid, perspective, version: String(record.bank_version ?? "") };
};

const restoreSaved = () => {
  const saved = load();
  if (!saved) return;
  fillForm(saved.answers, saved.perspective);
  if (saved.version !== bankVersion) {
    notice(
      `Your saved answers were given to an earlier version of the questions ` +
        `(${saved.version || "unknown"}; this page has ${bankVersion}). ` +
        "Answers to questions that still exist were restored; please check the rest.",
    );
  }
};

/* ---- The result ----------------------------------------------------------------------- */

const VERDICT_LABELS = { stay: "Stay", repair: "Repair", go: "Go", undecided: "Not enough answers" };
let latest = null;

const element = (tag, text) => {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  return node;
};

const link = (text, href) => {
  const anchor = element("a", text);
  anchor.href = href;
  return anchor;
};

const scoreText = (score) => (score === null ? "not enough answers" : String(Math.round(score)));

/** Write a scored result into the page (text only, but for the engine's escaped SVG). */
const showResult = (payload) => {
  const { result, urls } = payload;
  latest = payload;
  $("pp-verdict").textContent =
    `Verdict: ${VERDICT_LABELS[result.verdict]}. ${result.verdict_title}`;
  $("pp-summary").textContent = result.verdict_summary;
  $("pp-overall").textContent =
    result.overall === null
      ? "Overall health: not enough answers to give a score."
      : `Overall health: ${Math.round(result.overall)} out of 100.`;
  $("pp-reasons").replaceChildren(...result.reasons.map((reason) => element("li", reason)));
  $("pp-rule").textContent = `Rule applied: ${result.rule_text}`;
  $("pp-chart").innerHTML = payload.svg;
  const rows = Object.values(result.dimensions).map((d) => {
    const row = element("tr");
    const name = element("th");
    name.scope = "row";
    name.append(link(d.title, urls[d.playbook]));
    row.append(name, element("td", scoreText(d.score)), element("td", `${d.answered} of ${d.total}`));
    return row;
  });
  $("pp-scores").tBodies[0].replaceChildren(...rows);
  $("pp-weakest").replaceChildren(
    ...(result.weakest.length
      ? result.weakest.map((d) => {
          const item = element("li", `${d.title} (${scoreText(d.score)}): `);
          item.append(link("read how to improve it", urls[d.playbook]));
          return item;
        })
      : [element("li", "Answer more questions to see which dimensions need attention.")]),
  );
  $("pp-next-steps").replaceChildren(...result.next_steps.map((step) => element("li", step)));
  $("pp-verdict-link").href = urls[result.playbook];
  const share = new URL(window.location.href);
  share.hash = `code=${payload.share_code}`;
  $("pp-share-link").value = share.href;
  $("pp-result-placeholder").hidden = true;
  $("pp-result-body").hidden = false;
  resultSection.dataset.result = JSON.stringify(result);
  resultSection.dataset.state = "shown";
  performance.mark("assessment-result-shown");
  $("pp-announce").textContent = `Result: ${VERDICT_LABELS[result.verdict]}. ${result.verdict_title}`;
};

const scoreForm = async () => {
  performance.mark("assessment-result-requested");
  resultSection.dataset.state = "waiting";
  if (status.dataset.state !== "ready") {
    $("pp-announce").textContent = "Your result will show as soon as the scoring engine is ready.";
  }
  const payload = await call("assess_json", readAnswers(), SITE_URL.href);
  if (!payload.ok) {
    resultSection.dataset.state = "error";
    notice(`Your answers could not be scored: ${payload.error}`);
    return;
  }
  showResult(payload);
};

form.addEventListener("submit", (event) => {
  event.preventDefault();
  scoreForm().then(
    () => {
      if (resultSection.dataset.state === "shown") resultSection.focus();
    },
    (error) => {
      resultSection.dataset.state = "error";
      notice(`No result yet: ${error?.message ?? error}. Your answers are kept in this browser.`);
    },
  );
});

form.addEventListener("change", () => {
  updateProgress();
  save();
});

$("pp-reset").addEventListener("click", () => {
  if (!window.confirm("Start over? This clears every answer saved in this browser.")) return;
  fillForm({});
  save();
  latest = null;
  $("pp-result-body").hidden = true;
  $("pp-result-placeholder").hidden = false;
  resultSection.dataset.state = "empty";
  delete resultSection.dataset.result;
  notice("");
});

/* ---- Share links ------------------------------------------------------------------------ */

/** Show answers that came from elsewhere, keeping the reader's own ones to restore. */
const adoptAnswers = async (answers, source) => {
  const mine = readAnswers();
  if (Object.keys(mine).length && JSON.stringify(mine) !== JSON.stringify(answers)) {
    save(PREVIOUS_KEY);
    notice(
      `This page now shows the answers from ${source}. Your own earlier answers ` +
        "are kept in this browser: use “Restore my answers” to bring them back.",
    );
    showRestoreButton();
  }
  fillForm(answers, readPerspective());
  save();
  await scoreForm();
};

const openSharedLink = async (fragment) => {
  let code = fragment;
  try {
    code = decodeURIComponent(fragment);
  } catch {
    // Left as typed: the engine then explains why it is not a valid code.
  }
  const decoded = await call("decode_json", code);
  // Either way, the code leaves the address bar: a reload then shows the saved answers.
  history.replaceState(null, "", window.location.pathname + window.location.search);
  if (!decoded.ok) {
    notice(`This share link could not be opened: ${decoded.error} Your own answers are unchanged.`);
    return;
  }
  await adoptAnswers(decoded.answers, "the link you opened");
};

// An exported file is a few kilobytes; anything far larger is not one.
const MAX_IMPORT_BYTES = 1_000_000;

$("pp-import").addEventListener("change", async (event) => {
  const file = event.target.files?.[0];
  event.target.value = "";
  if (!file) return;
  if (file.size > MAX_IMPORT_BYTES) {
    notice("That file is too large to be answers exported from this page. Nothing was changed.");
    return;
  }
  const imported = await call("import_json", await file.text());
  if (!imported.ok) {
    notice(`That file could not be used: ${imported.error} Your own answers are unchanged.`);
    return;
  }
  await adoptAnswers(imported.answers, "the file you loaded");
});

const showRestoreButton = () => {
  if ($("pp-restore")) return;
  const button = element("button", "Restore my answers");
  button.type = "button";
  button.className = "md-button";
  button.id = "pp-restore";
  button.addEventListener("click", () => {
    const previous = load(PREVIOUS_KEY);
    if (previous) fillForm(previous.answers, previous.perspective);
    save();
    notice("Your own answers are back.");
    button.remove();
  });
  $("pp-notice").after(button);
};

$("pp-copy").addEventListener("click", async () => {
  const field = $("pp-share-link");
  field.select();
  try {
    await navigator.clipboard.writeText(field.value);
    $("pp-announce").textContent = "Share link copied.";
  } catch {
    $("pp-announce").textContent = "Select the link and copy it with your keyboard.";
  }
});

/* ---- Exports ---------------------------------------------------------------------------- */

const download = (filename, type, text) => {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const anchor = link(filename, url);
  anchor.download = filename;
  document.body.append(anchor);
  anchor.click();
  anchor.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
};

$("pp-download-json").addEventListener("click", () => {
  if (latest) {
    const name = `partnership-assessment-${bankVersion}.json`;
    download(name, "application/json", JSON.stringify(latest.export, null, 2));
  }
});
$("pp-download-md").addEventListener("click", () => {
  if (latest) download("partnership-assessment.md", "text/markdown", latest.markdown);
});
$("pp-print").addEventListener("click", () => window.print());

/* ---- Start ------------------------------------------------------------------------------- */

restoreSaved();
updateProgress();
if (window.location.hash.startsWith(SHARE_PREFIX)) {
  openSharedLink(window.location.hash.slice(SHARE_PREFIX.length)).catch(() => notice("This share link could not be opened."));
}
