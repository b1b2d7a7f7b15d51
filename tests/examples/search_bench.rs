//! Search benchmark (`make bench-search`, and the last section of `make bench`): the
//! search page of a built site in headless Chromium on loopback, the release app as
//! `make dist` builds it, the site served with gzip (as nginx's `gzip on`) and
//! `Cache-Control: no-store`.
//!
//! The site is `MATOME_E2E_DIST` (scripts/bench.sh publishes the synthetic 2,000-post
//! site of crates/compiler/examples/gen_corpus.rs there with the app of `target/app`), or
//! `dist/`. For each query of [`QUERIES`] (two words each, words the generated text and
//! titles contain, Japanese and Latin):
//! - **cold**: a fresh browser (empty cache and profile) opens `/search/` and waits until
//!   the app is live and the results area is there, waits half a second (a reader
//!   does not type sooner; the page loads the post table meanwhile), then types the
//!   query into the search box through WebDriver, key by key. "first results" is the
//!   time from the last `input` event to the moment `.search-results` turns
//!   `data-state=done` (seen by a MutationObserver), downloads included; "fetched" is
//!   every resource requested from the first keystroke on (Resource Timing:
//!   `transferSize`, gzip as sent, headers included; the worker's entries report no
//!   `transferSize`, so a request counts at least its `encodedBodySize`, which is printed
//!   alone too);
//! - **floor**: in the same browser, once the query is answered, the page fetches only
//!   the files the design needs for it, in its two rounds: the key shards of the final
//!   query's lookups at once, then the post files of its first candidates at once (both
//!   worked out from the built site with the worker's own code, `matome_model::search`).
//!   No app code runs in between: the time is the network's share of first results on
//!   this machine, and "first results / floor" the app's cost over it, both in the
//!   same run;
//! - **phone**: the first queries again, cold, at the speeds of `make bench-load`
//!   (Lighthouse's mobile preset: 150 ms round trips and 1.6 Mbit/s, at the server so
//!   that the worker's downloads are slowed too; 4x CPU slowdown through the DevTools
//!   protocol), with its floor: what a reader on a phone waits for, where each of the
//!   design's two rounds costs a round trip;
//! - **later**: one more browser opens the page and types every query in turn on the
//!   same page (clearing the box in between): the first pass may still fetch shards and
//!   posts it has not seen ("next query"), the second pass finds everything in the app's
//!   memory cache ("warm").
//!
//! The service worker is bypassed (`Network.setBypassServiceWorker`): a first visit has
//! none in control, and its cache would blur the cold figures.
//!
//! Printed: the index's size (raw, gzip, per 1,000 posts), what opening the page fetches,
//! per query figures, and median / p90 / max next to the issue's targets. Figures only:
//! nothing fails on a slow machine; the exit status is non-zero only when the page does
//! not answer.
//!
//!   SEARCH_BENCH_KEY_MS=…    pause between keystrokes (default 0: WebDriver's own pace)
//!   SEARCH_BENCH_QUERIES=…   only the first N queries (default: all)
//!   SEARCH_BENCH_PHONE=…     cold queries also typed on a phone-like browser (the
//!                            first N queries, default 8; 0 skips them)
//!   SEARCH_BENCH_VERBOSE=1   also list what opening the page fetched and the messages
//!                            between page and worker, and each cold and warm query's
//!                            requests (ms after the last keystroke: start → end, name,
//!                            its time queued in the browser and to the first byte, KB),
//!                            with the performance marks of the page and the worker
//!                            (`[name]`, in time order)
//!
//! One file over 400 lines on purpose: an example is one binary, and its parts (the
//! probe script, the cold and later runs, the index size and the report) make one
//! measurement read top to bottom; none of it is used by the tests.
//!
//! Over 400 lines: one benchmark program (the browser driving, the timing script it
//! injects, the figures it prints), not library code; it is read top to bottom.

use std::path::Path;
use std::time::Duration;

use fantoccini::Locator;
use matome_e2e::site::search_info;
use matome_e2e::{dist_dir, with_browser_options, Browser, Options, StaticServer};
use matome_model::{paths, search};
use serde_json::{json, Value};

/// Each measurement in a browser of its own: nothing warm from the one before.
const FRESH: Options = Options {
    fresh: true,
    no_javascript: false,
    dark: false,
};

