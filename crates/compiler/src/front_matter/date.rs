//! Dates of posts (`date`, `months`) and of comment cards (`createdAt`).
//!
//! The spellings a post may use are read here, byte by byte; whether the day and the time
//! exist is jiff's business. jiff's own parsers are not used on the raw text because they
//! take more spellings than posts are promised (`2025-2-7`, `20250207`, an hour alone,
//! `[Asia/Tokyo]` annotations): a spelling accepted once must stay accepted, and one
//! refused must stay refused, so the accepted set is the one written down here.

use std::ops::Range;

/// Accepts `YYYY-MM-DD`, `YYYY-MM-DDTHH:MM[:SS]`, also with a space instead of `T`, `/`
/// instead of `-`, fractional seconds and a zone suffix (`Z` or `±HH:MM`, dropped: dates
/// are shown as written). Returns `YYYY-MM-DDTHH:MM:SS`; `None` for another spelling or a
/// day or time that does not exist (2025-02-29, 24:00).
pub fn normalise_date(s: &str) -> Option<String> {
    let canonical = canonical(s.trim())?;
    // jiff checks the calendar (month lengths, leap years) and the time of day. A leap
    // second (`:60`, which RFC 3339 allows) passes, as jiff reads it as `:59`; the text
    // keeps what the author wrote.
    canonical.parse::<jiff::civil::DateTime>().ok()?;
    Some(canonical)
}

/// The accepted spelling of `s` rewritten as `YYYY-MM-DDTHH:MM:SS` from its own digits,
/// values unchecked; `None` for any other spelling.
fn canonical(s: &str) -> Option<String> {
    let b = s.as_bytes();
    let digits = |r: Range<usize>| b.get(r).is_some_and(|d| d.iter().all(u8::is_ascii_digit));
    if !(digits(0..4) && digits(5..7) && digits(8..10)) {
        return None;
    }
    let sep = b[4];
    if !(sep == b'-' || sep == b'/') || b[7] != sep {
        return None;
    }
    let mut out = String::with_capacity(19);
    for (i, part) in [&s[0..4], &s[5..7], &s[8..10]].into_iter().enumerate() {
        if i > 0 {
            out.push('-');
        }
        out.push_str(part);
    }
    out.push('T');
    if b.len() == 10 {
        out.push_str("00:00:00");
        return Some(out);
    }
    if !matches!(b[10], b'T' | b' ') || b.get(13) != Some(&b':') || !digits(11..13) {
        return None;
    }
    if !digits(14..16) {
        return None;
    }
    out.push_str(&s[11..16]);
    let mut tail = &b[16..];
    if tail.first() == Some(&b':') {
        if !digits(17..19) {
            return None;
        }
        out.push_str(&s[16..19]);
        tail = &tail[3..];
    } else {
        out.push_str(":00");
    }
    if let Some(fraction) = tail.strip_prefix(b".") {
        let n = fraction.iter().take_while(|c| c.is_ascii_digit()).count();
        if n == 0 {
            return None;
        }
        tail = &fraction[n..];
    }
    let zone_ok = match tail {
        [] | [b'Z'] => true,
        [b'+' | b'-', h1, h2, b':', m1, m2] => [h1, h2, m1, m2].iter().all(|x| x.is_ascii_digit()),
        _ => false,
    };
    zone_ok.then_some(out)
}

/// `2025/04` (or `2025-04`) → (2025, 4).
pub(super) fn parse_month(s: &str) -> Option<(u16, u8)> {
    let s = s.trim();
    let b = s.as_bytes();
    if b.len() != 7 || !(b[4] == b'/' || b[4] == b'-') {
        return None;
    }
    let number = |r: Range<usize>| {
        let d = &s[r];
        d.bytes()
            .all(|c| c.is_ascii_digit())
            .then(|| d.parse::<u16>().ok())?
    };
    let (y, m) = (number(0..4)?, number(5..7)?);
    (1..=12).contains(&m).then_some((y, m as u8))
}
