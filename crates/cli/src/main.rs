//! `matome`: the command line. It wires the content compiler (`matome-compiler`) to the
//! deployment output (`matome-site`): thumbnails are resized by `matome_site`, and the
//! per-route pages are written by it.
//!
//! This file holds the command line's definition; the subcommands live in `compile`
//! (compile, check), `publish` (build, publish, prepare-app), `embedded` (the app inside
//! the binary, embed-app), `serve`, `config` and `init` (with `hugo` and `ci`).

mod ci;
mod compile;
mod config;
mod embedded;
mod hugo;
mod init;
mod publish;
mod serve;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};
use matome_compiler::Mode;

const AFTER_HELP: &str = "\
A Hugo site builds where it stands:
  matome init --from-hugo .    write build.json from the site's configuration
  matome build                 write the deployable site into public/
  matome serve                 serve it on http://127.0.0.1:8080/, reloading on changes

build, compile, check, publish and serve read --config FILE, else build.json in the current folder;
without either, --content DIR alone builds with defaults: output target/bundle and
cache target/matome-cache in the current folder, assets the `assets` folder beside DIR
or beside its parent (a Hugo site's for DIR = site/content/posts), title matome, base /.
`matome init --from-hugo PATH` writes a build.json from a Hugo site's configuration.

build.json keys (paths relative to the file's folder; --content, --assets override them,
as --out does `output` for compile):
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

build, compile and check end with `N posts, M comments, K sections in T ms` (drafts not
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
    /// Write the deployable site: the posts and the app, into public/
    ///
    /// Compiles the posts and publishes them with the app built into this binary (or
    /// --app) into --out (default: public/ beside build.json, Hugo's folder), assembled
    /// beside it and swapped in when complete; files unchanged since the last build are
    /// hard-linked, not written again. On any error the previous site stays as it was.
    #[command(verbatim_doc_comment)]
    Build(BuildArgs),
    /// Compile the posts and write the bundle alone, atomically
    ///
    /// The bundle is written next to the output folder and swapped in when complete: on
    /// any error the previous output stays as it was. Thumbnails are resized into
    /// `images/` (cached between builds). Ends with the summary line.
    #[command(verbatim_doc_comment)]
    Compile(CompileCmdArgs),
    /// Compile the posts, write nothing, list every problem
    ///
    /// Each content error is printed as path:line:col with the line and a caret; warnings
    /// above the summary line.
    #[command(verbatim_doc_comment)]
    Check(CompileArgs),
    /// Compile the posts and write the whole site folder with a given app
    ///
    /// What `make dist` runs: the app `make app` prepared (--app) and the new bundle
    /// become a new site folder, assembled beside --out and swapped in when
    /// complete; files unchanged since the last publish are hard-linked, not written
    /// again. On any error the previous site stays as it was.
    #[command(verbatim_doc_comment)]
    Publish(PublishArgs),
    /// Make the app Trunk built ready to ship (the last step of `make app`)
    ///
    /// Reads what `trunk build --release --minify --public-url ./` wrote into TRUNK_DIR
    /// and writes the prepared app into --out, replaced whole: the stylesheets joined into
    /// one, the app's script and wasm and the search worker named after their content,
    /// the loader that compiles the wasm as it streams, integrity attributes to match.
    /// Its URLs stay relative: `publish` places it under any base path.
    #[command(verbatim_doc_comment)]
    PrepareApp(PrepareAppArgs),
    /// Write a copy of this binary with a prepared app inside (`make matome`)
    #[command(hide = true)]
    EmbedApp(EmbedAppArgs),
    /// Publish the site into a folder, serve it on loopback and republish on every change
    ///
    /// What `make serve` runs beside `trunk watch` (which rebuilds the app into --app).
    /// The posts, the assets, the static files, the config file and the app are watched
    /// (file events, no polling); a change publishes again, as `publish` does but into
    /// <dir>/site with its own bundle and caches under <dir>, for the base path /,
    /// without .gz/.br copies. Open
    /// pages reload when the site changed. A broken post prints its errors as
    /// path:line:col and the last good site stays served.
    #[command(verbatim_doc_comment)]
    Serve(ServeArgs),
    /// Write a build.json from a Hugo site, or a deployment workflow
    ///
    /// --from-hugo reads hugo.toml, config.toml or config/_default/*.toml (merged as
    /// Hugo merges them; the default language's settings override the root ones) and
    /// prints each build.json key with the Hugo setting it came from, then the settings
    /// it could not map. --ci github writes .github/workflows/deploy.yml: the matome
    /// binary built once from --matome-repo at the commit this binary was built from
    /// (or --matome-ref) and cached, `matome build`, GitHub Pages. Existing files are
    /// kept unless --force.
    #[command(verbatim_doc_comment)]
    Init(InitArgs),
    /// Print one value of the configuration, as the other commands read it
    ///
    /// For the Makefile and scripts: `matome config base-path` prints the path the site
    /// is served under, normalised (`/` or `/sub/path/`). Reads --config FILE, else
    /// build.json when it exists, else prints the default.
    #[command(verbatim_doc_comment)]
    Config(ConfigArgs),
}

#[derive(Args, Debug)]
struct ConfigArgs {
    #[command(subcommand)]
    key: ConfigKey,
}

#[derive(Subcommand, Debug)]
enum ConfigKey {
    /// The path the site is served under: / or /sub/path/
    BasePath {
        /// Configuration file [default: build.json when it exists]
        #[arg(long, value_name = "FILE", value_parser = non_empty_path)]
        config: Option<PathBuf>,
    },
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
    /// With --ci: the GitHub repository (OWNER/NAME) the workflow builds matome from
    #[arg(long, value_name = "OWNER/NAME")]
    matome_repo: Option<String>,
    /// With --ci: the matome commit to build [default: the one this binary was built from]
    #[arg(long, value_name = "COMMIT")]
    matome_ref: Option<String>,
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
    /// The bundle's folder (each command sets it from its own flags)
    #[arg(skip)]
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
    /// The site folder to write [default: public, beside build.json]
    #[arg(long, value_name = "DIR", value_parser = non_empty_path)]
    out: Option<PathBuf>,
    /// The app to publish, as `make app` prepared it [default: the one inside this binary]
    #[arg(long, value_name = "DIR", value_parser = non_empty_path)]
    app: Option<PathBuf>,
    /// .gz/.br copies: large, all or none (overrides `precompress`)
    #[arg(long, value_name = "WHICH")]
    precompress: Option<matome_site::Precompress>,
}

#[derive(Args, Debug)]
struct CompileCmdArgs {
    #[command(flatten)]
    compile: CompileArgs,
    /// The bundle's folder (overrides `output`)
    #[arg(long, value_name = "DIR", value_parser = non_empty_path)]
    out: Option<PathBuf>,
}

#[derive(Args, Debug)]
struct EmbedAppArgs {
    /// The prepared app (`make app`)
    #[arg(long, value_name = "DIR", required = true, value_parser = non_empty_path)]
    app: PathBuf,
    /// The binary to write: this one with the app inside
    #[arg(long, value_name = "FILE", required = true, value_parser = non_empty_path)]
    out: PathBuf,
    /// The matome commit it is built from (`init --ci github` pins it)
    #[arg(long, value_name = "SHA")]
    commit: Option<String>,
    /// The Rust version it is built with (`rustc --version`)
    #[arg(long, value_name = "VERSION")]
    rustc: Option<String>,
}

#[derive(Args, Debug)]
struct PublishArgs {
    #[command(flatten)]
    compile: CompileArgs,
    /// The app as `make app` prepared it (index.html, wasm, JS, CSS)
    #[arg(long, value_name = "DIR", required = true, value_parser = non_empty_path)]
    app: PathBuf,
    /// The site folder to write (replaced as a whole)
    #[arg(long = "site", value_name = "DIR", required = true, value_parser = non_empty_path)]
    site: PathBuf,
    /// .gz/.br copies: large, all or none (overrides `precompress`)
    #[arg(long, value_name = "WHICH")]
    precompress: Option<matome_site::Precompress>,
}

#[derive(Args, Debug)]
struct PrepareAppArgs {
    /// The folder Trunk wrote
    #[arg(value_name = "TRUNK_DIR", value_parser = non_empty_path)]
    trunk: PathBuf,
    /// The prepared app's folder
    #[arg(long, value_name = "DIR", required = true, value_parser = non_empty_path)]
    out: PathBuf,
}

#[derive(Args, Debug)]
struct ServeArgs {
    #[command(flatten)]
    compile: CompileArgs,
    /// The app (index.html, wasm, JS, CSS), watched too: what `trunk watch` rebuilds
    /// (`make serve`) [default: the one inside this binary]
    #[arg(long, value_name = "DIR", value_parser = non_empty_path)]
    app: Option<PathBuf>,
    /// Folder of the served site (<dir>/site), its bundle and its caches
    #[arg(long, value_name = "DIR", default_value = "target/serve", value_parser = non_empty_path)]
    dir: PathBuf,
    /// Port on 127.0.0.1 (0: any free port, printed)
    #[arg(long, default_value_t = 8080)]
    port: u16,
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
        Command::Build(args) => publish::build(&args),
        Command::Compile(mut args) => {
            args.compile.out = args.out.take();
            compile::run(&args.compile, Mode::Build)
        }
        Command::Check(args) => compile::run(&args, Mode::Check),
        Command::EmbedApp(args) => embedded::embed(
            &args.app,
            &args.out,
            &embedded::BuildInfo {
                commit: args.commit,
                rustc: args.rustc,
            },
        ),
        Command::Publish(args) => publish::publish(&args),
        Command::PrepareApp(args) => publish::prepare_app(&args.trunk, &args.out),
        Command::Serve(args) => match &args.app {
            Some(app) => serve::serve(&args, app),
            None => match embedded::app_dir(&args.dir) {
                Ok(Some(app)) => serve::serve(&args, &app),
                Ok(None) => compile::usage_error(
                    "this matome has no app inside: pass --app DIR (`make serve` passes the \
                     one trunk watch builds), or use the binary `make matome` writes",
                ),
                Err(e) => {
                    eprintln!("matome: {e}");
                    ExitCode::from(1)
                }
            },
        },
        Command::Init(args) => init::run(&init::InitOptions {
            from_hugo: args.from_hugo.as_deref(),
            out: &args.out,
            ci: args.ci,
            out_dir: &args.out_dir,
            force: args.force,
            matome_repo: args.matome_repo.as_deref(),
            matome_ref: args.matome_ref.as_deref(),
        }),
        Command::Config(args) => config::run(&args),
    };
    // A replaced bundle is removed in the background while publish goes on.
    matome_compiler::bundle::wait_for_removals();
    code
}
