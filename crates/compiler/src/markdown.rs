//! The one place that configures pulldown-cmark.
//!
//! Plain CommonMark, no extensions: the bundle model has no tables, footnotes or
//! strikethrough, and smart punctuation would rewrite the authors' quotes.

use pulldown_cmark::{Event, Options, Parser};

/// The pulldown-cmark options every markdown parse in the compiler uses.
pub fn options() -> Options {
    Options::empty()
}

/// A pulldown-cmark parser over `text` with [`options`].
pub fn parser(text: &str) -> Parser<'_> {
    Parser::new_ext(text, options())
}

/// Decodes one named HTML entity such as `&mdash;` with pulldown-cmark's table (the
/// full HTML5 list); `None` when the name is unknown (`&myheader;`).
pub fn decode_named_entity(entity: &str) -> Option<String> {
    debug_assert!(entity.starts_with('&') && entity.ends_with(';'));
    let mut decoded = String::new();
    for event in parser(entity) {
        match event {
            Event::Text(text) => decoded.push_str(&text),
            Event::Start(_) | Event::End(_) => {}
            _ => return None,
        }
    }
    (decoded != entity && !decoded.is_empty()).then_some(decoded)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_known_entities_and_rejects_unknown_ones() {
        assert_eq!(decode_named_entity("&mdash;").as_deref(), Some("—"));
        assert_eq!(decode_named_entity("&amp;").as_deref(), Some("&"));
        assert_eq!(decode_named_entity("&myheader;"), None);
    }
}
