//! Full-text search rules shared by the compiler (which builds the index) and the app
//! (which queries it), so both sides fold, cut and match text the same way.
//!
//! 1. [`fold`]: a hand-rolled subset of NFKC plus case and kana folding, only for the
//!    ranges Japanese text uses (full-width ASCII, half-width katakana with their
//!    voiced marks, combining voiced marks, katakana → hiragana), so the wasm carries
//!    no normalisation tables.
//! 2. [`index_keys`]: Latin and digit runs become whole words; CJK runs become their
//!    characters and overlapping bigrams (Japanese has no spaces), and
//!    [`index_trigrams`] their trigrams, hashed into buckets: a phrase or a katakana
//!    word is then narrowed to (nearly) the posts that hold it before any post file is
//!    read.
//! 3. [`shard_of`]: every key lives in one shard chosen by a hash; Latin words are
//!    sharded by their first [`PREFIX_CHARS`] characters so a prefix finds its words in
//!    one shard.
//! 4. [`parse_query`] / [`Term::lookups`]: words AND, `"phrase"`, `-exclude`, the last word
//!    a prefix while it is being typed.
//! 5. [`confirm`]: candidates from the index are checked against the post itself,
//!    which also finds the comments to show; [`next_batch`] says how many more, until
//!    the first screen ([`FIRST_SCREEN`]) is full or every candidate is decided.
//!
//! One file per responsibility, all re-exported here: `index` (the files and posting
//! lists), `text` (folding, character classes, keys, shards), `query` (terms, lookups,
//! candidates) and `hits` (confirming a post, comment text, snippets).

mod hits;
mod index;
mod query;
mod text;

pub use hits::{
    comment_text, comments, confirm, plain_text, snippet, CommentHit, Piece, PostHit, Rank,
    SearchText,
};
pub use index::{decode_postings, encode_postings, IndexShard, SearchInfo, SearchTable, TableRow};
pub use query::{candidates, likely_candidates, parse_query, shards_for, Candidate, Lookup, Term};
pub use text::{
    class, fold, fold_mapped, index_keys, index_trigrams, is_cjk, shard_of, shard_text,
    trigram_bucket, trigram_key, Class, Folded,
};

/// Latin words are sharded by this many leading characters (shorter words by all).
pub const PREFIX_CHARS: usize = 3;
/// Keys are cut to this many characters; longer words are confirmed on the post.
pub const MAX_KEY_CHARS: usize = 24;
/// Query text beyond this many characters is ignored.
pub const MAX_QUERY_CHARS: usize = 200;
/// Terms beyond this many are ignored.
pub const MAX_TERMS: usize = 10;
/// Posts on the first screen of results: candidates are confirmed until this many
/// answer the query or none is left ([`next_batch`]), and each 「さらに表示」 as many more.
pub const FIRST_SCREEN: usize = 6;
/// Buckets CJK trigrams are hashed into ([`index_trigrams`]).
pub const TRIGRAM_BUCKETS: u32 = 1 << 16;
/// First character of a trigram bucket's key ([`trigram_key`]).
pub const TRIGRAM_MARK: char = '~';

/// Most candidates confirmed at once, when few of those read so far answered.
pub const MAX_CONFIRM_BATCH: usize = 16;

/// How many candidates to confirm next, from `checked` of `candidates`, with `found`
/// confirmed so far and `wanted` results to show: none once `wanted` are found or every
/// candidate is decided. Otherwise the whole screen at first, then as many as the
/// screen still needs at the rate the candidates read so far answered: candidates are nearly exact, so mostly just the
/// posts to show; a query made of common syllables, whose candidates mostly do not
/// answer, reads more at once (up to [`MAX_CONFIRM_BATCH`]) and takes fewer rounds.
/// The worker and the recall tests both go by it, so a query never stops at 0件 while
/// candidates are left.
pub fn next_batch(candidates: usize, checked: usize, found: usize, wanted: usize) -> usize {
    let left = candidates.saturating_sub(checked);
    if found >= wanted || left == 0 {
        return 0;
    }
    let need = wanted - found;
    // The first round reads the whole screen at once: one round of downloads before the
    // answer is complete. Later ones: need / rate, the rate (found / checked) smoothed
    // by one.
    let batch = match checked {
        0 => need,
        _ => (need * (checked + 1)).div_ceil(found + 1),
    };
    batch.clamp(1, MAX_CONFIRM_BATCH).min(left)
}

#[cfg(test)]
mod tests {
    use super::*;

    // Exact candidates read just the screen's posts; candidates that mostly do not
    // answer read more at once; nothing once the screen is full or none is left.
    #[test]
    fn batches_follow_the_screen_and_the_answer_rate() {
        assert_eq!(next_batch(100, 0, 0, 6), 6, "the first screen at once");
        assert_eq!(next_batch(100, 0, 0, 40), MAX_CONFIRM_BATCH);
        assert_eq!(next_batch(100, 4, 4, 6), 2);
        assert_eq!(next_batch(100, 4, 0, 6), MAX_CONFIRM_BATCH);
        assert_eq!(next_batch(100, 8, 2, 6), 12);
        assert_eq!(next_batch(100, 6, 6, 6), 0);
        assert_eq!(next_batch(10, 10, 0, 6), 0, "every candidate decided");
        assert_eq!(next_batch(5, 4, 0, 6), 1, "no more than are left");
        assert_eq!(next_batch(0, 0, 0, 6), 0);
    }
}
