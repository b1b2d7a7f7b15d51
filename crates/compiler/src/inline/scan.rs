//! The inline scanner for one body line: code spans, emphasis, links, anchors, entities
//! and bare URLs. Everything it does not recognise stays text, tags included.
//!
//! One pass over the bytes; only ASCII bytes can start syntax, so runs of other text
//! (Japanese, mostly) are copied in one piece.
//!
//! Over 400 lines on purpose: it is one state machine ([`Scanner`]) whose methods hand
//! the position to each other byte by byte; split across files, the rules of which byte
//! starts what would no longer be read in one place. Its helpers (URL repair) already
//! live in [`super::url`], line-level rules in [`super::lines`].

use std::cell::Cell;

use matome_model::Inline;

use super::url;
use super::Builder;

/// Bytes that may start inline syntax.
const SPECIAL: [bool; 256] = {
    let mut table = [false; 256];
    let bytes = b"`*_[!<&\\hH";
    let mut i = 0;
    while i < bytes.len() {
        table[bytes[i] as usize] = true;
        i += 1;
    }
    table
};

/// Nesting limit for emphasis inside emphasis and link text.
const MAX_DEPTH: u8 = 8;

/// Bytes the scanner may look ahead for closers (`*`, `]`, `` ` ``, `>`, `</a>`), per
/// byte of the line, plus [`LOOKAHEAD_MIN`]. Each opener searches ahead for its closer,
/// so a line of openers that never close (`*a *a *a …`, `<a <a …`) would cost the square
/// of its length; once the budget is spent the rest of the line is plain text, which is
/// always safe. Real lines use a small fraction of it.
const LOOKAHEAD_PER_BYTE: usize = 8;
/// Lookahead allowed however short the line.
const LOOKAHEAD_MIN: usize = 1 << 16;

/// Scans `src` (one line, no breaks) into `out`. `links` is false inside link text,
/// where URLs and links stay text.
pub(super) fn inline(src: &str, out: &mut Builder, links: bool) {
    let budget = Cell::new(
        src.len()
            .saturating_mul(LOOKAHEAD_PER_BYTE)
            .saturating_add(LOOKAHEAD_MIN),
    );
    Scanner {
        src,
        links,
        depth: 0,
        budget: &budget,
    }
    .run(out);
}

struct Scanner<'a> {
    src: &'a str,
    links: bool,
    depth: u8,
    /// Lookahead left for this line, shared with the nested scans.
    budget: &'a Cell<usize>,
}

/// What a construct at the current position turned into.
struct Hit {
    /// Byte offset just past the construct.
    end: usize,
    /// Node to emit, or `None` for text that replaces the source (entities).
    node: Option<Inline>,
    /// Decoded text when `node` is `None`.
    text: Option<String>,
}

impl Hit {
    fn node(end: usize, node: Inline) -> Option<Hit> {
        Some(Hit {
            end,
            node: Some(node),
            text: None,
        })
    }
}

