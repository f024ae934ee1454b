/*
 * tech-sw.js: the service worker of fsd's technician app, served at
 * /tech/sw.js (scope /tech) with every static-path placeholder replaced
 * by this version's /static/<version>, so a new set of files is a new
 * worker, installed beside the old one.
 *
 * Install keeps, in a cache named after the version, the page /tech and
 * every file it loads: the files tech.html names by their versioned
 * address, and the modules those import, followed through their
 * "./name.js" imports (so a module added to the app is kept without
 * listing it here).  Then:
 *   - the page /tech comes from the network first, so a new version is
 *     picked up online, and from the cache when the network fails or is
 *     too slow; the cached copy is never replaced by this worker (it
 *     must match the files kept beside it);
 *   - this version's static files come from the cache first;
 *   - /sync/ and /api/ requests are never cached nor answered here, nor
 *     is anything else.
 * Activate deletes the caches of other versions and takes over open
 * pages at once; the page's modules are all loaded at start, so an open
 * page never asks for a file of the version it was not loaded with.
 */

const STATIC = '{{static}}';
const CACHE = `fsd-tech-${STATIC.split('/').pop()}`;
const PREFIX = 'fsd-tech-';
const PAGE = '/tech';
/* files the page uses without naming them in the HTML */
const EXTRA = ['tech-icon-192.png', 'tech-icon-512.png'];
const PAGE_WAIT_MS = 4000;

/* The static files a text names: its "{{static}}/name" addresses and,
 * for a module, its relative imports. */
function named(text, isModule) {
  const names = new Set();
  const marked = new RegExp(`${STATIC.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}/([A-Za-z0-9._-]+)`, 'g');
  for (const m of text.matchAll(marked)) names.add(m[1]);
  if (isModule) {
    for (const m of text.matchAll(/(?:\bfrom|\bimport)\s*\(?\s*['"]\.\/([A-Za-z0-9._-]+\.js)['"]/g)) names.add(m[1]);
  }
  return names;
}

/* Fetch and keep the page and everything it loads, following imports. */
async function keepAll() {
  const cache = await caches.open(CACHE);
  const page = await fetch(PAGE, { cache: 'no-store' });
  if (!page.ok) throw new Error(`${PAGE}: ${page.status}`);
  const html = await page.clone().text();
  /* a page of another version (the server was updated meanwhile): fail,
   * and the browser installs that version's worker next time */
  if (!html.includes(`${STATIC}/`)) throw new Error(`${PAGE} is not of ${STATIC}`);
  const todo = [...named(html, false), ...EXTRA];
  const seen = new Set(todo);
  while (todo.length) {
    const name = todo.shift();
    const url = `${STATIC}/${name}`;
    const res = await fetch(url, { cache: 'no-cache' });
    if (!res.ok) throw new Error(`${url}: ${res.status}`);
    if (name.endsWith('.js')) {
      for (const next of named(await res.clone().text(), true)) {
        if (!seen.has(next)) {
          seen.add(next);
          todo.push(next);
        }
      }
    }
    await cache.put(url, res);
  }
  await cache.put(PAGE, page);
}

self.addEventListener('install', (event) => {
  event.waitUntil(keepAll().then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys())
      if (name.startsWith(PREFIX) && name !== CACHE) await caches.delete(name);
    await self.clients.claim();
  })());
});

/* The network's page, or the kept one when the network fails or takes
 * longer than PAGE_WAIT_MS. */
async function pageFirst(request) {
  const cache = await caches.open(CACHE);
  const network = fetch(request);
  network.catch(() => {}); /* answered from the cache below */
  const late = new Promise((resolve) => { setTimeout(resolve, PAGE_WAIT_MS, null); });
  try {
    const res = await Promise.race([network, late]);
    if (res && res.ok) return res;
  } catch { /* offline: the kept page */ }
  const kept = await cache.match(PAGE);
  return kept || network;
}

async function keptFirst(request) {
  const kept = await caches.match(request, { cacheName: CACHE });
  return kept || fetch(request);
}

self.addEventListener('fetch', (event) => {
  const { request } = event;
  const url = new URL(request.url);
  if (request.method !== 'GET' || url.origin !== self.location.origin) return;
  if (url.pathname.startsWith('/sync/') || url.pathname.startsWith('/api/')) return;
  if (url.pathname === PAGE) event.respondWith(pageFirst(request));
  else if (url.pathname.startsWith(`${STATIC}/`)) event.respondWith(keptFirst(request));
});
