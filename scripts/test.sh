#!/usr/bin/env bash
# `make test`: every test, each artefact built once, with the time of each part.
#
# - Lint and test build are one: the builds of the workspace run through clippy-driver
#   (as `cargo clippy` does, but compiling), so the clippy pass over the native and the
#   wasm code is the same compilation the tests then run; warnings fail.
# - One native profile (dev): the tests, the budget check, `make dist` and the
#   end-to-end tests run the `matome` that build made; no second (`native`) build.
# - The release app (Trunk, fat LTO: long stretches on one core) builds in the
#   background while the other builds and tests use the other core.
# - One release app for dist/, dist-sub/ and the deployment check (its URLs are
#   relative; publishing places it under each base path); the deployment check serves
#   dist/ and dist-sub/ as `make dist` and `make dist-sub` wrote them.
# - The end-to-end tests run in several browser sessions at once (E2E_THREADS).
# - sccache (scripts/install-tools.sh installs it) keeps compiled crates between runs.
#
# Each step's output goes to target/test-logs/<step>.log (and to the terminal, a
# background step's when it is waited for); at the end a table of the steps' wall times
# and the count of tests and checks. Run by the Makefile (its PATH and environment).
set -euo pipefail
cd "$(dirname "$0")/.."

logs=target/test-logs
rm -rf "$logs"
mkdir -p "$logs"
timings=$logs/timings.tsv
: >"$timings"
run_start=$(date +%s%N)

now_ms() { echo $(($(date +%s%N) / 1000000)); }
secs() { awk -v ms="$1" 'BEGIN { printf "%.1f s", ms / 1000 }'; }

# The count of passed tests in logs of cargo test, cargo nextest and
# wasm-bindgen-test-runner.
passed() {
  cat "$@" 2>/dev/null | awk '/^test result: |^ *Summary \[/ {
    for (i = 2; i <= NF; i++) if ($(i) ~ /^passed/) n += $(i - 1) } END { print n + 0 }'
}

