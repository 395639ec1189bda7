// @ts-check
/*
 * The assessment page's UI: reads the form, asks the engine (main.py, through the bridge
 * javascripts/engine.js), shows what the engine rendered. Every word of a result, the
 * scoring, the share codes and the exports come from Python; this file moves plain data.
 *
 * What is saved in this browser (localStorage, one key per site):
 *   answers  your own answers, with the time each one was given, so two tabs can merge them;
 *   shared   answers opened from a share link or a file, shown instead of yours until you
 *            restore yours or make these yours. Your own answers are never overwritten by them.
 *
 * Safety: text from the engine, storage or a link is written with textContent, except HTML
 * that the engine rendered with every value escaped (the result, with its SVG chart).
 */
import {
  PERSPECTIVE_TIME,
  checkRecord,
  keptResults,
  mergeRecords,
  newNonce,
  ownAnswers,
  sharedAnswers,
} from "../javascripts/answers.js";
import { startEngine } from "../javascripts/engine.js";
import { base64Of, download } from "../javascripts/files.js";
import { createGuide } from "./guide.js";
import {
  addEntry,
  emptyList,
  listEntries,
  mergeLists,
  removeEntries,
} from "../javascripts/merge.js";
import { sealReply } from "../javascripts/seal.js";
import {
  $,
  SITE_URL,
  announce,
  clause,
  clearFragment,
  fragmentAfter,
  fragmentTarget,
  isOrganisation,
  kept,
  latestOnly,
  manifest,
  markStarted,
  notice,
  sayIfUnsaved,
  showHtml,
  storageWorks,
} from "../javascripts/page.js";

const DONT_KNOW = manifest.answers.dont_know;
const MINE = ownAnswers();
const SHARED = sharedAnswers();
// The reader's own results over time: their share codes (each carries its day).
// A list two tabs merge (javascripts/merge.js), each result under its own code; the first
// format (a plain array of codes) is read too.
const HISTORY = keptResults();
// The reader's own answers as they were before answers from a link were made their own.
const PREVIOUS = kept("answers:previous", checkRecord);
// Written by the first version of this page: the reader's own answers while a link showed.
const LEGACY_MINE = kept("answers:before-shared-link", checkRecord);

/**
 * @typedef {{round: string, organisation: number, organisation_name: string,
 *   organisation_id?: string,
 *   relationship: string, public_key: string, name: string, deadline: string | null}} Invitation
 */

/** An invitation as this page kept it (the engine read it first); undefined if it is not one. */
const checkInvitation = (/** @type {any} */ raw) =>
  raw && typeof raw.round === "string" && typeof raw.public_key === "string" &&
  typeof raw.relationship === "string" && isOrganisation(raw.organisation)
    ? /** @type {Invitation} */ (raw)
    : undefined;

// The health check this reader was invited to, kept so a reload or a later visit still knows.
const INVITATION = kept("invitation", checkInvitation);

// An exported file is a few kilobytes: the engine's limit (exports.py), from the manifest.
const MAX_IMPORT_BYTES = manifest.limits.answers_file_bytes;

const form = /** @type {HTMLFormElement} */ ($("pp-form"));
const resultSection = $("assessment-result");
const bankVersion = form.dataset.bankVersion ?? "";
// One question per screen, or the whole form: the same form, shown two ways (guide.js).
const guide = createGuide(form, DONT_KNOW);

markStarted();

export const engine = startEngine();

/** Which engine runs, on which Python: the engine's own self-check. */
export const ping = () => engine.call("ping");

/* ---- Reading and writing the form --------------------------------------------------- */

/** @typedef {import("../javascripts/answers.js").Answers} Answers */
/** @typedef {import("../javascripts/answers.js").SavedRecord} SavedRecord */

const questionNames = () =>
  [...form.querySelectorAll("fieldset[data-question]")].map(
    (f) => /** @type {HTMLElement} */ (f).dataset.question ?? "",
  );

/** The form as answers: {question id: level or null}; unanswered questions are left out. */
export const readAnswers = () => {
  /** @type {Answers} */
  const answers = {};
  for (const name of questionNames()) {
    const checked = /** @type {HTMLInputElement | null} */ (
      form.querySelector(`input[name="${name}"]:checked`)
    );
    if (checked) answers[name] = checked.value === DONT_KNOW ? null : Number(checked.value);
  }
  return answers;
};

