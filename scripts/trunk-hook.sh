#!/usr/bin/env bash
# Trunk hooks. `pre`: compile content into the bundle and hard-link it into the staging
# dir. `post`: prerender one HTML file per route (needs the final index.html).
# With MATOME_APP_ONLY=1 (`make dist`, `make serve`) both do nothing: Trunk builds the
# app alone and `matome publish` (or `matome serve`) writes the site from it, without
# Trunk copying every page. The hooks serve a plain `trunk build` or `trunk serve`.
#
# A broken post: `pre` exits non-zero with every error as path:line:col and stages
# nothing, so Trunk fails this build and keeps serving the last good one.
# MATOME_CONFIG (default build.json) and MATOME_BIN (default: cargo run) are for tests.
set -euo pipefail
cd "$(dirname "$0")/.."
stage=${1:?usage: trunk-hook.sh pre|post}
: "${TRUNK_STAGING_DIR:?run by trunk}"
[ "${MATOME_APP_ONLY:-}" = 1 ] && exit 0
config=${MATOME_CONFIG:-build.json}
if [ -n "${MATOME_BIN:-}" ]; then
  matome() { "$MATOME_BIN" "$@"; }
else
  matome() { cargo run --quiet --profile native -p matome-cli --bin matome -- "$@"; }
fi
case "$stage" in
  pre)
    # The compiler stages the bundle itself: where it went (build.json's `output`, or
    # its default) is never worked out here.
    matome build --config "$config" --base-path "${TRUNK_PUBLIC_URL:-/}" \
      --stage-into "$TRUNK_STAGING_DIR" || {
      rc=$?
      echo "trunk-hook: the build failed (errors above); nothing staged, the last good site stays" >&2
      exit "$rc"
    }
    ;;
  post)
    # .gz/.br copies (build.json's `precompress`) only for release builds: `trunk serve`
    # rebuilds often.
    extra=(); [ "${TRUNK_PROFILE:-}" = release ] || extra=(--no-precompress)
    matome pages --config "$config" --base-path "${TRUNK_PUBLIC_URL:-/}" \
      --template "$TRUNK_STAGING_DIR/index.html" --out "$TRUNK_STAGING_DIR" "${extra[@]}"
    ;;
  *)
    echo "usage: trunk-hook.sh pre|post" >&2
    exit 2
    ;;
esac