summary() {
  local total_ms=$((($(date +%s%N) - run_start) / 1000000))
  echo
  echo "make test: wall time per step (background steps overlap the ones after them)"
  awk -F'\t' '{ printf "  %-20s %8.1f s%s\n", $1, $2 / 1000, ($3 == 0 ? "" : "  FAILED") }' "$timings"
  printf '  %-20s %8.1f s   (load average now: %s)\n' total "$(awk -v ms=$total_ms 'BEGIN { print ms / 1000 }')" \
    "$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo n/a)"
  local native wasm e2e deploy n
  native=$(passed "$logs/test-native.log")
  wasm=$(passed "$logs/test-wasm.log")
  e2e=$(passed "$logs/test-e2e.log")
  deploy=$(awk '/^deploy-check: [0-9]+ passed/ { n += $2 } END { print n + 0 }' "$logs/test-deploy.log" 2>/dev/null || echo 0)
  echo "tests passed: $((native + wasm + e2e)) (native $native, wasm in Chromium $wasm, end-to-end in Chromium $e2e); deployment checks passed: $deploy"
  if [[ -n ${sccache_on:-} ]]; then
    sccache --show-stats 2>/dev/null </dev/null | awk '/^Compile requests  |^Cache hits  |^Cache misses  |^Non-cacheable calls/ {
      n = $NF; $NF = ""; sub(/ +$/, ""); printf "%s%s %s", (i++ ? ", " : "sccache: "), $0, n } END { print "" }' || true
  fi
  n=$(cat "$logs"/*.log 2>/dev/null | grep -c 'skipped (no ../shared/corpus): ' || true)
  if [ "$n" != 0 ]; then echo "$n corpus test(s) skipped: ../shared/corpus is missing"; fi
}

# step NAME CMD...: runs CMD in the foreground, its output to the terminal and to
# $logs/NAME.log, and records its wall time; a failure ends the run.
step() {
  local name=$1 start status
  shift
  echo "==> [$name] $*" >&2
  start=$(now_ms)
  set +e
  "$@" 2>&1 | tee "$logs/$name.log"
  status=${PIPESTATUS[0]}
  set -e
  finish "$name" "$start" "$status"
}

finish() { # NAME START_MS STATUS
  printf '%s\t%s\t%s\n' "$1" $(($(now_ms) - $2)) "$3" >>"$timings"
  if (($3 != 0)); then
    echo "==> [$1] FAILED (exit $3); log: $logs/$1.log" >&2
    summary
    exit "$3"
  fi
  echo "==> [$1] done in $(secs $(($(now_ms) - $2)))" >&2
}

# background NAME CMD...: starts CMD in its own process group, its output to
# $logs/NAME.log only; `await NAME` waits for it, shows the log and records its time.
declare -A bg_pid bg_start
background() {
  local name=$1
  shift
  echo "==> [$name] in the background: $*" >&2
  bg_start[$name]=$(now_ms)
  # Job control on for the fork only: the job's own process group, so that a failure
  # elsewhere can stop it and all it started; foreground steps stay in the script's.
  # Its input is /dev/null (with job control on, bash would leave the terminal's); its
  # end time is written when it ends, not when it is awaited.
  set -m
  { "$@"; local rc=$?; now_ms >"$logs/$name.end"; exit $rc; } </dev/null >"$logs/$name.log" 2>&1 &
  bg_pid[$name]=$!
  set +m
}
await() {
  local name=$1 status=0
  wait "${bg_pid[$name]}" || status=$?
  unset "bg_pid[$name]"
  echo "==> [$name] output:" >&2
  cat "$logs/$name.log"
  local end
  end=$(cat "$logs/$name.end" 2>/dev/null || now_ms)
  finish "$name" $((bg_start[$name] + $(now_ms) - end)) "$status"
}
stop_background() {
  local pid
  for pid in "${bg_pid[@]}"; do kill -- "-$pid" 2>/dev/null || true; done
  if [[ -n ${sccache_started:-} ]]; then sccache --stop-server >/dev/null 2>&1 </dev/null || true; fi
}
trap stop_background EXIT
trap 'exit 130' INT TERM

# One native build for the whole run: the dev profile (Cargo.toml optimises the crates
# whose speed the tests feel), run through clippy-driver for workspace members (as
# `cargo clippy` does, but compiling), so the lint and the test build are one
# compilation and `-D warnings` fails the run on any rustc or clippy warning. The tests,
# the scripts and `make dist` then run the `matome` and `gen_corpus` it made
# (MATOME_BIN, GEN_CORPUS_BIN) instead of building the `native` profile again.
RUSTC_WORKSPACE_WRAPPER=$(rustup which clippy-driver 2>/dev/null || command -v clippy-driver)
export RUSTC_WORKSPACE_WRAPPER
export CLIPPY_ARGS=-D__CLIPPY_HACKERY__warnings__CLIPPY_HACKERY__
export INSTA_UPDATE=no INSTA_FORCE_PASS=0
export MATOME_BIN=target/debug/matome GEN_CORPUS_BIN=target/debug/examples/gen_corpus

# The release app, as Trunk builds it (fat LTO: long stretches on one core), beside the
# native build; `make dist` then prepares it with the `matome` that build made. One app
# for dist/ (at /) and dist-sub/ (at /sub/path/): publishing places it. Clippy has seen
# its code in the wasm test build, so it compiles with plain rustc.
app() {
  unset RUSTC_WORKSPACE_WRAPPER CLIPPY_ARGS
  make -s -o tools app-trunk
}

step tools make -s tools
# Compiled crates come from sccache's local cache when an earlier run (any clone) made
# them; a miss compiles as usual (MATOME_SCCACHE=0 turns it off). Its server is started
# here, with no terminal or pipe of this run open (it outlives the step that starts it),
# and stopped at the end; the summary gives its hits and misses. A server already
# running (another run's) is used as it is.
if [[ ${MATOME_SCCACHE:-1} != 0 ]] && command -v sccache >/dev/null; then
  if sccache --start-server >/dev/null 2>&1 </dev/null; then
    sccache_started=1
    sccache --zero-stats >/dev/null 2>&1 </dev/null || true
  fi
  if sccache --show-stats >/dev/null 2>&1 </dev/null; then
    export RUSTC_WRAPPER=sccache
    sccache_on=1
  fi
fi
step browser make -s browser
step fmt cargo fmt --all --check
step deps-check make -s lint-deps
background app app
# The wasm-opt cache check (one core, mostly node starting up) beside the builds.
background test-tools make -s -o tools test-tools
# Every native target of the workspace (libraries, binaries, tests, examples), linted.
# --timings: the time of each crate in target/cargo-timings/ (the next slow part to cut).
step build-native bash -c 'cargo test --locked --workspace --no-run --timings && cargo build --locked --workspace --examples'
step test-native make -s -o tools test-native
step test-budget make -s test-budget
# The app's wasm targets, linted: the build of its tests in Chromium.
step build-wasm cargo test --locked -p matome-web --target wasm32-unknown-unknown --no-run --timings
step test-wasm make -s test-wasm
await test-tools
await app
step dist make -s -o tools -o app-trunk dist
step dist-sub make -s -o tools -o app dist-sub
# The authors' binary: this run's `matome` with the app inside (the end-to-end tests run
# it alone, with an empty PATH, on a Hugo site and on the corpus).
step matome make -s -o tools -o app matome
step test-e2e make -s -o dist -o dist-sub -o matome test-e2e
step test-deploy make -s -o dist -o dist-sub test-deploy
summary
