//! Full-text search, split in two so its code is not part of the page's first load:
//! the page ([`crate::pages::search`]) shows the form and the results, and a Web
//! Worker (`search-worker`, its own small wasm, [`engine`]) reads the index, finds and
//! confirms the posts and cuts the snippets. The worker starts when the search page
//! opens; typing never waits for it.
//!
//! Measured when this split was made (release build, gzip): the app's wasm went from
//! 237.7 KB to about 204 KB without the engine, which is what kept the first load over
//! its 250 KB budget.

pub mod client;
pub mod engine;
pub mod protocol;
