//! First-load benchmark on a phone-like Chromium (`make bench-load`, after `make dist`):
//! how soon a reader arriving from a shared link sees the page, against the same page
//! with every script removed (the static floor), measured in the same run.
//!
//! Chromium is throttled as Lighthouse's mobile preset through the DevTools protocol:
//! 150 ms RTT, 1.6 Mbit/s down, 750 kbit/s up, 4x CPU slowdown, a 390x844 viewport at
//! DPR 1.75. The pages are served from loopback with gzip (as nginx's `gzip on`), every
//! run in a fresh browser (cold cache). Per page it prints the median of the runs of:
//! - FCP: first contentful paint;
//! - card: the frame in which the first comment card (post cards on lists) is laid out;
//! - live: when the app has taken the page over (`<html data-app="live">`);
//! - CLS: layout shift summed up to one second after takeover;
//! - task 0 / task: the longest task between first paint and one second after the first
//!   card (static floor) or after takeover (with the app): layout, style and image work
//!   of the page itself is in both;
//! - takeover: the longest task that ends after the app's wasm has arrived and starts
//!   before one second after takeover (the compile's end, the instantiation, the app's
//!   start): the app's own. While the wasm downloads, the page's own work (images, fonts,
//!   layout) goes on and is counted in `task`, not here;
//! - bytes: transferred before the app could start (HTML, CSS, images) and for the
//!   takeover (JS, wasm, data).
//!
//! Pages: the sample post with the most cards and the sample home page (`dist/`); with
//! `../shared/corpus` (or `BENCH_CORPUS`), also the corpus post whose card count is
//! nearest 63, the corpus post with the most cards and the corpus home page.
//! Figures only: nothing here fails on a slow machine. `LOAD_BENCH_RUNS` (default 3).

use std::path::{Path, PathBuf};

use matome_e2e::site::{build_corpus_site, corpus_dir};
use matome_e2e::{dist_dir, target_dir, with_browser_options, Options, StaticServer};
use matome_model::Post;
use serde_json::{json, Value};

/// Each measurement in a browser of its own: nothing warm from the one before.
const FRESH: Options = Options {
    fresh: true,
    no_javascript: false,
    dark: false,
};

