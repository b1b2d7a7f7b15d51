//! Plain text of inline nodes: excerpts and the reading-time estimate.

use matome_model::{Block, Inline};

/// The visible text of inline nodes, as the search index and the app see it.
pub use matome_model::search::plain_text;

/// Characters in an excerpt before it is cut with `…`.
pub const EXCERPT_CHARS: usize = 120;

/// A one-line excerpt from the first comment cards (whitespace collapsed, at most
/// [`EXCERPT_CHARS`] characters plus `…`); falls back to paragraphs when there is no card.
pub fn excerpt(blocks: &[Block]) -> String {
    let mut out = String::new();
    let mut count = 0;
    let comments = blocks.iter().flat_map(|b| match b {
        Block::Comment(c) => std::slice::from_ref(c),
        Block::More { comments, .. } => comments.as_slice(),
        _ => &[],
    });
    let paragraphs = blocks.iter().filter_map(|b| match b {
        Block::Paragraph(p) => Some(p),
        _ => None,
    });
    let mut buf = String::new();
    let has_comments = comments.clone().next().is_some();
    let sources: Box<dyn Iterator<Item = &Vec<Inline>>> = if has_comments {
        Box::new(comments.map(|c| &c.body))
    } else {
        Box::new(paragraphs)
    };
    'outer: for nodes in sources {
        buf.clear();
        plain_text(nodes, &mut buf);
        for word in buf.split_whitespace() {
            if !out.is_empty() {
                out.push(' ');
                count += 1;
            }
            for c in word.chars() {
                if count == EXCERPT_CHARS {
                    // Drop a dangling space before the ellipsis.
                    let trimmed = out.trim_end().len();
                    out.truncate(trimmed);
                    out.push('…');
                    break 'outer;
                }
                out.push(c);
                count += 1;
            }
        }
        if count >= EXCERPT_CHARS / 2 {
            break;
        }
    }
    out
}

/// Reading speed for CJK text (characters per minute).
pub const CJK_CHARS_PER_MINUTE: usize = 500;
/// Reading speed for Latin-script text (words per minute).
pub const WORDS_PER_MINUTE: usize = 200;

/// Tallies of a text for the reading-time estimate.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ReadingCount {
    /// Japanese / Chinese / Korean characters.
    pub cjk: usize,
    /// Runs of other letters or digits.
    pub words: usize,
}

impl ReadingCount {
    /// Counts `text`. Works on UTF-8 lead bytes rather than decoded characters: this
    /// runs over every comment, and the CJK blocks are whole lead-byte ranges.
    pub fn add(&mut self, text: &str) {
        let b = text.as_bytes();
        let mut in_word = false;
        let mut i = 0;
        while i < b.len() {
            let c = b[i];
            if c < 0x80 {
                if c.is_ascii_alphanumeric() {
                    self.words += usize::from(!in_word);
                    in_word = true;
                } else {
                    in_word = false;
                }
                i += 1;
                continue;
            }
            // U+3000..=U+9FFF (kana, CJK punctuation and ideographs: nearly all Japanese
            // text) is exactly the three-byte sequences led by 0xE3..=0xE9.
            if (0xE3..=0xE9).contains(&c) {
                self.cjk += 1;
                in_word = false;
                i += 3;
                continue;
            }
            // `text` is valid UTF-8, so the continuation bytes are there.
            let cont = |k: usize| (b[i + k] & 0x3F) as u32;
            let (cp, len) = match c {
                0xF0.. => (
                    (((c & 0x07) as u32) << 18) | (cont(1) << 12) | (cont(2) << 6) | cont(3),
                    4,
                ),
                0xE0.. => ((((c & 0x0F) as u32) << 12) | (cont(1) << 6) | cont(2), 3),
                _ => ((((c & 0x1F) as u32) << 6) | cont(1), 2),
            };
            i += len;
            let ch = char::from_u32(cp).unwrap_or(' ');
            if is_cjk(ch) {
                self.cjk += 1;
                in_word = false;
            } else if ch.is_alphanumeric() {
                self.words += usize::from(!in_word);
                in_word = true;
            } else {
                in_word = false;
            }
        }
    }

    /// Minutes, rounded up, at least 1.
    pub fn minutes(&self) -> u32 {
        // In "character-minutes" scaled by 1000 to keep integers.
        let cost = self.cjk * 1000 / CJK_CHARS_PER_MINUTE + self.words * 1000 / WORDS_PER_MINUTE;
        (cost.div_ceil(1000)).max(1) as u32
    }
}

/// Reading time of a body in minutes (comment cards and paragraphs).
pub fn reading_minutes(title: &str, blocks: &[Block]) -> u32 {
    let mut count = ReadingCount::default();
    count.add(title);
    for block in blocks {
        match block {
            Block::Paragraph(p) => count_nodes(p, &mut count),
            Block::Comment(c) => count_nodes(&c.body, &mut count),
            Block::More { comments, .. } => comments
                .iter()
                .for_each(|c| count_nodes(&c.body, &mut count)),
            Block::RecentList { .. } => {}
        }
    }
    count.minutes()
}

/// Counts the text of `nodes` in place (no plain-text copy: this runs on every card).
fn count_nodes(nodes: &[Inline], count: &mut ReadingCount) {
    for node in nodes {
        match node {
            Inline::Text(t) | Inline::Code(t) | Inline::CodeBlock(t) => count.add(t),
            Inline::Break => {}
            Inline::Link { children, .. }
            | Inline::InternalLink { children, .. }
            | Inline::Emphasis(children)
            | Inline::Strong(children)
            | Inline::QuoteLine(children) => count_nodes(children, count),
        }
    }
}

/// Kana, CJK ideographs, Hangul and their full-width punctuation (U+3000..=U+9FFF is
/// also counted by lead byte in [`ReadingCount::add`]).
fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3040..=0x30FF   // hiragana, katakana
        | 0x3400..=0x4DBF // CJK extension A
        | 0x4E00..=0x9FFF // CJK unified ideographs
        | 0xF900..=0xFAFF // compatibility ideographs
        | 0xAC00..=0xD7AF // hangul
        | 0x3000..=0x303F // CJK punctuation
        | 0xFF01..=0xFF60 // full-width forms
        | 0xFF61..=0xFF9F // half-width katakana
        | 0x20000..=0x2FFFF)
}

/// The text of a post that the search index holds besides its title and tags: each
/// comment's [`matome_model::search::comment_text`] (folded sections included), one per
/// line. The index folds it; the app confirms hits on the same text of the post file.
pub fn search_text(blocks: &[Block]) -> String {
    let mut out = String::new();
    for comment in matome_model::search::comments(blocks) {
        out.push_str(&matome_model::search::comment_text(comment));
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    // Japanese characters count at 500 per minute, Latin words at 200 per minute.
    #[test]
    fn reading_time_counts_japanese_characters_and_latin_words() {
        let mut c = ReadingCount::default();
        c.add(&"あ".repeat(1000));
        assert_eq!(c.cjk, 1000);
        assert_eq!(c.minutes(), 2);
        c.add(&"word ".repeat(200));
        assert_eq!(c.words, 200);
        assert_eq!(c.minutes(), 3);
        assert_eq!(ReadingCount::default().minutes(), 1);
    }

    // Mixed text: Latin words (accents included) end at Japanese characters; emoji count as neither.
    #[test]
    fn reading_count_splits_mixed_scripts() {
        let mut c = ReadingCount::default();
        c.add("Rustは速い café 2024年 😀 Ｒｕｓｔ");
        assert_eq!((c.words, c.cjk), (3, 8));
    }
}
