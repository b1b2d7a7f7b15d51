//! Save → visible in `make serve` (issue 10; `make bench-serve`, after `make dist`): a
//! post open in headless Chromium, the post's file saved with a new word in its first
//! comment, and the time until the reloaded page has painted the word.
//!
//! The figure is the saved page's first contentful paint (`performance.timeOrigin` plus
//! its `first-contentful-paint` entry, on the same clock) minus the moment just before
//! the file was written; the page is polled every 10 ms only to find out that it has
//! reloaded. Each run waits 1.5 s on the open page first (the reload channel connects,
//! the app takes over), then saves.
//!
//! By default it starts `matome serve` on a scratch copy of the sample site (what `make
//! serve` runs besides Trunk) with the app of the last `make dist`. To measure another
//! server instead, e.g. the previous `trunk serve`, point it at that server and its
//! posts folder: the post is edited in place and put back at the end.
//!
//!   SERVE_BENCH_RUNS=…   saves (default 7)
//!   SERVE_BENCH_URL=http://127.0.0.1:8080/  SERVE_BENCH_POSTS=content/posts
//!
//! Figures only: timings never fail the run; a change that never shows does (after the
//! e2e timeout).

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use matome_e2e::content::load_posts;
use matome_e2e::dev_server::DevServer;
use matome_e2e::site::sample_posts_dir;
use matome_e2e::{with_browser_options, Browser, Options};
use serde_json::Value;

/// Each measurement in a browser of its own: nothing warm from the one before.
const FRESH: Options = Options {
    fresh: true,
    no_javascript: false,
    dark: false,
};

fn now_ms() -> f64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs_f64()
        * 1000.0
}

/// The page's first contentful paint on the wall clock once its text holds `word`.
const PAINTED: &str = "const w = arguments[0];
  if (!document.body || !document.body.textContent.includes(w)) return null;
  const p = performance.getEntriesByName('first-contentful-paint')[0];
  return p ? performance.timeOrigin + p.startTime : null;";

async fn one_save(b: &Browser, file: &Path, original: &str, word: &str) -> (f64, f64) {
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let edited = original.replacen("body=\"", &format!("body=\"{word} "), 1);
    let saved_at = now_ms();
    std::fs::write(file, edited).unwrap();
    let painted = b
        .wait_for("the saved word on the page", || async {
            match b.client.execute(PAINTED, vec![Value::from(word)]).await {
                Ok(Value::Number(n)) => n.as_f64(),
                _ => {
                    tokio::time::sleep(Duration::from_millis(10)).await;
                    None
                }
            }
        })
        .await;
    (painted - saved_at, now_ms() - saved_at)
}

fn median(v: &mut [f64]) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    v[v.len() / 2]
}

fn main() {
    let runs: usize = std::env::var("SERVE_BENCH_RUNS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(7);
    let posts = load_posts(&sample_posts_dir());
    let post = &posts[0];
    let external = std::env::var("SERVE_BENCH_URL").ok();
    let server = external.is_none().then(|| DevServer::start("serve-bench"));
    let (url, file): (String, PathBuf) = match (&external, &server) {
        (Some(url), _) => {
            let dir =
                PathBuf::from(std::env::var("SERVE_BENCH_POSTS").unwrap_or("content/posts".into()));
            (url.clone(), dir.join(&post.path).join("index.md"))
        }
        (None, Some(s)) => (
            s.url.clone(),
            s.post_file(Path::new(&post.path).join("index.md").as_path()),
        ),
        _ => unreachable!(),
    };
    let original = std::fs::read_to_string(&file).unwrap();
    let page = format!("{url}posts/{}/", post.path);
    println!("save -> visible, {runs} saves of {} at {page}", post.path);
    println!(
        "load before: {}",
        std::fs::read_to_string("/proc/loadavg")
            .unwrap_or_default()
            .trim()
    );
    let (mut painted, mut seen) = (Vec::new(), Vec::new());
    let (file_ref, original_ref) = (&file, &original);
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        with_browser_options(FRESH, |b| async move {
            b.goto(&page).await;
            for run in 0..runs {
                let word = format!("SAVED{run}X{}", std::process::id());
                let (p, s) = one_save(&b, file_ref, original_ref, &word).await;
                println!(
                    "  run {run}: painted {p:.0} ms after the save (seen by polling at {s:.0} ms)"
                );
                painted.push(p);
                seen.push(s);
            }
            println!(
                "median of {runs}: painted {:.0} ms, seen {:.0} ms (target 1000 ms)",
                median(&mut painted),
                median(&mut seen)
            );
        })
    }));
    std::fs::write(&file, &original).unwrap();
    println!(
        "load after: {}",
        std::fs::read_to_string("/proc/loadavg")
            .unwrap_or_default()
            .trim()
    );
    drop(server);
    if let Err(e) = result {
        std::panic::resume_unwind(e);
    }
}
