// @ts-check
/*
 * The compare page's UI: collects share codes, exported files and the reader's own answers,
 * lists them, asks the engine (main.py, through the bridge javascripts/engine.js) for the
 * team result and shows what the engine rendered. Reading the codes, combining them and every
 * word of the result come from Python (assessment/team_page.py); this file moves plain data.
 *
 * Saved in this browser only (localStorage, one key per site): the set of responses as share
 * codes, the side chosen here where a code said none, the local labels, and earlier checks.
 * Each is a list that two tabs merge (javascripts/merge.js): nothing one tab adds is lost by
 * another's save, and what one removes stays removed. Labels never leave this browser: they
 * are not sent to the engine, nor put in links or files.
 *
 * Safety: text from the engine, storage, files or links is written with textContent, except
 * the result's HTML, which the engine rendered with every value escaped (the SVG charts too).
 */
import { ownAnswers } from "../javascripts/answers.js";
import { startEngine } from "../javascripts/engine.js";
import { base64Of, download } from "../javascripts/files.js";
import {
  addEntry,
  changeEntry,
  checkList,
  emptyList,
  listEntries,
  mergeLists,
  removeEntries,
} from "../javascripts/merge.js";
import {
  $,
  SITE_URL,
  announce,
  clause,
  clearFragment,
  fragmentAfter,
  isOrganisation,
  keepsNothing,
  kept,
  latestOnly,
  manifest,
  markStarted,
  notice,
  sayIfUnsaved,
  showHtml,
  storageWorks,
} from "../javascripts/page.js";
import { openReply } from "../javascripts/seal.js";
import { startRounds } from "./round.js";

// The engine's limits (the bank's and exports.py's), from the build's manifest.
const MAX_FILE_BYTES = manifest.limits.answers_file_bytes;
const MAX_CODE_LENGTH = manifest.limits.code_length;
const MAX_ITEMS = manifest.limits.team_responses;
const MAX_PASTE = manifest.limits.paste_chars;
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
 *   label?: string, organisation?: number, organisation_said?: boolean}} Item
 * @typedef {import("../javascripts/merge.js").KeptList<Item>} ItemList
 * @typedef {import("../javascripts/merge.js").KeptList<Item[]>} CheckList
 * @typedef {{number: number, text: string, error: string, piece?: string, file?: boolean,
 *   reply?: boolean}} Refused
 * @typedef {{id: string, name: string}} Side
 */

/* ---- What is kept ------------------------------------------------------------------------- */

/** A saved item, checked field by field; undefined if it is not one. */
const checkedItem = (/** @type {any} */ raw) => {
  if (!raw || typeof raw !== "object" || typeof raw.code !== "string") return undefined;
  if (raw.code.length > MAX_CODE_LENGTH) return undefined;
  return /** @type {Item} */ ({
    code: raw.code,
    side: typeof raw.side === "string" ? raw.side : null,
    side_said: raw.side_said === true,
    date: typeof raw.date === "string" ? raw.date : null,
    label: typeof raw.label === "string" ? raw.label.slice(0, MAX_LABEL) : "",
    organisation: isOrganisation(raw.organisation) ? raw.organisation : 0,
    organisation_said: raw.organisation_said === true,
  });
};

/** A saved set of items (an earlier check), or undefined if no item of it can be read. */
const checkedSet = (/** @type {unknown} */ raw) => {
  if (!Array.isArray(raw)) return undefined;
  const items = raw.map(checkedItem).filter((item) => item !== undefined);
  return items.length ? /** @type {Item[]} */ (items) : undefined;
};

/** The id a list entry gets from the page's first format (a plain array), by its place. */
const legacyId = (/** @type {number} */ index) => `000000000-legacy-${String(index).padStart(4, "0")}`;

/**
 * A saved list as this page keeps it, and how many of its entries could not be read. The
 * first format (a plain array) is read too, its entries in their order.
 * @template T
 * @param {unknown} raw
 * @param {(value: unknown) => T | undefined} check
 */
const readList = (raw, check) => {
  if (Array.isArray(raw)) {
    /** @type {import("../javascripts/merge.js").KeptList<T>} */
    const list = emptyList();
    let lost = 0;
    raw.forEach((value, index) => {
      const checked = check(value);
      if (checked === undefined) lost += 1;
      else list.entries[legacyId(index)] = { value: checked, at: 0 };
    });
    return { list, lost };
  }
  const list = checkList(raw, check);
  if (!list) return undefined;
  const given = Object.keys(/** @type {any} */ (raw).entries ?? {}).length;
  return { list, lost: given - Object.keys(list.entries).length };
};

