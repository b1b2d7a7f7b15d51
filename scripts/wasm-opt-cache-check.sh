#!/usr/bin/env bash
# Checks scripts/bin/wasm-opt (the caching wasm-opt Trunk runs) against the real wasm-opt:
# a first run and a cached run write the same bytes as the real tool, under another file
# name too; other arguments or input miss; a damaged entry, a failing run and arguments
# it does not know fall through to the real tool; --version answers the same; the cache
# keeps KEEP entries. Small modules assembled here from text; with WASM files as
# arguments (e.g. target/wasm-bindgen/release/*_bg.wasm) it also compares each of them
# optimised with -Oz, real against first and cached run (about 20 s per file).
# usage: scripts/wasm-opt-cache-check.sh [WASM...]
set -euo pipefail
cd "$(dirname "$0")/.."
real="$PWD/node_modules/.bin/wasm-opt"
wrap="$PWD/scripts/bin/wasm-opt"
[ -x "$real" ] || { echo "wasm-opt-cache-check: no $real (run make tools)" >&2; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export MATOME_WASM_OPT_CACHE="$tmp/cache" MATOME_REAL_WASM_OPT="$real"
unset MATOME_WASM_OPT_CACHE_KEEP
fail() { echo "wasm-opt-cache-check: FAIL: $*" >&2; exit 1; }
same() { cmp -s "$1" "$2" || fail "$3: $1 and $2 differ"; }
entries() { find "$tmp/cache" -name '*.json' 2>/dev/null | wc -l; }
hit() { grep -q 'the output of an identical run' "$1"; }

module() { # NAME CONSTANT: a module with an unused function and foldable arithmetic
  cat >"$tmp/$1.wat" <<WAT
(module
  (memory (export "memory") 1)
  (func \$unused (result i32) (i32.const 7))
  (func (export "f") (param \$a i32) (param \$b i32) (result i32)
    (local \$t i32)
    (local.set \$t (i32.add (local.get \$a) (i32.mul (local.get \$b) (i32.const 1))))
    (i32.add (local.get \$t) (i32.add (i32.const $2) (i32.const 0)))))
WAT
  "$PWD/node_modules/.bin/wasm-as" "$tmp/$1.wat" -o "$tmp/$1.wasm"
}
module a 40
module b 41

"$real" -Oz "$tmp/a.wasm" --output="$tmp/ref-a-z.wasm"
"$real" -O1 "$tmp/a.wasm" --output="$tmp/ref-a-1.wasm"
"$real" -Oz "$tmp/b.wasm" --output="$tmp/ref-b-z.wasm"
cmp -s "$tmp/ref-a-z.wasm" "$tmp/a.wasm" && fail "the test module is not changed by -Oz"

# Trunk's shape of call: --output=OUT -Oz IN.
"$wrap" --output="$tmp/1.wasm" -Oz "$tmp/a.wasm" 2>"$tmp/1.err"
same "$tmp/1.wasm" "$tmp/ref-a-z.wasm" "first run"
hit "$tmp/1.err" && fail "first run reported a cache hit"
[ "$(entries)" = 1 ] || fail "first run stored $(entries) entries, not 1"

cp "$tmp/a.wasm" "$tmp/renamed_bg.wasm"
"$wrap" --output="$tmp/2.wasm" -Oz "$tmp/renamed_bg.wasm" 2>"$tmp/2.err"
same "$tmp/2.wasm" "$tmp/ref-a-z.wasm" "cached run"
hit "$tmp/2.err" || fail "the same input under another name was not a hit"

"$wrap" -o "$tmp/3.wasm" -O1 "$tmp/a.wasm" 2>"$tmp/3.err"
same "$tmp/3.wasm" "$tmp/ref-a-1.wasm" "other level"
hit "$tmp/3.err" && fail "-O1 hit the -Oz entry"
"$wrap" --output="$tmp/4.wasm" -Oz "$tmp/b.wasm" 2>"$tmp/4.err"
same "$tmp/4.wasm" "$tmp/ref-b-z.wasm" "other input"
hit "$tmp/4.err" && fail "another input hit"
[ "$(entries)" = 3 ] || fail "expected 3 entries, found $(entries)"

# A damaged entry is found out and replaced by a real run.
for f in "$tmp"/cache/*.wasm; do printf 'junk' >"$f"; done
"$wrap" --output="$tmp/5.wasm" -Oz "$tmp/a.wasm" 2>"$tmp/5.err"
same "$tmp/5.wasm" "$tmp/ref-a-z.wasm" "damaged entry"
grep -q 'is damaged' "$tmp/5.err" || fail "the damaged entry went unnoticed"
"$wrap" --output="$tmp/6.wasm" -Oz "$tmp/a.wasm" 2>"$tmp/6.err"
same "$tmp/6.wasm" "$tmp/ref-a-z.wasm" "entry written again"
hit "$tmp/6.err" || fail "the entry was not written again"

# A failing run fails the same way and stores nothing.
before=$(entries)
printf 'not wasm' >"$tmp/bad.wasm"
if "$wrap" --output="$tmp/7.wasm" -Oz "$tmp/bad.wasm" 2>/dev/null; then fail "bad input succeeded"; fi
[ "$(entries)" = "$before" ] || fail "a failing run stored an entry"

# Arguments it does not know run the real wasm-opt as they are.
"$real" -O1 --metrics "$tmp/a.wasm" >"$tmp/metrics-real.txt" 2>/dev/null
"$wrap" -O1 --metrics "$tmp/a.wasm" >"$tmp/metrics-wrap.txt" 2>/dev/null
same "$tmp/metrics-wrap.txt" "$tmp/metrics-real.txt" "--metrics passed through"

# --version, asked twice (the second answer comes from the cache), as Trunk parses it.
"$real" --version >"$tmp/v-real.txt"
for i in 1 2; do
  "$wrap" --version >"$tmp/v-$i.txt"
  same "$tmp/v-$i.txt" "$tmp/v-real.txt" "--version ($i)"
done
ls "$tmp"/cache/version-*.txt >/dev/null || fail "--version was not cached"

# MATOME_WASM_OPT_CACHE=off: the real tool, nothing stored.
MATOME_WASM_OPT_CACHE=off "$wrap" --output="$tmp/8.wasm" -Oz "$tmp/b.wasm" 2>"$tmp/8.err"
same "$tmp/8.wasm" "$tmp/ref-b-z.wasm" "cache off"
hit "$tmp/8.err" && fail "cache off reported a hit"

# Only the KEEP entries used last stay.
MATOME_WASM_OPT_CACHE_KEEP=2 "$wrap" --output="$tmp/9.wasm" -O2 "$tmp/b.wasm" 2>/dev/null
[ "$(entries)" = 2 ] || fail "KEEP=2 left $(entries) entries"
"$wrap" --output="$tmp/10.wasm" -O2 "$tmp/b.wasm" 2>"$tmp/10.err"
hit "$tmp/10.err" || fail "the newest entry was pruned"

for wasm in "$@"; do
  name=$(basename "$wasm")
  "$real" --output="$tmp/real-$name" -Oz "$wasm"
  "$wrap" --output="$tmp/first-$name" -Oz "$wasm" 2>"$tmp/first.err"
  "$wrap" --output="$tmp/cached-$name" -Oz "$wasm" 2>"$tmp/cached.err"
  same "$tmp/first-$name" "$tmp/real-$name" "$name, first run"
  same "$tmp/cached-$name" "$tmp/real-$name" "$name, cached run"
  hit "$tmp/cached.err" || fail "$name: the second run was not a hit"
  echo "$name: real, first and cached -Oz outputs identical ($(wc -c <"$tmp/real-$name") bytes)"
done
echo "wasm-opt cache: same bytes as the real wasm-opt, hits, misses and fall-throughs as expected"
