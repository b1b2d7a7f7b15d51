//! The minimal YAML reader: `key: value` lines with plain, `'…'` or `"…"` scalars, flow
//! lists `[a, "b"]` and block lists (`- item` lines under `key:`). Anything else in the
//! block is an error with its position, never silently misread.

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
