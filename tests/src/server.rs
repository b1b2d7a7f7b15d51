//! A plain static file server on 127.0.0.1, behaving like GitHub Pages or Netlify without
//! rewrite rules: files as they are, `dir/index.html` for `/dir/`, a redirect from `/dir`
//! to `/dir/`, and for anything missing a **404** whose body is `404.html` (no SPA
//! fallback: the status stays 404). The site may be mounted under a sub-path.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

/// A running server; stops when dropped.
pub struct StaticServer {
    port: u16,
    mount: String,
    stop: Arc<AtomicBool>,
    log: Arc<Mutex<Vec<(String, u16)>>>,
    held: Arc<Mutex<Vec<String>>>,
    strip: Arc<AtomicBool>,
    failing: Arc<Mutex<Vec<(String, u16)>>>,
}

impl StaticServer {
    /// Serves `root` at `/` on a free loopback port.
    pub fn start(root: &Path) -> StaticServer {
        StaticServer::start_at(root, "/")
    }

    /// Serves `root` under `mount` (e.g. `/sub/path/`); everything outside it is a 404.
    pub fn start_at(root: &Path, mount: &str) -> StaticServer {
        assert!(
            mount.starts_with('/') && mount.ends_with('/'),
            "mount must start and end with /"
        );
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind a loopback port");
        let port = listener.local_addr().unwrap().port();
        let stop = Arc::new(AtomicBool::new(false));
        let log = Arc::new(Mutex::new(Vec::new()));
        let held = Arc::new(Mutex::new(Vec::new()));
        let strip = Arc::new(AtomicBool::new(false));
        let failing = Arc::new(Mutex::new(Vec::new()));
        let site = Arc::new(Site {
            root: root.to_path_buf(),
            mount: mount.to_string(),
            held: held.clone(),
            strip: strip.clone(),
            failing: failing.clone(),
        });
        {
            let stop = stop.clone();
            let log = log.clone();
            thread::spawn(move || {
                for stream in listener.incoming() {
                    if stop.load(Ordering::SeqCst) {
                        break;
                    }
                    let Ok(stream) = stream else { continue };
                    let site = site.clone();
                    let log = log.clone();
                    thread::spawn(move || {
                        if let Some(entry) = site.handle(stream) {
                            log.lock().unwrap().push(entry);
                        }
                    });
                }
            });
        }
        StaticServer {
            port,
            mount: mount.to_string(),
            stop,
            log,
            held,
            strip,
            failing,
        }
    }

    /// Answers every request whose path contains `part` with `status` (a broken
    /// deployment or a failing host), until [`StaticServer::heal`].
    pub fn fail(&self, part: &str, status: u16) {
        self.failing
            .lock()
            .unwrap()
            .push((part.to_string(), status));
    }

    /// Stops failing requests.
    pub fn heal(&self) {
        self.failing.lock().unwrap().clear();
    }

    /// Serves HTML without its scripts and script preloads: the page's static floor,
    /// what a reader sees when no script ever runs (for the load benchmark).
    pub fn strip_scripts(&self, on: bool) {
        self.strip.store(on, Ordering::SeqCst);
    }

    /// Holds back every response for a path ending with `suffix` (e.g. `.wasm`) until
    /// [`StaticServer::release`]: the page as a reader sees it while the app downloads.
    pub fn hold(&self, suffix: &str) {
        self.held.lock().unwrap().push(suffix.to_string());
    }

    /// Lets held responses go.
    pub fn release(&self) {
        self.held.lock().unwrap().clear();
    }