impl Scanner<'_> {
    fn run(&self, out: &mut Builder) {
        let bytes = self.src.as_bytes();
        let mut plain = 0;
        let mut i = 0;
        while i < bytes.len() {
            if !SPECIAL[bytes[i] as usize] {
                i += 1;
                continue;
            }
            let hit = match bytes[i] {
                b'`' => self.code_span(i),
                b'*' | b'_' => self.emphasis(i),
                b'[' => self.md_link(i),
                b'!' if bytes.get(i + 1) == Some(&b'[') => self.md_link(i + 1),
                b'<' => self.angle(i),
                b'&' => self.entity(i),
                b'h' | b'H' => self.bare_url(i),
                b'\\' => {
                    // Backslashes stay visible (the text comes from Hacker News, where
                    // they mean nothing) but keep the next character from being syntax.
                    // The whole run is escaped: `\__` is not half a delimiter.
                    i += match bytes.get(i + 1) {
                        Some(b) if b.is_ascii_punctuation() => 1 + run_len(bytes, i + 1),
                        _ => 1,
                    };
                    continue;
                }
                _ => None,
            };
            match hit {
                Some(hit) => {
                    out.text(&self.src[plain..i]);
                    match (hit.node, hit.text) {
                        (Some(node), _) => out.node(node),
                        (None, Some(text)) => out.text(&text),
                        (None, None) => {}
                    }
                    i = hit.end;
                    plain = i;
                }
                None => i += run_len(bytes, i),
            }
        }
        out.text(&self.src[plain..]);
    }

    /// A nested scan of `src[start..end]` into its own node list.
    fn children(&self, start: usize, end: usize, links: bool) -> Vec<Inline> {
        let mut out = Builder::default();
        Scanner {
            src: &self.src[start..end],
            links: self.links && links,
            depth: self.depth + 1,
            budget: self.budget,
        }
        .run(&mut out);
        out.finish()
    }

    /// Whether the lookahead budget is spent.
    fn exhausted(&self) -> bool {
        self.budget.get() == 0
    }

    /// Charges a search that started at `from` and found `found` (or ran to the end of
    /// the line) to the budget; passes `found` on.
    fn charge(&self, from: usize, found: Option<usize>) -> Option<usize> {
        let scanned = found.unwrap_or(self.src.len()).saturating_sub(from);
        self.budget.set(self.budget.get().saturating_sub(scanned));
        found
    }

    /// `` `code` ``: a backtick run closed by a run of the same length.
    fn code_span(&self, at: usize) -> Option<Hit> {
        let bytes = self.src.as_bytes();
        let n = run_len(bytes, at);
        if self.exhausted() {
            return None;
        }
        let close = self.charge(at + n, find_run(bytes, at + n, b'`', n))?;
        let mut code = &self.src[at + n..close];
        if code.len() >= 2
            && code.starts_with(' ')
            && code.ends_with(' ')
            && code.bytes().any(|b| b != b' ')
        {
            code = &code[1..code.len() - 1];
        }
        Hit::node(close + n, Inline::Code(code.to_string()))
    }

    /// `*em*`, `_em_`, `**strong**`, `__strong__` within the line. Flanking follows
    /// CommonMark, except that Japanese text next to a delimiter counts like a space, so
    /// `全_南半球_夜空` and `**「強調」**も` work, while `snake_case` and `__init__` stay text.
    /// An `*` that is arithmetic or a wildcard stays text (see [`is_star_operator`]), and
    /// so does one after a capital letter that ends a word (`A*と`, `TCP*とUDP*`), which
    /// can close emphasis (`*NOT*`) but never opens it.
    fn emphasis(&self, at: usize) -> Option<Hit> {
        if self.depth >= MAX_DEPTH || self.exhausted() {
            return None;
        }
        let bytes = self.src.as_bytes();
        let delim = bytes[at];
        let n = run_len(bytes, at);
        // A full-width backslash escapes as an ASCII one does (`¯＼_（ツ）_／¯`).
        if n > 2 || self.char_before(at) == Some('＼') || !self.can_open(at, n) {
            return None;
        }
        // The closer is on the same line: a body line can hold a real newline too.
        let line_end = memchr::memchr(b'\n', &bytes[at..]).map_or(bytes.len(), |i| at + i);
        let mut from = at + n;
        let close = loop {
            let close = self.charge(from, find_run(&bytes[..line_end], from, delim, n))?;
            if bytes[close - 1] != b'\\'
                && self.char_before(close) != Some('＼')
                && self.can_close(close, n)
            {
                break close;
            }
            from = close + n;
        };
        let inner = &self.src[at + n..close];
        if delim == b'_'
            && n == 2
            && inner
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_')
        {
            // An identifier between double underscores is a Python dunder (`__init__`,
            // `__add__`): every such case in the corpus is one.
            return None;
        }
        let children = self.children(at + n, close, true);
        let node = if n == 1 {
            Inline::Emphasis(children)
        } else {
            Inline::Strong(children)
        };
        Hit::node(close + n, node)
    }

    fn can_open(&self, at: usize, n: usize) -> bool {
        let (before, after) = (self.char_before(at), self.char_after(at + n));
        let left = flanking(before, after);
        if self.src.as_bytes()[at] == b'*' {
            let capital_word_end = before.is_some_and(|c| c.is_ascii_uppercase())
                && !after.is_some_and(|c| c.is_ascii_alphabetic());
            left && !capital_word_end && !self.is_star_operator(at, n)
        } else {
            left && !before.is_some_and(is_word_char) && !after.is_some_and(is_line_art)
        }
    }

    fn can_close(&self, at: usize, n: usize) -> bool {
        let (before, after) = (self.char_before(at), self.char_after(at + n));
        let right = flanking(after, before);
        if self.src.as_bytes()[at] == b'*' {
            right && !self.is_star_operator(at, n)
        } else {
            right && !after.is_some_and(is_word_char) && !before.is_some_and(is_line_art)
        }
    }

    /// Whether the `*` run at `at` (length `n`) is arithmetic or a wildcard, not a
    /// delimiter: between two operands one of which is a digit (`2*3`, `rax*8`, `x**2`,
    /// `(a+b)*2`), or glued to an operator (`/*`, `*/`, `+*`, `*=`, `ISO-8859-*`).
    fn is_star_operator(&self, at: usize, n: usize) -> bool {
        let (before, after) = (self.char_before(at), self.char_after(at + n));
        let (Some(b), Some(a)) = (before, after) else {
            return false;
        };
        let operand_before = b.is_ascii_alphanumeric() || matches!(b, ')' | ']');
        let operand_after = a.is_ascii_alphanumeric() || matches!(a, '(' | '[');
        if operand_before && operand_after && (b.is_ascii_digit() || a.is_ascii_digit()) {
            return true;
        }
        // A hyphen is an operator only next to a number or a capital (`8859-*`, `CP-*`,
        // `*-1`): `non-*blocking*` and `*cloud*-based` are emphasis.
        let beyond_before = self.src[..at].chars().rev().nth(1);
        let beyond_after = self.src[at + n..].chars().nth(1);
        is_operator(b, beyond_before) || is_operator(a, beyond_after)
    }

    fn char_before(&self, at: usize) -> Option<char> {
        self.src[..at].chars().next_back()
    }

    fn char_after(&self, at: usize) -> Option<char> {
        self.src[at..].chars().next()
    }

    /// `[text](url)` and `![alt](url)` (the bracket at `open`): a link when the target is
    /// http(s), never an image; otherwise `None` so the source stays visible as text.
    fn md_link(&self, open: usize) -> Option<Hit> {
        if !self.links || self.exhausted() {
            return None;
        }
        let bytes = self.src.as_bytes();
        let close = self.charge(open, matching_bracket(bytes, open))?;
        if bytes.get(close + 1) != Some(&b'(') {
            return None;
        }
        let dest = link_destination(self.src, close + 2);
        self.charge(close, dest.map(|(_, end)| end));
        let (dest, end) = dest?;
        let href = self.decode_entities(dest);
        if !url::is_web_url(&href) {
            return None;
        }
        let children = self.children(open + 1, close, false);
        Hit::node(end, Inline::Link { href, children })
    }

    /// `<https://…>` autolinks and `<a href=”…”>text</a>` anchors with http(s) targets;
    /// every other `<` is text.
    fn angle(&self, at: usize) -> Option<Hit> {
        if !self.links {
            return None;
        }
        let rest = &self.src[at + 1..];
        let bytes = rest.as_bytes();
        if bytes.len() > 2 && bytes[..2].eq_ignore_ascii_case(b"a ") {
            return self.anchor(at);
        }
        let end = rest.find(['>', '<', ' '])?;
        if bytes[end] != b'>' {
            return None;
        }
        let href = &rest[..end];
        if !url::is_web_url(href) {
            return None;
        }
        let href = href.to_string();
        Hit::node(
            at + 1 + end + 1,
            Inline::Link {
                children: vec![Inline::Text(href.clone())],
                href,
            },
        )
    }

    /// `<a href=”url”>text</a>`, the value in typographic, ASCII or no quotes.
    fn anchor(&self, at: usize) -> Option<Hit> {
        const QUOTES: [char; 7] = ['”', '“', '’', '‘', '\'', '"', '＂'];
        if self.exhausted() {
            return None;
        }
        let tag_end = self.charge(at, self.src[at..].find('>').map(|i| at + i))?;
        let tag = &self.src[at..tag_end];
        let lower = tag.to_ascii_lowercase();
        let attr = lower.find("href")? + 4;
        let value = tag[attr..].trim_start().strip_prefix('=')?.trim_start();
        let href = match value.chars().next() {
            Some(q) if QUOTES.contains(&q) => {
                let value = &value[q.len_utf8()..];
                &value[..value.find(QUOTES)?]
            }
            _ => value.split(|c: char| c.is_whitespace()).next()?,
        };
        let href = self.decode_entities(href.trim());
        if !url::is_web_url(&href) {
            return None;
        }
        let text_start = tag_end + 1;
        let text_end = self.charge(
            text_start,
            find_ignore_case(&self.src[text_start..], "</a>").map(|i| text_start + i),
        )?;
        let children = self.children(text_start, text_end, false);
        Hit::node(text_end + 4, Inline::Link { href, children })
    }

    /// `&name;`, `&#123;`, `&#x1F600;`: decoded text; unknown names stay as written.
    fn entity(&self, at: usize) -> Option<Hit> {
        let (decoded, len) = entity_at(&self.src[at..])?;
        Some(Hit {
            end: at + len,
            node: None,
            text: Some(decoded),
        })
    }

    fn bare_url(&self, at: usize) -> Option<Hit> {
        if !self.links {
            return None;
        }
        let found = url::find_at(self.src, at)?;
        let text = vec![Inline::Text(found.href.clone())];
        Hit::node(
            found.end,
            Inline::Link {
                href: found.href,
                children: text,
            },
        )
    }

    fn decode_entities(&self, s: &str) -> String {
        if !s.contains('&') {
            return s.to_string();
        }
        let mut out = String::with_capacity(s.len());
        let mut rest = s;
        while let Some(amp) = rest.find('&') {
            out.push_str(&rest[..amp]);
            match entity_at(&rest[amp..]) {
                Some((decoded, len)) => {
                    out.push_str(&decoded);
                    rest = &rest[amp + len..];
                }
                None => {
                    out.push('&');
                    rest = &rest[amp + 1..];
                }
            }
        }
        out.push_str(rest);
        out
    }
}

