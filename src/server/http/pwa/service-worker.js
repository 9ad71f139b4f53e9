// HMS service worker: the one hand-written script in the project.
// The server fills in VERSION and PRECACHE for each build (see src/server/pwa).
//
// Only the static shell is cached. Pages and API answers carry patient data
// and always go to the network; when the network is gone a navigation gets the
// offline page instead.
const VERSION = "__HMS_VERSION__";
const CACHE = `hms-shell-${VERSION}`;
const PRECACHE = [/*__HMS_PRECACHE__*/];
const OFFLINE_URL = "/offline.html";

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) => cache.addAll(PRECACHE.map((url) => new Request(url, { cache: "reload" }))))
      // The new version takes over at once; open pages keep the bundle they
      // loaded and get the new one on their next load.
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) =>
        Promise.all(
          keys.filter((k) => k.startsWith("hms-shell-") && k !== CACHE).map((k) => caches.delete(k)),
        ),
      )
      .then(() => self.clients.claim()),
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;

  if (request.mode === "navigate") {
    event.respondWith(
      fetch(request).catch(() =>
        caches.match(OFFLINE_URL, { cacheName: CACHE }).then((r) => r || Response.error()),
      ),
    );
    return;
  }

  if (PRECACHE.includes(url.pathname)) {
    event.respondWith(
      caches.match(request, { cacheName: CACHE }).then((cached) => cached || fetch(request)),
    );
  }
});
