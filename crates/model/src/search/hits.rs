//! Confirming candidates on the post itself ([`confirm`]): which comments hold the
//! query's terms, and the snippets shown for them ([`snippet`]).

use std::cmp::Reverse;

use super::query::Term;
use super::text::{fold, fold_mapped};
use crate::{Block, Comment, Inline, Post};

/// The searchable text of a comment: the user name, then the body's plain text.
pub fn comment_text(comment: &Comment) -> String {
    let mut out = comment.user.clone();
    out.push('\n');
    plain_text(&comment.body, &mut out);
    out
}

/// Appends the visible text of `nodes` to `out`; line breaks become `\n`.
pub fn plain_text(nodes: &[Inline], out: &mut String) {
    for node in nodes {
        match node {
            Inline::Text(t) | Inline::Code(t) => out.push_str(t),
            Inline::CodeBlock(t) => {
                line_start(out);
                out.push_str(t);
            }
            Inline::Break => out.push('\n'),
            Inline::Link { children, .. }
            | Inline::InternalLink { children, .. }
            | Inline::Emphasis(children)
            | Inline::Strong(children) => plain_text(children, out),
            Inline::QuoteLine(children) => {
                line_start(out);
                plain_text(children, out);
            }
        }
    }
}

/// Block-like nodes start on their own line; the `Break` after them ends it.
fn line_start(out: &mut String) {
    if !out.is_empty() && !out.ends_with('\n') {
        out.push('\n');
    }
}

/// Every comment card of a body in source order (folded sections included).
pub fn comments(blocks: &[Block]) -> impl Iterator<Item = &Comment> {
    blocks.iter().flat_map(|b| match b {
        Block::Comment(c) => std::slice::from_ref(c),
        Block::More { comments, .. } => comments.as_slice(),
        _ => &[],
    })
}

/// A comment that holds some of the query's terms.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CommentHit {
    /// The card's number ([`Comment::n`]): its anchor is `c<n>`.
    pub n: u32,
    /// How many of the query's terms it holds.
    pub terms: usize,
    /// [`comment_text`] of the card.
    pub text: String,
    /// Where the terms are in `text` (byte ranges, sorted, not overlapping).
    pub marks: Vec<(usize, usize)>,
}

/// How a post answers a query.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PostHit {
    /// How many terms the title or a tag holds.
    pub title_terms: usize,
    /// Whether the title or a tag holds the whole query as typed (its terms in order,
    /// one after the other: [`Phrase`]).
    pub phrase_in_head: bool,
    /// How many comments hold the whole query as typed.
    pub phrase_comments: usize,
    /// The comments holding terms, most terms first, then in source order.
    pub comments: Vec<CommentHit>,
}

/// Sort key of a confirmed post ([`PostHit::rank`]), smaller first.
pub type Rank = (
    Reverse<bool>,
    Reverse<usize>,
    Reverse<usize>,
    Reverse<usize>,
    Reverse<usize>,
    u32,
);

impl PostHit {
    /// Sort key of the post with index id `id`, best first: the whole query in the
    /// title or a tag, then in more comments, then more terms in the title and tags,
    /// then more terms in one comment, then more matching comments, then newer. (For a
    /// one-term query the first two are title hits and matching comments.)
    pub fn rank(&self, id: u32) -> Rank {
        let best = self.comments.first().map_or(0, |c| c.terms);
        (
            Reverse(self.phrase_in_head),
            Reverse(self.phrase_comments),
            Reverse(self.title_terms),
            Reverse(best),
            Reverse(self.comments.len()),
            id,
        )
    }
}

/// The whole query as typed: its wanted terms in order, joined by a space (`rust 安全`)
/// or, between two CJK terms, by nothing as well (`めもり安全`).
struct Phrase(Vec<String>);

impl Phrase {
    fn new(wanted: &[&Term]) -> Phrase {
        let texts: Vec<&str> = wanted.iter().map(|t| t.text.as_str()).collect();
        let mut forms = vec![texts.join(" ")];
        if texts.len() > 1 {
            forms.push(texts.concat());
        }
        Phrase(forms)
    }

    fn in_text(&self, folded: &str) -> bool {
        self.0.iter().any(|p| folded.contains(p.as_str()))
    }
}

/// A post's searchable text, folded once: its title and tag names, and each comment's
/// [`comment_text`] with its folded form. Confirming many queries on the same post (each
/// keystroke) then only searches; the source offsets of a match are worked out again for
/// the matching comments only.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SearchText {
    /// Folded title and tag names, one per line.
    head: String,
    /// Card number, [`comment_text`] and its [`fold`], in source order.
    comments: Vec<(u32, String, String)>,
}

impl SearchText {
    /// Folds `post`'s title, tags and comments.
    pub fn new(post: &Post) -> SearchText {
        let mut head = post.summary.title.clone();
        for tag in &post.summary.tags {
            head.push('\n');
            head.push_str(&tag.name);
        }
        SearchText {
            head: fold(&head),
            comments: comments(&post.blocks)
                .map(|c| {
                    let text = comment_text(c);
                    let folded = fold(&text);
                    (c.n, text, folded)
                })
                .collect(),
        }
    }

