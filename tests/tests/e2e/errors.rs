//! A broken or missing bundle file shows an error with a retry, never a blank page, and
//! retry recovers once the file is back. A prerendered page whose data is broken stays
//! as it was written: readable, its links plain links.

use matome_e2e::content::SourcePost;
use matome_e2e::pages::Reader;
use matome_e2e::site::SiteCopy;
use matome_e2e::{with_browser, StaticServer};
use matome_model::paths;

use crate::sample_posts;

fn post_json(site: &SiteCopy, p: &SourcePost) -> std::path::PathBuf {
    let file = site.dir.join(paths::post_json(&p.path));
    assert!(file.is_file(), "the build wrote {}", file.display());
    file
}

// Opened from the list, a post whose file is corrupted shows an error view with a retry
// button; after the file is restored, retry renders the post.
#[test]
fn a_corrupted_post_file_shows_an_error_and_retry_recovers() {
    let site = SiteCopy::of_dist("corrupt-post");
    let p = &sample_posts()[0];
    let file = post_json(&site, p);
    let good = std::fs::read(&file).unwrap();
    std::fs::write(&file, b"{\"schema\": 1, \"summary\": [broken").unwrap();
    let server = StaticServer::start(&site.dir);
    with_browser(|b| async move {
        let r = Reader::new(&b, &server);
        r.open("").await;
        r.click_post_card(&p.path).await;
        let message = r.wait_for_error_with_retry().await;
        assert!(!message.is_empty(), "the error says what went wrong");
        b.screenshot("sample-error-post-json-desktop").await;
        std::fs::write(&file, &good).unwrap();
        r.click_retry().await;
        r.wait_for_title(&p.title).await;
        r.wait_for_comment_cards(p.quotes).await;
    });
}

// A prerendered post whose data file is corrupted stays readable: every card is there
// and the page is not replaced by an error.
#[test]
fn a_prerendered_post_with_a_corrupted_file_stays_readable() {
    let site = SiteCopy::of_dist("corrupt-post-landing");
    let p = &sample_posts()[0];
    let file = post_json(&site, p);
    std::fs::write(&file, b"{\"schema\": 1, \"summary\": [broken").unwrap();
    let server = StaticServer::start(&site.dir);
    with_browser(|b| async move {
        let r = Reader::new(&b, &server);
        r.open_prerendered(&format!("posts/{}/", p.path)).await;
        r.wait_for_title(&p.title).await;
        // Long enough for the app to have tried (and failed) to take over.
        tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
        assert_eq!(r.comment_cards().await.0, p.quotes);
        assert_eq!(r.h1s().await, vec![p.title.trim().to_string()]);
    });
}

// With data/site.json unreachable, going from a post to the list shows an error view with
// a retry button (not a blank page, not "page not found"); after restoring it, retry
// lists the posts.
#[test]
fn a_missing_site_json_shows_an_error_and_retry_recovers() {
    let site = SiteCopy::of_dist("missing-site-json");
    let file = site.dir.join("data/site.json");
    let good = std::fs::read(&file).expect("dist has data/site.json");
    std::fs::remove_file(&file).unwrap();
    let server = StaticServer::start(&site.dir);
    with_browser(|b| async move {
        let r = Reader::new(&b, &server);
        r.open(&format!("posts/{}/", sample_posts()[0].path)).await;
        r.click_link_to("posts/").await;
        let message = r.wait_for_error_with_retry().await;
        assert!(!message.is_empty(), "the error says what went wrong");
        b.screenshot("sample-error-site-json-desktop").await;
        std::fs::write(&file, &good).unwrap();
        r.click_retry().await;
        let shown = r.post_cards().await;
        assert!(!shown.is_empty());
    });
}

// A site.json written by a newer version of matome (redeployed mid-visit) is not read as
// if it were ours: the reader is told a new version is there, with 再読み込み; after the
// reload the page works.
#[test]
fn a_newer_bundle_mid_visit_offers_a_reload() {
    let site = SiteCopy::of_dist("newer-schema");
    let file = site.dir.join("data/site.json");
    let good = std::fs::read_to_string(&file).expect("dist has data/site.json");
    let prefix = format!("{{\"schema\":{},", matome_model::SCHEMA_VERSION);
    assert!(
        good.starts_with(&prefix),
        "site.json starts with its schema: {}",
        &good[..40.min(good.len())]
    );
    std::fs::write(&file, good.replacen(&prefix, "{\"schema\":999,", 1)).unwrap();
    let server = StaticServer::start(&site.dir);
    with_browser(|b| async move {
        let r = Reader::new(&b, &server);
        r.open(&format!("posts/{}/", sample_posts()[0].path)).await;
        r.click_link_to("posts/").await;
        let message = b
            .wait_js(
                "the new-version notice",
                "const e = document.querySelector('.error-view[data-error=update]'); return e && e.innerText;",
            )
            .await;
        let message = message.as_str().unwrap_or_default().to_string();
        assert!(
            message.contains("新しい版があります") && message.contains("999"),
            "{message}"
        );
        std::fs::write(&file, &good).unwrap();
        r.click_button("再読み込み").await;
        r.wait_live().await;
        assert_eq!(r.current_route().await, "posts/");
        assert!(!r.post_cards().await.is_empty());
    });
}

// A host answering 500 for the list data, and a list shard missing from the deployment,
// each show a clear error with a retry (not a blank page, not "page not found"); once
// the host is healthy again, retry shows the list.
#[test]
fn a_failing_host_and_a_missing_shard_show_errors_with_retry() {
    let site = SiteCopy::of_dist("failing-host");
    let server = StaticServer::start(&site.dir);
    let post = &sample_posts()[0];
    with_browser(|b| async move {
        let r = Reader::new(&b, &server);
        r.open(&format!("posts/{}/", post.path)).await;
        server.fail("/data/", 500);
        r.click_link_to("posts/").await;
        let message = r.wait_for_error_with_retry().await;
        assert!(
            message.contains("500"),
            "the error names the status: {message}"
        );
        server.heal();
        r.click_retry().await;
        assert!(!r.post_cards().await.is_empty());
        // The tag data named by the bundle, missing from the host.
        server.fail("/data/tags", 404);
        r.open(&format!("posts/{}/", post.path)).await;
        r.click_link_to(&r.chips("tags").await[0].route).await;
        let message = r.wait_for_error_with_retry().await;
        assert!(
            message.contains("404"),
            "a broken deployment, not a missing page: {message}"
        );
        server.heal();
        r.click_retry().await;
        assert!(!r.post_cards().await.is_empty());
    });
}
