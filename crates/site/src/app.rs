//! The release app as Trunk built it (`trunk build --release --public-url ./`), made
//! ready to ship: `matome prepare-app`, the last step of `make app`. It reads Trunk's
//! folder and writes a new one; it never changes Trunk's. The output is a function of
//! the input alone (the same bytes on every run), so names change only with content.
//!
//! - The stylesheets the page links become one file `app-<hash>.css`, in the page's
//!   order, without comments and needless whitespace ([`minify_css`]): one request and
//!   one compressed stream. (Trunk's `--minify` is not used: its JavaScript minifier
//!   names variables in a different order on every run, and cannot parse the app's
//!   module; its HTML minifier drops the `<head>` tag.)
//! - The app's JavaScript and the worker's lose their comments and needless whitespace
//!   ([`minify_js`]; the tokens are kept as they are).
//! - The app's JavaScript and wasm are renamed after their content (SHA-256 of both), so
//!   new bytes never come under a name a browser or the service worker has cached.
//! - Trunk's module script that starts the app becomes [`loader`]: it compiles the wasm
//!   as it downloads, then yields a task before instantiating it, so the compile's end
//!   and the app's first code are two short tasks on a slow phone, not one long one.
//! - The search worker (its glue, its wasm, Trunk's loader shim) becomes one script that
//!   starts itself, named after its content; the page names it in
//!   `<meta name="matome-search-worker">` and the app starts it from there when the
//!   search page opens.
//! - Integrity attributes follow the new files. The page's own inline scripts are kept;
//!   publishing hashes them into the Content-Security-Policy.
//!
//! The URLs stay relative (`./`): publishing makes them absolute under the site's base
//! path ([`crate::template::Template::absolutize`]), so one prepared app serves a site
//! at `/` and one below a sub-path alike, and it can be embedded in the `matome` binary.

use std::cell::{Cell, RefCell};
use std::path::{Path, PathBuf};

use base64::Engine as _;
use lol_html::html_content::ContentType;
use lol_html::{element, text};
use matome_compiler::hash::{sha256, short_hash};

use crate::template::rewrite;
use crate::SiteError;

/// The search worker's name, as `index.html` has Trunk build it.
pub const WORKER: &str = "search-worker";

/// The page's meta tag naming the search worker's script.
pub const WORKER_META: &str = "matome-search-worker";

/// What [`prepare`] wrote: every file of the prepared app, by name, with its size.
#[derive(Debug, Default)]
pub struct Prepared {
    /// `(file name, bytes)`, sorted by name.
    pub files: Vec<(String, u64)>,
}

/// The app's module script. After the page's first paint (a frame, then a task: until
/// then the HTML and the stylesheet have a slow link to themselves) it imports the app's
/// JavaScript and fetches the wasm together, compiles the wasm as it streams in (from the
/// whole body when a host serves it under another MIME type), waits a task, then
/// instantiates it and runs the app. A page opened in a background tab starts its app
/// when it is first shown (animation frames wait for that). `prefix` is the URLs'
/// folder (`./`).
pub fn loader(prefix: &str, stem: &str) -> String {
    format!(
        "\nconst app = {{ module_or_path: '{prefix}{stem}_bg.wasm' }};\n\
         await new Promise((next) => requestAnimationFrame(() => setTimeout(next)));\n\
         const [{{ default: init }}, response] = await Promise.all([\n  \
         import('{prefix}{stem}.js'),\n  \
         fetch(app.module_or_path),\n\
         ]);\n\
         app.module_or_path = (response.headers.get('Content-Type') || '').startsWith('application/wasm')\n  \
         ? await WebAssembly.compileStreaming(response)\n  \
         : await WebAssembly.compile(await response.arrayBuffer());\n\
         await new Promise((next) => setTimeout(next));\n\
         await init(app);\n"
    )
}

/// The import map that pins the app's JavaScript to `sri` (the loader imports it
/// dynamically, so no `<link>` carries its integrity).
pub fn import_map(prefix: &str, stem: &str, sri: &str) -> String {
    format!(
        "<script type=\"importmap\">{{\"integrity\":{{\"{prefix}{stem}.js\":\"{sri}\"}}}}</script>\n"
    )
}

/// Subresource integrity of `bytes` (SHA-256, the one hash).
fn integrity(bytes: &[u8]) -> String {
    format!(
        "sha256-{}",
        base64::engine::general_purpose::STANDARD.encode(sha256(bytes))
    )
}

