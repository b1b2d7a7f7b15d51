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

/// Default (unhashed) name of a month's search shard.
pub fn search_json(year: u16, month: u8) -> String {
    format!("data/search/{year:04}-{month:02}.json")
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
        assert_eq!(search_json(2025, 4), "data/search/2025-04.json");
    }
}