/** Where the responses of a health check (or, with none, of free comparing) are kept. */
const setStore = (/** @type {string} */ round) =>
  kept(round ? `compare:round:${round}` : "compare:set", (raw) => readList(raw, checkedItem));
let SET = setStore("");
const EARLIER = kept("compare:earlier", (raw) => readList(raw, checkedSet));
// What a link's responses replaced, so that the replacement can be undone (even after a reload).
const REPLACED = kept("compare:replaced", (raw) => checkedSet(raw) ?? undefined);

/** @type {ItemList} */
let set = emptyList();
/** @type {CheckList} */
let earlier = emptyList();
/** @type {Side[]} */
let sides = [];
/** @type {any} */
let latest = null;
/** Input numbers (1-based) the engine found to be the same response as an earlier one. */
/** @type {number[]} */
let duplicates = [];
let saveWarned = false;
/** The health checks started here (set once the engine is ready). */
/** @type {ReturnType<typeof startRounds> | null} */
let rounds = null;

const items = () => listEntries(set);
const earlierChecks = () => listEntries(earlier).map((entry) => entry.value);

/** Say once that saving failed: what is on the page stays until the reader leaves it. */
const saveFailed = () => {
  if (saveWarned) return;
  saveWarned = true;
  notice(
    "This browser did not save the responses (its storage is full or blocked). They stay on " +
      "this page until you leave it: keep the link that reopens the set, or download the " +
      "report, before you go.",
  );
};

/**
 * Merge `local` with what another tab saved under `store`, save the result and return it.
 * @template T
 * @param {{read: () => {value: {list: import("../javascripts/merge.js").KeptList<T>} | null},
 *   write: (value: unknown) => boolean}} store
 * @param {import("../javascripts/merge.js").KeptList<T>} local
 */
const persist = (store, local) => {
  const stored = store.read().value;
  const merged = stored ? mergeLists(local, stored.list) : local;
  if (!store.write(merged)) saveFailed();
  return merged;
};

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
      // A file's error names the file already; a pasted piece is named by its excerpt.
      li.textContent = r.file
        ? `Input ${r.number}: ${r.error}`
        : `${r.reply ? "Reply" : "Input"} ${r.number} (${r.text}): ${r.error}`;
      return li;
    }),
  );
  list.hidden = refused.length === 0;
};

/** What the engine is sent for each item: the code and a side chosen here. Never the label. */
const forEngine = (/** @type {Item[]} */ list) =>
  list.map((item) => ({
    code: item.code,
    side: item.side_said ? null : item.side,
    organisation: item.organisation_said ? null : item.organisation || null,
  }));

/* ---- The list of responses ---------------------------------------------------------- */

/** Change one item of the set (its side or label) and save. */
const changeItem = (/** @type {string} */ id, /** @type {Partial<Item>} */ change) => {
  const entry = set.entries[id];
  if (!entry) return;
  set = persist(SET, changeEntry(set, id, { ...entry.value, ...change }));
};

const sideChoice = (/** @type {string} */ id, /** @type {Item} */ item, index = 0) => {
  const select = document.createElement("select");
  select.id = `pp-side-${index}`;
  select.setAttribute("aria-label", `Side of response ${index + 1}`);
  const none = new Option("Side not said", "");
  select.append(none, ...sides.map((side) => new Option(side.name, side.id)));
  select.value = item.side ?? "";
  select.addEventListener("change", () => {
    changeItem(id, { side: select.value || null });
    changed(false);
  });
  return select;
};


/** The organisation of a response: from its code, or set here (the organiser may correct it). */
const organisationChoice = (/** @type {string} */ id, /** @type {Item} */ item, index = 0) => {
  const cell = document.createElement("td");
  const select = document.createElement("select");
  select.id = `pp-organisation-${index}`;
  select.setAttribute("aria-label", `Organisation of response ${index + 1}`);
  select.append(...manifest.organisations.map(({ number, name }) => new Option(name, String(number))));
  select.value = String(item.organisation ?? 0);
  select.addEventListener("change", () => {
    changeItem(id, { organisation: Number(select.value), organisation_said: false });
    changed(false);
  });
  cell.append(select);
  return cell;
};