/// What the first pass over Trunk's page found.
#[derive(Default)]
struct Found {
    /// The stylesheets' URLs, in order.
    stylesheets: Vec<String>,
    /// The app script's URL (Trunk's `modulepreload` link).
    script: Option<String>,
    /// Whether the page has a `<head>` start tag (HTML minifiers drop it).
    head: bool,
    /// Trunk's module scripts that start the app (`await init({ module_or_path: … })`).
    loaders: usize,
}

/// Whether `dir` holds an app as Trunk wrote it, not yet prepared: its page still has
/// Trunk's module script (`init({ module_or_path: … })`).
pub fn is_trunk_output(dir: &Path) -> bool {
    std::fs::read_to_string(dir.join("index.html"))
        .is_ok_and(|html| html.contains("init({ module_or_path"))
}

/// Prepares the app Trunk wrote into `trunk` as a new folder `out` (replaced whole).
pub fn prepare(trunk: &Path, out: &Path) -> Result<Prepared, SiteError> {
    let index = trunk.join("index.html");
    let fail = |message: String| SiteError::Template {
        path: index.clone(),
        message,
    };
    let html = read_string(&index)?;

    let found = RefCell::new(Found::default());
    let module_text = RefCell::new(String::new());
    rewrite(
        &html,
        vec![
            element!("head", |_| {
                found.borrow_mut().head = true;
                Ok(())
            }),
            element!("link[rel=stylesheet][href]", |el| {
                let href = el.get_attribute("href").unwrap_or_default();
                found.borrow_mut().stylesheets.push(href);
                Ok(())
            }),
            element!("link[rel=modulepreload][href]", |el| {
                found.borrow_mut().script = el.get_attribute("href");
                Ok(())
            }),
            text!("script[type=module]", |t| {
                let mut text = module_text.borrow_mut();
                text.push_str(t.as_str());
                if t.last_in_text_node() {
                    if text.contains("init({ module_or_path") {
                        found.borrow_mut().loaders += 1;
                    }
                    text.clear();
                }
                Ok(())
            }),
        ],
    )
    .map_err(&fail)?;
    let found = found.into_inner();
    if found.loaders != 1 {
        return Err(fail(format!(
            "expected Trunk's one module script starting the app (`init({{ module_or_path: … }})`), found {}: \
             is this `trunk build` output, and not prepared already?",
            found.loaders
        )));
    }
    let script = found
        .script
        .ok_or_else(|| fail("no <link rel=\"modulepreload\"> naming the app's script".into()))?;
    let (prefix, script_name) = split_url(&script);
    if prefix != "./" {
        return Err(fail(format!(
            "the app's URLs must be relative (`trunk build --public-url ./`), found {script}"
        )));
    }
    let old_stem = script_name
        .strip_suffix(".js")
        .ok_or_else(|| fail(format!("the app's script {script} is not a .js file")))?
        .to_string();

    let mut files: Vec<(String, Vec<u8>)> = Vec::new();

    // The stylesheets, joined in the page's order.
    let css_name = if found.stylesheets.is_empty() {
        None
    } else {
        let mut css = Vec::new();
        for href in &found.stylesheets {
            let (_, name) = split_url(href);
            let path = trunk.join(name);
            let text = read_string(&path)?;
            css.extend_from_slice(minify_css(&text).as_bytes());
        }
        let name = format!("app-{}.css", short_hash(&css));
        let sri = integrity(&css);
        files.push((name.clone(), css));
        Some((name, sri))
    };

    // The app's script and wasm, named after both.
    let js = read(&trunk.join(script_name))?;
    let wasm = read(&trunk.join(format!("{old_stem}_bg.wasm")))?;
    // Named after the minified text: a new minifier never serves new bytes under an old
    // name.
    let js = minify_js(
        std::str::from_utf8(&js).map_err(|_| fail(format!("{script_name} is not UTF-8")))?,
    )
    .into_bytes();
    let base = old_stem
        .rsplit_once('-')
        .map_or(old_stem.as_str(), |(base, _)| base);
    let stem = format!("{base}-{}", short_hash(&[js.as_slice(), &wasm].concat()));
    let js = minify_js(
        &String::from_utf8(js)
            .map_err(|_| fail(format!("{script_name} is not UTF-8")))?
            .replace(&old_stem, &stem),
    )
    .into_bytes();
    let (js_sri, wasm_sri) = (integrity(&js), integrity(&wasm));
    files.push((format!("{stem}.js"), js));
    files.push((format!("{stem}_bg.wasm"), wasm));

    // The search worker: its glue ends with the call that starts it.
    let glue_file = trunk.join(format!("{WORKER}.js"));
    let glue = minify_js(&read_string(&glue_file)?).into_bytes();
    let worker_wasm = read(&trunk.join(format!("{WORKER}_bg.wasm")))?;
    let worker = format!(
        "{WORKER}-{}",
        short_hash(&[glue.as_slice(), &worker_wasm].concat())
    );
    let mut glue = glue;
    // wasm-bindgen's `no-modules` glue defines `wasm_bindgen`; a worker resolves the
    // relative URL against its own, so this holds below a sub-path too.
    glue.extend_from_slice(format!("\nwasm_bindgen(\"./{worker}_bg.wasm\");\n").as_bytes());
    files.push((format!("{worker}.js"), glue));
    files.push((format!("{worker}_bg.wasm"), worker_wasm));

    // The page: an explicit <head> first (the selectors below need it), then the rest.
    let html = if found.head {
        html
    } else {
        rewrite(
            &html,
            vec![element!("html", |el| {
                el.prepend("<head>", ContentType::Html);
                Ok(())
            })],
        )
        .map_err(&fail)?
    };
    let first_css = Cell::new(true);
    let meta = format!("<meta name=\"{WORKER_META}\" content=\"{worker}.js\">\n");
    let html = rewrite(
        &html,
        vec![
            element!("link[rel=stylesheet][href]", |el| {
                match (&css_name, first_css.replace(false)) {
                    (Some((name, sri)), true) => {
                        el.set_attribute("href", &format!("{prefix}{name}"))?;
                        el.set_attribute("integrity", sri)?;
                    }
                    _ => el.remove(),
                }
                Ok(())
            }),
            // The JavaScript is fetched after the first paint (see `loader`), not
            // preloaded; its integrity moves into the import map.
            element!("link[rel=modulepreload][href]", |el| {
                el.remove();
                Ok(())
            }),
            element!("link[rel=preload][href]", |el| {
                let href = el.get_attribute("href").unwrap_or_default();
                if href.ends_with(&format!("{old_stem}_bg.wasm")) {
                    el.set_attribute("href", &format!("{prefix}{stem}_bg.wasm"))?;
                    el.set_attribute("integrity", &wasm_sri)?;
                }
                Ok(())
            }),
            element!("script[type=module]", |el| {
                el.before(&import_map(prefix, &stem, &js_sri), ContentType::Html);
                el.set_inner_content(&loader(prefix, &stem), ContentType::Html);
                Ok(())
            }),
            element!("head", |el| {
                el.append(&meta, ContentType::Html);
                Ok(())
            }),
        ],
    )
    .map_err(&fail)?;
    files.push(("index.html".into(), html.into_bytes()));

    // Everything else Trunk wrote (the icon), as it is.
    let replaced: Vec<String> = found
        .stylesheets
        .iter()
        .map(|href| split_url(href).1.to_string())
        .chain([
            script_name.to_string(),
            format!("{old_stem}_bg.wasm"),
            format!("{WORKER}.js"),
            format!("{WORKER}_bg.wasm"),
            format!("{WORKER}_loader.js"),
            "index.html".into(),
        ])
        .collect();
    for entry in std::fs::read_dir(trunk).map_err(io(trunk))? {
        let entry = entry.map_err(io(trunk))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if entry.file_type().map_err(io(trunk))?.is_file() && !replaced.contains(&name) {
            files.push((name, read(&entry.path())?));
        }
    }

    write_folder(out, &files)?;
    let mut listed: Vec<(String, u64)> = files
        .iter()
        .map(|(name, bytes)| (name.clone(), bytes.len() as u64))
        .collect();
    listed.sort();
    Ok(Prepared { files: listed })
}

