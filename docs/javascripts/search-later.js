// @ts-check
/*
 * On a page that starts Python, Material's search would download the site's search index and
 * build it in a worker of its own as soon as the page loads: bytes on a phone's network, and
 * work on the cores Python starts on and then answers on (bench/levers.md). This holds that
 * worker, and the theme's request for the index (an XMLHttpRequest), back until the reader
 * reaches for search (its button, its field, a shortcut key); search then works as on every
 * other page. A reader who never searches on this page never loads the index here.
 *
 * It must run before Material's bundle, which creates the worker as it runs: hooks/runtime.py
 * puts it just before the bundle's script, below the page's content, whose parsing it would
 * otherwise hold up.
 */
(() => {
  const NativeWorker = window.Worker;
  if (typeof NativeWorker !== "function") return;
  const SEARCH_WORKER = /\/assets\/javascripts\/workers\/search\.[^/]*\.js$/;
  const SEARCH_INDEX = /\/search\/search_index\.json$/;
  const isSearch = (/** @type {string | URL} */ url, /** @type {RegExp} */ pattern) =>
    pattern.test(new URL(String(url), document.baseURI).pathname);

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
      if (isSearch(url, SEARCH_WORKER)) return new HeldWorker(url, options);
      return Reflect.construct(target, args, newTarget);
    },
  });

  // The index's request is opened as any other, and sent once search is released.
  const { open, send } = XMLHttpRequest.prototype;
  /** @type {WeakSet<XMLHttpRequest>} */
  const heldRequests = new WeakSet();
  /** @this {XMLHttpRequest} @param {string} method @param {string | URL} url @param {any[]} rest */
  XMLHttpRequest.prototype.open = function (method, url, ...rest) {
    if (isSearch(url, SEARCH_INDEX)) heldRequests.add(this);
    // @ts-ignore: open's overloads take the rest as they are given.
    return open.call(this, method, url, ...rest);
  };
  /** @this {XMLHttpRequest} @param {Document | XMLHttpRequestBodyInit | null} [body] */
  XMLHttpRequest.prototype.send = function (body) {
    if (!heldRequests.has(this)) return send.call(this, body);
    released.then(() => send.call(this, body));
  };

  // Material's bundle has created its worker, and asked for the index, by the time the
  // document is parsed.
  document.addEventListener("DOMContentLoaded", () => {
    window.Worker = NativeWorker;
    XMLHttpRequest.prototype.open = open;
    XMLHttpRequest.prototype.send = send;
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
})();
