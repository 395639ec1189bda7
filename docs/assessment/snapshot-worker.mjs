/*
 * Makes the Python memory snapshot the next visit starts from (interpreter.mjs), in the
 * background once the page's engine is ready, then reports and is ended by the page.
 */
import { keepSnapshot } from "./interpreter.mjs";

keepSnapshot().then(
  (outcome) => postMessage({ outcome }),
  (error) => postMessage({ error: String(error) }),
);
