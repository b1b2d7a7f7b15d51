//! `matome compile` and `matome check` (and the compile step of `build`, `publish` and
//! `serve`): the configuration from build.json and the command
//! line, then the compiler, with the report printed as `matome help` describes.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use matome_compiler::config::normalise_base_path;
use matome_compiler::{compile_with, CompileError, Config, KeptPosts, Mode};

use crate::CompileArgs;

pub(crate) fn usage_error(msg: &str) -> ExitCode {
    eprintln!("matome: {msg}\nrun `matome help` for usage");
    ExitCode::from(2)
}

pub(crate) fn load_config(path: &Path) -> Result<Config, ExitCode> {
    Config::load(path).map_err(|e| {
        eprintln!("matome: config {e}");
        ExitCode::from(2)
    })
}

/// The config file `build`, `check` and `publish` read: --config, else build.json when it
/// exists; `None` when --content alone stands for the defaults.
pub(crate) fn config_file(args: &CompileArgs) -> Result<Option<PathBuf>, ExitCode> {
    const DEFAULT: &str = "build.json";
    match (&args.config, &args.content) {
        (Some(path), _) => Ok(Some(path.clone())),
        (None, _) if Path::new(DEFAULT).exists() => Ok(Some(DEFAULT.into())),
        (None, Some(_)) => Ok(None),
        (None, None) => {
            // In a Hugo site's folder, the next step is the migration.
            let hugo = [
                "hugo.toml",
                "config.toml",
                "hugo.yaml",
                "config.yaml",
                "config",
            ]
            .iter()
            .any(|f| Path::new(f).exists());
            Err(usage_error(if hugo {
                "no build.json in the current folder, which looks like a Hugo site: run \
                 `matome init --from-hugo .` first (it writes build.json from the site's configuration)"
            } else {
                "no build.json in the current folder: give --config FILE, or --content DIR to build with defaults"
            }))
        }
    }
}

/// The configuration of `--content DIR` without a config file (see `matome help`).
fn default_config(content: &Path) -> Config {
    let mut config = Config::new(content, "target/bundle");
    config.cache = PathBuf::from("target/matome-cache");
    let beside = |dir: Option<&Path>| dir.map(|d| d.join("assets")).filter(|a| a.is_dir());
    let parent = content
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    config.assets = beside(Some(parent))
        .or_else(|| {
            beside(
                std::path::absolute(parent)
                    .ok()
                    .as_deref()
                    .and_then(Path::parent),
            )
        })
        .unwrap_or_else(|| parent.join("assets"));
    config
}

pub(crate) fn compile_config(args: &CompileArgs) -> Result<Config, ExitCode> {
    let mut config = match (config_file(args)?, &args.content) {
        (Some(path), _) => load_config(&path)?,
        (None, Some(content)) => default_config(content),
        (None, None) => unreachable!("config_file refuses neither --config nor --content"),
    };
    if let Some(c) = &args.content {
        config.content = c.clone();
    }
    if let Some(a) = &args.assets {
        config.assets = a.clone();
    }
    if let Some(o) = &args.out {
        config.output = o.clone();
    }
    if let Some(b) = &args.base_path {
        config.base_path = normalise_base_path(b);
    }
    config.drafts = args.drafts;
    Ok(config)
}

pub(crate) fn run(args: &CompileArgs, mode: Mode) -> ExitCode {
    match compile_config(args) {
        Ok(config) => run_config(&config, mode, None),
        Err(code) => code,
    }
}

/// [`run`] on a configuration already read (`matome serve` points it at its own folders
/// and keeps the parsed posts in memory between runs with `kept`).
pub(crate) fn run_config(config: &Config, mode: Mode, kept: Option<&KeptPosts>) -> ExitCode {
    match compile_reported(config, mode, kept) {
        Ok(_) => ExitCode::SUCCESS,
        Err(code) => code,
    }
}

/// [`run_config`] that hands back, from a build, the bundle it wrote (for the site step,
/// which then reads none of it back); `Err` is the exit code of a failed run, reported.
pub(crate) fn compile_reported(
    config: &Config,
    mode: Mode,
    kept: Option<&KeptPosts>,
) -> Result<Option<matome_compiler::bundle::Compiled>, ExitCode> {
    // Thumbnails are resized by the site crate; the compiler never decodes images.
    let prepare_image = |src: &Path, out_root: &Path, rel_dir: &str, cache: &Path| {
        matome_site::prepare_image(src, out_root, rel_dir, cache).map_err(|e| e.to_string())
    };
    let report = match compile_with(config, mode, Some(&prepare_image), kept) {
        Ok(r) => r,
        Err(e @ CompileError::Content { .. }) => {
            eprintln!("matome: {e}");
            return Err(ExitCode::from(2));
        }
        Err(e) => {
            eprintln!("matome: {e}");
            return Err(ExitCode::from(1));
        }
    };
    for w in &report.warnings {
        eprintln!("{w}");
    }
    if !report.drafts.is_empty() {
        let what = if config.drafts {
            "included"
        } else {
            "skipped (use --drafts to include)"
        };
        eprintln!("{} draft(s) {what}:", report.drafts.len());
        for d in &report.drafts {
            eprintln!("  {d}");
        }
    }
    for e in &report.errors {
        eprintln!("{e}\n");
    }
    if !report.errors.is_empty() {
        let files: std::collections::HashSet<&str> =
            report.errors.iter().map(|e| e.path.as_str()).collect();
        let nothing = if mode == Mode::Build {
            "; nothing was written"
        } else {
            ""
        };
        eprintln!(
            "{} error(s) in {} file(s){nothing}",
            report.errors.len(),
            files.len()
        );
        return Err(ExitCode::from(1));
    }
    if mode == Mode::Build {
        // Every thumbnail of the site went through the cache: what it did not use goes.
        if let Err(e) = matome_site::prune_cache(&config.cache) {
            eprintln!("matome: warning: image cache not pruned: {e}");
        }
    }
    print_phases(&report.phases);
    println!("{}", report.summary());
    Ok(report.bundle)
}

/// With `MATOME_TIMINGS` set, prints each phase's wall time on stderr.
pub(crate) fn print_phases(phases: &[(&'static str, std::time::Duration)]) {
    if std::env::var_os("MATOME_TIMINGS").is_some() {
        for (name, t) in phases {
            eprintln!("  {name:<8} {:>6.1} ms", t.as_secs_f64() * 1000.0);
        }
    }
}