/// Two-word queries over the generated corpus: bigram words, Latin words, user names and
/// title words, some mixed.
const QUERIES: &[&str] = &[
    "面白い プロジェクト",
    "パフォーマンス 諦めた",
    "Rust 書き直す",
    "ドキュメント 充実",
    "PostgreSQL 移行",
    "ライセンス 大丈夫",
    "ベンチマーク フェア",
    "LLM デバッグ",
    "ブログ 丁寧",
    "HN 話題",
    "incentives technology",
    "real problem",
    "macOS 残念",
    "UNIX 設計思想",
    "メモリ 使用量",
    "複雑さ 反対意見",
    "教育的 価値",
    "規制当局 判断",
    "WebAssembly 議論",
    "SQLite Kubernetes",
    "neilv Rust",
    "tptacek ライセンス",
    "設定 タグ",
    "参考資料 リンク",
    "最初 項目",
    // Words of the real posts' comments, which the generator draws on when
    // ../shared/corpus is there (scripts/bench.sh); without it these find nothing.
    "DeepSeek モデル",
    "Google 広告",
    "セキュリティ ブラウザ",
    "Python データベース",
    "著作権 ChatGPT",
    "Apple プライバシー",
    "オープンソース 生産性",
    "個人情報 スマホ",
];

/// The issue's targets.
const TARGET_FIRST_MS: f64 = 100.0;
const TARGET_COLD_KB: f64 = 300.0;
const TARGET_LATER_MS: f64 = 16.0;
const TARGET_INDEX_MB_AT_2000: f64 = 20.0;