const readPerspective = () =>
  /** @type {HTMLInputElement | null} */ (form.querySelector('input[name="perspective"]:checked'))
    ?.value ?? "";

const updateProgress = () => {
  $("pp-answered").textContent = String(Object.keys(readAnswers()).length);
};

/** Check the radios for answers (all others cleared). Unknown entries are skipped. */
const fillForm = (/** @type {Answers} */ answers, perspective = "") => {
  for (const input of form.querySelectorAll('input[type="radio"]')) {
    /** @type {HTMLInputElement} */ (input).checked = false;
  }
  const side =
    form.querySelector(`input[name="perspective"][value="${CSS.escape(perspective)}"]`) ??
    form.querySelector('input[name="perspective"][value=""]');
  if (side) /** @type {HTMLInputElement} */ (side).checked = true;
  for (const name of questionNames()) {
    if (!Object.hasOwn(answers, name)) continue;
    const level = answers[name];
    const value = level === null ? DONT_KNOW : String(level);
    const input = form.querySelector(`input[name="${name}"][value="${CSS.escape(value)}"]`);
    if (input) /** @type {HTMLInputElement} */ (input).checked = true;
  }
  updateProgress();
  guide.refresh();
};

/* ---- Saving in this browser ---------------------------------------------------------- */

let savingWorks = true;
/** The time each question (and the perspective, PERSPECTIVE_TIME) was last answered here. */
/** @type {Record<string, number>} */
let updated = {};
/** Whether the form shows answers from a link or file ("shared") or the reader's own. */
let showing = "mine";

const storageFailed = () => {
  if (savingWorks) {
    notice(
      "This browser is not letting the page save your answers (storage is off or full). " +
        "Everything still works, but your answers will be lost if you reload or leave: keep " +
        "the share link, or download the answers file under the result, before you go.",
    );
  }
  savingWorks = false;
};

/** Write `record` to `store`; false (and a notice) if the browser refuses. */
const write = (
  /** @type {{write: (value: SavedRecord) => boolean}} */ store,
  /** @type {SavedRecord} */ record,
) => {
  if (store.write(record)) return true;
  storageFailed();
  return false;
};

/** Only the questions of this page's form: answers to others are not this bank's. */
const onlyKnown = (/** @type {SavedRecord} */ record) => {
  const known = new Set(questionNames());
  const answers = Object.fromEntries(
    Object.entries(record.answers).filter(([name]) => known.has(name)),
  );
  const times = Object.fromEntries(
    Object.entries(record.updated).filter(([name]) => known.has(name) || name === PERSPECTIVE_TIME),
  );
  return { ...record, answers, updated: times };
};

/** The record kept in `store`, made safe; null if there is none (or it could not be read). */
const load = (
  /** @type {ReturnType<typeof ownAnswers>} */ store,
  what = "Answers",
) => {
  const { value, unreadable } = store.read();
  if (unreadable) {
    notice(`${what} saved earlier in this browser could not be read, so they were left out.`);
  }
  return value ? onlyKnown(value) : null;
};

/** @type {number | undefined} This reader's nonce, as kept with their own answers. */
let nonce;

/** The reader's nonce: the one kept with their answers (another tab's too), or a new one. */
const ownNonce = () => {
  const kept = MINE.read().value?.nonce;
  if (kept !== undefined) nonce = kept;
  nonce ??= newNonce();
  return nonce;
};

/** The form's state as a record. */
const current = () =>
  /** @type {SavedRecord} */ ({
    bank_version: bankVersion,
    perspective: readPerspective(),
    answers: readAnswers(),
    updated: { ...updated },
    nonce: ownNonce(),
  });

const merge = (/** @type {SavedRecord} */ ours, /** @type {SavedRecord} */ theirs) =>
  mergeRecords(ours, theirs, bankVersion);

/** Save what the form shows: your own answers merged with another tab's, or the shared set. */
const save = () => {
  if (showing === "shared") return write(SHARED, { ...current(), source: "shared" });
  const stored = load(MINE);
  const record = stored ? merge(current(), stored) : current();
  return write(MINE, record);
};

/* ---- Your own answers, and answers opened from elsewhere ----------------------------------- */

const restoreBar = () => $("pp-shared-bar");

