#!/usr/bin/env bash
# `make bench`: times `matome compile` over the real corpus and over synthetic corpora of
# 2k and 20k posts (100k with BENCH_100K=1), next to the time it takes merely to read the
# same files, and prints one table; then the whole-site publish (`matome publish`, what
# `make content` runs) of the synthetic sites: cold (empty site folder and caches), warm
# (nothing changed) and one post changed, with wall, peak memory, files and bytes of the
# site. Then search (issue 11): the synthetic 2,000-post site (titles and comment bodies
# drawn from the real corpus when it is there) published with the real
# app of the last `make dist` (target/app) and searched in headless Chromium by
# tests/examples/search_bench.rs (cold and warm queries, bytes per query, index size).
# Figures, not pass/fail. BENCH_SITE=0 skips the second table, BENCH_SEARCH=0 the third;
# `scripts/bench.sh search` (`make bench-search`) runs the search section alone.
#
#   BENCH_DIR=…      where generated corpora and outputs go (default: target/bench)
#   BENCH_SIZES=…    generated sizes (default: "2000 20000", plus 100000 with BENCH_100K=1)
#   BENCH_CORPUS=…   the real corpus (default: ../shared/corpus; skipped when missing)
#   BENCH_APP=…      the app the search section publishes with (default: target/app)
set -euo pipefail
cd "$(dirname "$0")/.."
only=${1:-all}

corpus=${BENCH_CORPUS:-../shared/corpus}
work=${BENCH_DIR:-target/bench}
sizes=${BENCH_SIZES:-"2000 20000"}
if [[ -n ${BENCH_100K:-} ]]; then sizes="$sizes 100000"; fi

echo "building matome (profile native)…" >&2
cargo build --quiet --profile native -p matome-cli --bin matome
matome=target/native/matome
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

# The generated corpus of N posts in $work/gen-N (or $work/gen-N-real with the real
# posts' titles and comment bodies: `generate N real`); regenerated when the generator
# changed.
generate() {
  local n=$1 dir=$work/gen-$1 extra=()
  if [[ ${2:-} == real ]]; then
    dir=$work/gen-$1-real
    extra=(--text-from "$corpus/posts")
  fi
  bash scripts/gen-corpus.sh "$n" "$dir" "${extra[@]}"
}

# Search: publish the 2,000-post site with the real app, then the browser benchmark.
search_section() {
  local n=2000 app=${BENCH_APP:-target/app} w=$work/search-2000
  if [[ ! -f $app/index.html ]]; then
    echo "search: skipped, no $app/index.html (run make dist first)" >&2
    return
  fi
  # Real-like text: titles and comment bodies drawn from the real posts when they are
  # there (the template sentences alone make a vocabulary, and an index, far smaller
  # than a real site's).
  local content=$work/gen-$n
  if [[ -d $corpus/posts ]]; then
    generate "$n" real
    content=$work/gen-$n-real
  else
    echo "search: $corpus/posts is missing; the $n posts use template sentences only" >&2
    generate "$n"
  fi
  bash scripts/synthetic-site.sh "$w" "$content"
  echo "search: publishing the $n-post site ($content) with $app…" >&2
  "$matome" publish --config "$w/build.json" --app "$app" --site "$w/site" >"$w/publish.log" 2>&1 \
    || { cat "$w/publish.log" >&2; exit 1; }
  if [[ -d $corpus/posts ]]; then
    # The index of the real posts themselves, per post: the synthetic site reuses their
    # comments, so its vocabulary stops growing; a real site's keeps growing with posts.
    "$matome" compile --content "$corpus/posts" --assets "$corpus/assets" --out "$w/real-bundle" >/dev/null 2>&1 \
      || { echo "search: matome build of $corpus failed" >&2; exit 1; }
    local real_posts real_bytes
    real_posts=$(grep -vc $'^tags\t' "$w"/real-bundle/data/search/posts.txt || true)
    real_bytes=$(cat "$w"/real-bundle/data/search/*.txt | wc -c)
    echo "real posts ($corpus): $real_posts posts, search index $((real_bytes / 1000)) KB raw, $((real_bytes * 1000 / real_posts / 1000)) KB per 1,000 posts"
  fi
  echo "building the search benchmark (tests/examples/search_bench.rs)…" >&2
  cargo build --quiet --locked -p matome-e2e --example search_bench
  echo
  MATOME_E2E_DIST=$w/site "${CARGO_TARGET_DIR:-target}/debug/examples/search_bench"
}

if [[ $only == search ]]; then
  search_section
  exit 0
fi

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
  summary=$(run_measured "$matome" compile --content "$content" --assets "$assets" --out "$out" 2>&1 | tail -1)
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
  generate "$n"
  bash scripts/synthetic-site.sh "$work/site-$n" "$dir"
  bench "gen-$n" "$dir" "$work/site-$n/assets"
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

if [[ ${BENCH_SITE:-1} == 0 ]]; then
  [[ ${BENCH_SEARCH:-1} == 0 ]] || search_section
  exit 0
fi

# Whole-site publish. One post changed = a comment card appended to the newest post
# (its page, its JSON, and every list, tag page and feed showing its comment count).
site_rows=()
publish() { # name phase
  local w=$work/site-$1 start ms rss files bytes
  start=$(now_ms)
  run_measured "$matome" publish --config "$w/build.json" --app "$w/app" --site "$w/site" >"$w/publish.log" 2>&1 \
    || { cat "$w/publish.log" >&2; exit 1; }
  ms=$(( $(now_ms) - start ))
  rss=$(cat "$rss_file")
  files=$(find "$w/site" -type f | wc -l)
  bytes=$(find "$w/site" -type f -printf '%s\n' | awk '{s += $1} END {print s + 0}')
  echo "site-$1 $2: $(tail -1 "$w/publish.log")" >&2
  site_rows+=("gen-$1 $2 $ms $rss $files $bytes")
}
for n in $sizes; do
  w=$work/site-$n
  rm -rf "$w/site" "$w/bundle" "$w/cache"
  publish "$n" cold
  publish "$n" warm
  newest=$(find "$work/gen-$n" -name index.md | sort | tail -1)
  cp "$newest" "$w/saved.md"
  printf '\n{{<matomeQuote body="ベンチマークの追記" userName="bench" createdAt="2025-01-01T00:00:00" color="">}}\n' >>"$newest"
  publish "$n" one-post
  cp "$w/saved.md" "$newest"
done

echo
awk 'BEGIN { printf "%-12s %-9s %9s %9s %8s %9s\n", "site", "publish", "wall ms", "peak MB", "files", "MB" }
{
  rss = ($4 == "n/a" ? "n/a" : sprintf("%.0f", $4 / 1024))
  printf "%-12s %-9s %9d %9s %8d %9.1f\n", $1, $2, $3, rss, $5, $6 / 1e6
}
END { printf "\npublish = `matome publish` (compile + pages + feeds + sync of the site folder), as `make content` runs it.\n" }' \
  < <(printf '%s\n' "${site_rows[@]}")

[[ ${BENCH_SEARCH:-1} == 0 ]] || search_section
