//! The Trunk `index.html` as a template, filled per route by lol_html (a streaming HTML
//! rewriter): the app's script, wasm and CSS links and the `<base href>` stay as Trunk
//! wrote them; the tags this crate owns (title, description, canonical, OpenGraph,
//! Twitter, feed links, the Content-Security-Policy) are replaced per page, and the page
//! itself, as the app's components render it, opens `<body>`.
//!
//! [`Template::parse`] prepares the template once (owned tags and a page this step
//! filled in before removed); [`Template::render`] rewrites the prepared template for
//! each route (the `<title>` replaced by the page's head tags, the page prepended to the
//! body).

use std::cell::{Cell, RefCell};
use std::path::{Path, PathBuf};
use std::rc::Rc;

use lol_html::html_content::{ContentType, Element, TextType};
use lol_html::{comments, element, end_tag, rewrite_str, text, RewriteStrSettings};

use crate::escape::escape;
use crate::SiteError;

/// Marks the end of the content this step put into a page's body (a comment, so the
/// text inside is `/matome-page`).
const END_OF_PAGE: &str = "<!--/matome-page-->";

/// The prepared template.
#[derive(Clone, Debug)]
pub struct Template {
    /// Where the template was read from (for errors).
    path: PathBuf,
    /// The template without the owned tags, its `<title>` aside.
    html: String,
    /// Whether the head has a `<title>` (the page's head tags replace it; without one
    /// they go at the end of the head).
    has_title: bool,
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
        let mut template = Self::parse(&html).map_err(|message| SiteError::Template {
            path: path.to_path_buf(),
            message,
        })?;
        template.path = path.to_path_buf();
        Ok(template)
    }

    /// Prepares a template from its text.
    pub fn parse(html: &str) -> Result<Self, String> {
        let html = prepare(html)?;
        let csp = crate::csp::policy(scripts(&html)?.iter().map(String::as_str));
        let has_title = Cell::new(false);
        rewrite(
            &html,
            vec![element!("head title", |_| {
                has_title.set(true);
                Ok(())
            })],
        )?;
        Ok(Template {
            path: PathBuf::new(),
            html,
            has_title: has_title.get(),
            csp,
            extra: Default::default(),
        })
    }

    fn error(&self, message: String) -> SiteError {
        SiteError::Template {
            path: self.path.clone(),
            message,
        }
    }

    /// The policy for the template as it is now.
    fn update_csp(&mut self) -> Result<(), SiteError> {
        let scripts = scripts(&self.html).map_err(|m| self.error(m))?;
        self.csp = crate::csp::policy_with(scripts.iter().map(String::as_str), &self.extra);
        Ok(())
    }

    /// Makes `./`-relative URLs (Trunk with a relative public URL) absolute under
    /// `base_path`, so a page served from any depth — `404.html` for any unknown path,
    /// `posts/a/b/` — still finds the app's script, wasm and CSS: attribute values up
    /// to the `<body>` tag, and quoted `./` paths in the head's inline scripts (Trunk's
    /// loader imports the app by URL).
    pub fn absolutize(&mut self, base_path: &str) -> Result<(), SiteError> {
        let in_body = Cell::new(false);
        let script = RefCell::new(String::new());
        let html = rewrite(
            &self.html,
            vec![
                element!("*", |el| {
                    if in_body.get() {
                        return Ok(());
                    }
                    let relative: Vec<(String, String)> = el
                        .attributes()
                        .iter()
                        .filter_map(|a| {
                            let value = a.value();
                            let rest = value.strip_prefix("./")?;
                            Some((a.name(), format!("{base_path}{rest}")))
                        })
                        .collect();
                    for (name, value) in relative {
                        el.set_attribute(&name, &value)?;
                    }
                    in_body.set(el.tag_name() == "body");
                    Ok(())
                }),
                text!("head script", |t| {
                    let mut text = script.borrow_mut();
                    text.push_str(t.as_str());
                    if t.last_in_text_node() {
                        let fixed = text
                            .replace("\"./", &format!("\"{base_path}"))
                            .replace("'./", &format!("'{base_path}"));
                        t.replace(&fixed, ContentType::Html);
                        text.clear();
                    } else {
                        t.remove();
                    }
                    Ok(())
                }),
            ],
        )
        .map_err(|m| self.error(m))?;
        self.html = html;
        self.update_csp()
    }

    /// Adds the analytics loader (see [`crate::analytics`]) at the end of the body and
    /// allows it, and the service's origins, in the policy.
    pub fn add_analytics(&mut self, analytics: &matome_model::Analytics) -> Result<(), SiteError> {
        let (script, extra) = crate::analytics::loader(analytics);
        let tag = format!("<script>{script}</script>\n");
        let html = rewrite(
            &self.html,
            vec![element!("body", |el| {
                el.append(&tag, ContentType::Html);
                Ok(())
            })],
        )
        .map_err(|m| self.error(m))?;
        self.html = html;
        self.extra = extra;
        self.update_csp()
    }

    /// The page: the template with `meta`'s tags in the head and `body` (HTML, as the
    /// app's components rendered it) at the start of the body.
    pub fn render(&self, meta: &PageMeta, body: &str) -> Result<String, SiteError> {
        let head = format!(
            "<meta http-equiv=\"Content-Security-Policy\" content=\"{}\">\n    {}",
            escape(&self.csp),
            head_tags(meta)
        );
        let page = format!("{body}{END_OF_PAGE}");
        let placed = Cell::new(false);
        let handlers = vec![
            element!("head title", |el| {
                if !placed.replace(true) {
                    el.replace(&head, ContentType::Html);
                }
                Ok(())
            }),
            element!("head", |el| {
                if self.has_title {
                    return Ok(());
                }
                let head = format!("{head}\n");
                el.on_end_tag(end_tag!(move |end| {
                    end.before(&head, ContentType::Html);
                    Ok(())
                }))
            }),
            element!("body", |el| {
                el.prepend(&page, ContentType::Html);
                Ok(())
            }),
        ];
        rewrite(&self.html, handlers).map_err(|m| self.error(m))
    }
}

