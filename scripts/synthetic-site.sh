#!/usr/bin/env bash
# Prepares what `matome publish` needs for a generated corpus, without Trunk:
#   scripts/synthetic-site.sh WORK CONTENT
# writes WORK/assets/thumbnails/*.jpg (the names gen_corpus uses, from public/thumbnails),
# WORK/app/ (a stand-in for Trunk's output: index.html template and app files of the
# real ones' sizes) and WORK/build.json (content CONTENT, bundle and caches under WORK).
# Used by scripts/budget-check.sh and scripts/bench.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
work=${1:?usage: synthetic-site.sh WORK CONTENT}
content=$(cd "${2:?usage: synthetic-site.sh WORK CONTENT}" && pwd)
mkdir -p "$work"
work=$(cd "$work" && pwd)

assets=$work/assets/thumbnails
mkdir -p "$assets"
mapfile -t ours < <(ls public/thumbnails/*.jpg)
i=0
for name in blue2 cyan1 green3 orange4 purple5 red1 light-orange4 color2; do
  cp -f "${ours[$((i % ${#ours[@]}))]}" "$assets/$name.jpg"
  i=$((i + 1))
done

app=$work/app
rm -rf "$app"
mkdir -p "$app"
head -c 650000 /dev/zero | tr '\0' 'w' >"$app/matome-web-0123456789abcdef_bg.wasm"
head -c 110000 /dev/zero | tr '\0' 'j' >"$app/matome-web-0123456789abcdef.js"
head -c 30000 /dev/zero | tr '\0' 'c' >"$app/main-0123456789abcdef.css"
cat >"$app/index.html" <<'HTML'
<!DOCTYPE html><html lang="ja"><head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<base href="/">
<title>HNまとめ読み</title>
<link rel="modulepreload" href="/matome-web-0123456789abcdef.js" crossorigin="anonymous">
<link rel="preload" href="/matome-web-0123456789abcdef_bg.wasm" crossorigin="anonymous" as="fetch" type="application/wasm">
<link rel="stylesheet" href="/main-0123456789abcdef.css">
<script type="module">
import init, * as bindings from '/matome-web-0123456789abcdef.js';
const wasm = await init({ module_or_path: '/matome-web-0123456789abcdef_bg.wasm' });
</script></head>
<body></body></html>
HTML

cat >"$work/build.json" <<JSON
{
  "content": "$content",
  "assets": "assets",
  "output": "bundle",
  "cache": "cache",
  "title": "HNまとめ読み",
  "description": "Hacker Newsの話題スレッドを日本語でまとめて読めるサイト",
  "base_url": "https://example.com/",
  "base_path": "/",
  "page_size": 10
}
JSON
