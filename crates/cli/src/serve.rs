//! `matome serve`: the site on loopback while its posts are edited (`make serve`, beside
//! `trunk watch`, which rebuilds the app into `--app`; that app goes through
//! `matome prepare-app` as a release one does, into `<dir>/app`).
//!
//! 1. **Publish** the posts with the app into `<dir>/site`, as `matome publish` does
//!    (own bundle and caches under `<dir>`, base path `/`, no precompressed copies): only
//!    what changed is parsed, rendered and written, and the folder is swapped in whole.
//! 2. **Watch** the config file, the posts, the assets, the site's own files (`static`)
//!    and the app on file events (`watch.rs`): nothing runs while nothing changes, and a
//!    saved file publishes again. A broken post prints its errors as `path:line:col` and
//!    leaves the last good site served.
//! 3. **Serve** `<dir>/site` over HTTP (`http.rs`, axum and tower-http); every HTML page
//!    gets one script tag, `/_matome/reload.js` (a file: the page's CSP allows the site's
//!    own scripts), which listens to `/_matome/events` and reloads the page when a
//!    publish changed the site.

mod http;
mod watch;

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Instant, SystemTime};

use matome_compiler::{Config, KeptPosts, Mode};

use crate::compile::{compile_config, compile_reported, config_file};
use crate::ServeArgs;

/// Serves with the app in `app` (`--app`, or the one inside the binary).
pub(crate) fn serve(args: &ServeArgs, app: &Path) -> ExitCode {
    // A broken config at the start is a usage error; later ones are printed and waited out.
    let config = match serve_config(args) {
        Ok(c) => c,
        Err(code) => return code,
    };
    let listener = match std::net::TcpListener::bind(("127.0.0.1", args.port))
        .and_then(|l| l.set_nonblocking(true).map(|()| l))
    {
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
    let (generation, served) = tokio::sync::watch::channel(format!("{started}-0"));
    let site = args.dir.join("site");
    // Watching starts before the first publish, so a file saved during it counts.
    let mut watcher = match watch::Watcher::new(&watched(args, app, &config)) {
        Ok(w) => w,
        Err(e) => {
            eprintln!("matome: cannot watch the posts for changes: {e}");
            return ExitCode::from(1);
        }
    };
    // The parsed posts, from one publish to the next.
    let kept = KeptPosts::default();
    let mut since = SystemTime::now();
    publish(args, app, &config, &kept);
    let router = http::router(&site, served);
    let server = std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?;
        runtime.block_on(async {
            let listener = tokio::net::TcpListener::from_std(listener)?;
            axum::serve(listener, router).await
        })
    });
    println!(
        "serving http://127.0.0.1:{port}/ ({}; pages reload after each change; Ctrl-C stops)",
        site.display()
    );
    let mut published = 0u64;
    while !server.is_finished() {
        watcher.next_change(since);
        since = SystemTime::now();
        // build.json is read once per change, for the publish and for what to watch.
        let Ok(config) = serve_config(args) else {
            eprintln!("matome serve: fix the config and save it; the last good site stays");
            continue;
        };
        // build.json may have moved the posts or the assets.
        watcher.set_roots(&watched(args, app, &config));
        let Some(changed) = publish(args, app, &config, &kept) else {
            continue;
        };
        if changed {
            published += 1;
            generation.send_replace(format!("{started}-{published}"));
        }
        // A replaced bundle is removed in the background; let it finish between publishes.
        matome_compiler::bundle::wait_for_removals();
    }
    match server.join() {
        Ok(Err(e)) => eprintln!("matome: serving 127.0.0.1:{port}: {e}"),
        Ok(Ok(())) => {}
        Err(_) => eprintln!("matome: the HTTP server stopped"),
    }
    ExitCode::from(1)
}

/// The configuration with `serve`'s own bundle, cache and base path (errors printed).
fn serve_config(args: &ServeArgs) -> Result<Config, ExitCode> {
    let mut config = compile_config(&args.compile)?;
    config.output = args.dir.join("bundle");
    config.cache = args.dir.join("cache");
    config.base_path = "/".into();
    Ok(config)
}

/// Publishes the site once: whether it changed (and open pages should reload), `None`
/// when it failed (errors printed, the last good site kept).
fn publish(args: &ServeArgs, app: &Path, config: &Config, kept: &KeptPosts) -> Option<bool> {
    let started = Instant::now();
    let app = match prepared_app(app, &args.dir) {
        Ok(app) => app,
        Err(e) => {
            eprintln!("matome: {e}");
            eprintln!("matome serve: not published; the last good site stays");
            return None;
        }
    };
    let app = app.as_path();
    let Ok(bundle) = compile_reported(config, Mode::Build, Some(kept)) else {
        eprintln!("matome serve: not published; the last good site stays until the posts compile");
        return None;
    };
    // No precompressed copies on loopback; the post files are still stored
    // gzip-compressed, each compressed once, by content (the cache).
    let opts = crate::publish::deploy_options(
        config,
        app,
        &args.dir.join("site"),
        matome_site::Precompress::None,
    );
    match matome_site::deploy(&opts, bundle) {
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

/// The app to publish with: `app` itself when it is prepared (`make app`, the binary's),
/// else (Trunk's output, what `trunk watch` writes for `make serve`) the app
/// `matome prepare-app` makes of it, in `<dir>/app`, prepared again when Trunk's page
/// changed (its file names carry their content's hash).
fn prepared_app(app: &Path, dir: &Path) -> Result<PathBuf, String> {
    if !matome_site::app::is_trunk_output(app) {
        return Ok(app.to_path_buf());
    }
    let out = dir.join("app");
    let stamp = dir.join("app.from");
    let page = std::fs::read(app.join("index.html"))
        .map_err(|e| format!("{}: {e}", app.join("index.html").display()))?;
    let key = matome_compiler::hash::short_hash(&page);
    if out.join("index.html").is_file() && std::fs::read_to_string(&stamp).ok() == Some(key.clone())
    {
        return Ok(out);
    }
    matome_site::app::prepare(app, &out).map_err(|e| e.to_string())?;
    std::fs::write(&stamp, &key).map_err(|e| format!("{}: {e}", stamp.display()))?;
    Ok(out)
}

/// The files and folders whose changes publish again: the app, the config file, the
/// posts, the assets and the site's own files (`static`).
fn watched(args: &ServeArgs, app: &Path, config: &Config) -> Vec<PathBuf> {
    let mut roots = vec![
        app.to_path_buf(),
        config.content.clone(),
        config.assets.clone(),
    ];
    roots.extend(config.static_dir.clone());
    if let Ok(Some(file)) = config_file(&args.compile) {
        roots.push(file);
    }
    roots
}
