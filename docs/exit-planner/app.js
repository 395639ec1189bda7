// @ts-check
/*
 * The exit planner page's UI: reads the form, asks the engine (main.py, through the bridge
 * javascripts/engine.js), shows what the engine rendered. The dates, the steps and every word
 * of the plan come from Python (assessment/exit_plan.py); the form itself is rendered at build
 * time from the engine's table of fields (assessment/exit_form.py, macros/planner.py), and this
 * file reads its names and marks from the page. It moves plain strings.
 *
 * Saved in this browser (localStorage, one key per site): the form's fields, each with the time
 * it last changed, so two tabs merge field by field (javascripts/merge.js); and the calendar's
 * plan id, version and events, so a calendar imported again updates its events in place.
 * Nothing is sent anywhere.
 *
 * Safety: text from the engine or from storage is written with textContent, except the plan's
 * HTML, which the engine rendered with every value escaped.
 */
import { latestRequest, startEngine } from "../javascripts/engine.js";
import { download } from "../javascripts/files.js";
import { PLANNER_FORM, keptCalendar, keptForm, localToday } from "../javascripts/form.js";
import {
  $,
  SITE_URL,
  announce,
  manifest,
  markStarted,
  sayIfUnsaved,
  showHtml,
} from "../javascripts/page.js";

const form = /** @type {HTMLFormElement} */ ($("pp-exit-form"));
// The page's own notices (#pp-notice is the notice period's field here).
const NOTICE = "pp-planner-notice";
const resultSection = $("exit-plan");
// What the engine reads for a date the browser could not read (the form says, from the engine).
const UNREADABLE_DATE = form.dataset.unreadableDate ?? "";
// The form's cases and its other fields, as the build rendered them from the engine's table.
const CASES = [...form.querySelectorAll('input[name="case"]')].map(
  (input) => /** @type {HTMLInputElement} */ (input).value,
);
const FIELDS = [...form.querySelectorAll("input:not([type=radio]), select")].map(
  (input) => /** @type {HTMLInputElement | HTMLSelectElement} */ (input).name,
);
// What the calendar file holds: radios of the form, outside it beside the download button.
const CALENDAR_CHOICES = [...document.querySelectorAll('input[name="calendar"]')].map(
  (input) => /** @type {HTMLInputElement} */ (input).value,
);
// A saved value longer than this is not something this page wrote.
const MAX_SAVED_LENGTH = 500;

markStarted();

export const engine = startEngine();

/** @typedef {import("../javascripts/form.js").FormValues} FormValues */
/**
 * @typedef {{
 *   ok: true, plan: any, html: string, announce: string, markdown: string,
 * }} PlanReply
 * @typedef {{ok: false, field: string, error: string}} ErrorReply
 */

/* ---- The form ----------------------------------------------------------------------- */

/** The form's input or select named `name` (not the radios), or null. */
const field = (/** @type {string} */ name) => {
  const element = form.elements.namedItem(name);
  return element instanceof HTMLInputElement || element instanceof HTMLSelectElement
    ? element
    : null;
};

/** What the calendar file is to hold (the engine's choices, from the page). */
const chosenCalendar = () => {
  const checked = document.querySelector('input[name="calendar"]:checked');
  return checked instanceof HTMLInputElement && CALENDAR_CHOICES.includes(checked.value)
    ? checked.value
    : CALENDAR_CHOICES[0];
};

const chosenCase = () => {
  const checked = form.querySelector('input[name="case"]:checked');
  return checked instanceof HTMLInputElement && CASES.includes(checked.value)
    ? checked.value
    : CASES[0];
};

/** The form as the raw strings the engine reads (exit_form.plan_inputs). */
export const readForm = () => {
  /** @type {FormValues} */
  const values = { case: chosenCase() };
  for (const name of FIELDS) {
    const input = field(name);
    // A date the browser cannot read (2027-02-30) reaches the page as an empty value: tell the
    // engine, which then does not call it missing.
    values[name] = input?.validity.badInput ? UNREADABLE_DATE : (input?.value ?? "");
  }
  return values;
};

/** The form as it is saved: its values, and what the calendar file is to hold. */
const savedValues = () => ({ ...readForm(), calendar: chosenCalendar() });

/** The values the engine is asked with: an empty "plan as of" means today, here. */
const requestValues = () => {
  const values = readForm();
  if (!values.today) values.today = localToday();
  return values;
};

/** Show only the fields of the chosen case (all are shown until this script runs). */
const showCaseFields = () => {
  const current = chosenCase();
  for (const element of form.querySelectorAll("[data-cases]")) {
    if (element instanceof HTMLElement) {
      element.hidden = !(element.dataset.cases ?? "").split(" ").includes(current);
    }
  }
};

/** Put `values` into the form (each checked); the others stay as they are. */
const fillForm = (/** @type {Record<string, string>} */ values) => {
  if (CASES.includes(values.case)) {
    const radio = form.querySelector(`input[name="case"][value="${CSS.escape(values.case)}"]`);
    if (radio instanceof HTMLInputElement) radio.checked = true;
  }
  for (const name of FIELDS) {
    const value = values[name];
    const input = field(name);
    if (input && typeof value === "string" && value.length <= MAX_SAVED_LENGTH) {
      // The browser keeps an unreadable date's text to itself: never overwrite what is typed.
      if (value !== UNREADABLE_DATE && input.value !== value) input.value = value;
    }
  }
  if (CALENDAR_CHOICES.includes(values.calendar)) {
    const radio = document.querySelector(
      `input[name="calendar"][value="${CSS.escape(values.calendar)}"]`,
    );
    if (radio instanceof HTMLInputElement) radio.checked = true;
  }
  showCaseFields();
};

