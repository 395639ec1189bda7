// @ts-check
/*
 * The decision page's UI: reads the form, asks the engine (main.py, through the bridge
 * javascripts/engine.js), shows what the engine computed and rendered. The suggestion, every
 * date, the memo, the calendar and the decision file come from Python
 * (assessment/decision.py); the form is rendered at build time from the engine's table
 * (macros/decision.py) and read back here by its names. This file moves plain strings.
 *
 * Saved in this browser (localStorage, one key per site):
 *   decision:form         the form's fields, each with the time it last changed, so two tabs
 *                         merge field by field (javascripts/merge.js);
 *   decision:calendar     the decision's random id, the calendar's version and its events, so
 *                         a calendar imported again updates its events in place;
 *   decision:before-open  the fields as they were before a decision file replaced them (undo).
 * Read, never written: the assessment's answers and kept results (the latest health result)
 * and the exit planner's form (the agreement's dates). Nothing is sent anywhere.
 *
 * Safety: text from the engine, storage or a file is written with textContent, except the
 * memo's HTML, which the engine rendered with every value escaped.
 */
import { keptCodes, keptResults, ownAnswers } from "../../javascripts/answers.js";
import { latestRequest, startEngine } from "../../javascripts/engine.js";
import { base64Of, download } from "../../javascripts/files.js";
import {
  PLANNER_FORM,
  checkFields,
  keptCalendar,
  keptForm,
  localToday,
} from "../../javascripts/form.js";
import {
  $,
  SITE_URL,
  announce,
  kept,
  manifest,
  markStarted,
  notice,
  sayIfUnsaved,
  showHtml,
} from "../../javascripts/page.js";

const form = /** @type {HTMLFormElement} */ ($("pp-decision-form"));
const memoSection = $("decision-memo");
// What the engine reads for a date the browser could not read (the form says, from the engine).
const UNREADABLE_DATE = form.dataset.unreadableDate ?? "";
// The agreement's fields are the exit planner's, each name with this prefix (decision.py).
const AGREEMENT = "agreement_";
// Every field the build rendered: inputs, selects and text areas by name, radio groups once.
const FIELDS = [
  ...new Set(
    [...form.querySelectorAll("input, select, textarea")].map(
      (element) => /** @type {HTMLInputElement} */ (element).name,
    ),
  ),
].filter(Boolean);
const RADIO_GROUPS = new Set(
  [...form.querySelectorAll('input[type="radio"]')].map(
    (element) => /** @type {HTMLInputElement} */ (element).name,
  ),
);
// A saved value longer than this is not something this page wrote.
const MAX_SAVED_LENGTH = 5000;
// A decision file is a few kilobytes: the engine's own limit is larger, and checked there.
const MAX_FILE_BYTES = 256_000;

markStarted();

export const engine = startEngine();

/** @typedef {import("../../javascripts/form.js").FormValues} FormValues */
/** @typedef {{field: string, text: string}} Problem */
/**
 * @typedef {{
 *   ok: true, problems: Problem[], warnings: Problem[], decision?: any, html?: string,
 *   markdown?: string, announce: string,
 * }} DecideReply
 */

/* ---- The form ----------------------------------------------------------------------- */

/** The control named `name` (not a radio group), or null. */
const control = (/** @type {string} */ name) => {
  const element = form.elements.namedItem(name);
  return element instanceof HTMLInputElement ||
    element instanceof HTMLSelectElement ||
    element instanceof HTMLTextAreaElement
    ? element
    : null;
};

/** The element id the build gave a field: "pp-" and its name with dashes. */
const idOf = (/** @type {string} */ name) => `pp-${name.replaceAll("_", "-")}`;

/** The form as the raw strings the engine reads (decision.read_decision). */
export const readForm = () => {
  /** @type {FormValues} */
  const values = {};
  for (const name of FIELDS) {
    if (RADIO_GROUPS.has(name)) {
      const checked = form.querySelector(`input[name="${CSS.escape(name)}"]:checked`);
      values[name] = checked instanceof HTMLInputElement ? checked.value : "";
      continue;
    }
    const input = control(name);
    // A date the browser cannot read (2027-02-30) reaches the page as an empty value: tell the
    // engine, which then does not call it missing.
    const bad = input instanceof HTMLInputElement && input.validity.badInput;
    values[name] = bad ? UNREADABLE_DATE : (input?.value ?? "");
  }
  return values;
};

