#!/usr/bin/env python3
"""HTTP-level checks of a deployed matome site (run by scripts/deploy-check.sh).

Reads the bundle from the dist folder to know what the site holds, then checks over
HTTP, against a server that serves that folder under URL: every route answers 200
with the expected <title> and og:title and a canonical link under the base path; unknown
paths answer 404 (with the app's 404 page when the server is nginx); feeds and the
sitemap parse as XML and list every post; every <img> of the home page and every
thumbnail of the home list shard is a resized variant of the promised width.
Prints one line per failure and a closing `N passed, N failed` line.
"""
import argparse
import shutil
import subprocess
import html
import json
import re
import sys
import urllib.error
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET
from pathlib import Path

passed = 0
failed = 0


def check(ok, what):
    global passed, failed
    if ok:
        passed += 1
    else:
        failed += 1
        print(f"FAIL: {what}")
    return ok


def get(url, headers=None):
    """(status, headers, body bytes); 4xx/5xx are answers, not exceptions."""
    req = urllib.request.Request(enc(url), headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=20) as r:
            return r.status, r.headers, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.headers, e.read()


def enc(path):
    """Percent-encodes a path as the build does (UTF-8, RFC 3986 sub-delimiters kept)."""
    return urllib.parse.quote(path, safe="/-._~!$&'()*+,;=:@")


def first(pattern, text):
    m = re.search(pattern, text, re.S)
    return html.unescape(m.group(1)) if m else None


def meta(text, key):
    return first(r'<meta (?:name|property)="' + re.escape(key) + r'" content="([^"]*)"', text)