/** Show the form as the reader's own answers, or as a shared set with the way back. */
const setShowing = (/** @type {string} */ mode, /** @type {string} */ text = "") => {
  showing = mode;
  form.dataset.showing = mode;
  restoreBar().hidden = mode !== "shared";
  $("pp-shared-text").textContent = text;
  // Nothing to restore when this browser holds no answers of the reader's own.
  const mine = MINE.read().value;
  $("pp-restore").hidden = !(mine && Object.keys(mine.answers).length);
  if (mode === "shared") $("pp-returning").hidden = true;
};

/**
 * Show answers that came from a link or a file; your own stay saved, untouched. `note` says
 * what changed since the edition of the questions they were made with ("" for this one).
 */
const adoptAnswers = async (
  /** @type {Answers} */ answers,
  /** @type {string} */ source,
  /** @type {string} */ note = "",
) => {
  const mine = load(MINE);
  const hadOwn = Boolean(mine && Object.keys(mine.answers).length);
  fillForm(answers, readPerspective());
  updated = {};
  setShowing(
    "shared",
    `This page shows the answers from ${source}. ` +
      (hadOwn
        ? "Your own answers are kept in this browser: “Restore my answers” brings them back."
        : "You had no answers of your own saved in this browser.") +
      (note ? ` ${note}` : ""),
  );
  save();
  notice("");
  await scoreForm();
};

/** Bring back exactly the reader's own answers; the result and exports follow them. */
const restoreMine = async () => {
  SHARED.remove();
  const mine = load(MINE);
  fillForm(mine?.answers ?? {}, mine?.perspective ?? "");
  updated = { ...(mine?.updated ?? {}) };
  setShowing("mine");
  notice("");
  announce("Your own answers are back.");
  if (resultSection.dataset.state === "shown") await scoreForm();
};

/** Offer the reader's previous own answers back, when this page replaced them. */
const showPrevious = () => {
  const previous = showing === "mine" ? load(PREVIOUS) : null;
  $("pp-previous-bar").hidden = !previous;
  if (previous) {
    const count = Object.keys(previous.answers).length;
    $("pp-previous-text").textContent =
      `Your previous ${count} answer${count === 1 ? " is" : "s are"} kept in this browser.`;
  }
};

/** Every question, answered or not, stamped `now`: a change that wins on each of them. */
const allStamped = (/** @type {Array<SavedRecord | null>} */ records, /** @type {number} */ now) => {
  const names = new Set([...questionNames(), PERSPECTIVE_TIME]);
  for (const record of records) for (const name of Object.keys(record?.answers ?? {})) names.add(name);
  return Object.fromEntries([...names].map((name) => [name, now]));
};

/**
 * Make the shared set the reader's own, once they agree: their earlier own answers are kept,
 * to bring back; every question is stamped, so another tab takes the change, not the old ones.
 */
const keepShared = () => {
  const mine = load(MINE);
  const own = Object.keys(mine?.answers ?? {}).length;
  const shown = Object.keys(readAnswers()).length;
  if (
    own &&
    !window.confirm(
      `Replace your ${own} answer${own === 1 ? "" : "s"} with the ${shown} shown here? ` +
        "Yours are kept, and can be brought back.",
    )
  ) {
    return;
  }
  if (mine && own && !PREVIOUS.write(mine)) storageFailed();
  updated = allStamped([mine], Date.now());
  SHARED.remove();
  setShowing("mine");
  write(MINE, current());
  showPrevious();
  announce("These answers are now your own.");
};

/** Bring back the answers that "Make these my answers" replaced. */
const restorePrevious = async () => {
  const previous = load(PREVIOUS);
  if (!previous) return;
  updated = allStamped([previous, current()], Date.now());
  fillForm(previous.answers, previous.perspective);
  write(MINE, current());
  PREVIOUS.remove();
  showPrevious();
  announce("Your previous answers are back.");
  if (resultSection.dataset.state === "shown") await scoreForm();
};

$("pp-previous-restore").addEventListener("click", () => {
  restorePrevious().catch((error) => notice(`No result yet: ${clause(error)}.`));
});
$("pp-previous-dismiss").addEventListener("click", () => {
  PREVIOUS.remove();
  showPrevious();
});
PREVIOUS.onChange(showPrevious);

$("pp-restore").addEventListener("click", () => {
  restoreMine().catch((error) => notice(`No result yet: ${clause(error)}.`));
});
$("pp-keep-shared").addEventListener("click", keepShared);

