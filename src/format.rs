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

/// Whether `href` is an http(s) URL that may become a link (the shared rule).
pub fn is_web_url(href: &str) -> bool {
    matome_model::rules::is_web_url(href)
}

/// A CSS hex colour (`#rgb`, `#rgba`, `#rrggbb`, `#rrggbbaa`), or `None` for anything else.
pub fn hex_color(c: &str) -> Option<&str> {
    matome_model::rules::is_hex_colour(c).then_some(c)
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
