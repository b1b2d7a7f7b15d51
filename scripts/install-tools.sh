#!/usr/bin/env bash
# Installs what building the app needs, from registries only (rustup, crates.io, npm).
# Idempotent: each tool is checked first and skipped when the right version is there.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/versions.env
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"

say() { printf '==> %s\n' "$*" >&2; }

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

if ! trunk --version 2>/dev/null | grep -qF "trunk $TRUNK_VERSION"; then
  say "installing trunk $TRUNK_VERSION from crates.io (takes a few minutes)"
  # Trunk's own release profile uses fat LTO, which triples the build time here.
  CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 \
    cargo install --locked trunk --version "$TRUNK_VERSION"
fi

# wasm-bindgen-cli must match the wasm-bindgen crate exactly; Cargo.lock is the source.
WB_VERSION=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
if [ -z "$WB_VERSION" ]; then echo "error: wasm-bindgen not found in Cargo.lock" >&2; exit 1; fi
if ! wasm-bindgen --version 2>/dev/null | grep -qF "wasm-bindgen $WB_VERSION"; then
  say "installing wasm-bindgen-cli $WB_VERSION from crates.io (takes a few minutes)"
  # Not --locked: its lockfile names a webpki-roots version the registry lacks.
  cargo install wasm-bindgen-cli --version "$WB_VERSION"
fi

# wasm-opt from npm's binaryen (Debian's binaryen silently breaks the wasm).
if ! node_modules/.bin/wasm-opt --version 2>/dev/null | grep -qF "version ${BINARYEN_VERSION%%.*}"; then
  say "installing binaryen $BINARYEN_VERSION (wasm-opt) from npm"
  npm ci --no-audit --no-fund
fi

say "fetching crates"
cargo fetch --locked
