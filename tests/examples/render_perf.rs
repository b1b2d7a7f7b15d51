//! Render benchmark of the release build (`make bench-app`, or
//! `cargo run -p matome-e2e --example render_perf` after `make dist`): long tasks while a
//! big post renders in headless Chromium, and while すべて展開 opens its folded sections.
//!
//! Posts measured, picked from the bundles (`data/posts/**.json`), not by name: the
//! corpus post with the most comment cards, the corpus post with the most cards among
//! those with folded sections (so there is something to expand), and the biggest sample
//! post (`dist/` itself). Each is opened `RENDER_BENCH_RUNS` times (default 5), every
//! time in a fresh browser session (cold cache). A `PerformanceObserver` for `longtask`
//! with `buffered: true` is installed once the document has loaded; the buffer holds the
//! tasks that ran before it. "load" is every long task from navigation until all
//! `.comment-card`s (as many as the post JSON's `summary.comments`) are in the DOM and
//! two frames and 300 ms have passed; "expand" is every long task from just before the
//! click on すべて展開 until every card is visible and the page has settled the same way.
//! The 404 page (no content, same app start-up) is measured in the same runs as a
//! baseline.
//!
//! Figures only: timings never fail the run (the machine is shared and noisy). The exit
//! status is non-zero when a page fails to render (cards missing, control missing…).
//!
//!   RENDER_BENCH_RUNS=…  runs per page (default 5)
//!   RENDER_BENCH_VERBOSE=1  also list every long task of each post load ([start, ms])
//!   BENCH_CORPUS=…       the real corpus (default ../shared/corpus; skipped when missing)
//!
//! One file over 400 lines on purpose: an example is one binary, and its parts (the
//! targets read from the bundle, the long-task probe, the runs and the report) make one
//! measurement read top to bottom; none of it is used by the tests.
//!
//! Over 400 lines: one benchmark program (the browser driving, the long-task script it
//! injects, the figures it prints), not library code; it is read top to bottom.

use std::cell::RefCell;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};

use matome_e2e::pages::Reader;
use matome_e2e::site::{build_corpus_site, corpus_dir};
use matome_e2e::{
    dist_dir, repo_root, target_dir, with_browser_options, Browser, Options, StaticServer,
};
use matome_model::{Block, Post};
use serde_json::{json, Value};

/// Each measurement in a browser of its own: nothing warm from the one before.
const FRESH: Options = Options {
    fresh: true,
    no_javascript: false,
    dark: false,
};

/// The issue's budget for the longest task, quoted next to the figures.
const TARGET_MS: f64 = 100.0;

/// A post to open.
struct Target {
    /// `corpus` or `sample`: which site it is on.
    site: &'static str,
    /// Index into the list of servers.
    server: usize,
    /// Post path, e.g. `2025_02/2025_02_11_x`.
    path: String,
    /// Cards in the post (the post JSON's `summary.comments`).
    cards: usize,
    /// Of those, how many sit in folded sections.
    folded: usize,
    /// Number of folded sections.
    sections: usize,
}

/// Long tasks in one window of time.
#[derive(Clone, Copy, Default)]
struct Tasks {
    count: usize,
    max_ms: f64,
    total_ms: f64,
}

/// One page opening.
struct Run {
    load: Tasks,
    /// `None` when the post has no folded sections (nothing to expand).
    expand: Option<Tasks>,
}

