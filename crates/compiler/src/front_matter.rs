//! Front matter: TOML between `+++` lines or YAML between `---` lines (Hugo accepts both).
//!
//! YAML is read by a minimal reader of our own ([`yaml`]): the fields we use are scalars
//! and lists of scalars, and the maintained YAML crates for serde are either deprecated
//! (serde_yaml) or large; a full YAML parser would buy nothing here.

use std::ops::Range;

use matome_model::rules;

use crate::error::{ErrorKind, Spanned};

/// The fields of a post's front matter that the site uses.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FrontMatter {
    /// Title (required).
    pub title: String,
    /// Date normalised to `YYYY-MM-DDTHH:MM:SS` (required).
    pub date: String,
    /// Archive month `(year, month)`: from `months = "2025/04"`, else from `date`.
    pub month: (u16, u8),
    /// `draft = true` posts are left out unless drafts are asked for.
    pub draft: bool,
    /// Tags in front-matter order, trimmed, empty ones dropped.
    pub tags: Vec<String>,
    /// `featureimage`, relative to the assets dir.
    pub featureimage: Option<String>,
    /// Old URLs of the post (`aliases`), as written: absolute paths (`/old/x/`) or
    /// paths relative to the post's section folder.
    pub aliases: Vec<String>,
}

/// A front-matter value, reduced to the shapes the fields we use can take.
#[derive(Clone, Debug, PartialEq)]
enum Value {
    Str(String),
    Bool(bool),
    List(Vec<Value>),
    Other,
}

/// Splits `src` into its front matter and the body; returns the parsed fields and the
/// byte offset where the body starts.
pub fn split_front_matter(src: &str) -> Result<(FrontMatter, usize), Spanned> {
    let src_nobom = src.strip_prefix('\u{feff}').unwrap_or(src);
    let bom = src.len() - src_nobom.len();
    let first_line_end = src_nobom.find('\n').map_or(src_nobom.len(), |i| i);
    let first = src_nobom[..first_line_end].trim_end();
    let delim = match first {
        "+++" => "+++",
        "---" => "---",
        _ => return Err(Spanned::new(bom, ErrorKind::MissingFrontMatter)),
    };
    let fm_start = bom + first_line_end + 1;
    // Find the closing delimiter line.
    let mut pos = fm_start.min(src.len());
    let (fm_end, body_start) = loop {
        if pos >= src.len() {
            return Err(Spanned::new(bom, ErrorKind::UnclosedFrontMatter(delim)));
        }
        let end = src[pos..].find('\n').map_or(src.len(), |i| pos + i);
        if src[pos..end].trim_end() == delim {
            break (pos, (end + 1).min(src.len()));
        }
        pos = end + 1;
    };
    let text = &src[fm_start..fm_end];
    let fields = if delim == "+++" {
        toml_fields(text, fm_start)?
    } else {
        yaml::fields(text, fm_start)?
    };
    let fm = interpret(&fields, bom)?;
    Ok((fm, body_start))
}

/// Key, value and the byte range of the value in the file.
type Fields = Vec<(String, Value, Range<usize>)>;

fn toml_fields(text: &str, base: usize) -> Result<Fields, Spanned> {
    let table: toml::Table = toml::from_str(text).map_err(|e| {
        let off = e.span().map_or(0, |s| s.start);
        Spanned::new(
            base + off,
            ErrorKind::BadToml(e.message().trim().to_string()),
        )
    })?;
    Ok(table
        .into_iter()
        .map(|(k, v)| {
            let span = key_value_span(text, &k, base);
            (k, from_toml(v), span)
        })
        .collect())
}

fn from_toml(v: toml::Value) -> Value {
    match v {
        toml::Value::String(s) => Value::Str(s),
        toml::Value::Boolean(b) => Value::Bool(b),
        toml::Value::Datetime(d) => Value::Str(d.to_string()),
        toml::Value::Array(a) => Value::List(a.into_iter().map(from_toml).collect()),
        _ => Value::Other,
    }
}

/// Range of the value of `key` (the text after `=` or `:` on the key's line).
fn key_value_span(text: &str, key: &str, base: usize) -> Range<usize> {
    let mut line_start = 0;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim_start();
        let unquoted = trimmed.strip_prefix(['"', '\'']).unwrap_or(trimmed);
        if let Some(rest) = unquoted.strip_prefix(key) {
            let rest = rest.trim_start_matches(['"', '\'']).trim_start();
            if let Some(after) = rest.strip_prefix(['=', ':']) {
                let value_off = line.len() - after.trim_start().len();
                let start = base + line_start + value_off;
                return start..base + line_start + line.trim_end().len().max(value_off);
            }
        }
        line_start += line.len();
    }
    base..base
}

