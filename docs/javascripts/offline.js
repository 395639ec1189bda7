/*
 * Registers the site's service worker (sw.js), which keeps this site's own files so that the
 * playbook and the self-assessment work offline after one visit. Then tells it which files
 * this page already loaded (and the page it came from), on load and whenever a page signals
 * "playbook:keep"; and, once this page is idle, to keep the rest of the site's pages.
 */
// @ts-check
(() => {
  if (!("serviceWorker" in navigator)) return;
  const script = /** @type {HTMLScriptElement} */ (document.currentScript);
  const site = new URL("../", script.src);
  const worker = new URL("sw.js", site);

  // The Python runtime's files (runtime/) are kept only once the engine is ready
  // ("playbook:keep"): then they are in the browser's HTTP cache. Listed earlier, the worker
  // would download the runtime a second time (a HEAD request from the page's check lists a
  // file it has not read), while Python is starting.
  const runtime = new URL("runtime/", site).href;
  const keepLoadedFiles = async (withRuntime = false) => {
    const registration = await navigator.serviceWorker.ready;
    const urls = [
      window.location.href.split("#")[0],
      ...performance
        .getEntriesByType("resource")
        .map((entry) => entry.name)
        .filter((url) => withRuntime || !url.startsWith(runtime)),
    ];
    // The first page of a visit is often left before the worker is ready: keep it from here.
    // (The worker keeps only this site's own files, whatever a referrer says.)
    if (document.referrer) urls.push(document.referrer.split("#")[0]);
    registration.active?.postMessage({ type: "keep", urls });
  };

  // The rest of the site's pages, kept in the background when this page has nothing else to
  // do (the worker keeps each once per build, and stops when another page starts loading).
  const keepPages = () => {
    // Not for a reader who asked the browser to save data.
    // @ts-ignore: navigator.connection is Chromium's.
    if (navigator.connection?.saveData) return;
    const ask = () =>
      navigator.serviceWorker.ready
        .then((registration) => registration.active?.postMessage({ type: "keep-pages" }))
        .catch(() => undefined);
    if (typeof requestIdleCallback === "function") requestIdleCallback(ask);
    else setTimeout(ask, 1_000);
  };
  // A page that runs Python asks only once Python is ready ("playbook:keep"), never while it
  // starts.
  const runsPython = document.querySelector('script[type="py"]') !== null;
  let started = false;
  const pageStarted = () => {
    started = true;
    keepPages();
  };

  // The browser looks for a new worker (sw.js and the build's manifest it imports) past its
  // HTTP cache: a server's cache lifetime (ten minutes on GitHub Pages, a guess from the file's
  // age elsewhere) would otherwise keep the worker of the deploy before, and its pages.
  const options = { scope: site.pathname, updateViaCache: /** @type {const} */ ("none") };
  navigator.serviceWorker.register(worker, options).catch(() => {
    // Without a service worker the site works as before, just not offline.
  });
  window.addEventListener("load", () => {
    keepLoadedFiles().catch(() => undefined);
    if (!runsPython) pageStarted();
  });
  document.addEventListener("playbook:keep", () => {
    keepLoadedFiles(true).catch(() => undefined);
    pageStarted();
  });
  // A new worker took over (after a deploy that changed a page): it keeps the pages again.
  navigator.serviceWorker.addEventListener("controllerchange", () => {
    if (started) keepPages();
  });
})();
