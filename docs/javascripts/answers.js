// @ts-check
/*
 * The reader's own answers as this browser keeps them: one record, written by the assessment
 * page and read by the compare page ("Add my own current answers"). Defined here only.
 *
 *   {bank_version, perspective, answers: {question id: level or null},
 *    updated: {question id or "@perspective": time}}
 *
 * `updated` holds when each answer was last given (or taken away: a time with no answer is a
 * removal), so two tabs merge answer by answer and an answer removed in one stays removed.
 */
import { PERSPECTIVE_TIME, checkList, emptyList, listEntries, mergeLists } from "./merge.js";
import { kept, manifest } from "./page.js";

/** @typedef {Record<string, number | null>} Answers */
/**
 * @typedef {{
 *   bank_version: string, perspective: string, answers: Answers,
 *   updated: Record<string, number>, source?: string, nonce?: number,
 * }} SavedRecord
 */

export { PERSPECTIVE_TIME, mergeRecords } from "./merge.js";

const LEVELS = new Set(manifest.answers.levels);
// A respondent's nonce is below this (the share code's field for it).
const NONCES = 2 ** manifest.answers.nonce_bits;

/** A new respondent's nonce, at random: two people who answer alike stay two responses. */
export const newNonce = () => crypto.getRandomValues(new Uint32Array(1))[0] % NONCES;
// More times than any bank has questions is not a record this site wrote.
const MAX_TIMES = 2000;

/** A saved record made safe: known levels only, times as numbers; undefined if unusable. */
export const checkRecord = (/** @type {any} */ raw) => {
  const answers = raw?.answers;
  if (!answers || typeof answers !== "object" || Array.isArray(answers)) return undefined;
  /** @type {Answers} */
  const valid = {};
  for (const [name, level] of Object.entries(answers)) {
    if (level === null || LEVELS.has(level)) valid[name] = level;
  }
  /** @type {Record<string, number>} */
  const times = {};
  const given = raw.updated && typeof raw.updated === "object" ? raw.updated : {};
  for (const name of [...Object.keys(valid), PERSPECTIVE_TIME]) {
    times[name] = Number.isFinite(given[name]) ? given[name] : 0;
  }
  // Removals: a time for a question with no answer (bounded: a bank has far fewer questions).
  for (const [name, time] of Object.entries(given).slice(0, MAX_TIMES)) {
    if (!Object.hasOwn(times, name) && Number.isFinite(time)) times[name] = time;
  }
  const nonce = raw.nonce;
  return /** @type {SavedRecord} */ ({
    bank_version: String(raw.bank_version ?? ""),
    perspective: typeof raw.perspective === "string" ? raw.perspective : "",
    answers: valid,
    updated: times,
    ...(Number.isInteger(nonce) && nonce >= 0 && nonce < NONCES ? { nonce } : {}),
  });
};

/** The reader's own answers, as kept in this browser. */
export const ownAnswers = () => kept("answers", checkRecord);

/** Answers opened from a link or a file, shown instead of the reader's own until they choose. */
export const sharedAnswers = () => kept("shared", checkRecord);

/**
 * The reader's kept results, as the assessment page keeps them: a list two tabs merge
 * (merge.js), each entry a share code (the first version of the page saved a plain array of
 * codes, read here as such a list). The decision page reads it too.
 */
export const keptResults = () =>
  kept("history", (raw) =>
    Array.isArray(raw)
      ? raw.every((code) => typeof code === "string")
        ? mergeLists(emptyList(), {
            entries: Object.fromEntries(raw.map((code) => [code, { value: code, at: 0 }])),
            removed: {},
          })
        : undefined
      : checkList(raw, (code) => (typeof code === "string" ? code : undefined)),
  );

/** The share codes of kept results, in the order they were kept. */
export const keptCodes = (/** @type {import("./merge.js").KeptList<string> | null | undefined} */ list) =>
  list ? listEntries(list).map((entry) => entry.value) : [];
