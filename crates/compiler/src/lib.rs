//! The matome content compiler.

pub mod inline;
pub mod markdown;
