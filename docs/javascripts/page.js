// @ts-check
/*
 * What every page that runs Python shares, on the page's thread: the build's runtime manifest,
 * the page's elements and messages, storage in this browser that never throws, and the "#"
 * part of the address. The bridge to Python is engine.js; files in and out are files.js.
 *
 * Safety: text from storage, a link or a file is written with textContent; only HTML that the
 * engine rendered with every value escaped goes in with showHtml.
 */

/**
 * @typedef {{
 *   build: string, site_name: string, version_query: string, engine: string,
 *   bank_version: string,
 *   config: string, interpreter: string,
 *   pyodide: {version: string, base: string, files: string[]},
 *   pyscript: {base: string, entry: string, files: string[], plugins_off: string[]},
 *   package: {base: string, files: string[]},
 *   names: {offline_cache: string, retired_caches: string[], storage_prefix: string,
 *           ready_mark: string},
 *   limits: {answers_file_bytes: number, team_responses: number, code_length: number,
 *            paste_chars: number},
 *   answers: {levels: number[], dont_know: string, nonce_bits: number},
 *   fragments: {code: string, set: string, invite: string},
 *   replies: {start: string, end: string},
 *   round_file: {format: string, version: number},
 *   rounds: {id_pattern: string, name_chars: number},
 *   calendar_ids: {plan: string, decision: string}, calendar_id_bytes: number,
 *   organisations: Array<{number: number, name: string}>,
 *   actions: {statuses: string[], most: number, what_chars: number, owner_chars: number},
 * }} Manifest
 */

/** The site's root, whatever folder it is served from. */
export const SITE_URL = new URL("../", import.meta.url);

/** @returns {Manifest} the build's runtime manifest, as the page carries it. */
const readManifest = () => {
  const element = document.getElementById("pp-runtime-manifest");
  if (!element?.textContent) throw new Error("this page carries no runtime manifest");
  return JSON.parse(element.textContent);
};

/** The runtime manifest of the build this page belongs to (hooks/runtime.py writes it). */
export const manifest = readManifest();

/** Whether `value` is the number of an organisation (a health check's: not 0, "not said"). */
export const isOrganisation = (/** @type {unknown} */ value) =>
  manifest.organisations.some((o) => o.number !== 0 && o.number === value);

/* ---- Elements and messages -------------------------------------------------------------- */

/** The page's element with this id (the page's Markdown declares every one a script uses). */
export const $ = (/** @type {string} */ id) => /** @type {HTMLElement} */ (document.getElementById(id));

/** Say that the page's script runs: the "script has not started" warning goes (extra.css). */
export const markStarted = () => {
  document.documentElement.dataset.appStarted = "true";
};

/** Tell a screen reader's user what just happened (#pp-announce, a polite live region). */
export const announce = (/** @type {string} */ text) => {
  $("pp-announce").textContent = text;
};

/** Show `text` in the notice element `id` (hidden when the text is empty). */
export const notice = (/** @type {string} */ text, id = "pp-notice") => {
  const element = $(id);
  element.textContent = text;
  element.hidden = !text;
};

/** Put HTML the engine rendered (every value escaped by Python) into `element`. */
export const showHtml = (/** @type {HTMLElement} */ element, /** @type {string} */ html) => {
  element.innerHTML = html;
};

/** A random id (hex): crypto.randomUUID needs a secure context, getRandomValues does not. */
export const randomId = (/** @type {number} */ bytes) =>
  [...crypto.getRandomValues(new Uint8Array(bytes))]
    .map((byte) => byte.toString(16).padStart(2, "0"))
    .join("");

/**
 * Requests that a later one overtakes: each call of the returned function starts one and gives
 * back a test that stays true only while no later one has started. A reply that comes back after
 * the reader changed what it was about (cleared, added, reset) is then dropped, not shown.
 */
export const latestOnly = () => {
  let started = 0;
  return () => {
    const mine = ++started;
    return () => mine === started;
  };
};

/** An error's message for a person, whatever was thrown. */
export const reason = (/** @type {unknown} */ error) =>
  error instanceof Error ? error.message : String(error);

/** An error's message as a clause inside a sentence (no full stop of its own). */
export const clause = (/** @type {unknown} */ error) => reason(error).replace(/[.\s]+$/, "");

/* ---- Storage in this browser ------------------------------------------------------------- */

/** The localStorage key for `what`, one per site (several sites can share an origin). */
export const storageKey = (/** @type {string} */ what) =>
  `${manifest.names.storage_prefix}:${SITE_URL.pathname}:${what}`;

/** The browser's storage of this kind, or null where the browser blocks it (it may throw). */
const storageOf = (/** @type {"localStorage" | "sessionStorage"} */ kind) => {
  try {
    return window[kind];
  } catch {
    return null;
  }
};

// A save this browser refused leaves what was saved before it: the page reloaded later shows
// that older copy. Each refusal is noted for this tab (sessionStorage survives a reload), with
// the page it happened on, until a save of the same value succeeds; sayIfUnsaved tells the
// reader. The note is small, and sessionStorage has a store of its own.
const UNSAVED = ":unsaved";

