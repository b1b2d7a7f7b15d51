//! Blocks: turns the scanned shortcodes and the text between them into the typed body of
//! a post (lead, source, paragraphs, comment cards, folded sections, recent lists).
//!
//! Just over 400 lines: one builder walks the shortcodes in order and keeps the open
//! section and the card count; each shortcode's handling is a method of it, so they stay
//! together.

use matome_model::{Block, Comment};

use crate::error::{ErrorKind, Spanned};
use crate::inline;
use crate::shortcode::{Arg, Name, Shortcode};

/// The body of one post, before site-level linking.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Body {
    /// The `> title` blockquote before the first card.
    pub lead: Option<String>,
    /// The `引用元：` URL.
    pub source: Option<String>,
    /// Blocks in source order; `RecentList` posts are filled in by `link_site`.
    pub blocks: Vec<Block>,
    /// Number of comment cards.
    pub comments: u32,
    /// `{{% ref %}}` targets as routes (`posts/`), with their offsets, checked at link time.
    pub refs: Vec<(String, usize)>,
}

/// Builds the blocks of a body from the shortcodes found in `src[body_start..]`.
pub fn build_blocks(
    src: &str,
    body_start: usize,
    shortcodes: &[Shortcode<'_>],
) -> Result<Body, Vec<Spanned>> {
    let mut b = Builder {
        body: Body::default(),
        errors: Vec::new(),
        markdown: String::new(),
        md_offset: body_start,
        details: None,
    };
    let mut pos = body_start;
    for sc in shortcodes {
        b.text(src, pos..sc.span.start);
        pos = sc.span.end;
        b.shortcode(sc);
    }
    b.text(src, pos..src.len());
    b.flush_markdown();
    if let Some(open) = b.details.take() {
        b.errors
            .push(Spanned::new(open.offset, ErrorKind::UnclosedDetails));
    }
    if b.errors.is_empty() {
        Ok(b.body)
    } else {
        Err(b.errors)
    }
}

struct OpenDetails {
    label: String,
    comments: Vec<Comment>,
    offset: usize,
}

struct Builder {
    body: Body,
    errors: Vec<Spanned>,
    /// Markdown text at top level not yet turned into paragraphs (refs already resolved).
    markdown: String,
    /// Offset of the start of `markdown` in the file (for the lead/source lines).
    md_offset: usize,
    details: Option<OpenDetails>,
}

impl Builder {
    fn text(&mut self, src: &str, range: std::ops::Range<usize>) {
        let text = &src[range.clone()];
        if self.details.is_some() {
            if let Some(i) = text.find(|c: char| !c.is_whitespace()) {
                self.errors
                    .push(Spanned::new(range.start + i, ErrorKind::TextInDetails));
            }
            return;
        }
        if self.markdown.is_empty() {
            self.md_offset = range.start;
        }
        self.markdown.push_str(text);
    }

    fn shortcode(&mut self, sc: &Shortcode<'_>) {
        if sc.closing {
            match (sc.name, self.details.take()) {
                (Name::Details, Some(open)) => {
                    self.body.blocks.push(Block::More {
                        label: open.label,
                        comments: open.comments,
                    });
                }
                (name, open) => {
                    self.details = open;
                    self.errors.push(Spanned::at(
                        &sc.span,
                        ErrorKind::StrayCloser(name.as_str().to_string()),
                    ));
                }
            }
            return;
        }
        match sc.name {
            Name::MatomeQuote => {
                let Some(comment) = self.comment(sc) else {
                    return;
                };
                match &mut self.details {
                    Some(open) => open.comments.push(comment),
                    None => {
                        self.flush_markdown();
                        self.body.blocks.push(Block::Comment(comment));
                    }
                }
            }
            Name::Details => {
                if self.details.is_some() {
                    self.errors.push(Spanned::at(
                        &sc.span,
                        ErrorKind::MisplacedShortcode("details"),
                    ));
                    return;
                }
                self.flush_markdown();
                let mut label = None;
                for arg in &sc.args {
                    match arg.key {
                        Some("summary") => label = Some(arg.value.trim().to_string()),
                        // Presentation attributes (`class`, `open`) are accepted and unused.
                        Some(_) => {}
                        None => self.unexpected(
                            sc,
                            arg,
                            "summary (and optional attributes such as class)",
                        ),
                    }
                }
                let label = label.unwrap_or_else(|| {
                    self.errors.push(Spanned::at(
                        &sc.span,
                        ErrorKind::MissingArgument {
                            shortcode: "details",
                            arg: "summary",
                        },
                    ));
                    String::new()
                });
                self.details = Some(OpenDetails {
                    label,
                    comments: Vec::new(),
                    offset: sc.span.start,
                });
            }
            Name::Ref => {
                if self.details.is_some() {
                    self.errors
                        .push(Spanned::at(&sc.span, ErrorKind::MisplacedShortcode("ref")));
                    return;
                }
                let target = match sc.args.as_slice() {
                    [arg @ Arg { key: None, .. }] => arg,
                    [arg @ Arg {
                        key: Some("path"), ..
                    }] => arg,
                    [] => {
                        self.errors.push(Spanned::at(
                            &sc.span,
                            ErrorKind::MissingArgument {
                                shortcode: "ref",
                                arg: "path",
                            },
                        ));
                        return;
                    }
                    [_, extra, ..] | [extra] => {
                        self.unexpected(sc, extra, "one quoted path, e.g. \"/posts/\"");
                        return;
                    }
                };
                let route = ref_route(&target.value);
                if self.markdown.is_empty() {
                    self.md_offset = sc.span.start;
                }
                // The paragraph parser turns a link to `/posts/` into an internal link.
                self.markdown.push('/');
                self.markdown.push_str(&route);
                self.body.refs.push((route, target.span.start));
            }
            Name::List => {
                if self.details.is_some() {
                    self.errors
                        .push(Spanned::at(&sc.span, ErrorKind::MisplacedShortcode("list")));
                    return;
                }
                let mut limit = None;
                for arg in &sc.args {
                    match arg.key {
                        Some("limit") => match arg.value.trim().parse::<u32>() {
                            Ok(n) if n > 0 => limit = Some(n),
                            _ => self.errors.push(Spanned::at(
                                &arg.span,
                                ErrorKind::InvalidLimit(arg.value.to_string()),
                            )),
                        },
                        _ => self.unexpected(sc, arg, "limit"),
                    }
                }
                match limit {
                    Some(limit) => {
                        self.flush_markdown();
                        self.body.blocks.push(Block::RecentList {
                            limit,
                            posts: Vec::new(),
                        });
                    }
                    None if sc.args.is_empty() => self.errors.push(Spanned::at(
                        &sc.span,
                        ErrorKind::MissingArgument {
                            shortcode: "list",
                            arg: "limit",
                        },
                    )),
                    None => {}
                }
            }
        }
    }

    fn unexpected(&mut self, sc: &Shortcode<'_>, arg: &Arg<'_>, expected: &'static str) {
        let shown = match arg.key {
            Some(k) => k.to_string(),
            None => format!("\"{}\"", arg.value),
        };
        self.errors.push(Spanned::new(
            arg.start,
            ErrorKind::UnexpectedArgument {
                shortcode: sc.name.as_str(),
                arg: shown,
                expected,
            },
        ));
    }

    /// Reads a `matomeQuote` into a card, recording errors for bad arguments.
    fn comment(&mut self, sc: &Shortcode<'_>) -> Option<Comment> {
        const EXPECTED: &str = "body, userName, createdAt, color";
        let (mut body, mut user, mut created, mut color) = (None, None, None, None);
        for arg in &sc.args {
            match arg.key {
                Some("body") => body = Some(arg),
                Some("userName") => user = Some(arg),
                Some("createdAt") => created = Some(arg),
                Some("color") => color = Some(arg),
                _ => self.unexpected(sc, arg, EXPECTED),
            }
        }
        let mut missing = |arg: &'static str| {
            self.errors.push(Spanned::at(
                &sc.span,
                ErrorKind::MissingArgument {
                    shortcode: "matomeQuote",
                    arg,
                },
            ));
        };
        let (Some(body), Some(user), Some(created)) = (body, user, created) else {
            if body.is_none() {
                missing("body");
            }
            if user.is_none() {
                missing("userName");
            }
            if created.is_none() {
                missing("createdAt");
            }
            return None;
        };
        let Some(created_at) = normalise_created_at(&created.value) else {
            self.errors.push(Spanned::at(
                &created.span,
                ErrorKind::InvalidCreatedAt(created.value.to_string()),
            ));
            return None;
        };
        let color = match color.map(|c| (c, c.value.trim())) {
            None => None,
            Some((_, "")) => None,
            Some((_, v)) if is_hex_colour(v) => Some(v.to_string()),
            Some((c, _)) => {
                self.errors.push(Spanned::at(
                    &c.span,
                    ErrorKind::InvalidColor(c.value.to_string()),
                ));
                return None;
            }
        };
        self.body.comments += 1;
        Some(Comment {
            n: self.body.comments,
            user: user.value.trim().to_string(),
            created_at,
            color,
            body: inline::parse_body(&body.value),
        })
    }

    /// Turns the pending top-level markdown into lead, source and paragraphs.
    fn flush_markdown(&mut self) {
        if self.markdown.trim().is_empty() {
            self.markdown.clear();
            return;
        }
        let text = std::mem::take(&mut self.markdown);
        let before_first_block = self.body.blocks.is_empty();
        let mut para = String::new();
        for line in text.split('\n') {
            let t = line.trim();
            if before_first_block
                && self.body.lead.is_none()
                && para.trim().is_empty()
                && t.starts_with('>')
            {
                let lead = t.trim_start_matches('>').trim();
                if !lead.is_empty() {
                    self.body.lead = Some(lead.to_string());
                    continue;
                }
            }
            if before_first_block && self.body.source.is_none() {
                if let Some(url) = source_url(t) {
                    self.body.source = Some(url);
                    continue;
                }
            }
            if t.is_empty() {
                self.paragraph(&mut para);
            } else {
                para.push_str(line);
                para.push('\n');
            }
        }
        self.paragraph(&mut para);
    }

    fn paragraph(&mut self, para: &mut String) {
        let text = para.trim();
        if !text.is_empty() {
            self.body
                .blocks
                .push(Block::Paragraph(inline::parse_paragraph(text)));
        }
        para.clear();
    }
}

