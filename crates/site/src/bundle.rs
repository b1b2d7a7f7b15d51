//! The bundle the compiler wrote: read back from the site root ([`Bundle::load`]), or as
//! the build that wrote it in this process hands it over ([`Bundle::handed_over`]), with
//! nothing read back. Post files are read when their page is rendered.

use std::path::Path;

use matome_model::{paths, ListPage, MonthEntry, Post, Site, TagEntry, TagIndex};
use rayon::prelude::*;

use crate::io::read;
use crate::SiteError;

/// SHA-256 of a bundle file's bytes: what a page rendered from it depends on.
pub type Digest = matome_compiler::hash::Sha256;

/// The [`Digest`] of each file a [`Bundle`] was read from, in the same order.
#[derive(Clone, Debug, Default)]
pub struct Digests {
    /// `data/site.json`.
    pub site: Digest,
    /// The tag index.
    pub tags: Digest,
    /// [`Bundle::pages`].
    pub pages: Vec<Digest>,
    /// [`Bundle::tag_lists`].
    pub tag_lists: Vec<Digest>,
    /// [`Bundle::month_lists`].
    pub month_lists: Vec<Digest>,
    /// [`Bundle::posts`].
    pub posts: Vec<Digest>,
}

/// Reads and decodes a JSON file of the bundle, with the [`Digest`] of its bytes.
fn read_digested<T: serde::de::DeserializeOwned>(path: &Path) -> Result<(T, Digest), SiteError> {
    let bytes = read(path)?;
    let value = serde_json::from_slice(&bytes).map_err(|e| SiteError::Json {
        path: path.to_path_buf(),
        message: e.to_string(),
    })?;
    Ok((value, matome_compiler::hash::sha256(&bytes)))
}

/// A post's file, read (unless its digest was known) but not decoded.
#[derive(Clone, Debug)]
pub struct PostSource {
    /// The post's summary as the list pages have it (the compiler writes the same one
    /// into the post's file).
    pub summary: matome_model::PostSummary,
    path: std::path::PathBuf,
    bytes: Option<Vec<u8>>,
}

impl PostSource {
    /// The post, decoded (its file read now if it was not yet).
    pub fn post(&self) -> Result<Post, SiteError> {
        let read_now;
        let bytes = match &self.bytes {
            Some(b) => b,
            None => {
                read_now = read(&self.path)?;
                &read_now
            }
        };
        serde_json::from_slice(bytes).map_err(|e| SiteError::Json {
            path: self.path.clone(),
            message: e.to_string(),
        })
    }
}

fn split<T>(pairs: Vec<(T, Digest)>) -> (Vec<T>, Vec<Digest>) {
    pairs.into_iter().unzip()
}

/// Everything [`crate::publish`] renders from.
#[derive(Clone, Debug)]
pub struct Bundle {
    /// `data/site.json`.
    pub site: Site,
    /// The tag index named by the site.
    pub tags: TagIndex,
    /// List pages of all posts, page 1 first.
    pub pages: Vec<ListPage>,
    /// Each tag with its list.
    pub tag_lists: Vec<(TagEntry, ListPage)>,
    /// Each month with its list.
    pub month_lists: Vec<(MonthEntry, ListPage)>,
    /// Every published post, newest first (the order of the list pages).
    pub posts: Vec<PostSource>,
    /// What each of the above was read from.
    pub digests: Digests,
}

impl Bundle {
    /// Reads `data/site.json` and everything it names, then every post the list pages
    /// name.
    pub(crate) fn load(root: &Path) -> Result<Self, SiteError> {
        let (site, site_digest): (Site, _) = read_digested(&root.join(paths::SITE_JSON))?;
        let (tags, tags_digest): (TagIndex, _) = read_digested(&root.join(&site.tag_index))?;
        let (pages, page_digests) = split(
            site.pages
                .par_iter()
                .map(|f| read_digested(&root.join(f)))
                .collect::<Result<Vec<(ListPage, _)>, _>>()?,
        );
        let (tag_lists, tag_digests) = split(
            tags.tags
                .par_iter()
                .map(|t| {
                    let (list, d) = read_digested(&root.join(&t.file))?;
                    Ok(((t.clone(), list), d))
                })
                .collect::<Result<Vec<_>, SiteError>>()?,
        );
        let (month_lists, month_digests) = split(
            site.months
                .par_iter()
                .map(|m| {
                    let (list, d) = read_digested(&root.join(&m.file))?;
                    Ok(((m.clone(), list), d))
                })
                .collect::<Result<Vec<_>, SiteError>>()?,
        );
        let (posts, post_digests) = split(
            pages
                .iter()
                .flat_map(|p| &p.posts)
                .collect::<Vec<_>>()
                .par_iter()
                .map(|s| {
                    let path = root.join(paths::post_json(&s.path));
                    let bytes = read(&path)?;
                    let digest = matome_compiler::hash::sha256(&bytes);
                    let source = PostSource {
                        summary: (*s).clone(),
                        path,
                        bytes: Some(bytes),
                    };
                    Ok((source, digest))
                })
                .collect::<Result<Vec<_>, SiteError>>()?,
        );
        let digests = Digests {
            site: site_digest,
            tags: tags_digest,
            pages: page_digests,
            tag_lists: tag_digests,
            month_lists: month_digests,
            posts: post_digests,
        };
        Ok(Bundle {
            site,
            tags,
            pages,
            tag_lists,
            month_lists,
            posts,
            digests,
        })
    }

