// @ts-check
/*
 * On a page that starts Python, Material's search would build its index in a worker of its own
 * as soon as the page loads, on the same cores as Python's start (bench/levers.md). This holds
 * that worker back until the page's engine has settled (ready or failed) or the reader reaches
 * for search, whichever comes first; search then works as on every other page.
 *
 * It must run before Material's bundle, which creates the worker as it runs: hooks/runtime.py
 * puts it just before the bundle's script, below the page's content, whose parsing it would
 * otherwise hold up.
 */
(() => {
  const NativeWorker = window.Worker;
  if (typeof NativeWorker !== "function") return;
  const SEARCH_WORKER = /\/assets\/javascripts\/workers\/search\.[^/]*\.js$/;
  // However the engine fares, search is not held back for longer than this.
  const AT_MOST_MS = 30_000;

  /** @type {() => void} */
  let release = () => undefined;
  /** @type {Promise<void>} */
  const released = new Promise((resolve) => {
    release = () => resolve();
  });

  /** A stand-in with a Worker's interface: messages wait until the real worker starts. */
  class HeldWorker extends EventTarget {
    /** @param {string | URL} url @param {WorkerOptions | undefined} options */
    constructor(url, options) {
      super();
      /** @type {unknown[]} */
      const waiting = [];
      /** @type {Worker | null} */
      let real = null;
      let ended = false;
      this.postMessage = (/** @type {unknown} */ message) => {
        if (real) real.postMessage(message);
        else waiting.push(message);
      };
      this.terminate = () => {
        ended = true;
        real?.terminate();
      };
      released.then(() => {
        if (ended) return;
        real = new NativeWorker(url, options);
        for (const type of ["message", "messageerror", "error"]) {
          real.addEventListener(type, (event) => {
            const copy =
              event instanceof MessageEvent
                ? new MessageEvent(type, { data: event.data })
                : new Event(type);
            this.dispatchEvent(copy);
          });
        }
        for (const message of waiting.splice(0)) real.postMessage(message);
      });
    }
  }

  window.Worker = new Proxy(NativeWorker, {
    construct(target, args, newTarget) {
      const [url, options] = args;
      if (SEARCH_WORKER.test(new URL(String(url), document.baseURI).pathname)) {
        return new HeldWorker(url, options);
      }
      return Reflect.construct(target, args, newTarget);
    },
  });

  // Material's bundle has created its worker by the time the document is parsed.
  document.addEventListener("DOMContentLoaded", () => {
    window.Worker = NativeWorker;
    const status = document.getElementById("py-status");
    const settled = () => status?.dataset.state !== "loading";
    if (!status || settled()) return release();
    new MutationObserver(() => settled() && release()).observe(status, {
      attributes: true,
      attributeFilter: ["data-state"],
    });
  });
  // The reader reaches for search: the header's button, a shortcut key, or the search field.
  const reached = (/** @type {Event} */ event) => {
    const target = /** @type {Element | null} */ (event.target);
    if (event instanceof KeyboardEvent) {
      const typing = target?.closest("input, textarea, select, [contenteditable]");
      if (!typing && ["/", "s", "S", "f", "F"].includes(event.key)) release();
    } else if (target?.closest?.("[for='__search'], .md-search")) {
      release();
    }
  };
  for (const type of ["pointerdown", "focusin", "keydown"]) {
    document.addEventListener(type, reached, { capture: true, passive: true });
  }
  setTimeout(release, AT_MOST_MS);
})();
