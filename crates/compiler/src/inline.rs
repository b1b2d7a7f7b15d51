//! Comment bodies and paragraphs → typed inline nodes.
//!
//! A `matomeQuote` body is line-oriented text, not a markdown document, so it gets its
//! own pipeline ([`parse_body`]):
//!
//! 1. `lines::lines` — split at `<br>` and its broken spellings (`＜br＞`, `<br` …).
//! 2. code fences — a ```` ``` ```` line up to the next one becomes a `CodeBlock`.
//! 3. quote lines — a line starting with `＞` or `>` (or ` > `, indented up to three
//!    spaces) becomes a `QuoteLine`.
//! 4. `scan::inline` — code spans, emphasis, http(s) links, entities; any other tag-like
//!    text (`<T>`, `<script>`) stays text. No block markdown: `- `, `1. `, `#` are text.
//!
//! Paragraphs outside shortcodes are real markdown and go through pulldown-cmark
//! ([`parse_paragraph`]).

mod lines;
mod scan;
mod url;

use matome_model::Inline;
use pulldown_cmark::{Event, Tag, TagEnd};

/// Parses a `matomeQuote` body (markdown-ish, `<br>` line breaks) into inline nodes.
/// An empty body gives an empty list; adjacent text is merged into one node.
pub fn parse_body(body: &str) -> Vec<Inline> {
    let lines: Vec<&str> = lines::lines(body).collect();
    // The longest fence-closing line (only backticks) at or after each line, so that a
    // fence without a closer is known at once, not by a search through every later line.
    let mut closers = vec![0; lines.len() + 1];
    for (i, line) in lines.iter().enumerate().rev() {
        let line = line.trim();
        let closing = if line.bytes().all(|b| b == b'`') {
            line.len()
        } else {
            0
        };
        closers[i] = closing.max(closers[i + 1]);
    }
    let mut out = Builder::default();
    let mut i = 0;
    // A code block is a block of its own: the breaks next to it would only add space.
    let mut break_before = false;
    while i < lines.len() {
        if let Some(close) = fence_close(&lines, i, &closers) {
            out.node(Inline::CodeBlock(lines[i + 1..close].join("\n")));
            i = close + 1;
            break_before = false;
            continue;
        }
        if break_before {
            out.node(Inline::Break);
        }
        push_line(lines[i], &mut out);
        break_before = true;
        i += 1;
    }
    out.finish()
}

/// If `lines[open]` opens a code fence (```` ``` ```` plus an optional language) that a
/// later line closes, the index of the closing line. An unclosed fence is text.
/// `closers[i]` is the longest closing line at or after line `i`.
fn fence_close(lines: &[&str], open: usize, closers: &[usize]) -> Option<usize> {
    let fence = lines[open].trim_start_matches(' ');
    if !fence.starts_with("```") {
        return None;
    }
    let fence = fence.trim_end();
    let ticks = fence.bytes().take_while(|&b| b == b'`').count();
    if ticks < 3 || fence[ticks..].contains('`') || closers[open + 1] < ticks {
        return None;
    }
    lines[open + 1..]
        .iter()
        .position(|line| {
            let line = line.trim();
            line.len() >= ticks && line.bytes().all(|b| b == b'`')
        })
        .map(|offset| open + 1 + offset)
}

/// One body line: a quote line (marker dropped) or plain inline content.
fn push_line(line: &str, out: &mut Builder) {
    let quoted = ["＞", ">", "&gt;"]
        .iter()
        .find_map(|marker| line.strip_prefix(marker))
        .or_else(|| indented_quote(line));
    match quoted {
        Some(rest) => {
            let mut quote = Builder::default();
            scan::inline(rest.trim_start_matches([' ', '\u{3000}']), &mut quote, true);
            out.node(Inline::QuoteLine(quote.finish()));
        }
        None => scan::inline(line, out, true),
    }
}

/// The rest of a line quoted as ` > text`: up to three spaces, an ASCII `>` (or `&gt;`)
/// and a space. Indented full-width `＞` stays text: in the corpus it draws ASCII art
/// (` ＞  One   /       \     G  ＜`), and ` >>>` is a Python prompt.
fn indented_quote(line: &str) -> Option<&str> {
    let rest = line.trim_start_matches(' ');
    if rest.len() == line.len() || line.len() - rest.len() > 3 {
        return None;
    }
    let rest = [">", "&gt;"]
        .iter()
        .find_map(|marker| rest.strip_prefix(marker))?;
    rest.starts_with([' ', '\u{3000}']).then_some(rest)
}