    /// `http://127.0.0.1:<port>` without a trailing slash.
    pub fn origin(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// Absolute URL of a route relative to the site root (`""`, `posts/a/b/`).
    pub fn url(&self, route: &str) -> String {
        format!(
            "{}{}{}",
            self.origin(),
            self.mount,
            route.trim_start_matches('/')
        )
    }

    /// The sub-path the site is mounted under (`/` or `/sub/path/`).
    pub fn mount(&self) -> &str {
        &self.mount
    }

    /// Requests served so far: (path as requested, status).
    pub fn requests(&self) -> Vec<(String, u16)> {
        self.log.lock().unwrap().clone()
    }
}

impl Drop for StaticServer {
    fn drop(&mut self) {
        self.release();
        self.stop.store(true, Ordering::SeqCst);
        // Wake the accept loop so it sees the flag.
        let _ = TcpStream::connect(("127.0.0.1", self.port));
    }
}

struct Site {
    root: PathBuf,
    mount: String,
    held: Arc<Mutex<Vec<String>>>,
    strip: Arc<AtomicBool>,
    failing: Arc<Mutex<Vec<(String, u16)>>>,
}

enum Reply {
    File(PathBuf, u16),
    Redirect(String),
    Plain(u16, &'static str),
}

impl Site {
    fn handle(&self, mut stream: TcpStream) -> Option<(String, u16)> {
        let _ = stream.set_read_timeout(Some(Duration::from_secs(30)));
        let mut reader = BufReader::new(stream.try_clone().ok()?);
        let mut request_line = String::new();
        reader.read_line(&mut request_line).ok()?;
        // Drain the headers; requests from a browser carry no body we care about.
        let mut gzip = false;
        loop {
            let mut line = String::new();
            if reader.read_line(&mut line).ok()? == 0 || line == "\r\n" || line == "\n" {
                break;
            }
            let lower = line.to_ascii_lowercase();
            if lower.starts_with("accept-encoding:") && lower.contains("gzip") {
                gzip = true;
            }
        }
        let mut parts = request_line.split_whitespace();
        let method = parts.next()?.to_string();
        let target = parts.next()?.to_string();
        let path = target.split(['?', '#']).next().unwrap_or("").to_string();
        let started = std::time::Instant::now();
        while self
            .held
            .lock()
            .unwrap()
            .iter()
            .any(|s| path.ends_with(s.as_str()))
            && started.elapsed() < Duration::from_secs(120)
        {
            thread::sleep(Duration::from_millis(20));
        }
        let failure = self
            .failing
            .lock()
            .unwrap()
            .iter()
            .find(|(part, _)| path.contains(part.as_str()))
            .map(|f| f.1);
        let reply = if let Some(status) = failure {
            Reply::Plain(status, "failing on purpose\n")
        } else if method == "GET" || method == "HEAD" {
            self.resolve(&target)
        } else {
            Reply::Plain(405, "method not allowed\n")
        };
        let strip = self.strip.load(Ordering::SeqCst);
        let status = write_reply(&mut stream, reply, method == "HEAD", gzip, strip);
        let _ = stream.flush();
        let _ = stream.shutdown(Shutdown::Write);
        Some((target, status))
    }

    fn resolve(&self, target: &str) -> Reply {
        let path = target.split(['?', '#']).next().unwrap_or("/");
        let query = target.find('?').map(|i| &target[i..]).unwrap_or("");
        if format!("{path}/") == self.mount {
            // `/sub/path` without the slash is the mount point itself.
            return Reply::Redirect(format!("{}{query}", self.mount));
        }
        let Some(rest) = path.strip_prefix(&self.mount) else {
            return self.not_found();
        };
        let Some(decoded) = matome_model::paths::decode_component(rest) else {
            return Reply::Plain(400, "bad request\n");
        };
        let relative = Path::new(&decoded);
        if relative
            .components()
            .any(|c| !matches!(c, Component::Normal(_)))
        {
            return Reply::Plain(400, "bad request\n");
        }
        let file = self.root.join(relative);
        if file.is_dir() {
            if !path.ends_with('/') {
                return Reply::Redirect(format!("{path}/{query}"));
            }
            let index = file.join("index.html");
            if index.is_file() {
                return Reply::File(index, 200);
            }
            return self.not_found();
        }
        if file.is_file() {
            return Reply::File(file, 200);
        }
        self.not_found()
    }