/// The entity at the start of `s` (which starts with `&`): decoded text and its length.
pub(super) fn entity_at(s: &str) -> Option<(String, usize)> {
    let semi = s.as_bytes().iter().take(34).position(|&b| b == b';')?;
    let name = &s[1..semi];
    let decoded = if let Some(num) = name.strip_prefix('#') {
        let code = match num.strip_prefix(['x', 'X']) {
            Some(hex)
                if !hex.is_empty()
                    && hex.len() <= 6
                    && hex.bytes().all(|b| b.is_ascii_hexdigit()) =>
            {
                u32::from_str_radix(hex, 16).ok()?
            }
            None if !num.is_empty()
                && num.len() <= 7
                && num.bytes().all(|b| b.is_ascii_digit()) =>
            {
                num.parse().ok()?
            }
            _ => return None,
        };
        let c = if code == 0 {
            None
        } else {
            char::from_u32(code)
        };
        c.unwrap_or('\u{FFFD}').to_string()
    } else {
        if name.is_empty() || !name.bytes().all(|b| b.is_ascii_alphanumeric()) {
            return None;
        }
        match name {
            "amp" => "&".to_string(),
            "lt" => "<".to_string(),
            "gt" => ">".to_string(),
            "quot" => "\"".to_string(),
            "apos" => "'".to_string(),
            "nbsp" => "\u{A0}".to_string(),
            _ => crate::markdown::decode_named_entity(&s[..=semi])?,
        }
    };
    Some((decoded, semi + 1))
}

