//! Text folding ([`fold`]) and cutting folded text into index keys ([`index_keys`]),
//! and the shard each key lives in ([`shard_of`]).

use super::{MAX_KEY_CHARS, PREFIX_CHARS, TRIGRAM_BUCKETS, TRIGRAM_MARK};

/// Folds one character's width and kana (case is folded in [`fold_mapped`]). Half-width voiced marks become combining ones, which
/// [`fold_mapped`] composes with the kana before them.
fn fold_char(c: char) -> char {
    match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        '\u{3000}' => ' ',
        '\u{FF61}'..='\u{FF9F}' => HALF_KANA
            .chars()
            .nth((c as u32 - 0xFF61) as usize)
            .map_or(c, fold_char),
        // Katakana to hiragana (ヴ too); the long vowel mark and ヷ–ヺ stay.
        '\u{30A1}'..='\u{30F6}' => char::from_u32(c as u32 - 0x60).unwrap_or(c),
        _ => c,
    }
}

/// Half-width katakana U+FF61..=U+FF9F in order, full width.
const HALF_KANA: &str = "。「」、・ヲァィゥェォャュョッーアイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワン\u{3099}\u{309A}";

/// The hiragana `base` with a voiced (`mark` U+3099) or semi-voiced (U+309A) mark.
fn compose(base: char, mark: char) -> Option<char> {
    let b = base as u32;
    let voiced = mark == '\u{3099}';
    let ok = match b {
        // か…ぢ and つ…ど alternate plain/voiced; は…ぽ go in threes.
        0x304B..=0x3062 | 0x3064..=0x3069 => voiced && (b % 2 == 1) == (b < 0x3063),
        0x306F..=0x307D => (b - 0x306F).is_multiple_of(3),
        0x3046 => voiced,
        _ => false,
    };
    let add = match (b, voiced) {
        (0x3046, _) => 0x3094 - 0x3046,
        (_, true) => 1,
        (_, false) => 2,
    };
    if ok {
        char::from_u32(b + add)
    } else {
        None
    }
}

/// Text in its folded form with, for each folded byte, the byte offset in the source
/// where its character came from (plus one entry for the end).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Folded {
    /// The folded text: see [`fold`].
    pub text: String,
    /// `map[i]` is the source offset of folded byte `i`; `map[text.len()]` is the
    /// source's length.
    pub map: Vec<usize>,
}

impl Folded {
    /// The source range of the folded range `start..end`.
    pub fn source_range(&self, start: usize, end: usize) -> (usize, usize) {
        let s = self.map.get(start).copied().unwrap_or(0);
        let e = match end {
            e if e >= self.text.len() => self.map.last().copied().unwrap_or(0),
            e => self.map.get(e).copied().unwrap_or(0),
        };
        (s, e.max(s))
    }
}

/// [`fold`] with the offsets back into `text`.
pub fn fold_mapped(text: &str) -> Folded {
    let mut out = Folded {
        text: String::with_capacity(text.len()),
        map: Vec::with_capacity(text.len() + 1),
    };
    fold_into(text, &mut out.text, Some(&mut out.map));
    out.map.push(text.len());
    out
}

/// Folds `text` onto `out`; with `map`, records each folded byte's source offset.
fn fold_into(text: &str, out: &mut String, mut map: Option<&mut Vec<usize>>) {
    let mut space = false;
    for (at, c) in text.char_indices() {
        let c = fold_char(c);
        if c.is_whitespace() {
            space = !out.is_empty();
            continue;
        }
        if matches!(c, '\u{3099}' | '\u{309A}') {
            let last = out.chars().next_back();
            if let Some(composed) = last.and_then(|l| compose(l, c)) {
                let keep = out.len() - last.map_or(0, char::len_utf8);
                out.truncate(keep);
                // The composed character keeps the base's source offset.
                let from = map.as_deref_mut().map_or(0, |m| {
                    let from = m[keep];
                    m.truncate(keep);
                    from
                });
                push(out, map.as_deref_mut(), composed, from);
                continue;
            }
        }
        if space {
            push(out, map.as_deref_mut(), ' ', at);
            space = false;
        }
        if c.is_ascii() || is_cjk(c) {
            push(out, map.as_deref_mut(), c.to_ascii_lowercase(), at);
        } else {
            for l in c.to_lowercase() {
                push(out, map.as_deref_mut(), l, at);
            }
        }
    }
}

fn push(out: &mut String, map: Option<&mut Vec<usize>>, c: char, from: usize) {
    out.push(c);
    if let Some(map) = map {
        map.extend(std::iter::repeat_n(from, c.len_utf8()));
    }
}

