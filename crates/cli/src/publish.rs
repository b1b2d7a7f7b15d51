//! `matome pages` and `matome publish`: the per-route pages of a built site, and the
//! whole site folder from the app and a fresh bundle.

use std::path::Path;
use std::process::ExitCode;

use matome_compiler::config::normalise_base_path;
use matome_compiler::Mode;

use crate::compile::{compile_config, load_config, run_config};
use crate::{PagesArgs, PublishArgs};

pub(crate) fn pages(args: &PagesArgs) -> ExitCode {
    // The config is read to fail early on a broken one; the base path defaults to the
    // one the bundle was built with (an empty string tells `publish` to read site.json).
    let config = match load_config(&args.config) {
        Ok(c) => c,
        Err(code) => return code,
    };
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
        site_precompress(config.precompress)
    };
    match matome_site::publish(&opts) {
        Ok(_) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("matome: {e}");
            ExitCode::from(1)
        }
    }
}

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

/// build.json's `precompress` (read with the rest of the config) as the site step's.
pub(crate) fn site_precompress(p: matome_compiler::Precompress) -> matome_site::Precompress {
    match p {
        matome_compiler::Precompress::Large => matome_site::Precompress::Large,
        matome_compiler::Precompress::All => matome_site::Precompress::All,
        matome_compiler::Precompress::None => matome_site::Precompress::None,
    }
}

pub(crate) fn publish(args: &PublishArgs) -> ExitCode {
    let started = std::time::Instant::now();
    let config = match compile_config(&args.compile) {
        Ok(c) => c,
        Err(code) => return code,
    };
    let precompress = args
        .precompress
        .unwrap_or_else(|| site_precompress(config.precompress));
    let code = run_config(&config, Mode::Build, None, None);
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
