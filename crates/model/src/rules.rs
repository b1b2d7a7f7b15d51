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

/// Whether `src` may be the URL of a third-party script (analytics): a web URL
/// ([`is_web_url`]) over `https://`, in any case.
pub fn is_script_url(src: &str) -> bool {
    is_web_url(src)
        && src
            .get(..8)
            .is_some_and(|s| s.eq_ignore_ascii_case("https://"))
}

/// Whether `s` is a CSS hex colour: `#rgb`, `#rgba`, `#rrggbb` or `#rrggbbaa`.
pub fn is_hex_colour(s: &str) -> bool {
    s.strip_prefix('#').is_some_and(|h| {
        matches!(h.len(), 3 | 4 | 6 | 8) && h.bytes().all(|b| b.is_ascii_hexdigit())
    })
}

/// Whether `href` may be an author link in the footer: a web URL or `mailto:` with an
/// address and no whitespace or control characters.
pub fn is_author_link(href: &str) -> bool {
    if is_web_url(href) {
        return true;
    }
    href.get(..7)
        .is_some_and(|s| s.eq_ignore_ascii_case("mailto:"))
        && href[7..].contains('@')
        && !href.chars().any(|c| c.is_whitespace() || c.is_control())
}

/// Whether `id` is safe to place in a script URL or attribute: ASCII letters, digits,
/// `-`, `.` and `_` only, 1–100 characters (a GA4 id, a domain, a UUID).
pub fn is_analytics_id(id: &str) -> bool {
    (1..=100).contains(&id.len())
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-._".contains(&b))
}

/// The path a site is served under, as every part writes it: starting and ending with
/// `/` (`sub/path` → `/sub/path/`, `""` → `/`). A full URL keeps only its path
/// (`https://example.com/blog` → `/blog/`); surrounding whitespace is dropped.
pub fn normalise_base_path(p: &str) -> String {
    let p = p.trim();
    let p = match p.find("://") {
        Some(i) => p[i + 3..].find('/').map_or("/", |j| &p[i + 3 + j..]),
        None => p,
    };
    let inner = p.trim_matches('/');
    if inner.is_empty() {
        "/".into()
    } else {
        format!("/{inner}/")
    }
}

/// The absolute URL of a site's root, ending with `/`, from its configured URL and the
/// path it is served under: the configured URL when its path already ends with the base
/// path, else its origin with the base path (the site was given a public path the
/// configuration does not know about).
pub fn site_url(base_url: &str, base_path: &str) -> String {
    let base_path = normalise_base_path(base_path);
    let base_url = if base_url.ends_with('/') {
        base_url.to_string()
    } else {
        format!("{base_url}/")
    };
    let after_scheme = base_url.find("://").map_or(0, |i| i + 3);
    let (origin, path) = match base_url[after_scheme..].find('/') {
        Some(i) => base_url.split_at(after_scheme + i),
        None => (base_url.as_str(), "/"),
    };
    if path.ends_with(&base_path) {
        base_url.clone()
    } else {
        format!("{origin}{base_path}")
    }
}

/// Percent-encodes a URL path (UTF-8 bytes of Japanese tag slugs, spaces, `?`, `#`,
/// quotes), keeping `/` and RFC 3986's unreserved and sub-delimiter characters.
pub fn encode_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for &b in path.as_bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/!$&'()*+,;=:@".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Whether `c` is kept in a slug as part of the letter before it: combining marks
/// (U+0300–036F, U+1AB0–1AFF, U+20D0–20FF), the kana voicing marks (U+3099–309A) and the
/// Indic blocks U+0900–0DFF (vowel signs, viramas). The compiler's tag slugs and the
/// Hugo slugs of old URLs follow the same rule.
pub fn is_mark(c: char) -> bool {
    matches!(c as u32, 0x0300..=0x036F | 0x0900..=0x0DFF | 0x3099..=0x309A | 0x1AB0..=0x1AFF | 0x20D0..=0x20FF)
}