/** Show only the agreement fields of the case chosen (all are shown until this script runs). */
const showCaseFields = () => {
  const chosen = readForm()[`${AGREEMENT}case`] || "renews";
  for (const element of form.querySelectorAll("[data-cases]")) {
    if (element instanceof HTMLElement) {
      element.hidden = !(element.dataset.cases ?? "").split(" ").includes(chosen);
    }
  }
};

/** Put `values` into the form (each checked); the fields not in it stay as they are. */
const fillForm = (/** @type {Record<string, string>} */ values) => {
  for (const name of FIELDS) {
    const value = values[name];
    if (typeof value !== "string" || value.length > MAX_SAVED_LENGTH) continue;
    if (RADIO_GROUPS.has(name)) {
      const radio = form.querySelector(
        `input[name="${CSS.escape(name)}"][value="${CSS.escape(value)}"]`,
      );
      if (radio instanceof HTMLInputElement) radio.checked = true;
      continue;
    }
    const input = control(name);
    // The browser keeps an unreadable date's text to itself: never overwrite what is typed.
    if (input && value !== UNREADABLE_DATE && input.value !== value) input.value = value;
  }
  showCaseFields();
};

/* ---- Saving in this browser --------------------------------------------------------- */

// The form's fields, each with the time it last changed (two tabs merge them field by field).
const SAVED = keptForm({
  key: "decision:form",
  names: FIELDS,
  max: MAX_SAVED_LENGTH,
  read: readForm,
  fill: fillForm,
  unreadable: UNREADABLE_DATE,
  unsaved:
    "This browser did not save what you entered (its storage is full or blocked). It stays on " +
    "this page until you leave it: save the decision file before you go.",
});
// The fields as they were before a decision file replaced them (undo).
const BEFORE_OPEN = kept("decision:before-open", (/** @type {any} */ raw) =>
  checkFields(raw, FIELDS, MAX_SAVED_LENGTH),
);
// The key of the decision's id, in its kept calendar and in the decision file alike.
const DECISION_ID = manifest.calendar_ids.decision;
const CALENDAR = keptCalendar("decision:calendar", DECISION_ID);
// Written by the other pages: read here, never written.
const PLANNER = kept(PLANNER_FORM, (/** @type {any} */ raw) =>
  raw && typeof raw === "object" ? raw : undefined,
);
const HISTORY = keptResults();
const ANSWERS = ownAnswers();

/** Put the saved decision back into the form; returns whether anything was restored. */
const restore = () => Object.values(SAVED.restore() ?? {}).some((value) => value !== "");

/**
 * Fill the agreement's fields from the exit planner's saved form, where this decision has none
 * of its own yet (a field typed here is never replaced). Returns whether any was filled.
 */
const fillFromPlanner = () => {
  const saved = PLANNER.read().value;
  if (!saved) return false;
  const plain = !(saved.values && typeof saved.values === "object");
  const values = plain ? saved : saved.values;
  const times = plain ? {} : (saved.at ?? {});
  /** @type {Record<string, string>} */
  const found = {};
  const fields = SAVED.fields();
  for (const [name, value] of Object.entries(values)) {
    const mine = `${AGREEMENT}${name}`;
    if (!FIELDS.includes(mine) || typeof value !== "string" || value.length > MAX_SAVED_LENGTH) {
      continue;
    }
    if (Object.hasOwn(fields.values, mine) && fields.values[mine] !== "") continue;
    if (value === "" || value === UNREADABLE_DATE) continue;
    found[mine] = value;
    fields.values[mine] = value;
    fields.at[mine] = Number.isFinite(times[name]) ? times[name] : 0;
  }
  if (!Object.keys(found).length) return false;
  fillForm(found);
  return true;
};

/** Fill the health result from the latest kept result (or the saved answers), if empty. */
const fillHealth = async () => {
  const input = control("health_code");
  if (!input || input.value.trim()) return false;
  const reply = await engine.call(
    "latest_health",
    keptCodes(HISTORY.read().value),
    ANSWERS.read().value,
    localToday(),
  );
  if (!reply.ok || !reply.code || input.value.trim()) return false;
  input.value = reply.code;
  const source = $("pp-health-source");
  source.textContent = `Filled in from ${reply.source}.`;
  source.hidden = false;
  SAVED.save();
  return true;
};

