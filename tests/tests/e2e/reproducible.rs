//! The release build is a function of its inputs: `make dist` and `make dist-sub`
//! (whatever their caches held) write the same bytes as a publish with empty caches,
//! and a publish that finds its caches full writes the same bytes as one that built
//! them. (No browser: the files themselves are compared.)

use std::collections::BTreeMap;
use std::path::Path;

use matome_e2e::dist_dir;
use matome_e2e::site::{publish_variant, repo_root, scratch_dir};

/// Every file below `root` by relative path, with its bytes.
fn files(root: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let rel = path
                    .strip_prefix(root)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned();
                out.insert(rel, std::fs::read(&path).unwrap());
            }
        }
    }
    out
}

/// The differences between two sites, for a failure message.
fn differences(a: &BTreeMap<String, Vec<u8>>, b: &BTreeMap<String, Vec<u8>>) -> Vec<String> {
    let mut diff: Vec<String> = a
        .keys()
        .chain(b.keys())
        .filter(|k| a.get(*k) != b.get(*k))
        .map(|k| match (a.contains_key(k), b.contains_key(k)) {
            (true, true) => format!("{k}: differs"),
            (true, false) => format!("{k}: only in the first"),
            _ => format!("{k}: only in the second"),
        })
        .collect();
    diff.dedup();
    diff
}

/// The sample posts published with `make app`'s app for `base_path`, with the caches in
/// `cache` (a scratch folder of its own each time).
fn publish(cache: &Path, base_path: &str) -> std::path::PathBuf {
    let cache = cache.to_string_lossy();
    publish_variant(
        "reproducible",
        serde_json::json!({ "cache": cache, "base_path": base_path }),
        None,
    )
}

#[test]
fn dist_and_dist_sub_equal_a_publish_with_cold_caches_and_warm_caches_change_nothing() {
    for (base_path, built) in [
        ("/", dist_dir()),
        ("/sub/path/", repo_root().join("dist-sub")),
    ] {
        let work = scratch_dir("reproducible");
        let cache = work.join("cache");
        let cold = files(&publish(&cache, base_path));
        assert!(
            cold.contains_key("index.html") && cold.len() > 100,
            "{}",
            cold.len()
        );
        let made = files(&built);
        let diff = differences(&made, &cold);
        assert!(
            diff.is_empty(),
            "{} differs from a publish with cold caches: {diff:?}",
            built.display()
        );
        // Again with the caches that run filled (compressed copies, rendered pages, the
        // spare site, parsed posts, thumbnails): the same bytes.
        let warm = files(&publish(&cache, base_path));
        let diff = differences(&warm, &cold);
        assert!(diff.is_empty(), "warm caches changed the site: {diff:?}");
    }
}