    /// The bundle in `root` as the build that wrote it hands it over: nothing is read
    /// back (post files are read when their page is rendered). A file `compiled` has
    /// no digest for is an error of this program, reported as a damaged bundle.
    pub(crate) fn handed_over(
        root: &Path,
        compiled: matome_compiler::bundle::Compiled,
    ) -> Result<Self, SiteError> {
        let matome_compiler::bundle::Compiled {
            site,
            tags,
            pages,
            tag_lists,
            month_lists,
            digests: files,
        } = compiled;
        let digest = |name: &str| {
            files.get(name).copied().ok_or_else(|| SiteError::Json {
                path: root.join(name),
                message: "not among the files the build wrote".into(),
            })
        };
        let all = |names: &mut dyn Iterator<Item = &String>| {
            names.map(|f| digest(f)).collect::<Result<Vec<_>, _>>()
        };
        let posts: Vec<PostSource> = pages
            .iter()
            .flat_map(|p| &p.posts)
            .map(|s| PostSource {
                summary: s.clone(),
                path: root.join(paths::post_json(&s.path)),
                bytes: None,
            })
            .collect();
        let digests = Digests {
            site: digest(paths::SITE_JSON)?,
            tags: digest(&site.tag_index)?,
            pages: all(&mut site.pages.iter())?,
            tag_lists: all(&mut tags.tags.iter().map(|t| &t.file))?,
            month_lists: all(&mut site.months.iter().map(|m| &m.file))?,
            posts: posts
                .iter()
                .map(|p| digest(&paths::post_json(&p.summary.path)))
                .collect::<Result<_, _>>()?,
        };
        Ok(Bundle {
            tag_lists: tags.tags.iter().cloned().zip(tag_lists).collect(),
            month_lists: site.months.iter().cloned().zip(month_lists).collect(),
            site,
            tags,
            pages,
            posts,
            digests,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A folder removed when dropped.
    struct Temp(std::path::PathBuf);
    impl Drop for Temp {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }

    #[test]
    fn the_bundle_a_build_hands_over_is_the_one_read_back_from_its_files() {
        let dir =
            Temp(std::env::temp_dir().join(format!("matome-handover-{}", std::process::id())));
        let content = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../content");
        let out = dir.0.join("bundle");
        let config = matome_compiler::Config::new(content, &out);
        let report = matome_compiler::compile(&config, matome_compiler::Mode::Build, None).unwrap();
        assert!(report.errors.is_empty(), "{:?}", report.errors);
        assert!(
            report.posts > 3,
            "the sample posts compiled: {}",
            report.posts
        );
        let compiled = report.bundle.expect("a build hands its bundle over");

        let read = Bundle::load(&out).unwrap();
        let handed = Bundle::handed_over(&out, compiled).unwrap();
        assert_eq!(handed.site, read.site);
        assert_eq!(handed.tags, read.tags);
        assert_eq!(handed.pages, read.pages);
        assert_eq!(handed.tag_lists, read.tag_lists);
        assert_eq!(handed.month_lists, read.month_lists);
        assert_eq!(handed.digests.site, read.digests.site);
        assert_eq!(handed.digests.tags, read.digests.tags);
        assert_eq!(handed.digests.pages, read.digests.pages);
        assert_eq!(handed.digests.tag_lists, read.digests.tag_lists);
        assert_eq!(handed.digests.month_lists, read.digests.month_lists);
        assert_eq!(handed.digests.posts, read.digests.posts);
        let summaries = |b: &Bundle| {
            b.posts
                .iter()
                .map(|p| p.summary.clone())
                .collect::<Vec<_>>()
        };
        assert_eq!(summaries(&handed), summaries(&read));
        // A post handed over is read from its file when its page is rendered.
        assert_eq!(
            handed.posts[0].post().unwrap(),
            read.posts[0].post().unwrap()
        );

        // A rebuild that changes nothing hands over the same bundle (files kept, not written).
        let again = matome_compiler::compile(&config, matome_compiler::Mode::Build, None).unwrap();
        let again = Bundle::handed_over(&out, again.bundle.unwrap()).unwrap();
        assert_eq!(again.digests.posts, read.digests.posts);
        assert_eq!(again.digests.tag_lists, read.digests.tag_lists);
    }
}
