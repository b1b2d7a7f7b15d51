//! Atomic output: a failed build leaves the previous bundle exactly as it was.

use crate::common;

use std::collections::BTreeMap;
use std::path::Path;

use common::{post, snapshot, Scratch};
use matome_compiler::{compile, Mode};

// A build with one bad post writes nothing: the previous output is intact, no temp dir left.
#[test]
fn failed_build_leaves_previous_output_intact() {
    let s = Scratch::new("atomic");
    s.write(
        "content/2025_01/a/index.md",
        post("A", "2025-01-01T00:00:00", &["x"], 2),
    );
    let report = compile(&s.config(), Mode::Build, None).unwrap();
    assert!(report.errors.is_empty());
    let out = s.path().join("out");
    let before = snapshot(&out);
    assert!(before.contains_key("data/site.json"));

    s.write(
        "content/2025_01/b/index.md",
        post("B", "2025-01-02T00:00:00", &[], 1),
    );
    s.write(
        "content/2025_01/c/index.md",
        "+++\ntitle = 'c'\ndate = '2025-01-03'\n+++\n{{<matomeQoute>}}\n",
    );
    let report = compile(&s.config(), Mode::Build, None).unwrap();
    assert_eq!(report.errors.len(), 1);
    assert_eq!(snapshot(&out), before);
    let leftovers: Vec<_> = std::fs::read_dir(s.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert!(
        leftovers
            .iter()
            .all(|n| !n.to_string_lossy().starts_with(".out")),
        "{leftovers:?}"
    );

    // Once fixed, the new output replaces the old one as a whole.
    std::fs::remove_file(s.path().join("content/2025_01/c/index.md")).unwrap();
    let report = compile(&s.config(), Mode::Build, None).unwrap();
    assert_eq!(report.posts, 2);
    assert!(out.join("data/posts/2025_01/b.json").exists());
}

// A successful rebuild removes files of posts that are gone (the folder is replaced).
#[test]
fn rebuild_drops_files_of_removed_posts() {
    let s = Scratch::new("rebuild");
    s.write(
        "content/2025_01/a/index.md",
        post("A", "2025-01-01T00:00:00", &[], 1),
    );
    s.write(
        "content/2025_01/b/index.md",
        post("B", "2025-01-02T00:00:00", &[], 1),
    );
    compile(&s.config(), Mode::Build, None).unwrap();
    std::fs::remove_dir_all(s.path().join("content/2025_01/b")).unwrap();
    compile(&s.config(), Mode::Build, None).unwrap();
    let files = snapshot(&s.path().join("out"));
    assert!(files.contains_key("data/posts/2025_01/a.json"));
    assert!(!files.contains_key("data/posts/2025_01/b.json"));
}

// Staging folders left by a killed build are cleaned up by the next one.
#[cfg(target_os = "linux")]
#[test]
fn removes_staging_left_by_a_killed_build() {
    let s = Scratch::new("stale");
    s.write(
        "content/2025_01/a/index.md",
        post("A", "2025-01-01T00:00:00", &[], 1),
    );
    // No process has this id on Linux (pid_max is at most 2^22).
    s.write(".out.new-4294967290/data/site.json", "{}");
    compile(&s.config(), Mode::Build, None).unwrap();
    assert!(!s.path().join(".out.new-4294967290").exists());
    assert!(s.path().join("out/data/site.json").exists());
}

/// Inode of every file below `root`.
#[cfg(unix)]
fn inodes(root: &Path) -> BTreeMap<String, u64> {
    use std::os::unix::fs::MetadataExt;
    snapshot(root)
        .into_keys()
        .map(|k| {
            let ino = std::fs::metadata(root.join(&k)).unwrap().ino();
            (k, ino)
        })
        .collect()
}

// A rebuild writes only the files whose bytes changed: with nothing changed every file
// is the one before; with one post changed its file is new, another post's is not, and
// the output is byte for byte that of a build from scratch.
#[cfg(unix)]
#[test]
fn rebuild_writes_only_changed_files() {
    let s = Scratch::new("changed-only");
    s.write(
        "content/2025_01/a/index.md",
        post("A", "2025-01-01T00:00:00", &["x"], 2),
    );
    s.write(
        "content/2025_02/b/index.md",
        post("B", "2025-02-01T00:00:00", &["y"], 3),
    );
    let out = s.path().join("out");
    compile(&s.config(), Mode::Build, None).unwrap();
    let first = inodes(&out);
    compile(&s.config(), Mode::Build, None).unwrap();
    assert_eq!(inodes(&out), first, "nothing changed, no file written");

    s.write(
        "content/2025_02/b/index.md",
        post("B", "2025-02-01T00:00:00", &["y"], 4),
    );
    compile(&s.config(), Mode::Build, None).unwrap();
    let second = inodes(&out);
    assert_ne!(
        second["data/posts/2025_02/b.json"],
        first["data/posts/2025_02/b.json"]
    );
    assert_eq!(second["data/tags/x.json"], first["data/tags/x.json"]);
    let warm = snapshot(&out);

    let cold = Scratch::new("changed-only-cold");
    for f in ["content/2025_01/a/index.md", "content/2025_02/b/index.md"] {
        cold.write(f, std::fs::read_to_string(s.path().join(f)).unwrap());
    }
    compile(&cold.config(), Mode::Build, None).unwrap();
    assert_eq!(warm, snapshot(&cold.path().join("out")));
}
