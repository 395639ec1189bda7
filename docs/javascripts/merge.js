// @ts-check
/*
 * How two tabs' copies of what a page keeps become one, whichever saved last. Pure functions,
 * no DOM: the pages use them on every save and on every change another tab makes, and
 * tests/test_merge.py checks their rules with Hypothesis (it runs this file in Node.js).
 *
 * Two shapes cover every page:
 *
 * - a list (responses on the compare page, kept results, earlier checks, rounds): entries by a
 *   random id, each with the time it last changed, and the ids removed with the time of their
 *   removal. An entry removed in one tab stays removed, unless it changed after the removal;
 *   an entry added in either tab is kept.
 * - fields (a form: the planner's, the decision's): each field with the time it last changed;
 *   the later change wins, field by field.
 *
 * Times are milliseconds (Date.now()); ties go to the larger value as JSON text, so both tabs
 * reach the same result in any order.
 */

/**
 * @template T
 * @typedef {{entries: Record<string, {value: T, at: number}>, removed: Record<string, number>}} KeptList
 */
/**
 * @template T
 * @typedef {{values: Record<string, T>, at: Record<string, number>}} KeptFields
 */

/** Which of two timed values wins: the later, or on a tie the larger as JSON text. */
const later = (
  /** @type {{value: unknown, at: number}} */ a,
  /** @type {{value: unknown, at: number}} */ b,
) => {
  if (a.at !== b.at) return a.at > b.at ? a : b;
  return JSON.stringify(a.value) >= JSON.stringify(b.value) ? a : b;
};

/** @template T @returns {KeptList<T>} an empty list. */
export const emptyList = () => ({ entries: {}, removed: {} });

/**
 * Two copies of a list as one: every entry either holds, unless removed after its last change.
 * @template T
 * @param {KeptList<T>} ours
 * @param {KeptList<T>} theirs
 * @returns {KeptList<T>}
 */
export const mergeLists = (ours, theirs) => {
  /** @type {Record<string, number>} */
  const removed = { ...ours.removed };
  for (const [id, at] of Object.entries(theirs.removed)) {
    removed[id] = Math.max(removed[id] ?? at, at);
  }
  /** @type {Record<string, {value: T, at: number}>} */
  const entries = {};
  for (const id of new Set([...Object.keys(ours.entries), ...Object.keys(theirs.entries)])) {
    const a = ours.entries[id];
    const b = theirs.entries[id];
    const entry = a && b ? later(a, b) : (a ?? b);
    if (Object.hasOwn(removed, id) && removed[id] >= entry.at) continue;
    entries[id] = /** @type {{value: T, at: number}} */ (entry);
  }
  return { entries, removed };
};

/**
 * The list's entries in the order they were first added (their ids start with the time).
 * @template T
 * @param {KeptList<T>} list
 * @returns {Array<{id: string, value: T}>}
 */
export const listEntries = (list) =>
  Object.keys(list.entries)
    .sort()
    .map((id) => ({ id, value: list.entries[id].value }));

let lastStamp = 0;

/**
 * A new entry's id: a stamp first (the time, made to grow within a tab, so entries added in the
 * same millisecond keep their order), then a random part (two tabs never make the same id).
 */
export const newId = (now = Date.now()) => {
  lastStamp = Math.max(now, lastStamp + 1);
  return `${lastStamp.toString(36).padStart(9, "0")}-${Math.random().toString(36).slice(2, 10)}`;
};

/**
 * The list with `value` added under a new id (or `id`), changed at `now`.
 * @template T
 * @param {KeptList<T>} list
 * @param {T} value
 * @returns {KeptList<T>}
 */
export const addEntry = (list, value, now = Date.now(), id = newId(now)) => ({
  entries: { ...list.entries, [id]: { value, at: now } },
  removed: list.removed,
});

/**
 * The list with the entry `id` changed to `value` at `now` (nothing if it is gone).
 * @template T
 * @param {KeptList<T>} list
 * @param {string} id
 * @param {T} value
 * @returns {KeptList<T>}
 */
export const changeEntry = (list, id, value, now = Date.now()) =>
  Object.hasOwn(list.entries, id)
    ? { entries: { ...list.entries, [id]: { value, at: now } }, removed: list.removed }
    : list;

/**
 * The list without the entries `ids`, removed at `now` (remembered, so no tab brings them back).
 * @template T
 * @param {KeptList<T>} list
 * @param {string[]} ids
 * @returns {KeptList<T>}
 */
export const removeEntries = (list, ids, now = Date.now()) => {
  const entries = { ...list.entries };
  const removed = { ...list.removed };
  for (const id of ids) {
    delete entries[id];
    removed[id] = Math.max(removed[id] ?? now, now);
  }
  return { entries, removed };
};

