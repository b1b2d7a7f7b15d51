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
    let digits = |r: std::ops::Range<usize>| {
        iso.get(r).filter(|s| s.bytes().all(|b| b.is_ascii_digit()))
    };
    let y = digits(0..4)?;
    let m = digits(5..7)?;
    let d = digits(8..10)?;
    let hh = digits(11..13).unwrap_or("00");
    let mm = digits(14..16).unwrap_or("00");
    Some([y, m, d, hh, mm])
}

/// Whether `href` is an absolute http(s) URL that is safe to put in `<a href>`.
pub fn is_web_url(href: &str) -> bool {
    let lower = href.get(0..8).unwrap_or(href).to_ascii_lowercase();
    (lower.starts_with("http://") || lower.starts_with("https://"))
        && !href.chars().any(|c| c.is_control() || c.is_whitespace())
}

/// A CSS hex colour (`#rgb` or `#rrggbb`), or `None` for anything else.
pub fn hex_color(c: &str) -> Option<&str> {
    let hex = c.strip_prefix('#')?;
    let ok = matches!(hex.len(), 3 | 6) && hex.bytes().all(|b| b.is_ascii_hexdigit());
    ok.then_some(c)
}

/// `155680` → `155,680`.
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}
