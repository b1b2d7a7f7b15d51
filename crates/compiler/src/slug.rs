//! Tag slugs: Hugo-compatible where Hugo's are safe, and always a safe, distinct path
//! segment and file name.
//!
//! The rule ([`base_slug`]):
//! 1. lowercase (Unicode), so `ASUS` and `Asus` share one slug (they are one tag);
//! 2. letters, digits and marks of any script, `-` and `_` are kept, as Hugo keeps them;
//! 3. whitespace becomes `-` (Hugo: `machine learning` → `machine-learning`);
//! 4. `#` → `sharp`, `+` → `plus`, `&`/`＆` → `and`, a leading `.` → `dot`, each as its own
//!    `-`-separated word (`C#` → `c-sharp`, `.NET` → `dotnet`... see tests); Hugo keeps these
//!    characters, but `#` ends a URL path and a leading `.` makes a hidden file or `..`;
//! 5. `.` inside a word is kept (`node.js`); every other character (`/`, `'`, `?`, `%`, …)
//!    is dropped, a run of `-` collapses to one, `-` and `.` are trimmed from both ends;
//! 6. an empty result becomes `tag`, and slugs are cut to 100 bytes.
//!
//! Distinct tags can still meet (`UI/UX` and `UI-UX`): [`assign_slugs`] gives the first
//! tag (most posts, then name) the base slug and the others `-2`, `-3`, …

use std::collections::HashSet;

/// Slug of one tag name (see the module docs for the rule).
pub fn base_slug(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let push_word = |out: &mut String, w: &str| {
        if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
        out.push_str(w);
        out.push('-');
    };
    let lower = name.trim().to_lowercase();
    for (i, c) in lower.char_indices() {
        match c {
            c if c.is_alphanumeric() || c == '_' => out.push(c),
            '-' => out.push('-'),
            c if c.is_whitespace() => out.push('-'),
            '#' | '＃' => push_word(&mut out, "sharp"),
            '+' | '＋' => push_word(&mut out, "plus"),
            '&' | '＆' => push_word(&mut out, "and"),
            '.' if i == 0 => out.push_str("dot"),
            '.' => out.push('.'),
            // Combining marks (Bengali vowel signs, dakuten) belong to the letter before.
            c if matome_model::rules::is_mark(c) => out.push(c),
            _ => {}
        }
    }
    let mut slug = String::with_capacity(out.len());
    for c in out.chars() {
        if c == '-' && (slug.ends_with('-') || slug.is_empty()) {
            continue;
        }
        slug.push(c);
    }
    let mut slug = slug.trim_matches(['-', '.']).to_string();
    if slug.len() > 100 {
        let mut cut = 100;
        while !slug.is_char_boundary(cut) {
            cut -= 1;
        }
        slug.truncate(cut);
        slug = slug.trim_end_matches(['-', '.']).to_string();
    }
    if slug.is_empty() {
        "tag".to_string()
    } else {
        slug
    }
}

/// Gives each key (already in priority order) a distinct slug.
pub fn assign_slugs<'a>(names: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    let mut taken = HashSet::new();
    names
        .into_iter()
        .map(|name| {
            let base = base_slug(name);
            let mut slug = base.clone();
            let mut n = 2;
            while !taken.insert(slug.clone()) {
                slug = format!("{base}-{n}");
                n += 1;
            }
            slug
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    // Plain tags get Hugo's slug: lowercase, spaces to dashes, Japanese kept.
    #[test]
    fn slugs_plain_tags_like_hugo() {
        assert_eq!(base_slug("AI"), "ai");
        assert_eq!(base_slug("machine learning"), "machine-learning");
        assert_eq!(base_slug("セキュリティ"), "セキュリティ");
        assert_eq!(base_slug("Node.js"), "node.js");
        assert_eq!(base_slug("Asus"), base_slug("ASUS"));
    }

    // Characters unsafe in a path segment or file name never reach the slug.
    #[test]
    fn slugs_punctuation_into_safe_segments() {
        assert_eq!(base_slug("C#"), "c-sharp");
        assert_eq!(base_slug("F#"), "f-sharp");
        assert_eq!(base_slug(".NET"), "dotnet");
        assert_eq!(base_slug("UI/UX"), "uiux");
        assert_eq!(base_slug("AT&T"), "at-and-t");
        assert_eq!(base_slug("Anna's Archive"), "annas-archive");
        assert_eq!(base_slug("コマンド＆コンカー"), "コマンド-and-コンカー");
        assert_eq!(base_slug(".."), "dot");
        assert_eq!(base_slug("/"), "tag");
        for s in ["C#", "..", "a/b", "x?y", "%2F", " - "] {
            let slug = base_slug(s);
            assert!(
                !slug.contains(['/', '\\', '#', '?', '%']) && !slug.starts_with('.'),
                "{s} -> {slug}"
            );
        }
    }

    // Distinct tags that meet on one slug get numbered suffixes.
    #[test]
    fn colliding_tags_get_distinct_slugs() {
        assert_eq!(
            assign_slugs(["UI/UX", "uiux", "C"]),
            ["uiux", "uiux-2", "c"]
        );
    }
}
