//! Writing the bundle: compact JSON files under `data/`, into a staging folder that is
//! swapped in for the output folder only when everything was written. A rebuild writes
//! only the files whose bytes changed ([`write_changed`]); [`Staging::commit_changed`]
//! then leaves the output alone when nothing changed, and otherwise swaps in the spare
//! bundle brought up to date ([`crate::swap`]).

use std::io;
use std::path::{Path, PathBuf};

use matome_model::paths;
use rayon::prelude::*;
use serde::Serialize;

use crate::site::{Linked, List};
use crate::swap;

/// An output file or folder that could not be written.
#[derive(Debug, thiserror::Error)]
#[error("{}: {source}", path.display())]
pub struct WriteError {
    /// The file or folder.
    pub path: PathBuf,
    /// The cause.
    pub source: io::Error,
}

fn io_err(path: &Path) -> impl FnOnce(io::Error) -> WriteError + '_ {
    move |source| WriteError {
        path: path.to_path_buf(),
        source,
    }
}

/// One file of the bundle, serialised when it is written.
enum Item<'a> {
    Site(&'a matome_model::Site),
    Tags(&'a matome_model::TagIndex),
    List(&'a List),
    /// The search index's post table.
    SearchTable,
    /// Key shard `n` of the search index.
    SearchShard(usize),
    /// Index into [`Linked::posts`].
    Post(usize),
}

/// The bundle as the site step reads it, handed over in memory by the build that wrote
/// it: the decoded site, tag index and lists, and the SHA-256 of every JSON file's bytes
/// (what a page rendered from it depends on), so that nothing the compiler just wrote
/// is read, decoded or hashed again. Post files are read when their page is rendered.
#[derive(Clone, Debug)]
pub struct Compiled {
    /// `data/site.json`.
    pub site: matome_model::Site,
    /// The tag index.
    pub tags: matome_model::TagIndex,
    /// List pages of all posts, page 1 first.
    pub pages: Vec<matome_model::ListPage>,
    /// Each tag's list, in the tag index's order.
    pub tag_lists: Vec<matome_model::ListPage>,
    /// Each month's list, in `site.months` order.
    pub month_lists: Vec<matome_model::ListPage>,
    /// SHA-256 of each JSON file of the bundle, by its name below the output folder.
    pub digests: std::collections::HashMap<String, crate::hash::Sha256>,
}

impl Compiled {
    fn new(
        linked: &Linked,
        digests: std::collections::HashMap<String, crate::hash::Sha256>,
    ) -> Self {
        let owned = |l: &List| matome_model::ListPage {
            title: l.title.clone(),
            page: l.page,
            page_count: l.page_count,
            total: l.total,
            posts: l
                .posts
                .iter()
                .map(|&i| linked.posts[i].summary.clone())
                .collect(),
        };
        Compiled {
            site: linked.site.clone(),
            tags: linked.tag_index.clone(),
            pages: linked.pages.iter().map(owned).collect(),
            tag_lists: linked.tags.iter().map(owned).collect(),
            month_lists: linked.months.iter().map(owned).collect(),
            digests,
        }
    }
}

/// Writes every file of the bundle below `root` (the staging folder).
pub fn write_bundle(linked: &Linked, root: &Path) -> Result<(), WriteError> {
    write_items(linked, root, None).map(drop)
}

/// Writes below `root` (the staging folder) the files of the bundle whose bytes differ
/// from those of the same name in `previous` (the output folder); returns the names
/// of the others, unchanged, for [`Staging::commit_changed`], and the bundle for the
/// site step.
pub fn write_changed(
    linked: &Linked,
    root: &Path,
    previous: &Path,
) -> Result<(Vec<String>, Compiled), WriteError> {
    let written = write_items(linked, root, Some(previous))?;
    let mut kept = Vec::new();
    let mut digests = std::collections::HashMap::with_capacity(written.len());
    for (name, digest, same) in written {
        if same {
            kept.push(name.clone());
        }
        if let Some(d) = digest {
            digests.insert(name, d);
        }
    }
    Ok((kept, Compiled::new(linked, digests)))
}

/// Each file written or kept: its name, the SHA-256 of its bytes (JSON files only) and
/// whether the file in `previous` already had them.
fn write_items(
    linked: &Linked,
    root: &Path,
    previous: Option<&Path>,
) -> Result<Vec<(String, Option<crate::hash::Sha256>, bool)>, WriteError> {
    let mut items: Vec<(String, Item<'_>)> = vec![
        (paths::SITE_JSON.to_string(), Item::Site(&linked.site)),
        (paths::TAGS_JSON.to_string(), Item::Tags(&linked.tag_index)),
    ];
    items.extend(
        linked
            .site
            .pages
            .iter()
            .cloned()
            .zip(linked.pages.iter().map(Item::List)),
    );
    items.extend(
        linked
            .tag_index
            .tags
            .iter()
            .map(|t| t.file.clone())
            .zip(linked.tags.iter().map(Item::List)),
    );
    items.extend(
        linked
            .site
            .months
            .iter()
            .map(|m| m.file.clone())
            .zip(linked.months.iter().map(Item::List)),
    );
    if !linked.index.shards.is_empty() {
        items.push((linked.site.search.table.clone(), Item::SearchTable));
        items.extend(
            linked
                .site
                .search
                .shards
                .iter()
                .cloned()
                .zip((0..linked.index.shards.len()).map(Item::SearchShard)),
        );
    }
    items.extend(
        linked
            .posts
            .iter()
            .enumerate()
            .map(|(i, p)| (paths::post_json(&p.summary.path), Item::Post(i))),
    );

    // Folders first, once each, so the parallel writes only create files.
    let mut dirs: Vec<&str> = items
        .iter()
        .filter_map(|(name, _)| name.rsplit_once('/').map(|(d, _)| d))
        .collect();
    dirs.sort_unstable();
    dirs.dedup();
    for dir in dirs {
        let dir = root.join(dir);
        std::fs::create_dir_all(&dir).map_err(io_err(&dir))?;
    }
    items
        .into_par_iter()
        .map(|(name, item)| {
            let path = root.join(&name);
            let bytes = match item {
                Item::Site(v) => json(v),
                Item::Tags(v) => json(v),
                Item::List(v) => json(&linked.list_out(v)),
                Item::SearchTable => linked.index.table.to_text().into_bytes(),
                Item::SearchShard(n) => linked.index.shards[n].to_text().into_bytes(),
                Item::Post(i) => json(&linked.post_out(i)),
            };
            let digest = match item {
                Item::SearchTable | Item::SearchShard(_) => None,
                _ => Some(crate::hash::sha256(&bytes)),
            };
            if let Some(prev) = previous.map(|p| p.join(&name)) {
                let same = std::fs::metadata(&prev).is_ok_and(|m| m.len() == bytes.len() as u64)
                    && std::fs::read(&prev).is_ok_and(|b| b == bytes);
                if same {
                    return Ok((name, digest, true));
                }
            }
            std::fs::write(&path, bytes).map_err(io_err(&path))?;
            Ok((name, digest, false))
        })
        .collect()
}

/// Compact JSON.
fn json<T: Serialize>(value: &T) -> Vec<u8> {
    serde_json::to_vec(value).expect("bundle types always serialise")
}

/// A staging folder beside the output folder; [`Staging::commit`] swaps it in, dropping
/// it uncommitted removes it and leaves the previous output as it was.
#[derive(Debug)]
pub struct Staging {
    dir: PathBuf,
    output: PathBuf,
    committed: bool,
}

impl Staging {
    /// Creates an empty staging folder next to `output` (same file system, so the swap is
    /// a rename).
    pub fn create(output: &Path) -> Result<Staging, WriteError> {
        // An earlier build's old output is gone before a new one starts.
        wait_for_removals();
        let (parent, name) = split(output);
        std::fs::create_dir_all(&parent).map_err(io_err(&parent))?;
        remove_stale(&parent, &name);
        let dir = parent.join(format!(".{name}.new-{}", std::process::id()));
        if dir.exists() {
            std::fs::remove_dir_all(&dir).map_err(io_err(&dir))?;
        }
        std::fs::create_dir(&dir).map_err(io_err(&dir))?;
        Ok(Staging {
            dir,
            output: output.to_path_buf(),
            committed: false,
        })
    }

    /// The folder to write into.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Replaces the output folder with the staging folder: old output renamed aside, new
    /// one renamed in, old one removed. If the second rename fails the old one is put back.
    pub fn commit(mut self) -> Result<(), WriteError> {
        let (parent, name) = split(&self.output);
        let old = parent.join(format!(".{name}.old-{}", std::process::id()));
        let had_old = self.output.exists();
        if had_old {
            if old.exists() {
                std::fs::remove_dir_all(&old).map_err(io_err(&old))?;
            }
            std::fs::rename(&self.output, &old).map_err(io_err(&self.output))?;
        }
        if let Err(e) = std::fs::rename(&self.dir, &self.output) {
            if had_old {
                let _ = std::fs::rename(&old, &self.output);
            }
            return Err(WriteError {
                path: self.output.clone(),
                source: e,
            });
        }
        self.committed = true;
        if had_old {
            // The new output is in place; a leftover old copy is only disk space. It is
            // removed while the caller goes on (`matome publish` writes the site
            // meanwhile); [`wait_for_removals`] waits for that, and a copy left by a
            // process that did not wait is removed by the next build.
            remove_in_background(move || {
                let _ = std::fs::remove_dir_all(&old);
            });
        }
        Ok(())
    }
}

impl Staging {
    /// Makes the output what the staging folder holds plus the files `kept` from the
    /// output ([`write_changed`]): nothing is touched when that is what the output
    /// already holds. Otherwise `spare` (a folder on the output's file system, kept
    /// between builds) is brought up to date and swapped in, the output becoming the
    /// spare; without one, or where that fails, the kept files are linked into the
    /// staging folder and it is swapped in as by [`Staging::commit`].
    pub fn commit_changed(
        mut self,
        kept: &[String],
        spare: Option<&Path>,
    ) -> Result<(), WriteError> {
        if kept.is_empty() {
            return self.commit();
        }
        let staged = swap::list(&self.dir).map_err(io_err(&self.dir))?;
        let current = swap::list(&self.output).map_err(io_err(&self.output))?;
        let staged_set: std::collections::HashSet<&str> =
            staged.iter().map(String::as_str).collect();
        let files: std::collections::HashSet<String> =
            kept.iter().chain(&staged).cloned().collect();
        let unchanged = current.len() == files.len()
            && current.iter().all(|f| files.contains(f))
            && staged
                .par_iter()
                .all(|f| swap::same_content(&self.dir.join(f), &self.output.join(f)));
        if unchanged {
            // Dropped uncommitted: the staging folder goes, the output stays as it is.
            return Ok(());
        }
        if let Some(spare) = spare {
            let from = |f: &str| {
                if staged_set.contains(f) {
                    self.dir.join(f)
                } else {
                    self.output.join(f)
                }
            };
            if swap::swap_in_spare(spare, &self.output, &files, from).is_ok() {
                // The output is the new bundle, the spare the previous one; the staging
                // folder holds only what changed and goes in the background.
                self.committed = true;
                let dir = self.dir.clone();
                remove_in_background(move || {
                    let _ = std::fs::remove_dir_all(&dir);
                });
                return Ok(());
            }
        }
        kept.par_iter().try_for_each(|f| {
            let dest = self.dir.join(f);
            if let Some(dir) = dest.parent() {
                std::fs::create_dir_all(dir).map_err(io_err(dir))?;
            }
            std::fs::hard_link(self.output.join(f), &dest)
                .or_else(|_| std::fs::copy(self.output.join(f), &dest).map(drop))
                .map_err(io_err(&dest))
        })?;
        self.commit()
    }
}

/// Runs `remove` on a thread of its own; [`wait_for_removals`] waits for it.
fn remove_in_background(remove: impl FnOnce() + Send + 'static) {
    REMOVALS
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .push(std::thread::spawn(remove));
}

/// Removals of replaced outputs still running ([`Staging::commit`]).
static REMOVALS: std::sync::Mutex<Vec<std::thread::JoinHandle<()>>> =
    std::sync::Mutex::new(Vec::new());

/// Waits until the previous outputs replaced by [`Staging::commit`] are removed.
pub fn wait_for_removals() {
    let handles = std::mem::take(
        &mut *REMOVALS
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner),
    );
    for h in handles {
        let _ = h.join();
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}

/// Removes staging and old-output folders left by builds that were killed (their process
/// is gone). Only where `/proc` tells which processes live; elsewhere they stay.
fn remove_stale(parent: &Path, name: &str) {
    if !Path::new("/proc/self").exists() {
        return;
    }
    let Ok(entries) = std::fs::read_dir(parent) else {
        return;
    };
    for entry in entries.flatten() {
        let file = entry.file_name();
        let file = file.to_string_lossy();
        let Some(rest) = file.strip_prefix('.').and_then(|f| f.strip_prefix(name)) else {
            continue;
        };
        let Some(pid) = rest
            .strip_prefix(".new-")
            .or_else(|| rest.strip_prefix(".old-"))
        else {
            continue;
        };
        if pid.parse::<u32>().is_ok() && !Path::new("/proc").join(pid).exists() {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

/// `a/b/out` → (`a/b`, `out`); a bare name gets `.` as parent.
fn split(output: &Path) -> (PathBuf, String) {
    let name = output
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "out".into());
    let parent = match output.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    (parent, name)
}
