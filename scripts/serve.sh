#!/usr/bin/env bash
# `make serve`: two processes. Trunk rebuilds the app alone (relative URLs) into
# target/serve-app whenever src/, style/, public/, index.html or the model change
# (Trunk.toml's [watch]); `matome serve` prepares it as `make app` does (into
# target/serve/app), publishes the posts with it into target/serve/site, serves that on
# http://127.0.0.1:$PORT/ and republishes when a post, build.json, an asset or the app
# changes, then reloads the open pages. A saved post so rebuilds only its own files and
# the lists it is on, without Trunk.
set -euo pipefail
cd "$(dirname "$0")/.."
port=${PORT:-8080}
target=${CARGO_TARGET_DIR:-target}
cargo build --quiet --locked --profile native -p matome-cli --bin matome
trunk watch --offline --public-url ./ --dist "$target/serve-app" &
trunk=$!
trap 'kill "$trunk" 2>/dev/null || true' EXIT INT TERM
# The first app build: matome serve needs its index.html (an old one is replaced later).
while [ ! -f "$target/serve-app/index.html" ]; do
  kill -0 "$trunk" 2>/dev/null || { echo "serve: trunk watch exited" >&2; exit 1; }
  sleep 0.5
done
"$target/native/matome" serve --config "${MATOME_CONFIG:-build.json}" --app "$target/serve-app" \
  --dir "$target/serve" --port "$port"