fn main() {
    let runs: usize = std::env::var("RENDER_BENCH_RUNS")
        .ok()
        .and_then(|s| s.parse().ok())
        .filter(|&n| n > 0)
        .unwrap_or(5);
    let dist = {
        let dist = std::env::var_os("MATOME_E2E_DIST")
            .map(|d| repo_root().join(d))
            .unwrap_or_else(|| repo_root().join("dist"));
        if !dist.join("index.html").is_file() {
            eprintln!(
                "{} not found: build the app first with `make dist`",
                dist.join("index.html").display()
            );
            std::process::exit(2);
        }
        dist_dir()
    };

    let mut sites: Vec<(&'static str, PathBuf)> = Vec::new();
    let corpus = std::env::var_os("BENCH_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(corpus_dir);
    if corpus.join("posts").is_dir() {
        eprintln!("compiling the corpus into a copy of dist/…");
        let site = build_corpus_site(&corpus, &target_dir().join("render-bench-corpus"));
        sites.push(("corpus", site));
    } else {
        eprintln!(
            "note: {} not found: corpus posts skipped",
            corpus.join("posts").display()
        );
    }
    sites.push(("sample", dist));

    let mut targets = Vec::new();
    for (i, (name, site)) in sites.iter().enumerate() {
        let posts = bundle_posts(site);
        let biggest = posts
            .iter()
            .max_by(|a, b| (a.cards, &a.path).cmp(&(b.cards, &b.path)))
            .unwrap_or_else(|| panic!("no posts in {}", site.join("data/posts").display()));
        let folded = posts
            .iter()
            .filter(|p| p.sections > 0)
            .max_by(|a, b| (a.cards, &a.path).cmp(&(b.cards, &b.path)));
        for p in std::iter::once(biggest).chain(folded.filter(|f| f.path != biggest.path)) {
            targets.push(Target {
                site: name,
                server: i,
                path: p.path.clone(),
                cards: p.cards,
                folded: p.folded,
                sections: p.sections,
            });
        }
    }

    let servers: Vec<StaticServer> = sites
        .iter()
        .map(|(_, site)| StaticServer::start(site))
        .collect();
    let baseline_server = servers.last().unwrap();
    let load_before = loadavg();

    // Runs outside, pages inside: drift of the machine's load spreads over every page.
    let mut results: Vec<Vec<Option<Run>>> = (0..targets.len()).map(|_| Vec::new()).collect();
    let mut baseline: Vec<Option<Tasks>> = Vec::new();
    let mut failures = Vec::new();
    for run in 1..=runs {
        eprintln!("run {run}/{runs}: 404 page");
        let out = session(|b| async move { measure_404(&b, baseline_server).await });
        if out.is_none() {
            failures.push(format!("404 page, run {run}"));
        }
        baseline.push(out);
        for (t, target) in targets.iter().enumerate() {
            eprintln!(
                "run {run}/{runs}: {} {} ({} cards)",
                target.site, target.path, target.cards
            );
            let server = &servers[target.server];
            let out = session(|b| async move { measure_post(&b, server, target).await });
            if out.is_none() {
                failures.push(format!("{} {}, run {run}", target.site, target.path));
            }
            results[t].push(out);
        }
    }

    print_report(&targets, &results, &baseline, runs, load_before);
    if !failures.is_empty() {
        eprintln!("\npages that failed to render (see the panics above):");
        for f in &failures {
            eprintln!("  {f}");
        }
        std::process::exit(1);
    }
}

/// A post as the bundle describes it.
struct BundlePost {
    path: String,
    cards: usize,
    folded: usize,
    sections: usize,
}

/// Every post JSON under `<site>/data/posts/`.
fn bundle_posts(site: &Path) -> Vec<BundlePost> {
    let mut files = Vec::new();
    collect_json(&site.join("data/posts"), &mut files);
    files
        .iter()
        .map(|file| {
            let text = matome_e2e::site::read_post_file(file)
                .unwrap_or_else(|e| panic!("read {}: {e}", file.display()));
            let post: Post =
                serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
            let (mut in_blocks, mut folded, mut sections) = (0, 0, 0);
            for block in &post.blocks {
                match block {
                    Block::Comment(_) => in_blocks += 1,
                    Block::More { comments, .. } => {
                        sections += 1;
                        folded += comments.len();
                        in_blocks += comments.len();
                    }
                    _ => {}
                }
            }
            let cards = post.summary.comments as usize;
            if cards != in_blocks {
                eprintln!(
                    "note: {} says {cards} comments but holds {in_blocks} cards; expecting {cards}",
                    file.display()
                );
            }
            BundlePost {
                path: post.summary.path,
                cards,
                folded,
                sections,
            }
        })
        .collect()
}

fn collect_json(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("read {}: {e}", dir.display()))
        .flatten()
    {
        let path = entry.path();
        if path.is_dir() {
            collect_json(&path, out);
        } else if path.extension().is_some_and(|e| e == "json") {
            out.push(path);
        }
    }
}

/// One fresh browser session; `None` (after the panic message) when the page failed.
fn session<T, F, Fut>(body: F) -> Option<T>
where
    F: FnOnce(Browser) -> Fut,
    Fut: std::future::Future<Output = T>,
{
    let slot = RefCell::new(None);
    let ok = catch_unwind(AssertUnwindSafe(|| {
        with_browser_options(FRESH, |b| async {
            let value = body(b).await;
            *slot.borrow_mut() = Some(value);
        })
    }));
    ok.ok().and(slot.into_inner())
}

/// Starts collecting long tasks into `window.__longTasks` as `[startTime, duration]`;
/// `buffered` delivers the ones that ran before the observer existed.
async fn observe_long_tasks(b: &Browser) {
    b.js(
        r#"
if (!window.__longTasks) {
  window.__longTasks = [];
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) window.__longTasks.push([e.startTime, e.duration]);
  }).observe({ type: 'longtask', buffered: true });
}"#,
        vec![],
    )
    .await;
}

