// @ts-check
/*
 * The exit planner page's UI: reads the form, asks the engine (main.py, through the bridge
 * javascripts/engine.js), shows what the engine rendered. The dates, the steps and every word
 * of the plan come from Python (assessment/exit_plan.py); this file moves plain strings.
 *
 * Saved in this browser (localStorage, one key per site): the form's values, so a reload or a
 * later visit finds them. Nothing is sent anywhere.
 *
 * Safety: text from the engine or from storage is written with textContent, except the plan's
 * HTML, which the engine rendered with every value escaped.
 */
import { startEngine } from "../javascripts/engine.js";
import { download } from "../javascripts/files.js";
import {
  $,
  SITE_URL,
  announce,
  kept,
  markStarted,
  notice,
  reason,
  showHtml,
  storageWorks,
} from "../javascripts/page.js";

const CASES = ["renews", "notice_given", "concern_sent"];
const TEXT_FIELDS = [
  "renews", "notice_given", "concern_sent", "notice", "cure", "term", "margin", "today",
];
// A saved value longer than this is not something this page wrote.
const MAX_SAVED_LENGTH = 100;
// The form's values, as the page saved them (each is checked as it is put back).
const SAVED = kept("exit-planner:form", (raw) =>
  raw && typeof raw === "object" && !Array.isArray(raw) ? /** @type {Record<string, unknown>} */ (raw) : undefined,
);

const form = /** @type {HTMLFormElement} */ ($("pp-exit-form"));
const resultSection = $("exit-plan");

markStarted();

export const engine = startEngine();

/** @typedef {Record<string, string>} FormValues */
/**
 * @typedef {{
 *   ok: true, plan: any, html: string, announce: string, markdown: string, ics: string,
 * }} PlanReply
 */
/** @typedef {{ok: false, field: string, error: string}} ErrorReply */

/* ---- The form ----------------------------------------------------------------------- */

/** The form's input named `name` (not the case radios), or null. */
const field = (/** @type {string} */ name) => {
  const element = form.elements.namedItem(name);
  return element instanceof HTMLInputElement ? element : null;
};

const chosenCase = () => {
  const checked = form.querySelector('input[name="case"]:checked');
  return checked instanceof HTMLInputElement && CASES.includes(checked.value)
    ? checked.value
    : "renews";
};

/** Today's date in this browser's time zone, as YYYY-MM-DD. */
const localToday = () => {
  const now = new Date();
  const pad = (/** @type {number} */ n) => String(n).padStart(2, "0");
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
};

/** The form as the raw strings the engine reads (plan_from_form). */
export const readForm = () => {
  /** @type {FormValues} */
  const values = { case: chosenCase() };
  for (const name of TEXT_FIELDS) {
    const input = field(name);
    // A date the browser cannot read (2027-02-30) reaches the page as an empty value: tell the
    // engine (exit_plan.UNREADABLE_DATE), which then does not call it missing.
    values[name] = input?.validity.badInput ? "unreadable date" : (input?.value ?? "");
  }
  return values;
};

/** The values the engine is asked with: an empty "plan as of" means today, here. */
const requestValues = () => {
  const values = readForm();
  if (!values.today) values.today = localToday();
  return values;
};

/** Show only the fields of the chosen case (all are shown until this script runs). */
const showCaseFields = () => {
  const current = chosenCase();
  for (const element of form.querySelectorAll("[data-case]")) {
    if (element instanceof HTMLElement) element.hidden = element.dataset.case !== current;
  }
};

/* ---- Saving in this browser --------------------------------------------------------- */

const save = () => {
  // Storage off or full: the page still works, it just forgets on reload.
  SAVED.write(readForm());
};

/** Put saved values back into the form, each checked; returns whether anything was restored. */
const restore = () => {
  const saved = SAVED.read().value;
  if (!saved) return false;
  if (typeof saved.case === "string" && CASES.includes(saved.case)) {
    const radio = form.querySelector(`input[name="case"][value="${saved.case}"]`);
    if (radio instanceof HTMLInputElement) radio.checked = true;
  }
  let restored = false;
  for (const name of TEXT_FIELDS) {
    const value = saved[name];
    const input = field(name);
    if (input && typeof value === "string" && value.length <= MAX_SAVED_LENGTH) {
      input.value = value;
      restored ||= value !== "" && name !== "margin";
    }
  }
  return restored;
};

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

/** Ask the engine for the plan of the current form and show it (or the field at fault). */
export const makePlan = async ({ focus = true } = {}) => {
  clearError();
  if (engine.state() !== "ready") {
    announce("The planner is still loading; the plan appears as soon as it is ready.");
  }
  /** @type {PlanReply | ErrorReply} */
  let reply;
  try {
    reply = await engine.call("plan", requestValues(), SITE_URL.href);
  } catch (error) {
    showError(`The plan could not be made: ${reason(error)}`, "", focus);
    return null;
  }
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
  save();
});
form.addEventListener("input", save);

// Clearing asks first: the dates may have taken a while to find in the agreement.
$("pp-clear").addEventListener("click", () => {
  if (!window.confirm("Clear the form? This removes the dates and periods entered here.")) return;
  form.reset();
  SAVED.remove();
  clearError();
  clearPlan();
  showCaseFields();
  announce("The form was cleared.");
});

/* ---- Downloads and print ------------------------------------------------------------ */

$("pp-download-md").addEventListener("click", () => {
  if (latest) download("exit-plan.md", "text/markdown", latest.markdown);
});
$("pp-download-ics").addEventListener("click", () => {
  if (latest) download("exit-plan.ics", "text/calendar", latest.ics);
});
$("pp-print").addEventListener("click", () => window.print());

/* ---- Start ------------------------------------------------------------------------- */

const hadSaved = restore();
showCaseFields();
// A returning visitor sees their plan again as soon as the planner is ready.
// Its errors are shown without moving the focus: the reader has not asked for anything yet.
if (hadSaved) engine.ready.then(() => makePlan({ focus: false }), () => {});
