//! Front matter: TOML between `+++` lines or YAML between `---` lines (Hugo accepts both).
//!
//! YAML is read by a minimal reader of our own ([`yaml`]): the fields we use are scalars
//! and lists of scalars, and the maintained YAML crates for serde are either deprecated
//! (serde_yaml) or large; a full YAML parser would buy nothing here.

mod date;
mod yaml;

use std::collections::BTreeMap;
use std::ops::Range;

use crate::error::{ErrorKind, Spanned};
pub use date::normalise_date;
use date::parse_month;

/// The fields of a post's front matter that the site uses.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
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
    // Each value with its byte range in `text`, as the TOML parser saw it.
    let table: BTreeMap<String, toml::Spanned<toml::Value>> =
        toml::from_str(text).map_err(|e| {
            let off = e.span().map_or(0, |s| s.start);
            Spanned::new(
                base + off,
                ErrorKind::BadToml(e.message().trim().to_string()),
            )
        })?;
    Ok(table
        .into_iter()
        .map(|(k, v)| {
            let span = v.span();
            (
                k,
                from_toml(v.into_inner()),
                base + span.start..base + span.end,
            )
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
