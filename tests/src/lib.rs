//! End-to-end test harness for the built site: a plain static file server, headless
//! Chromium through chromedriver, page objects for the app's stable hooks (see
//! DESIGN.md "Stable hooks for tests") and the expected values read from the sources.

pub mod chromedriver;
pub mod content;
pub mod dev_server;
pub mod driver;
pub mod http;
pub mod pages;
pub mod server;
pub mod site;

pub use driver::{with_browser, with_browser_options, Browser, Options};
pub use http::{http_get, try_http_get};
pub use server::StaticServer;
pub use site::{dist_dir, repo_root, scratch_dir, target_dir};