    fn not_found(&self) -> Reply {
        let page = self.root.join("404.html");
        if page.is_file() {
            Reply::File(page, 404)
        } else {
            Reply::Plain(404, "not found\n")
        }
    }
}

fn write_reply(
    stream: &mut TcpStream,
    reply: Reply,
    head_only: bool,
    gzip: bool,
    strip: bool,
) -> u16 {
    let (status, content_type, body, location) = match reply {
        Reply::File(path, status) => match std::fs::read(&path) {
            Ok(body) if strip && content_type(&path).starts_with("text/html") => {
                let html = without_scripts(&String::from_utf8_lossy(&body));
                (status, content_type(&path), html.into_bytes(), None)
            }
            Ok(body) => (status, content_type(&path), body, None),
            Err(_) => (
                500,
                "text/plain; charset=utf-8",
                b"read error\n".to_vec(),
                None,
            ),
        },
        Reply::Redirect(location) => (
            301,
            "text/plain; charset=utf-8",
            b"moved\n".to_vec(),
            Some(location),
        ),
        Reply::Plain(status, text) => (
            status,
            "text/plain; charset=utf-8",
            text.as_bytes().to_vec(),
            None,
        ),
    };
    let reason = match status {
        200 => "OK",
        301 => "Moved Permanently",
        400 => "Bad Request",
        404 => "Not Found",
        405 => "Method Not Allowed",
        503 => "Service Unavailable",
        _ => "Internal Server Error",
    };
    // Text and wasm are compressed for browsers that ask, as nginx's `gzip on` does: the
    // load benchmark's throttled network then sees realistic sizes.
    let compressible = content_type.starts_with("text/")
        || ["json", "javascript", "wasm", "xml", "svg"]
            .iter()
            .any(|k| content_type.contains(k));
    let (body, encoding) = if gzip && compressible && body.len() > 256 {
        use std::io::Write as _;
        let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::new(6));
        let _ = enc.write_all(&body);
        (
            enc.finish().unwrap_or_default(),
            "Content-Encoding: gzip\r\nVary: Accept-Encoding\r\n",
        )
    } else {
        (body, "")
    };
    let mut head = format!(
        "HTTP/1.1 {status} {reason}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n\
         {encoding}Cache-Control: no-store\r\nConnection: close\r\n",
        body.len()
    );
    if let Some(location) = location {
        head.push_str(&format!("Location: {location}\r\n"));
    }
    head.push_str("\r\n");
    let _ = stream.write_all(head.as_bytes());
    if !head_only {
        let _ = stream.write_all(&body);
    }
    status
}

/// `html` without `<script>` elements and without `modulepreload`/`preload` links.
pub fn without_scripts(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    loop {
        let lower = rest.to_ascii_lowercase();
        let script = lower.find("<script");
        let link = lower
            .match_indices("<link")
            .find(|(i, _)| {
                let tag = &lower[*i..*i + lower[*i..].find('>').unwrap_or(0)];
                tag.contains("modulepreload") || tag.contains("rel=\"preload\"")
            })
            .map(|(i, _)| i);
        let Some(start) = [script, link].into_iter().flatten().min() else {
            out.push_str(rest);
            return out;
        };
        out.push_str(&rest[..start]);
        let end = if Some(start) == script {
            lower[start..]
                .find("</script>")
                .map(|e| start + e + "</script>".len())
        } else {
            lower[start..].find('>').map(|e| start + e + 1)
        };
        let Some(end) = end else { return out };
        rest = &rest[end..];
    }
}

/// Content type by extension; wasm must be `application/wasm` for streaming compilation.
pub fn content_type(path: &Path) -> &'static str {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "wasm" => "application/wasm",
        "css" => "text/css; charset=utf-8",
        "json" => "application/json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "gif" => "image/gif",
        "ico" => "image/x-icon",
        "xml" => "application/xml",
        "rss" => "application/rss+xml",
        "atom" => "application/atom+xml",
        "txt" => "text/plain; charset=utf-8",
        "woff2" => "font/woff2",
        "webmanifest" => "application/manifest+json",
        _ => "application/octet-stream",
    }
}

/// A plain HTTP/1.1 GET on loopback, outside the browser: (status, head, body).
pub fn http_get(url: &str) -> (u16, String, Vec<u8>) {
    try_http_get(url).unwrap_or_else(|e| panic!("GET {url}: {e}"))
}