/// Collects the figures in the page from its first script on (injected by DevTools, so it
/// runs on the static floor too).
const OBSERVER: &str = r#"
(() => {
  const b = window.__bench = { fcp: null, card: null, live: null, cls: 0, tasks: [] };
  new PerformanceObserver(l => { for (const e of l.getEntries())
    if (e.name === 'first-contentful-paint') b.fcp = e.startTime; }).observe({ type: 'paint', buffered: true });
  new PerformanceObserver(l => { for (const e of l.getEntries())
    if (!e.hadRecentInput) b.cls += e.value; }).observe({ type: 'layout-shift', buffered: true });
  new PerformanceObserver(l => { for (const e of l.getEntries())
    b.tasks.push([e.startTime, e.duration]); }).observe({ type: 'longtask', buffered: true });
  const tick = () => {
    const el = document.querySelector('.comment-card, .post-card');
    if (el && el.getBoundingClientRect().height > 0) b.card = performance.now();
    else requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
  // The document element does not exist yet when this runs: watch the document.
  new MutationObserver(() => {
    const root = document.documentElement;
    if (b.live === null && root && root.dataset.app === 'live') b.live = performance.now();
  }).observe(document, { attributes: true, subtree: true, attributeFilter: ['data-app'] });
})();
"#;

/// What one load measured.
#[derive(Clone, Copy, Default)]
struct Load {
    fcp: f64,
    card: f64,
    live: Option<f64>,
    cls: f64,
    task: f64,
    takeover: f64,
    static_bytes: f64,
    app_bytes: f64,
}

fn main() {
    let runs: usize = std::env::var("LOAD_BENCH_RUNS")
        .ok()
        .and_then(|s| s.parse().ok())
        .filter(|&n| n > 0)
        .unwrap_or(3);
    // `dist/`, or MATOME_E2E_DIST; says what to build when missing.
    let dist = dist_dir();
    let mut pages: Vec<(String, PathBuf, String)> = Vec::new();
    let biggest = posts(&dist)
        .into_iter()
        .max_by_key(|(cards, _)| *cards)
        .expect("sample posts");
    pages.push((
        format!("sample post ({} cards)", biggest.0),
        dist.clone(),
        format!("posts/{}/", biggest.1),
    ));
    pages.push(("sample home".into(), dist.clone(), String::new()));
    let corpus = std::env::var_os("BENCH_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(corpus_dir);
    if corpus.join("posts").is_dir() {
        eprintln!("compiling the corpus into a copy of dist/…");
        let site = build_corpus_site(&corpus, &target_dir().join("load-bench-corpus"));
        let all = posts(&site);
        let near = all
            .iter()
            .min_by_key(|(cards, _)| cards.abs_diff(63))
            .cloned()
            .unwrap();
        let most = all.iter().max_by_key(|(cards, _)| *cards).cloned().unwrap();
        pages.push((
            format!("corpus post ({} cards)", near.0),
            site.clone(),
            format!("posts/{}/", near.1),
        ));
        pages.push((
            format!("corpus post ({} cards)", most.0),
            site.clone(),
            format!("posts/{}/", most.1),
        ));
        pages.push(("corpus home".into(), site, String::new()));
    } else {
        eprintln!("note: {} not found: corpus pages skipped", corpus.display());
    }

    println!(
        "first load, Lighthouse mobile throttling, median of {runs} cold runs (ms unless noted)"
    );
    println!(
        "{:<26} {:>7} {:>7} {:>6} {:>7} {:>7} {:>6} {:>7} {:>6} {:>6} {:>6} {:>8} {:>8} {:>8} {:>8}",
        "page",
        "FCP 0",
        "FCP",
        "ratio",
        "card 0",
        "card",
        "ratio",
        "live",
        "CLS",
        "task 0",
        "task",
        "takeover",
        "KB page",
        "KB app",
        "KB html"
    );
    for (name, root, route) in &pages {
        let server = StaticServer::start(root);
        let mut floor = Vec::new();
        let mut app = Vec::new();
        for _ in 0..runs {
            server.strip_scripts(true);
            floor.push(load(&server, route, false));
            server.strip_scripts(false);
            app.push(load(&server, route, true));
        }
        let f = median(&floor);
        let a = median(&app);
        let html = std::fs::read(root.join(route).join("index.html")).unwrap_or_default();
        println!(
            "{:<26} {:>7.0} {:>7.0} {:>6.2} {:>7.0} {:>7.0} {:>6.2} {:>7} {:>6.3} {:>6.0} {:>6.0} {:>8.0} {:>8.1} {:>8.1} {:>8.1}",
            name,
            f.fcp,
            a.fcp,
            a.fcp / f.fcp,
            f.card,
            a.card,
            a.card / f.card,
            a.live.map(|l| format!("{l:.0}")).unwrap_or_else(|| "never".into()),
            a.cls,
            f.task,
            a.task,
            a.takeover,
            a.static_bytes / 1000.0,
            a.app_bytes / 1000.0,
            gzip_len(&html) as f64 / 1000.0,
        );
    }
    println!("FCP 0 / card 0: the same page with every script removed (static floor), same run.");
    println!(
        "task 0 / task: longest task from first paint to 1 s after the first card / the takeover;"
    );
    println!("takeover: longest task from the app's wasm arriving to 1 s after the takeover.");
    println!(
        "KB page: HTML, CSS, images; KB app: JS, wasm, data; KB html: the page's HTML alone, gzip."
    );
}

/// Size of `bytes` gzip-compressed at level 6 (what nginx's `gzip on` sends).
fn gzip_len(bytes: &[u8]) -> usize {
    use std::io::Write;
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::new(6));
    let _ = enc.write_all(bytes);
    enc.finish().map(|v| v.len()).unwrap_or(0)
}

/// `(cards, path)` of every post in a built site.
fn posts(site: &Path) -> Vec<(usize, String)> {
    let mut files = Vec::new();
    collect_json(&site.join("data/posts"), &mut files);
    files
        .iter()
        .filter_map(|f| {
            serde_json::from_str::<Post>(&matome_e2e::site::read_post_file(f).ok()?).ok()
        })
        .map(|p| (p.summary.comments as usize, p.summary.path))
        .collect()
}

fn collect_json(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect_json(&path, out);
        } else if path.extension().is_some_and(|e| e == "json") {
            out.push(path);
        }
    }
}

