//! What the search page and the search worker say to each other.
//!
//! Page → worker: a plain array (structured clone, no serialiser in the app):
//! `["search", id, q, tag, month]` answers a request from scratch, `["more", id, q, tag,
//! month]` confirms more candidates of request `id` (or starts it again when it never got
//! as far as its candidates), `["stop"]` drops the running request, `["warm"]` reads the
//! post table ahead of the first query, `["perf"]` asks for the worker's Resource Timing
//! entries (`{"perf": …}`, for `make bench-search`).
//!
//! Worker → page: [`READY`] once it listens (the page holds its messages until then: a
//! worker drops messages that arrive while its wasm is still loading), then an
//! [`Answer`] as JSON text after each step of the request it names.

use matome_model::PostSummary;
use serde::{Deserialize, Serialize};

/// The worker's first message.
pub const READY: &str = "ready";

/// Comment snippets shown per post.
pub const SNIPPETS: usize = 3;
/// Characters of a snippet, about a third of them before the first match.
pub const SNIPPET_CHARS: usize = 90;

/// What a search asks for; the page's URL holds it (`?q=…&tag=…&month=YYYY-MM`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Request {
    pub q: String,
    pub tag: String,
    pub month: String,
}

/// The state of request `id` so far.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Answer {
    pub id: u32,
    /// Posts that may answer, title and tag hits first, then newest.
    pub candidates: u32,
    /// Candidates confirmed (or dropped) so far.
    pub checked: u32,
    /// Confirmed posts, best first.
    pub found: Vec<Found>,
    /// The worker is still at it.
    pub running: bool,
    /// Why the last step failed (the page offers a retry).
    pub error: Option<String>,
}

/// A confirmed post with its best matching comments.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Found {
    pub summary: PostSummary,
    /// At most [`SNIPPETS`] comments, best first.
    pub snippets: Vec<Snippet>,
    /// Matching comments beyond the snippets.
    pub more: u32,
}

/// One matching comment, cut around its first match.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Snippet {
    /// The card's number: its anchor in the post is `c<n>`.
    pub n: u32,
    /// Text pieces, `true` for a match.
    pub pieces: Vec<(String, bool)>,
}
