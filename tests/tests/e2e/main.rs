//! End-to-end tests of the release build (`dist/`, from `make dist`) in headless
//! Chromium, served by a plain static file server (no SPA rewrites). One test binary so
//! all tests share one chromedriver; each test has a tab of its own in a browser kept
//! between tests (starting Chromium costs more CPU than most tests), and a server of
//! its own on its own loopback address, so no origin is shared (`with_browser`).
//!
//! Run with `make test-e2e`, or after `make dist dist-sub`: `cargo test -p matome-e2e`
//! (tests run in parallel: each has its own server, tab and scratch folders).
//! Screenshots land in `target/e2e-screenshots/`.

mod author;
mod corpus;
mod errors;
mod harness;
mod hostile;
mod migration;
mod mobile;
mod navigation;
mod offline;
mod prerender;
mod reading;
mod reading_features;
mod reproducible;
mod scenarios;
mod search;
mod security;
mod serve;
mod subpath;

use std::sync::OnceLock;

use matome_e2e::content::{load_posts, SourcePost};
use matome_e2e::site::sample_posts_dir;

/// The published sample posts, newest first, read from `content/posts`.
pub fn sample_posts() -> &'static [SourcePost] {
    static POSTS: OnceLock<Vec<SourcePost>> = OnceLock::new();
    POSTS.get_or_init(|| load_posts(&sample_posts_dir()))
}
