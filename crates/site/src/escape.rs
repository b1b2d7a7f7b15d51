//! Escaping for HTML text, HTML attributes and XML: the only way text reaches output.

/// Escapes text for HTML element content and double- or single-quoted attributes, and
/// for XML. Drops characters XML 1.0 forbids (C0 controls other than tab, newline and
/// carriage return; U+FFFE, U+FFFF), so hostile text cannot break a feed either.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
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
    }
}