const renderList = () => {
  const rows = $("pp-response-rows");
  const listed = items();
  rows.replaceChildren(
    ...listed.map(({ id, value: item }, index) => {
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
        side.append(sideChoice(id, item, index));
      }
      const day = document.createElement("td");
      day.textContent = item.date ?? "not said";
      const labelCell = document.createElement("td");
      const label = document.createElement("input");
      label.type = "text";
      label.maxLength = MAX_LABEL;
      label.value = item.label ?? "";
      label.setAttribute("aria-label", `Label of response ${index + 1}`);
      // On a phone the table's head is not shown: the empty field says what it is for.
      label.placeholder = "Label (optional)";
      label.addEventListener("input", () => changeItem(id, { label: label.value.slice(0, MAX_LABEL) }));
      labelCell.append(label);
      const removeCell = document.createElement("td");
      const remove = document.createElement("button");
      remove.type = "button";
      remove.className = "md-button";
      remove.textContent = "Remove";
      remove.setAttribute("aria-label", `Remove response ${index + 1}`);
      remove.addEventListener("click", () => {
        set = persist(SET, removeEntries(set, [id]));
        announce(`Response ${index + 1} removed.`);
        changed(false);
      });
      removeCell.append(remove);
      row.append(number, side, organisationChoice(id, item, index), day, labelCell, removeCell);
      return row;
    }),
  );
  const count = listed.length;
  $("pp-count").textContent =
    count === 0 ? "No responses yet." : `${count} response${count === 1 ? "" : "s"}.`;
  $("pp-response-table").hidden = count === 0;
  $("pp-clear").hidden = count === 0;
};

/** Add items read by the engine; beyond the limit, say so and keep the first ones. */
const addItems = (/** @type {Item[]} */ added) => {
  const room = Math.max(MAX_ITEMS - items().length, 0);
  let next = set;
  for (const item of added.slice(0, room)) next = addEntry(next, { ...item, label: item.label ?? "" });
  set = persist(SET, next);
  if (added.length > room) {
    const left = added.length - room;
    showRead(
      `Only ${MAX_ITEMS} responses can be combined at once: ` +
        `${left} ${left === 1 ? "was" : "were"} not added.`,
    );
  }
  return changed(false);
};

/* ---- Asking the engine -------------------------------------------------------------- */

/** Call the engine; an error it cannot answer becomes a message, not an exception. */
const ask = async (/** @type {string} */ fn, /** @type {unknown[]} */ ...args) => {
  try {
    return await engine.call(fn, ...args);
  } catch (error) {
    return { ok: false, error: `The engine did not answer (${clause(error)}).` };
  }
};

/** The result's request and the over-time view's: a reply overtaken by a change is dropped. */
const resultRequest = latestOnly();
const overTimeRequest = latestOnly();

const showResult = async () => {
  const current = items().map((entry) => entry.value);
  const isLatest = resultRequest();
  if (current.length < 2) {
    latest = null;
    duplicates = [];
    $("pp-result-placeholder").hidden = false;
    $("pp-result-body").hidden = true;
    resultSection.dataset.state = "empty";
    renderList();
    await showOverTime();
    return;
  }
  // A health check's result opens with its open actions from the last workshop.
  const actions = rounds?.active()?.actions ?? [];
  const reply = await ask("team", forEngine(current), SITE_URL.href, actions);
  if (!isLatest()) return;
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
  const link = await ask("set_link", forEngine(current));
  if (!isLatest()) return;
  if (link.ok) {
    /** @type {HTMLInputElement} */ ($("pp-set-link")).value =
      new URL(`compare/${link.fragment}`, SITE_URL).href;
  }
  await showOverTime();
};

