//! Shortcode scanner: finds every `{{< … >}}` and `{{% … %}}` in a post body before any
//! markdown is parsed, with its name, arguments and byte span.

use std::borrow::Cow;
use std::ops::Range;

use crate::error::{ErrorKind, Spanned};

/// The shortcodes matome knows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Name {
    /// One comment card.
    MatomeQuote,
    /// A folded section of cards.
    Details,
    /// A link target inside the site.
    Ref,
    /// The most recent posts.
    List,
}

impl Name {
    fn parse(s: &str) -> Option<Name> {
        Some(match s {
            "matomeQuote" => Name::MatomeQuote,
            "details" => Name::Details,
            "ref" => Name::Ref,
            "list" => Name::List,
            _ => return None,
        })
    }

    /// The name as written in posts.
    pub fn as_str(self) -> &'static str {
        match self {
            Name::MatomeQuote => "matomeQuote",
            Name::Details => "details",
            Name::Ref => "ref",
            Name::List => "list",
        }
    }
}

/// One argument: `key="value"`, `key=value` or a positional `"value"`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Arg<'a> {
    /// The key, `None` for a positional argument.
    pub key: Option<&'a str>,
    /// The value with `\"` unescaped.
    pub value: Cow<'a, str>,
    /// Byte range of the value (inside the quotes) in the file.
    pub span: Range<usize>,
    /// Byte offset where the argument (its key, or a positional value) starts.
    pub start: usize,
}

/// One shortcode occurrence.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Shortcode<'a> {
    /// Which shortcode.
    pub name: Name,
    /// `{{< /details >}}` rather than an opener.
    pub closing: bool,
    /// Arguments in source order.
    pub args: Vec<Arg<'a>>,
    /// Byte range of the whole shortcode in the file, `{{` to `}}`.
    pub span: Range<usize>,
}

/// Scans `src[from..]` for shortcodes. Returns them in order with every error found; a
/// bad shortcode is skipped so later ones are still checked.
pub fn scan_shortcodes(src: &str, from: usize) -> (Vec<Shortcode<'_>>, Vec<Spanned>) {
    let mut found = Vec::new();
    let mut errors = Vec::new();
    let bytes = src.as_bytes();
    let mut pos = from;
    while let Some(i) = memchr_braces(&bytes[pos..]) {
        let start = pos + i;
        let delim = match bytes.get(start + 2) {
            Some(b'<') => ">}}",
            Some(b'%') => "%}}",
            _ => {
                pos = start + 2;
                continue;
            }
        };
        match parse_one(src, start, delim) {
            Ok(sc) => {
                pos = sc.span.end;
                found.push(sc);
            }
            Err((e, resume)) => {
                errors.push(e);
                pos = resume;
            }
        }
    }
    (found, errors)
}

/// Offset of the next `{{`.
fn memchr_braces(b: &[u8]) -> Option<usize> {
    let mut i = 0;
    while let Some(j) = memchr::memchr(b'{', &b[i..]) {
        i += j;
        if b.get(i + 1) == Some(&b'{') {
            return Some(i);
        }
        i += 1;
    }
    None
}

/// Parses the shortcode starting at `start` (`{{<` or `{{%`); on error returns where to
/// resume scanning.
fn parse_one<'a>(
    src: &'a str,
    start: usize,
    delim: &'static str,
) -> Result<Shortcode<'a>, (Spanned, usize)> {
    let line_end = memchr::memchr(b'\n', &src.as_bytes()[start..]).map_or(src.len(), |i| start + i);
    let mut p = start + 3;
    let skip_ws = |p: &mut usize| {
        while *p < line_end && matches!(src.as_bytes()[*p], b' ' | b'\t') {
            *p += 1;
        }
    };
    skip_ws(&mut p);
    let closing = src.as_bytes().get(p) == Some(&b'/');
    if closing {
        p += 1;
        skip_ws(&mut p);
    }
    let name_start = p;
    while p < line_end
        && (src.as_bytes()[p].is_ascii_alphanumeric() || matches!(src.as_bytes()[p], b'_' | b'-'))
    {
        p += 1;
    }
    let name_text = &src[name_start..p];
    let Some(name) = Name::parse(name_text) else {
        let shown = if name_text.is_empty() {
            src[name_start..line_end]
                .split(char::is_whitespace)
                .next()
                .unwrap_or("")
                .to_string()
        } else {
            name_text.to_string()
        };
        return Err((
            Spanned::new(name_start, ErrorKind::UnknownShortcode(shown)),
            start + 3,
        ));
    };
    let mut args = Vec::new();
    loop {
        skip_ws(&mut p);
        if src.as_bytes()[p..line_end].starts_with(delim.as_bytes()) {
            return Ok(Shortcode {
                name,
                closing,
                args,
                span: start..p + delim.len(),
            });
        }
        if p >= line_end {
            return Err((
                Spanned::new(start, ErrorKind::UnterminatedShortcode(delim)),
                line_end,
            ));
        }
        // key= (optional)
        let key_start = p;
        while p < line_end
            && (src.as_bytes()[p].is_ascii_alphanumeric()
                || matches!(src.as_bytes()[p], b'_' | b'-'))
        {
            p += 1;
        }
        let key = if p > key_start && src.as_bytes().get(p) == Some(&b'=') {
            let k = &src[key_start..p];
            p += 1;
            Some(k)
        } else {
            p = key_start;
            None
        };
        let c = src.as_bytes().get(p).copied();
        let (value, span) = match c {
            Some(q @ (b'"' | b'`')) => {
                let vstart = p + 1;
                let mut j = vstart;
                let mut escaped = false;
                loop {
                    // Bodies are long: jump to the next quote with memchr.
                    let Some(k) = memchr::memchr(q, &src.as_bytes()[j..line_end]) else {
                        return Err((
                            Spanned::new(p, ErrorKind::UnterminatedQuote(q as char)),
                            line_end,
                        ));
                    };
                    j += k;
                    if q == b'"' && j > vstart && src.as_bytes()[j - 1] == b'\\' {
                        escaped = true;
                        j += 1;
                        continue;
                    }
                    break;
                }
                let raw = &src[vstart..j];
                p = j + 1;
                let v = if escaped {
                    Cow::Owned(raw.replace("\\\"", "\""))
                } else {
                    Cow::Borrowed(raw)
                };
                (v, vstart..j)
            }
            _ => {
                // Unquoted value (`limit=2`) or a positional bare word: up to whitespace
                // or the closing delimiter.
                let vstart = p;
                // Byte-wise: `p` may stand inside a multi-byte character here.
                while p < line_end
                    && !src.as_bytes()[p].is_ascii_whitespace()
                    && !src.as_bytes()[p..line_end].starts_with(delim.as_bytes())
                {
                    p += 1;
                }
                if p == vstart {
                    return Err((
                        Spanned::new(vstart, ErrorKind::MalformedArguments),
                        line_end,
                    ));
                }
                (Cow::Borrowed(&src[vstart..p]), vstart..p)
            }
        };
        // Arguments are separated by whitespace.
        if p < line_end
            && !src.as_bytes()[p..line_end].starts_with(delim.as_bytes())
            && !matches!(src.as_bytes()[p], b' ' | b'\t')
        {
            return Err((Spanned::new(p, ErrorKind::MalformedArguments), line_end));
        }
        args.push(Arg {
            key,
            value,
            span,
            start: key_start,
        });
    }
}
