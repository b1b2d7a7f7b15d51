//! Splitting a body into lines at `<br>` and its broken spellings.

/// Opening brackets of a break: `<`, `＜` (U+FF1C), `‹` (U+2039).
const OPENERS: [&str; 3] = ["<", "＜", "‹"];
/// Closing brackets of a break: `>`, `＞` (U+FF1E), `›` (U+203A).
const CLOSERS: [&str; 3] = [">", "＞", "›"];

/// Iterator over the lines of a body. Never yields anything for an empty body; a body
/// `a<br>` yields `a` and an empty last line.
pub(super) struct Lines<'a> {
    rest: Option<&'a str>,
}

/// The lines of `body`, split at every break spelling (see [`break_at`]).
pub(super) fn lines(body: &str) -> Lines<'_> {
    Lines {
        rest: (!body.is_empty()).then_some(body),
    }
}

impl<'a> Iterator for Lines<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        let rest = self.rest?;
        match find_break(rest) {
            Some((start, end)) => {
                self.rest = Some(&rest[end..]);
                Some(&rest[..start])
            }
            None => {
                self.rest = None;
                Some(rest)
            }
        }
    }
}

/// Byte span of the first break in `s`.
fn find_break(s: &str) -> Option<(usize, usize)> {
    let bytes = s.as_bytes();
    let mut from = 0;
    // `<` and the lead bytes of `＜` (EF) and `‹` (E2).
    while let Some(offset) = memchr::memchr3(b'<', 0xEF, 0xE2, &bytes[from..]) {
        let at = from + offset;
        if let Some(len) = break_at(&s[at..]) {
            return Some((at, at + len));
        }
        from = at + 1;
    }
    None
}

/// Length of the break starting `s`, if `s` starts with one: an opener, `br` in any
/// case, optional spaces and slash, and a closer. Without a closer (`<brこれは`, `<br- `)
/// it is still a break unless a letter or digit follows (`<break time=…>` is text).
pub(super) fn break_at(s: &str) -> Option<usize> {
    let opener = OPENERS.iter().find(|o| s.starts_with(**o))?;
    let mut at = opener.len();
    let name = s.as_bytes().get(at..at + 2)?;
    if !name.eq_ignore_ascii_case(b"br") {
        return None;
    }
    at += 2;
    let after_name = at;
    while s.as_bytes().get(at) == Some(&b' ') {
        at += 1;
    }
    for slash in ["/", "／"] {
        if s[at..].starts_with(slash) {
            at += slash.len();
            break;
        }
    }
    if let Some(closer) = CLOSERS.iter().find(|c| s[at..].starts_with(**c)) {
        return Some(at + closer.len());
    }
    match s[after_name..].chars().next() {
        Some(c) if c.is_ascii_alphanumeric() => None,
        _ => Some(after_name),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(body: &str) -> Vec<&str> {
        lines(body).collect()
    }

    #[test]
    fn splits_at_every_spelling() {
        for br in [
            "<br>",
            "＜br＞",
            "＜br/＞",
            "‹br＞",
            "＜br>",
            "<br＞",
            "＜BR＞",
            "<br/>",
            "<br />",
            "<BR>",
        ] {
            assert_eq!(split(&format!("a{br}b")), ["a", "b"], "{br}");
        }
    }

    #[test]
    fn splits_at_unclosed_br_before_non_letters() {
        assert_eq!(split("a<br- b<brこれ"), ["a", "- b", "これ"]);
        assert_eq!(split("a<br"), ["a", ""]);
    }

    #[test]
    fn keeps_tags_that_only_start_with_br() {
        assert_eq!(
            split("<break time=‘1.0s’ /> <brand>"),
            ["<break time=‘1.0s’ /> <brand>"]
        );
    }

    #[test]
    fn yields_empty_lines_around_leading_and_trailing_breaks() {
        assert_eq!(split("<br>a<br><br>"), ["", "a", "", ""]);
        assert!(split("").is_empty());
    }
}