/* ---- Your results over time ---------------------------------------------------------------- */

/** The kept results as this tab knows them, each under its share code (it carries its day). */
/** @type {import("../javascripts/merge.js").KeptList<string>} */
let history = emptyList();

/** The kept results, merged with what another tab kept or deleted meanwhile. */
const loadHistory = () => {
  const { value, unreadable } = HISTORY.read();
  if (unreadable) {
    notice(
      "Your kept results could not be read (the browser's copy is damaged). They are left as " +
        "they are; results from now on are kept beside them. Your answers are untouched.",
    );
  }
  if (value) history = mergeLists(history, value);
  return listEntries(history).map((entry) => entry.value);
};

/** Save the kept results as changed here, merged with another tab's. */
const saveHistory = () => {
  const stored = HISTORY.read().value;
  if (stored) history = mergeLists(history, stored);
  if (!HISTORY.write(history)) storageFailed();
};

/** Show the kept results as the engine renders them. */
const showHistory = async () => {
  const codes = loadHistory();
  const reply = await engine.call("history", codes);
  if (!reply.ok) return;
  showHtml($("pp-history-view"), reply.html);
  showReturning(reply.last ?? null);
  // Never deleted without the reader's say: what this page does not show stays kept.
  if (reply.dropped) {
    notice(
      `${reply.dropped} kept result${reply.dropped === 1 ? "" : "s"} could not be read here ` +
        "(damaged, or made by another site's questions) and " +
        `${reply.dropped === 1 ? "is" : "are"} not shown; ` +
        `${reply.dropped === 1 ? "it stays" : "they stay"} in this browser.`,
    );
  } else if (reply.older) {
    notice(
      `Your results over time show the latest ${reply.shown}; ` +
        `${reply.older === 1 ? "the oldest one stays" : `the ${reply.older} oldest stay`} ` +
        "in this browser, not shown. Delete some from the table to bring them back.",
    );
  }
};

/* ---- The returning reader: the last result, at the top ------------------------------------ */

/**
 * A banner at the top for a reader who has a kept result: its day and verdict, and the way to
 * it, to the answers, or to a two-sided check. Hidden while answers from a link are shown,
 * and once a result is on the page.
 * @param {{text: string, colour: string} | null} last the engine's words for the last result
 */
const showReturning = (last) => {
  const banner = $("pp-returning");
  const shown = resultSection.dataset.state === "shown";
  banner.hidden = !last || showing !== "mine" || shown;
  if (!last) return;
  $("pp-returning-text").textContent = last.text;
  banner.dataset.colour = last.colour;
};

$("pp-returning-view").addEventListener("click", () => {
  scoreForm().then(
    () => {
      if (resultSection.dataset.state !== "shown") return;
      resultSection.scrollIntoView({ block: "start" });
      resultSection.focus({ preventScroll: true });
    },
    (error) => notice(`No result yet: ${clause(error)}.`),
  );
});

$("pp-returning-update").addEventListener("click", () => {
  $("pp-returning").hidden = true;
  guide.setMode(guide.mode() === "page" ? "page" : "guided");
  if (guide.mode() === "page") {
    form.scrollIntoView({ block: "start" });
    /** @type {HTMLElement | null} */ (form.querySelector("input"))?.focus({ preventScroll: true });
  }
});

const keepInHistory = (/** @type {string} */ code) => {
  if (Object.hasOwn(history.entries, code)) return;
  history = addEntry(history, code, Date.now(), code);
  saveHistory();
};

$("pp-history-view").addEventListener("click", (event) => {
  const button = /** @type {HTMLElement} */ (event.target).closest("[data-history-delete]");
  if (!(button instanceof HTMLElement)) return;
  history = removeEntries(history, [button.dataset.historyDelete ?? ""]);
  saveHistory();
  showHistory().then(() => announce("That result was deleted."));
});

HISTORY.onChange(() => {
  showHistory().catch(() => undefined);
});

$("pp-history-clear").addEventListener("click", () => {
  if (!window.confirm("Delete every result kept in this browser? Your answers stay.")) return;
  loadHistory();
  // Deleted as entries, so another tab's next save does not bring them back.
  history = removeEntries(history, Object.keys(history.entries));
  saveHistory();
  showHistory().then(() => announce("Every kept result was deleted."));
});

/* ---- The result ----------------------------------------------------------------------- */

