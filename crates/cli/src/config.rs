//! `matome config KEY`: one value of the configuration as the other commands read it
//! (build.json parsed once, by `matome_compiler::Config`), for the Makefile and scripts.

use std::path::Path;
use std::process::ExitCode;

use matome_compiler::Config;

use crate::compile::load_config;
use crate::{ConfigArgs, ConfigKey};

pub(crate) fn run(args: &ConfigArgs) -> ExitCode {
    let ConfigKey::BasePath { config } = &args.key;
    // --config FILE, else build.json when it exists, else the defaults.
    let config = match config {
        Some(file) => load_config(file),
        None if Path::new("build.json").exists() => load_config(Path::new("build.json")),
        None => Ok(Config::new("content/posts", "target/bundle")),
    };
    match config {
        Ok(config) => {
            println!("{}", config.base_path);
            ExitCode::SUCCESS
        }
        Err(code) => code,
    }
}
