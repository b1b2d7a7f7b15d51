//! `matome init --ci github`: a GitHub Actions workflow that builds the site with the
//! one `matome` binary and deploys it to GitHub Pages.
//!
//! The binary is built once, from the matome repository at a pinned commit (`make
//! matome`), and kept in the Actions cache under that commit: a later run restores it
//! and spends its time on `matome build` alone. The commit and the Rust version are
//! the ones the running binary was built from (`make matome` records them), or
//! `--matome-ref` and the `rustc` on PATH.

use std::path::Path;

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Provider {
    /// GitHub Actions + GitHub Pages
    Github,
}

impl Provider {
    pub fn path(self) -> &'static str {
        match self {
            Provider::Github => ".github/workflows/deploy.yml",
        }
    }
}

pub struct Error {
    pub code: u8,
    pub message: String,
}

fn usage(message: String) -> Error {
    Error { code: 2, message }
}

/// Where the workflow gets matome from, and the Rust it builds it with.
#[derive(Debug, PartialEq, Eq)]
pub struct Source {
    /// `owner/name` on GitHub.
    pub repository: String,
    /// The commit (or tag) to build.
    pub git_ref: String,
    /// The Rust version, e.g. `1.95.0`.
    pub rust: String,
}

/// The version in `rustc --version` output (`rustc 1.95.0 (59807616e 2026-04-14)`).
fn rustc_version(text: &str) -> Option<String> {
    let mut words = text.split_whitespace();
    match words.next()? {
        "rustc" => words.next().map(str::to_string),
        v => Some(v.to_string()),
    }
}

fn rustc_on_path() -> Option<String> {
    let out = std::process::Command::new("rustc")
        .arg("--version")
        .output()
        .ok()?;
    rustc_version(&String::from_utf8(out.stdout).ok()?)
}

/// The source the workflow builds: `--matome-repo`, and `--matome-ref` or the commit
/// this binary was built from.
pub fn source(repository: Option<&str>, git_ref: Option<&str>) -> Result<Source, Error> {
    let info = crate::embedded::build_info()
        .map_err(|message| Error { code: 1, message })?
        .unwrap_or_default();
    let git_ref = git_ref.map(str::to_string).or(info.commit).ok_or_else(|| {
        usage(
            "--ci github: give --matome-ref COMMIT (this matome does not know the commit it \
                 was built from; `make matome` records it)"
                .into(),
        )
    })?;
    let repository = repository.map(str::to_string).ok_or_else(|| {
        usage(format!(
            "--ci github: give --matome-repo OWNER/NAME, the GitHub repository the workflow \
             builds matome from (at {git_ref})"
        ))
    })?;
    let valid = |s: &str| {
        !s.is_empty()
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
    };
    if !matches!(repository.split_once('/'), Some((o, n)) if valid(o) && valid(n)) {
        return Err(usage(format!(
            "--matome-repo {repository}: expected OWNER/NAME, e.g. example/matome"
        )));
    }
    if !valid(&git_ref.replace('/', "-")) {
        return Err(usage(format!(
            "--matome-ref {git_ref}: not a commit, tag or branch"
        )));
    }
    let rust = info
        .rustc
        .as_deref()
        .and_then(rustc_version)
        .or_else(rustc_on_path)
        .ok_or_else(|| usage("--ci github: no Rust version to pin (no rustc on PATH)".into()))?;
    Ok(Source {
        repository,
        git_ref,
        rust,
    })
}

const GITHUB: &str = r#"# Builds the site with matome and deploys it to GitHub Pages. Written by
# `matome init --ci github`. The matome binary is built once from @REPO@
# at MATOME_REF and kept in the Actions cache: later runs restore it in seconds and only
# run `matome build`. A new MATOME_REF builds it again.
# In the repository's settings: Pages → Source → GitHub Actions.
name: Deploy to GitHub Pages

on:
  push:
    branches: [main]
  workflow_dispatch:

permissions:
  contents: read
  pages: write
  id-token: write

# One deployment at a time; a newer push waits instead of cancelling a running one.
concurrency:
  group: pages
  cancel-in-progress: false

env:
  MATOME_REPOSITORY: "@REPO@"
  MATOME_REF: "@REF@"
  RUST_TOOLCHAIN: "@RUST@"
  CARGO_TERM_COLOR: never