/* ---- Messages beside the fields ------------------------------------------------------ */

const clearMessages = () => {
  for (const element of form.querySelectorAll(".pp-field-error")) {
    if (element instanceof HTMLElement) {
      element.textContent = "";
      element.hidden = true;
      delete element.dataset.kind;
    }
  }
  for (const input of form.querySelectorAll('[aria-invalid="true"]')) {
    input.removeAttribute("aria-invalid");
  }
};

/** Say `text` beside the field `name`: an error marks the field, a warning only informs. */
const say = (/** @type {Problem} */ problem, kind = "error") => {
  const box = document.getElementById(`${idOf(problem.field)}-error`);
  if (!box) {
    notice(problem.text);
    return null;
  }
  box.textContent = problem.text;
  box.dataset.kind = kind;
  box.hidden = false;
  const target = RADIO_GROUPS.has(problem.field)
    ? form.querySelector(`input[name="${CSS.escape(problem.field)}"]:checked`)
    : control(problem.field);
  if (kind === "error" && target instanceof HTMLElement) {
    target.setAttribute("aria-invalid", "true");
  }
  return target instanceof HTMLElement ? target : box;
};

/* ---- The memo ---------------------------------------------------------------------- */

/** @type {DecideReply | null} */
let latest = null;

const clearMemo = () => {
  latest = null;
  $("pp-memo-view").replaceChildren();
  $("pp-memo-body").hidden = true;
  $("pp-memo-placeholder").hidden = false;
  memoSection.dataset.state = "empty";
  delete memoSection.dataset.decision;
};

/** The suggestion, its reasons and the decide-by date, beside the choice (as text). */
const showSuggestion = (/** @type {any} */ decision) => {
  const box = $("pp-suggestion");
  const heading = document.createElement("p");
  const strong = document.createElement("strong");
  strong.textContent = `The engine suggests: ${decision.suggestion_label}.`;
  heading.append(strong);
  if (decision.decide_by) heading.append(` Decide by ${decision.decide_by}.`);
  const list = document.createElement("ul");
  for (const text of decision.reasons) {
    const item = document.createElement("li");
    item.textContent = text;
    list.append(item);
  }
  box.replaceChildren(heading, list);
};

/** The memo's request: a reply that comes after the form was cleared is dropped. */
const memoRequest = latestRequest(
  engine,
  "The decision page is still loading; the memo appears as soon as it is ready.",
);

/** Ask the engine for the decision of the current form and show it (or what to fix). */
export const makeMemo = async ({ focus = true } = {}) => {
  clearMessages();
  const asked = await memoRequest.send("decide", readForm(), localToday(), SITE_URL.href,
    manifest.site_name);
  if (!asked) return null;
  if ("failed" in asked) {
    notice(`The memo could not be made: ${asked.failed}`);
    return null;
  }
  const { reply } = asked;
  if (!reply.ok) {
    const target = say({ field: reply.field || "", text: reply.error });
    if (focus) target?.focus();
    return reply;
  }
  if (reply.problems.length) {
    const targets = reply.problems.map((/** @type {Problem} */ problem) => say(problem));
    // The memo shown before was for other values: it goes, and so do its downloads.
    clearMemo();
    memoSection.dataset.state = "error";
    announce(reply.announce);
    if (focus) targets.find(Boolean)?.focus();
    return reply;
  }
  for (const warning of reply.warnings) say(warning, "warning");
  latest = reply;
  showHtml($("pp-memo-view"), reply.html ?? "");
  showSuggestion(reply.decision);
  $("pp-memo-placeholder").hidden = true;
  $("pp-memo-body").hidden = false;
  memoSection.dataset.state = "shown";
  memoSection.dataset.decision = JSON.stringify(reply.decision);
  announce(reply.announce);
  return reply;
};

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  const reply = await makeMemo();
  if (reply?.ok && !reply.problems.length) memoSection.focus();
});
form.addEventListener("change", () => {
  showCaseFields();
  SAVED.save();
});
form.addEventListener("input", SAVED.save);

