//! A broken or missing bundle file shows an error with a retry, never a blank page, and
//! retry recovers once the file is back. A prerendered page whose data is broken stays
//! as it was written: readable, its links plain links.

use matome_e2e::content::SourcePost;
use matome_model::paths;
use matome_e2e::pages::Reader;
use matome_e2e::site::SiteCopy;
use matome_e2e::{with_browser, StaticServer};

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

// A site.json written for another schema version is refused with a message that names
// the versions and a retry (not rendered as if it were ours); after the redeploy, retry
// lists the posts.
#[test]
fn a_bundle_of_another_schema_version_shows_an_error_and_retry_recovers() {
    let site = SiteCopy::of_dist("other-schema");
    let file = site.dir.join("data/site.json");
    let good = std::fs::read_to_string(&file).expect("dist has data/site.json");
    let prefix = format!("{{\"schema\":{},", matome_model::SCHEMA_VERSION);
    assert!(good.starts_with(&prefix), "site.json starts with its schema: {}", &good[..40.min(good.len())]);
    std::fs::write(&file, good.replacen(&prefix, "{\"schema\":999,", 1)).unwrap();
    let server = StaticServer::start(&site.dir);
    with_browser(|b| async move {
        let r = Reader::new(&b, &server);
        r.open(&format!("posts/{}/", sample_posts()[0].path)).await;
        r.click_link_to("posts/").await;
        let message = r.wait_for_error_with_retry().await;
        assert!(message.contains("999"), "the error names the bundle's schema: {message}");
        std::fs::write(&file, &good).unwrap();
        r.click_retry().await;
        let shown = r.post_cards().await;
        assert!(!shown.is_empty());
    });
}