fn interpret(fields: &Fields, bom: usize) -> Result<FrontMatter, Spanned> {
    let get = |name: &str| fields.iter().find(|(k, _, _)| k == name);
    let string = |name: &'static str| -> Result<Option<(String, Range<usize>)>, Spanned> {
        match get(name) {
            None => Ok(None),
            Some((_, Value::Str(s), r)) => Ok(Some((s.clone(), r.clone()))),
            Some((_, _, r)) => Err(Spanned::at(
                r,
                ErrorKind::InvalidField {
                    field: name,
                    expected: "a string",
                },
            )),
        }
    };
    let (title, title_span) =
        string("title")?.ok_or(Spanned::new(bom, ErrorKind::MissingField("title")))?;
    if title.trim().is_empty() {
        return Err(Spanned::at(
            &title_span,
            ErrorKind::InvalidField {
                field: "title",
                expected: "a non-empty string",
            },
        ));
    }
    let (date_raw, date_span) =
        string("date")?.ok_or(Spanned::new(bom, ErrorKind::MissingField("date")))?;
    let date = normalise_date(&date_raw)
        .ok_or_else(|| Spanned::at(&date_span, ErrorKind::InvalidDate(date_raw.clone())))?;
    let month = match string("months")? {
        None => (
            date[0..4].parse().unwrap_or(0),
            date[5..7].parse().unwrap_or(0),
        ),
        Some((m, span)) => parse_month(&m).ok_or(Spanned::at(
            &span,
            ErrorKind::InvalidField {
                field: "months",
                expected: "\"YYYY/MM\"",
            },
        ))?,
    };
    let draft = match get("draft") {
        None => false,
        Some((_, Value::Bool(b), _)) => *b,
        Some((_, _, r)) => {
            return Err(Spanned::at(
                r,
                ErrorKind::InvalidField {
                    field: "draft",
                    expected: "true or false",
                },
            ))
        }
    };
    let tags = match get("tags") {
        None => Vec::new(),
        Some((_, Value::List(items), r)) => {
            let mut tags = Vec::with_capacity(items.len());
            for item in items {
                match item {
                    Value::Str(s) if !s.trim().is_empty() => tags.push(s.trim().to_string()),
                    Value::Str(_) => {}
                    _ => {
                        return Err(Spanned::at(
                            r,
                            ErrorKind::InvalidField {
                                field: "tags",
                                expected: "a list of strings",
                            },
                        ))
                    }
                }
            }
            tags
        }
        // Hugo accepts a single string as a one-tag list.
        Some((_, Value::Str(s), _)) if !s.trim().is_empty() => vec![s.trim().to_string()],
        Some((_, _, r)) => {
            return Err(Spanned::at(
                r,
                ErrorKind::InvalidField {
                    field: "tags",
                    expected: "a list of strings",
                },
            ))
        }
    };
    let featureimage = string("featureimage")?
        .map(|(s, _)| s)
        .filter(|s| !s.trim().is_empty());
    let aliases = match get("aliases") {
        None => Vec::new(),
        Some((_, Value::List(items), r)) => {
            let mut aliases = Vec::with_capacity(items.len());
            for item in items {
                match item {
                    Value::Str(s) if is_alias(s) => aliases.push(s.trim().to_string()),
                    _ => {
                        return Err(Spanned::at(
                            r,
                            ErrorKind::InvalidField {
                                field: "aliases",
                                expected: ALIAS_SHAPE,
                            },
                        ))
                    }
                }
            }
            aliases
        }
        Some((_, Value::Str(s), _)) if is_alias(s) => vec![s.trim().to_string()],
        Some((_, _, r)) => {
            return Err(Spanned::at(
                r,
                ErrorKind::InvalidField {
                    field: "aliases",
                    expected: ALIAS_SHAPE,
                },
            ))
        }
    };
    Ok(FrontMatter {
        title,
        date,
        month,
        draft,
        tags,
        featureimage,
        aliases,
    })
}

const ALIAS_SHAPE: &str =
    "a list of URL paths such as \"/old/path/\" (no scheme, `..`, `?`, `#` or spaces)";

