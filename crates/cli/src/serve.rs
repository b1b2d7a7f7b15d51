//! `matome serve`: the site on loopback while its posts are edited (`make serve`, beside
//! `trunk watch`, which rebuilds the app into `--app`).
//!
//! 1. **Publish** the posts with the app into `<dir>/site`, as `matome publish` does
//!    (own bundle and caches under `<dir>`, base path `/`, no precompressed copies): only
//!    what changed is parsed, rendered and written, and the folder is swapped in whole.
//! 2. **Watch** the config file, the posts, the assets, the site's own files (`static`)
//!    and the app by polling their
//!    sizes and modification times ([`POLL`]); any change publishes again. A broken post
//!    prints its errors as `path:line:col` and leaves the last good site served.
//! 3. **Serve** `<dir>/site` over HTTP (`http.rs`); every HTML page gets one script tag,
//!    `/_matome/reload.js` (a file: the page's CSP allows the site's own scripts), which
//!    listens to `/_matome/events` and reloads the page when a publish changed the site.

mod http;

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant, SystemTime};

use matome_compiler::hash::{Digest, Hasher};
use matome_compiler::{Config, KeptPosts, Mode};

use crate::compile::{compile_config, config_file, run_config};
use crate::ServeArgs;

/// How often the inputs are checked for changes.
const POLL: Duration = Duration::from_millis(100);

/// What the HTTP threads share with the watcher.
struct Shared {
    /// The folder served.
    site: PathBuf,
    /// Names the site's current state; a page served at one value reloads on another.
    generation: Mutex<String>,
    /// Signalled when `generation` changes.
    changed: Condvar,
}

impl Shared {
    fn generation(&self) -> String {
        self.generation.lock().unwrap().clone()
    }

    fn bump(&self, generation: String) {
        *self.generation.lock().unwrap() = generation;
        self.changed.notify_all();
    }
}

pub(crate) fn serve(args: &ServeArgs) -> ExitCode {
    // A broken config at the start is a usage error; later ones are printed and waited out.
    if let Err(code) = compile_config(&args.compile) {
        return code;
    }
    let listener = match std::net::TcpListener::bind(("127.0.0.1", args.port)) {
        Ok(l) => l,
        Err(e) => {
            eprintln!("matome: cannot listen on 127.0.0.1:{}: {e}", args.port);
            return ExitCode::from(2);
        }
    };
    let port = listener.local_addr().map(|a| a.port()).unwrap_or(args.port);
    let started = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .unwrap_or_default()
        .as_millis();
    let shared = Arc::new(Shared {
        site: args.dir.join("site"),
        generation: Mutex::new(format!("{started}-0")),
        changed: Condvar::new(),
    });
    let mut published = 0u64;
    let mut inputs = watched(args).unwrap_or_default();
    let mut last = fingerprint(&inputs);
    // The parsed posts, from one publish to the next.
    let kept = KeptPosts::default();
    publish(args, &kept);
    println!(
        "serving http://127.0.0.1:{port}/ ({}; pages reload after each change; Ctrl-C stops)",
        shared.site.display()
    );
    let server = shared.clone();
    std::thread::spawn(move || http::accept(listener, server));
    loop {
        std::thread::sleep(POLL);
        let now = fingerprint(&inputs);
        if now == last {
            continue;
        }
        last = now;
        let Some(changed) = publish(args, &kept) else {
            continue;
        };
        // build.json may have moved the posts or the assets.
        if let Some(now) = watched(args).filter(|now| *now != inputs) {
            inputs = now;
            last = fingerprint(&inputs);
        }
        if changed {
            published += 1;
            shared.bump(format!("{started}-{published}"));
        }
        // A replaced bundle is removed in the background; let it finish between publishes.
        matome_compiler::bundle::wait_for_removals();
    }
}

/// The configuration with `serve`'s own bundle, cache and base path.
fn serve_config(args: &ServeArgs) -> Option<Config> {
    let mut config = compile_config(&args.compile).ok()?;
    config.output = args.dir.join("bundle");
    config.cache = args.dir.join("cache");
    config.base_path = "/".into();
    Some(config)
}

/// Publishes the site once: whether it changed (and open pages should reload), `None`
/// when it failed (errors printed, the last good site kept).
fn publish(args: &ServeArgs, kept: &KeptPosts) -> Option<bool> {
    let started = Instant::now();
    let Some(config) = serve_config(args) else {
        eprintln!("matome serve: fix the config and save it; the last good site stays");
        return None;
    };
    if run_config(&config, Mode::Build, Some(kept)) != ExitCode::SUCCESS {
        eprintln!("matome serve: not published; the last good site stays until the posts compile");
        return None;
    }
    // No precompressed copies on loopback; the post files are still stored
    // gzip-compressed, each compressed once, by content (the cache).
    let opts = crate::publish::deploy_options(
        &config,
        &args.app,
        &args.dir.join("site"),
        matome_site::Precompress::None,
    );
    match matome_site::deploy(&opts) {
        Ok(r) => {
            crate::compile::print_phases(&r.phases);
            let changed = r.written + r.removed > 0;
            println!(
                "published in {} ms: {} files written, {} unchanged, {} removed{}",
                started.elapsed().as_millis(),
                r.written,
                r.reused,
                r.removed,
                if changed {
                    "; reloading open pages"
                } else {
                    ""
                }
            );
            Some(changed)
        }
        Err(e) => {
            eprintln!("matome: {e}");
            eprintln!("matome serve: not published; the last good site stays");
            None
        }
    }
}

/// The files and folders whose changes publish again: the app, the config file, the
/// posts, the assets and the site's own files (`static`). `None` while the config cannot be read (its errors are printed
/// by the publish that tried).
fn watched(args: &ServeArgs) -> Option<Vec<PathBuf>> {
    let config = serve_config(args)?;
    let mut roots = vec![args.app.clone(), config.content, config.assets];
    roots.extend(config.static_dir);
    if let Ok(Some(file)) = config_file(&args.compile) {
        roots.push(file);
    }
    Some(roots)
}

/// A digest of every input's path, size and modification time.
fn fingerprint(roots: &[PathBuf]) -> Digest {
    let mut hasher = Hasher::new();
    for root in roots {
        walk(root, &mut hasher);
    }
    hasher.digest()
}

fn walk(path: &Path, hasher: &mut Hasher) {
    let Ok(meta) = std::fs::metadata(path) else {
        hasher.part(path.as_os_str().as_encoded_bytes());
        return;
    };
    if meta.is_dir() {
        let Ok(dir) = std::fs::read_dir(path) else {
            return;
        };
        // Not hidden entries: editors' swap files, Trunk's `.stage` while it builds.
        let mut entries: Vec<PathBuf> = dir
            .flatten()
            .filter(|e| !e.file_name().to_string_lossy().starts_with('.'))
            .map(|e| e.path())
            .collect();
        entries.sort();
        for entry in entries {
            walk(&entry, hasher);
        }
    } else {
        let modified = meta
            .modified()
            .ok()
            .and_then(|t| t.duration_since(SystemTime::UNIX_EPOCH).ok())
            .map_or(0, |d| d.as_nanos());
        hasher.part(path.as_os_str().as_encoded_bytes());
        hasher.update(meta.len().to_le_bytes());
        hasher.update(modified.to_le_bytes());
    }
}