/// Length of the run of `bytes[at]` starting at `at`.
fn run_len(bytes: &[u8], at: usize) -> usize {
    let b = bytes[at];
    bytes[at..].iter().take_while(|&&x| x == b).count()
}

/// Start of the first run of exactly `n` bytes `b` at or after `from`.
fn find_run(bytes: &[u8], mut from: usize, b: u8, n: usize) -> Option<usize> {
    while let Some(offset) = memchr::memchr(b, &bytes[from..]) {
        let start = from + offset;
        let len = run_len(bytes, start);
        if len == n {
            return Some(start);
        }
        from = start + len;
    }
    None
}

/// The `]` matching the `[` at `open`, brackets nested, backslash-escaped ones skipped.
fn matching_bracket(bytes: &[u8], open: usize) -> Option<usize> {
    let mut depth = 0usize;
    let mut i = open;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 1,
            b'[' => depth += 1,
            b']' => {
                depth -= 1;
                if depth == 0 {
                    return Some(i);
                }
            }
            _ => {}
        }
        i += 1;
    }
    None
}

/// The destination of `(url)` or `(url "title")` starting after the `(` at `start`, and
/// the offset past the closing `)`.
fn link_destination(src: &str, start: usize) -> Option<(&str, usize)> {
    let bytes = src.as_bytes();
    let mut i = start;
    while bytes.get(i) == Some(&b' ') {
        i += 1;
    }
    let dest;
    if bytes.get(i) == Some(&b'<') {
        let end = i + 1 + src[i + 1..].find(['>', '<'])?;
        if bytes[end] != b'>' {
            return None;
        }
        dest = &src[i + 1..end];
        i = end + 1;
    } else {
        let dest_start = i;
        let mut depth = 0usize;
        while let Some(&b) = bytes.get(i) {
            match b {
                b'(' => depth += 1,
                b')' if depth == 0 => break,
                b')' => depth -= 1,
                b' ' => break,
                b'\\' => i += 1,
                _ => {}
            }
            i += 1;
        }
        dest = src.get(dest_start..i)?;
    }
    while bytes.get(i) == Some(&b' ') {
        i += 1;
    }
    if let Some(&q @ (b'"' | b'\'')) = bytes.get(i) {
        i += 1 + memchr::memchr(q, &bytes[i + 1..])? + 1;
        while bytes.get(i) == Some(&b' ') {
            i += 1;
        }
    }
    (bytes.get(i) == Some(&b')')).then_some((dest, i + 1))
}

