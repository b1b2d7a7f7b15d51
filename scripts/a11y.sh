#!/usr/bin/env bash
# `make bench-a11y`: Lighthouse's accessibility score of dist/ (run `make dist` first) in
# headless Chromium, light and dark: a post, the home page, a tag page and the search
# page with a query. Prints each score and the audits that failed. Lighthouse comes from
# npm at the version in scripts/versions.env, installed into target/lighthouse.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=versions.env
source scripts/versions.env
dist=${1:-dist}
[[ -f $dist/index.html ]] || { echo "no $dist/: run make dist first" >&2; exit 2; }
lh=$PWD/target/lighthouse
if ! grep -qs "\"version\": \"$LIGHTHOUSE_VERSION\"" "$lh/node_modules/lighthouse/package.json"; then
  echo "installing lighthouse $LIGHTHOUSE_VERSION from npm into target/lighthouse" >&2
  npm install --silent --no-audit --no-fund --prefix "$lh" "lighthouse@$LIGHTHOUSE_VERSION" >&2
fi
chrome=$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)
[[ -n $chrome ]] || { echo "no Chromium: run make browser" >&2; exit 2; }

work=$(mktemp -d)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
python3 -m http.server "$port" --bind 127.0.0.1 --directory "$dist" >"$work/http.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; rm -rf "$work"' EXIT
base=http://127.0.0.1:$port
for _ in $(seq 50); do curl -fs -o /dev/null "$base/" && break; sleep 0.1; done

post=$(cd "$dist" && find posts -mindepth 3 -maxdepth 3 -name index.html | sort | head -1)
tag=$(cd "$dist" && find tags -mindepth 2 -maxdepth 2 -name index.html ! -path 'tags/page/*' | sort | head -1)
# The search page asked for the name of the site's first tag (which posts contain).
query=$(python3 -c '
import json, sys, urllib.parse
dist = sys.argv[1]
index = json.load(open(f"{dist}/data/site.json"))["tag_index"]
print(urllib.parse.quote(json.load(open(f"{dist}/{index}"))["tags"][0]["name"]))' "$dist")
pages=("post ${post%index.html}" "home " "tag ${tag%index.html}" "search search/?q=$query")

printf '%-8s %-6s %5s  %s\n' page scheme score failed
for mode in light dark; do
  for entry in "${pages[@]}"; do
    name=${entry%% *}
    path=${entry#* }
    flags="--headless=new --no-sandbox --disable-gpu --user-data-dir=$work/profile-$name-$mode"
    [[ $mode == dark ]] && flags="$flags --force-dark-mode"
    CHROME_PATH=$chrome "$lh/node_modules/.bin/lighthouse" "$base/$path" --quiet \
      --only-categories=accessibility --output=json --output-path="$work/$name-$mode.json" \
      --chrome-flags="$flags" >/dev/null 2>&1 || { echo "lighthouse failed on /$path" >&2; exit 1; }
    python3 - "$work/$name-$mode.json" "$name" "$mode" <<'PY'
import json, sys
report, name, mode = sys.argv[1:]
r = json.load(open(report))
score = r["categories"]["accessibility"]["score"] * 100
failed = [k for k, a in r["audits"].items()
          if a.get("scoreDisplayMode") == "binary" and a.get("score") is not None and a["score"] < 1]
print(f"{name:8} {mode:6} {score:5.0f}  {', '.join(failed) or '-'}")
PY
  done
done
