//! The one normalisation that search text and queries both go through, so the
//! compiler's search shards and the app's queries always compare like with like.

/// Case- and width-insensitive form with collapsed whitespace: lowercase, full-width
/// ASCII (U+FF01–U+FF5E) to ASCII, the ideographic space (U+3000) to a space, and every
/// run of whitespace to one space, trimmed. `ＳＱＬｉｔｅ` and `sqlite` fold alike.
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    fold_into(text, &mut out);
    out
}

/// [`fold`] appended to `out`: a space separates it from text already there.
pub fn fold_into(text: &str, out: &mut String) {
    let mut space = !out.is_empty();
    let mut started = !out.is_empty();
    for c in text.chars() {
        let c = match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            '\u{3000}' => ' ',
            _ => c,
        };
        if c.is_whitespace() {
            space = true;
            continue;
        }
        if space && started {
            out.push(' ');
        }
        space = false;
        started = true;
        match c {
            // Most of the text: ASCII, and kana and kanji, which have no case.
            _ if c.is_ascii() => out.push(c.to_ascii_lowercase()),
            '\u{3000}'..='\u{9FFF}' => out.push(c),
            _ => out.extend(c.to_lowercase()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // Full-width letters, capitals, ideographic spaces and line breaks fold to one form.
    #[test]
    fn folds_case_width_and_whitespace() {
        assert_eq!(fold("ＳＱＬｉｔｅ\u{3000}と  Rust\n\tの話！ "), "sqlite と rust の話!");
        assert_eq!(fold("  "), "");
        assert_eq!(fold("ｃ＋＋"), "c++");
    }

    // Appending keeps one space between pieces and none at either end.
    #[test]
    fn fold_into_joins_pieces_with_one_space() {
        let mut out = String::new();
        fold_into(" Title ", &mut out);
        fold_into("", &mut out);
        fold_into("\nTag", &mut out);
        assert_eq!(out, "title tag");
    }
}