/// Runs lol_html over `html` with `handlers`.
fn rewrite<'h>(
    html: &str,
    handlers: Vec<(
        std::borrow::Cow<'static, lol_html::Selector>,
        lol_html::ElementContentHandlers<'h>,
    )>,
) -> Result<String, String> {
    let settings = handlers
        .into_iter()
        .fold(RewriteStrSettings::new(), |s, h| {
            s.append_element_content_handler(h)
        });
    rewrite_str(html, settings).map_err(|e| e.to_string())
}

/// The text of every inline `<script>` (one without `src`) in `html`, in order: what the
/// policy pins by hash.
fn scripts(html: &str) -> Result<Vec<String>, String> {
    crate::csp::inline_scripts(html)
}

/// Whether the head element `el` is one of the tags a page gets from [`head_tags`]
/// (so a template that already has some — Trunk's, one written by hand, a page this
/// step filled in — does not end up with two), or Trunk's preload of the wasm: the page
/// is readable without the app, and on a slow phone link the wasm downloading next to
/// the HTML and CSS delays the first paint (the app's module script still starts the
/// download once the page is parsed).
fn is_owned(el: &Element) -> bool {
    if !matches!(el.tag_name().as_str(), "meta" | "link") {
        return false;
    }
    let attr = |name: &str| el.get_attribute(name).map(|v| v.to_ascii_lowercase());
    let is = |name: &str, test: &dyn Fn(&str) -> bool| attr(name).is_some_and(|v| test(&v));
    el.attributes()
        .iter()
        .any(|a| a.name().starts_with("data-matome"))
        || is("type", &|v| v == "application/wasm")
        || is("http-equiv", &|v| v == "content-security-policy")
        || is("name", &|v| {
            matches!(v, "description" | "robots") || v.starts_with("twitter:")
        })
        || is("property", &|v| {
            v.starts_with("og:") || v.starts_with("article:")
        })
        || is("rel", &|v| matches!(v, "canonical" | "alternate"))
}

