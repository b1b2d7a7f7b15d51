//! Bare URLs in running text, and the http(s)-only rule for every link target.

/// A URL found in text: where it ends in the source and the (repaired) target.
pub(crate) struct Found {
    /// Byte offset just past the URL in the scanned text.
    pub end: usize,
    /// The link target; always `http://` or `https://`.
    pub href: String,
}

/// The http(s)-only rule, shared with the app and the deployment step.
pub(crate) use matome_model::rules::is_web_url;

/// Length of `http:` or `https:` (any case) at the start of `bytes`.
fn scheme_len(bytes: &[u8]) -> Option<usize> {
    let head = bytes.get(..4)?;
    if !head.eq_ignore_ascii_case(b"http") {
        return None;
    }
    match bytes.get(4..6) {
        Some([b':', _]) => Some(5),
        Some([s, b':']) if s.eq_ignore_ascii_case(&b's') => Some(6),
        _ => None,
    }
}

/// A bare URL starting at byte `at` of `text` (which must start with `h`/`H` there).
///
/// The URL runs over ASCII URL characters and stops at the first other character, so a
/// URL glued to Japanese text or `）` ends there. Trailing `.,;:!?'*` and a closing `)` or
/// `]` without its opener inside the URL are left out. Mangled separators as translators
/// write them (`https:＼＼host＼path`, `https:／／host．org／x`, `https: //`, zero-width
/// spaces around the slashes) are repaired.
pub(crate) fn find_at(text: &str, at: usize) -> Option<Found> {
    let bytes = text.as_bytes();
    let scheme = scheme_len(&bytes[at..])?;
    let (sep_end, repaired) = separator(&text[at + scheme..])?;
    let host_start = at + scheme + sep_end;
    if !bytes
        .get(host_start)
        .is_some_and(|b| b.is_ascii_alphanumeric())
    {
        return None;
    }
    let mut end = host_start;
    for (i, c) in text[host_start..].char_indices() {
        if glued_url_starts(text, host_start + i) {
            end = host_start + i;
            break;
        }
        match c {
            c if c.is_ascii() && is_url_byte(c as u8) => {}
            '／' | '＼' | '．' | '\\' | '\u{200B}' if repaired => {}
            _ => {
                end = host_start + i;
                break;
            }
        }
        end = host_start + i + c.len_utf8();
    }
    end = trim_trailing(&text[at..end]) + at;
    if end <= host_start {
        return None;
    }
    let href = if repaired {
        let mut href = text[at..at + scheme].to_ascii_lowercase();
        href.push_str("//");
        for c in text[host_start..end].chars() {
            match c {
                '／' | '＼' | '\\' => href.push('/'),
                '．' => href.push('.'),
                '\u{200B}' => {}
                c => href.push(c),
            }
        }
        href
    } else {
        text[at..end].to_string()
    };
    Some(Found { end, href })
}

/// Does a second URL start at `at`, glued to a letter or digit of the first one
/// (`…history.txthttps://…`)? After `/` or `=` it is part of the first URL
/// (`web.archive.org/web/2020/https://…`, `?url=https://…`).
fn glued_url_starts(text: &str, at: usize) -> bool {
    let bytes = text.as_bytes();
    matches!(bytes[at], b'h' | b'H')
        && bytes[at - 1].is_ascii_alphanumeric()
        && scheme_len(&bytes[at..]).is_some_and(|len| text[at + len..].starts_with("//"))
}

/// Length of the `//` after the scheme and whether it was mangled.
fn separator(s: &str) -> Option<(usize, bool)> {
    if s.starts_with("//") {
        return Some((2, false));
    }
    let mut at = 0;
    if s.starts_with(' ') {
        at += 1;
    }
    let mut slashes = 0;
    while slashes < 2 {
        let c = s[at..].chars().next()?;
        match c {
            '/' | '／' | '＼' | '\\' => slashes += 1,
            '\u{200B}' => {}
            _ => return None,
        }
        at += c.len_utf8();
    }
    while s[at..].starts_with('\u{200B}') {
        at += '\u{200B}'.len_utf8();
    }
    Some((at, true))
}

/// ASCII characters a bare URL may contain.
fn is_url_byte(b: u8) -> bool {
    b.is_ascii_graphic()
        && !matches!(
            b,
            b'<' | b'>' | b'"' | b'`' | b'{' | b'}' | b'|' | b'\\' | b'^'
        )
}

/// Length of `url` without trailing punctuation that belongs to the sentence.
fn trim_trailing(url: &str) -> usize {
    let bytes = url.as_bytes();
    let mut end = bytes.len();
    while end > 0 {
        let last = bytes[end - 1];
        let drop = match last {
            b'.' | b',' | b';' | b':' | b'!' | b'?' | b'\'' | b'*' => true,
            b')' => unbalanced(&bytes[..end], b'(', b')'),
            b']' => unbalanced(&bytes[..end], b'[', b']'),
            _ => false,
        };
        if !drop {
            break;
        }
        end -= 1;
    }
    end
}

/// More closers than openers in `s`.
fn unbalanced(s: &[u8], open: u8, close: u8) -> bool {
    let opens = s.iter().filter(|&&b| b == open).count();
    let closes = s.iter().filter(|&&b| b == close).count();
    closes > opens
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(text: &str) -> Option<(String, &str)> {
        find_at(text, 0).map(|f| (f.href, &text[f.end..]))
    }

    #[test]
    fn stops_at_japanese_text_and_sentence_punctuation() {
        assert_eq!(
            url("https://a.org/x）だよ"),
            Some(("https://a.org/x".into(), "）だよ"))
        );
        assert_eq!(
            url("https://a.org/x?."),
            Some(("https://a.org/x".into(), "?."))
        );
        assert_eq!(
            url("https://a.org/x..."),
            Some(("https://a.org/x".into(), "..."))
        );
    }

    #[test]
    fn keeps_balanced_parentheses_and_drops_a_lone_closer() {
        assert_eq!(
            url("https://w.org/A_(b))"),
            Some(("https://w.org/A_(b)".into(), ")"))
        );
    }

    #[test]
    fn repairs_mangled_separators() {
        let expected = Some(("https://host/path".into(), "まで"));
        assert_eq!(url("https:＼＼host＼pathまで"), expected);
        assert_eq!(url("https:／／host／pathまで"), expected);
        assert_eq!(url("https:\u{200B}/\u{200B}/host/pathまで"), expected);
        assert_eq!(url("https: //host/pathまで"), expected);
    }

    #[test]
    fn splits_urls_glued_together_but_not_archive_urls() {
        assert_eq!(
            url("https://a.org/x.txthttps://b.org"),
            Some(("https://a.org/x.txt".into(), "https://b.org"))
        );
        let archive = "https://web.archive.org/web/2020/https://a.org";
        assert_eq!(url(archive), Some((archive.into(), "")));
    }

    #[test]
    fn needs_a_host() {
        assert!(url("https://").is_none());
        assert!(url("https:// x").is_none());
        assert!(url("httpx://a").is_none());
    }

    #[test]
    fn accepts_only_web_urls_as_targets() {
        assert!(is_web_url("https://a.org"));
        assert!(is_web_url("HTTP://a.org"));
        for bad in [
            "javascript:alert(1)",
            "data:text/html,x",
            "vbscript:x",
            "/posts/",
            "https://",
            "https://a b",
        ] {
            assert!(!is_web_url(bad), "{bad}");
        }
    }
}
