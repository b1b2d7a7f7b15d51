#!/usr/bin/env python3
"""Shrinks the app Trunk built (`make dist`, before `matome publish` reads it).

- The stylesheets: the files the page links, in their order, become one minified file
  `app-<hash>.css` (one request, one gzip stream: about 4 KB less gzip than six).
- The wasm-bindgen JavaScript, which Trunk leaves as written: minified (about 2 KB less
  gzip). It and its wasm are renamed after the minified content, so a new minifier never
  serves new bytes under a name a browser or the service worker has cached.

Integrity attributes follow the new files; the page's inline scripts are left as they
are but for the file names, and `matome publish` hashes them into the CSP from this
final page. The minifier is npm's esbuild, pinned in package.json.

Usage: scripts/shrink-app.py APP_DIR
"""

import base64
import hashlib
import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ESBUILD = os.environ.get("ESBUILD") or os.path.join(ROOT, "node_modules", ".bin", "esbuild")


def minify(source: bytes, loader: str) -> bytes:
    return subprocess.run(
        [ESBUILD, f"--loader={loader}", "--minify", "--log-level=warning"],
        input=source,
        capture_output=False,
        stdout=subprocess.PIPE,
        check=True,
    ).stdout


def name_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:16]


def integrity(data: bytes) -> str:
    return "sha384-" + base64.b64encode(hashlib.sha384(data).digest()).decode()


def set_integrity(html: str, name: str, data: bytes) -> str:
    """The integrity attribute of the tag whose href ends in `name`."""
    tag = re.compile(r'(<link\b[^>]*href="[^"]*' + re.escape(name) + r'"[^>]*integrity=")[^"]*(")')
    html, n = tag.subn(lambda m: m.group(1) + integrity(data) + m.group(2), html)
    if n != 1:
        sys.exit(f"shrink-app: expected one tag with integrity for {name}, found {n}")
    return html


def main() -> None:
    if len(sys.argv) != 2:
        sys.exit("usage: shrink-app.py APP_DIR")
    app = sys.argv[1]
    if not os.access(ESBUILD, os.X_OK):
        sys.exit("shrink-app: no node_modules/.bin/esbuild (run make tools)")
    index = os.path.join(app, "index.html")
    html = open(index, encoding="utf-8").read()

    # Stylesheets, in the page's order.
    links = list(re.finditer(r'[ \t]*<link rel="stylesheet" href="([^"]*?)([\w.-]+\.css)"[^>]*>\n?', html))
    if links:
        sources = []
        for link in links:
            path = os.path.join(app, link.group(2))
            sources.append(open(path, "rb").read())
        css = minify(b"\n".join(sources), "css")
        name = f"app-{name_hash(css)}.css"
        with open(os.path.join(app, name), "wb") as f:
            f.write(css)
        first = links[0]
        tag = f'    <link rel="stylesheet" href="{first.group(1)}{name}" integrity="{integrity(css)}"/>\n'
        for link in reversed(links):
            html = html[: link.start()] + (tag if link is first else "") + html[link.end() :]
        for link in links:
            if link.group(2) != name:
                os.remove(os.path.join(app, link.group(2)))

    # The wasm-bindgen JavaScript and its wasm.
    # Trunk writes its hash without leading zeros: 15 hex digits now and then.
    scripts = [m for n in os.listdir(app) if (m := re.fullmatch(r"([\w-]+-)[0-9a-f]{1,16}\.js", n))]
    if len(scripts) != 1:
        sys.exit(f"shrink-app: expected one app script in {app}, found {[m.group(0) for m in scripts]}")
    old_stem = scripts[0].group(0)[: -len(".js")]
    old_wasm = os.path.join(app, f"{old_stem}_bg.wasm")
    js = minify(open(os.path.join(app, scripts[0].group(0)), "rb").read(), "js")
    wasm = open(old_wasm, "rb").read()
    new_stem = scripts[0].group(1) + name_hash(js + wasm)
    js = js.replace(old_stem.encode(), new_stem.encode())
    os.remove(os.path.join(app, scripts[0].group(0)))
    with open(os.path.join(app, f"{new_stem}.js"), "wb") as f:
        f.write(js)
    os.rename(old_wasm, os.path.join(app, f"{new_stem}_bg.wasm"))
    html = html.replace(old_stem, new_stem)
    html = set_integrity(html, f"{new_stem}.js", js)
    html = set_integrity(html, f"{new_stem}_bg.wasm", wasm)

    with open(index, "w", encoding="utf-8") as f:
        f.write(html)


if __name__ == "__main__":
    main()
