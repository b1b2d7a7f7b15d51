//! The HTTP side of `matome serve`: the site folder's files (tower-http's `ServeDir`:
//! percent-decoding, no `..`, a folder's `index.html`, content types), `404.html` for
//! anything else, nothing cached by the browser, and the reload channel. Loopback only,
//! for one author; not a server to deploy on.

use std::convert::Infallible;
use std::path::Path;
use std::time::Duration;

use axum::body::Body;
use axum::extract::State;
use axum::http::{header, HeaderValue, Response, StatusCode};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::IntoResponse;
use axum::routing::get;
use axum::Router;
use futures_util::Stream;
use tokio::sync::watch;
use tower_http::services::{ServeDir, ServeFile};
use tower_http::set_header::SetResponseHeaderLayer;

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

/// The site's current generation: a page served at one value reloads on another.
pub(super) type Generation = watch::Receiver<String>;

/// The routes: the reload script and its event stream, else the site's files.
pub(super) fn router(site: &Path, generation: Generation) -> Router {
    let files = ServeDir::new(site)
        .append_index_html_on_directories(true)
        .not_found_service(ServeFile::new(site.join("404.html")));
    Router::new()
        .route(
            RELOAD_PATH,
            get(|| async { ([(header::CONTENT_TYPE, "text/javascript")], RELOAD_JS) }),
        )
        .route(EVENTS_PATH, get(events))
        .fallback_service(files)
        .layer(axum::middleware::map_response_with_state(
            generation.clone(),
            add_reload_script,
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-store"),
        ))
        .with_state(generation)
}

/// Server-sent events: the current generation at once (with the browser's reconnection
/// delay), then each new one; a comment line every 15 s finds closed connections.
async fn events(
    State(generation): State<Generation>,
) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    let mut generation = generation;
    let now = generation.borrow_and_update().clone();
    let first = Event::default().retry(Duration::from_millis(300)).data(now);
    let stream = futures_util::stream::unfold(
        (generation, Some(first)),
        |(mut generation, first)| async move {
            let event = match first {
                Some(event) => event,
                None => {
                    // Ends the stream when serve stops publishing.
                    generation.changed().await.ok()?;
                    let now = generation.borrow_and_update().clone();
                    Event::default().data(now)
                }
            };
            Some((Ok(event), (generation, None)))
        },
    );
    Sse::new(stream).keep_alive(
        KeepAlive::new()
            .interval(Duration::from_secs(15))
            .text("ping"),
    )
}

/// Every HTML page served whole (a page or the 404 page) gets the reload script.
async fn add_reload_script(
    State(generation): State<Generation>,
    response: Response<Body>,
) -> Response<Body> {
    let html = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    if !html || !matches!(response.status(), StatusCode::OK | StatusCode::NOT_FOUND) {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, usize::MAX).await else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    let page = with_reload_script(&bytes, &generation.borrow());
    // The length and the validators were those of the file.
    for name in [
        header::CONTENT_LENGTH,
        header::LAST_MODIFIED,
        header::ETAG,
        header::ACCEPT_RANGES,
    ] {
        parts.headers.remove(name);
    }
    Response::from_parts(parts, Body::from(page))
}