/* ---- Saving in this browser --------------------------------------------------------- */

// The form's fields, each with the time it last changed (two tabs merge them field by field).
const SAVED = keptForm({
  key: PLANNER_FORM,
  names: ["case", "calendar", ...FIELDS],
  max: MAX_SAVED_LENGTH,
  read: savedValues,
  fill: fillForm,
  unreadable: UNREADABLE_DATE,
  unsaved:
    "This browser did not save what you entered (its storage is full or blocked). It stays " +
    "on this page until you leave it: download the plan before you go.",
  noticeId: NOTICE,
});
const CALENDAR = keptCalendar("exit-planner:calendar", manifest.calendar_ids.plan);

/** Put saved values back into the form; returns whether anything was restored. */
const restore = () =>
  Object.entries(SAVED.restore() ?? {}).some(
    ([name, value]) => value !== "" && !["case", "margin", "calendar"].includes(name),
  );

/* ---- Messages ----------------------------------------------------------------------- */

const clearError = () => {
  const box = $("pp-form-error");
  box.textContent = "";
  box.hidden = true;
  for (const input of form.querySelectorAll('[aria-invalid="true"]')) {
    input.removeAttribute("aria-invalid");
  }
};

const showError = (/** @type {string} */ text, /** @type {string} */ name, focus = true) => {
  const box = $("pp-form-error");
  box.textContent = text;
  box.hidden = false;
  const input = name === "case" ? form.querySelector('input[name="case"]:checked') : field(name);
  if (input instanceof HTMLInputElement) {
    input.setAttribute("aria-invalid", "true");
    if (focus) input.focus();
  }
};

/* ---- Making the plan ---------------------------------------------------------------- */

/** @type {PlanReply | null} */
let latest = null;

/** Hide the plan shown: it was made for values that are gone. */
const clearPlan = () => {
  latest = null;
  $("pp-plan-view").replaceChildren();
  $("pp-plan-body").hidden = true;
  $("pp-plan-placeholder").hidden = false;
  resultSection.dataset.state = "empty";
};

/** The plan's request: a reply that comes after the form was cleared is dropped. */
const planRequest = latestRequest(
  engine,
  "The planner is still loading; the plan appears as soon as it is ready.",
);

/** Ask the engine for the plan of the current form and show it (or the field at fault). */
export const makePlan = async ({ focus = true } = {}) => {
  clearError();
  const asked = await planRequest.send("plan", requestValues(), SITE_URL.href, manifest.site_name);
  if (!asked) return null;
  if ("failed" in asked) {
    showError(`The plan could not be made: ${asked.failed}`, "", focus);
    return null;
  }
  /** @type {PlanReply | ErrorReply} */
  const reply = asked.reply;
  if (!reply.ok) {
    showError(reply.error, reply.field, focus);
    // The plan shown before was for other values: it goes, and so do its downloads.
    clearPlan();
    resultSection.dataset.state = "error";
    return reply;
  }
  latest = reply;
  showHtml($("pp-plan-view"), reply.html);
  $("pp-plan-placeholder").hidden = true;
  $("pp-plan-body").hidden = false;
  resultSection.dataset.state = "shown";
  announce(reply.announce);
  return reply;
};

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  const reply = await makePlan();
  if (reply?.ok) resultSection.focus();
});
form.addEventListener("change", () => {
  showCaseFields();
  SAVED.save();
});
form.addEventListener("input", SAVED.save);
// The calendar's radios belong to the form (their form attribute) but sit beside the download.
for (const radio of document.querySelectorAll('input[name="calendar"]')) {
  radio.addEventListener("change", SAVED.save);
}

// Clearing asks first: the dates may have taken a while to find in the agreement.
$("pp-clear").addEventListener("click", () => {
  if (!window.confirm("Clear the form? This removes the dates and periods entered here.")) return;
  form.reset();
  // Cleared values are changes like any other: another tab follows them.
  SAVED.save();
  // A new plan: its calendar gets new events, never updates of the old plan's.
  CALENDAR.remove();
  clearError();
  planRequest.drop();
  clearPlan();
  showCaseFields();
  announce("The form was cleared.");
});

/* ---- Downloads and print ------------------------------------------------------------ */

$("pp-download-md").addEventListener("click", () => {
  if (latest) download("exit-plan.md", "text/markdown", latest.markdown);
});

$("pp-download-ics").addEventListener("click", async () => {
  if (!latest) return;
  // The plan's calendar as a new version of the last one downloaded here: its events keep
  // their identity, so a calendar program imports it as updates, and drops removed steps.
  const reply = await engine.ask(
    "calendar", requestValues(), SITE_URL.href, CALENDAR.current(), manifest.site_name,
    chosenCalendar(),
  );
  if (!reply.ok) {
    showError(reply.error, reply.field);
    return;
  }
  if (!CALENDAR.write(reply.kept)) SAVED.failed();
  download("exit-plan.ics", "text/calendar", reply.ics);
});
$("pp-print").addEventListener("click", () => window.print());

/* ---- Start ------------------------------------------------------------------------- */

const hadSaved = restore();
sayIfUnsaved(NOTICE);
showCaseFields();
// A returning visitor sees their plan again as soon as the planner is ready.
// Its errors are shown without moving the focus: the reader has not asked for anything yet.
if (hadSaved) engine.ready.then(() => makePlan({ focus: false }), () => {});
