// @ts-check
/*
 * The reader's own answers as this browser keeps them: one record, written by the assessment
 * page and read by the compare page ("Add my own current answers"). Defined here only.
 *
 *   {bank_version, perspective, answers: {question id: level or null},
 *    updated: {question id or "@perspective": time}}
 *
 * `updated` holds when each answer was last given here, so two tabs merge answer by answer.
 */
import { kept, manifest } from "./page.js";

/** @typedef {Record<string, number | null>} Answers */
/**
 * @typedef {{
 *   bank_version: string, perspective: string, answers: Answers,
 *   updated: Record<string, number>, source?: string,
 * }} SavedRecord
 */

/** The key under which `updated` keeps the time the perspective was chosen. */
export const PERSPECTIVE_TIME = "@perspective";

const LEVELS = new Set(manifest.answers.levels);

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
  return /** @type {SavedRecord} */ ({
    bank_version: String(raw.bank_version ?? ""),
    perspective: typeof raw.perspective === "string" ? raw.perspective : "",
    answers: valid,
    updated: times,
  });
};

/** The reader's own answers, as kept in this browser. */
export const ownAnswers = () => kept("answers", checkRecord);

/** Answers opened from a link or a file, shown instead of the reader's own until they choose. */
export const sharedAnswers = () => kept("shared", checkRecord);

/** Merge two records question by question: the later change wins, only on that question. */
export const mergeRecords = (
  /** @type {SavedRecord} */ ours,
  /** @type {SavedRecord} */ theirs,
  /** @type {string} */ bankVersion,
) => {
  const answers = { ...ours.answers };
  const times = { ...ours.updated };
  for (const [name, level] of Object.entries(theirs.answers)) {
    if (!Object.hasOwn(answers, name) || (theirs.updated[name] ?? 0) > (times[name] ?? 0)) {
      answers[name] = level;
      times[name] = theirs.updated[name] ?? 0;
    }
  }
  const theirsFirst =
    (theirs.updated[PERSPECTIVE_TIME] ?? 0) > (times[PERSPECTIVE_TIME] ?? 0);
  if (theirsFirst) times[PERSPECTIVE_TIME] = theirs.updated[PERSPECTIVE_TIME];
  return /** @type {SavedRecord} */ ({
    bank_version: bankVersion,
    perspective: theirsFirst ? theirs.perspective : ours.perspective,
    answers,
    updated: times,
  });
};