/// `css` without comments and without whitespace the rules do not need: runs of
/// whitespace become one space, none is kept next to `{ } ; , >` or after `:`, nor
/// before `}` a `;`. Strings are kept as they are. Spaces that mean something stay:
/// before `:` (`a :hover`), around `+`, `-` and `*` (`calc(1px + 2px)`), between words.
pub fn minify_css(css: &str) -> String {
    const TIGHT: &[char] = &['{', '}', ';', ',', '>'];
    let mut out = String::with_capacity(css.len());
    let mut pending_space = false;
    let mut chars = css.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '/' if chars.peek() == Some(&'*') => {
                chars.next();
                let mut last = ' ';
                for d in chars.by_ref() {
                    if last == '*' && d == '/' {
                        break;
                    }
                    last = d;
                }
                pending_space = true;
            }
            c if c.is_whitespace() => pending_space = true,
            '"' | '\'' => {
                if pending_space && !out.is_empty() && !out.ends_with(TIGHT) && !out.ends_with(':')
                {
                    out.push(' ');
                }
                pending_space = false;
                out.push(c);
                while let Some(d) = chars.next() {
                    out.push(d);
                    if d == '\\' {
                        if let Some(e) = chars.next() {
                            out.push(e);
                        }
                    } else if d == c {
                        break;
                    }
                }
            }
            c => {
                if c == '}' && out.ends_with(';') {
                    out.pop();
                }
                if pending_space
                    && !out.is_empty()
                    && !out.ends_with(TIGHT)
                    && !out.ends_with(':')
                    && !TIGHT.contains(&c)
                {
                    out.push(' ');
                }
                pending_space = false;
                out.push(c);
            }
        }
    }
    out.push('\n');
    out
}

