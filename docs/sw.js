/*
 * Offline support: keeps copies of this site's own files, so that after one visit the
 * playbook and the self-assessment keep working with the network gone, or with the site's
 * server out of reach while the browser is online (a dropped VPN, a stopped intranet server, a
 * gateway answering 502, a server that never answers).
 *
 * Only requests for this site's own files are handled; nothing else passes through here,
 * and nothing is sent anywhere. Pages come from the network first (so updates show) and from
 * the kept copy when the network or the server fails, or keeps them waiting. The Python
 * runtime (runtime/) is left to the browser while the server answers: its HTTP cache and its
 * compiled-WebAssembly cache make a revisit start faster than any copy served from here could
 * (bench/levers.md, `sw-runtime-passthrough`); once a request to the server has failed or kept
 * a page waiting, the kept copy serves it, until the server answers again. Other files come
 * from the kept copy at once and are refreshed in the background. After a first visit, every
 * page of the playbook is kept too, in the background, once per deploy that changed one
 * (keepPages), so that a reader who goes offline can open any of them.
 */

// @ts-check
/** @type {ServiceWorkerGlobalScope & {PLAYBOOK_MANIFEST: {build: string, pages?: {version: string, urls: string[]}, names: {offline_cache: string, retired_caches: string[]}}}} */
const sw = /** @type {any} */ (self);

// The build's manifest (hooks/runtime.py) names the cache; importScripts keeps it with this
// worker, so it is there offline too.
importScripts("runtime-manifest.js");
const CACHE = sw.PLAYBOOK_MANIFEST.names.offline_cache;
const SCOPE = new URL(sw.registration.scope);
const RUNTIME = `${SCOPE.pathname}runtime/`;
// A file named for its build (name-<build>.ext: the engine's archive, PyScript's config, the
// interpreter module) stands for the same file of every other build.
const BUILD_IN_NAME = new RegExp(`-[0-9a-f]{${sw.PLAYBOOK_MANIFEST.build.length}}(\\.\\w+)$`);
const withoutBuild = (/** @type {URL} */ url) => url.pathname.replace(BUILD_IN_NAME, "$1");
// Every page of the site, and a digest of them as built (hooks/runtime.py, on_post_build).
const SITE_PAGES = sw.PLAYBOOK_MANIFEST.pages ?? { version: "", urls: [] };
const PAGES = SITE_PAGES.urls.map((page) => new URL(page, SCOPE).href);
const isPage = new Set(PAGES);
// A kept page carries the digest of the pages of the worker that kept it: after a deploy that
// changed any page, the digest, and so this worker's script, changes, the browser installs
// the new worker, and it keeps the pages again, once.
const KEPT_BY = "X-Playbook-Kept-By";

sw.addEventListener("install", () => sw.skipWaiting());
// What earlier builds kept and this one no longer uses goes when this worker takes over.
const forgetRetired = () =>
  Promise.all(sw.PLAYBOOK_MANIFEST.names.retired_caches.map((name) => caches.delete(name)));
sw.addEventListener("activate", (event) =>
  event.waitUntil(Promise.all([sw.clients.claim(), forgetRetired()])),
);

const isOwn = (url) => url.origin === SCOPE.origin && url.pathname.startsWith(SCOPE.pathname);
const online = () => sw.navigator.onLine !== false;

// Whether the site's server answers. The browser's `onLine` says only that some network is
// there: an intranet server behind a dropped VPN is out of reach all the same. Starts hopeful
// each time the browser starts this worker; a page load's first request (its navigation) sets
// it.
let serverAnswers = true;
// Requests to the server are numbered as they are sent. Only an answer to a request sent after
// the last failure says the server is back: one sent before it (a background refresh the
// server was still answering when it went down) arrives late and says nothing of now.
let sent = 0;
let lastFailure = 0;
/** Note that the server failed every request sent so far. */
const serverFailed = () => {
  serverAnswers = false;
  lastFailure = sent;
};
// An answer of 500 or more is a server or a gateway in trouble, not the file.
const failed = (/** @type {Response} */ response) => response.status >= 500;

