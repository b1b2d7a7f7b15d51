//! Rules the compiler, the deployment step and the app must agree on, defined once.

/// Whether `href` is a target content may link to: `http(s)://` followed by a host, with
/// no whitespace or control characters (so `javascript:`, `data:`, `vbscript:`, a
/// protocol-relative `//host` or a hidden newline never are).
pub fn is_web_url(href: &str) -> bool {
    let bytes = href.as_bytes();
    let scheme = match bytes.get(..6) {
        Some(h) if h.eq_ignore_ascii_case(b"https:") => 6,
        _ => match bytes.get(..5) {
            Some(h) if h.eq_ignore_ascii_case(b"http:") => 5,
            _ => return false,
        },
    };
    href[scheme..]
        .strip_prefix("//")
        .and_then(|host| host.chars().next())
        .is_some_and(|c| c.is_alphanumeric())
        && !href.chars().any(|c| c.is_whitespace() || c.is_control())
}

/// Whether `s` is a CSS hex colour: `#rgb`, `#rgba`, `#rrggbb` or `#rrggbbaa`.
pub fn is_hex_colour(s: &str) -> bool {
    s.strip_prefix('#')
        .is_some_and(|h| matches!(h.len(), 3 | 4 | 6 | 8) && h.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// Whether `href` may be an author link in the footer: a web URL or `mailto:` with an
/// address and no whitespace or control characters.
pub fn is_author_link(href: &str) -> bool {
    if is_web_url(href) {
        return true;
    }
    href.get(..7).is_some_and(|s| s.eq_ignore_ascii_case("mailto:"))
        && href[7..].contains('@')
        && !href.chars().any(|c| c.is_whitespace() || c.is_control())
}

/// Whether `id` is safe to place in a script URL or attribute: ASCII letters, digits,
/// `-`, `.` and `_` only, 1–100 characters (a GA4 id, a domain, a UUID).
pub fn is_analytics_id(id: &str) -> bool {
    (1..=100).contains(&id.len()) && id.bytes().all(|b| b.is_ascii_alphanumeric() || b"-._".contains(&b))
}

#[cfg(test)]
mod tests {
    use super::*;

    // Only http(s) URLs with a host are links, whatever their case.
    #[test]
    fn web_urls_are_http_with_a_host() {
        for ok in ["https://a.org", "HTTP://a.org/x?y=1", "https://日本.jp/"] {
            assert!(is_web_url(ok), "{ok}");
        }
        for bad in [
            "javascript:alert(1)",
            "JaVaScRiPt:alert(1)",
            "data:text/html,x",
            "vbscript:x",
            "//evil.example",
            "https:evil",
            "https:// a",
            "https://a.org/\nx",
            "http",
            "",
        ] {
            assert!(!is_web_url(bad), "{bad}");
        }
    }

    // The four hex shapes are colours; anything that could carry CSS is not.
    #[test]
    fn colours_are_hex_only() {
        for ok in ["#fff", "#ffff", "#a1b2c3", "#a1b2c3d4"] {
            assert!(is_hex_colour(ok), "{ok}");
        }
        for bad in ["red", "#ggg", "#12345", "#fff;background:url(x)", "fff", "#"] {
            assert!(!is_hex_colour(bad), "{bad}");
        }
    }

    // Footer links: web URLs and mail addresses only.
    #[test]
    fn author_links_are_web_or_mail() {
        for ok in ["https://x.com/someone", "mailto:a@b.jp", "MAILTO:a@b.jp"] {
            assert!(is_author_link(ok), "{ok}");
        }
        for bad in ["javascript:alert(1)", "mailto:", "mailto:nobody", "mailto:a@b.jp\nx", "ftp://a"] {
            assert!(!is_author_link(bad), "{bad}");
        }
    }

    // Analytics ids never carry quotes, spaces or markup.
    #[test]
    fn analytics_ids_are_plain() {
        for ok in ["G-ABC123XYZ", "example.com", "3f6a1c2e-1b2c-4d5e-9f00-123456789abc"] {
            assert!(is_analytics_id(ok), "{ok}");
        }
        for bad in ["", "G-1\"onload=x", "a b", "<script>", &"x".repeat(101)] {
            assert!(!is_analytics_id(bad), "{bad}");
        }
    }
}