// Clearing asks first: a decision takes a while to write down.
$("pp-clear").addEventListener("click", () => {
  if (!window.confirm("Clear the form? This removes everything entered on this page.")) return;
  form.reset();
  // Cleared values are changes like any other: another tab follows them.
  SAVED.save();
  // A new decision: its calendar gets new events, never updates of the old decision's.
  CALENDAR.remove();
  clearMessages();
  memoRequest.drop();
  clearMemo();
  showCaseFields();
  announce("The form was cleared.");
});

/* ---- Files out, and a decision file back in ----------------------------------------- */

$("pp-print").addEventListener("click", () => window.print());

$("pp-download-md").addEventListener("click", () => {
  if (latest?.markdown) download("decision-memo.md", "text/markdown", latest.markdown);
});

$("pp-download-ics").addEventListener("click", async () => {
  if (!latest) return;
  const record = CALENDAR.current();
  const reply = await engine.ask("calendar", readForm(), localToday(), record, manifest.site_name);
  if (!reply.ok) {
    notice(reply.error);
    return;
  }
  if (!CALENDAR.write(reply.kept)) SAVED.failed();
  download("decision-dates.ics", "text/calendar", reply.ics);
});

$("pp-download-json").addEventListener("click", async () => {
  const record = CALENDAR.current();
  // The file carries the decision's id: opened elsewhere, its calendar updates the same events.
  if (!CALENDAR.read().value && !CALENDAR.write({ ...record, sequence: 0 })) SAVED.failed();
  const sequence = Math.max(record.sequence, 0);
  const reply = await engine.ask("export", readForm(), record[DECISION_ID], sequence);
  if (!reply.ok) {
    notice(reply.error);
    return;
  }
  download("decision.json", "application/json", reply.text);
});

$("pp-open-file").addEventListener("change", async (event) => {
  const input = /** @type {HTMLInputElement} */ (event.target);
  const file = input.files?.[0];
  input.value = "";
  if (!file) return;
  if (file.size > MAX_FILE_BYTES) {
    notice(`That file is ${file.size.toLocaleString()} bytes: too large to be a decision file.`);
    return;
  }
  const reply = await engine.ask("open_file", await base64Of(file));
  if (!reply.ok) {
    notice(`That file could not be opened: ${reply.error}`);
    return;
  }
  const message = "Replace what is on this page with the decision in this file? You can undo it.";
  if (!window.confirm(message)) return;
  // What was here is kept until the next file replaces it, so the replacement can be undone.
  if (!BEFORE_OPEN.write({ values: readForm(), at: SAVED.fields().at })) SAVED.failed();
  /** @type {Record<string, string>} */
  const values = {};
  for (const name of FIELDS) values[name] = reply.values[name] ?? "";
  form.reset();
  fillForm(values);
  SAVED.replace(values);
  if (reply[DECISION_ID] && !CALENDAR.write({
    [DECISION_ID]: reply[DECISION_ID], sequence: reply.sequence, events: {},
  })) SAVED.failed();  // prettier-ignore
  $("pp-undo-open").hidden = false;
  notice("");
  announce("The decision file was opened.");
  await makeMemo({ focus: false });
});

$("pp-undo-open").addEventListener("click", async () => {
  const before = BEFORE_OPEN.read().value;
  if (!before) return;
  form.reset();
  fillForm(before.values);
  SAVED.replace(Object.fromEntries(FIELDS.map((name) => [name, before.values[name] ?? ""])));
  BEFORE_OPEN.remove();
  $("pp-undo-open").hidden = true;
  announce("What was here before the file is back.");
  await makeMemo({ focus: false });
});

/* ---- Start ------------------------------------------------------------------------- */

const hadSaved = restore();
sayIfUnsaved();
const fromPlanner = fillFromPlanner();
if (fromPlanner) SAVED.write();
showCaseFields();
$("pp-undo-open").hidden = !BEFORE_OPEN.read().value;
// Once ready: the latest health result filled in where none is, then the memo, unasked (its
// problems shown without moving the focus: the reader has not asked for anything yet).
engine.ready.then(
  async () => {
    const health = await fillHealth().catch(() => false);
    if (hadSaved || fromPlanner || health) await makeMemo({ focus: false });
  },
  () => {},
);
