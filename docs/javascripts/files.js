// @ts-check
/*
 * Files in and out of a page, made and read here in the browser: nothing is uploaded.
 * Shared by every page that computes with Python (assessment, compare, exit planner).
 */

/** Offer `text` as a file named `filename`, made here, in this browser. */
export const download = (
  /** @type {string} */ filename,
  /** @type {string} */ type,
  /** @type {string} */ text,
) => {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const anchor = document.createElement("a");
  anchor.href = url;
  anchor.download = filename;
  document.body.append(anchor);
  anchor.click();
  anchor.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
};

/**
 * A file's bytes as base64, for the engine's one reader of JSON files
 * (assessment/exports.py): the command line and the page then apply one rule to byte-order
 * marks and encodings, rather than the browser decoding the text first.
 */
export const base64Of = async (/** @type {Blob} */ file) => {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let binary = "";
  for (let at = 0; at < bytes.length; at += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(at, at + 0x8000));
  }
  return btoa(binary);
};