/// [`http_get`] returning connection and protocol errors.
pub fn try_http_get(url: &str) -> std::io::Result<(u16, String, Vec<u8>)> {
    use std::io::{Error, ErrorKind};
    let bad = |what: &str| Error::new(ErrorKind::InvalidData, format!("{what} from {url}"));
    let rest = url
        .strip_prefix("http://")
        .ok_or_else(|| Error::new(ErrorKind::InvalidInput, "only http:// URLs"))?;
    let (host, path) = match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, "/"),
    };
    let mut stream = TcpStream::connect(host)?;
    stream.set_read_timeout(Some(Duration::from_secs(30)))?;
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\nAccept: text/html\r\n\r\n"
    )?;
    // Read the head, then Content-Length bytes: some servers (chromedriver) keep the
    // connection open despite `Connection: close`.
    let mut raw = Vec::new();
    let mut buf = [0u8; 16384];
    let split = loop {
        if let Some(i) = raw.windows(4).position(|w| w == b"\r\n\r\n") {
            break i;
        }
        let n = stream.read(&mut buf)?;
        if n == 0 {
            return Err(bad("no HTTP header end"));
        }
        raw.extend_from_slice(&buf[..n]);
    };
    let head = String::from_utf8_lossy(&raw[..split]).to_string();
    let length = head.lines().find_map(|l| {
        let (name, value) = l.split_once(':')?;
        name.eq_ignore_ascii_case("content-length")
            .then(|| value.trim().parse::<usize>().ok())
            .flatten()
    });
    while length.is_none_or(|len| raw.len() < split + 4 + len) {
        let n = stream.read(&mut buf)?;
        if n == 0 {
            break;
        }
        raw.extend_from_slice(&buf[..n]);
    }
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| bad("bad status line"))?;
    Ok((status, head, raw[split + 4..].to_vec()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("matome-e2e-server-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("a/b")).unwrap();
        std::fs::write(dir.join("index.html"), "home").unwrap();
        std::fs::write(dir.join("a/b/index.html"), "deep").unwrap();
        std::fs::write(dir.join("app.wasm"), b"\0asm").unwrap();
        std::fs::write(dir.join("404.html"), "missing page").unwrap();
        dir
    }

    // Files, directory index, slash redirect and a real 404 carrying 404.html.
    #[test]
    fn serves_files_indexes_redirects_and_real_404s() {
        let dir = scratch("root");
        let server = StaticServer::start(&dir);
        assert_eq!(http_get(&server.url("")).2, b"home");
        let (status, _, body) = http_get(&server.url("a/b/"));
        assert_eq!((status, body.as_slice()), (200, &b"deep"[..]));
        let (status, head, _) = http_get(&server.url("a/b"));
        assert_eq!(status, 301);
        assert!(head.contains("Location: /a/b/"), "{head}");
        let (status, head, _) = http_get(&server.url("app.wasm"));
        assert_eq!(status, 200);
        assert!(head.contains("Content-Type: application/wasm"), "{head}");
        let (status, _, body) = http_get(&server.url("no/such/page/"));
        assert_eq!((status, body.as_slice()), (404, &b"missing page"[..]));
        let (status, _, _) = http_get(&server.url("../etc/passwd"));
        assert_ne!(status, 200);
        let _ = std::fs::remove_dir_all(dir);
    }

    // Under a sub-path only the mount serves the site; the root is a 404.
    #[test]
    fn serves_under_a_sub_path() {
        let dir = scratch("sub");
        let server = StaticServer::start_at(&dir, "/sub/path/");
        assert_eq!(http_get(&server.url("a/b/")).2, b"deep");
        assert_eq!(http_get(&format!("{}/a/b/", server.origin())).0, 404);
        let (status, head, _) = http_get(&format!("{}/sub/path", server.origin()));
        assert_eq!(status, 301);
        assert!(head.contains("Location: /sub/path/"), "{head}");
        let _ = std::fs::remove_dir_all(dir);
    }
}
