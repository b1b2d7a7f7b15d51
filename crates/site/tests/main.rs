//! The site crate's integration tests, one test binary (one link, one set of
//! monomorphised dependencies instead of one per file). Each file is a module.

mod common;

mod deploy;
mod images;
mod publish;