/** Fetch `request` from the network, noting whether the server answered. */
const fromServer = async (/** @type {Request} */ request) => {
  const number = ++sent;
  try {
    const response = await fetch(request);
    if (failed(response)) serverFailed();
    else if (number > lastFailure) serverAnswers = true;
    return response;
  } catch (error) {
    serverFailed();
    throw error;
  }
};

// Kept copies are found by their URL alone: a server's `Vary` (on Accept, User-Agent...)
// must not hide them when they are needed.
const KEPT = { ignoreVary: true };

/** Keep a copy of a response, only once its whole body has arrived. */
const keep = async (request, response) => {
  if (!response.ok || response.type !== "basic") return;
  // A body that fails half-way must not replace (and so delete) a good kept copy.
  const body = await response.blob();
  const { status, statusText } = response;
  const headers = new Headers(response.headers);
  const url = new URL(request.url);
  if (isPage.has(url.origin + url.pathname)) headers.set(KEPT_BY, SITE_PAGES.version);
  const cache = await caches.open(CACHE);
  await cache.put(request, new Response(body, { status, statusText, headers }));
  // A file versioned by its build (?v=... or in its name) replaces the copies of other builds.
  const named = BUILD_IN_NAME.test(url.pathname);
  if (!url.searchParams.has("v") && !named) return;
  for (const other of await cache.keys()) {
    const otherUrl = new URL(other.url);
    const otherBuild = named
      ? otherUrl.pathname !== url.pathname && withoutBuild(otherUrl) === withoutBuild(url)
      : otherUrl.pathname === url.pathname && otherUrl.search !== url.search;
    if (otherBuild) await cache.delete(other);
  }
};

/** Whether two responses are the same version of a file, judged by their validators. */
const sameVersion = (kept, fresh) => {
  const tag = (response) => response.headers.get("ETag");
  if (tag(kept) && tag(fresh)) return tag(kept) === tag(fresh);
  const stamp = (response) =>
    [response.headers.get("Last-Modified"), response.headers.get("Content-Length")].join("|");
  return Boolean(kept.headers.get("Last-Modified")) && stamp(kept) === stamp(fresh);
};

/** The kept copy's status and headers, for a HEAD request the server cannot answer. */
const keptHead = async (/** @type {Request} */ request) => {
  const kept = await caches.match(request, { ...KEPT, ignoreMethod: true });
  if (!kept) return undefined;
  const { status, statusText, headers } = kept;
  return new Response(null, { status, statusText, headers });
};

// How long a page, or a page's check of a file, waits for the server before the kept copy
// answers instead: a server behind a dropped VPN may keep a request waiting rather than
// refuse it. The server's answer, should it come later, is still kept.
const PATIENCE_MS = 4_000;

/**
 * The server's `answer`, or `fallback()`'s (a kept copy) when the request fails, the server
 * answers with an error of its own (5xx), or keeps it waiting. Without a kept copy, whatever the
 * server says, when it says it.
 */
const serverOr = async (
  /** @type {Promise<Response>} */ answer,
  /** @type {() => Promise<Response | undefined>} */ fallback,
) => {
  answer.catch(() => undefined);
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let timer;
  const waited = new Promise((resolve) => {
    timer = setTimeout(resolve, PATIENCE_MS, "waited");
  });
  try {
    let response = await Promise.race([answer, waited]);
    if (response === "waited") {
      const kept = await fallback();
      if (kept) {
        // Until the server answers again (fromServer), the runtime comes from kept copies too.
        serverFailed();
        return kept;
      }
      response = await answer;
    }
    return failed(response) ? ((await fallback()) ?? response) : response;
  } catch {
    return (await fallback()) ?? Response.error();
  } finally {
    clearTimeout(timer);
  }
};

/** @type {AbortController | undefined} The pages being kept in the background, if any. */
let sweep;

