//! Escaping for HTML text and attributes written by hand (head tags, redirect pages),
//! and the characters XML cannot hold at all (feeds are escaped by quick-xml).

use std::borrow::Cow;

/// Whether XML 1.0 forbids `c` even as a character reference: C0 controls other than
/// tab, newline and carriage return, and U+FFFE, U+FFFF.
fn xml_forbids(c: char) -> bool {
    (c < '\u{20}' && !matches!(c, '\t' | '\n' | '\r')) || c == '\u{FFFE}' || c == '\u{FFFF}'
}

/// `text` without the characters XML 1.0 forbids, so hostile text cannot make a feed
/// ill-formed (escaping cannot help there: no entity stands for them).
pub fn xml_chars(text: &str) -> Cow<'_, str> {
    if text.chars().any(xml_forbids) {
        Cow::Owned(text.chars().filter(|&c| !xml_forbids(c)).collect())
    } else {
        Cow::Borrowed(text)
    }
}

/// Escapes text for HTML element content and double- or single-quoted attributes.
/// Drops the characters XML 1.0 forbids too (see [`xml_chars`]).
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if xml_forbids(c) => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    // Markup in text comes out as inert entities.
    #[test]
    fn escapes_markup_and_quotes() {
        assert_eq!(
            escape(r#"<script>alert("x")</script>&'"#),
            "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&#39;"
        );
    }

    // Control characters would make a feed ill-formed XML.
    #[test]
    fn drops_characters_xml_forbids() {
        assert_eq!(escape("a\u{0}b\u{1b}c\nd"), "abc\nd");
        assert_eq!(xml_chars("a\u{0}b\u{FFFE}c\td"), "abc\td");
        assert!(matches!(xml_chars("plain <text>"), Cow::Borrowed(_)));
    }
}