/// Case-, width- and kana-insensitive form with collapsed whitespace: ASCII and other
/// letters lowercased, full-width ASCII to ASCII, half-width katakana to full width
/// (`ｶﾞ` → `が`), katakana to hiragana, every run of whitespace (ideographic space
/// included) to one space, trimmed. `ＳＱＬｉｔｅ` and `sqlite` fold alike, and so do
/// `ﾃﾞｨｰﾌﾟ`, `ディープ` and `でぃーぷ`. (The same as [`fold_mapped`]'s text, without
/// working out the offsets.)
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    fold_into(text, &mut out, None);
    out
}

/// Kinds of folded characters for cutting text into keys.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Class {
    /// Letters and digits of space-separated scripts: make up words.
    Word,
    /// Kana, ideographs, hangul: cut into characters and bigrams.
    Cjk,
    /// Everything else separates.
    Other,
}

/// Whether `c` is written without spaces between words.
pub fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3005..=0x3007     // 々 〆 〇
        | 0x3041..=0x30FF   // hiragana, katakana, ー
        | 0x3400..=0x4DBF   // CJK extension A
        | 0x4E00..=0x9FFF   // CJK unified ideographs
        | 0xF900..=0xFAFF   // compatibility ideographs
        | 0xAC00..=0xD7AF   // hangul
        | 0x20000..=0x2FFFF)
}

/// The [`Class`] of a folded character.
pub fn class(c: char) -> Class {
    if c.is_ascii_alphanumeric() {
        Class::Word
    } else if c.is_ascii() {
        Class::Other
    } else if is_cjk(c) {
        Class::Cjk
    } else if c.is_alphanumeric() {
        Class::Word
    } else {
        Class::Other
    }
}

/// Runs of one class in folded text (Other runs skipped): `(class, run)`.
pub(super) fn runs(folded: &str) -> impl Iterator<Item = (Class, &str)> {
    let mut rest = folded;
    std::iter::from_fn(move || loop {
        let first = rest.chars().next()?;
        let kind = class(first);
        let end = rest
            .char_indices()
            .find(|&(_, c)| class(c) != kind)
            .map_or(rest.len(), |(i, _)| i);
        let (run, tail) = rest.split_at(end);
        rest = tail;
        if kind != Class::Other {
            return Some((kind, run));
        }
    })
}

/// First `n` characters of `s`.
pub(super) fn head(s: &str, n: usize) -> &str {
    s.char_indices().nth(n).map_or(s, |(i, _)| &s[..i])
}

/// The byte offset of each character of `run`, then `run.len()`: character `k` is
/// `run[starts[k]..starts[k + 1]]` (the index's unigrams and bigrams and the query's
/// lookups cut runs the same way).
pub fn char_starts(run: &str) -> Vec<usize> {
    run.char_indices()
        .map(|(i, _)| i)
        .chain([run.len()])
        .collect()
}

/// Each place where a word and a CJK run touch (`Rust製`, `idを`): the last character
/// of one and the first of the other, as one key, so `Cycプロジェクト` narrows to the
/// posts where the two touch, not every post holding both somewhere.
pub fn junctions<'a>(folded: &'a str, mut key: impl FnMut(&'a str)) {
    let mut prev: Option<(usize, char)> = None;
    for (i, c) in folded.char_indices() {
        if let Some((p, pc)) = prev {
            let (a, b) = (class(pc), class(c));
            if a != b && a != Class::Other && b != Class::Other {
                key(&folded[p..i + c.len_utf8()]);
            }
        }
        prev = Some((i, c));
    }
}

/// Every index key of folded text, possibly repeated: whole words (cut to
/// [`MAX_KEY_CHARS`]), each CJK character and each pair of neighbouring ones, and the
/// [`junctions`] of words and CJK runs.
pub fn index_keys<'a>(folded: &'a str, mut key: impl FnMut(&'a str)) {
    junctions(folded, &mut key);
    for (kind, run) in runs(folded) {
        match kind {
            Class::Word => key(head(run, MAX_KEY_CHARS)),
            _ => {
                let starts = char_starts(run);
                for w in starts.windows(3) {
                    key(&run[w[0]..w[1]]);
                    key(&run[w[0]..w[2]]);
                }
                if let [.., a, b] = starts[..] {
                    key(&run[a..b]);
                }
            }
        }
    }
}

/// Every trigram of the CJK runs of folded text (possibly repeated), as its bucket
/// ([`trigram_bucket`]): three neighbouring characters narrow a phrase far more than
/// the pairs do, and hashing them into [`TRIGRAM_BUCKETS`] keys bounds the index (a
/// site holds millions of distinct trigrams, most in one post).
pub fn index_trigrams(folded: &str, mut bucket: impl FnMut(u32)) {
    for (kind, run) in runs(folded) {
        if kind == Class::Cjk {
            let starts = char_starts(run);
            for w in starts.windows(4) {
                bucket(trigram_bucket(&run[w[0]..w[3]]));
            }
        }
    }
}

/// The bucket of a trigram among [`TRIGRAM_BUCKETS`] (FNV-1a of its bytes).
pub fn trigram_bucket(trigram: &str) -> u32 {
    fnv1a(trigram.as_bytes()) % TRIGRAM_BUCKETS
}