/**
 * @typedef {{
 *   ok: true, html: string, announce: string, result: Record<string, unknown>,
 *   markdown: string, plan: string, export: unknown, share_code: string,
 * }} Scored
 */
/** @type {Scored | null} */
let latest = null;
// The quick check's "Deepen" bar: placed under the verdict card while a quick result shows.
const deepenBar = $("pp-deepen-bar");

/** Write a scored result into the page: the engine's escaped HTML, and the share link. */
const showResult = (/** @type {Scored} */ payload) => {
  latest = payload;
  showHtml($("pp-result-view"), payload.html);
  const share = new URL(window.location.href);
  share.hash = `${manifest.fragments.code}${payload.share_code}`;
  /** @type {HTMLInputElement} */ ($("pp-share-link")).value = share.href;
  $("pp-result-placeholder").hidden = true;
  $("pp-result-body").hidden = false;
  resultSection.dataset.result = JSON.stringify(payload.result);
  resultSection.dataset.state = "shown";
  $("pp-returning").hidden = true;
  // A quick check's result offers to go on into the other questions, right under its card.
  (document.getElementById("pp-card") ?? $("pp-result-view")).after(deepenBar);
  deepenBar.hidden = !payload.result.quick;
  performance.mark("assessment-result-shown");
  announce(payload.announce);
  prepareReply(payload.share_code).catch((error) =>
    notice(`Your reply could not be sealed: ${clause(error)}. Your answers are kept.`),
  );
};

/** Scoring's request: a result overtaken by later answers, or by a cleared form, is dropped. */
const scoreRequest = latestOnly();

const clearResult = () => {
  scoreRequest();
  latest = null;
  $("pp-result-body").hidden = true;
  $("pp-result-placeholder").hidden = false;
  $("pp-result-view").replaceChildren();
  deepenBar.hidden = true;
  $("pp-result-view").after(deepenBar);
  resultSection.dataset.state = "empty";
  delete resultSection.dataset.result;
};

const scoreForm = async () => {
  const isLatest = scoreRequest();
  performance.mark("assessment-result-requested");
  resultSection.dataset.state = "waiting";
  if (engine.state() !== "ready") {
    announce("Your result will show as soon as the scoring engine is ready.");
  }
  // The reader's own answers carry their nonce, and the organisation they were invited as.
  const own = showing === "mine";
  const invited = own ? INVITATION.read().value : undefined;
  const payload = await engine.call(
    "assess",
    readAnswers(),
    readPerspective(),
    SITE_URL.href,
    invited?.organisation_id ?? "",
    own ? ownNonce() : null,
  );
  if (!isLatest()) return;
  if (!payload.ok) {
    resultSection.dataset.state = "error";
    notice(`Your answers could not be scored: ${payload.error}`);
    return;
  }
  showResult(payload);
  if (showing === "mine") {
    keepInHistory(payload.share_code);
    await showHistory();
  }
};

form.addEventListener("submit", (event) => {
  event.preventDefault();
  scoreForm().then(
    () => {
      if (resultSection.dataset.state === "shown") resultSection.focus();
    },
    (error) => {
      resultSection.dataset.state = "error";
      notice(`No result yet: ${clause(error)}. Your answers are kept in this browser.`);
    },
  );
});

form.addEventListener("change", (event) => {
  const input = /** @type {HTMLInputElement} */ (event.target);
  if (input?.name) updated[input.name === "perspective" ? PERSPECTIVE_TIME : input.name] = Date.now();
  updateProgress();
  save();
});

$("pp-reset").addEventListener("click", () => {
  if (
    !window.confirm(
      "Start over? This removes your answers and any answers opened from a link or file, " +
        "everywhere this browser saved them. Your results over time (below the form) are kept; " +
        "delete them there.",
    )
  ) {
    return;
  }
  for (const store of [MINE, SHARED, LEGACY_MINE, PREVIOUS]) store.remove();
  updated = {};
  fillForm({});
  setShowing("mine");
  clearResult();
  notice("");
  announce("Every saved answer was removed.");
});

/* ---- Another tab ----------------------------------------------------------------------- */

