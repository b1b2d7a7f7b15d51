#!/usr/bin/env bash
# Trunk hooks. `pre`: compile content into the bundle and copy it into the staging dir.
# `post`: prerender one HTML file per route (needs the final index.html).
set -euo pipefail
cd "$(dirname "$0")/.."
stage=${1:?usage: trunk-hook.sh pre|post}
: "${TRUNK_STAGING_DIR:?run by trunk}"
matome() { cargo run --quiet --profile native -p matome-cli --bin matome -- "$@"; }
case "$stage" in
  pre)
    # The compiler copies the bundle itself: where it went (build.json's `output`, or
    # its default) is never worked out here.
    matome build --config build.json --base-path "${TRUNK_PUBLIC_URL:-/}" \
      --stage-into "$TRUNK_STAGING_DIR"
    ;;
  post)
    # .gz/.br copies only for release builds: `trunk serve` rebuilds often.
    extra=(); [ "${TRUNK_PROFILE:-}" = release ] || extra=(--no-precompress)
    matome pages --config build.json --base-path "${TRUNK_PUBLIC_URL:-/}" \
      --template "$TRUNK_STAGING_DIR/index.html" --out "$TRUNK_STAGING_DIR" "${extra[@]}"
    ;;
  *)
    echo "usage: trunk-hook.sh pre|post" >&2
    exit 2
    ;;
esac
