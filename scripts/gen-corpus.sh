#!/usr/bin/env bash
# A synthetic corpus, generated once and kept while the generator's source is unchanged:
#   scripts/gen-corpus.sh POSTS DIR [gen_corpus options…]
# writes POSTS real-shaped posts into DIR (seed 1) unless DIR already holds those the
# current crates/compiler/examples/gen_corpus.rs writes. The generator is GEN_CORPUS_BIN
# when given (`make test` passes the one its single build made), else built here with
# the `native` profile. Used by budget-check.sh, bench.sh and bench-binary.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
posts=${1:?usage: gen-corpus.sh POSTS DIR [options]}
dir=${2:?usage: gen-corpus.sh POSTS DIR [options]}
shift 2

stamp=$(cat crates/compiler/examples/gen_corpus.rs <(printf '%s\n' "$posts" "$@") | sha256sum | cut -c1-16)
[[ -f $dir/.complete-$stamp ]] && exit 0

if [[ -n ${GEN_CORPUS_BIN:-} ]]; then
  gen=$(realpath "$GEN_CORPUS_BIN")
else
  cargo build --quiet --locked --profile native -p matome-compiler --example gen_corpus
  gen=$PWD/target/native/examples/gen_corpus
fi
rm -rf "$dir"
"$gen" --posts "$posts" --out "$dir" --seed 1 "$@"
touch "$dir/.complete-$stamp"
