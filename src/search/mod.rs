//! Full-text search, split in two so its code is not part of the page's first load:
//! the page ([`crate::pages::search`]) shows the form and the results, and a Web
//! Worker (`search-worker`, its own small wasm, [`engine`]) reads the index, finds and
//! confirms the posts and cuts the snippets. The worker starts when the search page
//! opens (or the header's search link is pointed at); typing never waits for it.
//!
//! Measured when this split was made (release build, gzip): the app's wasm went from
//! 237.7 KB to 220.8 KB, and the first load (home page, CSS, JS, wasm) from 257.4 KB
//! to 241.0 KB, under its 250 KB budget; the worker is 4.8 KB of JS and 99 KB of wasm.

pub mod client;
pub mod engine;
pub mod files;
pub mod protocol;
pub mod rehearsal;