/// The page with the reload script at the end of its head (after the CSP `<meta>`).
fn with_reload_script(html: &[u8], generation: &str) -> Vec<u8> {
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

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::Request;
    use tower::ServiceExt as _;

    /// Status, headers and body of one request to the router on `site`.
    async fn get_path(
        site: &Path,
        generation: &Generation,
        method: &str,
        path: &str,
    ) -> (StatusCode, axum::http::HeaderMap, String) {
        let request = Request::builder()
            .method(method)
            .uri(path)
            .body(Body::empty())
            .unwrap();
        let response = router(site, generation.clone())
            .oneshot(request)
            .await
            .unwrap();
        let (parts, body) = response.into_parts();
        let body = axum::body::to_bytes(body, usize::MAX).await.unwrap();
        (
            parts.status,
            parts.headers,
            String::from_utf8_lossy(&body).into_owned(),
        )
    }

    fn runtime() -> tokio::runtime::Runtime {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap()
    }

    // Files, a folder's index.html with the reload script, the 404 page with it too,
    // no `..` out of the site, nothing cached, GET and HEAD only.
    #[test]
    fn serves_the_site_with_the_reload_script_and_refuses_dot_dot() {
        let dir = tempfile::tempdir().unwrap();
        let site = dir.path().join("site");
        std::fs::create_dir_all(site.join("tags/c#")).unwrap();
        std::fs::write(
            site.join("tags/c#/index.html"),
            "<head><title>c#</title></head>",
        )
        .unwrap();
        std::fs::write(site.join("404.html"), "<head></head>missing").unwrap();
        std::fs::write(site.join("a.js"), "let a;").unwrap();
        std::fs::write(dir.path().join("secret.txt"), "no").unwrap();
        let (_tx, generation) = watch::channel("7-1".to_string());
        runtime().block_on(async {
            let (status, headers, body) = get_path(&site, &generation, "GET", "/a.js").await;
            assert_eq!((status, body.as_str()), (StatusCode::OK, "let a;"));
            assert_eq!(headers[header::CACHE_CONTROL], "no-store");
            assert!(headers[header::CONTENT_TYPE]
                .to_str()
                .unwrap()
                .starts_with("text/javascript"));

            let (status, headers, body) =
                get_path(&site, &generation, "GET", "/tags/c%23/").await;
            assert_eq!(status, StatusCode::OK);
            assert_eq!(
                body,
                r#"<head><title>c#</title><script src="/_matome/reload.js" data-generation="7-1" defer></script></head>"#
            );
            assert_eq!(headers[header::CACHE_CONTROL], "no-store");

            let (status, headers, _) = get_path(&site, &generation, "GET", "/tags/c%23").await;
            assert!(status.is_redirection(), "{status}");
            assert_eq!(headers[header::LOCATION], "/tags/c%23/");

            for bad in ["/../secret.txt", "/tags/%2E%2E/../secret.txt", "/tags/..%2f..%2fsecret.txt", "/nope/"] {
                let (status, _, body) = get_path(&site, &generation, "GET", bad).await;
                assert_eq!(status, StatusCode::NOT_FOUND, "{bad}");
                assert!(body.ends_with("defer></script></head>missing"), "{bad}: {body}");
            }

            let (status, _, _) = get_path(&site, &generation, "POST", "/a.js").await;
            assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED);
            let (status, _, body) = get_path(&site, &generation, "HEAD", "/a.js").await;
            assert_eq!((status, body.as_str()), (StatusCode::OK, ""));
        });
    }

    // The event stream sends the current generation first, then each new one.
    #[test]
    fn the_event_stream_sends_each_new_generation() {
        let dir = tempfile::tempdir().unwrap();
        let (tx, generation) = watch::channel("7-1".to_string());
        runtime().block_on(async {
            let request = Request::builder()
                .uri(EVENTS_PATH)
                .body(Body::empty())
                .unwrap();
            let response = router(dir.path(), generation)
                .oneshot(request)
                .await
                .unwrap();
            assert_eq!(response.status(), StatusCode::OK);
            assert_eq!(
                response.headers()[header::CONTENT_TYPE],
                "text/event-stream"
            );
            let mut body = response.into_body().into_data_stream();
            use futures_util::StreamExt as _;
            let first = body.next().await.unwrap().unwrap();
            assert_eq!(&first[..], b"retry: 300\ndata: 7-1\n\n");
            tx.send_replace("7-2".into());
            let next = body.next().await.unwrap().unwrap();
            assert_eq!(&next[..], b"data: 7-2\n\n");
        });
    }

    // The script tag lands before `</head>`, so after the CSP meta that allows it.
    #[test]
    fn puts_the_reload_script_at_the_end_of_the_head() {
        let page = with_reload_script(b"<head><meta x></head><body></body>", "7-1");
        assert_eq!(
            String::from_utf8(page).unwrap(),
            r#"<head><meta x><script src="/_matome/reload.js" data-generation="7-1" defer></script></head><body></body>"#
        );
    }
}