// Another tab of this site changed your saved answers: bring its changes in, keep ours.
MINE.onChange((text) => {
  if (showing !== "mine") return;
  if (text === null) {
    // Start over in another tab removed them.
    updated = {};
    fillForm({});
    clearResult();
    announce("Your answers were removed in another tab.");
    return;
  }
  const theirs = load(MINE);
  if (!theirs) return;
  const merged = merge(current(), theirs);
  updated = merged.updated;
  fillForm(merged.answers, merged.perspective);
  announce("Answers given in another tab were brought in.");
});

/* ---- An invitation to a health check ------------------------------------------------------ */


/** Answer as invited: the relationship set from the round and locked; the invitation said. */
const applyInvitation = (/** @type {Invitation | null} */ invitation) => {
  $("pp-invitation").hidden = !invitation;
  const fieldset = form.querySelector(".pp-perspective");
  if (fieldset instanceof HTMLFieldSetElement) fieldset.disabled = Boolean(invitation);
  if (!invitation) {
    $("pp-send").hidden = true;
    return;
  }
  const radio = form.querySelector(
    `input[name="perspective"][value="${CSS.escape(invitation.relationship)}"]`,
  );
  if (radio instanceof HTMLInputElement && !radio.checked) {
    radio.checked = true;
    updated[PERSPECTIVE_TIME] = Date.now();
    save();
  }
  $("pp-invitation-text").textContent =
    `${invitation.name ? `“${invitation.name}”: a` : "A"} two-sided health check. You were ` +
    `invited as one of ${invitation.organisation_name}; the questions are worded for your ` +
    "side. Your answers stay in this browser until you send your reply, which only the " +
    "organiser can open." +
    (invitation.deadline ? ` Answers are wanted by ${invitation.deadline}.` : "");
};

/** Seal this result's code to the organiser, and offer the ways to send it. */
const prepareReply = async (/** @type {string} */ code) => {
  const invitation = INVITATION.read().value;
  if (!invitation) return;
  const body = await sealReply(code, invitation.round, invitation.public_key);
  const reply = await engine.call("reply_to", invitation, body);
  if (!reply.ok) throw new Error(reply.error);
  /** @type {HTMLTextAreaElement} */ ($("pp-reply")).value = reply.reply;
  const mail = new URL("mailto:");
  mail.search = new URLSearchParams({ subject: reply.subject, body: reply.body })
    .toString()
    .replaceAll("+", "%20");
  /** @type {HTMLAnchorElement} */ ($("pp-send-mail")).href = mail.href;
  const share = $("pp-send-share");
  share.hidden = typeof navigator.share !== "function";
  share.onclick = () => {
    navigator.share({ title: reply.subject, text: reply.body }).catch(() => undefined);
  };
  $("pp-send").hidden = false;
};

$("pp-send-copy").addEventListener("click", async () => {
  const field = /** @type {HTMLTextAreaElement} */ ($("pp-reply"));
  field.select();
  try {
    await navigator.clipboard.writeText(field.value);
    announce("Your reply was copied.");
  } catch {
    announce("Select your reply and copy it with your keyboard.");
  }
});

$("pp-invitation-leave").addEventListener("click", () => {
  INVITATION.remove();
  applyInvitation(null);
  announce("You are answering on your own now; no reply is prepared.");
});

const openInvitation = async (/** @type {string} */ fragment) => {
  clearFragment();
  const reply = await engine.call("open_invitation", manifest.fragments.invite + fragment);
  if (!reply.ok) {
    notice(`This invitation could not be opened: ${reply.error} Your own answers are unchanged.`);
    return;
  }
  if (!INVITATION.write(reply.invitation)) storageFailed();
  applyInvitation(reply.invitation);
  announce("You are answering a health check you were invited to.");
};

/* ---- Share links and files ------------------------------------------------------------------ */

const openSharedLink = async (/** @type {string} */ code) => {
  // The code leaves the address bar: a reload then shows the saved answers.
  clearFragment();
  const decoded = await engine.call("open_code", code);
  if (!decoded.ok) {
    notice(`This share link could not be opened: ${decoded.error} Your own answers are unchanged.`);
    return;
  }
  await adoptAnswers(decoded.answers, "the link you opened", decoded.note ?? "");
  // A shared link opens on its result.
  if (resultSection.dataset.state === "shown") {
    resultSection.scrollIntoView({ block: "start" });
    resultSection.focus({ preventScroll: true });
  }
};