/// Installed before the page's own scripts: input times, `data-state` flips to `done`,
/// a resource timing buffer big enough for every request.
const PROBE: &str = r#"
(() => {
  performance.setResourceTimingBufferSize(100000);
  const b = window.__search = { inputs: [], done: [], t0: 0 };
  document.addEventListener('input', e => {
    if (e.target && e.target.matches && e.target.matches('input[type=search]')) b.inputs.push(performance.now());
  }, true);
  new MutationObserver(list => {
    const t = performance.now();
    for (const m of list)
      if (m.target.classList && m.target.classList.contains('search-results')
          && m.target.dataset.state === 'done' && m.oldValue !== 'done') b.done.push(t);
  }).observe(document, { attributes: true, subtree: true, attributeFilter: ['data-state'], attributeOldValue: true });
  // The search runs in a worker, which downloads the index and post files: keep the
  // workers the page starts and ask them for their Resource Timing entries, moved onto
  // the page's clock.
  const workers = [], Native = window.Worker;
  // Marks on the page's timeline when a request goes to the worker and its answers come.
  window.Worker = function (url, options) {
    const w = new Native(url, options), send = w.postMessage.bind(w);
    w.postMessage = (m, ...rest) => {
      if (Array.isArray(m) && m[0] === 'search') performance.mark('page send ' + m[1]);
      else performance.mark('page post ' + JSON.stringify(m));
      return send(m, ...rest);
    };
    w.addEventListener('message', e => {
      const id = typeof e.data === 'string' && /^\{"id":(\d+)/.exec(e.data);
      if (id) performance.mark('page answer ' + id[1]);
      else performance.mark('page got ' + String(e.data).slice(0, 20));
    });
    workers.push(w);
    return w;
  };
  window.Worker.prototype = Native.prototype;
  window.__workerEntries = () => Promise.all(workers.map(w => new Promise(resolve => {
    const on = e => {
      if (typeof e.data !== 'string' || !e.data.startsWith('{"perf"')) return;
      w.removeEventListener('message', on);
      const p = JSON.parse(e.data).perf, shift = p.origin - performance.timeOrigin;
      resolve(p.entries.map(x => Object.assign({}, x, { startTime: x.startTime + shift, responseEnd: (x.responseEnd || x.startTime) + shift })));
    };
    w.addEventListener('message', on);
    w.postMessage(['perf']);
  }))).then(lists => [].concat(...lists));
  b.entries = () => performance.getEntriesByType('resource')
    .concat(performance.getEntriesByType('mark'), b.worker || []);
})();
"#;

/// What one typed query measured.
#[derive(Clone, Debug, Default)]
struct Query {
    /// Last keystroke → `data-state=done`, ms.
    first_ms: f64,
    /// Bytes transferred from the first keystroke on (headers included).
    transfer: f64,
    /// Of those, bodies as sent (gzip).
    body: f64,
    /// Index files (`data/search/`) and post files (`data/posts/`) among the bodies.
    index_body: f64,
    post_body: f64,
    requests: usize,
    /// Result groups shown.
    hits: usize,
    /// Requests: start and end (ms after the last keystroke), name, KB as sent.
    log: Vec<(f64, f64, String, f64)>,
}

fn main() {
    let site = dist_dir();
    let key_ms: u64 = std::env::var("SEARCH_BENCH_KEY_MS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let count: usize = std::env::var("SEARCH_BENCH_QUERIES")
        .ok()
        .and_then(|s| s.parse().ok())
        .filter(|&n| n > 0)
        .unwrap_or(QUERIES.len())
        .min(QUERIES.len());
    let queries = &QUERIES[..count];
    let posts = post_count(&site);

    println!(
        "search on a {} post site ({}), headless Chromium, loopback, gzip",
        thousands(posts),
        site.display()
    );
    println!("{} cores, load average {}", cores(), load_average());
    println!();

    // The index on disk.
    let index = index_size(&site);
    let per_1000 = if posts > 0 {
        index.raw / posts as f64 * 1000.0
    } else {
        0.0
    };
    println!(
        "index: {} files, {:.0} KB raw ({:.0} KB gzip); post table {:.0} KB, largest key shard {:.1} KB",
        index.files,
        index.raw / 1e3,
        index.gzip / 1e3,
        index.table / 1e3,
        index.largest_shard / 1e3
    );
    println!(
        "       {:.0} KB raw per 1,000 posts; {:.2} MB at 2,000 posts (target <= {TARGET_INDEX_MB_AT_2000} MB): {}",
        per_1000 / 1e3,
        per_1000 * 2.0 / 1e6,
        verdict(per_1000 * 2.0 / 1e6 <= TARGET_INDEX_MB_AT_2000)
    );

    let server = StaticServer::start(&site);
    let server = &server;

    // Cold: one fresh browser per query.
    let mut cold = Vec::new();
    let mut open_kb = Vec::new();
    let mut floors = Vec::new();
    for q in queries {
        let (opened, measured, floor) = cold_query(server, &site, q, key_ms, false);
        open_kb.push(opened / 1e3);
        cold.push(measured);
        floors.push(floor);
    }

    // Phone: the first queries again, cold, on a phone-like browser.
    let phone_count: usize = std::env::var("SEARCH_BENCH_PHONE")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(8)
        .min(count);
    // Lighthouse's mobile preset, as `make bench-load`: 150 ms round trips, 1.6 Mbit/s.
    server.slow_link(Some((150, 1_600_000)));
    let phone: Vec<(Query, f64)> = queries[..phone_count]
        .iter()
        .map(|q| {
            let (_, measured, floor) = cold_query(server, &site, q, key_ms, true);
            (measured, floor)
        })
        .collect();
    server.slow_link(None);

    // Later: every query typed in turn on one page, twice.
    let mut next = Vec::new();
    let mut warm = Vec::new();
    {
        let (next_ref, warm_ref) = (&mut next, &mut warm);
        with_browser_options(FRESH, |b| async move {
            open_search(&b, server).await;
            for pass in [&mut *next_ref, &mut *warm_ref] {
                for q in queries {
                    clear_box(&b).await;
                    pass.push(type_query(&b, q, key_ms).await);
                }
            }
        });
    }

    println!();
    println!(
        "opening /search/ (site.json, tag index; app files not counted): {:.1} KB",
        median(&open_kb)
    );
    println!();
    println!(
        "{:<26} {:>9} {:>8} {:>9} {:>8} {:>8} {:>5} {:>5} {:>8} {:>8}",
        "query",
        "cold ms",
        "floor ms",
        "cold KB",
        "index KB",
        "posts KB",
        "reqs",
        "hits",
        "next ms",
        "warm ms"
    );
    for (i, q) in queries.iter().enumerate() {
        let (c, n, w) = (&cold[i], &next[i], &warm[i]);
        println!(
            "{} {:>9.0} {:>8.0} {:>9.1} {:>8.1} {:>8.1} {:>5} {:>5} {:>8.1} {:>8.1}",
            pad(q, 26),
            c.first_ms,
            floors[i],
            c.transfer / 1e3,
            c.index_body / 1e3,
            c.post_body / 1e3,
            c.requests,
            c.hits,
            n.first_ms,
            w.first_ms
        );
        if std::env::var_os("SEARCH_BENCH_VERBOSE").is_some() {
            for (pass, q) in [("cold", c), ("warm", w)] {
                println!("  {pass}:");
                let mut log = q.log.clone();
                log.sort_by(|a, b| a.0.total_cmp(&b.0));
                for (start, end, name, kb) in &log {
                    println!("    {start:>7.1} → {end:>7.1}  {name} ({kb:.1} KB)");
                }
            }
        }
        if c.hits == 0 {
            println!("  note: {q:?} found nothing on this site");
        }
    }

    println!();
    println!(
        "{} queries                          {:>8} {:>8} {:>8}   target",
        queries.len(),
        "median",
        "p90",
        "max"
    );
    let row = |name: &str, v: Vec<f64>, target: Option<f64>| {
        let s = Stats::of(v);
        let t = match target {
            Some(t) => format!("<= {t:.0}: {}", verdict(s.median <= t)),
            None => String::new(),
        };
        println!(
            "{:<37} {:>8.1} {:>8.1} {:>8.1}   {t}",
            name, s.median, s.p90, s.max
        );
    };
    row(
        "first results, cold (ms)",
        cold.iter().map(|q| q.first_ms).collect(),
        Some(TARGET_FIRST_MS),
    );
    row("  two-round floor, same browser (ms)", floors.clone(), None);
    row(
        "  first results / floor (ratio)",
        cold.iter()
            .zip(&floors)
            .map(|(q, f)| q.first_ms / f)
            .collect(),
        None,
    );
    row(
        "fetched, cold (KB transferred)",
        cold.iter().map(|q| q.transfer / 1e3).collect(),
        Some(TARGET_COLD_KB),
    );
    row(
        "  bodies as sent (KB, gzip)",
        cold.iter().map(|q| q.body / 1e3).collect(),
        None,
    );
    row(
        "  index files (KB)",
        cold.iter().map(|q| q.index_body / 1e3).collect(),
        None,
    );
    row(
        "  post files (KB)",
        cold.iter().map(|q| q.post_body / 1e3).collect(),
        None,
    );
    row(
        "  requests",
        cold.iter().map(|q| q.requests as f64).collect(),
        None,
    );
    if !phone.is_empty() {
        row(
            &format!("first results, phone-like ({} queries)", phone.len()),
            phone.iter().map(|p| p.0.first_ms).collect(),
            None,
        );
        row(
            "  two-round floor, phone-like (ms)",
            phone.iter().map(|p| p.1).collect(),
            None,
        );
        row(
            "  first results / floor (ratio)",
            phone.iter().map(|p| p.0.first_ms / p.1).collect(),
            None,
        );
    }
    row(
        "next query, same page (ms)",
        next.iter().map(|q| q.first_ms).collect(),
        None,
    );
    row(
        "  fetched (KB transferred)",
        next.iter().map(|q| q.transfer / 1e3).collect(),
        None,
    );
    row(
        "later query, warm (ms)",
        warm.iter().map(|q| q.first_ms).collect(),
        Some(TARGET_LATER_MS),
    );
    println!();
    println!("targets are for the median; cold = fresh browser per query; first results = last keystroke");
    println!(
        "to .search-results[data-state=done]; next = a query not typed before on an open page;"
    );
    println!(
        "warm = the same queries typed again (their index files and posts in the worker's memory;"
    );
    println!(
        "a shard only an earlier keystroke needed may download again, stopped the first time)."
    );
    println!(
        "floor = the same browser, once the query is answered, fetching only what the design needs"
    );
    println!(
        "(the final query's key shards at once, then its first candidates' post files at once):"
    );
    println!("the network's share of first results on this machine, with no app code in between.");
    println!(
        "phone-like = cold again, 150 ms round trips and 1.6 Mbit/s at the server, 4x CPU slowdown."
    );
    println!("load average at the end: {}", load_average());
}

/// One cold query in a fresh browser (4x slower CPU when `phone`; the server's link is
/// the caller's): what opening the page fetched (bytes), the query's figures, and the
/// two-round floor in the same browser.
fn cold_query(
    server: &StaticServer,
    site: &Path,
    q: &str,
    key_ms: u64,
    phone: bool,
) -> (f64, Query, f64) {
    let mut out = (0.0, Query::default(), 0.0);
    let out_ref = &mut out;
    let files = design_files(site, q);
    let files = &files;
    with_browser_options(FRESH, |b| async move {
        if phone {
            throttle_like_a_phone(&b).await;
        }
        let opened = open_search(&b, server).await;
        if phone {
            // A reader on a phone takes a moment too; by then the worker has its wasm
            // and the post table (about a second at this speed).
            tokio::time::sleep(Duration::from_millis(2500)).await;
        }
        let measured = type_query(&b, q, key_ms).await;
        let floor = two_rounds(&b, files).await;
        *out_ref = (opened, measured, floor);
    });
    out
}

/// Slows the browser's CPU as `make bench-load` does (4x, through the DevTools
/// protocol); the network is slowed at the server ([`StaticServer::slow_link`]): the
/// protocol's network throttling is the page's own and leaves the search worker's
/// downloads at loopback speed.
async fn throttle_like_a_phone(b: &Browser) {
    b.cdp("Emulation.setCPUThrottlingRate", json!({ "rate": 4 }))
        .await;
}

/// Opens `/search/` and waits until the app is live and the results area answers the
/// empty query, and half a second more; returns the bytes of data fetched by then (JSON
/// and index files).
async fn open_search(b: &Browser, server: &StaticServer) -> f64 {
    b.cdp("Network.enable", json!({})).await;
    b.cdp("Network.setBypassServiceWorker", json!({ "bypass": true }))
        .await;
    b.cdp(
        "Page.addScriptToEvaluateOnNewDocument",
        json!({ "source": PROBE }),
    )
    .await;
    b.goto(&server.url("search/")).await;
    b.wait_js(
        "the search page to be live with its results area",
        "return document.documentElement.dataset.app === 'live' \
         && !!document.querySelector('.search-results[data-state=done]') \
         && !!document.querySelector('input[type=search]');",
    )
    .await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    b.js(
        "const b = window.__search; b.worker = null; \
         window.__workerEntries().then(e => b.worker = e); return true;",
        vec![],
    )
    .await;
    let v = b
        .wait_js(
            "the search worker's download list",
            "const b = window.__search; if (!b.worker) return null;
             return b.entries()
               .filter(e => /\\.(json|txt)(\\?|$)/.test(e.name))
               .reduce((s, e) => s + Math.max(e.transferSize || 0, e.encodedBodySize || 0), 0);",
        )
        .await;
    if std::env::var_os("SEARCH_BENCH_VERBOSE").is_some() {
        // What opening the page did, the worker's start and its messages included.
        let v = b
            .js(
                "return window.__search.entries()
                   .sort((x, y) => x.startTime - y.startTime)
                   .map(e => e.entryType === 'mark'
                     ? `${e.startTime.toFixed(1)}  [${e.name}]`
                     : `${e.startTime.toFixed(1)} → ${(e.responseEnd || 0).toFixed(1)}  ${e.name.replace(location.origin, '')}`);",
                vec![],
            )
            .await;
        println!("  opening (ms after navigation start):");
        for line in v.as_array().into_iter().flatten() {
            println!("    {}", line.as_str().unwrap_or_default());
        }
    }
    v.as_f64().unwrap_or(0.0)
}

/// The files a query needs by design, as URLs: the key shards of its lookups, then the
/// post files of its first [`search::FIRST_SCREEN`] candidates (the first batch the worker
/// confirms), read from the built site with the same code the worker runs.
fn design_files(site: &Path, q: &str) -> (Vec<String>, Vec<String>) {
    let read = |name: &str| std::fs::read_to_string(site.join(name)).unwrap_or_default();
    let info = search_info(site);
    let names = info.shards;
    let table = search::SearchTable::parse(&read(&info.table));
    let terms = search::parse_query(q);
    let wanted = search::shards_for(&terms, names.len());
    let shards: Vec<(usize, search::IndexShard)> = wanted
        .iter()
        .map(|&i| (i, search::IndexShard::parse(&read(&names[i]))))
        .collect();
    let posts = search::candidates(&terms, names.len(), |i| {
        shards.iter().find(|s| s.0 == i).map(|s| &s.1)
    })
    .into_iter()
    .take(search::FIRST_SCREEN)
    .filter_map(|c| table.posts.get(c.id as usize))
    .map(|row| format!("/{}", paths::post_json(&row.0)))
    .collect();
    let shards = wanted.iter().map(|&i| format!("/{}", names[i])).collect();
    (shards, posts)
}

/// Fetches `files` in two rounds from the page (every key shard at once, then every post
/// file at once, bypassing the cache as the server's `no-store` does anyway) and gives the
/// time both rounds took, ms: the floor under the app's cold first results.
async fn two_rounds(b: &Browser, (shards, posts): &(Vec<String>, Vec<String>)) -> f64 {
    let v = b
        .client
        .execute_async(
            "const [shards, posts, done] = arguments;
             const get = u => fetch(u, { cache: 'no-store' }).then(r => r.text());
             const t0 = performance.now();
             Promise.all(shards.map(get))
               .then(() => Promise.all(posts.map(get)))
               .then(() => done(performance.now() - t0), () => done(null));",
            vec![json!(shards), json!(posts)],
        )
        .await
        .expect("the two-round fetch");
    v.as_f64().unwrap_or(f64::NAN)
}

/// Empties the search box as a reader does (select all, Backspace) and waits for the
/// page to settle on the empty query.
async fn clear_box(b: &Browser) {
    let input = b
        .client
        .find(Locator::Css("input[type=search]"))
        .await
        .expect("the search box");
    b.js(
        "document.querySelector('input[type=search]').select(); return true;",
        vec![],
    )
    .await;
    input.send_keys("\u{E003}").await.expect("Backspace");
    b.wait_js(
        "the empty query to settle",
        "const i = document.querySelector('input[type=search]');
         return i.value === '' && !!document.querySelector('.search-results[data-state=done]');",
    )
    .await;
}

/// Types `q` into the search box and waits for its answer.
async fn type_query(b: &Browser, q: &str, key_ms: u64) -> Query {
    b.js("const b = window.__search; b.inputs = []; b.done = []; b.worker = null; b.asked = false; b.t0 = performance.now(); return true;", vec![])
        .await;
    let input = b
        .client
        .find(Locator::Css("input[type=search]"))
        .await
        .expect("the search box");
    input.click().await.ok();
    if key_ms == 0 {
        input
            .send_keys(q)
            .await
            .unwrap_or_else(|e| panic!("type {q:?}: {e}"));
    } else {
        for c in q.chars() {
            input
                .send_keys(&c.to_string())
                .await
                .unwrap_or_else(|e| panic!("type {q:?}: {e}"));
            tokio::time::sleep(Duration::from_millis(key_ms)).await;
        }
    }
    let v = b
        .wait_js(
            &format!("the answer to {q:?} (.search-results[data-state=done] after the last keystroke)"),
            &format!(
                r#"
const b = window.__search;
const box = document.querySelector('input[type=search]');
const res = document.querySelector('.search-results');
if (!box || box.value !== {q} || !res || res.dataset.state !== 'done' || !b.inputs.length) return null;
const last = b.inputs[b.inputs.length - 1];
const done = b.done.find(t => t >= last);
if (done === undefined) return null;
if (!b.asked) {{ b.asked = true; window.__workerEntries().then(e => b.worker = e); return null; }}
if (!b.worker) return null;
let transfer = 0, body = 0, index = 0, posts = 0, n = 0, log = [];
for (const e of b.entries()) {{
  if (e.startTime < b.t0) continue;
  if (e.entryType === 'mark') {{ log.push([e.startTime - last, e.startTime - last, '[' + e.name + ']', 0]); continue; }}
  log.push([e.startTime - last, e.responseEnd - last, e.name.replace(location.origin, '') + (e.requestStart ? ` (queued ${{(e.requestStart - e.fetchStart).toFixed(1)}}, first byte ${{(e.responseStart - e.requestStart).toFixed(1)}})` : ''), (e.encodedBodySize || 0) / 1e3]);
  n += 1; transfer += Math.max(e.transferSize || 0, e.encodedBodySize || 0); body += e.encodedBodySize || 0;
  if (e.name.includes('/data/search/')) index += e.encodedBodySize || 0;
  if (e.name.includes('/data/posts/')) posts += e.encodedBodySize || 0;
}}
return [done - last, transfer, body, index, posts, n, res.querySelectorAll('.search-hit').length, log];"#,
                q = json!(q)
            ),
        )
        .await;
    let num = |i: usize| v[i].as_f64().unwrap_or(f64::NAN);
    Query {
        first_ms: num(0),
        transfer: num(1),
        body: num(2),
        index_body: num(3),
        post_body: num(4),
        requests: num(5) as usize,
        hits: num(6) as usize,
        log: v[7]
            .as_array()
            .into_iter()
            .flatten()
            .map(|e| {
                (
                    e[0].as_f64().unwrap_or(0.0),
                    e[1].as_f64().unwrap_or(0.0),
                    e[2].as_str().unwrap_or("").to_string(),
                    e[3].as_f64().unwrap_or(0.0),
                )
            })
            .collect(),
    }
}

/// The index files of a built site.
struct IndexSize {
    files: usize,
    raw: f64,
    gzip: f64,
    table: f64,
    largest_shard: f64,
}

fn index_size(site: &Path) -> IndexSize {
    let mut out = IndexSize {
        files: 0,
        raw: 0.0,
        gzip: 0.0,
        table: 0.0,
        largest_shard: 0.0,
    };
    for entry in std::fs::read_dir(site.join("data/search"))
        .into_iter()
        .flatten()
        .flatten()
    {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().to_string();
        // Precompressed copies, when the deployment writes them, are not more index.
        if !name.ends_with(".txt") {
            continue;
        }
        let bytes = std::fs::read(&path).unwrap_or_default();
        out.files += 1;
        out.raw += bytes.len() as f64;
        out.gzip += gzip_len(&bytes) as f64;
        if name.starts_with("posts") {
            out.table += bytes.len() as f64;
        } else {
            out.largest_shard = out.largest_shard.max(bytes.len() as f64);
        }
    }
    out
}

fn post_count(site: &Path) -> u64 {
    std::fs::read_to_string(site.join("data/site.json"))
        .ok()
        .and_then(|s| serde_json::from_str::<Value>(&s).ok())
        .and_then(|v| v["post_count"].as_u64())
        .unwrap_or(0)
}

/// Size of `bytes` gzip-compressed at level 6 (what nginx's `gzip on` sends).
fn gzip_len(bytes: &[u8]) -> usize {
    use std::io::Write;
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::new(6));
    let _ = enc.write_all(bytes);
    enc.finish().map(|v| v.len()).unwrap_or(0)
}

struct Stats {
    median: f64,
    p90: f64,
    max: f64,
}

impl Stats {
    /// Median, 90th percentile (nearest rank) and maximum.
    fn of(mut v: Vec<f64>) -> Stats {
        v.sort_by(|a, b| a.total_cmp(b));
        if v.is_empty() {
            return Stats {
                median: f64::NAN,
                p90: f64::NAN,
                max: f64::NAN,
            };
        }
        let n = v.len();
        let median = if n % 2 == 1 {
            v[n / 2]
        } else {
            (v[n / 2 - 1] + v[n / 2]) / 2.0
        };
        let p90 = v[((n as f64 * 0.9).ceil() as usize).clamp(1, n) - 1];
        Stats {
            median,
            p90,
            max: v[n - 1],
        }
    }
}

fn median(v: &[f64]) -> f64 {
    Stats::of(v.to_vec()).median
}

fn verdict(ok: bool) -> &'static str {
    if ok {
        "met"
    } else {
        "MISSED"
    }
}

fn thousands(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// `s` padded to `width` columns, counting CJK characters as two.
fn pad(s: &str, width: usize) -> String {
    let cols: usize = s
        .chars()
        .map(|c| if (c as u32) < 0x1100 { 1 } else { 2 })
        .sum();
    format!("{s}{}", " ".repeat(width.saturating_sub(cols)))
}

fn cores() -> usize {
    std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
}

fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "n/a".into())
}
