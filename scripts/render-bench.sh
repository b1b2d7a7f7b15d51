#!/usr/bin/env bash
# `make bench-app`: long tasks while the biggest posts render in headless Chromium, and
# while すべて展開 opens their folded sections (issue 3: no task over 100 ms), next to the
# 404 page as a same-run baseline; one table. Figures, not pass/fail: the exit status is
# non-zero only when a page fails to render. Needs dist/ (`make dist`); the corpus posts
# are compiled into a copy of it (target/render-bench-corpus) by the benchmark itself.
# See tests/examples/render_perf.rs for what is measured.
#
#   RENDER_BENCH_RUNS=…  fresh browser sessions per page (default 5)
#   RENDER_BENCH_VERBOSE=1  also list every long task of each post load ([start, ms])
#   BENCH_CORPUS=…       the real corpus (default: ../shared/corpus; skipped when missing)
#   CHROMEDRIVER=… CHROME=…  browser binaries (default: /usr/bin/chromedriver, /usr/bin/chromium)
set -euo pipefail
cd "$(dirname "$0")/.."

dist=${MATOME_E2E_DIST:-dist}
[[ -f $dist/index.html ]] || { echo "no $dist/index.html: run make dist first" >&2; exit 1; }

echo "building the render benchmark (tests/examples/render_perf.rs)…" >&2
cargo build --quiet --locked -p matome-e2e --example render_perf
exec "${CARGO_TARGET_DIR:-target}/debug/examples/render_perf"