const showOverTime = async () => {
  const checks = earlierChecks();
  const current = items().map((entry) => entry.value);
  const isLatest = overTimeRequest();
  $("pp-clear-earlier").hidden = checks.length === 0;
  const view = $("pp-trend-view");
  if (checks.length === 0 || current.length === 0) {
    view.replaceChildren();
    return;
  }
  const reply = await ask("over_time", [...checks.map(forEngine), forEngine(current)]);
  if (!isLatest()) return;
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

/** The set changed (saved already, or `save`): list it, and show the new result. */
const changed = (save = true) => {
  if (save) set = persist(SET, set);
  renderList();
  rounds?.refresh();
  return engine.ready.then(showResult, () => {});
};

/* ---- Adding responses --------------------------------------------------------------- */

/**
 * Open sealed replies with the key of the health check shown here: the codes inside, and each
 * reply that cannot be opened, with why (another health check, no key here, changed on the way).
 * @param {Array<{number: number, round: string, body: string}>} sealed
 */
const openReplies = async (sealed) => {
  /** @type {string[]} */
  const codes = [];
  /** @type {Refused[]} */
  const refused = [];
  const current = rounds?.active() ?? null;
  for (const { number, round, body } of sealed) {
    const text = `reply to ${rounds?.known(round)?.name || "a health check"}`;
    const refuse = (/** @type {string} */ error) =>
      refused.push({ number, text, error, piece: "", reply: true });
    if (!current || current.id !== round) {
      const known = rounds?.known(round);
      refuse(
        known
          ? `This is a reply to another health check (“${known.name || known.created.slice(0, 10)}”): ` +
              "choose it above, then paste the reply again."
          : "This is a reply to a health check this browser does not hold: it was started in " +
              "another browser, or deleted here. Restore its key from the backup file to open it.",
      );
      continue;
    }
    const key = await rounds?.key(round);
    if (!key) {
      refuse(
        "This browser does not hold this health check's key any more: restore it from its " +
          "backup file, then paste the reply again.",
      );
      continue;
    }
    try {
      codes.push(await openReply(body, round, key));
    } catch (error) {
      refuse(`This reply ${clause(error).replace(/^this reply /, "")}.`);
    }
  }
  return { codes, refused };
};

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  let text = codesBox.value;
  if (!text.trim()) {
    showRead("Paste one or more share links or codes first.");
    codesBox.focus();
    return;
  }
  let cut = "";
  if (text.length > MAX_PASTE) {
    // Far more than any set of responses: only the start is read, and the page says so.
    text = text.slice(0, MAX_PASTE);
    cut = ` Only the first ${MAX_PASTE.toLocaleString("en")} characters of what you pasted were read.`;
  }
  const reply = await ask("read_codes", text);
  if (!reply.ok) {
    showRead(reply.error + cut);
    return;
  }
  // Sealed replies of a health check, opened here with its key, and read as the codes inside.
  const { codes, refused: unopened } = await openReplies(reply.sealed);
  const inside = codes.length ? await ask("read_codes", codes.join("\n")) : null;
  const added = [...reply.items, ...(inside?.ok ? inside.items : [])];
  const refused = [...unopened, ...reply.refused, ...(inside?.ok ? inside.refused : [])];
  const message =
    `${added.length} response${added.length === 1 ? "" : "s"} added` +
    (refused.length ? `; ${refused.length} could not be read (listed with the reason)` : "") +
    ".";
  showRead(message + cut, refused);
  // What could not be read stays in the box, each piece exactly as pasted, to fix and add again;
  // the message shows only an excerpt of each.
  codesBox.value = refused.map((/** @type {Refused} */ r) => r.piece ?? r.text).join("\n");
  await addItems(added);
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
      refused.push({
        number,
        text: file.name,
        error: `${file.name} is larger than an exported answers file can be.`,
        file: true,
      });
      continue;
    }
    const reply = await ask("read_file", file.name, await base64Of(file));
    if (reply.ok) added.push(reply.item);
    else refused.push({ number, text: file.name, error: reply.error, file: true });
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
  set = persist(SET, removeEntries(set, Object.keys(set.entries)));
  showRead("");
  announce("All responses removed.");
  changed(false);
});

$("pp-add-earlier").addEventListener("click", async () => {
  const box = /** @type {HTMLTextAreaElement} */ ($("pp-earlier-codes"));
  const reply = await ask("read_codes", box.value.slice(0, MAX_PASTE));
  const message = $("pp-earlier-message");
  if (!reply.ok || reply.items.length === 0) {
    message.textContent = reply.ok ? "Paste the codes of an earlier check first." : reply.error;
    message.hidden = false;
    return;
  }
  // Kept only if over time can use it (it needs the day each response was given): checked as
  // the series it will be part of (with no current set yet, against itself).
  const current = items().map((entry) => entry.value);
  const series = [...earlierChecks(), reply.items, current.length ? current : reply.items];
  const check = await ask("over_time", series.map(forEngine));
  if (!check.ok) {
    message.textContent = `That earlier check was not added: ${check.error}`;
    message.hidden = false;
    return;
  }
  earlier = persist(EARLIER, addEntry(earlier, reply.items));
  box.value = "";
  message.textContent = reply.message;
  message.hidden = false;
  await showOverTime();
});