/// An alias is a plain URL path: no scheme or host, no `..` segment, no query, fragment,
/// backslash, whitespace or control character.
fn is_alias(s: &str) -> bool {
    let s = s.trim();
    !s.is_empty()
        && !s.trim_matches('/').is_empty()
        && !s.starts_with("//")
        && !s.contains("://")
        && !s.split('/').any(|seg| seg == ".." || seg == ".")
        && !s.chars().any(|c| {
            c.is_whitespace() || c.is_control() || matches!(c, '?' | '#' | '\\' | '"' | '<' | '>')
        })
}

/// `2025/04` (or `2025-04`) → (2025, 4).
fn parse_month(s: &str) -> Option<(u16, u8)> {
    let b = s.trim().as_bytes();
    if b.len() != 7 || !(b[4] == b'/' || b[4] == b'-') {
        return None;
    }
    let y = digits(&b[0..4])? as u16;
    let m = digits(&b[5..7])? as u8;
    (1..=12).contains(&m).then_some((y, m))
}

fn digits(b: &[u8]) -> Option<u32> {
    if b.is_empty() || !b.iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some(b.iter().fold(0, |n, d| n * 10 + (d - b'0') as u32))
}

/// Accepts `YYYY-MM-DD`, `YYYY-MM-DDTHH:MM[:SS]`, also with a space instead of `T`, `/`
/// instead of `-`, fractional seconds and a zone suffix (dropped: dates are shown as
/// written). Returns `YYYY-MM-DDTHH:MM:SS`.
pub fn normalise_date(s: &str) -> Option<String> {
    let b = s.trim().as_bytes();
    if b.len() < 10 {
        return None;
    }
    let sep = b[4];
    if !(sep == b'-' || sep == b'/') || b[7] != sep {
        return None;
    }
    let (y, mo, d) = (digits(&b[0..4])?, digits(&b[5..7])?, digits(&b[8..10])?);
    if !rules::is_calendar_date(y, mo, d) {
        return None;
    }
    let (mut h, mut mi, mut sec) = (0, 0, 0);
    let rest = &b[10..];
    if !rest.is_empty() {
        if !(rest[0] == b'T' || rest[0] == b' ') || rest.len() < 6 || rest[3] != b':' {
            return None;
        }
        h = digits(&rest[1..3])?;
        mi = digits(&rest[4..6])?;
        let mut tail = &rest[6..];
        if tail.first() == Some(&b':') {
            sec = digits(tail.get(1..3)?)?;
            tail = &tail[3..];
        }
        if tail.first() == Some(&b'.') {
            let n = tail[1..].iter().take_while(|c| c.is_ascii_digit()).count();
            if n == 0 {
                return None;
            }
            tail = &tail[1 + n..];
        }
        let zone_ok = match tail {
            [] | [b'Z'] => true,
            [b'+' | b'-', a, b, b':', c, d] => [a, b, c, d].iter().all(|x| x.is_ascii_digit()),
            _ => false,
        };
        if !zone_ok || !rules::is_time_of_day(h, mi, sec) {
            return None;
        }
    }
    // Built by hand: this runs once per comment card, and `format!` showed in profiles.
    let mut out = [0u8; 19];
    for (i, (v, w)) in [(y, 4), (mo, 2), (d, 2), (h, 2), (mi, 2), (sec, 2)]
        .into_iter()
        .enumerate()
    {
        let at = [0, 5, 8, 11, 14, 17][i];
        for k in 0..w {
            out[at + k] = b'0' + (v / 10u32.pow((w - 1 - k) as u32) % 10) as u8;
        }
    }
    out[4] = b'-';
    out[7] = b'-';
    out[10] = b'T';
    out[13] = b':';
    out[16] = b':';
    Some(String::from_utf8(out.to_vec()).expect("ASCII digits"))
}

/// The minimal YAML reader: `key: value` lines with plain, `'…'` or `"…"` scalars, flow
/// lists `[a, "b"]` and block lists (`- item` lines under `key:`). Anything else in the
/// block is an error with its position, never silently misread.
mod yaml {
    use super::{Fields, Value};
    use crate::error::{ErrorKind, Spanned};

