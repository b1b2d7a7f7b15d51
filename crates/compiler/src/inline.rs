//! Comment bodies and paragraphs → typed inline nodes (placeholder until the inline
//! parser lands: keeps the text as it is).

use matome_model::Inline;

/// Parses a `matomeQuote` body (markdown-ish, `<br>` line breaks) into inline nodes.
pub fn parse_body(body: &str) -> Vec<Inline> {
    if body.is_empty() { Vec::new() } else { vec![Inline::Text(body.to_string())] }
}

/// Parses markdown text found outside shortcodes (after shortcodes were resolved).
pub fn parse_paragraph(text: &str) -> Vec<Inline> {
    vec![Inline::Text(text.to_string())]
}
