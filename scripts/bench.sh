#!/usr/bin/env bash
# `make bench`: times `matome build` over the real corpus and over synthetic corpora of
# 2k and 20k posts (100k with BENCH_100K=1), next to the time it takes merely to read the
# same files, and prints one table. Figures, not pass/fail.
#
#   BENCH_DIR=…      where generated corpora and outputs go (default: target/bench)
#   BENCH_SIZES=…    generated sizes (default: "2000 20000", plus 100000 with BENCH_100K=1)
#   BENCH_CORPUS=…   the real corpus (default: ../shared/corpus; skipped when missing)
set -euo pipefail
cd "$(dirname "$0")/.."

corpus=${BENCH_CORPUS:-../shared/corpus}
work=${BENCH_DIR:-target/bench}
sizes=${BENCH_SIZES:-"2000 20000"}
if [[ -n ${BENCH_100K:-} ]]; then sizes="$sizes 100000"; fi

echo "building matome and the corpus generator (profile native)…" >&2
cargo build --quiet --profile native -p matome-cli --bin matome
cargo build --quiet --profile native -p matome-compiler --example gen_corpus
matome=target/native/matome
gen=target/native/examples/gen_corpus
mkdir -p "$work"

now_ms() { echo $(( $(date +%s%N) / 1000000 )); }

# Peak RSS of a command in KB, written to $rss_file: GNU time when installed, else
# Python's getrusage; "n/a" when neither exists (nothing is installed by this script).
rss_file=$work/.rss
run_measured() {
  if [[ -x /usr/bin/time ]]; then
    /usr/bin/time -f %M -o "$rss_file" "$@"
  elif command -v python3 >/dev/null; then
    python3 - "$rss_file" "$@" <<'PY'
import resource, subprocess, sys
code = subprocess.call(sys.argv[2:])
open(sys.argv[1], "w").write(str(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss))
sys.exit(code)
PY
  else
    echo n/a >"$rss_file"
    "$@"
  fi
}

rows=()
# bench NAME CONTENT ASSETS
bench() {
  local name=$1 content=$2 assets=$3 out=$work/out-$1
  local files bytes read_ms build_ms start summary rss
  files=$(find "$content" -name '*.md' | wc -l)
  bytes=$(find "$content" -name '*.md' -print0 | du -cb --files0-from=- | tail -1 | cut -f1)
  # Warm the page cache once, then time a plain read of every input file as the floor.
  find "$content" -name '*.md' -print0 | xargs -0 cat >/dev/null
  start=$(now_ms)
  find "$content" -name '*.md' -print0 | xargs -0 cat >/dev/null
  read_ms=$(( $(now_ms) - start ))
  rm -rf "$out"
  start=$(now_ms)
  summary=$(run_measured "$matome" build --content "$content" --assets "$assets" --out "$out" 2>&1 | tail -1)
  build_ms=$(( $(now_ms) - start ))
  rss=$(cat "$rss_file")
  echo "$name: $summary" >&2
  rows+=("$name $files $bytes $build_ms $read_ms $rss")
  rm -rf "$out"
}

if [[ -d $corpus/posts ]]; then
  bench corpus "$corpus/posts" "$corpus/assets"
else
  echo "note: $corpus/posts is missing; real corpus skipped" >&2
fi
for n in $sizes; do
  dir=$work/gen-$n
  if [[ ! -f $dir/.complete ]]; then
    rm -rf "$dir"
    "$gen" --posts "$n" --out "$dir" --seed 1
    touch "$dir/.complete"
  fi
  bench "gen-$n" "$dir" "${corpus}/assets"
done

echo
awk -v cores="$(nproc)" 'BEGIN {
  printf "%-12s %8s %8s %9s %9s %8s %9s %9s %7s\n", "corpus", "posts", "MB", "wall ms", "posts/s", "MB/s", "peak MB", "read ms", "build/read"
}
{
  mb = $3 / 1e6; s = ($4 > 0 ? $4 : 1) / 1000
  rss = ($6 == "n/a" ? "n/a" : sprintf("%.0f", $6 / 1024))
  ratio = ($5 > 0 ? sprintf("%.1fx", $4 / $5) : "-")
  printf "%-12s %8d %8.1f %9d %9.0f %8.1f %9s %9d %7s\n", $1, $2, mb, $4, $2 / s, mb / s, rss, $5, ratio
}
END { printf "\n%d cores; wall = whole `matome build` incl. writing the bundle; read = cat of the same files (page cache warm).\n", cores }' \
  < <(printf '%s\n' "${rows[@]}")