/// The head's text since its last element, while [`prepare`] runs.
#[derive(Default)]
struct HeadText {
    pending: String,
    /// The last element was removed: the line break after it goes too.
    drop_newline: bool,
    /// `</head>` was seen.
    closed: bool,
}

impl HeadText {
    /// The pending text, to be written before the next element (or `</head>`); when
    /// that element is `removed`, without the spaces ending its line.
    fn take(&mut self, removed: bool) -> String {
        let mut text = std::mem::take(&mut self.pending);
        if std::mem::replace(&mut self.drop_newline, removed) && text.starts_with('\n') {
            text.remove(0);
        }
        if removed {
            text.truncate(text.trim_end_matches([' ', '\t']).len());
        }
        text
    }
}

/// The template without the owned tags ([`is_owned`], each with its line: the spaces
/// before it and the line break after it, so repeated runs leave no blank lines) and
/// without the content a previous run put into the body (up to [`END_OF_PAGE`]).
/// Errors when the template has no `</head>` or no `<body>`.
fn prepare(html: &str) -> Result<String, String> {
    let marker = &END_OF_PAGE["<!--".len()..END_OF_PAGE.len() - "-->".len()];
    // A page this step filled in (publish run twice in the same folder)?
    let filled = Cell::new(false);
    rewrite(
        html,
        vec![comments!("body", |c| {
            filled.set(filled.get() || c.text() == marker);
            Ok(())
        })],
    )?;
    // The text between the head's elements waits until the next element (or `</head>`)
    // says whether it goes with a removed tag.
    let head = Rc::new(RefCell::new(HeadText::default()));
    let has_body = Cell::new(false);
    let in_old_page = Cell::new(false);
    let handlers = vec![
        text!("head", |t| {
            if t.text_type() == TextType::Data {
                head.borrow_mut().pending.push_str(t.as_str());
                t.remove();
            }
            Ok(())
        }),
        element!("head", |el| {
            let head = Rc::clone(&head);
            el.on_end_tag(end_tag!(move |end| {
                let mut head = head.borrow_mut();
                end.before(&head.take(false), ContentType::Html);
                head.closed = true;
                Ok(())
            }))
        }),
        element!("head *", |el| {
            let removed = is_owned(el);
            el.before(&head.borrow_mut().take(removed), ContentType::Html);
            if removed {
                el.remove();
            }
            Ok(())
        }),
        element!("body", |_| {
            has_body.set(true);
            in_old_page.set(filled.get());
            Ok(())
        }),
        element!("body *", |el| {
            if in_old_page.get() {
                el.remove();
            }
            Ok(())
        }),
        text!("body", |t| {
            if in_old_page.get() {
                t.remove();
            }
            Ok(())
        }),
        comments!("body", |c| {
            if in_old_page.get() && c.text() == marker {
                c.remove();
                in_old_page.set(false);
            }
            Ok(())
        }),
    ];
    let out = rewrite(html, handlers)?;
    if !head.borrow().closed {
        return Err("no </head>".into());
    }
    if !has_body.get() {
        return Err("no <body>".into());
    }
    Ok(out)
}

