#!/usr/bin/env bash
# `make bench-binary`: the authors' binary (target/matome, `make matome`) against
# `make dist` on the same site: the synthetic 2,000-post site (real-shaped posts,
# 3,500-odd tags, thumbnails), each with caches of its own, cold (no cache, no output)
# and warm (the same build again). Prints wall time and peak memory of each run, the
# ratios binary / make dist from this run, and the binary's size.
#
# The binary runs alone: an empty environment (no PATH), as on a machine that has
# nothing else. `make dist` runs as in this checkout (Trunk finds the app built and
# only checks it; the time of that check is part of its figure).
#
#   BENCH_BINARY_DIR=…   work folder (default: target/bench-binary)
#   BENCH_POSTS=…        posts (default 2000)
set -euo pipefail
cd "$(dirname "$0")/.."

work=${BENCH_BINARY_DIR:-target/bench-binary}
posts=${BENCH_POSTS:-2000}
mkdir -p "$work"
work=$(cd "$work" && pwd)

echo "building target/matome (make matome)…" >&2
make -s matome >"$work/make-matome.log" 2>&1 || { cat "$work/make-matome.log" >&2; exit 1; }

corpus=$work/gen-$posts
bash scripts/gen-corpus.sh "$posts" "$corpus" >/dev/null
# One folder per road: its build.json, thumbnails, bundle and caches (synthetic-site.sh).
for road in binary dist; do
  bash scripts/synthetic-site.sh "$work/$road" "$corpus" >/dev/null
done

# measure NAME CMD…: runs CMD, records "NAME wall_s peak_MiB".
results=()
measure() {
  local name=$1
  shift
  /usr/bin/time -f '%e %M' -o "$work/time.txt" "$@" >"$work/$name.log" 2>&1 \
    || { cat "$work/$name.log" >&2; exit 1; }
  read -r wall kb <"$work/time.txt"
  results+=("$name $wall $((kb / 1024))")
  echo "  $name: ${wall} s, $((kb / 1024)) MiB peak" >&2
}

bin=$work/matome
cp target/matome "$bin"
for run in cold warm; do
  if [[ $run == cold ]]; then rm -rf "$work"/{binary,dist}/{cache,bundle} "$work/public" "$work/dist-site"; fi
  measure "binary-$run" env -i "$bin" build --config "$work/binary/build.json" --out "$work/public"
  measure "make-dist-$run" make -s dist CONFIG="$work/dist/build.json" DIST="$work/dist-site"
done

files=$(find "$work/public" -type f | wc -l)
echo
echo "matome build with the binary alone vs make dist, $posts posts ($files files), $(nproc) cores, load $(cut -d' ' -f1 /proc/loadavg):"
printf '  %-16s %9s %10s\n' run "wall (s)" "peak (MiB)"
for r in "${results[@]}"; do
  read -r name wall mib <<<"$r"
  printf '  %-16s %9s %10s\n' "$name" "$wall" "$mib"
done
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
get() { for r in "${results[@]}"; do read -r n w m <<<"$r"; [[ $n == "$1" ]] && echo "$w" && return; done; }
echo "  binary / make dist: cold $(ratio "$(get binary-cold)" "$(get make-dist-cold)"), warm $(ratio "$(get binary-warm)" "$(get make-dist-warm)")"
app=$(grep -o 'with the app inside ([0-9]* files, [0-9]* bytes compressed)' "$work/make-matome.log" | grep -o '[0-9]* bytes' || true)
echo "  target/matome: $(stat -c %s target/matome) bytes ($(( $(stat -c %s target/matome) / 1048576 )) MiB), the app inside: ${app:-?} compressed"
