//! Where things live: data files of the bundle and routes of the site.
//!
//! All paths are relative to the site root (no leading `/`); callers prepend the base
//! path. Routes end with `/`, like Hugo's pretty URLs.

/// The entry file of the bundle.
pub const SITE_JSON: &str = "data/site.json";

/// Default (unhashed) name of list page `n` (1-based).
pub fn page_json(n: u32) -> String {
    format!("data/pages/{n}.json")
}

/// Default (unhashed) name of the tag index.
pub const TAGS_JSON: &str = "data/tags.json";

/// Default (unhashed) name of a tag's list shard.
pub fn tag_json(slug: &str) -> String {
    format!("data/tags/{slug}.json")
}

/// Default (unhashed) name of a month's list shard.
pub fn month_json(year: u16, month: u8) -> String {
    format!("data/months/{year:04}-{month:02}.json")
}

/// Default (unhashed) name of the search index's post table (text, not JSON).
pub const SEARCH_TABLE: &str = "data/search/posts.txt";

/// Default (unhashed) name of search index key shard `n` (0-based; text, not JSON).
pub fn search_shard(n: usize) -> String {
    format!("data/search/{n}.txt")
}

/// The post file: stable, so a deep link to a post needs no other fetch.
pub fn post_json(path: &str) -> String {
    format!("data/posts/{path}.json")
}

/// Route of one post: `posts/<section>/<slug>/`.
pub fn post_route(path: &str) -> String {
    format!("posts/{path}/")
}

/// Route of list page `n`: `posts/` for page 1, `posts/page/<n>/` after.
pub fn page_route(n: u32) -> String {
    if n <= 1 {
        "posts/".to_string()
    } else {
        format!("posts/page/{n}/")
    }
}

/// Route of the tag list.
pub const TAGS_ROUTE: &str = "tags/";

/// Route of one tag.
pub fn tag_route(slug: &str) -> String {
    format!("tags/{slug}/")
}

/// Route of the month archive.
pub const MONTHS_ROUTE: &str = "months/";

/// Route of one month: `months/<yyyy>/<mm>/`.
pub fn month_route(year: u16, month: u8) -> String {
    format!("months/{year:04}/{month:02}/")
}

/// Route of the search page.
pub const SEARCH_ROUTE: &str = "search/";

/// Percent-encodes one path segment the way JavaScript's `encodeURIComponent` does
/// (keeps ASCII letters, digits and `-_.!~*'()`), so links built at build time and in
/// the browser are byte-identical.
pub fn encode_component(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for &b in s.as_bytes() {
        if b.is_ascii_alphanumeric() || b"-_.!~*'()".contains(&b) {
            out.push(b as char);
        } else {
            out.push('%');
            out.push(char::from(b"0123456789ABCDEF"[usize::from(b >> 4)]));
            out.push(char::from(b"0123456789ABCDEF"[usize::from(b & 15)]));
        }
    }
    out
}

/// Decodes `%XX` escapes; `None` when an escape is malformed or the bytes are not UTF-8.
pub fn decode_component(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = s.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    // Routes match the Hugo site's URLs so old links keep working.
    #[test]
    fn routes_match_hugo_urls() {
        assert_eq!(post_route("2025_04/x"), "posts/2025_04/x/");
        assert_eq!(page_route(1), "posts/");
        assert_eq!(page_route(3), "posts/page/3/");
        assert_eq!(month_route(2025, 4), "months/2025/04/");
        assert_eq!(month_json(2025, 4), "data/months/2025-04.json");
        assert_eq!(search_shard(7), "data/search/7.txt");
    }

    // Segments are encoded like encodeURIComponent and decode back.
    #[test]
    fn encodes_components_like_javascript() {
        assert_eq!(
            encode_component("C# と .NET/x"),
            "C%23%20%E3%81%A8%20.NET%2Fx"
        );
        assert_eq!(encode_component("a-b_c.d!e~f*g'h(i)"), "a-b_c.d!e~f*g'h(i)");
        assert_eq!(
            decode_component("C%23%20%E3%81%A8").as_deref(),
            Some("C# と")
        );
        assert_eq!(decode_component("%E3%81"), None);
        assert_eq!(decode_component("%zz"), None);
    }
}