fn find_ignore_case(haystack: &str, needle: &str) -> Option<usize> {
    let (h, n) = (haystack.as_bytes(), needle.as_bytes());
    h.windows(n.len()).position(|w| w.eq_ignore_ascii_case(n))
}

/// Is a delimiter run flanked towards `inner` (the character on its inner side) given
/// `outer` on its other side: CommonMark's left-flanking test when `inner` is the next
/// character, right-flanking when it is the previous one. Line ends count as spaces, and
/// Japanese text outside Japanese punctuation counts as a space would (`**「強調」**も`),
/// since Japanese puts no spaces between words.
fn flanking(outer: Option<char>, inner: Option<char>) -> bool {
    let Some(inner) = inner else { return false };
    if inner.is_whitespace() {
        return false;
    }
    if !is_punctuation(inner) {
        return true;
    }
    match outer {
        None => true,
        Some(o) => o.is_whitespace() || is_punctuation(o) || (is_cjk(o) && !inner.is_ascii()),
    }
}

/// Whether `c` is an arithmetic or comparison operator, given the character `beyond`
/// it on the side away from the `*`.
fn is_operator(c: char, beyond: Option<char>) -> bool {
    match c {
        '+' | '/' | '=' | '%' | '^' | '<' | '>' | '|' | '&' | '~' => true,
        '-' => beyond.is_some_and(|b| b.is_ascii_digit() || b.is_ascii_uppercase()),
        _ => false,
    }
}

/// Characters of ASCII art and shrugs (`\__/_\__/`, `¯\_(ツ)_/¯`): a `_` touching one on
/// its inner side is drawing, not emphasis.
fn is_line_art(c: char) -> bool {
    matches!(
        c,
        '/' | '\\'
            | '|'
            | '-'
            | '='
            | '+'
            | '<'
            | '>'
            | '_'
            | '('
            | ')'
            | '（'
            | '）'
            | '／'
            | '＼'
    )
}

/// Letters and digits that make `_` intraword (`snake_case`); CJK letters do not.
fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() && !is_cjk(c)
}

/// Japanese, Chinese and Korean characters (letters and punctuation alike).
fn is_cjk(c: char) -> bool {
    matches!(c, '\u{2E80}'..='\u{9FFF}' | '\u{AC00}'..='\u{D7AF}' | '\u{F900}'..='\u{FAFF}' | '\u{FF00}'..='\u{FFEF}' | '\u{20000}'..='\u{3FFFF}')
}

/// ASCII punctuation plus the common Unicode punctuation and symbol blocks.
fn is_punctuation(c: char) -> bool {
    c.is_ascii_punctuation()
        || matches!(c,
            '\u{A1}'..='\u{BF}' | '\u{2010}'..='\u{2027}' | '\u{2030}'..='\u{205E}'
            | '\u{3000}'..='\u{303F}' | '\u{30FB}' | '\u{FF01}'..='\u{FF0F}' | '\u{FF1A}'..='\u{FF20}'
            | '\u{FF3B}'..='\u{FF40}' | '\u{FF5B}'..='\u{FF65}')
}
