// @ts-check
/*
 * The guided form: the assessment's one HTML form (macros/render.py renders it from the bank),
 * shown one question per screen, with a progress bar, Back and Next, a list of the groups to
 * jump to, and keys (1 to 5 choose the answers in the order shown, worst first; D: don't know;
 * Enter: next; Backspace: back). Or the whole form on one page, as without JavaScript and in
 * print. The quick check is the guided form over the bank's core questions only.
 *
 * Nothing here holds an answer: the radios are the answers, and app.js saves them on every
 * change, whatever the mode. This file keeps only the mode and the question on screen (so that
 * a reload returns to it), and shows or hides what the mode asks for. The skip rule (a
 * question asked only once another is answered at a level or more) comes from the bank, as
 * each question's data-asked-if and data-asked-at.
 */
import { $, kept } from "../javascripts/page.js";

/** @typedef {"page" | "guided" | "quick"} Mode */
/** @type {Mode[]} */
const MODES = ["page", "guided", "quick"];
const PERSPECTIVE = "perspective";
const FINISH = "finish";
// A key answer is shown chosen for a moment before the next question comes.
const ADVANCE_MS = 180;
// An answer chosen this soon after a tap or a click was chosen by it (not by an arrow key).
const TAP_MS = 1000;
// Where the stylesheet lays the page out for a phone: Material's breakpoint, which extra.css's
// phone rules use too (tests/test_site.py holds the two the same). A media query, not a
// computed style: reading a style as the page starts would make the browser style the whole
// form at once, only to show one question of it.
const PHONE = "(max-width: 44.9375em)";
const onPhone = () => window.matchMedia(PHONE).matches;

/** The mode and the step on screen, kept in this browser (no answer: those are app.js's). */
const PLACE = kept("form-mode", (/** @type {any} */ raw) =>
  raw && typeof raw === "object" && MODES.includes(raw.mode)
    ? { mode: /** @type {Mode} */ (raw.mode), at: typeof raw.at === "string" ? raw.at : "" }
    : undefined,
);

/**
 * @param {HTMLFormElement} form the assessment's form
 * @param {string} dontKnow the value of the "don't know" radios
 */
