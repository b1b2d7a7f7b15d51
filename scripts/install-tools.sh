#!/usr/bin/env bash
# Installs what building the app needs, from registries only (rustup, crates.io, npm).
# Idempotent: each tool is checked first and skipped when the right version is there.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/versions.env
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"

say() { printf '==> %s\n' "$*" >&2; }
# The output of a command, or nothing when it is missing (captured first: `cmd | grep -q`
# under pipefail can fail when grep exits before the command is done writing).
out() { "$@" 2>/dev/null || true; }

if ! grep -qx wasm32-unknown-unknown <<<"$(out rustup target list --installed)"; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

# rustfmt and clippy: `make lint` (part of `make test`) runs both.
for component in rustfmt clippy; do
  if ! grep -q "^$component" <<<"$(out rustup component list --installed)"; then
    say "adding the $component component"
    rustup component add "$component"
  fi
done

if ! grep -qF "trunk $TRUNK_VERSION" <<<"$(out trunk --version)"; then
  say "installing trunk $TRUNK_VERSION from crates.io (takes a few minutes)"
  # Trunk's own release profile uses fat LTO, which triples the build time here.
  CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 \
    cargo install --locked trunk --version "$TRUNK_VERSION"
fi

# wasm-bindgen-cli must match the wasm-bindgen crate exactly; Cargo.lock is the source.
WB_VERSION=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
if [ -z "$WB_VERSION" ]; then echo "error: wasm-bindgen not found in Cargo.lock" >&2; exit 1; fi
if ! grep -qF "wasm-bindgen $WB_VERSION" <<<"$(out wasm-bindgen --version)"; then
  say "installing wasm-bindgen-cli $WB_VERSION from crates.io (takes a few minutes)"
  # Not --locked: its lockfile names a webpki-roots version the registry lacks.
  cargo install wasm-bindgen-cli --version "$WB_VERSION"
fi

# wasm-opt from npm's binaryen (Debian's binaryen silently breaks the wasm).
# Its version through scripts/bin/wasm-opt, which remembers it (npm's takes a second).
wasm_opt_version() { [ -x node_modules/.bin/wasm-opt ] && scripts/bin/wasm-opt --version; }
if ! grep -qF "version ${BINARYEN_VERSION%%.*}" <<<"$(out wasm_opt_version)"; then
  say "installing binaryen $BINARYEN_VERSION (wasm-opt) from npm"
  npm ci --no-audit --no-fund
fi

# cargo-nextest: `make test-native` runs the native test binaries side by side with it.
if ! grep -qF "cargo-nextest $NEXTEST_VERSION" <<<"$(out cargo nextest --version)"; then
  say "installing cargo-nextest $NEXTEST_VERSION from crates.io (takes a few minutes)"
  cargo install --locked cargo-nextest --version "$NEXTEST_VERSION"
fi

# sccache: `make test` keeps the crates it compiled in a local cache (~/.cache/sccache)
# for the next run; a cold cache compiles everything, as without it. Local disk only.
if ! grep -qF "sccache $SCCACHE_VERSION" <<<"$(out sccache --version)"; then
  say "installing sccache $SCCACHE_VERSION from crates.io (takes a few minutes)"
  cargo install --locked sccache --version "$SCCACHE_VERSION" --no-default-features
fi

say "fetching crates"
cargo fetch --locked