/// Whether `year` is a leap year of the Gregorian calendar.
// `is_multiple_of` needs Rust 1.87; the workspace supports 1.85.
#[allow(clippy::manual_is_multiple_of)]
pub fn is_leap_year(year: u32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

/// Days in `month` (1–12) of `year`; 0 for a month that does not exist.
pub fn days_in_month(year: u32, month: u32) -> u32 {
    match month {
        2 if is_leap_year(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        1..=12 => 31,
        _ => 0,
    }
}

/// Whether `year-month-day` is a real calendar day (2024-02-29 is, 2025-02-31 is not).
pub fn is_calendar_date(year: u32, month: u32, day: u32) -> bool {
    day >= 1 && day <= days_in_month(year, month)
}

/// Whether `hour:minute:second` is a time of day: hours 0–23, minutes 0–59, seconds
/// 0–60 (a leap second, as RFC 3339 allows). `24:00` is not.
pub fn is_time_of_day(hour: u32, minute: u32, second: u32) -> bool {
    hour <= 23 && minute <= 59 && second <= 60
}

#[cfg(test)]
mod tests {
    use super::*;

    // A base path given to the build replaces the configured URL's path; a configured
    // URL that already ends with it is kept.
    #[test]
    fn site_url_puts_the_base_path_on_the_configured_origin() {
        assert_eq!(
            site_url("http://127.0.0.1:8080/", "/sub/path"),
            "http://127.0.0.1:8080/sub/path/"
        );
        assert_eq!(
            site_url("https://example.com/blog", "/blog/"),
            "https://example.com/blog/"
        );
        assert_eq!(encode_path("tags/日本 x/"), "tags/%E6%97%A5%E6%9C%AC%20x/");
    }

    // Every spelling of a base path, the configured URL's included, lands on one form.
    #[test]
    fn base_paths_start_and_end_with_a_slash() {
        for (given, want) in [
            ("", "/"),
            ("/", "/"),
            ("  ", "/"),
            ("//", "/"),
            ("sub", "/sub/"),
            ("/sub", "/sub/"),
            ("sub/path/", "/sub/path/"),
            (" /blog/ ", "/blog/"),
            ("https://example.com", "/"),
            ("https://example.com/", "/"),
            ("https://example.com/blog", "/blog/"),
            ("http://127.0.0.1:8080/sub/path/", "/sub/path/"),
        ] {
            assert_eq!(normalise_base_path(given), want, "{given:?}");
        }
    }

    // The calendar: month lengths, leap years (the 100 and 400 rules), no day 0.
    #[test]
    fn calendar_dates_exist() {
        assert!(is_calendar_date(2024, 2, 29));
        assert!(is_calendar_date(2000, 2, 29));
        assert!(is_calendar_date(2025, 12, 31));
        assert!(is_calendar_date(2025, 4, 30));
        for (y, m, d) in [
            (2025, 2, 29),
            (2025, 2, 31),
            (1900, 2, 29),
            (2025, 4, 31),
            (2025, 1, 0),
            (2025, 13, 1),
            (2025, 0, 1),
        ] {
            assert!(!is_calendar_date(y, m, d), "{y}-{m}-{d}");
        }
        assert_eq!(days_in_month(2025, 13), 0);
    }

    // Hours stop at 23, minutes at 59; a leap second is allowed.
    #[test]
    fn times_of_day_are_in_range() {
        assert!(is_time_of_day(0, 0, 0));
        assert!(is_time_of_day(23, 59, 60));
        for (h, m, s) in [(24, 0, 0), (99, 0, 0), (12, 60, 0), (12, 0, 61)] {
            assert!(!is_time_of_day(h, m, s), "{h}:{m}:{s}");
        }
    }

    // Marks that belong to the letter before them; spacing punctuation and letters do not.
    #[test]
    fn marks_are_combining_and_indic_signs() {
        for mark in [
            '\u{0301}', '\u{09BE}', '\u{094D}', '\u{3099}', '\u{309A}', '\u{20E3}',
        ] {
            assert!(is_mark(mark), "{mark:?}");
        }
        for other in ['a', 'が', '゛', '-', '\u{02FF}', '\u{0E01}', '\u{309B}'] {
            assert!(!is_mark(other), "{other:?}");
        }
    }

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

    // Scripts load over https only.
    #[test]
    fn script_urls_are_https() {
        for ok in ["https://cloud.umami.is/script.js", "HTTPS://a.org/s.js"] {
            assert!(is_script_url(ok), "{ok}");
        }
        for bad in [
            "http://a.org/s.js",
            "https://",
            "https:// a",
            "//a.org/s.js",
            "javascript:x",
        ] {
            assert!(!is_script_url(bad), "{bad}");
        }
    }

    // The four hex shapes are colours; anything that could carry CSS is not.
    #[test]
    fn colours_are_hex_only() {
        for ok in ["#fff", "#ffff", "#a1b2c3", "#a1b2c3d4"] {
            assert!(is_hex_colour(ok), "{ok}");
        }
        for bad in [
            "red",
            "#ggg",
            "#12345",
            "#fff;background:url(x)",
            "fff",
            "#",
        ] {
            assert!(!is_hex_colour(bad), "{bad}");
        }
    }

    // Footer links: web URLs and mail addresses only.
    #[test]
    fn author_links_are_web_or_mail() {
        for ok in ["https://x.com/someone", "mailto:a@b.jp", "MAILTO:a@b.jp"] {
            assert!(is_author_link(ok), "{ok}");
        }
        for bad in [
            "javascript:alert(1)",
            "mailto:",
            "mailto:nobody",
            "mailto:a@b.jp\nx",
            "ftp://a",
        ] {
            assert!(!is_author_link(bad), "{bad}");
        }
    }

    // Analytics ids never carry quotes, spaces or markup.
    #[test]
    fn analytics_ids_are_plain() {
        for ok in [
            "G-ABC123XYZ",
            "example.com",
            "3f6a1c2e-1b2c-4d5e-9f00-123456789abc",
        ] {
            assert!(is_analytics_id(ok), "{ok}");
        }
        for bad in ["", "G-1\"onload=x", "a b", "<script>", &"x".repeat(101)] {
            assert!(!is_analytics_id(bad), "{bad}");
        }
    }
}
