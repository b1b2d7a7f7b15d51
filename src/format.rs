//! Hand-written date formatting (no chrono: the wasm stays small).
//!
//! Dates in the bundle are `YYYY-MM-DDTHH:MM:SS`; anything else is shown as it is.

/// `2025-04-14T18:04:41` → `2025/04/14`.
pub fn date(iso: &str) -> String {
    match parts(iso) {
        Some([y, m, d, ..]) => format!("{y}/{m}/{d}"),
        None => iso.to_string(),
    }
}

/// `2025-04-14T18:04:41` → `2025/04/14 18:04`.
pub fn date_time(iso: &str) -> String {
    match parts(iso) {
        Some([y, m, d, hh, mm]) => format!("{y}/{m}/{d} {hh}:{mm}"),
        None => iso.to_string(),
    }
}

/// The year of a date, e.g. `2025`.
pub fn year(iso: &str) -> Option<u16> {
    iso.get(0..4)?.parse().ok()
}

/// Year and month of a date.
pub fn year_month(iso: &str) -> Option<(u16, u8)> {
    Some((year(iso)?, iso.get(5..7)?.parse().ok()?))
}

/// `2025年4月`.
pub fn month_label(year: u16, month: u8) -> String {
    format!("{year}年{month}月")
}

fn parts(iso: &str) -> Option<[&str; 5]> {
    let digits =
        |r: std::ops::Range<usize>| iso.get(r).filter(|s| s.bytes().all(|b| b.is_ascii_digit()));
    let y = digits(0..4)?;
    let m = digits(5..7)?;
    let d = digits(8..10)?;
    let hh = digits(11..13).unwrap_or("00");
    let mm = digits(14..16).unwrap_or("00");
    Some([y, m, d, hh, mm])
}

/// Whether `href` is an http(s) URL that may become a link (the shared rule).
pub fn is_web_url(href: &str) -> bool {
    matome_model::rules::is_web_url(href)
}

/// A CSS hex colour (`#rgb`, `#rgba`, `#rrggbb`, `#rrggbbaa`), or `None` for anything else.
pub fn hex_color(c: &str) -> Option<&str> {
    matome_model::rules::is_hex_colour(c).then_some(c)
}

/// `155680` → `155,680`: every count the app shows goes through here.
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A section label whose author wrote its count in brackets at the end
/// (`もっとコメントを表示（1234）`) with that count separated like the others
/// (`もっとコメントを表示（1,234）`); any other label as it is.
pub fn label_count(label: &str) -> String {
    let Some((open, close)) = [("（", "）"), ("(", ")")]
        .into_iter()
        .find(|(_, close)| label.ends_with(close))
    else {
        return label.to_string();
    };
    let inner = &label[..label.len() - close.len()];
    let digits = inner.len() - inner.trim_end_matches(|c: char| c.is_ascii_digit()).len();
    let (head, number) = inner.split_at(inner.len() - digits);
    match number.parse::<u64>() {
        Ok(n) if head.ends_with(open) => format!("{head}{}{close}", thousands(n)),
        _ => label.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // Counts get a comma every three digits from the right, and none below 1,000.
    #[test]
    fn separates_thousands_with_commas() {
        for (n, text) in [
            (0, "0"),
            (7, "7"),
            (999, "999"),
            (1_000, "1,000"),
            (1_234, "1,234"),
            (12_345, "12,345"),
            (155_680, "155,680"),
            (1_000_000, "1,000,000"),
            (u64::MAX, "18,446,744,073,709,551,615"),
        ] {
            assert_eq!(thousands(n), text, "{n}");
        }
    }

    // The count at the end of a section label is separated; other labels stay as written.
    #[test]
    fn separates_the_count_at_the_end_of_a_label() {
        assert_eq!(
            label_count("もっとコメントを表示（1234）"),
            "もっとコメントを表示（1,234）"
        );
        assert_eq!(
            label_count("もっとコメントを表示(56789)"),
            "もっとコメントを表示(56,789)"
        );
        assert_eq!(
            label_count("もっとコメントを表示（1）"),
            "もっとコメントを表示（1）"
        );
        for label in [
            "もっとコメントを表示",
            "返信（その2000）",
            "（）",
            "2025（年）",
            "12345）",
            "",
        ] {
            assert_eq!(label_count(label), label);
        }
    }
}
