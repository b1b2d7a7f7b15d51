#!/usr/bin/env bash
# HTTP-level deployment check: serves two release builds with nginx (Debian's, stock mime
# types, a plain server block: root + `error_page 404 /404.html`, no rewrites) and with
# `python3 -m http.server`: DIST at / and SUB_DIST under a sub-path, and runs
# scripts/deploy-check.py against each.
# usage: scripts/deploy-check.sh [DIST [SUB_DIST]]   (defaults: dist/ and dist-sub/, what
# `make dist` and `make dist-sub` write; SUB_DIST is built for SUB_PATH, default /sub/path/)
set -euo pipefail
cd "$(dirname "$0")/.."
dist=$(cd "${1:-dist}" && pwd)
subdist=$(cd "${2:-dist-sub}" && pwd)
sub=${SUB_PATH:-/sub/path/}
for d in "$dist" "$subdist"; do
  [ -f "$d/index.html" ] || { echo "deploy-check: no build in $d (run make dist dist-sub)" >&2; exit 2; }
done
if ! grep -qF "\"$sub" "$subdist/index.html"; then
  echo "deploy-check: $subdist is not built for $sub (run make dist-sub)" >&2
  exit 2
fi

bash scripts/install-nginx.sh
NGINX=$(command -v nginx || echo /usr/sbin/nginx)

tmp=$(mktemp -d)
pids=()
cleanup() {
  [ -f "$tmp/nginx/nginx.pid" ] && kill "$(cat "$tmp/nginx/nginx.pid")" 2>/dev/null || true
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  rm -rf "$tmp"
}
trap cleanup EXIT

# The servers' root for the sub-path site: SUB_DIST appears at $sub inside it.
subroot="$tmp/subroot"
mkdir -p "$(dirname "$subroot${sub%/}")"
ln -s "$subdist" "$subroot${sub%/}"

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_up() { for _ in $(seq 50); do curl -s -o /dev/null "$1" && return 0; sleep 0.1; done; echo "no server at $1" >&2; return 1; }

# nginx: one unprivileged instance, its own prefix, pid and logs, two server blocks.
n_root=$(free_port); n_sub=$(free_port)
mkdir -p "$tmp/nginx/logs"
user_line=; [ "$(id -u)" -eq 0 ] && user_line="user root;"
cat >"$tmp/nginx/nginx.conf" <<CONF
$user_line
worker_processes 1;
pid $tmp/nginx/nginx.pid;
error_log $tmp/nginx/logs/error.log;
events { worker_connections 64; }
http {
  include /etc/nginx/mime.types;
  default_type application/octet-stream;
  access_log $tmp/nginx/logs/access.log;
  client_body_temp_path $tmp/nginx/body; proxy_temp_path $tmp/nginx/proxy;
  fastcgi_temp_path $tmp/nginx/fastcgi; uwsgi_temp_path $tmp/nginx/uwsgi; scgi_temp_path $tmp/nginx/scgi;
  gzip_static on;
  server {
    listen 127.0.0.1:$n_root;
    root $dist;
    error_page 404 /404.html;
  }
  server {
    listen 127.0.0.1:$n_sub;
    root $subroot;
    error_page 404 ${sub}404.html;
  }
}
CONF
"$NGINX" -p "$tmp/nginx" -c "$tmp/nginx/nginx.conf"

p_root=$(free_port); python3 -m http.server "$p_root" --bind 127.0.0.1 --directory "$dist" >/dev/null 2>&1 & pids+=($!)
p_sub=$(free_port); python3 -m http.server "$p_sub" --bind 127.0.0.1 --directory "$subroot" >/dev/null 2>&1 & pids+=($!)

status=0
run() { # server url dir
  wait_up "$2"
  # A quick look with curl first: a deep link is a file, an unknown path a 404.
  local deep unknown
  deep=$(curl -s -o /dev/null -w '%{http_code}' "$2tags/")
  unknown=$(curl -s -o /dev/null -w '%{http_code}' "$2no/such/page/")
  echo "==> $1 $2: /tags/ $deep, unknown path $unknown" >&2
  python3 scripts/deploy-check.py --server "$1" --url "$2" --dist "$3" || status=1
}
run nginx "http://127.0.0.1:$n_root/" "$dist"
run nginx "http://127.0.0.1:$n_sub$sub" "$subroot${sub%/}"
run python "http://127.0.0.1:$p_root/" "$dist"
run python "http://127.0.0.1:$p_sub$sub" "$subroot${sub%/}"
exit $status