/** Act on the address's # part: a share code opens; anything else that looks like one is named. */
const readFragment = () => {
  const invite = fragmentAfter(manifest.fragments.invite);
  if (invite !== null) {
    openInvitation(invite).catch((error) =>
      notice(`This invitation could not be opened: ${clause(error)}.`),
    );
    return;
  }
  const code = fragmentAfter(manifest.fragments.code);
  if (code !== null) {
    openSharedLink(code).catch((error) =>
      notice(`This share link could not be opened: ${clause(error)}.`),
    );
    return;
  }
  const target = fragmentTarget();
  if (document.getElementById(target)) return;
  const raw = window.location.hash.slice(1);
  if (raw && (/[=&%]/.test(raw) || /code/i.test(raw))) {
    notice(
      "The part of this link after “#” is not a share code this page understands (a share " +
        "link ends in “#code=” and the code). Your own answers are unchanged.",
    );
  }
};

window.addEventListener("hashchange", readFragment);

$("pp-import").addEventListener("change", async (event) => {
  const input = /** @type {HTMLInputElement} */ (event.target);
  const file = input.files?.[0];
  input.value = "";
  if (!file) return;
  if (file.size > MAX_IMPORT_BYTES) {
    notice("That file is too large to be answers exported from this page. Nothing was changed.");
    return;
  }
  const imported = await engine.call("open_file", file.name, await base64Of(file));
  if (!imported.ok) {
    notice(`That file could not be used: ${imported.error} Your own answers are unchanged.`);
    return;
  }
  await adoptAnswers(imported.answers, "the file you loaded", imported.note ?? "");
});

$("pp-copy").addEventListener("click", async () => {
  const field = /** @type {HTMLInputElement} */ ($("pp-share-link"));
  field.select();
  try {
    await navigator.clipboard.writeText(field.value);
    announce("Share link copied.");
  } catch {
    announce("Select the link and copy it with your keyboard.");
  }
});

/* ---- Exports ---------------------------------------------------------------------------- */

$("pp-download-json").addEventListener("click", () => {
  if (!latest) return;
  const name = `partnership-assessment-${bankVersion}.json`;
  download(name, "application/json", JSON.stringify(latest.export, null, 2));
});
$("pp-download-md").addEventListener("click", () => {
  if (latest) download("partnership-assessment.md", "text/markdown", latest.markdown);
});
$("pp-copy-report").addEventListener("click", async () => {
  if (!latest) return;
  try {
    await navigator.clipboard.writeText(latest.markdown);
    announce("The report is copied: paste it into your document.");
  } catch {
    notice("This browser did not let the page copy: use “Report as a text file” instead.");
  }
});
$("pp-deepen").addEventListener("click", () => {
  guide.deepen();
});
$("pp-download-plan").addEventListener("click", () => {
  if (latest) download("partnership-plan.md", "text/markdown", latest.plan);
});
$("pp-print").addEventListener("click", () => window.print());

/* ---- Start ------------------------------------------------------------------------------- */

/** Fill the form from storage: a shared set if one was open, else your own answers. */
const restoreSaved = () => {
  const legacy = load(LEGACY_MINE);
  if (legacy) {
    // The first version kept your own answers here and the link's under your key.
    const shown = load(MINE);
    if (shown) write(SHARED, { ...shown, source: "shared" });
    write(MINE, legacy);
    LEGACY_MINE.remove();
  }
  const shared = load(SHARED, "Answers opened from a link");
  const mine = load(MINE);
  if (shared) {
    fillForm(shared.answers, shared.perspective);
    setShowing(
      "shared",
      "This page shows answers you opened from a link or a file. " +
        (mine && Object.keys(mine.answers).length
          ? "Your own answers are kept in this browser: “Restore my answers” brings them back."
          : "You had no answers of your own saved in this browser."),
    );
    return;
  }
  if (!mine) return;
  updated = { ...mine.updated };
  fillForm(mine.answers, mine.perspective);
  if (mine.bank_version !== bankVersion) {
    notice(
      `Your saved answers were given to an earlier version of the questions ` +
        `(${mine.bank_version || "unknown"}; this page has ${bankVersion}). ` +
        "Answers to questions that still exist were restored; please check the rest.",
    );
  }
};

if (!storageWorks()) storageFailed();
restoreSaved();
sayIfUnsaved();
guide.start();
showPrevious();
applyInvitation(INVITATION.read().value);
updateProgress();
readFragment();
engine.ready.then(showHistory).catch(() => undefined);