/// Parses markdown text found outside shortcodes (after shortcodes were resolved):
/// site-relative links (`/posts/`) become [`Inline::InternalLink`], http(s) links and
/// bare URLs [`Inline::Link`]; any other link keeps only its text.
pub fn parse_paragraph(text: &str) -> Vec<Inline> {
    enum Frame {
        Root,
        Emphasis,
        Strong,
        Link(String),
    }
    let mut stack = vec![(Frame::Root, Builder::linking_urls())];
    let mut in_link = 0usize;
    let mut blocks = 0usize;
    for event in crate::markdown::parser(text) {
        let top = &mut stack.last_mut().expect("root frame").1;
        match event {
            Event::Start(Tag::Paragraph | Tag::Heading { .. } | Tag::Item | Tag::CodeBlock(_)) => {
                if blocks > 0 {
                    top.node(Inline::Break);
                }
                blocks += 1;
            }
            Event::Start(Tag::Emphasis) => stack.push((Frame::Emphasis, frame_builder(in_link))),
            Event::Start(Tag::Strong) => stack.push((Frame::Strong, frame_builder(in_link))),
            Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) => {
                in_link += 1;
                stack.push((Frame::Link(dest_url.into_string()), Builder::default()));
            }
            Event::End(TagEnd::Emphasis | TagEnd::Strong | TagEnd::Link | TagEnd::Image) => {
                let (frame, inner) = stack.pop().expect("balanced events");
                let children = inner.finish();
                let parent = &mut stack.last_mut().expect("root frame").1;
                match frame {
                    Frame::Emphasis => parent.node(Inline::Emphasis(children)),
                    Frame::Strong => parent.node(Inline::Strong(children)),
                    Frame::Link(dest) => {
                        in_link -= 1;
                        push_link(dest, children, parent);
                    }
                    Frame::Root => unreachable!("root is never popped"),
                }
            }
            Event::Text(text) | Event::Html(text) | Event::InlineHtml(text) => top.text(&text),
            Event::Code(code) => top.node(Inline::Code(code.into_string())),
            Event::SoftBreak => top.text("\n"),
            Event::HardBreak => top.node(Inline::Break),
            _ => {}
        }
    }
    stack.pop().expect("root frame").1.finish()
}

/// The builder of a nested frame: bare URLs are linked unless inside a link.
fn frame_builder(in_link: usize) -> Builder {
    if in_link == 0 {
        Builder::linking_urls()
    } else {
        Builder::default()
    }
}

/// A markdown link of a paragraph, by its target.
fn push_link(dest: String, children: Vec<Inline>, out: &mut Builder) {
    if url::is_web_url(&dest) {
        out.node(Inline::Link {
            href: dest,
            children,
        });
    } else if let Some(route) = dest.strip_prefix('/').filter(|r| is_route(r)) {
        out.node(Inline::InternalLink {
            route: route.to_string(),
            children,
        });
    } else {
        for child in children {
            out.push(child);
        }
    }
}

/// A site route after its leading `/`: not `//host` or `/\host`, which browsers take
/// for another site, and no whitespace or control characters.
fn is_route(route: &str) -> bool {
    !route.starts_with('/')
        && !route
            .chars()
            .any(|c| c == '\\' || c.is_whitespace() || c.is_control())
}

/// Collects inline nodes, merging adjacent text.
#[derive(Default)]
pub(crate) struct Builder {
    nodes: Vec<Inline>,
    text: String,
    /// Turn bare URLs in the text into links when flushing it (paragraphs, where
    /// pulldown-cmark hands text over in pieces).
    link_urls: bool,
}

impl Builder {
    /// A builder that links bare URLs in its text.
    fn linking_urls() -> Builder {
        Builder {
            link_urls: true,
            ..Builder::default()
        }
    }

    /// Appends text to the current text node.
    pub(crate) fn text(&mut self, s: &str) {
        self.text.push_str(s);
    }

    /// Appends a node (a text node is merged with the text before it).
    pub(crate) fn push(&mut self, node: Inline) {
        match node {
            Inline::Text(text) => self.text(&text),
            node => self.node(node),
        }
    }

    /// Appends a non-text node.
    pub(crate) fn node(&mut self, node: Inline) {
        self.flush();
        self.nodes.push(node);
    }

    fn flush(&mut self) {
        if self.text.is_empty() {
            return;
        }
        let text = std::mem::take(&mut self.text);
        if !self.link_urls {
            self.nodes.push(Inline::Text(text));
            return;
        }
        let bytes = text.as_bytes();
        let (mut plain, mut i) = (0, 0);
        while i < bytes.len() {
            if matches!(bytes[i], b'h' | b'H') {
                if let Some(found) = url::find_at(&text, i) {
                    if plain < i {
                        self.nodes.push(Inline::Text(text[plain..i].to_string()));
                    }
                    let children = vec![Inline::Text(found.href.clone())];
                    self.nodes.push(Inline::Link {
                        href: found.href,
                        children,
                    });
                    (plain, i) = (found.end, found.end);
                    continue;
                }
            }
            i += 1;
        }
        if plain < text.len() {
            self.nodes.push(Inline::Text(text[plain..].to_string()));
        }
    }

    /// The collected nodes.
    pub(crate) fn finish(mut self) -> Vec<Inline> {
        self.flush();
        self.nodes
    }
}
