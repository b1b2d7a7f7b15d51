//! `build.json`: the one configuration type lives in the model
//! ([`matome_model::config`]), so the compiler, the deployment step and the command line
//! share one parse; re-exported here under its old path.

pub use matome_model::config::*;
pub use matome_model::Precompress;