/// Words after which a `/` starts a regular expression, not a division.
const REGEX_AFTER: &[&str] = &[
    "return",
    "typeof",
    "case",
    "do",
    "else",
    "in",
    "of",
    "new",
    "delete",
    "void",
    "throw",
    "instanceof",
    "yield",
    "await",
];

/// Whether a space must stay between a token ending in `l` and one starting with `r`:
/// two words (`return x`), two of `+` or `-` (`a - -b`), `/` before `/` or `*` (a
/// comment), `<!` and `->` (HTML-like comments), a number's digit and `.` (`1 .x`).
fn space_needed(l: char, r: char) -> bool {
    let word = |c: char| c.is_alphanumeric() || c == '_' || c == '$' || !c.is_ascii();
    (word(l) && word(r))
        || (l == r && (l == '+' || l == '-'))
        || (l == '/' && (r == '/' || r == '*'))
        || (l == '<' && r == '!')
        || (l == '-' && r == '>')
        || (l.is_ascii_digit() && r == '.')
        || (l == '.' && r.is_ascii_digit())
}

/// `js` without comments and without whitespace its tokens do not need: a whitespace run
/// holding a line break becomes one line break (so automatic semicolons stay where they
/// were) unless it follows `{ ( [ ; ,`, any other run one space where [`space_needed`],
/// else nothing. Strings, template literals (with their `${…}`), regular expressions and
/// every token are copied as they are: it renames and rewrites nothing.
pub fn minify_js(js: &str) -> String {
    let chars: Vec<char> = js.chars().collect();
    let mut out = String::with_capacity(js.len());
    let mut i = 0;
    // Pending whitespace: None, Some(false) a space, Some(true) a line break.
    let mut pending: Option<bool> = None;
    let mut regex_ok = true;
    let mut word = String::new();
    // Brace depth, and the depths at which `${` opened a template substitution.
    let mut depth = 0usize;
    let mut templates: Vec<usize> = Vec::new();
    let is_word = |c: char| c.is_alphanumeric() || c == '_' || c == '$' || !c.is_ascii();
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        let line_break = |c: char| matches!(c, '\n' | '\r' | '\u{2028}' | '\u{2029}');
        if c.is_whitespace() {
            pending = Some(pending.unwrap_or(false) || line_break(c));
            i += 1;
            continue;
        }
        if c == '/' && next == Some('/') {
            while i < chars.len() && !line_break(chars[i]) {
                i += 1;
            }
            continue;
        }
        if c == '/' && next == Some('*') {
            i += 2;
            let mut broke = false;
            while i < chars.len() && !(chars[i] == '*' && chars.get(i + 1) == Some(&'/')) {
                broke |= line_break(chars[i]);
                i += 1;
            }
            i += 2;
            pending = Some(pending.unwrap_or(false) || broke);
            continue;
        }
        // A token starts: the whitespace before it, if it is needed.
        if let Some(newline) = pending.take() {
            // After these a line break changes nothing (no automatic semicolon, no
            // restricted production): it goes too.
            const OPENING: &[char] = &['{', '(', '[', ';', ','];
            let last = out.chars().last();
            if newline && last.is_some_and(|l| !OPENING.contains(&l)) {
                out.push('\n');
            } else if last.is_some_and(|l| space_needed(l, c)) {
                out.push(' ');
            }
        }
        let start = i;
        match c {
            '\'' | '"' => {
                i += 1;
                while i < chars.len() && chars[i] != c {
                    i += if chars[i] == '\\' { 2 } else { 1 };
                }
                i += 1;
                regex_ok = false;
            }
            '`' => {
                i = template_end(&chars, i + 1, &mut templates, depth);
                regex_ok = false;
            }
            '}' if templates.last() == Some(&depth) => {
                templates.pop();
                i = template_end(&chars, i + 1, &mut templates, depth);
                regex_ok = false;
            }
            '/' if regex_ok => {
                i += 1;
                let mut class = false;
                while i < chars.len() && (chars[i] != '/' || class) && !line_break(chars[i]) {
                    match chars[i] {
                        '\\' => i += 1,
                        '[' => class = true,
                        ']' => class = false,
                        _ => {}
                    }
                    i += 1;
                }
                i += 1;
                regex_ok = false;
            }
            c if is_word(c) => {
                while i < chars.len() && is_word(chars[i]) {
                    i += 1;
                }
                word.clear();
                word.extend(&chars[start..i]);
                regex_ok = REGEX_AFTER.contains(&word.as_str());
            }
            c => {
                i += 1;
                match c {
                    '{' => depth += 1,
                    '}' => depth = depth.saturating_sub(1),
                    _ => {}
                }
                regex_ok = !matches!(c, ')' | ']' | '}' | '.');
            }
        }
        out.extend(&chars[start..i.min(chars.len())]);
    }
    out.push('\n');
    out
}

