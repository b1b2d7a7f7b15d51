//! The HTTP side of `matome serve`: files of the site folder, one thread per connection,
//! `Connection: close`, nothing cached by the browser. Loopback only, for one author;
//! not a server to deploy on.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use super::Shared;

/// Listens to the generation and reloads the page when it is not the one the page was
/// served at (also after `matome serve` restarts: the browser reconnects on its own).
const RELOAD_JS: &str = r#"// matome serve: reload this page when the site is published again.
(() => {
  const served = document.currentScript && document.currentScript.dataset.generation;
  const events = new EventSource("/_matome/events");
  events.onmessage = (e) => {
    if (served && e.data !== served) {
      events.close();
      location.reload();
    }
  };
})();
"#;
const RELOAD_PATH: &str = "/_matome/reload.js";
const EVENTS_PATH: &str = "/_matome/events";

pub(super) fn accept(listener: TcpListener, shared: Arc<Shared>) {
    for stream in listener.incoming().flatten() {
        let shared = shared.clone();
        std::thread::spawn(move || {
            let _ = handle(stream, &shared);
        });
    }
}

fn handle(stream: TcpStream, shared: &Shared) -> std::io::Result<()> {
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    let mut reader = BufReader::new(stream.try_clone()?.take(64 * 1024));
    let mut request = String::new();
    reader.read_line(&mut request)?;
    loop {
        let mut header = String::new();
        if reader.read_line(&mut header)? == 0 || header.trim().is_empty() {
            break;
        }
    }
    let mut parts = request.split_whitespace();
    let (method, target) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
    let mut out = stream;
    if method != "GET" && method != "HEAD" {
        return respond(
            &mut out,
            "405 Method Not Allowed",
            "text/plain",
            b"GET only\n",
            true,
        );
    }
    let head_only = method == "HEAD";
    let path = target.split(['?', '#']).next().unwrap_or("");
    match path {
        RELOAD_PATH => respond(
            &mut out,
            "200 OK",
            "text/javascript",
            RELOAD_JS.as_bytes(),
            head_only,
        ),
        EVENTS_PATH => events(&mut out, shared),
        _ => match resolve(&shared.site, path) {
            Resolved::File(file) => match std::fs::read(&file) {
                Ok(body) => {
                    let kind = content_type(&file);
                    let body = if kind.starts_with("text/html") {
                        with_reload_script(body, &shared.generation())
                    } else {
                        body
                    };
                    respond(&mut out, "200 OK", kind, &body, head_only)
                }
                Err(_) => not_found(&mut out, shared, head_only),
            },
            Resolved::Slash => {
                let location = format!("{path}/");
                write!(
                    out,
                    "HTTP/1.1 301 Moved Permanently\r\nLocation: {location}\r\nContent-Length: 0\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n"
                )
            }
            Resolved::Missing => not_found(&mut out, shared, head_only),
        },
    }
}

enum Resolved {
    File(PathBuf),
    /// A folder asked for without its trailing slash.
    Slash,
    Missing,
}

/// The file a request path names: percent-decoded, no `.`/`..` segments, a folder's
/// `index.html`.
fn resolve(site: &Path, path: &str) -> Resolved {
    let Some(decoded) = path
        .strip_prefix('/')
        .and_then(matome_model::paths::decode_component)
    else {
        return Resolved::Missing;
    };
    let mut file = site.to_path_buf();
    for segment in decoded.split('/').filter(|s| !s.is_empty()) {
        if segment == "." || segment == ".." || segment.contains(['\\', '\0']) {
            return Resolved::Missing;
        }
        file.push(segment);
    }
    if file.is_dir() {
        if !path.ends_with('/') {
            return Resolved::Slash;
        }
        file.push("index.html");
    }
    if file.is_file() {
        Resolved::File(file)
    } else {
        Resolved::Missing
    }
}

fn not_found(out: &mut TcpStream, shared: &Shared, head_only: bool) -> std::io::Result<()> {
    let body = std::fs::read(shared.site.join("404.html"))
        .map(|b| with_reload_script(b, &shared.generation()))
        .unwrap_or_else(|_| b"not found\n".to_vec());
    respond(
        out,
        "404 Not Found",
        "text/html; charset=utf-8",
        &body,
        head_only,
    )
}

