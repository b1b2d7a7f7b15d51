//! The folder swap shared by the bundle and the site (`matome_compiler::swap`): a spare
//! brought up to date with hard links, exchanged with the output in one step, and an
//! output left alone when that fails.
#![cfg(target_os = "linux")]

use std::collections::HashSet;

use matome_compiler::swap::{fill, list, same_content, same_file, swap_in_spare};

use crate::common::Scratch;

fn names(files: &[&str]) -> HashSet<String> {
    files.iter().map(|f| f.to_string()).collect()
}

// A spare holding another tree (a stale file, a folder where a file goes, a file of
// the right name with other bytes, one already linked) ends up holding exactly the
// files asked for, each the very file of the source.
#[test]
fn fill_makes_the_spare_exactly_the_files_as_hard_links() {
    let s = Scratch::new("fill");
    let src = s.path().join("src");
    s.write("src/a.json", "a");
    s.write("src/d/b.json", "b");
    s.write("src/c", "c");
    s.write("spare/stale.json", "old");
    s.write("spare/c/inner.json", "a folder where the file c goes");
    s.write("spare/d/b.json", "other bytes");
    let spare = s.path().join("spare");
    std::fs::hard_link(src.join("a.json"), spare.join("a.json")).unwrap();

    let files = names(&["a.json", "d/b.json", "c"]);
    fill(&spare, &files, |f| src.join(f)).unwrap();

    let mut got = list(&spare).unwrap();
    got.sort();
    assert_eq!(got, ["a.json", "c", "d/b.json"]);
    for f in &files {
        assert!(
            same_file(&src.join(f), &spare.join(f)),
            "{f} is a hard link"
        );
    }
}

// The spare is swapped in whole: the output then holds the new tree, the spare the
// previous output (for the next build), with the output's mode.
#[test]
fn swap_in_spare_exchanges_the_output_and_the_spare() {
    use std::os::unix::fs::PermissionsExt;
    let s = Scratch::new("swap");
    let (out, spare, stage) = (
        s.path().join("out"),
        s.path().join("spare"),
        s.path().join("stage"),
    );
    s.write("out/kept.json", "kept");
    s.write("out/gone.json", "gone");
    s.write("stage/new.json", "new");
    std::fs::set_permissions(&out, std::fs::Permissions::from_mode(0o750)).unwrap();
    let files = names(&["kept.json", "new.json"]);
    let from = |f: &str| {
        if f == "new.json" {
            stage.join(f)
        } else {
            out.join(f)
        }
    };
    swap_in_spare(&spare, &out, &files, from).unwrap();

    let mut got = list(&out).unwrap();
    got.sort();
    assert_eq!(got, ["kept.json", "new.json"]);
    assert!(same_file(&out.join("new.json"), &stage.join("new.json")));
    assert!(same_file(&out.join("kept.json"), &spare.join("kept.json")));
    assert_eq!(
        std::fs::read_to_string(spare.join("gone.json")).unwrap(),
        "gone"
    );
    let mode = std::fs::metadata(&out).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o750);
}

// A spare that cannot be filled (a source file missing) leaves the output as it was.
#[test]
fn a_failed_fill_leaves_the_output_alone() {
    let s = Scratch::new("fail");
    let (out, spare) = (s.path().join("out"), s.path().join("spare"));
    s.write("out/a.json", "a");
    let files = names(&["a.json", "missing.json"]);
    assert!(swap_in_spare(&spare, &out, &files, |f| out.join(f)).is_err());
    assert_eq!(list(&out).unwrap(), ["a.json"]);
    assert_eq!(std::fs::read_to_string(out.join("a.json")).unwrap(), "a");
}

// Equal bytes in two files, or one file under two names, are the same content.
#[test]
fn same_content_by_inode_or_bytes() {
    let s = Scratch::new("content");
    let a = s.write("a", "x");
    let b = s.write("b", "x");
    let c = s.write("c", "y");
    std::fs::hard_link(&a, s.path().join("a2")).unwrap();
    assert!(same_content(&a, &b) && same_content(&a, &s.path().join("a2")));
    assert!(!same_content(&a, &c) && !same_content(&a, &s.path().join("none")));
    assert!(same_file(&a, &s.path().join("a2")) && !same_file(&a, &b));
}
