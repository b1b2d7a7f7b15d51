//! The bundle the compiler wrote, read back from the site root.

use std::path::Path;

use matome_model::{paths, ListPage, MonthEntry, Post, Site, TagEntry, TagIndex};
use rayon::prelude::*;

use crate::io::read_json;
use crate::SiteError;

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
    pub posts: Vec<Post>,
}

impl Bundle {
    /// Reads `data/site.json` and everything it names, then every post the list pages name.
    pub fn load(root: &Path) -> Result<Self, SiteError> {
        let site: Site = read_json(&root.join(paths::SITE_JSON))?;
        let tags: TagIndex = read_json(&root.join(&site.tag_index))?;
        let pages = site
            .pages
            .par_iter()
            .map(|f| read_json(&root.join(f)))
            .collect::<Result<Vec<ListPage>, _>>()?;
        let tag_lists = tags
            .tags
            .par_iter()
            .map(|t| Ok((t.clone(), read_json(&root.join(&t.file))?)))
            .collect::<Result<Vec<_>, SiteError>>()?;
        let month_lists = site
            .months
            .par_iter()
            .map(|m| Ok((m.clone(), read_json(&root.join(&m.file))?)))
            .collect::<Result<Vec<_>, SiteError>>()?;
        let posts = pages
            .iter()
            .flat_map(|p| &p.posts)
            .collect::<Vec<_>>()
            .par_iter()
            .map(|s| read_json(&root.join(paths::post_json(&s.path))))
            .collect::<Result<Vec<Post>, _>>()?;
        Ok(Bundle {
            site,
            tags,
            pages,
            tag_lists,
            month_lists,
            posts,
        })
    }
}