/// The page with the reload script at the end of its head (after the CSP `<meta>`).
fn with_reload_script(html: Vec<u8>, generation: &str) -> Vec<u8> {
    let tag =
        format!(r#"<script src="{RELOAD_PATH}" data-generation="{generation}" defer></script>"#);
    let at = html
        .windows(7)
        .position(|w| w == b"</head>")
        .unwrap_or(html.len());
    let mut out = Vec::with_capacity(html.len() + tag.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(tag.as_bytes());
    out.extend_from_slice(&html[at..]);
    out
}

/// Server-sent events: the current generation at once, then each new one.
fn events(out: &mut TcpStream, shared: &Shared) -> std::io::Result<()> {
    write!(
        out,
        "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\n\r\nretry: 300\n\n"
    )?;
    let mut sent = shared.generation();
    write!(out, "data: {sent}\n\n")?;
    out.flush()?;
    loop {
        let guard = shared.generation.lock().unwrap();
        let (guard, _) = shared
            .changed
            .wait_timeout_while(guard, Duration::from_secs(15), |g| *g == sent)
            .unwrap();
        let now = guard.clone();
        drop(guard);
        if now == sent {
            // A comment line: finds a closed connection, so its thread ends.
            out.write_all(b": ping\n\n")?;
        } else {
            write!(out, "data: {now}\n\n")?;
            sent = now;
        }
        out.flush()?;
    }
}

fn respond(
    out: &mut TcpStream,
    status: &str,
    kind: &str,
    body: &[u8],
    head_only: bool,
) -> std::io::Result<()> {
    write!(
        out,
        "HTTP/1.1 {status}\r\nContent-Type: {kind}\r\nContent-Length: {}\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n",
        body.len()
    )?;
    if !head_only {
        out.write_all(body)?;
    }
    out.flush()
}

fn content_type(file: &Path) -> &'static str {
    let ext = file
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    match ext.as_str() {
        "html" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript",
        "css" => "text/css",
        "wasm" => "application/wasm",
        "json" | "webmanifest" => "application/json",
        "xml" => "application/xml",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        "txt" => "text/plain; charset=utf-8",
        "woff2" => "font/woff2",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // Request paths stay inside the site: `..` segments, raw or percent-encoded, miss.
    #[test]
    fn resolves_files_and_folders_and_refuses_dot_dot() {
        let site =
            std::env::temp_dir().join(format!("matome-serve-resolve-{}", std::process::id()));
        std::fs::create_dir_all(site.join("tags/c#")).unwrap();
        std::fs::write(site.join("tags/c#/index.html"), "x").unwrap();
        std::fs::write(site.join("a.js"), "x").unwrap();
        let file = |p: &str| match resolve(&site, p) {
            Resolved::File(f) => Some(f.strip_prefix(&site).unwrap().to_path_buf()),
            _ => None,
        };
        assert_eq!(file("/a.js"), Some(PathBuf::from("a.js")));
        assert_eq!(
            file("/tags/c%23/"),
            Some(PathBuf::from("tags/c#/index.html"))
        );
        assert!(matches!(resolve(&site, "/tags/c%23"), Resolved::Slash));
        for bad in [
            "/../a.js",
            "/tags/%2E%2E/a.js",
            "/tags/..%2fa.js",
            "a.js",
            "/%zz",
        ] {
            assert!(matches!(resolve(&site, bad), Resolved::Missing), "{bad}");
        }
        std::fs::remove_dir_all(&site).unwrap();
    }

    // The script tag lands before `</head>`, so after the CSP meta that allows it.
    #[test]
    fn puts_the_reload_script_at_the_end_of_the_head() {
        let page = with_reload_script(b"<head><meta x></head><body></body>".to_vec(), "7-1");
        assert_eq!(
            String::from_utf8(page).unwrap(),
            r#"<head><meta x><script src="/_matome/reload.js" data-generation="7-1" defer></script></head><body></body>"#
        );
    }
}
