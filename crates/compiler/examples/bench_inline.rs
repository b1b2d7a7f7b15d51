//! Times `parse_body` alone over every `matomeQuote` body under a folder (single thread).
//!
//! ```text
//! cargo run --profile native -p matome-compiler --example bench_inline -- DIR
//! ```

use std::path::{Path, PathBuf};
use std::time::Instant;
use std::{env, fs};

use matome_compiler::inline::parse_body;

fn main() {
    let dir = env::args().nth(1).expect("usage: bench_inline DIR");
    let mut files = Vec::new();
    collect(Path::new(&dir), &mut files);
    let sources: Vec<String> = files
        .iter()
        .map(|f| fs::read_to_string(f).expect("readable post"))
        .collect();
    let bodies: Vec<&str> = sources
        .iter()
        .flat_map(|s| {
            s.split("{{<matomeQuote body=\"")
                .skip(1)
                .map(|rest| &rest[..rest.find('"').unwrap_or(0)])
        })
        .collect();
    let bytes: usize = bodies.iter().map(|b| b.len()).sum();
    let start = Instant::now();
    let mut nodes = 0usize;
    for body in &bodies {
        nodes += parse_body(body).len();
    }
    let secs = start.elapsed().as_secs_f64();
    println!(
        "parse_body: {} bodies, {:.1} MB, {nodes} top-level nodes in {:.0} ms: {:.0} MB/s on one thread",
        bodies.len(),
        bytes as f64 / 1e6,
        secs * 1e3,
        bytes as f64 / 1e6 / secs
    );
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).expect("readable folder") {
        let path = entry.expect("folder entry").path();
        if path.is_dir() {
            collect(&path, out);
        } else if path.file_name().is_some_and(|n| n == "index.md") {
            out.push(path);
        }
    }
}
