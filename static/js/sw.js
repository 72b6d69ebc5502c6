/* QI Skills service worker, served at /sw.js by app/routes/offline.py, which fills in VERSION
   and FILES and leaves out comments and indentation (lines starting with //, this block).
   Reading offline: static files cache-first; module and lesson pages network-first, the last
   copy kept for when there is no network, and a lesson read keeps the rest of its module. Answers offline: an answer posted with no network is
   kept in IndexedDB under its form_key and sent when the network returns; the server stores one
   row per form_key, so sending one twice is harmless. See docs/architecture.md. */
"use strict";
const VERSION = "__VERSION__";
const STATIC = "qi-static-" + VERSION;
// Pages outlive a deploy: change this name only if what is stored in it changes.
const PAGES = "qi-pages-1";
const PAGE = /^\/modules\/[^/]+(\/[^/]+)?$/;
const at = (file) => "/static/" + VERSION + "/" + file;

self.addEventListener("install", (e) => {
  e.waitUntil(caches.open(STATIC).then((c) => c.addAll(__FILES__.map(at))).then(() => self.skipWaiting()));
});

// Also keeps the pages open now: the one that registered the worker was loaded without it.
self.addEventListener("activate", (e) => {
  e.waitUntil(caches.keys()
    .then((keys) => Promise.all(keys.filter((k) => k !== STATIC && k !== PAGES).map((k) => caches.delete(k))))
    .then(() => self.clients.claim()).then(() => self.clients.matchAll())
    .then((open) => Promise.all(open.map((c) => new URL(c.url).pathname).filter((p) => PAGE.test(p)).map(save)))
    .then(flush));
});

self.addEventListener("fetch", (e) => {
  const r = e.request, u = new URL(r.url), path = u.pathname, hx = r.headers.has("HX-Request");
  if (u.origin !== location.origin) return;
  if (r.method === "POST") {
    // The next person on this phone must not read the last one's pages.
    if (/^\/(login|logout|register|account\/delete)$/.test(path)) e.waitUntil(caches.delete(PAGES));
    else if (hx && /^\/modules\/[^/]+\/[^/]+\/questions\/[^/]+$/.test(path)) e.respondWith(answer(r));
    return;
  }
  const file = path.match(/^\/static\/[^/]+\/(.+)$/);
  // A page kept from before a deploy names the old version: it gets today's file of that name.
  if (file && r.method === "GET") e.respondWith(staticFile(r, at(file[1])));
  else if (PAGE.test(path) && (r.mode === "navigate" || hx) && r.method === "GET") e.respondWith(page(e, r, path, hx));
});

async function staticFile(r, name) {
  const c = await caches.open(STATIC);
  const kept = await c.match(name);
  if (kept) return kept;
  const res = await fetch(r);
  if (res.ok && r.url.endsWith(name)) c.put(name, res.clone());
  return res;
}

// Network first, so an edited lesson replaces the kept copy as soon as it is read online.
// HTMX's lesson-to-lesson fragments are not whole pages: the whole page is fetched beside them.
async function page(e, r, path, hx) {
  try {
    const res = await fetch(r);
    if (res.status === 200) e.waitUntil((hx ? save(path) : keep(res.clone())).then(() => lesson(path)));
    return res;
  } catch (offline) {
    const kept = await caches.match(path, { cacheName: PAGES });
    if (!kept) throw offline;
    return copy(kept, hx);
  }
}

const save = (path) => fetch(path).then(keep, () => false);

// The module in progress: a lesson read online keeps the module page and its other lessons too
// (those not kept yet), once per module while this worker runs.
const modules = new Set();
async function lesson(path) {
  const [, , m, l] = path.split("/"), u = "/modules/" + m;
  if (!l || modules.has(m)) return;
  modules.add(m);
  const res = await fetch(u), html = await res.clone().text();
  await keep(res);
  for (const p of new Set(html.match(new RegExp(u + "/[\\w-]+(?=\")", "g"))))
    if (!(await caches.match(p, { cacheName: PAGES }))) await save(p);
}