/// One cold load of `route`; waits for the takeover when `app`.
fn load(server: &StaticServer, route: &str, app: bool) -> Load {
    let mut out = Load::default();
    let out_ref = &mut out;
    with_browser_options(FRESH, |b| async move {
        b.cdp("Network.enable", json!({})).await;
        b.cdp(
            "Network.emulateNetworkConditions",
            json!({ "offline": false, "latency": 150, "downloadThroughput": 204_800, "uploadThroughput": 93_750 }),
        )
        .await;
        b.cdp("Emulation.setCPUThrottlingRate", json!({ "rate": 4 }))
            .await;
        b.cdp(
            "Emulation.setDeviceMetricsOverride",
            json!({ "width": 390, "height": 844, "deviceScaleFactor": 1.75, "mobile": true }),
        )
        .await;
        b.cdp(
            "Page.addScriptToEvaluateOnNewDocument",
            json!({ "source": OBSERVER }),
        )
        .await;
        b.goto(&server.url(route)).await;
        if app {
            b.wait_js(
                "the takeover",
                "return window.__bench && window.__bench.live !== null;",
            )
            .await;
        }
        tokio::time::sleep(std::time::Duration::from_millis(1000)).await;
        let v = b
            .js(
                r#"
const b = window.__bench;
const end = (b.live ?? b.card ?? 0) + 1000;
const longest = (from) => Math.max(0, ...b.tasks.filter(([s, d]) => s + d >= from && s <= end).map(([s, d]) => d));
const task = longest(b.fcp ?? 0);
const entries = [performance.getEntriesByType('navigation')[0], ...performance.getEntriesByType('resource')];
const wasm = entries.find((e) => /_bg\.wasm(\?|$)/.test(e.name));
const takeover = wasm ? longest(wasm.responseEnd) : null;
let page = 0, app = 0;
for (const e of entries) {
  const size = e.transferSize || e.encodedBodySize || 0;
  if (/\.(js|wasm|json)(\?|$)/.test(e.name)) app += size; else page += size;
}
return [b.fcp, b.card, b.live, b.cls, task, page, app, takeover];"#,
                vec![],
            )
            .await;
        let num = |v: &Value| v.as_f64().unwrap_or(f64::NAN);
        *out_ref = Load {
            fcp: num(&v[0]),
            card: num(&v[1]),
            live: v[2].as_f64(),
            cls: num(&v[3]),
            task: num(&v[4]),
            static_bytes: num(&v[5]),
            app_bytes: num(&v[6]),
            takeover: num(&v[7]),
        };
    });
    out
}

fn median(loads: &[Load]) -> Load {
    let pick = |f: &dyn Fn(&Load) -> f64| {
        let mut v: Vec<f64> = loads.iter().map(f).collect();
        v.sort_by(|a, b| a.total_cmp(b));
        v[v.len() / 2]
    };
    Load {
        fcp: pick(&|l| l.fcp),
        card: pick(&|l| l.card),
        live: loads
            .iter()
            .all(|l| l.live.is_some())
            .then(|| pick(&|l| l.live.unwrap_or(0.0))),
        cls: pick(&|l| l.cls),
        task: pick(&|l| l.task),
        takeover: pick(&|l| l.takeover),
        static_bytes: pick(&|l| l.static_bytes),
        app_bytes: pick(&|l| l.app_bytes),
    }
}
