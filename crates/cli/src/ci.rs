//! `matome init --ci github`: a GitHub Actions workflow that builds the site with the
//! tool versions this checkout pins and deploys it to GitHub Pages.
//!
//! The versions are read when the workflow is written: Rust from `rust-toolchain.toml`
//! (or the `rustc` in use), Trunk and binaryen from `scripts/versions.env`,
//! wasm-bindgen from `Cargo.lock`. The workflow installs them with `make tools` (the
//! same script as local builds) after checking that the checkout still pins them.

use std::path::{Path, PathBuf};

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

/// The versions the workflow pins.
#[derive(Debug, PartialEq, Eq)]
pub struct Pins {
    pub rust: String,
    pub trunk: String,
    pub binaryen: String,
    pub wasm_bindgen: String,
}

/// The matome checkout at or above `start` (it holds Cargo.lock, the Makefile and
/// scripts/versions.env).
fn find_checkout(start: &Path) -> Option<PathBuf> {
    let start = std::path::absolute(start).ok()?;
    start
        .ancestors()
        .find(|d| {
            d.join("Cargo.lock").is_file()
                && d.join("Makefile").is_file()
                && d.join("scripts/versions.env").is_file()
        })
        .map(Path::to_path_buf)
}

/// The version of package `name` in a Cargo.lock.
pub fn locked_version(lock: &str, name: &str) -> Option<String> {
    let table: toml::Table = lock.parse().ok()?;
    table.get("package")?.as_array()?.iter().find_map(|p| {
        (p.get("name")?.as_str()? == name)
            .then(|| p.get("version")?.as_str().map(str::to_string))?
    })
}

fn env_value(text: &str, key: &str) -> Option<String> {
    text.lines()
        .filter_map(|l| l.trim().strip_prefix(key)?.strip_prefix('='))
        .map(|v| v.trim().trim_matches('"').to_string())
        .find(|v| !v.is_empty())
}

fn rust_version(root: &Path) -> Option<String> {
    for name in ["rust-toolchain.toml", "rust-toolchain"] {
        if let Ok(text) = std::fs::read_to_string(root.join(name)) {
            let channel = text
                .parse::<toml::Table>()
                .ok()
                .and_then(|t| {
                    t.get("toolchain")?
                        .get("channel")?
                        .as_str()
                        .map(str::to_string)
                })
                .or_else(|| {
                    Some(text.trim().to_string()).filter(|s| !s.contains('\n') && !s.is_empty())
                });
            if channel.is_some() {
                return channel;
            }
        }
    }
    let out = std::process::Command::new("rustc")
        .arg("--version")
        .current_dir(root)
        .output()
        .ok()?;
    let text = String::from_utf8(out.stdout).ok()?;
    // "rustc 1.95.0 (59807616e 2026-04-14)"
    text.split_whitespace().nth(1).map(str::to_string)
}

pub fn read_pins(root: &Path) -> Result<Pins, Error> {
    let read = |rel: &str| {
        std::fs::read_to_string(root.join(rel)).map_err(|e| Error {
            code: 1,
            message: format!("cannot read {}: {e}", root.join(rel).display()),
        })
    };
    let lock = read("Cargo.lock")?;
    let env = read("scripts/versions.env")?;
    let missing = |what: &str, file: &str| {
        usage(format!("{what} not found in {}", root.join(file).display()))
    };
    Ok(Pins {
        rust: rust_version(root).ok_or_else(|| {
            usage("no Rust toolchain to pin: no rust-toolchain.toml and no rustc on PATH".into())
        })?,
        trunk: env_value(&env, "TRUNK_VERSION")
            .ok_or_else(|| missing("TRUNK_VERSION", "scripts/versions.env"))?,
        binaryen: env_value(&env, "BINARYEN_VERSION")
            .ok_or_else(|| missing("BINARYEN_VERSION", "scripts/versions.env"))?,
        wasm_bindgen: locked_version(&lock, "wasm-bindgen")
            .ok_or_else(|| missing("wasm-bindgen", "Cargo.lock"))?,
    })
}

/// `base_path` and `content` of an existing build.json (for `--ci` alone).
pub fn read_build_json(path: &Path) -> (Option<String>, Option<String>) {
    let Ok(text) = std::fs::read_to_string(path) else {
        return (None, None);
    };
    let Ok(v) = serde_json::from_str::<serde_json::Value>(&text) else {
        return (None, None);
    };
    let s = |k: &str| v.get(k).and_then(|x| x.as_str()).map(str::to_string);
    (s("base_path"), s("content"))
}

const GITHUB: &str = r#"# Builds the site with the tool versions this checkout pins and deploys it to GitHub
# Pages. Written by `matome init --ci github`; run it again (with --force) after a
# toolchain bump. In the repository's settings: Pages → Source → GitHub Actions.
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
  RUST_TOOLCHAIN: "@RUST@"
  TRUNK_VERSION: "@TRUNK@"
  WASM_BINDGEN_VERSION: "@WASM_BINDGEN@"
  BINARYEN_VERSION: "@BINARYEN@"
  BASE_PATH: "@BASE_PATH@"
  CARGO_TERM_COLOR: never
