// @ts-check
/*
 * The compare page's UI: collects share codes, exported files and the reader's own answers,
 * lists them, asks the engine (main.py, through the bridge javascripts/engine.js) for the
 * team result and shows what the engine rendered. Reading the codes, combining them and every
 * word of the result come from Python (assessment/team_page.py); this file moves plain data.
 *
 * Saved in this browser only (localStorage, one key per site): the set of responses as share
 * codes, the side chosen here where a code said none, the local labels, and earlier checks.
 * Labels never leave this browser: they are not sent to the engine, nor put in links or files.
 *
 * Safety: text from the engine, storage, files or links is written with textContent, except
 * the result's HTML, which the engine rendered with every value escaped (the SVG charts too).
 */
import { ownAnswers } from "../javascripts/answers.js";
import { startEngine } from "../javascripts/engine.js";
import { base64Of, download } from "../javascripts/files.js";
import {
  $,
  SITE_URL,
  announce,
  clearFragment,
  fragmentAfter,
  kept,
  manifest,
  markStarted,
  reason,
  showHtml,
} from "../javascripts/page.js";

// The engine's limits (the bank's and exports.py's), from the build's manifest.
const MAX_FILE_BYTES = manifest.limits.answers_file_bytes;
const MAX_CODE_LENGTH = manifest.limits.code_length;
const MAX_ITEMS = manifest.limits.team_responses;
// Labels never leave this browser: the engine never sees them, so the page sets their length.
const MAX_LABEL = 60;

const form = /** @type {HTMLFormElement} */ ($("pp-compare-form"));
const codesBox = /** @type {HTMLTextAreaElement} */ ($("pp-codes"));
const filesInput = /** @type {HTMLInputElement} */ ($("pp-files"));
const resultSection = $("compare-result");

markStarted();

export const engine = startEngine();

/**
 * @typedef {{code: string, side: string | null, side_said: boolean, date: string | null,
 *   label?: string}} Item
 * @typedef {{number: number, text: string, error: string}} Refused
 * @typedef {{id: string, name: string}} Side
 */

/** @type {Item[]} */
let items = [];
/** @type {Item[][]} */
let earlier = [];
/** @type {Side[]} */
let sides = [];
/** @type {any} */
let latest = null;
/** Input numbers (1-based) the engine found to be the same response as an earlier one. */
/** @type {number[]} */
let duplicates = [];

/* ---- Messages ----------------------------------------------------------------------- */

/** Show the engine's message about what was read, and list each refused piece with why. */
const showRead = (/** @type {string} */ message, /** @type {Refused[]} */ refused = []) => {
  const box = $("pp-read-message");
  box.textContent = message;
  box.hidden = !message;
  const list = $("pp-refused");
  list.replaceChildren(
    ...refused.map((r) => {
      const li = document.createElement("li");
      li.textContent = `Input ${r.number} (${r.text}): ${r.error}`;
      return li;
    }),
  );
  list.hidden = refused.length === 0;
};

/* ---- Saving in this browser --------------------------------------------------------- */

/** A saved item, checked field by field; anything else is dropped. */
const checkedItem = (/** @type {any} */ raw) => {
  if (!raw || typeof raw !== "object" || typeof raw.code !== "string") return null;
  if (raw.code.length > MAX_CODE_LENGTH) return null;
  return /** @type {Item} */ ({
    code: raw.code,
    side: typeof raw.side === "string" ? raw.side : null,
    side_said: raw.side_said === true,
    date: typeof raw.date === "string" ? raw.date : null,
    label: typeof raw.label === "string" ? raw.label.slice(0, MAX_LABEL) : "",
  });
};

const checkedList = (/** @type {unknown} */ raw) =>
  Array.isArray(raw)
    ? raw.map(checkedItem).filter((x) => x !== null).slice(0, MAX_ITEMS)
    : [];