/// Two frames and 300 ms, so the work a change caused has run and been reported.
async fn settle(b: &Browser) {
    b.client
        .execute_async(
            r#"
const done = arguments[arguments.length - 1];
requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(done, 300)));"#,
            vec![],
        )
        .await
        .unwrap_or_else(|e| panic!("wait for the page to settle: {e}"));
}

async fn now_ms(b: &Browser) -> f64 {
    b.js("return performance.now();", vec![])
        .await
        .as_f64()
        .unwrap()
}

/// Long tasks that started in `[from, to)` (ms since navigation start).
async fn long_tasks(b: &Browser, from: f64, to: f64) -> Tasks {
    let v = b
        .js(
            "return window.__longTasks.filter(e => e[0] >= arguments[0] && e[0] < arguments[1]).map(e => e[1]);",
            vec![json!(from), json!(to)],
        )
        .await;
    let durations: Vec<f64> = v
        .as_array()
        .map(|a| a.iter().filter_map(Value::as_f64).collect())
        .unwrap_or_default();
    Tasks {
        count: durations.len(),
        max_ms: durations.iter().copied().fold(0.0, f64::max),
        total_ms: durations.iter().fold(0.0, |a, b| a + b),
    }
}

async fn measure_404(b: &Browser, server: &StaticServer) -> Tasks {
    let r = Reader::new(b, server);
    r.open("no/such/page/").await;
    observe_long_tasks(b).await;
    r.wait_for_not_found().await;
    settle(b).await;
    let end = now_ms(b).await;
    long_tasks(b, 0.0, end).await
}

async fn measure_post(b: &Browser, server: &StaticServer, t: &Target) -> Run {
    let r = Reader::new(b, server);
    r.open(&format!("posts/{}/", t.path)).await;
    observe_long_tasks(b).await;
    r.wait_for_comment_cards(t.cards).await;
    settle(b).await;
    let loaded = now_ms(b).await;
    let load = long_tasks(b, 0.0, loaded).await;
    if std::env::var_os("RENDER_BENCH_VERBOSE").is_some() {
        let all = b
            .js(
                "return window.__longTasks.map(e => e.map(Math.round));",
                vec![],
            )
            .await;
        eprintln!(
            "  every card in by {loaded:.0} ms (incl. settling); long tasks [start, ms]: {all}"
        );
    }
    let expand = if t.sections > 0 {
        r.expand_all().await;
        b.eventually_eq(
            "every comment card visible after すべて展開",
            &t.cards,
            || async { r.comment_cards().await.1 },
        )
        .await;
        settle(b).await;
        let end = now_ms(b).await;
        Some(long_tasks(b, loaded, end).await)
    } else {
        None
    };
    Run { load, expand }
}

fn median(values: &[f64]) -> Option<f64> {
    let mut v = values.to_vec();
    if v.is_empty() {
        return None;
    }
    v.sort_by(|a, b| a.partial_cmp(b).unwrap());
    let mid = v.len() / 2;
    Some(if v.len() % 2 == 1 {
        v[mid]
    } else {
        (v[mid - 1] + v[mid]) / 2.0
    })
}

fn max(values: &[f64]) -> Option<f64> {
    values.iter().copied().reduce(f64::max)
}

fn loadavg() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "n/a".into())
}

