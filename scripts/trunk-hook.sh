#!/usr/bin/env bash
# Trunk hooks. `pre`: compile content into the bundle and hard-link it into the staging
# dir. `post`: prerender one HTML file per route (needs the final index.html).
# With MATOME_APP_ONLY=1 (`make dist`) both do nothing: Trunk builds the app alone and
# `matome publish` writes the site from it, without Trunk copying every page.
set -euo pipefail
cd "$(dirname "$0")/.."
stage=${1:?usage: trunk-hook.sh pre|post}
: "${TRUNK_STAGING_DIR:?run by trunk}"
[ "${MATOME_APP_ONLY:-}" = 1 ] && exit 0
matome() { cargo run --quiet --profile native -p matome-cli --bin matome -- "$@"; }
case "$stage" in
  pre)
    # The compiler stages the bundle itself: where it went (build.json's `output`, or
    # its default) is never worked out here.
    matome build --config build.json --base-path "${TRUNK_PUBLIC_URL:-/}" \
      --stage-into "$TRUNK_STAGING_DIR"
    ;;
  post)
    # .gz/.br copies (build.json's `precompress`) only for release builds: `trunk serve`
    # rebuilds often.
    extra=(); [ "${TRUNK_PROFILE:-}" = release ] || extra=(--no-precompress)
    matome pages --config build.json --base-path "${TRUNK_PUBLIC_URL:-/}" \
      --template "$TRUNK_STAGING_DIR/index.html" --out "$TRUNK_STAGING_DIR" "${extra[@]}"
    ;;
  *)
    echo "usage: trunk-hook.sh pre|post" >&2
    exit 2
    ;;
esac