/** Note (or, once a save worked, forget) that the latest save of `key` was refused. */
const noteUnsaved = (/** @type {string} */ key, /** @type {boolean} */ refused) => {
  try {
    const session = storageOf("sessionStorage");
    if (refused) session?.setItem(key + UNSAVED, window.location.pathname);
    else session?.removeItem(key + UNSAVED);
  } catch {
    // This tab cannot note it either: nothing more can be done.
  }
};

/** Whether this page's latest save in this tab was refused (and none has worked since). */
export const unsavedHere = () => {
  const prefix = storageKey("");
  try {
    const session = storageOf("sessionStorage");
    for (let index = 0; session && index < session.length; index += 1) {
      const key = session.key(index) ?? "";
      const onThisPage = session.getItem(key) === window.location.pathname;
      if (key.startsWith(prefix) && key.endsWith(UNSAVED) && onThisPage) return true;
    }
  } catch {
    // Nothing was noted, or nothing can be.
  }
  return false;
};

/**
 * Tell the reader, in the notice `id`, when this page's latest changes in this tab could not be
 * saved before it was reloaded, so it shows what was saved before them. True if it did.
 */
export const sayIfUnsaved = (id = "pp-notice") => {
  const refused = unsavedHere();
  if (refused) {
    notice(
      "Your latest changes on this page could not be saved before it was reloaded (this " +
        "browser's storage is full or blocked), so it shows what was saved before them.",
      id,
    );
  }
  return refused;
};

/**
 * A value kept in this browser under the site's key for `what`. Reading and writing never
 * throw: a blocked or full storage makes `write` return false, and what was read is checked
 * by `check` (which returns the value to use, or undefined when the saved text is unusable).
 *
 * @template T
 * @param {string} what
 * @param {(raw: unknown) => T | undefined} check
 * @param {"localStorage" | "sessionStorage"} [kind]
 */
export const kept = (what, check, kind = "localStorage") => {
  const key = storageKey(what);
  return {
    key,
    /** @returns {{value: T | null, unreadable: boolean}} null when nothing is saved. */
    read() {
      let text = null;
      try {
        text = storageOf(kind)?.getItem(key) ?? null;
      } catch {
        text = null;
      }
      if (text === null) return { value: null, unreadable: false };
      let raw;
      try {
        raw = JSON.parse(text);
      } catch {
        return { value: null, unreadable: true };
      }
      const value = check(raw);
      return value === undefined ? { value: null, unreadable: true } : { value, unreadable: false };
    },
    /** Save `value` (as JSON); false if the browser refused (storage blocked or full). */
    write(/** @type {unknown} */ value) {
      let saved = false;
      try {
        const storage = storageOf(kind);
        storage?.setItem(key, JSON.stringify(value));
        saved = Boolean(storage);
      } catch {
        saved = false;
      }
      if (kind === "localStorage") noteUnsaved(key, !saved);
      return saved;
    },
    remove() {
      try {
        storageOf(kind)?.removeItem(key);
      } catch {
        // Nothing could be saved, so there is nothing to remove.
      }
    },
    /** Call `listener` when another tab of this site changes the value (null: removed). */
    onChange(/** @type {(text: string | null) => void} */ listener) {
      window.addEventListener("storage", (event) => {
        if (event.key === key || event.key === null) listener(event.newValue);
      });
    },
  };
};

/**
 * Whether this browser lets the site keep anything at all: false where site data is blocked
 * (reading storage is refused). A full storage is not blocked: saving then fails, and says so.
 */
export const storageWorks = () => {
  try {
    storageOf("localStorage")?.getItem(storageKey("probe"));
    return storageOf("localStorage") !== null;
  } catch {
    return false;
  }
};

/** What a page says where the browser keeps nothing: `lost` names what goes ("what you enter
 * here is"). */
export const keepsNothing = (/** @type {string} */ lost) =>
  "This browser does not let this site keep anything (its site data is blocked): " +
  `${lost} lost when you leave or reload the page.`;

/* ---- The "#" part of the address ----------------------------------------------------------- */

/**
 * The address's "#" part after `prefix` (e.g. "#code="), decoded, or null if it has another
 * prefix. A part that is not valid percent-encoding comes back as it was typed: the engine then
 * says why it cannot be read. Never throws.
 */
export const fragmentAfter = (/** @type {string} */ prefix) => {
  const { hash } = window.location;
  if (!hash.startsWith(prefix)) return null;
  const raw = hash.slice(prefix.length);
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
};

/** The address's "#" part as an element id, decoded, or "" (malformed parts included). */
export const fragmentTarget = () => {
  try {
    return decodeURIComponent(window.location.hash.slice(1));
  } catch {
    return "";
  }
};

/** Take the "#" part out of the address bar (a reload then shows what was saved). */
export const clearFragment = () => {
  history.replaceState(null, "", window.location.pathname + window.location.search);
};

/* ---- Print ----------------------------------------------------------------------------------- */

// A result prints whole: the parts folded away under its verdict card (details.pp-fold) open
// for printing, and close again after (extra.css opens them too, where the browser can).
window.addEventListener("beforeprint", () => {
  for (const fold of document.querySelectorAll("details.pp-fold:not([open])")) {
    fold.setAttribute("open", "");
    fold.setAttribute("data-opened-for-print", "");
  }
});
window.addEventListener("afterprint", () => {
  for (const fold of document.querySelectorAll("details[data-opened-for-print]")) {
    fold.removeAttribute("open");
    fold.removeAttribute("data-opened-for-print");
  }
});