sw.addEventListener("fetch", (event) => {
  const { request } = event;
  const url = new URL(request.url);
  if (!isOwn(url)) return;
  // Pages check their engine's files with HEAD requests (docs/javascripts/engine.js).
  if (request.method === "HEAD") {
    event.respondWith(serverOr(fromServer(request), () => keptHead(request)));
    return;
  }
  if (request.method !== "GET") return;
  if (url.pathname.startsWith(RUNTIME) && online() && serverAnswers) return;
  if (request.mode === "navigate") {
    // A page is loading: the pages being kept in the background wait for it (keepPages).
    sweep?.abort();
    const answer = fromServer(request);
    // Kept whenever it comes, even after the kept copy has answered in its place.
    const keepAnswer = async () => {
      const response = await answer;
      if (!failed(response)) await keep(request, response.clone());
    };
    event.waitUntil(keepAnswer().catch(() => undefined));
    const keptPage = () => caches.match(request, { ...KEPT, ignoreSearch: true });
    event.respondWith(serverOr(answer, keptPage));
    return;
  }
  event.respondWith(
    (async () => {
      const kept = await caches.match(request, KEPT);
      const fresh = fromServer(request).then((response) => {
        event.waitUntil(keep(request, response.clone()).catch(() => undefined));
        return response;
      });
      if (kept) {
        event.waitUntil(fresh.catch(() => undefined));
        return kept;
      }
      return fresh;
    })(),
  );
});

/** Keep `url` unless the kept copy is already this version of it. */
const keepLatest = async (cache, url) => {
  // From the browser's HTTP cache, which holds what the page just loaded: no second download.
  const fresh = await fetch(url, { cache: "force-cache" });
  const kept = await cache.match(url);
  if (kept && sameVersion(kept, fresh)) {
    await fresh.body?.cancel();
    return;
  }
  await keep(new Request(url), fresh);
};

// Pages that answered with something not worth keeping (a 404...), not asked again by this
// worker.
const notKept = new Set();

/**
 * Keep every page of the site that this version of the worker has not kept yet, one at a time.
 * Stops when the network does, or when a page starts loading (`signal`): pages ask for this once
 * they are idle, and a page that runs Python only once Python is ready, so it never competes
 * with a page's own start.
 */
const keepPages = async (/** @type {AbortSignal} */ signal) => {
  const cache = await caches.open(CACHE);
  for (const url of PAGES) {
    if (signal.aborted || !online()) return;
    if (notKept.has(url)) continue;
    const kept = await cache.match(url, { ...KEPT, ignoreSearch: true });
    if (kept?.headers.get(KEPT_BY) === SITE_PAGES.version) continue;
    // Revalidated: the browser's HTTP cache may hold a page of the deploy before.
    const response = await fetch(url, { signal, cache: "no-cache" });
    if (response.ok) {
      await keep(new Request(url), response);
    } else {
      notKept.add(url);
      await response.body?.cancel();
    }
  }
};

// A page lists the files it loaded (some before this worker controlled it, and the runtime's
// always bypass it while online): keep those that are new or changed. It also asks, once it
// is idle, for the rest of the site's pages to be kept ("keep-pages").
sw.addEventListener("message", (event) => {
  if (event.data?.type === "keep-pages") {
    if (sweep) return;
    const controller = new AbortController();
    sweep = controller;
    event.waitUntil(
      keepPages(controller.signal)
        .catch(() => {
          // Offline, or a page started loading: the next page that is idle asks again.
        })
        .finally(() => {
          if (sweep === controller) sweep = undefined;
        }),
    );
    return;
  }
  if (event.data?.type !== "keep" || !Array.isArray(event.data.urls)) return;
  const urls = event.data.urls
    .filter((url) => typeof url === "string")
    .map((url) => new URL(url, SCOPE))
    .filter(isOwn);
  event.waitUntil(
    caches.open(CACHE).then((cache) =>
      Promise.all(
        urls.map((url) =>
          keepLatest(cache, url).catch(() => {
            // Offline or gone: nothing to keep.
          }),
        ),
      ),
    ),
  );
});
