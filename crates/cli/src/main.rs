//! `matome`: the command line. It wires the content compiler (`matome-compiler`) to the
//! deployment output (`matome-site`): thumbnails are resized by `matome_site`, and the
//! per-route pages are written by it.

mod ci;
mod hugo;
mod init;
mod stage;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};
use matome_compiler::config::normalise_base_path;
use matome_compiler::{compile, CompileError, Config, Mode};

const AFTER_HELP: &str = "\
build, check and publish read --config FILE, else build.json in the current folder;
without either, --content DIR alone builds with defaults: output target/bundle and
cache target/matome-cache in the current folder, assets the `assets` folder beside DIR
or beside its parent (a Hugo site's for DIR = site/content/posts), title matome, base /.
`matome init --from-hugo PATH` writes a build.json from a Hugo site's configuration.

build.json keys (paths relative to the file's folder; --content, --assets, --out override):
  content, assets, output    posts, featureimage root, bundle (defaults: content/posts,
                             public, target/bundle; an empty value is a config error)
  cache                      prepared-image cache kept between builds (target/matome-cache)
  title, description         site metadata
  base_url                   absolute URL of the deployed site
  base_path                  path the site is served under (default /)
  page_size                  posts per list page (default 10)
  precompress                .gz/.br copies: large (default: the app's wasm/JS/CSS and
                             files of 1 MiB or more), all (every text file over
                             1 KiB, for nginx gzip_static) or none
  analytics                  {provider: google|plausible|umami, id, src} (absent: none)
  author                     {name, links: [{label, url}]}
  hugo_paginate              the old Hugo home page size, for /page/N/ redirects

build and check end with `N posts, M comments, K sections in T ms` (drafts not
counted; sections are folded `details` blocks), warnings above it.
MATOME_TIMINGS=1 also prints the time of each phase.

exit codes:
  0  success
  1  content errors (each printed as path:line:col), or the bundle could not be written
  2  usage or configuration errors";

/// matome — compiles Hugo-style matome posts into the JSON bundle of the reader app
#[derive(Parser, Debug)]
#[command(name = "matome", after_help = AFTER_HELP, subcommand_required = true, arg_required_else_help = true)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Compile the posts and write the bundle, atomically
    ///
    /// The bundle is written next to the output folder and swapped in when complete: on
    /// any error the previous output stays as it was. Thumbnails are resized into
    /// `images/` (cached between builds). Ends with the summary line.
    #[command(verbatim_doc_comment)]
    Build(BuildArgs),
    /// Compile the posts, write nothing, list every problem
    ///
    /// Each content error is printed as path:line:col with the line and a caret; warnings
    /// above the summary line.
    #[command(verbatim_doc_comment)]
    Check(CompileArgs),
    /// Write the per-route HTML pages, feeds and sitemap into a built site
    ///
    /// Run on the folder Trunk built (the bundle staged into it) with the index.html Trunk
    /// wrote as the template.
    #[command(verbatim_doc_comment)]
    Pages(PagesArgs),
    /// Compile the posts and write the whole site folder, without Trunk
    ///
    /// The content-only publish (`make content`): the app Trunk built last (--app) and the
    /// new bundle become a new site folder, assembled beside --out and swapped in when
    /// complete; files unchanged since the last publish are hard-linked, not written
    /// again. On any error the previous site stays as it was.
    #[command(verbatim_doc_comment)]
    Publish(PublishArgs),
    /// Write a build.json from a Hugo site, or a deployment workflow
    ///
    /// --from-hugo reads hugo.toml, config.toml or config/_default/*.toml (merged as
    /// Hugo merges them; the default language's settings override the root ones) and
    /// prints each build.json key with the Hugo setting it came from, then the settings
    /// it could not map. --ci github writes .github/workflows/deploy.yml: the toolchain
    /// versions this checkout pins, `make dist`, GitHub Pages. Existing files are kept
    /// unless --force.
    #[command(verbatim_doc_comment)]
    Init(InitArgs),
}

#[derive(Args, Debug)]
struct InitArgs {
    /// The Hugo site's folder (holding hugo.toml, config.toml or config/)
    #[arg(long, value_name = "PATH", value_parser = non_empty_path)]
    from_hugo: Option<PathBuf>,
    /// The build.json to write
    #[arg(long, value_name = "FILE", default_value = "build.json", value_parser = non_empty_path)]
    out: PathBuf,
    /// Also write a deployment workflow
    #[arg(long, value_name = "PROVIDER")]
    ci: Option<ci::Provider>,
    /// The repository root the workflow goes under
    #[arg(long, value_name = "DIR", default_value = ".", value_parser = non_empty_path)]
    out_dir: PathBuf,
    /// Replace files that exist
    #[arg(long)]
    force: bool,
}

/// Options of `build` and `check`.
#[derive(Args, Debug)]
struct CompileArgs {
    /// Configuration file [default: build.json when it exists]
    #[arg(long, value_name = "FILE", value_parser = non_empty_path)]
    config: Option<PathBuf>,
    /// Posts folder (overrides `content`; alone, without a build.json, builds with defaults)
    #[arg(long, value_name = "DIR", value_parser = non_empty_path)]
    content: Option<PathBuf>,
    /// Folder featureimage paths are relative to (overrides `assets`)
    #[arg(long, value_name = "DIR", value_parser = non_empty_path)]
    assets: Option<PathBuf>,
    /// Output folder (overrides `output`)
    #[arg(long, value_name = "DIR", value_parser = non_empty_path)]
    out: Option<PathBuf>,
    /// Path the site is served under, e.g. /sub/ (overrides `base_path`)
    #[arg(long, value_name = "P")]
    base_path: Option<String>,
    /// Include draft posts
    #[arg(long)]
    drafts: bool,
}

#[derive(Args, Debug)]
struct BuildArgs {
    #[command(flatten)]
    compile: CompileArgs,
    /// After a successful build, also hard-link the bundle into DIR
    ///
    /// DIR is created when missing; files already there are kept or replaced (never
    /// written through, so the bundle stays as built). It may
    /// not be the output folder or inside it. Trunk's pre-build hook stages the bundle
    /// with it, so no script has to work out where the output went.
    #[arg(long, value_name = "DIR", value_parser = non_empty_path, verbatim_doc_comment)]
    stage_into: Option<PathBuf>,
}

#[derive(Args, Debug)]
struct PagesArgs {
    /// Configuration file (read to fail early on a broken one)
    #[arg(long, value_name = "FILE", default_value = "build.json", value_parser = non_empty_path)]
    config: PathBuf,
    /// Path the site is served under (default: the one the bundle was built with)
    #[arg(long, value_name = "P")]
    base_path: Option<String>,
    /// The index.html Trunk wrote
    #[arg(long, value_name = "FILE", required = true, value_parser = non_empty_path)]
    template: PathBuf,
    /// The built site to write the pages into
    #[arg(long, value_name = "DIR", required = true, value_parser = non_empty_path)]
    out: PathBuf,
    /// Skip the .gz/.br copies (dev builds)
    #[arg(long)]
    no_precompress: bool,
}

#[derive(Args, Debug)]
struct PublishArgs {
    #[command(flatten)]
    compile: CompileArgs,
    /// The app as Trunk built it (index.html, wasm, JS, CSS)
    #[arg(long, value_name = "DIR", required = true, value_parser = non_empty_path)]
    app: PathBuf,
    /// The site folder to write (replaced as a whole)
    #[arg(long = "site", value_name = "DIR", required = true, value_parser = non_empty_path)]
    site: PathBuf,
    /// .gz/.br copies: large, all or none (overrides `precompress`)
    #[arg(long, value_name = "WHICH")]
    precompress: Option<matome_site::Precompress>,
}

fn non_empty_path(s: &str) -> Result<PathBuf, String> {
    if s.trim().is_empty() {
        Err("must not be empty".into())
    } else {
        Ok(PathBuf::from(s))
    }
}

fn main() -> ExitCode {
    // clap exits 0 after help and 2 on usage errors, as documented.
    let cli = Cli::parse();
    let code = match cli.command {
        Command::Build(args) => run(&args.compile, Mode::Build, args.stage_into.as_deref()),
        Command::Check(args) => run(&args, Mode::Check, None),
        Command::Pages(args) => pages(&args),
        Command::Publish(args) => publish(&args),
        Command::Init(args) => init::run(&init::InitOptions {
            from_hugo: args.from_hugo.as_deref(),
            out: &args.out,
            ci: args.ci,
            out_dir: &args.out_dir,
            force: args.force,
        }),
    };
    // A replaced bundle is removed in the background while publish goes on.
    matome_compiler::bundle::wait_for_removals();
    code
}

fn usage_error(msg: &str) -> ExitCode {
    eprintln!("matome: {msg}\nrun `matome help` for usage");
    ExitCode::from(2)
}

fn load_config(path: &Path) -> Result<Config, ExitCode> {
    Config::load(path).map_err(|e| {
        eprintln!("matome: config {e}");
        ExitCode::from(2)
    })
}

/// The config file `build`, `check` and `publish` read: --config, else build.json when it
/// exists; `None` when --content alone stands for the defaults.
fn config_file(args: &CompileArgs) -> Result<Option<PathBuf>, ExitCode> {
    const DEFAULT: &str = "build.json";
    match (&args.config, &args.content) {
        (Some(path), _) => Ok(Some(path.clone())),
        (None, _) if Path::new(DEFAULT).exists() => Ok(Some(DEFAULT.into())),
        (None, Some(_)) => Ok(None),
        (None, None) => Err(usage_error(
            "no build.json in the current folder: give --config FILE, or --content DIR to build with defaults",
        )),
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

fn compile_config(args: &CompileArgs) -> Result<Config, ExitCode> {
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

fn run(args: &CompileArgs, mode: Mode, stage_into: Option<&Path>) -> ExitCode {
    let config = match compile_config(args) {
        Ok(c) => c,
        Err(code) => return code,
    };
    if let Some(dir) = stage_into {
        if let Err(e) = stage::check_target(&config.output, dir) {
            return usage_error(&e);
        }
    }
    // Thumbnails are resized by the site crate; the compiler never decodes images.
    let prepare_image = |src: &Path, out_root: &Path, rel_dir: &str, cache: &Path| {
        matome_site::prepare_image(src, out_root, rel_dir, cache).map_err(|e| e.to_string())
    };
    let report = match compile(&config, mode, Some(&prepare_image)) {
        Ok(r) => r,
        Err(e @ CompileError::Content { .. }) => {
            eprintln!("matome: {e}");
            return ExitCode::from(2);
        }
        Err(e) => {
            eprintln!("matome: {e}");
            return ExitCode::from(1);
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
        return ExitCode::from(1);
    }
    if let Some(dir) = stage_into {
        if let Err(e) = matome_site::io::link_tree(&config.output, dir) {
            eprintln!(
                "matome: cannot stage the bundle {} into {}: {e}",
                config.output.display(),
                dir.display()
            );
            return ExitCode::from(1);
        }
    }
    if mode == Mode::Build {
        // Every thumbnail of the site went through the cache: what it did not use goes.
        if let Err(e) = matome_site::prune_cache(&config.cache) {
            eprintln!("matome: warning: image cache not pruned: {e}");
        }
    }
    if std::env::var_os("MATOME_TIMINGS").is_some() {
        for (name, t) in &report.phases {
            eprintln!("  {name:<6} {:>6.1} ms", t.as_secs_f64() * 1000.0);
        }
    }
    println!("{}", report.summary());
    ExitCode::SUCCESS
}

fn pages(args: &PagesArgs) -> ExitCode {
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

fn publish(args: &PublishArgs) -> ExitCode {
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
    let opts = matome_site::DeployOptions {
        app: args.app.clone(),
        bundle: config.output.clone(),
        out: args.site.clone(),
        base_path: config.base_path.clone(),
        precompress,
        compress_cache: Some(config.cache.join("compressed")),
        render_cache: Some(config.cache.join("pages")),
    };
    match matome_site::deploy(&opts) {
        Ok(r) => {
            if std::env::var_os("MATOME_TIMINGS").is_some() {
                for (name, t) in &r.phases {
                    eprintln!("  {name:<8} {:>6.1} ms", t.as_secs_f64() * 1000.0);
                }
            }
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
