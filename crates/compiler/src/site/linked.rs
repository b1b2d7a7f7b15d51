//! What linking produces: [`Linked`], everything the bundle holds, with posts referred to
//! by index so each summary is held once, and the borrowed shapes the files are written in.

use std::sync::Arc;

use matome_model::{Block, ListPage, Post, PostSummary, Site, TagIndex, SCHEMA_VERSION};
use serde::Serialize;
use serde_json::value::RawValue;

use crate::spool::{Spool, SpoolRef};
use crate::text;

/// Everything the bundle holds, ready to be written.
#[derive(Clone, Debug)]
pub struct Linked {
    /// `data/site.json`.
    pub site: Site,
    /// `data/pages/<n>.json`, page 1 first.
    pub pages: Vec<List>,
    /// `data/tags.json`.
    pub tag_index: TagIndex,
    /// `data/tags/<slug>.json`, in the tag index's order.
    pub tags: Vec<List>,
    /// `data/months/<yyyy>-<mm>.json`, in `site.months` order.
    pub months: Vec<List>,
    /// `data/posts/<path>.json`, newest first.
    pub posts: Vec<LinkedPost>,
    /// Number of folded sections over the published posts.
    pub sections: u32,
    /// The spool that [`LinkedPost::search`] points into; set by the caller of
    /// [`link_site`]. Without it search text is taken from the blocks.
    pub spool: Option<Arc<Spool>>,
    /// The search index; empty until the caller of [`link_site`] builds it with
    /// [`crate::search_index::build_index`] (and names it in `site.search`).
    pub index: crate::search_index::SearchIndex,
}

/// A [`ListPage`] whose posts are indices into [`Linked::posts`]: each summary is held once.
#[derive(Clone, Debug)]
pub struct List {
    /// [`ListPage::title`].
    pub title: String,
    /// [`ListPage::page`].
    pub page: u32,
    /// [`ListPage::page_count`].
    pub page_count: u32,
    /// [`ListPage::total`].
    pub total: u32,
    /// The posts, as indices into [`Linked::posts`].
    pub posts: Vec<usize>,
}

/// A [`Post`] whose prev/next/related are indices into [`Linked::posts`].
#[derive(Clone, Debug)]
pub struct LinkedPost {
    /// [`Post::summary`].
    pub summary: PostSummary,
    /// [`Post::lead`].
    pub lead: Option<String>,
    /// [`Post::source`].
    pub source: Option<String>,
    /// [`Post::blocks`].
    pub blocks: Blocks,
    /// [`ParsedPost::search`].
    pub search: Option<SpoolRef>,
    /// [`ParsedPost::search_digest`].
    pub search_digest: Option<crate::hash::Digest>,
    /// [`Post::prev`].
    pub prev: Option<usize>,
    /// [`Post::next`].
    pub next: Option<usize>,
    /// [`Post::related`].
    pub related: Vec<usize>,
}

/// The blocks of a post: a tree, or JSON from [`ParsedPost::pack`]. Serialises the same.
#[derive(Clone, Debug, Serialize)]
#[serde(untagged)]
pub enum Blocks {
    /// Kept as a tree (not packed, or holding a `RecentList`).
    Tree(Vec<Block>),
    /// `Vec<Block>` as JSON.
    Json(Arc<RawValue>),
}

/// The [`Post`] file as written: [`Post`]'s fields in [`Post`]'s order, borrowed.
#[derive(Serialize)]
pub struct PostOut<'a> {
    schema: u32,
    summary: &'a PostSummary,
    lead: &'a Option<String>,
    source: &'a Option<String>,
    blocks: &'a Blocks,
    prev: Option<&'a PostSummary>,
    next: Option<&'a PostSummary>,
    related: Vec<&'a PostSummary>,
}

/// The [`ListPage`] file as written: [`ListPage`]'s fields in its order, borrowed.
#[derive(Serialize)]
pub struct ListOut<'a> {
    title: &'a str,
    page: u32,
    page_count: u32,
    total: u32,
    posts: Vec<&'a PostSummary>,
}

impl Linked {
    /// Post `i` as written to its file.
    pub fn post_out(&self, i: usize) -> PostOut<'_> {
        let p = &self.posts[i];
        let summary = |j: usize| &self.posts[j].summary;
        PostOut {
            schema: SCHEMA_VERSION,
            summary: &p.summary,
            lead: &p.lead,
            source: &p.source,
            blocks: &p.blocks,
            prev: p.prev.map(summary),
            next: p.next.map(summary),
            related: p.related.iter().map(|&j| summary(j)).collect(),
        }
    }

    /// A list as written to its file.
    pub fn list_out<'a>(&'a self, list: &'a List) -> ListOut<'a> {
        ListOut {
            title: &list.title,
            page: list.page,
            page_count: list.page_count,
            total: list.total,
            posts: list.posts.iter().map(|&i| &self.posts[i].summary).collect(),
        }
    }

    /// Post `i`'s [`text::search_text`]: from the spool ([`ParsedPost::search`]), else
    /// from its blocks.
    pub fn search_text(&self, i: usize) -> std::io::Result<String> {
        let p = &self.posts[i];
        if let (Some(at), Some(spool)) = (p.search, &self.spool) {
            return spool.get(at);
        }
        Ok(match &p.blocks {
            Blocks::Tree(b) => text::search_text(b),
            Blocks::Json(j) => {
                let blocks: Vec<Block> =
                    serde_json::from_str(j.get()).expect("packed blocks parse");
                text::search_text(&blocks)
            }
        })
    }

    /// Post `i` as the model type (packed blocks parsed back); for tests and tools.
    pub fn model_post(&self, i: usize) -> Post {
        let p = &self.posts[i];
        let summary = |j: usize| self.posts[j].summary.clone();
        Post {
            schema: SCHEMA_VERSION,
            summary: p.summary.clone(),
            lead: p.lead.clone(),
            source: p.source.clone(),
            blocks: match &p.blocks {
                Blocks::Tree(b) => b.clone(),
                Blocks::Json(j) => serde_json::from_str(j.get()).expect("packed blocks parse"),
            },
            prev: p.prev.map(summary),
            next: p.next.map(summary),
            related: p.related.iter().map(|&j| summary(j)).collect(),
        }
    }

    /// A list as the model type; for tests and tools.
    pub fn model_list(&self, list: &List) -> ListPage {
        ListPage {
            title: list.title.clone(),
            page: list.page,
            page_count: list.page_count,
            total: list.total,
            posts: list
                .posts
                .iter()
                .map(|&i| self.posts[i].summary.clone())
                .collect(),
        }
    }
}