@DEFAULTS@
jobs:
  build:
    runs-on: ubuntu-latest
    # A cold run compiles Trunk and wasm-bindgen-cli; with the cache, a few minutes.
    timeout-minutes: 45
    steps:
      - uses: actions/checkout@v4

      - name: Rust toolchain
        run: |
          rustup toolchain install "$RUST_TOOLCHAIN" --profile minimal
          rustup default "$RUST_TOOLCHAIN"
          rustup target add wasm32-unknown-unknown

      - uses: actions/setup-node@v4
        with:
          node-version: 22

      - name: Cache cargo tools, crates and build output
        uses: actions/cache@v4
        with:
          path: |
            ~/.cargo/bin
            ~/.cargo/registry/index
            ~/.cargo/registry/cache
            ~/.cargo/git/db
            @DIR@target
          key: matome-${{ runner.os }}-${{ env.RUST_TOOLCHAIN }}-${{ hashFiles('@DIR@Cargo.lock', '@DIR@scripts/versions.env') }}
          restore-keys: matome-${{ runner.os }}-${{ env.RUST_TOOLCHAIN }}-

      - name: The checkout still pins these versions
        run: |
          check() {
            if [ "$2" != "$3" ]; then
              echo "::error::$1 is $3 in the checkout but $2 in this workflow: run matome init --ci github --force"
              exit 1
            fi
          }
          check trunk "$TRUNK_VERSION" "$(. scripts/versions.env; echo "$TRUNK_VERSION")"
          check binaryen "$BINARYEN_VERSION" "$(. scripts/versions.env; echo "$BINARYEN_VERSION")"
          check wasm-bindgen "$WASM_BINDGEN_VERSION" \
            "$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)"

      # trunk (cargo install --locked --version $TRUNK_VERSION), wasm-bindgen-cli (the
      # version in Cargo.lock), the wasm32 target and binaryen from npm: the same script
      # as local builds, each tool skipped when the cache already holds it.
      - name: Tools
        run: make tools

      - name: Build the site into dist/
        run: make dist BASE_PATH="$BASE_PATH"

      - name: Within GitHub Pages' 1 GB
        run: |
          bytes=$(du -sb dist | cut -f1)
          echo "dist/: $(find dist -type f | wc -l) files, $bytes bytes"
          if [ "$bytes" -ge 1000000000 ]; then
            echo "::error::dist/ is $bytes bytes, over GitHub Pages' 1 GB limit"
            exit 1
          fi

      - uses: actions/configure-pages@v5

      - uses: actions/upload-pages-artifact@v3
        with:
          path: @DIR@dist

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

/// The workflow text for a checkout at `dir` (relative to the repository root, `""` when
/// it is the root).
pub fn github_workflow(pins: &Pins, base_path: &str, dir: &str) -> String {
    let prefix = if dir.is_empty() {
        String::new()
    } else {
        format!("{}/", dir.trim_end_matches('/'))
    };
    let defaults = if dir.is_empty() {
        String::new()
    } else {
        format!("\ndefaults:\n  run:\n    working-directory: {dir}\n")
    };
    GITHUB
        .replace("@RUST@", &pins.rust)
        .replace("@TRUNK@", &pins.trunk)
        .replace("@WASM_BINDGEN@", &pins.wasm_bindgen)
        .replace("@BINARYEN@", &pins.binaryen)
        .replace("@BASE_PATH@", base_path)
        .replace("@DEFAULTS@", &defaults)
        .replace("@DIR@", &prefix)
}

/// Writes the workflow under `repo` (the repository root).
pub fn write(
    provider: Provider,
    path: &Path,
    repo: &Path,
    base_path: &str,
    content: Option<&str>,
) -> Result<(), Error> {
    let Provider::Github = provider;
    let root = find_checkout(repo)
        .or_else(|| find_checkout(Path::new(".")))
        .ok_or_else(|| usage(format!("--ci github: no matome checkout (Cargo.lock, Makefile, scripts/versions.env) at or above {} or the current folder", repo.display())))?;
    let pins = read_pins(&root)?;
    let dir = crate::init::relative(&root, repo);
    if dir.starts_with("..") || Path::new(&dir).is_absolute() {
        return Err(usage(format!(
            "--ci github: the matome checkout {} is outside --out-dir {}; the workflow must live in the repository that holds it",
            root.display(),
            repo.display()
        )));
    }
    let dir = if dir == "." { String::new() } else { dir };
    let text = github_workflow(&pins, base_path, &dir);
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
    println!("wrote {}: Rust {}, Trunk {}, wasm-bindgen-cli {}, binaryen {}; make dist BASE_PATH={base_path}; deploys to GitHub Pages", path.display(), pins.rust, pins.trunk, pins.wasm_bindgen, pins.binaryen);
    if let Some(c) = content.filter(|c| c.starts_with("..") || Path::new(c).is_absolute()) {
        println!("note: content {c} is outside the repository; the workflow only sees the repository's files (copy the posts in, or use a git submodule)");
    }
    Ok(())
}