fn cell(t: Option<Tasks>) -> (String, String, String) {
    match t {
        Some(t) => (
            format!("{:.0}", t.max_ms),
            t.count.to_string(),
            format!("{:.0}", t.total_ms),
        ),
        None => ("-".into(), "-".into(), "-".into()),
    }
}

fn print_report(
    targets: &[Target],
    results: &[Vec<Option<Run>>],
    baseline: &[Option<Tasks>],
    runs: usize,
    load_before: String,
) {
    let cores = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(0);
    let name_width = targets
        .iter()
        .map(|t| t.site.len() + 1 + t.path.len())
        .chain(std::iter::once("404 page (baseline)".len()))
        .max()
        .unwrap_or(20);
    println!();
    println!(
        "{:<name_width$} {:>8} {:>3} | {:>8} {:>5} {:>6} | {:>10} {:>5} {:>6}",
        "post", "cards", "run", "load max", "tasks", "total", "expand max", "tasks", "total"
    );
    let row = |name: &str, cards: String, run: usize, r: Option<&Run>| {
        let (lm, lc, lt) = cell(r.map(|r| r.load));
        let (em, ec, et) = cell(r.and_then(|r| r.expand));
        let (lm, em) = if r.is_none() {
            ("FAILED".into(), "FAILED".into())
        } else {
            (lm, em)
        };
        println!("{name:<name_width$} {cards:>8} {run:>3} | {lm:>8} {lc:>5} {lt:>6} | {em:>10} {ec:>5} {et:>6}");
    };
    for (i, b) in baseline.iter().enumerate() {
        let run = b.map(|load| Run { load, expand: None });
        row("404 page (baseline)", "0".into(), i + 1, run.as_ref());
    }
    for (t, target) in targets.iter().enumerate() {
        let name = format!("{} {}", target.site, target.path);
        let cards = if target.folded > 0 {
            format!("{}/{}f", target.cards, target.folded)
        } else {
            target.cards.to_string()
        };
        for (i, run) in results[t].iter().enumerate() {
            row(&name, cards.clone(), i + 1, run.as_ref());
        }
    }

    let base: Vec<f64> = baseline.iter().flatten().map(|t| t.max_ms).collect();
    let base_median = median(&base);
    println!();
    println!("load = navigation until every card is in the DOM (app start-up included, as on the 404 page);");
    println!("expand = click on すべて展開 until every card is visible (RENDER_BENCH_VERBOSE=1 lists each task).");
    println!("max = longest long task in ms (tasks >= 50 ms; 0 = none), tasks = how many, total = their summed ms;");
    println!(
        "cards N/Mf = N cards, M of them folded. {runs} fresh headless Chromium sessions per page, {cores} cores, \
         load average {load_before} before / {} after.",
        loadavg()
    );
    println!();
    let stat = |what: &str, values: &[f64]| match (median(values), max(values)) {
        (Some(m), Some(x)) => format!("{what} median {m:.0} ms, max {x:.0} ms"),
        _ => format!("{what} -"),
    };
    println!("404 page (same runs): {}", stat("longest task", &base));
    for (t, target) in targets.iter().enumerate() {
        let ok: Vec<&Run> = results[t].iter().flatten().collect();
        let loads: Vec<f64> = ok.iter().map(|r| r.load.max_ms).collect();
        let expands: Vec<f64> = ok
            .iter()
            .filter_map(|r| r.expand.map(|e| e.max_ms))
            .collect();
        let mut line = format!(
            "{} {} ({} cards): {}",
            target.site,
            target.path,
            target.cards,
            stat("load", &loads)
        );
        if let (Some(m), Some(b)) = (median(&loads), base_median) {
            if b > 0.0 {
                line += &format!(" ({:.1}x the 404 page)", m / b);
            }
        }
        if target.sections == 0 {
            line += "; no folded sections";
        } else {
            line += &format!("; {}", stat("expand", &expands));
        }
        let worst = max(&loads.iter().chain(&expands).copied().collect::<Vec<_>>());
        if let Some(w) = worst {
            line += &format!(
                " — target: no task over {TARGET_MS:.0} ms; {}",
                if w <= TARGET_MS {
                    "every run within"
                } else {
                    "exceeded in some runs"
                }
            );
        }
        println!("{line}");
    }
}