async function keep(res) {
  if (res.status !== 200 || res.redirected) return false;
  const c = await caches.open(PAGES);
  const headers = { "X-Saved-At": new Date().toISOString() };
  await c.put(new URL(res.url).pathname, new Response(await res.text(), { headers }));
  return true;
}

// The kept copy says plainly that it is one, and when it was saved. Its forms get fresh keys,
// so two answers given on it are two answers, as they would be online.
async function copy(kept, hx) {
  const saved = new Date(kept.headers.get("X-Saved-At"));
  const when = saved.toLocaleString("en-GB", { dateStyle: "long", timeStyle: "short" });
  const banner = '<div class="nhsuk-inset-text" id="offline-copy"><p><strong>You are offline.</strong> This is the copy ' +
    'saved on this phone on <time datetime="' + saved.toISOString() + '">' + when + "</time>.</p></div>";
  let html = (await kept.text()).replace(/(name="form_key" value=")\w+/g, (_, name) => name + crypto.randomUUID());
  const main = html.indexOf(">", html.indexOf("<main")) + 1;
  html = hx
    ? (html.match(/<title>.*<\/title>/) || [""])[0] + banner + html.slice(main, html.lastIndexOf("</main>"))
    : html.slice(0, main) + banner + html.slice(main);
  return new Response(html, { headers: { "Content-Type": "text/html; charset=utf-8" } });
}

// An answer goes at once when it can; otherwise it is kept and the page told (a 204 with
// X-Qi-Held: htmx swaps nothing, so the form stays with the answer selected).
async function answer(r) {
  const body = await r.clone().text();
  try {
    return await fetch(r);
  } catch (offline) {
    const held = new URLSearchParams(body).get("form_key") || crypto.randomUUID();
    await store("readwrite", (s) => s.put({ key: held, url: r.url, body }));
    // Background Sync where there is one; the page's "online" event and the next visit anyway.
    if (self.registration.sync) self.registration.sync.register("answers").catch(() => {});
    return new Response(null, { status: 204, headers: { "X-Qi-Held": held } });
  }
}

function store(mode, use) {
  return new Promise((ok, fail) => {
    const open = indexedDB.open("qi-offline", 1);
    open.onupgradeneeded = () => open.result.createObjectStore("answers", { keyPath: "key" });
    open.onerror = () => fail(open.error);
    open.onsuccess = () => {
      const db = open.result, t = db.transaction("answers", mode), q = use(t.objectStore("answers"));
      t.oncomplete = () => { db.close(); ok(q.result); };
      t.onerror = () => fail(t.error);
    };
  });
}

let sending = null;
function flush() {
  return (sending = sending || send().finally(() => { sending = null; }));
}

async function send() {
  for (const held of await store("readonly", (s) => s.getAll())) {
    let res;
    try {
      res = await fetch(held.url, { method: "POST", body: held.body, headers: {
        "Content-Type": "application/x-www-form-urlencoded", "HX-Request": "true" } });
    } catch (stillOffline) {
      return;
    }
    // A server error: kept, to send again later.
    if (res.status >= 500) continue;
    // 2xx: the feedback; 422: the form and why; any other refusal (signed out since): nothing.
    const html = res.ok || res.status === 422 ? await res.text() : "";
    await store("readwrite", (s) => s.delete(held.key));
    for (const c of await self.clients.matchAll()) c.postMessage({ sent: held.key, status: res.status, html });
  }
}

self.addEventListener("sync", (e) => e.tag === "answers" && e.waitUntil(flush()));

self.addEventListener("message", (e) => {
  if (e.data === "flush") e.waitUntil(flush());
  // "Save this module for offline": the module page and its lessons; then say how many.
  const pages = ((e.data && e.data.save) || []).filter((p) => PAGE.test(p));
  if (pages.length) {
    e.waitUntil(Promise.all(pages.map(save))
      .then((done) => e.source.postMessage({ saved: done.filter(Boolean).length, of: done.length })));
  }
});
