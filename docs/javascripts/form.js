// @ts-check
/*
 * A page's form kept in this browser, field by field (the exit planner's, the decision
 * page's): each field with the time it last changed, so two tabs merge field by field
 * (merge.js) and another tab's change fills the form here. A save the browser refuses is said
 * once, beside the form; where the browser keeps nothing at all, that is said at once.
 */
import { mergeFields } from "./merge.js";
import { keepsNothing, kept, manifest, notice, randomId, storageWorks } from "./page.js";

/** @typedef {Record<string, string>} FormValues */
/** @typedef {import("./merge.js").KeptFields<string>} SavedFields */

// The exit planner's saved form: written by its page, read by the decision page.
export const PLANNER_FORM = "exit-planner:form";

/**
 * The calendar last downloaded from a page (a plan's, a decision's), kept under `what` with its
 * id under `idKey`: the next download is a new version of it, its events updated in place
 * (assessment/ics.py, next_version, reads the same record). `current()` is the kept one, or a
 * new one (a random id, no version yet) where none is kept.
 * @param {string} what
 * @param {string} idKey
 */
export const keptCalendar = (what, idKey) => {
  /** @type {(raw: any) => Record<string, any> | undefined} */
  const check = (raw) =>
    raw && typeof raw[idKey] === "string" && Number.isInteger(raw.sequence)
      ? {
          [idKey]: raw[idKey],
          sequence: raw.sequence,
          events: raw.events && typeof raw.events === "object" ? raw.events : {},
        }
      : undefined;
  const store = kept(what, check);
  const current = () =>
    store.read().value ?? { [idKey]: randomId(manifest.calendar_id_bytes), sequence: -1, events: {} };
  return { ...store, current };
};

/** Today's date in this browser's time zone, as YYYY-MM-DD. */
export const localToday = () => {
  const now = new Date();
  const pad = (/** @type {number} */ n) => String(n).padStart(2, "0");
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
};

/**
 * A saved form made safe: the text values of `names` only, none longer than `max`, each with
 * its time; the first format (plain values, no times) is read too. Undefined if unusable.
 * @param {any} raw
 * @param {string[]} names
 * @param {number} max
 * @returns {SavedFields | undefined}
 */
export const checkFields = (raw, names, max) => {
  if (!raw || typeof raw !== "object" || Array.isArray(raw)) return undefined;
  const plain = !(raw.values && typeof raw.values === "object");
  const values = plain ? raw : raw.values;
  const times = plain ? {} : (raw.at ?? {});
  /** @type {SavedFields} */
  const checked = { values: {}, at: {} };
  for (const name of names) {
    const value = values[name];
    if (typeof value === "string" && value.length <= max) {
      checked.values[name] = value;
      checked.at[name] = Number.isFinite(times[name]) ? times[name] : 0;
    }
  }
  return checked;
};

/**
 * Keep the page's form under `options.key` (one per page and site).
 * @param {{
 *   key: string,
 *   names: string[],
 *   max: number,
 *   read: () => FormValues,
 *   fill: (values: FormValues) => void,
 *   unreadable: string,
 *   unsaved: string,
 *   noticeId?: string,
 * }} options `read` gives the form's values, `fill` puts values back (the others stay);
 *   `unreadable` is the value of a date the browser could not read (never saved over what
 *   was); `unsaved` says where else to keep the work, once, when a save is refused.
 */
export const keptForm = (options) => {
  const store = kept(options.key, (raw) => checkFields(raw, options.names, options.max));
  /** The fields as this tab knows them, each with the time it last changed here or elsewhere. */
  /** @type {SavedFields} */
  let fields = { values: {}, at: {} };
  let warned = false;

  /** Say once that the browser did not save (a calendar's record too: the page's own saves). */
  const failed = () => {
    if (warned) return;
    warned = true;
    notice(options.unsaved, options.noticeId);
  };
  /** Write the fields as they are; false (and said once) if the browser refused. */
  const write = () => store.write(fields) || (failed(), false);

  if (!storageWorks()) {
    notice(keepsNothing("what you enter here is"), options.noticeId);
    warned = true;
  }

  // Another tab saved: its newer fields come into this form.
  store.onChange(() => {
    const stored = store.read().value;
    if (!stored) return;
    fields = mergeFields(fields, stored);
    options.fill(fields.values);
  });

  return {
    failed,
    write,
    /** The fields as this tab knows them (the page may add to them, then `write`). */
    fields: () => fields,
    /** Save the form: what changed here, merged with what another tab saved meanwhile. */
    save() {
      const now = Date.now();
      for (const [name, value] of Object.entries(options.read())) {
        if (fields.values[name] !== value && value !== options.unreadable) {
          fields.values[name] = value;
          fields.at[name] = now;
        }
      }
      const stored = store.read().value;
      if (stored) {
        fields = mergeFields(fields, stored);
        options.fill(fields.values);
      }
      write();
    },
    /** Put the saved fields back into the form; their values, or null if none were saved. */
    restore() {
      const saved = store.read().value;
      if (!saved) return null;
      fields = saved;
      options.fill(saved.values);
      return saved.values;
    },
    /** Make `values` the form's fields, changed now (a file opened, an undo), and save them. */
    replace(/** @type {FormValues} */ values) {
      const now = Date.now();
      fields = { values: { ...values }, at: {} };
      for (const name of Object.keys(values)) fields.at[name] = now;
      write();
    },
  };
};
