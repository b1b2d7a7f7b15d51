// The site's service worker: offline reading and the update notice (issue 13).
// `matome publish` writes it to the site root as `sw.js`, with the three values below
// filled in (crates/site/src/worker.rs). Plain JavaScript: no framework, no imports.
//
// - App shell: Trunk's hashed JS, wasm, CSS and icon, and the home page, cached when the
//   worker installs, in a cache named after VERSION (a hash of those files). A deploy
//   with a new app is a new worker: it waits, the page offers 「再読み込み」, and a click
//   lets it take over (message "skip-waiting").
// - Posts: every post page the reader opens is saved with its data/posts/….json, the
//   newest MAX_POSTS kept; its previous and next posts are saved in the background on a
//   good connection (never with Save-Data, never on 2g).
// - Pages and data go to the network first, so a deploy shows at once; when the network
//   fails (offline, or the host answers 5xx) the saved copy answers, and a post never
//   saved gets a page that says so, with the saved posts and the way home.
"use strict";

const VERSION = "__MATOME_SW_VERSION__";
const SHELL = __MATOME_SW_SHELL__;
const SITE_TITLE = __MATOME_SW_TITLE__;

const SHELL_PREFIX = "matome-shell-";
const SHELL_CACHE = SHELL_PREFIX + VERSION;
const POSTS_CACHE = "matome-posts";
const MAX_POSTS = 200;
// Shell caches kept for saved pages of older versions (their HTML names old files).
const KEEP_SHELLS = 3;
// Neighbours and data wait this long after a page, to stay out of the app's way.
const BACKGROUND_DELAY_MS = 3000;

const scope = new URL(self.registration.scope);
const at = (rel) => new URL(rel, scope).href;
const HOME = at("");
const INDEX_URL = at("__matome-saved.json");
const ASSETS = new Set(SHELL.filter((s) => s !== "").map(at));

// ---- routes -------------------------------------------------------------------------

function below(url) {
  return url.origin === scope.origin && url.pathname.startsWith(scope.pathname)
    ? url.pathname.slice(scope.pathname.length)
    : null;
}

function decoded(parts) {
  try {
    return parts.map(decodeURIComponent).join("/");
  } catch (e) {
    return null;
  }
}

// `posts/<section>/<slug>/` → "<section>/<slug>" (decoded), else null.
function postOfPage(url) {
  const m = /^posts\/([^/]+)\/([^/]+)\/(?:index\.html)?$/.exec(below(url) || "");
  return m && m[1] !== "page" ? decoded([m[1], m[2]]) : null;
}

// `data/posts/<section>/<slug>.json` → "<section>/<slug>", else null.
function postOfData(url) {
  const m = /^data\/posts\/([^/]+)\/([^/]+)\.json$/.exec(below(url) || "");
  return m ? decoded([m[1], m[2]]) : null;
}

// The one URL each is saved under, spelled as the app and its links spell it.
const pageUrl = (path) => at("posts/" + path.split("/").map(encodeURIComponent).join("/") + "/");
const dataUrl = (path) => at("data/posts/" + path + ".json");

// ---- the saved posts ------------------------------------------------------------------

// The index of saved posts lives in the posts cache itself, newest first:
// [{ path, title, time, shell }] where `shell` names the shell cache holding the app
// files the saved page refers to ("" when only the data is saved).
let queue = Promise.resolve();
function withIndex(change) {
  const run = queue.then(async () => {
    const cache = await caches.open(POSTS_CACHE);
    const hit = await cache.match(INDEX_URL);
    let index = [];
    try {
      index = hit ? await hit.json() : [];
    } catch (e) {}
    const result = await change(index, cache);
    await cache.put(INDEX_URL, new Response(JSON.stringify(index), {
      headers: { "Content-Type": "application/json" },
    }));
    return result;
  });
  queue = run.catch(() => {});
  return run;
}

function unescapeHtml(s) {
  return s.replace(/&(amp|lt|gt|quot|#39);/g, (_, e) =>
    ({ amp: "&", lt: "<", gt: ">", quot: '"', "#39": "'" })[e]);
}

function escapeHtml(s) {
  return String(s).replace(/[&<>"']/g, (c) =>
    ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
}

function titleOf(html) {
  const m = /<meta property="og:title" content="([^"]*)"/.exec(html);
  return m ? unescapeHtml(m[1]) : null;
}

// Links to the previous and next posts (`a.post-nav-prev`, `a.post-nav-next`).
function neighboursOf(html, base) {
  const out = [];
  for (const tag of html.match(/<a\b[^>]*>/g) || []) {
    if (!/class="[^"]*post-nav-(prev|next)\b/.test(tag)) continue;
    const href = /href="([^"]*)"/.exec(tag);
    if (href) out.push(new URL(unescapeHtml(href[1]), base));
  }
  return out;
}

