/*
 * Offline support: keeps copies of this site's own files, so that after one visit the
 * playbook and the self-assessment keep working with the network gone.
 *
 * Only GET requests for this site's own files are handled; nothing else passes through
 * here, and nothing is sent anywhere. Pages come from the network first (so updates show)
 * and from the kept copy when offline; other files come from the kept copy at once and are
 * refreshed in the background.
 */

const CACHE = "partnership-playbook-v1";
const SCOPE = new URL(self.registration.scope);

self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (event) => event.waitUntil(self.clients.claim()));

const isOwn = (url) => url.origin === SCOPE.origin && url.pathname.startsWith(SCOPE.pathname);

/** Keep a copy of a response, only once its whole body has arrived. */
const keep = async (request, response) => {
  if (!response.ok || response.type !== "basic") return;
  // A body that fails half-way must not replace (and so delete) a good kept copy.
  const body = await response.blob();
  const { status, statusText, headers } = response;
  const cache = await caches.open(CACHE);
  await cache.put(request, new Response(body, { status, statusText, headers }));
};

self.addEventListener("fetch", (event) => {
  const { request } = event;
  const url = new URL(request.url);
  if (request.method !== "GET" || !isOwn(url)) return;
  if (request.mode === "navigate") {
    event.respondWith(
      fetch(request)
        .then((response) => {
          event.waitUntil(keep(request, response.clone()).catch(() => undefined));
          return response;
        })
        .catch(async () => (await caches.match(request, { ignoreSearch: true })) ?? Response.error()),
    );
    return;
  }
  event.respondWith(
    (async () => {
      const kept = await caches.match(request);
      const fresh = fetch(request).then((response) => {
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

// A page lists what it loaded before this worker controlled it: keep those files too.
self.addEventListener("message", (event) => {
  if (event.data?.type !== "keep" || !Array.isArray(event.data.urls)) return;
  const urls = event.data.urls
    .filter((url) => typeof url === "string")
    .map((url) => new URL(url, SCOPE))
    .filter(isOwn);
  event.waitUntil(
    caches.open(CACHE).then((cache) =>
      Promise.all(
        urls.map(async (url) => {
          if (await cache.match(url)) return;
          try {
            // From the browser's HTTP cache when it has the file: no second download.
            await keep(new Request(url), await fetch(url, { cache: "force-cache" }));
          } catch {
            // Offline or gone: nothing to keep.
          }
        }),
      ),
    ),
  );
});
