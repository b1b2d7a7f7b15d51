//! The compiler crate's integration tests, one test binary (one link, one set of
//! monomorphised dependencies instead of one per file). Each file is a module.

mod common;

mod bundle;
mod corpus;
mod errors;
mod hostile;
mod inline;
mod kept_posts;
mod limits;
mod packed;
mod passes;
mod robustness;
mod search;
mod site;
mod swap;
mod thumbnails;
