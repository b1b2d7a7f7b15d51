//! The matome content compiler.

pub mod inline;
