//! Full-text search rules shared by the compiler (which builds the index) and the app
//! (which queries it), so both sides fold, cut and match text the same way.
//!
//! 1. [`fold`]: a hand-rolled subset of NFKC plus case and kana folding, only for the
//!    ranges Japanese text uses (full-width ASCII, half-width katakana with their
//!    voiced marks, combining voiced marks, katakana → hiragana), so the wasm carries
//!    no normalisation tables.
//! 2. [`index_keys`]: Latin and digit runs become whole words; CJK runs become their
//!    characters and overlapping bigrams (Japanese has no spaces).
//! 3. [`shard_of`]: every key lives in one shard chosen by a hash; Latin words are
//!    sharded by their first [`PREFIX_CHARS`] characters so a prefix finds its words in
//!    one shard.
//! 4. [`parse_query`] / [`Term::lookups`]: words AND, `"phrase"`, `-exclude`, the last word
//!    a prefix while it is being typed.
//! 5. [`confirm`]: candidates from the index are checked against the post itself,
//!    which also finds the comments to show.
//!
//! One file per responsibility, all re-exported here: `index` (the files and posting
//! lists), `text` (folding, character classes, keys, shards), `query` (terms, lookups,
//! candidates) and `hits` (confirming a post, comment text, snippets).

mod hits;
mod index;
mod query;
mod text;

pub use hits::{
    comment_text, comments, confirm, plain_text, snippet, CommentHit, Piece, PostHit, SearchText,
};
pub use index::{decode_postings, encode_postings, IndexShard, SearchInfo, SearchTable, TableRow};
pub use query::{candidates, likely_candidates, parse_query, shards_for, Candidate, Lookup, Term};
pub use text::{class, fold, fold_mapped, index_keys, is_cjk, shard_of, shard_text, Class, Folded};

/// Latin words are sharded by this many leading characters (shorter words by all).
pub const PREFIX_CHARS: usize = 3;
/// Keys are cut to this many characters; longer words are confirmed on the post.
pub const MAX_KEY_CHARS: usize = 24;
/// Query text beyond this many characters is ignored.
pub const MAX_QUERY_CHARS: usize = 200;
/// Terms beyond this many are ignored.
pub const MAX_TERMS: usize = 10;
/// Candidates confirmed at once on their post files (fetched in parallel).
pub const CONFIRM_BATCH: usize = 4;
/// Batches confirmed for one answer, while none of them confirmed a post, before the
/// reader is asked to go on: bounds the bytes a query fetches.
pub const CONFIRM_BATCHES: usize = 3;
