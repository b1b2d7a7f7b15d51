//! A Hugo site's configuration, read and merged the way Hugo does, and mapped onto the
//! keys of `build.json` (`matome init --from-hugo`).
//!
//! Steps: `load` (root `hugo.toml`/`config.toml` and `config/_default/*.toml`, merged)
//! → `Site::language` (the default language's table overrides the root) → `map` (each
//! build.json key from its Hugo setting, with what was used and what was not).
//!
//! One file per step: `config` (reading and merging), `map` (build.json keys and the
//! report) and `services` (analytics and author).

mod config;
mod map;
mod services;

pub use config::load;
pub use map::map;
