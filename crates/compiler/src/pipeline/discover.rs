//! Finding the posts under the content folder, and paths two posts would share.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::error::{ContentError, ErrorKind};
use crate::site::FEATURE_FILES;

use super::CompileError;

/// One post file, found by [`find_posts`].
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(super) struct PostFile {
    /// Post path, `2025_04/x`.
    pub(super) path: String,
    /// The markdown file, relative to the content folder.
    pub(super) file: PathBuf,
    /// `feature.*` beside a bundle's `index.md`, relative to the content folder.
    pub(super) feature: Option<PathBuf>,
}

/// Finds posts: `<dir>/index.md` (a page bundle: nothing below it is another post) and
/// other `*.md` files (`_index.md`, hidden files and folders excepted). Sorted by path.
pub(super) fn find_posts(content: &Path) -> Result<Vec<PostFile>, CompileError> {
    let err = |source| CompileError::Content {
        path: content.to_path_buf(),
        source,
    };
    let mut out = Vec::new();
    let mut stack = vec![PathBuf::new()];
    let mut first = true;
    while let Some(rel) = stack.pop() {
        let dir = content.join(&rel);
        let entries = match std::fs::read_dir(&dir) {
            Ok(e) => e,
            Err(e) if first => return Err(err(e)),
            Err(_) => continue,
        };
        first = false;
        let mut names: Vec<(String, bool)> = Vec::new();
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.starts_with('.') {
                continue;
            }
            let is_dir = entry
                .file_type()
                .map(|t| t.is_dir() || (t.is_symlink() && entry.path().is_dir()))
                .unwrap_or(false);
            names.push((name, is_dir));
        }
        let slash = |rel: &Path| rel.to_string_lossy().replace('\\', "/");
        if !rel.as_os_str().is_empty() && names.iter().any(|(n, d)| n == "index.md" && !d) {
            // Known here from the listing, so thumbnails cost no extra file-system calls.
            let feature = FEATURE_FILES
                .iter()
                .find(|f| names.iter().any(|(n, d)| n == *f && !d))
                .map(|f| rel.join(f));
            out.push(PostFile {
                path: slash(&rel),
                file: rel.join("index.md"),
                feature,
            });
            continue;
        }
        for (name, is_dir) in names {
            if is_dir {
                stack.push(rel.join(&name));
            } else if let Some(stem) = name.strip_suffix(".md") {
                if !name.starts_with('_') && name != "index.md" {
                    out.push(PostFile {
                        path: slash(&rel.join(stem)),
                        file: rel.join(&name),
                        feature: None,
                    });
                }
            }
        }
    }
    out.sort();
    Ok(out)
}

/// Two files whose post paths differ only in case would overwrite each other's output on
/// a case-insensitive file system (and are the same URL on many hosts).
pub(super) fn duplicate_paths(files: &[PostFile]) -> Vec<ContentError> {
    let mut seen: HashMap<String, &PostFile> = HashMap::new();
    let mut errors = Vec::new();
    for f in files {
        if let Some(other) = seen.insert(f.path.to_lowercase(), f) {
            errors.push(ContentError::whole_file(
                &f.file.display().to_string(),
                ErrorKind::DuplicatePath {
                    path: f.path.clone(),
                    other: other.file.display().to_string(),
                },
            ));
        }
    }
    errors
}