    /// Checks the post against the terms: every term that is not excluded must be in
    /// its title, a tag or a comment, and no excluded term anywhere. `None` when it does
    /// not answer the query (or the query has nothing to look for).
    pub fn confirm(&self, terms: &[Term]) -> Option<PostHit> {
        let wanted: Vec<&Term> = terms.iter().filter(|t| !t.exclude).collect();
        if wanted.is_empty() {
            return None;
        }
        let excluded = |text: &str| {
            terms
                .iter()
                .filter(|t| t.exclude)
                .any(|t| !t.find_in(text).is_empty())
        };
        if excluded(&self.head) {
            return None;
        }
        let mut found: Vec<bool> = wanted
            .iter()
            .map(|t| !t.find_in(&self.head).is_empty())
            .collect();
        let title_terms = found.iter().filter(|&&f| f).count();
        let phrase = Phrase::new(&wanted);
        let mut phrase_comments = 0;
        let mut hits = Vec::new();
        for (n, text, folded) in &self.comments {
            if excluded(folded) {
                return None;
            }
            let mut at = Vec::new();
            let mut count = 0;
            for (term, seen) in wanted.iter().zip(found.iter_mut()) {
                let found_here = term.find_in(folded);
                if !found_here.is_empty() {
                    count += 1;
                    *seen = true;
                    at.extend(found_here);
                }
            }
            if count > 0 {
                if count == wanted.len() && phrase.in_text(folded) {
                    phrase_comments += 1;
                }
                hits.push((*n, count, text, at));
            }
        }
        if found.contains(&false) {
            return None;
        }
        // Most terms first, in card order within (bucketed: no sort code in the wasm).
        let comments = (1..=wanted.len())
            .rev()
            .flat_map(|t| hits.iter().filter(move |h| h.1 == t))
            .map(|(n, terms, text, at)| {
                // The same folding again, now with the offsets back into the source.
                let mapped = fold_mapped(text);
                let marks = at.iter().map(|&(s, e)| mapped.source_range(s, e)).collect();
                CommentHit {
                    n: *n,
                    terms: *terms,
                    text: (*text).clone(),
                    marks: merge(marks),
                }
            })
            .collect();
        Some(PostHit {
            title_terms,
            phrase_in_head: title_terms == wanted.len() && phrase.in_text(&self.head),
            phrase_comments,
            comments,
        })
    }
}

/// Checks a post against the terms ([`SearchText::confirm`] on the post's text).
pub fn confirm(post: &Post, terms: &[Term]) -> Option<PostHit> {
    SearchText::new(post).confirm(terms)
}

/// Sorted, non-overlapping ranges.
fn merge(mut ranges: Vec<(usize, usize)>) -> Vec<(usize, usize)> {
    // Insertion sort: a comment holds few matches, and it adds no sort code to the wasm.
    for i in 1..ranges.len() {
        let mut j = i;
        while j > 0 && ranges[j - 1] > ranges[j] {
            ranges.swap(j - 1, j);
            j -= 1;
        }
    }
    let mut out: Vec<(usize, usize)> = Vec::with_capacity(ranges.len());
    for (s, e) in ranges {
        match out.last_mut() {
            Some(last) if s <= last.1 => last.1 = last.1.max(e),
            _ => out.push((s, e)),
        }
    }
    out
}

/// A piece of a snippet: text, and whether it is a match.
pub type Piece = (String, bool);

/// About `chars` characters of a comment around its first match, cut into plain and
/// matched pieces, with `…` where text was left out.
pub fn snippet(hit: &CommentHit, chars: usize) -> Vec<Piece> {
    let text = hit.text.as_str();
    let at = hit.marks.first().map_or(0, |m| m.0);
    let start = text[..at]
        .char_indices()
        .rev()
        .take(chars / 3)
        .last()
        .map_or(at, |(i, _)| i);
    let end = text[start..]
        .char_indices()
        .nth(chars)
        .map_or(text.len(), |(i, _)| start + i);
    let mut pieces: Vec<Piece> = Vec::new();
    // Whitespace runs (line breaks too) become one space, kept at the ends so that a
    // match does not run into the text before it.
    let plain = |s: &str, pieces: &mut Vec<Piece>| {
        let mut out = String::with_capacity(s.len());
        for c in s.chars() {
            if !c.is_whitespace() {
                out.push(c);
            } else if !out.ends_with(' ') {
                out.push(' ');
            }
        }
        if !out.is_empty() {
            pieces.push((out, false));
        }
    };
    if start > 0 {
        pieces.push(("…".into(), false));
    }
    let mut pos = start;
    for &(s, e) in &hit.marks {
        let (s, e) = (s.max(pos), e.min(end));
        if s >= e {
            continue;
        }
        plain(&text[pos..s], &mut pieces);
        pieces.push((text[s..e].to_string(), true));
        pos = e;
    }
    plain(&text[pos..end], &mut pieces);
    if end < text.len() {
        pieces.push(("…".into(), false));
    }
    pieces
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::parse_query;

    // Snippets cut around the first match, mark it in the source text and keep one
    // space where the source had line breaks.
    #[test]
    fn snippets_mark_matches_around_the_first() {
        let text = format!("alice\n{}ﾃﾞｨｰﾌﾟｼｰｸの話", "あ".repeat(100));
        let f = fold_mapped(&text);
        let term = &parse_query("ディープシーク")[0];
        let marks = term
            .find_in(&f.text)
            .into_iter()
            .map(|(s, e)| f.source_range(s, e))
            .collect();
        let hit = CommentHit {
            n: 1,
            terms: 1,
            text: text.clone(),
            marks,
        };
        let pieces = snippet(&hit, 30);
        assert_eq!(
            pieces
                .iter()
                .filter(|p| p.1)
                .map(|p| p.0.as_str())
                .collect::<Vec<_>>(),
            ["ﾃﾞｨｰﾌﾟｼｰｸ"]
        );
        assert_eq!(pieces[0].0, "…");
        let short = CommentHit {
            n: 1,
            terms: 1,
            text: "bob\nhello".into(),
            marks: vec![(4, 9)],
        };
        assert_eq!(
            snippet(&short, 30),
            [("bob ".to_string(), false), ("hello".to_string(), true)]
        );
    }
}
