//! `matome build --stage-into DIR`: hard-links the finished bundle into another folder
//! (Trunk's staging folder), so scripts never have to work out where the output went.

use std::path::{Path, PathBuf};

/// Refuses a staging folder that is the output folder or inside it: the build replaces
/// the output as a whole, so the copy would be lost or copied into itself.
pub fn check_target(output: &Path, dir: &Path) -> Result<(), String> {
    let abs = |p: &Path| std::path::absolute(p).map(|p| normalise(&p));
    let (Ok(out), Ok(target)) = (abs(output), abs(dir)) else {
        return Err(format!(
            "cannot resolve {} or {}",
            output.display(),
            dir.display()
        ));
    };
    if target.starts_with(&out) {
        return Err(format!(
            "--stage-into {} is inside the output folder {}",
            dir.display(),
            output.display()
        ));
    }
    Ok(())
}

/// `a/./b/../c` → `a/c`, without touching the file system.
fn normalise(p: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}