def jpeg_size(data):
    """(width, height) from a JPEG's SOF marker, or None."""
    i = 2
    while i + 9 < len(data):
        if data[i] != 0xFF:
            return None
        marker, length = data[i + 1], int.from_bytes(data[i + 2:i + 4], "big")
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
            return int.from_bytes(data[i + 7:i + 9], "big"), int.from_bytes(data[i + 5:i + 7], "big")
        i += 2 + length
    return None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--dist", required=True, help="the folder being served (the site root)")
    ap.add_argument("--url", required=True, help="URL the site root is served at, ending with /")
    ap.add_argument("--server", required=True, choices=["nginx", "python"])
    args = ap.parse_args()
    dist, base_url = Path(args.dist), args.url
    base_path = "/" + base_url.split("://", 1)[1].split("/", 1)[1]
    label = f"[{args.server} {base_path}]"

    site = json.loads((dist / "data/site.json").read_text())
    title = site["title"]
    pages = [json.loads((dist / p).read_text()) for p in site["pages"]]
    posts = [p for page in pages for p in page["posts"]]
    tags = json.loads((dist / site["tag_index"]).read_text())["tags"]
    check(len(posts) == site["post_count"], f"{label} list pages hold every post")

    # Route -> (title, og:title). Titles are "<page> | <site>", the home page the site's.
    routes = {"": (title, title), "tags/": (f"タグ一覧 | {title}", "タグ一覧"),
              "months/": (f"月別アーカイブ | {title}", "月別アーカイブ"), "search/": (f"検索 | {title}", "検索")}
    for n in range(1, len(pages) + 1):
        name = "記事一覧" if n == 1 else f"記事一覧（{n}ページ目）"
        routes["posts/" if n == 1 else f"posts/page/{n}/"] = (f"{name} | {title}", name)
    for p in posts:
        routes[f"posts/{p['path']}/"] = (f"{p['title']} | {title}", p["title"])
    for t in tags:
        routes[f"tags/{t['slug']}/"] = (f"タグ: {t['name']} | {title}", f"タグ: {t['name']}")
    for m in site["months"]:
        name = f"{m['year']}年{m['month']}月の記事"
        routes[f"months/{m['year']:04}/{m['month']:02}/"] = (f"{name} | {title}", name)

    for route, (want_title, want_og) in routes.items():
        status, _, body = get(base_url + route)
        text = body.decode("utf-8", "replace")
        if not check(status == 200, f"{label} /{route} answers {status}, want 200"):
            continue
        check(first(r"<title>(.*?)</title>", text) == want_title, f"{label} /{route} title {first(r'<title>(.*?)</title>', text)!r}, want {want_title!r}")
        check(meta(text, "og:title") == want_og, f"{label} /{route} og:title {meta(text, 'og:title')!r}, want {want_og!r}")
        canonical = first(r'<link rel="canonical" href="([^"]*)"', text) or ""
        check(canonical.endswith(enc(base_path + route)), f"{label} /{route} canonical {canonical!r}")
        # Every root-relative URL the page names (assets, links) carries the base path.
        for url in re.findall(r'(?:href|src)="(/[^"]*)"|[\'"](/[^\'"\s]*\.(?:js|wasm|css))[\'"]', text):
            url = url[0] or url[1]
            check(url.startswith(base_path), f"{label} /{route} names {url} outside {base_path}")

    # Hugo's alias for the first list page.
    status, _, body = get(base_url + "posts/page/1/")
    check(status == 200 and f"url={base_path}posts/".encode() in body, f"{label} /posts/page/1/ does not lead to /posts/")

    # Unknown paths: 404, and nginx answers with the app's 404 page.
    for bad in ["no/such/page/", "posts/2099_01/missing/", "tags/no-such-tag/index.html"]:
        status, _, body = get(base_url + bad)
        check(status == 404, f"{label} /{bad} answers {status}, want 404")
        if args.server == "nginx":
            text = body.decode("utf-8", "replace")
            check("ページが見つかりません" in text and ".wasm" in text, f"{label} /{bad} is not the app's 404 page")

    # Feeds and sitemap: well-formed XML listing every post.
    post_urls = {enc(f"{base_path}posts/{p['path']}/") for p in posts}
    for name in ["index.xml", "posts/index.xml", "atom.xml", "sitemap.xml"]:
        status, _, body = get(base_url + name)
        if not check(status == 200, f"{label} /{name} answers {status}"):
            continue
        try:
            root = ET.fromstring(body)
        except ET.ParseError as e:
            check(False, f"{label} /{name} is not XML: {e}")
            continue
        found = {el.text for el in root.iter() if el.tag.split("}")[-1] in ("link", "loc", "id") and el.text}
        missing = sorted(u for u in post_urls if not any(f.endswith(u) for f in found))
        check(not missing, f"{label} /{name} lacks {missing[:3]}")
    for t in tags:
        status, _, body = get(f"{base_url}tags/{t['slug']}/index.xml")
        ok = check(status == 200, f"{label} tag feed {t['slug']} answers {status}")
        if ok:
            items = ET.fromstring(body).findall("./channel/item")
            check(len(items) == t["count"], f"{label} tag feed {t['slug']} has {len(items)} items, want {t['count']}")
    for m in site["months"]:
        status, _, body = get(f"{base_url}months/{m['year']:04}/{m['month']:02}/index.xml")
        if check(status == 200, f"{label} month feed {m['year']}/{m['month']} answers {status}"):
            ET.fromstring(body)
    status, _, body = get(base_url + "robots.txt")
    check(status == 200 and b"sitemap.xml" in body, f"{label} robots.txt names the sitemap")

    # Images: every <img> of the home page and every thumbnail of the home shard is a
    # resized variant, served, of the width it claims.
    _, _, home = get(base_url)
    imgs = re.findall(r'<img[^>]*\bsrc="([^"]*)"', home.decode("utf-8", "replace"))
    for src in imgs:
        check(re.search(r"-\d+w\.jpg$", src), f"{label} home <img> {src} is not a resized variant")
    thumbs = [p["thumbnail"] for p in pages[0]["posts"] if p.get("thumbnail")]
    check(thumbs, f"{label} home shard has thumbnails")
    for th in thumbs:
        check(th["variants"] and th["src"] == th["variants"][-1]["src"], f"{label} thumbnail src is the largest variant")
        for v in th["variants"]:
            check(re.search(rf"-{v['width']}w\.jpg$", v["src"]), f"{label} {v['src']} is not named as a {v['width']} px variant")
            status, _, data = get(base_url + v["src"])
            if check(status == 200, f"{label} {v['src']} answers {status}"):
                check(jpeg_size(data) == (v["width"], v["height"]), f"{label} {v['src']} is {jpeg_size(data)}, claims {v['width']}x{v['height']}")

    # The home page as the app renders it (headless Chromium, when installed): every
    # <img> and srcset entry is a resized variant under the base path.
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser and args.server == "nginx":
        dom = subprocess.run([browser, "--headless", "--no-sandbox", "--disable-gpu", "--virtual-time-budget=10000",
                              "--dump-dom", base_url], capture_output=True, text=True, timeout=90).stdout
        dom = re.sub(r"<noscript>.*?</noscript>", "", dom, flags=re.S)
        tags = re.findall(r"<img\b[^>]*>", dom)
        check(len(tags) >= len(thumbs), f"{label} rendered home shows {len(tags)} <img>, want {len(thumbs)}")
        for tag in tags:
            urls = re.findall(r'\bsrc="([^"]*)"', tag) + [u.split()[0] for u in ",".join(re.findall(r'\bsrcset="([^"]*)"', tag)).split(",") if u.strip()]
            for url in urls:
                url = html.unescape(url)
                path = urllib.parse.urlparse(urllib.parse.urljoin(base_url, url)).path
                check(re.search(r"-\d+w\.jpg$", url) and path.startswith(base_path), f"{label} rendered home <img> {url} is not a resized variant under {base_path}")

    # Shards named by site.json are served; the nginx instance serves .gz copies.
    for name in site["pages"] + [site["tag_index"]] + [m["file"] for m in site["months"]]:
        check(re.search(r"\.[0-9a-f]{16}\.json$", name), f"{label} {name} has no content hash")
        status, _, _ = get(base_url + name)
        check(status == 200, f"{label} {name} answers {status}")
    if args.server == "nginx":
        wasm = first(r"module_or_path: '([^']*)'", home.decode("utf-8", "replace")) or first(r'href="([^"]*\.wasm)"', home.decode())
        if check(wasm, f"{label} home page names the wasm"):
            status, headers, _ = get(f"{base_url.split('/', 3)[0]}//{base_url.split('/', 3)[2]}{wasm}", {"Accept-Encoding": "gzip"})
            check(status == 200 and headers.get("Content-Encoding") == "gzip", f"{label} {wasm} not served from its .gz copy")

    if args.server == "nginx":
        report_weight(base_url, home.decode("utf-8", "replace"), site, pages[0])
    print(f"checked {base_url} served by {args.server}")
    print(f"deploy-check: {passed} passed, {failed} failed")
    return 1 if failed else 0


