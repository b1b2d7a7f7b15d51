//! A post between parsing and linking: [`ParsedPost`], and [`Packed`], its blocks already
//! serialised so that the trees of all posts are never in memory at once.

use std::path::PathBuf;
use std::sync::Arc;

use matome_model::Block;
use serde_json::value::RawValue;

use crate::blocks::Body;
use crate::front_matter::FrontMatter;
use crate::spool::SpoolRef;
use crate::text;

/// One post after parsing, before linking.
#[derive(Clone, Debug)]
pub struct ParsedPost {
    /// Folder below the content dir, `/`-separated: `2025_04/x`.
    pub path: String,
    /// The file, for messages.
    pub file: String,
    /// `feature.jpg` (or .jpeg/.png/.webp) beside `index.md`: wins over `featureimage`.
    pub feature: Option<PathBuf>,
    /// Front matter.
    pub front: FrontMatter,
    /// Body blocks; `body.blocks` is empty once [`ParsedPost::pack`] has run.
    pub body: Body,
    /// The blocks as JSON with what linking needs from them, set by [`ParsedPost::pack`].
    pub packed: Option<Packed>,
    /// Where the post's [`text::search_text`] was spooled while parsing (builds only),
    /// so that the text of all posts is never in memory at once.
    pub search: Option<SpoolRef>,
    /// [`crate::hash::digest`] of that text (builds only), what the search index cache
    /// compares: a post taken from the parse cache has it without its text being spooled.
    pub search_digest: Option<crate::hash::Digest>,
}

/// A post's blocks serialised right after parsing, so that the trees of all posts are
/// never in memory at once; plus everything [`link_site`] reads from the blocks.
#[derive(Clone, Debug)]
pub struct Packed {
    /// `Vec<Block>` as compact JSON (shared: `matome serve` keeps the posts between builds,
    /// and a build takes a copy of each).
    pub blocks: Arc<RawValue>,
    /// [`text::excerpt`] of the blocks.
    pub excerpt: String,
    /// [`text::reading_minutes`] of the title and blocks.
    pub reading_minutes: u32,
    /// Number of folded sections.
    pub sections: u32,
}

impl ParsedPost {
    /// Serialises the blocks and drops the tree. Posts with blocks that need site-level
    /// data (`RecentList`) keep their tree.
    pub fn pack(&mut self) {
        if self.packed.is_some()
            || self
                .body
                .blocks
                .iter()
                .any(|b| matches!(b, Block::RecentList { .. }))
        {
            return;
        }
        let blocks = std::mem::take(&mut self.body.blocks);
        self.packed = Some(Packed {
            blocks: serde_json::value::to_raw_value(&blocks)
                .expect("blocks always serialise")
                .into(),
            excerpt: text::excerpt(&blocks),
            reading_minutes: text::reading_minutes(&self.front.title, &blocks),
            sections: sections(&blocks),
        });
    }

    pub(super) fn sections(&self) -> u32 {
        self.packed
            .as_ref()
            .map_or_else(|| sections(&self.body.blocks), |p| p.sections)
    }
}

fn sections(blocks: &[Block]) -> u32 {
    blocks
        .iter()
        .filter(|b| matches!(b, Block::More { .. }))
        .count() as u32
}