jobs:
  build:
    runs-on: ubuntu-latest
    # The first run compiles matome and its tools (about half an hour); later runs take
    # a minute or two.
    timeout-minutes: 60
    steps:
      - uses: actions/checkout@v4

      - name: The matome binary, from the cache
        id: matome
        uses: actions/cache@v4
        with:
          path: ~/.matome/bin
          key: matome-${{ runner.os }}-${{ env.MATOME_REF }}

      - name: The matome source (only when the cache has no binary)
        if: steps.matome.outputs.cache-hit != 'true'
        uses: actions/checkout@v4
        with:
          repository: ${{ env.MATOME_REPOSITORY }}
          ref: ${{ env.MATOME_REF }}
          path: .matome-src

      - if: steps.matome.outputs.cache-hit != 'true'
        uses: actions/setup-node@v4
        with:
          node-version: 22

      - name: Build the matome binary (make matome)
        if: steps.matome.outputs.cache-hit != 'true'
        working-directory: .matome-src
        run: |
          rustup toolchain install "$RUST_TOOLCHAIN" --profile minimal
          rustup default "$RUST_TOOLCHAIN"
          make matome
          mkdir -p ~/.matome/bin
          cp target/matome ~/.matome/bin/matome
          cd .. && rm -rf .matome-src

      - name: Build the site into @PUBLIC@
        run: ~/.matome/bin/matome build --config @CONFIG@

      - name: Within GitHub Pages' 1 GB
        run: |
          bytes=$(du -sb @PUBLIC@ | cut -f1)
          echo "@PUBLIC@: $(find @PUBLIC@ -type f | wc -l) files, $bytes bytes"
          if [ "$bytes" -ge 1000000000 ]; then
            echo "::error::@PUBLIC@ is $bytes bytes, over GitHub Pages' 1 GB limit"
            exit 1
          fi

      - uses: actions/configure-pages@v5

      - uses: actions/upload-pages-artifact@v3
        with:
          path: @PUBLIC@

  deploy:
    needs: build
    runs-on: ubuntu-latest
    # GitHub Pages gives a deployment 10 minutes.
    timeout-minutes: 9
    environment:
      name: github-pages
      url: ${{ steps.deployment.outputs.page_url }}
    steps:
      - id: deployment
        uses: actions/deploy-pages@v4
"#;

/// The workflow text: matome from `source`, the site's build.json at `config` (relative
/// to the repository root, `/`-separated).
pub fn github_workflow(source: &Source, config: &str) -> String {
    let dir = config.rsplit_once('/').map_or("", |(dir, _)| dir);
    let public = if dir.is_empty() {
        "public".to_string()
    } else {
        format!("{dir}/public")
    };
    GITHUB
        .replace("@REPO@", &source.repository)
        .replace("@REF@", &source.git_ref)
        .replace("@RUST@", &source.rust)
        .replace("@CONFIG@", config)
        .replace("@PUBLIC@", &public)
}

/// Writes the workflow `path` for the repository at `repo`, whose site is configured
/// by `config`.
pub fn write(
    provider: Provider,
    path: &Path,
    repo: &Path,
    config: &Path,
    source: &Source,
) -> Result<(), Error> {
    let Provider::Github = provider;
    let rel = crate::init::relative(config, repo);
    if rel.starts_with("..") || Path::new(&rel).is_absolute() {
        return Err(usage(format!(
            "--ci github: {} is outside the repository {}; the workflow only sees the repository's files",
            config.display(),
            repo.display()
        )));
    }
    // The one parse of build.json (its errors name the file, line and column).
    let site = matome_compiler::Config::load(config).map_err(|e| Error {
        code: 2,
        message: format!("config {e}"),
    })?;
    let rel = rel.replace('\\', "/");
    let text = github_workflow(source, &rel);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(|e| Error {
            code: 1,
            message: format!("cannot create {}: {e}", parent.display()),
        })?;
    }
    std::fs::write(path, text).map_err(|e| Error {
        code: 1,
        message: format!("cannot write {}: {e}", path.display()),
    })?;
    println!(
        "wrote {}: matome from {} at {} (Rust {}), built once and cached; `matome build --config {rel}`; deploys to GitHub Pages",
        path.display(),
        source.repository,
        source.git_ref,
        source.rust
    );
    let content = crate::init::relative(&site.content, repo);
    if content.starts_with("..") || Path::new(&content).is_absolute() {
        println!("note: content {} is outside the repository; the workflow only sees the repository's files (copy the posts in, or use a git submodule)", site.content.display());
    }
    Ok(())
}