/// The index key of trigram bucket `bucket`: [`TRIGRAM_MARK`] and its number in hex
/// (never a word, a character or a pair of them).
pub fn trigram_key(bucket: u32) -> String {
    format!("{TRIGRAM_MARK}{bucket:x}")
}

fn fnv1a(bytes: &[u8]) -> u32 {
    let mut h: u32 = 0x811C_9DC5;
    for &b in bytes {
        h = (h ^ u32::from(b)).wrapping_mul(0x0100_0193);
    }
    h
}

/// The text that decides a key's shard: a Latin word's first [`PREFIX_CHARS`]
/// characters, any other key whole.
pub fn shard_text(key: &str) -> &str {
    match key.chars().next() {
        Some(c) if class(c) == Class::Word => head(key, PREFIX_CHARS),
        _ => key,
    }
}

/// The shard of a key among `shards` (FNV-1a of [`shard_text`]).
pub fn shard_of(key: &str, shards: usize) -> usize {
    (fnv1a(shard_text(key).as_bytes()) as usize) % shards.max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    // Full-width letters, capitals, ideographic spaces and line breaks fold to one form.
    #[test]
    fn folds_case_width_and_whitespace() {
        assert_eq!(
            fold("ＳＱＬｉｔｅ\u{3000}と  Rust\n\tの話！ "),
            "sqlite と rust の話!"
        );
        assert_eq!(fold("  "), "");
        assert_eq!(fold("ｃ＋＋"), "c++");
        assert_eq!(fold("ÉCOLE Straße"), "école straße");
    }

    // Half-width katakana (voiced marks composed), katakana and hiragana fold alike.
    #[test]
    fn folds_half_width_katakana_and_kana() {
        assert_eq!(fold("ﾃﾞｨｰﾌﾟｼｰｸ"), fold("ディープシーク"));
        assert_eq!(fold("ディープシーク"), "でぃーぷしーく");
        assert_eq!(fold("ｳﾞｧｲｵﾘﾝ ﾊﾟﾊﾞ"), fold("ヴァイオリン パバ"));
        // Combining marks (NFD input) compose too; a mark after a non-kana stays.
        assert_eq!(fold("カ\u{3099}"), "が");
        assert_eq!(fold("a\u{3099}"), "a\u{3099}");
    }

    // Offsets map folded bytes back to the characters they came from.
    #[test]
    fn fold_mapped_keeps_source_offsets() {
        let f = fold_mapped("ﾃﾞｨ  ＲＵＳＴ");
        assert_eq!(f.text, "でぃ rust");
        let at = f.text.find("rust").unwrap();
        let (s, e) = f.source_range(at, at + 4);
        assert_eq!(&"ﾃﾞｨ  ＲＵＳＴ"[s..e], "ＲＵＳＴ");
        let (s, e) = f.source_range(0, 3);
        assert_eq!(&"ﾃﾞｨ  ＲＵＳＴ"[s..e], "ﾃﾞ");
    }

    // `fold` (no offsets) and `fold_mapped` fold alike: composed marks, half-width
    // kana, whitespace, capitals beyond ASCII.
    #[test]
    fn fold_and_fold_mapped_agree() {
        for text in [
            "ﾃﾞｨ  ＲＵＳＴ",
            "カ\u{3099}ｷﾞ\u{309A}a\u{3099}",
            "\u{3000} ÉCOLE\nStraße ",
            "",
            "ﾊﾟﾊﾞ　ヴァイオリン",
        ] {
            assert_eq!(fold(text), fold_mapped(text).text, "{text:?}");
        }
    }

    // Words whole, CJK as characters and bigrams.
    #[test]
    fn cuts_words_and_bigrams() {
        let mut keys = Vec::new();
        index_keys(&fold("Rust製の高速DB"), |k| keys.push(k.to_string()));
        assert_eq!(
            keys,
            [
                "t製", "速d", "rust", "製", "製の", "の", "の高", "高", "高速", "速", "db"
            ]
        );
    }

    // Trigrams of CJK runs only, as buckets; words and short runs give none.
    #[test]
    fn cuts_trigrams_into_buckets() {
        let mut got = Vec::new();
        index_trigrams(&fold("Rust製の高速DB と 字"), |b| got.push(b));
        let want: Vec<u32> = ["製の高", "の高速"].map(trigram_bucket).to_vec();
        assert_eq!(got, want);
        assert!(want.iter().all(|&b| b < TRIGRAM_BUCKETS));
        assert!(trigram_key(want[0]).starts_with(TRIGRAM_MARK));
    }

    // Shards: a prefix's words share its shard.
    #[test]
    fn words_with_one_prefix_share_a_shard() {
        assert_eq!(shard_of("deepseek", 64), shard_of("dee", 64));
        assert_eq!(shard_of("x", 0), 0);
    }
}
