//! The Trunk `index.html` as a template: the app's script, wasm and CSS links and the
//! `<base href>` stay as Trunk wrote them; the tags this crate owns (title, description,
//! canonical, OpenGraph, Twitter, feed links) are replaced per page, and the page itself,
//! as the app's components render it, opens `<body>`.

use std::path::Path;

use crate::escape::escape;
use crate::SiteError;

/// Marks the end of the content this step put into a page's body.
const END_OF_PAGE: &str = "<!--/matome-page-->";

/// The template, with the owned tags removed and two insertion points.
#[derive(Clone, Debug)]
pub struct Template {
    html: String,
    head_at: usize,
    body_at: usize,
    /// The Content-Security-Policy pinning the template's inline scripts.
    csp: String,
    /// Third-party origins the policy allows (configured analytics).
    extra: crate::csp::Extra,
}

/// What goes into a page's `<head>`.
#[derive(Clone, Debug, Default)]
pub struct PageMeta {
    /// The `<title>`.
    pub title: String,
    /// `og:title` and `twitter:title` (the title without the site name).
    pub og_title: String,
    /// Meta, OpenGraph and Twitter description.
    pub description: String,
    /// Absolute canonical URL (also `og:url`); `None` for the 404 page.
    pub canonical: Option<String>,
    /// `article` for posts, `website` otherwise.
    pub og_type: &'static str,
    /// Site name for `og:site_name`.
    pub site_name: String,
    /// Absolute image URL with its size.
    pub image: Option<(String, u32, u32)>,
    /// RFC 3339 publication time of a post.
    pub published: Option<String>,
    /// Keeps the page out of search engines (404).
    pub noindex: bool,
    /// `(title, absolute URL, MIME type)` of feeds to advertise.
    pub feeds: Vec<(String, String, &'static str)>,
}

impl Template {
    /// Reads and prepares the template.
    pub fn load(path: &Path) -> Result<Self, SiteError> {
        let html = std::fs::read_to_string(path).map_err(|source| SiteError::Io {
            path: path.to_path_buf(),
            source,
        })?;
        Self::parse(&html).map_err(|message| SiteError::Template {
            path: path.to_path_buf(),
            message,
        })
    }

    /// Prepares a template from its text.
    pub fn parse(html: &str) -> Result<Self, String> {
        let mut html = remove_owned_tags(html);
        let lower = html.to_ascii_lowercase();
        let head_end = lower.find("</head>").ok_or("no </head>")?;
        let head_at = match (
            lower[..head_end].find("<title"),
            lower[..head_end].find("</title>"),
        ) {
            (Some(start), Some(end)) if start < end => {
                let end = end + "</title>".len();
                let end = if html[end..].starts_with('\n') {
                    end + 1
                } else {
                    end
                };
                html.replace_range(start..end, "");
                start
            }
            _ => head_end,
        };
        let lower = html.to_ascii_lowercase();
        let body = lower.find("<body").ok_or("no <body>")?;
        let body_at = body + lower[body..].find('>').ok_or("unclosed <body>")? + 1;
        // A page this step already filled in (publish run twice): drop the old content.
        if let Some(end) = lower[body_at..].find(END_OF_PAGE) {
            html.replace_range(body_at..body_at + end + END_OF_PAGE.len(), "");
        }
        let csp = crate::csp::policy(crate::csp::inline_scripts(&html));
        Ok(Template {
            html,
            head_at,
            body_at,
            csp,
            extra: Default::default(),
        })
    }

    /// Makes `./`-relative URLs (Trunk with a relative public URL) absolute under
    /// `base_path`, so a page served from any depth — `404.html` for any unknown path,
    /// `posts/a/b/` — still finds the app's script, wasm and CSS.
    pub fn absolutize(&mut self, base_path: &str) {
        let html = std::mem::take(&mut self.html);
        let fix = |s: &str| {
            s.replace("\"./", &format!("\"{base_path}"))
                .replace("'./", &format!("'{base_path}"))
        };
        let (head, rest) = html.split_at(self.head_at);
        let (middle, tail) = rest.split_at(self.body_at - self.head_at);
        let (head, middle) = (fix(head), fix(middle));
        self.head_at = head.len();
        self.body_at = head.len() + middle.len();
        self.html = format!("{head}{middle}{tail}");
        self.csp = crate::csp::policy_with(crate::csp::inline_scripts(&self.html), &self.extra);
    }

