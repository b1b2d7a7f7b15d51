//! The server against a scratch folder, over real HTTP.

use super::*;
use crate::http::http_get;
use std::io::Read;

fn scratch(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("matome-e2e-server-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("a/b")).unwrap();
    std::fs::write(dir.join("index.html"), "home").unwrap();
    std::fs::write(dir.join("a/b/index.html"), "deep").unwrap();
    std::fs::write(dir.join("app.wasm"), b"\0asm").unwrap();
    std::fs::write(dir.join("404.html"), "missing page").unwrap();
    dir
}

fn header(head: &HeaderMap, name: header::HeaderName) -> &str {
    head.get(name).and_then(|v| v.to_str().ok()).unwrap_or("")
}

// Files, directory index, slash redirect and a real 404 carrying 404.html.
#[test]
fn serves_files_indexes_redirects_and_real_404s() {
    let dir = scratch("root");
    let server = StaticServer::start(&dir);
    assert_eq!(http_get(&server.url("")).2, b"home");
    let (status, head, body) = http_get(&server.url("a/b/"));
    assert_eq!((status, body.as_slice()), (200, &b"deep"[..]));
    assert_eq!(
        header(&head, header::CONTENT_TYPE),
        "text/html; charset=utf-8"
    );
    assert_eq!(header(&head, header::CACHE_CONTROL), "no-store");
    let (status, head, _) = http_get(&format!("{}?q=1", server.url("a/b")));
    assert_eq!(status, 301);
    assert_eq!(header(&head, header::LOCATION), "/a/b/?q=1");
    let (status, head, _) = http_get(&server.url("app.wasm"));
    assert_eq!(status, 200);
    assert_eq!(header(&head, header::CONTENT_TYPE), "application/wasm");
    let (status, _, body) = http_get(&server.url("no/such/page/"));
    assert_eq!((status, body.as_slice()), (404, &b"missing page"[..]));
    let (status, _, _) = http_get(&server.url("../etc/passwd"));
    assert_ne!(status, 200);
    assert_eq!(
        server.requests(),
        [
            ("/", 200),
            ("/a/b/", 200),
            ("/a/b?q=1", 301),
            ("/app.wasm", 200),
            ("/no/such/page/", 404),
            ("/../etc/passwd", 404),
        ]
        .map(|(p, s)| (p.to_string(), s))
    );
    let _ = std::fs::remove_dir_all(dir);
}

// Under a sub-path only the mount serves the site; the root is a 404 with the page.
#[test]
fn serves_under_a_sub_path() {
    let dir = scratch("sub");
    let server = StaticServer::start_at(&dir, "/sub/path/");
    assert_eq!(http_get(&server.url("a/b/")).2, b"deep");
    let (status, _, body) = http_get(&format!("{}/a/b/", server.origin()));
    assert_eq!((status, body.as_slice()), (404, &b"missing page"[..]));
    let (status, head, _) = http_get(&format!("{}/sub/path", server.origin()));
    assert_eq!(status, 301);
    assert_eq!(header(&head, header::LOCATION), "/sub/path/");
    let (status, head, _) = http_get(&server.url("a/b"));
    assert_eq!(status, 301);
    assert_eq!(header(&head, header::LOCATION), "/sub/path/a/b/");
    let _ = std::fs::remove_dir_all(dir);
}

// Text over 256 bytes is gzipped for a client that asks; a small file and one that
// did not ask are sent as they are.
#[test]
fn gzips_text_for_clients_that_ask() {
    let dir = scratch("gzip");
    let text = "<p>とても長い段落</p>\n".repeat(100);
    std::fs::write(dir.join("long.html"), &text).unwrap();
    let server = StaticServer::start(&dir);
    let gzip = [("Accept-Encoding", "gzip")];
    let (status, head, body) = crate::http::get_with(&server.url("long.html"), &gzip).unwrap();
    assert_eq!(
        (status, header(&head, header::CONTENT_ENCODING)),
        (200, "gzip")
    );
    let mut plain = String::new();
    flate2::read::GzDecoder::new(body.as_slice())
        .read_to_string(&mut plain)
        .unwrap();
    assert_eq!(plain, text);
    let (_, head, body) = crate::http::get_with(&server.url(""), &gzip).unwrap();
    assert_eq!(
        (header(&head, header::CONTENT_ENCODING), body.as_slice()),
        ("", &b"home"[..])
    );
    let (_, head, body) = http_get(&server.url("long.html"));
    assert_eq!(header(&head, header::CONTENT_ENCODING), "");
    assert_eq!(body, text.as_bytes());
    let _ = std::fs::remove_dir_all(dir);
}

// Failing paths answer their status until healed; held paths wait until released;
// stripped HTML loses its scripts and preloads.
#[test]
fn fails_holds_and_strips_on_request() {
    let dir = scratch("controls");
    std::fs::write(
        dir.join("app.html"),
        r#"<head><link rel="modulepreload" href="a.js"><link rel="stylesheet" href="s.css"></head><body><p>text</p><script type="module">run()</script></body>"#,
    )
    .unwrap();
    let server = StaticServer::start(&dir);
    server.fail("/a/", 503);
    assert_eq!(http_get(&server.url("a/b/")).0, 503);
    assert_eq!(http_get(&server.url("")).0, 200);
    server.heal();
    assert_eq!(http_get(&server.url("a/b/")).0, 200);

    server.hold(".wasm");
    let url = server.url("app.wasm");
    let fetch = std::thread::spawn(move || http_get(&url).0);
    std::thread::sleep(Duration::from_millis(300));
    assert!(!fetch.is_finished(), "a held response waits");
    assert_eq!(http_get(&server.url("")).0, 200, "others do not");
    server.release();
    assert_eq!(fetch.join().unwrap(), 200);

    server.strip_scripts(true);
    let page = String::from_utf8(http_get(&server.url("app.html")).2).unwrap();
    assert_eq!(
        page,
        r#"<head><link rel="stylesheet" href="s.css"></head><body><p>text</p></body>"#
    );
    server.strip_scripts(false);
    let page = String::from_utf8(http_get(&server.url("app.html")).2).unwrap();
    assert!(page.contains("<script"), "{page}");
    let _ = std::fs::remove_dir_all(dir);
}

// The slow link: a response waits a round trip, and responses fetched at once share the
// bandwidth (two of 40 KB at 1.6 Mbit/s take 0.4 s together, not 0.2 s each); without
// it the server answers at loopback speed again. The round trip is long (1 s) so that
// only a broken link model, not a busy machine, can fail the bounds.
#[test]
fn a_slow_link_adds_the_round_trip_and_shares_the_bandwidth() {
    let dir = scratch("link");
    // Bytes that gzip leaves as large as they are.
    let mut noise = Vec::with_capacity(40_000);
    let mut x: u32 = 12345;
    for _ in 0..40_000 {
        x = x.wrapping_mul(1_103_515_245).wrapping_add(12_345);
        noise.push((x >> 16) as u8);
    }
    std::fs::write(dir.join("one.bin"), &noise).unwrap();
    std::fs::write(dir.join("two.bin"), &noise).unwrap();
    let server = StaticServer::start(&dir);
    let timed = |urls: Vec<String>| {
        let t = std::time::Instant::now();
        let got: Vec<usize> = std::thread::scope(|s| {
            let runs: Vec<_> = urls
                .iter()
                .map(|u| s.spawn(move || http_get(u).2.len()))
                .collect();
            runs.into_iter().map(|r| r.join().unwrap()).collect()
        });
        assert!(got.iter().all(|&n| n == 40_000 || n == 4), "{got:?}");
        t.elapsed()
    };
    server.slow_link(Some((1000, 1_600_000)));
    let small = timed(vec![server.url("")]);
    assert!(small >= Duration::from_millis(1000), "{small:?}");
    let both = timed(vec![server.url("one.bin"), server.url("two.bin")]);
    // 80,000 bytes at 200,000 bytes a second, and the round trip.
    assert!(both >= Duration::from_millis(1000 + 400), "{both:?}");
    server.slow_link(None);
    let fast = timed(vec![server.url("one.bin")]);
    assert!(fast < Duration::from_millis(1000), "{fast:?}");
    let _ = std::fs::remove_dir_all(dir);
}
