//! Where a route is served: root-relative paths (with the base path) and absolute URLs.

use matome_model::rules::{normalise_base_path, site_url};

/// The two prefixes every link needs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SiteUrls {
    /// Path prefix, `/` or `/sub/path/`.
    pub base_path: String,
    /// Absolute URL of the site root, ending with `/`.
    pub site_url: String,
}

impl SiteUrls {
    /// `base_url` is the configured absolute URL. When its path already ends with the
    /// base path it is used as is; otherwise the base path replaces its path (the
    /// build was given a public URL the config does not know about).
    pub fn new(base_url: &str, base_path: &str) -> Self {
        SiteUrls {
            base_path: normalise_base_path(base_path),
            site_url: site_url(base_url, base_path),
        }
    }

    /// Root-relative URL of a route or file (`posts/x/` → `/sub/posts/x/`). Leading
    /// slashes of `route` are dropped so content cannot produce `//host` links.
    pub fn path(&self, route: &str) -> String {
        format!(
            "{}{}",
            self.base_path,
            encode_path(route.trim_start_matches('/'))
        )
    }

    /// Absolute URL of a route or file, for canonical links, feeds and OpenGraph.
    pub fn abs(&self, route: &str) -> String {
        format!(
            "{}{}",
            self.site_url,
            encode_path(route.trim_start_matches('/'))
        )
    }
}

/// Percent-encodes a path (UTF-8 bytes of Japanese tag slugs, spaces, `?`, `#`, quotes),
/// keeping `/` and RFC 3986's unreserved and sub-delimiter characters. Servers decode it
/// back to the file name on disk.
pub fn encode_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for &b in path.as_bytes() {
        let keep = b.is_ascii_alphanumeric() || b"-._~/!$&'()*+,;=:@".contains(&b);
        if keep {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Splits `scheme://host[:port]/path` into origin and path (path at least `/`).
#[cfg(test)]
mod tests {
    use super::*;

    // A public URL given to the build wins over the path in the configured URL.
    #[test]
    fn base_path_replaces_the_configured_path() {
        let urls = SiteUrls::new("http://127.0.0.1:8080/", "/sub/path");
        assert_eq!(urls.site_url, "http://127.0.0.1:8080/sub/path/");
        assert_eq!(urls.path("posts/a/b/"), "/sub/path/posts/a/b/");
        assert_eq!(urls.abs("/tags/"), "http://127.0.0.1:8080/sub/path/tags/");
    }

    // Non-ASCII slugs are percent-encoded as UTF-8, as Hugo writes them.
    #[test]
    fn encodes_japanese_slugs() {
        let urls = SiteUrls::new("https://example.com/", "/");
        assert_eq!(urls.path("tags/日本/"), "/tags/%E6%97%A5%E6%9C%AC/");
        assert_eq!(encode_path("a b?#\"x"), "a%20b%3F%23%22x");
    }

    // The base path is read by the shared rule: a full URL keeps its path, empty is `/`,
    // as the compiler reads `base_path` in build.json.
    #[test]
    fn base_path_follows_the_shared_rule() {
        let urls = SiteUrls::new("https://example.com/", "https://example.com/blog");
        assert_eq!(urls.base_path, "/blog/");
        assert_eq!(urls.site_url, "https://example.com/blog/");
        assert_eq!(SiteUrls::new("https://example.com/", " ").base_path, "/");
    }

    // A configured URL that already carries the base path is kept.
    #[test]
    fn configured_url_with_the_base_path_is_kept() {
        let urls = SiteUrls::new("https://example.com/blog", "/blog/");
        assert_eq!(urls.site_url, "https://example.com/blog/");
        assert_eq!(
            SiteUrls::new("https://example.com/blog/", "/").site_url,
            "https://example.com/blog/"
        );
    }
}