/// `引用元：[url](url)` or `引用元：url` → the http(s) URL.
fn source_url(line: &str) -> Option<String> {
    let rest = line.strip_prefix("引用元")?.trim_start();
    let rest = rest
        .strip_prefix('：')
        .or_else(|| rest.strip_prefix(':'))?
        .trim();
    let url = if let Some(link) = rest.strip_prefix('[') {
        let close = link.find("](")?;
        link[close + 2..].strip_suffix(')')?.trim()
    } else if let Some(auto) = rest.strip_prefix('<') {
        auto.strip_suffix('>')?
    } else {
        rest
    };
    matome_model::rules::is_web_url(url).then(|| url.to_string())
}

/// `"/posts/"` → `posts/`; `"/posts/2025_04/x"` or `"/posts/2025_04/x/index.md"` →
/// `posts/2025_04/x/`. Routes always end with `/`.
pub fn ref_route(target: &str) -> String {
    let t = target.trim().trim_start_matches('/');
    let t = t
        .strip_suffix("index.md")
        .or_else(|| t.strip_suffix(".md"))
        .unwrap_or(t);
    let t = t.trim_end_matches('/');
    if t.is_empty() {
        String::new()
    } else {
        format!("{t}/")
    }
}

/// `2025-04-14T18:04:41` or `2025/09/27 15:01:17` → `YYYY-MM-DDTHH:MM:SS`.
pub fn normalise_created_at(s: &str) -> Option<String> {
    let s = s.trim();
    // Both shapes are exactly 19 characters; anything else (no time, zone) is refused.
    if s.len() != 19 {
        return None;
    }
    crate::front_matter::normalise_date(s)
}

pub use matome_model::rules::is_hex_colour;