/** How many saved entries could not be read (a whole unreadable record counts as one). */
const unreadable = (/** @type {unknown} */ raw) => {
  if (raw === null) return 0;
  if (!Array.isArray(raw)) return 1;
  return raw.filter((entry) => checkedItem(entry) === null).length;
};

// The set of responses, and earlier checks (each a set), as saved; read as they are, and
// checked item by item at start (so what could not be read is counted and said).
const SAVED = kept("compare:set", (raw) => raw);
const EARLIER = kept("compare:earlier", (raw) => raw);

const save = () => {
  SAVED.write(items);
  EARLIER.write(earlier);
};

/** What the engine is sent for each item: the code and a side chosen here. Never the label. */
const forEngine = (/** @type {Item[]} */ list) =>
  list.map((item) => ({ code: item.code, side: item.side_said ? null : item.side }));

/* ---- The list of responses ---------------------------------------------------------- */

const sideChoice = (/** @type {Item} */ item, /** @type {number} */ index) => {
  const select = document.createElement("select");
  select.id = `pp-side-${index}`;
  select.setAttribute("aria-label", `Side of response ${index + 1}`);
  const none = new Option("Side not said", "");
  select.append(none, ...sides.map((side) => new Option(side.name, side.id)));
  select.value = item.side ?? "";
  select.addEventListener("change", () => {
    item.side = select.value || null;
    changed();
  });
  return select;
};

const renderList = () => {
  const rows = $("pp-response-rows");
  rows.replaceChildren(
    ...items.map((item, index) => {
      const row = document.createElement("tr");
      const number = document.createElement("td");
      number.textContent = String(index + 1);
      if (duplicates.includes(index + 1)) {
        const note = document.createElement("span");
        note.className = "pp-duplicate";
        note.textContent = " the same response as another: counted once";
        number.append(note);
      }
      const side = document.createElement("td");
      if (item.side_said) {
        side.textContent = sides.find((s) => s.id === item.side)?.name ?? item.side ?? "";
      } else {
        side.append(sideChoice(item, index));
      }
      const day = document.createElement("td");
      day.textContent = item.date ?? "not said";
      const labelCell = document.createElement("td");
      const label = document.createElement("input");
      label.type = "text";
      label.maxLength = MAX_LABEL;
      label.value = item.label ?? "";
      label.setAttribute("aria-label", `Label of response ${index + 1}`);
      label.addEventListener("input", () => {
        item.label = label.value.slice(0, MAX_LABEL);
        save();
      });
      labelCell.append(label);
      const removeCell = document.createElement("td");
      const remove = document.createElement("button");
      remove.type = "button";
      remove.className = "md-button";
      remove.textContent = "Remove";
      remove.setAttribute("aria-label", `Remove response ${index + 1}`);
      remove.addEventListener("click", () => {
        items.splice(index, 1);
        announce(`Response ${index + 1} removed.`);
        changed();
      });
      removeCell.append(remove);
      row.append(number, side, day, labelCell, removeCell);
      return row;
    }),
  );
  const count = items.length;
  $("pp-count").textContent =
    count === 0 ? "No responses yet." : `${count} response${count === 1 ? "" : "s"}.`;
  $("pp-response-table").hidden = count === 0;
  $("pp-clear").hidden = count === 0;
};

/** Add items read by the engine; beyond the limit, say so and keep the first ones. */
const addItems = (/** @type {Item[]} */ added) => {
  const room = MAX_ITEMS - items.length;
  items.push(...added.slice(0, Math.max(room, 0)).map((item) => ({ ...item, label: "" })));
  if (added.length > room) {
    const left = added.length - Math.max(room, 0);
    showRead(
      `Only ${MAX_ITEMS} responses can be combined at once: ` +
        `${left} ${left === 1 ? "was" : "were"} not added.`,
    );
  }
  return changed();
};

/* ---- Asking the engine -------------------------------------------------------------- */

