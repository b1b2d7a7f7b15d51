//! `matome build` and `matome publish`: the whole site folder from an app and a fresh
//! bundle (the app inside the binary, or one `make app` prepared), and
//! `matome prepare-app`, which prepares that app from Trunk's output.

use std::path::Path;
use std::process::ExitCode;

use matome_compiler::Mode;

use crate::compile::{compile_config, compile_reported, config_file, usage_error};
use crate::{BuildArgs, PublishArgs};

/// The site folder is replaced whole on every publish: it must not be, or hold, a
/// folder the build reads or keeps (posts, assets, static files, bundle, cache).
fn check_site_folder(config: &matome_compiler::Config, site: &Path) -> Result<(), String> {
    let abs = |p: &Path| std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf());
    let site_abs = abs(site);
    let inputs = [
        ("posts", Some(&config.content)),
        ("assets", Some(&config.assets)),
        ("static", config.static_dir.as_ref()),
        ("bundle", Some(&config.output)),
        ("cache", Some(&config.cache)),
    ];
    for (what, dir) in inputs {
        let Some(dir) = dir else { continue };
        if abs(dir).starts_with(&site_abs) {
            return Err(format!(
                "the site folder {} would replace the {what} folder {} (every build replaces \
                 the site folder whole): choose another with --out, or move the {what}",
                site.display(),
                dir.display()
            ));
        }
    }
    Ok(())
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
    match compile_config(&args.compile) {
        Ok(config) => publish_site(&config, &args.app, &args.site, args.precompress),
        Err(code) => code,
    }
}

/// `matome build`: [`publish`] with the app inside the binary (or `--app`) into
/// `--out`, by default `public/` beside build.json (Hugo's folder, so a deploy step that
/// uploads `public/` keeps working).
pub(crate) fn build(args: &BuildArgs) -> ExitCode {
    let config = match compile_config(&args.compile) {
        Ok(c) => c,
        Err(code) => return code,
    };
    let site = match &args.out {
        Some(out) => out.clone(),
        None => match config_file(&args.compile) {
            Ok(Some(file)) => file
                .parent()
                .filter(|p| !p.as_os_str().is_empty())
                .unwrap_or(Path::new("."))
                .join("public"),
            Ok(None) => "public".into(),
            Err(code) => return code,
        },
    };
    let app = match &args.app {
        Some(app) => app.clone(),
        None => match crate::embedded::app_dir(&config.cache) {
            Ok(Some(dir)) => dir,
            Ok(None) => {
                return usage_error(
                    "this matome has no app inside: pass --app DIR (a folder `make app` \
                     prepared), or use the binary `make matome` writes (target/matome)",
                )
            }
            Err(e) => {
                eprintln!("matome: {e}");
                return ExitCode::from(1);
            }
        },
    };
    publish_site(&config, &app, &site, args.precompress)
}

/// Compiles the posts `config` names and writes the site into `site` with `app`.
fn publish_site(
    config: &matome_compiler::Config,
    app: &Path,
    site: &Path,
    precompress: Option<matome_site::Precompress>,
) -> ExitCode {
    let started = std::time::Instant::now();
    let precompress = precompress.unwrap_or_else(|| site_precompress(config.precompress));
    if let Err(message) = check_site_folder(config, site) {
        return usage_error(&message);
    }
    let bundle = match compile_reported(config, Mode::Build, None) {
        Ok(bundle) => bundle,
        Err(code) => return code,
    };
    let compiled = started.elapsed();
    let opts = deploy_options(config, app, site, precompress);
    match matome_site::deploy(&opts, bundle) {
        Ok(r) => {
            crate::compile::print_phases(&r.phases);
            println!(
                "{}: {} files written, {} unchanged, {} removed, {} compressed, in {} ms (compile {} ms)",
                site.display(),
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

/// `matome prepare-app TRUNK_DIR --out DIR`: prints each file of the prepared app.
pub(crate) fn prepare_app(trunk: &Path, out: &Path) -> ExitCode {
    match matome_site::app::prepare(trunk, out) {
        Ok(prepared) => {
            for (name, size) in &prepared.files {
                println!("  {name:<48} {size:>9} bytes");
            }
            println!("{}: the app, ready to publish", out.display());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("matome: {e}");
            ExitCode::from(1)
        }
    }
}
