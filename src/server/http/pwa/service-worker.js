// HMS service worker: the one hand-written script in the project.
// The server fills in VERSION and PRECACHE for each build (see src/server/pwa).
//
// Only the static shell is cached. Pages and API answers carry patient data
// and always go to the network; when the network is gone a navigation (a link
// followed or a form sent) gets the offline page instead.
const VERSION = "__HMS_VERSION__";
const CACHE = `hms-shell-${VERSION}`;
const PRECACHE = [/*__HMS_PRECACHE__*/];
const OFFLINE_URL = "/offline.html";
// Online but no answer: the server is down or the clinic's network cut off.
const UNREACHABLE_URL = "/unreachable.html";

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
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;

  // Pages are plain server-rendered HTML: every link and every form is a
  // navigation, GET or POST. Without a network each gets the offline page,
  // whose "Try again" leads back to where the person was.
  if (request.mode === "navigate") {
    event.respondWith(fetch(request).catch(() => offlinePage(request)));
    return;
  }

  if (request.method !== "GET") return;
  if (PRECACHE.includes(url.pathname)) {
    event.respondWith(
      caches.match(request, { cacheName: CACHE }).then((cached) => cached || fetch(request)),
    );
  }
});

// A failed post would be sent again by a retry of its own address: go back
// to the page the form was on instead.
async function offlinePage(request) {
  const page = self.navigator.onLine ? UNREACHABLE_URL : OFFLINE_URL;
  const cached = await caches.match(page, { cacheName: CACHE });
  if (!cached) return Response.error();
  const back = request.method === "GET" ? request.url : request.referrer;
  const retry = sameOriginPath(back) ?? "/";
  const html = (await cached.text()).replace('href="/" data-retry', `href="${escapeAttr(retry)}" data-retry`);
  return new Response(html, {
    status: 503,
    headers: { "Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store" },
  });
}

function sameOriginPath(address) {
  try {
    const url = new URL(address);
    return url.origin === self.location.origin ? url.pathname + url.search : null;
  } catch {
    return null;
  }
}

function escapeAttr(text) {
  return text.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;");
}