// Which shell cache holds the wasm a page names (the current one when unknown).
async function shellOf(html) {
  const wasm = /["']([^"']+_bg\.wasm)["']/.exec(html);
  if (wasm) {
    const url = new URL(wasm[1], scope).href;
    for (const name of await caches.keys()) {
      if (name.startsWith(SHELL_PREFIX) && (await (await caches.open(name)).match(url))) return name;
    }
  }
  return SHELL_CACHE;
}

// Saves a post's page (a fresh network response) and notes it in the index; returns the
// page's HTML.
async function savePost(path, page) {
  const html = await page.clone().text();
  const title = titleOf(html);
  const shell = await shellOf(html);
  await (await caches.open(POSTS_CACHE)).put(pageUrl(path), page);
  await withIndex(async (index, cache) => {
    const i = index.findIndex((e) => e.path === path);
    const old = i >= 0 ? index.splice(i, 1)[0] : {};
    index.unshift({
      path,
      title: title || old.title || path,
      time: Date.now(),
      shell,
    });
    for (const gone of index.splice(MAX_POSTS)) {
      await cache.delete(pageUrl(gone.path));
      await cache.delete(dataUrl(gone.path));
    }
  });
  return html;
}

async function saveData(path) {
  if (!goodConnection(true)) return;
  const res = await fetch(dataUrl(path));
  if (res.ok) await (await caches.open(POSTS_CACHE)).put(dataUrl(path), res);
}

async function isSaved(path) {
  return !!(await (await caches.open(POSTS_CACHE)).match(pageUrl(path)));
}

// Saves the post page at `url` with its data unless it is saved already (a neighbour,
// or the page that was open before the worker existed); `withNeighbours`: its previous
// and next posts too, on a good connection.
async function fetchAndSave(url, withNeighbours) {
  const path = postOfPage(url);
  if (!path) return;
  let html;
  const saved = await (await caches.open(POSTS_CACHE)).match(pageUrl(path));
  if (saved) {
    if (!withNeighbours) return;
    html = await saved.text();
  } else {
    const res = await fetch(pageUrl(path));
    if (!res.ok || res.redirected) return;
    html = await savePost(path, res);
    await saveData(path);
  }
  if (withNeighbours) await saveNeighbours(html, url);
}

async function saveNeighbours(html, base) {
  if (!goodConnection(false)) return;
  for (const url of neighboursOf(html, base)) await fetchAndSave(url, false).catch(() => {});
}

// Save-Data or a 2g connection: no background downloads (`dataToo`: not even the data
// of the post being read).
function goodConnection(dataToo) {
  const c = self.navigator.connection;
  if (!c) return true;
  if (c.saveData) return false;
  return dataToo || !/2g$/.test(c.effectiveType || "");
}

const later = (ms) => new Promise((done) => setTimeout(done, ms));

// After a post page was shown: its data, then its neighbours, in the background.
async function afterPost(path, html, base) {
  await later(BACKGROUND_DELAY_MS);
  await saveData(path).catch(() => {});
  await saveNeighbours(html, base);
}

// ---- answers ----------------------------------------------------------------------------

const failed = (res) => res.status >= 500;

async function page(event, url) {
  const path = postOfPage(url);
  try {
    const res = await fetch(event.request);
    if (failed(res)) throw new Error("HTTP " + res.status);
    if (path && res.ok && !res.redirected) {
      const copy = res.clone();
      event.waitUntil((async () => {
        const html = await savePost(path, copy);
        await afterPost(path, html, url);
      })().catch(() => {}));
    }
    return res;
  } catch (e) {
    const saved = await caches.match(path ? pageUrl(path) : url.href, { ignoreSearch: true });
    return saved || offlinePage(path !== null);
  }
}

