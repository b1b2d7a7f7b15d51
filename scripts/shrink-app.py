#!/usr/bin/env python3
"""Shrinks the app Trunk built (`make dist`, before `matome publish` reads it).

- The stylesheets: the files the page links, in their order, become one minified file
  `app-<hash>.css` (one request, one gzip stream: about 4 KB less gzip than six).
- The wasm-bindgen JavaScript, which Trunk leaves as written: minified (about 2 KB less
  gzip). It and its wasm are renamed after the minified content, so a new minifier never
  serves new bytes under a name a browser or the service worker has cached.

- The search worker (`search-worker.js`, its wasm and Trunk's loader shim): the glue is
  minified and ends with the call that starts the worker, both files get a content-hash
  name, the shim goes, and the page names the worker in
  `<meta name="matome-search-worker">` for the app to start it from.

- Trunk's module script that starts the app: it compiles the wasm as it downloads, then
  yields a task before instantiating it (`start_in_two_tasks`), so the compile's end and
  the app's first code are two short tasks on a slow phone rather than one long one.

Integrity attributes follow the new files; the page's inline scripts are otherwise left
as they are but for the file names, and `matome publish` hashes them into the CSP from
this final page. The minifier is npm's esbuild, pinned in package.json.

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
    # Trunk writes its hash in hex without leading zeros: 1 to 16 digits.
    scripts = [n for n in os.listdir(app) if re.fullmatch(r"[\w-]+-[0-9a-f]{1,16}\.js", n)]
    if len(scripts) != 1:
        sys.exit(f"shrink-app: expected one app script in {app}, found {scripts}")
    old_stem = scripts[0][: -len(".js")]
    old_wasm = os.path.join(app, f"{old_stem}_bg.wasm")
    js = minify(open(os.path.join(app, scripts[0]), "rb").read(), "js")
    wasm = open(old_wasm, "rb").read()
    new_stem = old_stem.rsplit("-", 1)[0] + "-" + name_hash(js + wasm)
    js = js.replace(old_stem.encode(), new_stem.encode())
    os.remove(os.path.join(app, scripts[0]))
    with open(os.path.join(app, f"{new_stem}.js"), "wb") as f:
        f.write(js)
    os.rename(old_wasm, os.path.join(app, f"{new_stem}_bg.wasm"))
    html = html.replace(old_stem, new_stem)
    html = set_integrity(html, f"{new_stem}.js", js)
    html = set_integrity(html, f"{new_stem}_bg.wasm", wasm)

    html = start_in_two_tasks(html)
    html = shrink_worker(app, html)

    with open(index, "w", encoding="utf-8") as f:
        f.write(html)


def start_in_two_tasks(html: str) -> str:
    """Trunk's `await init({ module_or_path: '…wasm' })` fetches, compiles and instantiates
    the wasm and runs the app's `main` in one go: the end of the compile, the instantiation
    and `main` land in one task (60+ ms at 4x CPU slowdown). This compiles the response as
    it streams in, then waits for the next task to instantiate. A host that serves the wasm
    under another MIME type gets the compile from the whole body instead. The wasm's URL
    stays in the text as `module_or_path: '…'` (deploy checks and size.sh read it there)."""
    call = re.compile(r"const wasm = await init\(\{ module_or_path: ('[^']*_bg\.wasm') \}\);")
    new = (
        "const app = { module_or_path: \\1 };\n"
        "const response = await fetch(app.module_or_path);\n"
        "app.module_or_path = (response.headers.get('Content-Type') || '').startsWith('application/wasm')\n"
        "  ? await WebAssembly.compileStreaming(response)\n"
        "  : await WebAssembly.compile(await response.arrayBuffer());\n"
        "await new Promise((next) => setTimeout(next));\n"
        "const wasm = await init(app);"
    )
    html, n = call.subn(new, html)
    if n != 1:
        sys.exit(f"shrink-app: expected Trunk's one `await init({{ module_or_path: … }})`, found {n}")
    return html


WORKER = "search-worker"


def shrink_worker(app: str, html: str) -> str:
    glue = os.path.join(app, f"{WORKER}.js")
    if not os.path.exists(glue):
        sys.exit(f"shrink-app: no {WORKER}.js in {app} (index.html builds it)")
    js = minify(open(glue, "rb").read(), "js")
    wasm = open(os.path.join(app, f"{WORKER}_bg.wasm"), "rb").read()
    stem = f"{WORKER}-{name_hash(js + wasm)}"
    # wasm-bindgen's `no-modules` glue defines `wasm_bindgen`; a worker resolves the
    # relative wasm URL against its own, so this holds below a sub-path too.
    js += f'wasm_bindgen("./{stem}_bg.wasm");\n'.encode()
    with open(os.path.join(app, f"{stem}.js"), "wb") as f:
        f.write(js)
    os.rename(os.path.join(app, f"{WORKER}_bg.wasm"), os.path.join(app, f"{stem}_bg.wasm"))
    for stale in (f"{WORKER}.js", f"{WORKER}_loader.js"):
        if os.path.exists(os.path.join(app, stale)):
            os.remove(os.path.join(app, stale))
    meta = f'<meta name="matome-search-worker" content="{stem}.js">'
    if "</head>" not in html:
        sys.exit("shrink-app: index.html has no </head>")
    return html.replace("</head>", f"  {meta}\n  </head>", 1)


if __name__ == "__main__":
    main()