    pub(super) fn fields(text: &str, base: usize) -> Result<Fields, Spanned> {
        let mut out: Fields = Vec::new();
        let mut off = 0;
        // The key whose value is a block list being read, if any.
        let mut open_list: Option<usize> = None;
        for raw in text.split_inclusive('\n') {
            let line_off = base + off;
            off += raw.len();
            let line = raw.trim_end();
            let content = line.trim_start();
            if content.is_empty() || content.starts_with('#') {
                continue;
            }
            let indent = line.len() - content.len();
            if let Some(item) =
                content
                    .strip_prefix("- ")
                    .or(if content == "-" { Some("") } else { None })
            {
                let Some(i) = open_list else {
                    return Err(err(line_off + indent, "list item without a key above it"));
                };
                let v = scalar(item.trim(), line_off + indent + 2)?;
                if let Value::List(items) = &mut out[i].1 {
                    items.push(v);
                }
                continue;
            }
            if indent > 0 {
                return Err(err(line_off + indent, "nested mappings are not supported"));
            }
            let Some(colon) = content
                .find(": ")
                .or(content.strip_suffix(':').map(|k| k.len()))
            else {
                return Err(err(line_off, "expected `key: value`"));
            };
            let key = content[..colon]
                .trim()
                .trim_matches(['"', '\''])
                .to_string();
            let value_text = content[colon + 1..].trim();
            let value_off = line_off
                + colon
                + 1
                + (content[colon + 1..].len() - content[colon + 1..].trim_start().len());
            let span = value_off..line_off + line.len();
            if value_text.is_empty() {
                open_list = Some(out.len());
                out.push((key, Value::List(Vec::new()), span));
            } else {
                open_list = None;
                out.push((key, scalar_or_flow(value_text, value_off)?, span));
            }
        }
        Ok(out)
    }

    fn err(offset: usize, msg: &str) -> Spanned {
        Spanned::new(offset, ErrorKind::BadYaml(msg.to_string()))
    }

    fn scalar_or_flow(s: &str, off: usize) -> Result<Value, Spanned> {
        let Some(inner) = s.strip_prefix('[') else {
            return scalar(s, off);
        };
        let Some(inner) = inner.strip_suffix(']') else {
            return Err(err(off, "unclosed `[` list"));
        };
        let mut items = Vec::new();
        let mut rest = inner;
        let mut pos = off + 1;
        loop {
            let t = rest.trim_start();
            pos += rest.len() - t.len();
            rest = t;
            if rest.is_empty() {
                break;
            }
            let len = if let Some(q @ ('"' | '\'')) = rest.chars().next() {
                rest[1..]
                    .find(q)
                    .map(|i| i + 2)
                    .ok_or_else(|| err(pos, "unterminated quoted string"))?
            } else {
                rest.find(',').unwrap_or(rest.len())
            };
            items.push(scalar(rest[..len].trim(), pos)?);
            rest = rest[len..].trim_start();
            pos = off + 1 + (inner.len() - rest.len());
            match rest.strip_prefix(',') {
                Some(r) => {
                    rest = r;
                    pos += 1;
                }
                None if rest.is_empty() => break,
                None => return Err(err(pos, "expected `,` between list items")),
            }
        }
        Ok(Value::List(items))
    }

    fn scalar(s: &str, off: usize) -> Result<Value, Spanned> {
        if let Some(inner) = s.strip_prefix('\'') {
            let inner = inner
                .strip_suffix('\'')
                .ok_or_else(|| err(off, "unterminated '…' string"))?;
            return Ok(Value::Str(inner.replace("''", "'")));
        }
        if let Some(inner) = s.strip_prefix('"') {
            let inner = inner
                .strip_suffix('"')
                .ok_or_else(|| err(off, "unterminated \"…\" string"))?;
            let mut out = String::with_capacity(inner.len());
            let mut chars = inner.chars();
            while let Some(c) = chars.next() {
                if c != '\\' {
                    out.push(c);
                    continue;
                }
                match chars.next() {
                    Some('n') => out.push('\n'),
                    Some('t') => out.push('\t'),
                    Some(c @ ('"' | '\\' | '/')) => out.push(c),
                    _ => return Err(err(off, "unsupported escape in \"…\" string")),
                }
            }
            return Ok(Value::Str(out));
        }
        // A trailing comment ends a plain scalar.
        let plain = s.split(" #").next().unwrap_or(s).trim();
        Ok(match plain {
            "true" | "True" | "TRUE" => Value::Bool(true),
            "false" | "False" | "FALSE" => Value::Bool(false),
            "" | "~" | "null" => Value::Other,
            _ => Value::Str(plain.to_string()),
        })
    }
}
