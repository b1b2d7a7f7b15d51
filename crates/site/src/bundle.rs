//! The bundle the compiler wrote, read back from the site root. The SHA-256 of a file
//! the compiler left as it was comes from the [`DigestMemo`], and such a post file is
//! read only if its page is rendered.

use std::path::Path;

use matome_model::{paths, ListPage, MonthEntry, Post, Site, TagEntry, TagIndex};
use rayon::prelude::*;

use crate::digest_memo::{file_id, DigestMemo};
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

/// The [`Digest`] of `bytes`, read from `path` whose identity was `id` before.
fn digest_of(
    memo: &DigestMemo,
    path: &Path,
    id: Option<crate::digest_memo::FileId>,
    bytes: &[u8],
) -> Digest {
    if let Some(d) = id.and_then(|id| memo.get(path, id)) {
        return d;
    }
    let d = matome_compiler::hash::sha256(bytes);
    if let Some(id) = id {
        memo.record(path, id, d);
    }
    d
}

/// Reads and decodes a JSON file of the bundle, with the [`Digest`] of its bytes.
fn read_digested<T: serde::de::DeserializeOwned>(
    path: &Path,
    memo: &DigestMemo,
) -> Result<(T, Digest), SiteError> {
    let id = file_id(path);
    let bytes = read(path)?;
    let value = serde_json::from_slice(&bytes).map_err(|e| SiteError::Json {
        path: path.to_path_buf(),
        message: e.to_string(),
    })?;
    Ok((value, digest_of(memo, path, id, &bytes)))
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
    /// name (digests the `memo` knows are not computed again, nor those posts read).
    pub(crate) fn load(root: &Path, memo: &DigestMemo) -> Result<Self, SiteError> {
        let (site, site_digest): (Site, _) = read_digested(&root.join(paths::SITE_JSON), memo)?;
        let (tags, tags_digest): (TagIndex, _) = read_digested(&root.join(&site.tag_index), memo)?;
        let (pages, page_digests) = split(
            site.pages
                .par_iter()
                .map(|f| read_digested(&root.join(f), memo))
                .collect::<Result<Vec<(ListPage, _)>, _>>()?,
        );
        let (tag_lists, tag_digests) = split(
            tags.tags
                .par_iter()
                .map(|t| {
                    let (list, d) = read_digested(&root.join(&t.file), memo)?;
                    Ok(((t.clone(), list), d))
                })
                .collect::<Result<Vec<_>, SiteError>>()?,
        );
        let (month_lists, month_digests) = split(
            site.months
                .par_iter()
                .map(|m| {
                    let (list, d) = read_digested(&root.join(&m.file), memo)?;
                    Ok(((m.clone(), list), d))
                })
                .collect::<Result<Vec<_>, SiteError>>()?,
        );
        // Posts are decoded only when their page is rendered ([`PostSource::post`]).
        let (posts, post_digests) = split(
            pages
                .iter()
                .flat_map(|p| &p.posts)
                .collect::<Vec<_>>()
                .par_iter()
                .map(|s| {
                    let path = root.join(paths::post_json(&s.path));
                    let id = file_id(&path);
                    let (bytes, digest) = match id.and_then(|id| memo.get(&path, id)) {
                        Some(d) => (None, d),
                        None => {
                            let bytes = read(&path)?;
                            let d = digest_of(memo, &path, id, &bytes);
                            (Some(bytes), d)
                        }
                    };
                    let summary = (*s).clone();
                    Ok((
                        PostSource {
                            summary,
                            path,
                            bytes,
                        },
                        digest,
                    ))
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
}