def report_weight(base_url, home, site, first_page):
    """Prints what the home page transfers (gzip, as nginx serves it): the HTML, the
    assets it names, site.json, the first list shard, and the card thumbnails the app's
    srcset picks on a 1x desktop (the smallest variant) and on a 2x screen (600 px)."""
    origin = "/".join(base_url.split("/", 3)[:3])
    assets = set(re.findall(r'(?:href|src)="(/[^"]+\.(?:css|js|wasm|svg))"', home)) | set(re.findall(r"'(/[^']+\.(?:js|wasm))'", home))
    def size(url):
        _, _, body = get(url, {"Accept-Encoding": "gzip"})
        return len(body)
    app = size(base_url) + sum(size(origin + a) for a in assets) + size(base_url + "data/site.json") + size(base_url + site["pages"][0])
    thumbs = [p["thumbnail"]["variants"] for p in first_page["posts"] if p.get("thumbnail")]
    for label, pick in (("1x", 0), ("2x", 1)):
        imgs = sum(size(base_url + v[min(pick, len(v) - 1)]["src"]) for v in thumbs)
        total = app + imgs
        print(f"home page weight ({label}): {total / 1000:.0f} KB = html+css+js+wasm+data {app / 1000:.0f} KB gzip"
              f" + {len(thumbs)} thumbnails {imgs / 1000:.0f} KB; {total / 1.29e6:.2f}x the Hugo site's 1.29 MB")


if __name__ == "__main__":
    sys.exit(main())
