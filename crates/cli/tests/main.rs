//! The cli crate's integration tests, one test binary (one link, one set of
//! monomorphised dependencies instead of one per file). Each file is a module.

mod common;

mod cli;
mod config;
mod failed_builds;
mod incremental;
mod init;
mod serve;