/** Call the engine; an error it cannot answer becomes a message, not an exception. */
const ask = async (/** @type {string} */ fn, /** @type {unknown[]} */ ...args) => {
  try {
    return await engine.call(fn, ...args);
  } catch (error) {
    return { ok: false, error: `The engine did not answer (${reason(error)}).` };
  }
};

const showResult = async () => {
  if (items.length < 2) {
    latest = null;
    duplicates = [];
    $("pp-result-placeholder").hidden = false;
    $("pp-result-body").hidden = true;
    resultSection.dataset.state = "empty";
    renderList();
    await showOverTime();
    return;
  }
  const reply = await ask("team", forEngine(items), SITE_URL.href);
  if (!reply.ok) {
    showRead(reply.error);
    resultSection.dataset.state = "error";
    return;
  }
  latest = reply;
  duplicates = reply.duplicates;
  renderList();
  showHtml($("pp-team-view"), reply.html);
  $("pp-result-placeholder").hidden = true;
  $("pp-result-body").hidden = false;
  resultSection.dataset.state = "shown";
  announce(reply.announce);
  const link = await ask("set_link", forEngine(items));
  if (link.ok) {
    /** @type {HTMLInputElement} */ ($("pp-set-link")).value =
      new URL(`compare/${link.fragment}`, SITE_URL).href;
  }
  await showOverTime();
};

const showOverTime = async () => {
  $("pp-clear-earlier").hidden = earlier.length === 0;
  const view = $("pp-trend-view");
  if (earlier.length === 0 || items.length === 0) {
    view.replaceChildren();
    return;
  }
  const reply = await ask("over_time", [...earlier.map(forEngine), forEngine(items)]);
  const box = $("pp-earlier-message");
  if (!reply.ok) {
    box.textContent = reply.error;
    box.hidden = false;
    view.replaceChildren();
    return;
  }
  box.hidden = true;
  showHtml(view, reply.html);
};

/** The set changed: save it, list it, and show the new result. */
const changed = () => {
  save();
  renderList();
  return engine.ready.then(showResult, () => {});
};

/* ---- Adding responses --------------------------------------------------------------- */

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  const text = codesBox.value;
  if (!text.trim()) {
    showRead("Paste one or more share links or codes first.");
    codesBox.focus();
    return;
  }
  const reply = await ask("read_codes", text);
  if (!reply.ok) {
    showRead(reply.error);
    return;
  }
  showRead(reply.message, reply.refused);
  // The pasted text is kept only where a piece could not be read, to fix and add again.
  codesBox.value = reply.refused.map((/** @type {Refused} */ r) => r.text).join("\n");
  await addItems(reply.items);
  if (resultSection.dataset.state === "shown") resultSection.focus();
});

filesInput.addEventListener("change", async () => {
  /** @type {Item[]} */
  const added = [];
  /** @type {Refused[]} */
  const refused = [];
  let number = 0;
  for (const file of filesInput.files ?? []) {
    number += 1;
    if (file.size > MAX_FILE_BYTES) {
      refused.push({ number, text: file.name, error: "larger than 1 MB: not an exported answers file." });
      continue;
    }
    const reply = await ask("read_file", file.name, await base64Of(file));
    if (reply.ok) added.push(reply.item);
    else refused.push({ number, text: file.name, error: reply.error });
  }
  filesInput.value = "";
  showRead(`${added.length} file${added.length === 1 ? "" : "s"} added.`, refused);
  addItems(added);
});

$("pp-add-mine").addEventListener("click", async () => {
  const reply = await ask("mine", ownAnswers().read().value);
  if (!reply.ok) {
    showRead(reply.error);
    return;
  }
  showRead("Your own current answers were added.");
  addItems([reply.item]);
});

$("pp-clear").addEventListener("click", () => {
  items = [];
  showRead("");
  announce("All responses removed.");
  changed();
});

