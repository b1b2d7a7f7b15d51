//! `matome`: the command line. It wires the content compiler (`matome-compiler`) to the
//! deployment output (`matome-site`): thumbnails are resized by `matome_site`, and the
//! per-route pages are written by it.

use std::path::PathBuf;
use std::process::ExitCode;

use matome_compiler::config::normalise_base_path;
use matome_compiler::{compile, Config, Mode};

const HELP: &str = "\
matome — compiles Hugo-style matome posts into the JSON bundle of the reader app

usage: matome <command> [options]

commands:
  build     compile the posts and write the bundle (atomically: on any error the
            previous output stays as it was)
  check     compile the posts, write nothing, list every problem
  pages     write the per-route HTML pages, feeds and sitemap into a built site
  help      show this text

options (build, check):
  --config FILE      configuration (default: build.json)
  --content DIR      posts folder (overrides `content`)
  --assets DIR       folder featureimage paths are relative to (overrides `assets`)
  --out DIR          output folder (overrides `output`)
  --base-path P      path the site is served under, e.g. /sub/ (overrides `base_path`)
  --drafts           include draft posts

options (pages):
  --config FILE  --base-path P  --template FILE (the index.html Trunk wrote)  --out DIR
  --no-precompress   skip the .gz/.br copies (dev builds)

build.json keys (paths relative to the file's folder):
  content, assets, output    folders as above (defaults: content/posts, public, target/bundle)
  cache                      prepared-image cache kept between builds (target/matome-cache)
  title, description         site metadata
  base_url                   absolute URL of the deployed site
  base_path                  path the site is served under (default /)
  page_size                  posts per list page (default 10)

build and check end with `N posts, M comments, K sections in T ms` (drafts not
counted; sections are folded `details` blocks), warnings above it.
MATOME_TIMINGS=1 also prints the time of each phase.

exit codes:
  0  success
  1  content errors (each printed as path:line:col), or the bundle could not be written
  2  usage or configuration errors
";

struct Args {
    command: String,
    config: PathBuf,
    content: Option<PathBuf>,
    assets: Option<PathBuf>,
    out: Option<PathBuf>,
    base_path: Option<String>,
    template: Option<PathBuf>,
    drafts: bool,
    no_precompress: bool,
}

fn parse_args(mut argv: impl Iterator<Item = String>) -> Result<Args, String> {
    let command = argv.next().ok_or("missing command (build, check, pages or help)")?;
    let mut args = Args {
        command,
        config: PathBuf::from("build.json"),
        content: None,
        assets: None,
        out: None,
        base_path: None,
        template: None,
        drafts: false,
        no_precompress: false,
    };
    while let Some(flag) = argv.next() {
        let (name, inline) = match flag.split_once('=') {
            Some((n, v)) if n.starts_with("--") => (n.to_string(), Some(v.to_string())),
            _ => (flag.clone(), None),
        };
        let mut value = || inline.clone().or_else(|| argv.next()).ok_or(format!("{name} needs a value"));
        match name.as_str() {
            "--config" => args.config = value()?.into(),
            "--content" => args.content = Some(value()?.into()),
            "--assets" => args.assets = Some(value()?.into()),
            "--out" => args.out = Some(value()?.into()),
            "--base-path" => args.base_path = Some(value()?),
            "--template" => args.template = Some(value()?.into()),
            "--drafts" => args.drafts = true,
            "--no-precompress" => args.no_precompress = true,
            "-h" | "--help" => args.command = "help".into(),
            _ => return Err(format!("unknown option {flag}")),
        }
    }
    Ok(args)
}

fn main() -> ExitCode {
    let args = match parse_args(std::env::args().skip(1)) {
        Ok(a) => a,
        Err(e) => return usage_error(&e),
    };
    match args.command.as_str() {
        "help" | "-h" | "--help" => {
            print!("{HELP}");
            ExitCode::SUCCESS
        }
        "build" => run(&args, Mode::Build),
        "check" => run(&args, Mode::Check),
        "pages" => pages(&args),
        other => usage_error(&format!("unknown command {other}")),
    }
}

fn usage_error(msg: &str) -> ExitCode {
    eprintln!("matome: {msg}\nrun `matome help` for usage");
    ExitCode::from(2)
}

fn load_config(args: &Args) -> Result<Config, ExitCode> {
    let mut config = Config::load(&args.config).map_err(|e| {
        eprintln!("matome: config {e}");
        ExitCode::from(2)
    })?;
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

fn run(args: &Args, mode: Mode) -> ExitCode {
    if args.template.is_some() {
        return usage_error("--template is an option of `pages`");
    }
    let config = match load_config(args) {
        Ok(c) => c,
        Err(code) => return code,
    };
    // Thumbnails are resized by the site crate; the compiler never decodes images.
    let prepare_image = |src: &std::path::Path, out_root: &std::path::Path, rel_dir: &str, cache: &std::path::Path| {
        matome_site::prepare_image(src, out_root, rel_dir, cache).map_err(|e| e.to_string())
    };
    let report = match compile(&config, mode, Some(&prepare_image)) {
        Ok(r) => r,
        Err(e @ matome_compiler::CompileError::Content { .. }) => {
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
        let what = if config.drafts { "included" } else { "skipped (use --drafts to include)" };
        eprintln!("{} draft(s) {what}:", report.drafts.len());
        for d in &report.drafts {
            eprintln!("  {d}");
        }
    }
    for e in &report.errors {
        eprintln!("{e}\n");
    }
    if !report.errors.is_empty() {
        let files: std::collections::HashSet<&str> = report.errors.iter().map(|e| e.path.as_str()).collect();
        let nothing = if mode == Mode::Build { "; nothing was written" } else { "" };
        eprintln!("{} error(s) in {} file(s){nothing}", report.errors.len(), files.len());
        return ExitCode::from(1);
    }
    if std::env::var_os("MATOME_TIMINGS").is_some() {
        for (name, t) in &report.phases {
            eprintln!("  {name:<6} {:>6.1} ms", t.as_secs_f64() * 1000.0);
        }
    }
    println!("{}", report.summary());
    ExitCode::SUCCESS
}

fn pages(args: &Args) -> ExitCode {
    // The config is read to fail early on a broken one; the base path defaults to the
    // one the bundle was built with (an empty string tells `publish` to read site.json).
    if let Err(code) = load_config(args) {
        return code;
    }
    let (Some(template), Some(root)) = (args.template.clone(), args.out.clone()) else {
        return usage_error("pages needs --template FILE and --out DIR");
    };
    let base_path = args.base_path.as_deref().map(normalise_base_path).unwrap_or_default();
    let mut opts = matome_site::PublishOptions::new(root, base_path);
    opts.template = template;
    opts.precompress = !args.no_precompress;
    match matome_site::publish(&opts) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("matome: {e}");
            ExitCode::from(1)
        }
    }
}