async function postData(event, path) {
  try {
    const res = await fetch(event.request);
    if (failed(res)) throw new Error("HTTP " + res.status);
    // Saved when the post is the page being read (an in-app navigation), not when a
    // list prefetches it on hover.
    if (res.ok) {
      const client = event.clientId ? await self.clients.get(event.clientId) : null;
      const reading = client && postOfPage(new URL(client.url)) === path;
      if (reading || (await isSaved(path))) {
        const copy = res.clone();
        event.waitUntil((async () => {
          await (await caches.open(POSTS_CACHE)).put(dataUrl(path), copy);
          if (reading) await fetchAndSave(new URL(pageUrl(path)), false);
        })().catch(() => {}));
      }
    }
    return res;
  } catch (e) {
    return (await caches.match(dataUrl(path))) || Response.error();
  }
}

async function asset(request) {
  const hit = await caches.match(request);
  if (hit) return hit;
  const res = await fetch(request);
  if (res.ok) {
    const copy = res.clone();
    caches.open(SHELL_CACHE).then((c) => c.put(request, copy)).catch(() => {});
  }
  return res;
}

// The page for a route that is neither reachable nor saved.
async function offlinePage(isPost) {
  let index = [];
  try {
    const hit = await caches.match(INDEX_URL);
    index = hit ? await hit.json() : [];
  } catch (e) {}
  const styles = SHELL.filter((s) => s.endsWith(".css"))
    .map((s) => `<link rel="stylesheet" href="${escapeHtml(at(s))}">`)
    .join("\n");
  const title = isPost ? "オフラインです。この記事はまだ保存されていません" : "オフラインです。このページはまだ保存されていません";
  const saved = [];
  for (const e of index) {
    if (saved.length >= 30) break;
    if (await isSaved(e.path)) {
      saved.push(`<li><a href="${escapeHtml(pageUrl(e.path))}">${escapeHtml(e.title)}</a></li>`);
    }
  }
  const list = saved.length
    ? `<h2 class="section-heading">オフラインで読める記事</h2><ul class="offline-saved">${saved.join("")}</ul>`
    : `<p class="error-view-hint">この端末に保存済みの記事はまだありません。</p>`;
  const html = `<!DOCTYPE html>
<html lang="ja"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>オフラインです | ${escapeHtml(SITE_TITLE)}</title>
${styles}
</head><body><div id="app">
<header class="site-header"><div class="site-header-inner"><a class="site-title" href="${escapeHtml(HOME)}">${escapeHtml(SITE_TITLE)}</a></div></header>
<main id="main" class="site-main">
<section class="error-view offline-view" role="alert" data-error="offline">
<p class="error-view-title">${title}</p>
<p class="error-view-hint">インターネットに接続できません。接続が戻ったらもう一度開いてください。一度開いた記事はオフラインでも読めます。</p>
${list}
<p><a class="button" href="${escapeHtml(HOME)}">ホームへ戻る</a></p>
</section>
</main></div></body></html>`;
  return new Response(html, {
    status: 503,
    headers: {
      "Content-Type": "text/html; charset=utf-8",
      "Content-Security-Policy":
        "default-src 'none'; style-src 'self'; img-src 'self' data:; font-src 'self'; base-uri 'none'; form-action 'none'",
    },
  });
}

// ---- life cycle -----------------------------------------------------------------------

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(SHELL_CACHE).then((c) => c.addAll(SHELL.map(at))));
});

// Shell caches of other versions go, except those the newest saved pages still need
// (at most KEEP_SHELLS in all); saved pages whose app files went are dropped (their data
// stays, for the app).
async function cleanUp() {
  await withIndex(async (index, cache) => {
    const keep = [SHELL_CACHE];
    for (const e of index) {
      if (e.shell && !keep.includes(e.shell) && keep.length < KEEP_SHELLS) keep.push(e.shell);
    }
    for (const name of await caches.keys()) {
      if (name.startsWith(SHELL_PREFIX) && !keep.includes(name)) await caches.delete(name);
    }
    for (const e of index) {
      if (e.shell && !keep.includes(e.shell)) {
        await cache.delete(pageUrl(e.path));
        e.shell = "";
      }
    }
  });
}

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    await self.clients.claim();
    await cleanUp();
    // The post that was open before the worker existed is saved like any other.
    for (const client of await self.clients.matchAll({ type: "window" })) {
      await fetchAndSave(new URL(client.url), true).catch(() => {});
    }
  })());
});

self.addEventListener("message", (event) => {
  if (event.data === "skip-waiting") self.skipWaiting();
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (below(url) === null) return;
  if (ASSETS.has(url.href)) {
    event.respondWith(asset(request));
  } else if (request.mode === "navigate") {
    event.respondWith(page(event, url));
  } else {
    const path = postOfData(url);
    if (path) event.respondWith(postData(event, path));
  }
});
