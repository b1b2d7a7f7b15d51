#!/usr/bin/env bash
# `make test-budget`: publishes a synthetic 2,000-post site (real-shaped: ~35 KB posts,
# 3,500-odd tags, thumbnails) with `matome publish` and the default build.json settings,
# then checks the site folder against the static hosts' limits:
#   files <= 20,000 (Cloudflare Pages), total <= 300 MB, no file over 25 MiB.
# Exits 1 naming each limit that is exceeded. The app is a stand-in of the real one's
# size (the real one is under 1 MB); everything else is what `make content` writes.
#
# At 2,000 posts the site is about 291 MB: post pages 212 MB (every card written out,
# ~470 bytes of markup per card besides its text), post files in data/posts 11 MB
# (stored gzip-compressed), tag pages and feeds 43 MB (see docs/deploying.md).
#
#   BUDGET_DIR=…      work folder (default: target/budget; the corpus is kept between runs)
#   BUDGET_POSTS=…    posts (default 2000)
set -euo pipefail
cd "$(dirname "$0")/.."

work=${BUDGET_DIR:-target/budget}
posts=${BUDGET_POSTS:-2000}
max_files=20000
max_bytes=$((300 * 1000 * 1000))
max_file=$((25 * 1024 * 1024))

# The binaries: MATOME_BIN and GEN_CORPUS_BIN when given (`make test` passes those of its
# one build), else built here with the `native` profile.
if [[ -n ${MATOME_BIN:-} ]]; then
  matome=$(realpath "$MATOME_BIN")
else
  cargo build --quiet --locked --profile native -p matome-cli --bin matome
  matome=$PWD/target/native/matome
fi
corpus=$work/gen-$posts
bash scripts/gen-corpus.sh "$posts" "$corpus"

bash scripts/synthetic-site.sh "$work" "$corpus"
app=$work/app

site=$work/site
"$matome" publish --config "$work/build.json" --app "$app" --site "$site" >"$work/publish.log" 2>&1 \
  || { cat "$work/publish.log" >&2; exit 1; }
tail -1 "$work/publish.log"

files=$(find "$site" -type f | wc -l)
bytes=$(find "$site" -type f -printf '%s\n' | awk '{s += $1} END {print s + 0}')
largest=$(find "$site" -type f -printf '%s %P\n' | sort -n | tail -1)
echo "site of $posts posts: $files files, $((bytes / 1000000)) MB, largest ${largest%% *} B (${largest#* })"
echo "by folder:"
find "$site" -type f -printf '%s %P\n' | awk '{
  n = split($2, p, "/"); k = (n == 1 ? "(top)" : p[1]); if (k == "data" && n > 2) k = "data/" p[2]
  c[k]++; s[k] += $1 } END { for (k in c) printf "  %-14s %6d files %8.1f MB\n", k, c[k], s[k] / 1e6 }' | sort

status=0
if ((files > max_files)); then echo "OVER: $files files > $max_files"; status=1; fi
if ((bytes > max_bytes)); then echo "OVER: $bytes bytes > $max_bytes"; status=1; fi
if ((${largest%% *} > max_file)); then echo "OVER: ${largest#* } is ${largest%% *} bytes > $max_file"; status=1; fi
if ((status == 0)); then echo "within the limits: <= $max_files files, <= 300 MB, no file over 25 MiB"; fi
exit $status
