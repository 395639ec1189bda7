// @ts-check
/*
 * Makes the Python memory snapshot the next visit starts from (interpreter.mjs), in the
 * background once the page's engine is ready, then reports and is ended by the page.
 * It imports the interpreter module of its own build (named by this file's `?v=`).
 */
const build = new URL(import.meta.url).searchParams.get("v");
const { keepSnapshot } = await import(new URL(`interpreter-${build}.mjs`, import.meta.url).href);

keepSnapshot().then(
  (/** @type {string} */ outcome) => postMessage({ outcome }),
  (/** @type {unknown} */ error) => postMessage({ error: String(error) }),
);