    /// Adds the analytics loader (see [`crate::analytics`]) at the end of the body and
    /// allows it, and the service's origins, in the policy.
    pub fn add_analytics(&mut self, analytics: &matome_model::Analytics) {
        let (script, extra) = crate::analytics::loader(analytics);
        let lower = self.html.to_ascii_lowercase();
        let at = lower
            .rfind("</body>")
            .filter(|&i| i >= self.body_at)
            .unwrap_or(self.html.len());
        self.html
            .insert_str(at, &format!("<script>{script}</script>\n"));
        self.extra = extra;
        self.csp = crate::csp::policy_with(crate::csp::inline_scripts(&self.html), &self.extra);
    }

    /// The page: the template with `meta`'s tags in the head and `body` (HTML, as the
    /// app's components rendered it) at the start of the body.
    pub fn render(&self, meta: &PageMeta, body: &str) -> String {
        let head = format!(
            "<meta http-equiv=\"Content-Security-Policy\" content=\"{}\">\n    {}",
            escape(&self.csp),
            head_tags(meta)
        );
        let mut out = String::with_capacity(self.html.len() + head.len() + body.len() + 32);
        out.push_str(&self.html[..self.head_at]);
        out.push_str(&head);
        out.push_str(&self.html[self.head_at..self.body_at]);
        out.push_str(body);
        out.push_str(END_OF_PAGE);
        out.push_str(&self.html[self.body_at..]);
        out
    }
}

/// The head tags of one page, one per line.
fn head_tags(meta: &PageMeta) -> String {
    let mut tags = vec![format!("<title>{}</title>", escape(&meta.title))];
    let mut push_meta = |attr: &str, key: &str, value: &str| {
        tags.push(format!(
            r#"<meta {attr}="{key}" content="{}">"#,
            escape(value)
        ))
    };
    push_meta("name", "description", &meta.description);
    if meta.noindex {
        push_meta("name", "robots", "noindex");
    }
    push_meta("property", "og:site_name", &meta.site_name);
    push_meta("property", "og:type", meta.og_type);
    push_meta("property", "og:title", &meta.og_title);
    push_meta("property", "og:description", &meta.description);
    push_meta("property", "og:locale", "ja_JP");
    if let Some(url) = &meta.canonical {
        push_meta("property", "og:url", url);
    }
    if let Some(published) = &meta.published {
        push_meta("property", "article:published_time", published);
    }
    let card = if meta.image.is_some() {
        "summary_large_image"
    } else {
        "summary"
    };
    push_meta("name", "twitter:card", card);
    push_meta("name", "twitter:title", &meta.og_title);
    push_meta("name", "twitter:description", &meta.description);
    if let Some((url, width, height)) = &meta.image {
        push_meta("property", "og:image", url);
        push_meta("property", "og:image:width", &width.to_string());
        push_meta("property", "og:image:height", &height.to_string());
        push_meta("name", "twitter:image", url);
    }
    if let Some(url) = &meta.canonical {
        tags.push(format!(r#"<link rel="canonical" href="{}">"#, escape(url)));
    }
    for (title, url, mime) in &meta.feeds {
        tags.push(format!(
            r#"<link rel="alternate" type="{mime}" title="{}" href="{}">"#,
            escape(title),
            escape(url)
        ));
    }
    let mut out = tags.join("\n    ");
    out.push('\n');
    out
}

/// Drops the `<meta>`/`<link>` tags a page gets from [`head_tags`], so a template that
/// already has some (Trunk's, or one written by hand) does not end up with two. Trunk's
/// preload of the wasm goes too: the page is readable without the app, and on a slow
/// phone link the wasm downloading next to the HTML and CSS delays the first paint
/// (the app's module script still starts the download once the page is parsed).
fn remove_owned_tags(html: &str) -> String {
    const OWNED: [&str; 10] = [
        r#"type="application/wasm""#,
        r#"http-equiv="content-security-policy""#,
        r#"name="description""#,
        r#"name="robots""#,
        r#"property="og:"#,
        r#"property="article:"#,
        r#"name="twitter:"#,
        r#"rel="canonical""#,
        r#"rel="alternate""#,
        "data-matome",
    ];
    let lower = html.to_ascii_lowercase();
    let head_end = lower.find("</head>").unwrap_or(html.len());
    let mut out = String::with_capacity(html.len());
    let mut pos = 0;
    while let Some(rel) = lower[pos..head_end].find('<') {
        let start = pos + rel;
        let is_candidate =
            lower[start..].starts_with("<meta") || lower[start..].starts_with("<link");
        let Some(len) = lower[start..].find('>') else {
            break;
        };
        let end = start + len + 1;
        if end > head_end {
            break;
        }
        let tag = &lower[start..end];
        out.push_str(&html[pos..start]);
        pos = end;
        if is_candidate && OWNED.iter().any(|o| tag.contains(o)) {
            // Drop the tag's line too, so repeated runs leave no blank lines behind.
            out.truncate(out.trim_end_matches([' ', '\t']).len());
            if html[end..].starts_with('\n') {
                pos += 1;
            }
        } else {
            out.push_str(&html[start..end]);
        }
    }
    out.push_str(&html[pos..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const TRUNK: &str = r#"<!DOCTYPE html><html lang="ja"><head>
    <meta charset="utf-8">
    <base href="/sub/">
    <title>HNまとめ読み</title>
    <meta name="description" content="old">
<link rel="modulepreload" href="/sub/matome-web-1a2b.js" crossorigin="anonymous">
<link rel="preload" href="/sub/matome-web-1a2b_bg.wasm" crossorigin="anonymous" as="fetch" type="application/wasm">
<link rel="stylesheet" href="/sub/main-3c4d.css">
<script type="module">import init from '/sub/matome-web-1a2b.js';await init({ module_or_path: '/sub/matome-web-1a2b_bg.wasm' });</script></head>
<body class="x"></body></html>"#;

    // The app's links stay, the owned tags are replaced and the page opens the body.
    #[test]
    fn keeps_trunk_links_and_replaces_owned_tags() {
        let template = Template::parse(TRUNK).unwrap();
        let meta = PageMeta {
            title: "T & <b>".into(),
            og_title: "T".into(),
            description: "D".into(),
            ..Default::default()
        };
        let page = template.render(&meta, "<p>hi</p>");
        assert!(page.contains(r#"<base href="/sub/">"#));
        assert!(page.contains("/sub/matome-web-1a2b_bg.wasm"));
        assert!(
            !page.contains(r#"as="fetch" type="application/wasm""#),
            "no wasm preload"
        );
        assert!(page.contains(r#"<link rel="stylesheet" href="/sub/main-3c4d.css">"#));
        assert!(page.contains("<title>T &amp; &lt;b&gt;</title>"));
        assert_eq!(page.matches("<title>").count(), 1);
        assert!(!page.contains("old"));
        assert!(page.contains(r#"<body class="x"><p>hi</p><!--/matome-page--></body>"#));
        // Filled in twice, the page keeps one copy of its content.
        let again = Template::parse(&page).unwrap().render(&meta, "<p>hi</p>");
        assert_eq!(again.matches("<p>hi</p>").count(), 1);
    }

    // Relative asset URLs would break below the root; they become absolute.
    #[test]
    fn relative_asset_urls_become_absolute() {
        let mut template = Template::parse(&TRUNK.replace("/sub/", "./")).unwrap();
        template.absolutize("/sub/");
        let page = template.render(&PageMeta::default(), "x");
        assert!(page.contains(r#"<base href="/sub/">"#));
        assert!(page.contains("'/sub/matome-web-1a2b_bg.wasm'"));
        assert!(page.contains(r#"<body class="x">x<!--/matome-page-->"#));
    }

    // A template without a body cannot be filled in.
    #[test]
    fn errors_on_template_without_body() {
        assert!(Template::parse("<html><head></head></html>").is_err());
    }
}