/// The head tags of one page, one per line (no line break after the last).
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
    tags.join("\n    ")
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
        let page = template.render(&meta, "<p>hi</p>").unwrap();
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
        let again = Template::parse(&page)
            .unwrap()
            .render(&meta, "<p>hi</p>")
            .unwrap();
        assert_eq!(again, page);
    }

    // Relative asset URLs would break below the root; they become absolute.
    #[test]
    fn relative_asset_urls_become_absolute() {
        let mut template = Template::parse(&TRUNK.replace("/sub/", "./")).unwrap();
        template.absolutize("/sub/").unwrap();
        let page = template.render(&PageMeta::default(), "x").unwrap();
        assert!(page.contains(r#"<base href="/sub/">"#));
        assert!(page.contains("'/sub/matome-web-1a2b_bg.wasm'"));
        assert!(page.contains(r#"<body class="x">x<!--/matome-page-->"#));
    }

    // A template without a body or without an end of head cannot be filled in.
    #[test]
    fn errors_on_template_without_body_or_head() {
        assert_eq!(
            Template::parse("<html><head></head></html>").unwrap_err(),
            "no <body>"
        );
        assert_eq!(
            Template::parse("<html><body></body></html>").unwrap_err(),
            "no </head>"
        );
    }

    fn minimal_meta() -> PageMeta {
        PageMeta {
            title: "T".into(),
            description: "D".into(),
            ..Default::default()
        }
    }

    /// The page's head tags as [`Template::render`] writes them, CSP first.
    fn head_of(template: &Template, meta: &PageMeta) -> String {
        format!(
            "<meta http-equiv=\"Content-Security-Policy\" content=\"{}\">\n    {}",
            escape(&template.csp),
            head_tags(meta)
        )
    }

    // Owned tags go with their line (no blank lines left), everything else stays byte
    // for byte, and the head tags take the title's place.
    #[test]
    fn owned_tags_leave_no_blank_lines() {
        let html = "<!DOCTYPE html>\n<html>\n  <head>\n    <meta charset=\"utf-8\" />\n    \
                    <title>Old</title>\n    <meta name=\"description\" content=\"x\" />\n    \
                    <META PROPERTY=\"og:title\" content=\"x\">\n    <link rel=\"icon\" href=\"/i.svg\"/>\n  \
                    <link rel=\"preload\" href=\"/a.wasm\" type=\"application/wasm\"></head>\n  <body></body>\n</html>\n";
        let template = Template::parse(html).unwrap();
        let meta = minimal_meta();
        let page = template.render(&meta, "<main>p</main>").unwrap();
        let expected = format!(
            "<!DOCTYPE html>\n<html>\n  <head>\n    <meta charset=\"utf-8\" />\n    {}\n    \
             <link rel=\"icon\" href=\"/i.svg\"/>\n</head>\n  <body><main>p</main>{END_OF_PAGE}</body>\n</html>\n",
            head_of(&template, &meta)
        );
        assert_eq!(page, expected);
    }

    // Without a <title> the head tags close the head.
    #[test]
    fn head_tags_close_a_head_without_title() {
        let template =
            Template::parse("<html><head><meta charset=\"utf-8\"></head><body></body></html>")
                .unwrap();
        let meta = minimal_meta();
        let page = template.render(&meta, "").unwrap();
        assert_eq!(
            page,
            format!(
                "<html><head><meta charset=\"utf-8\">{}\n</head><body>{END_OF_PAGE}</body></html>",
                head_of(&template, &meta)
            )
        );
    }

    // The policy a page carries pins exactly the inline scripts the page has, after the
    // URLs were made absolute and the analytics loader added.
    #[test]
    fn the_policy_pins_the_pages_own_scripts() {
        let mut template = Template::parse(&TRUNK.replace("/sub/", "./")).unwrap();
        template.absolutize("/sub/").unwrap();
        let analytics = matome_model::Analytics {
            provider: matome_model::AnalyticsProvider::Plausible,
            id: "example.com".into(),
            src: None,
        };
        template.add_analytics(&analytics).unwrap();
        let page = template.render(&minimal_meta(), "<p>x</p>").unwrap();
        let scripts = crate::csp::inline_scripts(&page).unwrap();
        assert_eq!(scripts.len(), 2, "{page}");
        assert!(
            scripts[0].contains("'/sub/matome-web-1a2b.js'"),
            "{scripts:?}"
        );
        let policy = crate::csp::policy_with(scripts.iter().map(String::as_str), &template.extra);
        assert!(
            page.contains(&format!("content=\"{}\"", escape(&policy))),
            "{page}"
        );
        assert!(page.ends_with("</script>\n</body></html>"), "{page}");
    }
}