export const createGuide = (form, dontKnow) => {
  /** @type {Mode} */
  let mode = "page";
  let at = PERSPECTIVE;

  const questions = () =>
    /** @type {HTMLElement[]} */ ([...form.querySelectorAll("fieldset[data-question]")]);
  const fieldset = (/** @type {string} */ step) =>
    /** @type {HTMLElement | null} */ (form.querySelector(`#q-${CSS.escape(step)}`));

  /** The level chosen for a question, or null (none, or don't know). */
  const level = (/** @type {string} */ name) => {
    const checked = /** @type {HTMLInputElement | null} */ (
      form.querySelector(`input[name="${CSS.escape(name)}"]:checked`)
    );
    return checked && checked.value !== dontKnow ? Number(checked.value) : null;
  };
  const answered = (/** @type {string} */ name) =>
    form.querySelector(`input[name="${CSS.escape(name)}"]:checked`) !== null;

  /** Whether the bank's skip rule asks this question, given the answers so far. */
  const asked = (/** @type {HTMLElement} */ question) => {
    const other = question.dataset.askedIf;
    if (!other) return true;
    const given = level(other);
    return given !== null && given >= Number(question.dataset.askedAt);
  };

  /** The questions this mode asks, in order (the quick check: the core questions only). */
  const questionSteps = () =>
    questions()
      .filter((q) => asked(q) && (mode !== "quick" || q.dataset.core === "true"))
      .map((q) => q.dataset.question ?? "");

  const steps = () => [PERSPECTIVE, ...questionSteps(), FINISH];

  /** Mark what does not apply: dimmed, with its note, on the one-page form; skipped here. */
  const markSkipped = () => {
    for (const question of questions()) question.toggleAttribute("data-skipped", !asked(question));
  };

  const save = () => {
    PLACE.write({ mode, at });
  };

  /** The step to show: `wanted` if this mode has it, else the next one it has after it. */
  const nearest = (/** @type {string} */ wanted) => {
    const list = steps();
    if (list.includes(wanted)) return wanted;
    const order = [PERSPECTIVE, ...questions().map((q) => q.dataset.question ?? ""), FINISH];
    const from = order.indexOf(wanted);
    return list.find((step) => order.indexOf(step) > from) ?? FINISH;
  };

  const guided = () => mode !== "page";

  /** Show the page as the mode and the step ask; move the focus there when `focus`. */
  const render = (focus = false) => {
    markSkipped();
    form.dataset.mode = guided() ? "guided" : "page";
    // Also what a phone's stylesheet waits for before it lays the questions out (extra.css).
    form.dataset.scope = mode === "quick" ? "quick" : "full";
    for (const button of document.querySelectorAll("#pp-modes [data-mode]")) {
      button.setAttribute("aria-pressed", String(/** @type {HTMLElement} */ (button).dataset.mode === mode));
    }
    $("pp-guide").hidden = !guided();
    $("pp-guide-buttons").hidden = !guided();
    $("pp-finish-text").hidden = !guided();
    if (!guided()) {
      delete form.dataset.step;
      for (const element of form.querySelectorAll(".pp-current, .pp-current-group")) {
        element.classList.remove("pp-current", "pp-current-group");
      }
      return;
    }
    at = nearest(at);
    form.dataset.step = at;
    const list = steps();
    const asking = list.filter((step) => step !== PERSPECTIVE && step !== FINISH);
    const index = asking.indexOf(at);
    const current = fieldset(at);
    for (const element of form.querySelectorAll(".pp-current, .pp-current-group")) {
      element.classList.remove("pp-current", "pp-current-group");
    }
    current?.classList.add("pp-current");
    current?.closest(".pp-group")?.classList.add("pp-current-group");
    const done = asking.filter(answered).length;
    const kind = mode === "quick" ? "Quick check" : "Full check";
    $("pp-guide-where").textContent =
      at === PERSPECTIVE
        ? "Before the questions: your side"
        : at === FINISH
          ? `${done} of ${asking.length} questions answered`
          : `Question ${index + 1} of ${asking.length}`;
    $("pp-guide-kind").textContent = `(${kind})`;
    const progress = /** @type {HTMLProgressElement} */ ($("pp-guide-progress"));
    progress.max = Math.max(asking.length, 1);
    progress.value = at === FINISH ? asking.length : Math.max(index, 0);
    const jump = /** @type {HTMLSelectElement} */ ($("pp-guide-jump"));
    for (const option of jump.options) {
      option.hidden = ![PERSPECTIVE, FINISH].includes(option.value) && !list.some(
        (step) => fieldset(step)?.closest(".pp-group")?.getAttribute("data-group") === option.value,
      );
    }
    jump.value = at === PERSPECTIVE || at === FINISH
      ? at
      : current?.closest(".pp-group")?.getAttribute("data-group") ?? PERSPECTIVE;
    $("pp-guide-back").hidden = at === PERSPECTIVE;
    const next = $("pp-guide-next");
    next.hidden = at === FINISH;
    next.textContent = list[list.indexOf(at) + 1] === FINISH ? "Finish" : "Next";
    $("pp-finish-text").textContent =
      at === FINISH
        ? `${done} of ${asking.length} questions answered.` +
          (done < asking.length ? " Questions left unanswered count as “don't know”." : "")
        : "";
    save();
    if (focus) {
      const target =
        at === FINISH
          ? $("pp-submit")
          : /** @type {HTMLElement | null} */ (
              current?.querySelector("input:checked") ?? current?.querySelector("input")
            );
      target?.focus({ preventScroll: true });
      // The question's screen starts at the guide's bar: bring it up if it is out of view.
      const top = $("pp-guide").getBoundingClientRect().top;
      if (top < 0 || top > window.innerHeight / 3) $("pp-guide").scrollIntoView({ block: "start" });
    }
  };

  const go = (/** @type {number} */ by) => {
    const list = steps();
    const index = Math.min(Math.max(list.indexOf(nearest(at)) + by, 0), list.length - 1);
    at = list[index];
    render(true);
  };

  /** Choose the answer shown in position `n` (1 = the first), or don't know, by key. */
  const choose = (/** @type {number | "dk"} */ n) => {
    const current = fieldset(at);
    if (!current) return false;
    const inputs = /** @type {HTMLInputElement[]} */ ([...current.querySelectorAll("input[type=radio]")]);
    const input =
      n === "dk"
        ? inputs.find((i) => i.value === dontKnow)
        : inputs.filter((i) => i.value !== dontKnow)[n - 1];
    if (!input) return false;
    input.checked = true;
    input.focus({ preventScroll: true });
    input.dispatchEvent(new Event("change", { bubbles: true }));
    return true;
  };

  form.addEventListener("keydown", (event) => {
    if (!guided() || event.ctrlKey || event.metaKey || event.altKey) return;
    const target = /** @type {HTMLElement} */ (event.target);
    if (target.matches("select, textarea, input:not([type=radio])")) return;
    const key = event.key;
    if (/^[1-9]$/.test(key) || key === "d" || key === "D") {
      const n = key === "d" || key === "D" ? "dk" : Number(key);
      if (at !== FINISH && choose(n)) {
        event.preventDefault();
        window.setTimeout(() => go(1), ADVANCE_MS);
      }
    } else if (key === "Enter" && !target.matches("button")) {
      // Enter on a radio would submit the form: here it goes to the next question.
      event.preventDefault();
      if (at === FINISH) form.requestSubmit($("pp-submit"));
      else go(1);
    } else if (key === "Backspace") {
      event.preventDefault();
      go(-1);
    }
  });

  $("pp-guide-next").addEventListener("click", () => go(1));
  $("pp-guide-back").addEventListener("click", () => go(-1));
  $("pp-guide-jump").addEventListener("change", (event) => {
    const group = /** @type {HTMLSelectElement} */ (event.target).value;
    at =
      group === PERSPECTIVE || group === FINISH
        ? group
        : steps().find((step) => fieldset(step)?.closest(".pp-group")?.getAttribute("data-group") === group) ??
          at;
    render(true);
  });
  // An answer can change what is asked (the skip rule), and the counts.
  form.addEventListener("change", () => {
    if (guided()) render();
    else markSkipped();
  });

  // A tap (or a click) on an answer goes on to the next question, as its key does, also on the
  // answer already chosen. Arrow keys only move between a question's answers (they "click" the
  // radio too, with no pointer just before): the reader then goes on with Enter or Next.
  let pointed = 0;
  form.addEventListener("pointerdown", () => {
    pointed = Date.now();
  });
  form.addEventListener("click", (event) => {
    const input = event.target;
    if (!guided() || at === FINISH || Date.now() - pointed > TAP_MS) return;
    if (!(input instanceof HTMLInputElement) || input.type !== "radio") return;
    if (!fieldset(at)?.contains(input)) return;
    pointed = 0;
    const from = at;
    window.setTimeout(() => {
      if (at === from) go(1);
    }, ADVANCE_MS);
  });

  /** Switch to `next` mode, keeping every answer; the question on screen stays if it can. */
  const setMode = (/** @type {Mode} */ next, focus = true) => {
    const wasPage = !guided();
    mode = next;
    if (guided() && wasPage) {
      // From the whole form: the first question not answered yet (the side first, when
      // nothing is answered), or the end when every one is.
      const list = questionSteps();
      const open = list.find((step) => !answered(step));
      at = !list.some(answered) ? PERSPECTIVE : (open ?? FINISH);
    }
    render(focus);
    if (!guided()) {
      save();
      const current = fieldset(at);
      if (focus && current) current.scrollIntoView({ block: "center" });
    }
  };

  for (const button of document.querySelectorAll("#pp-modes [data-mode]")) {
    button.addEventListener("click", () =>
      setMode(/** @type {Mode} */ (/** @type {HTMLElement} */ (button).dataset.mode)),
    );
  }

  /** Continue a quick check into the rest: the full check, from the first question not answered. */
  const deepen = () => {
    mode = "guided";
    at = questionSteps().find((step) => !answered(step)) ?? FINISH;
    render(true);
  };

  /** Start: show the chooser, and the mode and question kept in this browser. */
  const start = () => {
    $("pp-modes").hidden = false;
    const place = PLACE.read().value;
    if (place) {
      mode = place.mode;
      at = place.at || PERSPECTIVE;
      render(false);
    } else if (onPhone()) {
      setMode("guided", false);
    } else {
      render(false);
    }
  };

  return {
    start,
    setMode,
    deepen,
    /** The answers changed from elsewhere (another tab, a link, a file): show them again. */
    refresh: () => render(false),
    mode: () => mode,
  };
};
