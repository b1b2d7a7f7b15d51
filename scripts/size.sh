#!/usr/bin/env bash
# First-load size of the release build: raw, gzip and brotli sizes of the html, css,
# js and wasm in dist/ (run `make dist` first), and the gzip total against the budget.
# Usage: scripts/size.sh [dist-dir]
set -euo pipefail
dist=${1:-dist}
budget_kb=250
[ -d "$dist" ] || { echo "no $dist/: run make dist first" >&2; exit 1; }

brotli_size() {
  if python3 -c 'import brotli' 2>/dev/null; then
    python3 -c 'import brotli,sys; print(len(brotli.compress(open(sys.argv[1],"rb").read(), quality=11)))' "$1"
  elif command -v brotli >/dev/null; then
    brotli -c -q 11 "$1" | wc -c
  else
    echo "-"
  fi
}

# The first load: the home page and the stylesheets, scripts and wasm it links (the
# stylesheet link, the script and wasm its loader imports and fetches). What loads only later
# (the service worker at idle, the search worker when the search page opens) is listed
# below the total, outside the budget.
files=("$dist/index.html")
while IFS= read -r name; do
  [ -f "$dist/$name" ] && files+=("$dist/$name")
done < <(grep -oE "(href=\"|module_or_path: '|import\(')[^\"']*\.(css|js|wasm)" "$dist/index.html" \
  | sed -E "s/^(href=\"|module_or_path: '|import\(')//; s|^.*/||" | awk '!seen[$0]++')
later=()
for f in "$dist"/sw.js "$dist"/search-worker-*.js "$dist"/search-worker-*_bg.wasm; do
  [ -f "$f" ] && later+=("$f")
done

printf '%-44s %10s %10s %10s\n' file raw gzip brotli
raw_total=0 gz_total=0 br_total=0 br_known=1
for f in "${files[@]}"; do
  raw=$(wc -c <"$f")
  gz=$(gzip -9 -c "$f" | wc -c)
  br=$(brotli_size "$f")
  raw_total=$((raw_total + raw)); gz_total=$((gz_total + gz))
  if [ "$br" = "-" ]; then br_known=0; else br_total=$((br_total + br)); fi
  printf '%-44s %10d %10d %10s\n' "${f#"$dist"/}" "$raw" "$gz" "$br"
done
[ $br_known = 1 ] || br_total="- (no python brotli module, no brotli CLI)"
printf '%-44s %10d %10d %10s\n' TOTAL "$raw_total" "$gz_total" "$br_total"
for f in "${later[@]}"; do
  printf '%-44s %10d %10d %10s\n' "${f#"$dist"/} (later)" "$(wc -c <"$f")" "$(gzip -9 -c "$f" | wc -c)" "$(brotli_size "$f")"
done
# The budget in decimal kilobytes (250 KB = 250,000 B), the stricter reading.
gz_kb=$(( (gz_total + 999) / 1000 ))
if [ "$gz_total" -le $((budget_kb * 1000)) ]; then
  echo "gzip total ${gz_kb} KB <= budget ${budget_kb} KB: OK"
else
  echo "gzip total ${gz_kb} KB > budget ${budget_kb} KB: OVER BUDGET"; exit 1
fi