$("pp-clear-earlier").addEventListener("click", async () => {
  earlier = persist(EARLIER, removeEntries(earlier, Object.keys(earlier.entries)));
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

/** Offer to bring back the responses a link replaced (kept until used or dismissed). */
const showUndo = () => {
  const replaced = REPLACED.read().value;
  $("pp-undo-bar").hidden = !replaced;
  if (replaced) {
    $("pp-undo-text").textContent =
      `A link's responses replaced the ${replaced.length} saved in this browser before.`;
  }
};

$("pp-undo").addEventListener("click", () => {
  const replaced = REPLACED.read().value;
  if (!replaced) return;
  // The link's responses stay too: the reader removes what they do not want.
  const known = new Set(items().map((entry) => entry.value.code));
  let next = set;
  for (const item of replaced) if (!known.has(item.code)) next = addEntry(next, item);
  set = persist(SET, next);
  REPLACED.remove();
  showUndo();
  announce(`The ${replaced.length} responses saved before were brought back.`);
  changed(false);
});

$("pp-undo-dismiss").addEventListener("click", () => {
  REPLACED.remove();
  showUndo();
});

const openFragment = async () => {
  const fragment = fragmentAfter(manifest.fragments.set);
  if (fragment === null) return;
  // The link's codes are read once, then taken out of the address bar.
  clearFragment();
  const reply = await ask("open_set", manifest.fragments.set + fragment);
  if (!reply.ok) {
    showRead(reply.error);
    return;
  }
  showRead(reply.message, reply.refused);
  /** @type {Item[]} */
  const linked = reply.items;
  // A link of which nothing could be read never replaces anything.
  if (linked.length === 0) return;
  const current = items();
  const same =
    current.length === linked.length &&
    current.every((entry, i) => entry.value.code === linked[i].code);
  if (same) return;
  const labels = new Map(current.map((entry) => [entry.value.code, entry.value.label ?? ""]));
  if (current.length) {
    const replace = window.confirm(
      `This link holds ${linked.length} response${linked.length === 1 ? "" : "s"}. ` +
        `Replace the ${current.length} saved in this browser with them? ` +
        "(Cancel adds them to the saved ones. A replacement can be undone.)",
    );
    if (replace) {
      if (!REPLACED.write(current.map((entry) => entry.value))) saveFailed();
      set = removeEntries(set, current.map((entry) => entry.id));
    }
  }
  const known = new Set(items().map((entry) => entry.value.code));
  await addItems(
    linked
      .filter((item) => !known.has(item.code))
      .map((item) => ({ ...item, label: labels.get(item.code) ?? "" })),
  );
  showUndo();
};

/* ---- Another tab -------------------------------------------------------------------- */

// Another tab changed the responses shown here (whichever list that is now).
window.addEventListener("storage", (event) => {
  if (event.key !== SET.key && event.key !== null) return;
  const stored = SET.read().value;
  set = stored ? mergeLists(set, stored.list) : set;
  if (!stored) set = removeEntries(set, Object.keys(set.entries));
  changed(false);
});
EARLIER.onChange(() => {
  const stored = EARLIER.read().value;
  earlier = stored ? mergeLists(earlier, stored.list) : emptyList();
  showOverTime();
});
REPLACED.onChange(showUndo);

/* ---- Start ------------------------------------------------------------------------- */

const savedSet = SET.read();
const savedEarlier = EARLIER.read();
set = savedSet.value?.list ?? emptyList();
earlier = savedEarlier.value?.list ?? emptyList();
const lostFromSet = savedSet.unreadable ? 1 : (savedSet.value?.lost ?? 0);
const lostEarlier = savedEarlier.unreadable ? 1 : (savedEarlier.value?.lost ?? 0);
if (lostFromSet + lostEarlier) {
  // Dropped, and said so; only the record that held them is rewritten, the rest (and the
  // assessment page's answers) are left exactly as they were.
  showRead(
    `Responses saved earlier in this browser could not be read ` +
      `(${lostFromSet + lostEarlier} left out); the others are kept.`,
  );
  if (lostFromSet && !SET.write(set)) saveFailed();
  if (lostEarlier && !EARLIER.write(earlier)) saveFailed();
}
if (!storageWorks()) {
  notice(keepsNothing("the responses you add here are"));
  saveWarned = true;
}
renderList();
showUndo();
/* ---- Health checks -------------------------------------------------------------------- */

/** Show the responses of the health check chosen here (or, with none, of free comparing). */
const showRound = (/** @type {{id: string} | null} */ round) => {
  SET = setStore(round?.id ?? "");
  set = SET.read().value?.list ?? emptyList();
  changed(false);
};

engine.ready.then(
  async () => {
    const reply = await ask("sides");
    if (reply.ok) sides = reply.sides;
    rounds = startRounds({
      engine,
      relationships: () => sides,
      responses: () => items().map((entry) => entry.value),
      onChange: showRound,
      saveFailed,
    });
    const chosen = rounds.active();
    if (chosen) showRound(chosen);
    sayIfUnsaved();
    await openFragment();
    renderList();
    await showResult();
  },
  () => {},
);
window.addEventListener("hashchange", () => {
  engine.ready.then(openFragment, () => {});
});