/// The index just past the template literal part starting at `i` (after a backtick or
/// the `}` closing a substitution): at its closing backtick, or at a `${`, recorded in
/// `templates` at brace depth `depth`.
fn template_end(chars: &[char], mut i: usize, templates: &mut Vec<usize>, depth: usize) -> usize {
    while i < chars.len() {
        match chars[i] {
            '\\' => i += 2,
            '`' => return i + 1,
            '$' if chars.get(i + 1) == Some(&'{') => {
                templates.push(depth);
                return i + 2;
            }
            _ => i += 1,
        }
    }
    i
}

/// `./a/b.css` → (`./a/`, `b.css`).
fn split_url(url: &str) -> (&str, &str) {
    match url.rfind('/') {
        Some(i) => url.split_at(i + 1),
        None => ("", url),
    }
}

fn io(path: &Path) -> impl Fn(std::io::Error) -> SiteError + '_ {
    move |source| SiteError::Io {
        path: path.to_path_buf(),
        source,
    }
}

fn read(path: &Path) -> Result<Vec<u8>, SiteError> {
    std::fs::read(path).map_err(io(path))
}

fn read_string(path: &Path) -> Result<String, SiteError> {
    std::fs::read_to_string(path).map_err(io(path))
}

/// Writes `files` into a new folder beside `out`, then puts it in `out`'s place.
pub(crate) fn write_folder(out: &Path, files: &[(String, Vec<u8>)]) -> Result<(), SiteError> {
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "app".into());
    let parent = out.parent().filter(|p| !p.as_os_str().is_empty());
    let parent = parent.map_or_else(|| PathBuf::from("."), Path::to_path_buf);
    std::fs::create_dir_all(&parent).map_err(io(&parent))?;
    let fresh = parent.join(format!(".{name}.new"));
    let old = parent.join(format!(".{name}.old"));
    for dir in [&fresh, &old] {
        if dir.exists() {
            std::fs::remove_dir_all(dir).map_err(io(dir))?;
        }
    }
    std::fs::create_dir(&fresh).map_err(io(&fresh))?;
    for (file, bytes) in files {
        let path = fresh.join(file);
        std::fs::write(&path, bytes).map_err(io(&path))?;
    }
    if out.exists() {
        std::fs::rename(out, &old).map_err(io(out))?;
    }
    std::fs::rename(&fresh, out).map_err(io(out))?;
    if old.exists() {
        std::fs::remove_dir_all(&old).map_err(io(&old))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A folder as `trunk build --release --minify --public-url ./` writes it (no
    /// `<head>` start tag: the minifier drops it).
    fn trunk_folder() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        let files: &[(&str, &str)] = &[
            (
                "index.html",
                "<!doctype html><html lang=ja><meta charset=utf-8><base href=./><title>T</title>\
                 <script>try{var d=1}catch(a){}</script>\
                 <script type=module>import init, * as bindings from './matome-web-1a2b.js';\n\
                 const wasm = await init({ module_or_path: './matome-web-1a2b_bg.wasm' });\n</script>\
                 <link href=./main-11.css integrity=sha384-x rel=stylesheet>\
                 <link href=./post-22.css integrity=sha384-y rel=stylesheet>\
                 <link href=./favicon-33.svg integrity=sha384-z rel=icon>\
                 <link crossorigin href=./matome-web-1a2b.js integrity=sha384-j rel=modulepreload>\
                 <link as=fetch crossorigin href=./matome-web-1a2b_bg.wasm integrity=sha384-w rel=preload type=application/wasm>\
                 </head><body></body></html>",
            ),
            ("main-11.css", "a{b:c}"),
            ("post-22.css", "d{e:f}"),
            ("favicon-33.svg", "<svg/>"),
            (
                "matome-web-1a2b.js",
                "export default function(){new URL('matome-web-1a2b_bg.wasm',import.meta.url)}",
            ),
            ("matome-web-1a2b_bg.wasm", "\0asm-app"),
            ("search-worker.js", "let wasm_bindgen=function(){};"),
            ("search-worker_bg.wasm", "\0asm-worker"),
            ("search-worker_loader.js", "importScripts('./search-worker.js');"),
        ];
        for (name, text) in files {
            std::fs::write(dir.path().join(name), text).unwrap();
        }
        dir
    }

    fn names(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    // One stylesheet, hashed names, the two-task loader, the worker named in the page,
    // integrity matching the written bytes, Trunk's folder untouched.
    #[test]
    fn prepares_trunks_output() {
        let trunk = trunk_folder();
        let before = names(trunk.path());
        let out = tempfile::tempdir().unwrap();
        let app = out.path().join("app");
        let prepared = prepare(trunk.path(), &app).unwrap();
        assert_eq!(names(trunk.path()), before);

        let files = names(&app);
        assert_eq!(files.len(), 7, "{files:?}");
        assert_eq!(
            prepared
                .files
                .iter()
                .map(|(n, _)| n.clone())
                .collect::<Vec<_>>(),
            files
        );
        let find = |prefix: &str, suffix: &str| {
            files
                .iter()
                .find(|n| n.starts_with(prefix) && n.ends_with(suffix))
                .unwrap_or_else(|| panic!("no {prefix}…{suffix} in {files:?}"))
                .clone()
        };
        let css = find("app-", ".css");
        assert_eq!(
            std::fs::read_to_string(app.join(&css)).unwrap(),
            "a{b:c}\nd{e:f}\n"
        );
        let js = find("matome-web-", ".js");
        let stem = js.strip_suffix(".js").unwrap();
        assert_ne!(stem, "matome-web-1a2b");
        assert!(files.contains(&format!("{stem}_bg.wasm")));
        let js_text = std::fs::read_to_string(app.join(&js)).unwrap();
        assert!(js_text.contains(&format!("'{stem}_bg.wasm'")), "{js_text}");
        assert!(files.contains(&"favicon-33.svg".to_string()));
        let worker = find("search-worker-", ".js");
        let worker_stem = worker.strip_suffix(".js").unwrap();
        assert!(files.contains(&format!("{worker_stem}_bg.wasm")));
        assert!(std::fs::read_to_string(app.join(&worker))
            .unwrap()
            .ends_with(&format!("wasm_bindgen(\"./{worker_stem}_bg.wasm\");\n")));

        let html = std::fs::read_to_string(app.join("index.html")).unwrap();
        assert!(
            html.contains("<html lang=ja><head><meta charset=utf-8>"),
            "{html}"
        );
        assert_eq!(html.matches("rel=stylesheet").count(), 1, "{html}");
        assert!(html.contains(&format!("href=\"./{css}\"")), "{html}");
        let sri = |file: &str| integrity(&std::fs::read(app.join(file)).unwrap());
        assert!(html.contains(&sri(&css)), "{html}");
        assert!(html.contains(&sri(&js)), "{html}");
        assert!(html.contains(&sri(&format!("{stem}_bg.wasm"))), "{html}");
        assert!(html.contains(&loader("./", stem)), "{html}");
        // The script is not preloaded: its integrity is in the import map.
        assert!(!html.contains("modulepreload"), "{html}");
        assert!(html.contains(&import_map("./", stem, &sri(&js))), "{html}");
        assert!(!html.contains("1a2b"), "{html}");
        assert!(html.contains(&format!(
            "<meta name=\"matome-search-worker\" content=\"{worker}\">\n</head>"
        )));
        assert!(html.contains("<script>try{var d=1}catch(a){}</script>"));
    }

    #[test]
    fn js_loses_comments_and_needless_whitespace_only() {
        let js = "/**\n * Docs.\n */\nexport function f(a, b) {\n    // a comment\n    \
                  const s = 'it\\'s // not /* a comment */';\n    return a - -b / 2 + s;\n}\n\
                  const t = `x ${ {a: 1}.a } // y ${`z ${1}`}  w`;\n\
                  const r = /[/\\]]  +\\//g, q = x / y / z;\n\
                  let n = a\n++b\nreturn\nx\nexport { f as default };\n";
        assert_eq!(
            minify_js(js),
            "export function f(a,b){const s='it\\'s // not /* a comment */';\
             return a- -b/2+s;}\n\
             const t=`x ${{a:1}.a} // y ${`z ${1}`}  w`;\
             const r=/[/\\]]  +\\//g,q=x/y/z;\
             let n=a\n++b\nreturn\nx\nexport{f as default};\n"
        );
    }

    #[test]
    fn css_loses_comments_and_needless_spaces_only() {
        let css = "/* the page */\nbody {\n  margin: 0 auto;\n  color : red ;\n}\n\n\
                   a :hover, b > c{ width: calc(100% - 2 * 1px) }\n\
                   .q::before { content: \"a  /* b */ ;\" ; }\n\
                   @media (min-width: 40em) and (prefers-color-scheme: dark) { x { y: z } }\n";
        assert_eq!(
            minify_css(css),
            "body{margin:0 auto;color :red}a :hover,b>c{width:calc(100% - 2 * 1px)}\
             .q::before{content:\"a  /* b */ ;\"}\
             @media (min-width:40em) and (prefers-color-scheme:dark){x{y:z}}\n"
        );
    }

    // The same input twice gives the same bytes (names are content hashes); a new
    // wasm gives the script a new name.
    #[test]
    fn names_follow_the_content() {
        let trunk = trunk_folder();
        let out = tempfile::tempdir().unwrap();
        let (a, b) = (out.path().join("a"), out.path().join("b"));
        prepare(trunk.path(), &a).unwrap();
        prepare(trunk.path(), &b).unwrap();
        assert_eq!(names(&a), names(&b));
        for name in names(&a) {
            assert_eq!(
                std::fs::read(a.join(&name)).unwrap(),
                std::fs::read(b.join(&name)).unwrap()
            );
        }
        std::fs::write(trunk.path().join("matome-web-1a2b_bg.wasm"), "\0asm-new").unwrap();
        prepare(trunk.path(), &b).unwrap();
        let scripts = |d: &Path| {
            names(d)
                .into_iter()
                .filter(|n| n.starts_with("matome-web-") && n.ends_with(".js"))
                .collect::<Vec<_>>()
        };
        assert_ne!(scripts(&a), scripts(&b));
    }

    // A prepared folder, or a page Trunk built for an absolute public URL, is refused
    // with what was expected.
    #[test]
    fn refuses_what_it_cannot_prepare() {
        let trunk = trunk_folder();
        let out = tempfile::tempdir().unwrap();
        let app = out.path().join("app");
        prepare(trunk.path(), &app).unwrap();
        let again = prepare(&app, &out.path().join("again"))
            .unwrap_err()
            .to_string();
        assert!(again.contains("module script"), "{again}");
        assert!(again.contains("index.html"), "{again}");

        let index = trunk.path().join("index.html");
        let html = std::fs::read_to_string(&index).unwrap().replace("./", "/");
        std::fs::write(&index, html).unwrap();
        let absolute = prepare(trunk.path(), &app).unwrap_err().to_string();
        assert!(absolute.contains("--public-url ./"), "{absolute}");
    }
}
