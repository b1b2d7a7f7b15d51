//! `matome pages` and `matome publish`: the per-route pages of a built site, and the
//! whole site folder from the app and a fresh bundle.

use std::path::Path;
use std::process::ExitCode;

use matome_compiler::config::normalise_base_path;
use matome_compiler::Mode;

use crate::compile::{compile_config, config_file, load_config, run};
use crate::{PagesArgs, PublishArgs};

pub(crate) fn pages(args: &PagesArgs) -> ExitCode {
    // The config is read to fail early on a broken one; the base path defaults to the
    // one the bundle was built with (an empty string tells `publish` to read site.json).
    if let Err(code) = load_config(&args.config) {
        return code;
    }
    let base_path = args
        .base_path
        .as_deref()
        .map(normalise_base_path)
        .unwrap_or_default();
    let mut opts = matome_site::PublishOptions::new(args.out.clone(), base_path);
    opts.template = args.template.clone();
    opts.precompress = if args.no_precompress {
        matome_site::Precompress::None
    } else {
        match precompress_setting(Some(&args.config)) {
            Ok(p) => p,
            Err(code) => return code,
        }
    };
    match matome_site::publish(&opts) {
        Ok(_) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("matome: {e}");
            ExitCode::from(1)
        }
    }
}

/// The `precompress` key of build.json (the compiler ignores it); the default without one.
/// Deploying `config`'s bundle with the app at `app` into `out`, with the caches in
/// `config.cache` (compressed files, rendered pages, the spare site folder): `publish`
/// and `serve` keep them alike.
pub(crate) fn deploy_options(
    config: &matome_compiler::Config,
    app: &Path,
    out: &Path,
    precompress: matome_site::Precompress,
) -> matome_site::DeployOptions {
    matome_site::DeployOptions {
        app: app.to_path_buf(),
        bundle: config.output.clone(),
        out: out.to_path_buf(),
        base_path: config.base_path.clone(),
        precompress,
        compress_cache: Some(config.cache.join("compressed")),
        render_cache: Some(config.cache.join("pages")),
        spare: Some(config.cache.join("site")),
        static_dir: config.static_dir.clone(),
    }
}

fn precompress_setting(config: Option<&Path>) -> Result<matome_site::Precompress, ExitCode> {
    let Some(config) = config else {
        return Ok(matome_site::Precompress::default());
    };
    #[derive(serde::Deserialize)]
    struct Keys {
        precompress: Option<String>,
    }
    let fail = |msg: String| {
        eprintln!("matome: config {}: {msg}", config.display());
        ExitCode::from(2)
    };
    let text = std::fs::read_to_string(config).map_err(|e| fail(e.to_string()))?;
    let keys: Keys = serde_json::from_str(&text).map_err(|e| fail(e.to_string()))?;
    keys.precompress
        .map_or(Ok(matome_site::Precompress::default()), |p| {
            p.parse().map_err(fail)
        })
}

pub(crate) fn publish(args: &PublishArgs) -> ExitCode {
    let started = std::time::Instant::now();
    let config = match compile_config(&args.compile) {
        Ok(c) => c,
        Err(code) => return code,
    };
    let precompress = match args.precompress {
        Some(p) => p,
        None => match config_file(&args.compile).and_then(|f| precompress_setting(f.as_deref())) {
            Ok(p) => p,
            Err(code) => return code,
        },
    };
    let code = run(&args.compile, Mode::Build, None);
    if code != ExitCode::SUCCESS {
        return code;
    }
    let compiled = started.elapsed();
    let opts = deploy_options(&config, &args.app, &args.site, precompress);
    match matome_site::deploy(&opts) {
        Ok(r) => {
            crate::compile::print_phases(&r.phases);
            println!(
                "{}: {} files written, {} unchanged, {} removed, {} compressed, in {} ms (compile {} ms)",
                args.site.display(),
                r.written,
                r.reused,
                r.removed,
                r.compressed,
                started.elapsed().as_millis(),
                compiled.as_millis()
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("matome: {e}");
            ExitCode::from(1)
        }
    }
}
