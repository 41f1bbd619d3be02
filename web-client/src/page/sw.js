// Service worker: keeps the softphone shell available offline (the network is still needed to
// call) and turns clicks on the incoming-call notification into answer/reject in the page.
const CACHE = 'webcall-shell-v1';
const SHELL = ['./', 'index.html', 'app.js', 'app.css', 'icon.svg', 'manifest.webmanifest', 'sdk/webcall.esm.js'];

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(SHELL)).then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith('webcall-shell-') && k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

// Network first for the shell, so a new release is picked up at once; the cache answers offline.
self.addEventListener('fetch', (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== 'GET' || url.origin !== self.location.origin) return;
  event.respondWith(
    fetch(request)
      .then((response) => {
        if (response.ok) {
          const copy = response.clone();
          caches.open(CACHE).then((cache) => cache.put(request, copy));
        }
        return response;
      })
      .catch(() => caches.match(request).then((hit) => hit || caches.match('index.html'))),
  );
});

self.addEventListener('notificationclick', (event) => {
  event.notification.close();
  const action = event.action || 'focus';
  event.waitUntil(
    self.clients.matchAll({ type: 'window', includeUncontrolled: true }).then((clients) => {
      const client = clients[0];
      if (!client) return self.clients.openWindow('./');
      client.postMessage({ type: action === 'reject' ? 'reject' : action === 'answer' ? 'answer' : 'focus' });
      return client.focus();
    }),
  );
});