/**
 * A saved list made safe: entries whose value `check` accepts, numeric times; else undefined.
 * @template T
 * @param {unknown} raw
 * @param {(value: unknown) => T | undefined} [check] what a value must be (any, if not given)
 * @returns {KeptList<T> | undefined}
 */
export const checkList = (raw, check = (value) => /** @type {T | undefined} */ (value)) => {
  const data = /** @type {any} */ (raw);
  if (!data || typeof data !== "object" || typeof data.entries !== "object" || !data.entries) {
    return undefined;
  }
  /** @type {KeptList<T>} */
  const list = emptyList();
  for (const [id, entry] of Object.entries(data.entries)) {
    const value = check(/** @type {any} */ (entry)?.value);
    const at = /** @type {any} */ (entry)?.at;
    if (value !== undefined && Number.isFinite(at)) list.entries[id] = { value, at };
  }
  const removed = data.removed && typeof data.removed === "object" ? data.removed : {};
  for (const [id, at] of Object.entries(removed)) {
    if (Number.isFinite(at)) list.removed[id] = /** @type {number} */ (at);
  }
  return list;
};

/**
 * Two copies of a form's fields as one: each field as it was last changed, in either copy.
 * @template T
 * @param {KeptFields<T>} ours
 * @param {KeptFields<T>} theirs
 * @returns {KeptFields<T>}
 */
export const mergeFields = (ours, theirs) => {
  /** @type {KeptFields<T>} */
  const merged = { values: {}, at: {} };
  const names = new Set([...Object.keys(ours.values), ...Object.keys(theirs.values)]);
  for (const name of names) {
    const a = Object.hasOwn(ours.values, name)
      ? { value: ours.values[name], at: ours.at[name] ?? 0 }
      : null;
    const b = Object.hasOwn(theirs.values, name)
      ? { value: theirs.values[name], at: theirs.at[name] ?? 0 }
      : null;
    const winner = a && b ? later(a, b) : (a ?? b);
    if (!winner) continue;
    merged.values[name] = /** @type {T} */ (winner.value);
    merged.at[name] = winner.at;
  }
  return merged;
};

/* ---- The reader's own answers (javascripts/answers.js keeps them) --------------------------- */

/**
 * @typedef {{bank_version: string, perspective: string, answers: Record<string, number | null>,
 *   updated: Record<string, number>, nonce?: number}} AnswerRecord
 */

/** The key under which a record's `updated` keeps the time the perspective was chosen. */
export const PERSPECTIVE_TIME = "@perspective";

/**
 * Merge two records question by question: on each question the later change wins, whether it
 * gave an answer or took one away (a time without an answer), and only on that question.
 */
export const mergeRecords = (
  /** @type {AnswerRecord} */ ours,
  /** @type {AnswerRecord} */ theirs,
  /** @type {string} */ bankVersion,
) => {
  /** @type {Record<string, number | null>} */
  const answers = {};
  /** @type {Record<string, number>} */
  const times = {};
  const names = new Set([
    ...Object.keys(ours.answers),
    ...Object.keys(ours.updated),
    ...Object.keys(theirs.answers),
    ...Object.keys(theirs.updated),
  ]);
  names.delete(PERSPECTIVE_TIME);
  for (const name of names) {
    const theirsLater = (theirs.updated[name] ?? 0) > (ours.updated[name] ?? 0);
    const ourAnswer = Object.hasOwn(ours.answers, name);
    // A side that never touched the question does not take it away from the other.
    const winner =
      theirsLater || (!ourAnswer && !Object.hasOwn(ours.updated, name)) ? theirs : ours;
    if (Object.hasOwn(winner.answers, name)) answers[name] = winner.answers[name];
    const time = winner.updated[name];
    if (time !== undefined) times[name] = time;
  }
  const theirsFirst =
    (theirs.updated[PERSPECTIVE_TIME] ?? 0) > (ours.updated[PERSPECTIVE_TIME] ?? 0);
  times[PERSPECTIVE_TIME] = Math.max(
    ours.updated[PERSPECTIVE_TIME] ?? 0,
    theirs.updated[PERSPECTIVE_TIME] ?? 0,
  );
  // The respondent's nonce (one per person, in their share codes): two tabs that each drew one
  // settle on the same, whichever saves first.
  const nonces = [ours.nonce, theirs.nonce].filter((n) => n !== undefined);
  return /** @type {AnswerRecord} */ ({
    bank_version: bankVersion,
    perspective: theirsFirst ? theirs.perspective : ours.perspective,
    answers,
    updated: times,
    ...(nonces.length ? { nonce: Math.min(...nonces) } : {}),
  });
};