$("pp-add-earlier").addEventListener("click", async () => {
  const box = /** @type {HTMLTextAreaElement} */ ($("pp-earlier-codes"));
  const reply = await ask("read_codes", box.value);
  const message = $("pp-earlier-message");
  if (!reply.ok || reply.items.length === 0) {
    message.textContent = reply.ok ? "Paste the codes of an earlier check first." : reply.error;
    message.hidden = false;
    return;
  }
  // Kept only if over time can use it (it needs the day each response was given): checked as
  // the series it will be part of (with no current set yet, against itself).
  const series = [...earlier, reply.items, items.length ? items : reply.items];
  const check = await ask("over_time", series.map(forEngine));
  if (!check.ok) {
    message.textContent = `That earlier check was not added: ${check.error}`;
    message.hidden = false;
    return;
  }
  earlier.push(reply.items);
  box.value = "";
  message.textContent = reply.message;
  message.hidden = false;
  save();
  await showOverTime();
});

$("pp-clear-earlier").addEventListener("click", async () => {
  earlier = [];
  save();
  await showOverTime();
});

/* ---- Downloads and print ------------------------------------------------------------ */

$("pp-download-json").addEventListener("click", () => {
  if (latest) download("team-report.json", "application/json", JSON.stringify(latest.result, null, 2));
});
$("pp-download-md").addEventListener("click", () => {
  if (latest) download("team-report.md", "text/markdown", latest.markdown);
});
$("pp-download-agenda").addEventListener("click", () => {
  if (latest) download("workshop-agenda.md", "text/markdown", latest.agenda);
});
$("pp-print").addEventListener("click", () => window.print());

/* ---- A link that reopens a set ------------------------------------------------------ */

const openFragment = async () => {
  const set = fragmentAfter(manifest.fragments.set);
  if (set === null) return;
  // The link's codes are read once, then taken out of the address bar.
  clearFragment();
  const reply = await ask("open_set", manifest.fragments.set + set);
  if (!reply.ok) {
    showRead(reply.error);
    return;
  }
  const same =
    items.length === reply.items.length &&
    items.every((item, i) => item.code === reply.items[i].code);
  if (items.length && !same) {
    const replace = window.confirm(
      `This link holds ${reply.items.length} responses. Replace the ${items.length} saved ` +
        "in this browser with them? (Cancel adds them to the saved ones.)",
    );
    if (replace) items = [];
  }
  if (!same) {
    const labels = new Map(items.map((item) => [item.code, item.label]));
    const known = new Set(items.map((item) => item.code));
    addItems(reply.items.filter((/** @type {Item} */ item) => !known.has(item.code)));
    for (const item of items) item.label = labels.get(item.code) ?? item.label;
  }
  showRead(reply.message, reply.refused);
};

/* ---- Start ------------------------------------------------------------------------- */

const savedSet = SAVED.read();
items = checkedList(savedSet.value);
const savedEarlier = EARLIER.read();
earlier = Array.isArray(savedEarlier.value)
  ? /** @type {unknown[]} */ (savedEarlier.value).map(checkedList).filter((g) => g.length)
  : [];
const lostFromSet = savedSet.unreadable ? 1 : unreadable(savedSet.value);
const lostEarlier =
  savedEarlier.unreadable || !(Array.isArray(savedEarlier.value) || savedEarlier.value === null)
    ? 1
    : 0;
if (lostFromSet + lostEarlier) {
  // Dropped, and said so; only the record that held them is rewritten, the rest (and the
  // assessment page's answers) are left exactly as they were.
  showRead(
    `Responses saved earlier in this browser could not be read ` +
      `(${lostFromSet + lostEarlier} left out); the others are kept.`,
  );
  if (lostFromSet) SAVED.write(items);
  if (lostEarlier) EARLIER.write(earlier);
}
renderList();
engine.ready.then(
  async () => {
    const reply = await ask("sides");
    if (reply.ok) sides = reply.sides;
    await openFragment();
    renderList();
    await showResult();
  },
  () => {},
);
window.addEventListener("hashchange", () => {
  engine.ready.then(openFragment, () => {});
});
