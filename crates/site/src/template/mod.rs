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

use lol_html::html_content::ContentType;
use lol_html::{element, end_tag, rewrite_str, text, RewriteStrSettings};

use crate::escape::escape;
use crate::head::head_tags;
pub use crate::head::PageMeta;
use crate::SiteError;

mod prepare;
use prepare::prepare;

/// Marks the end of the content this step put into a page's body (a comment, so the
/// text inside is `/matome-page`).
pub(crate) const END_OF_PAGE: &str = "<!--/matome-page-->";

/// The icons and web manifest a site's own files may hold (Hugo's `static/`, by the
/// names favicon generators and Hugo themes use): file, `rel`, further attributes.
pub const SITE_ICONS: &[(&str, &str, &str)] = &[
    ("favicon.ico", "icon", " sizes=\"any\""),
    ("favicon.svg", "icon", " type=\"image/svg+xml\""),
    (
        "favicon-32x32.png",
        "icon",
        " type=\"image/png\" sizes=\"32x32\"",
    ),
    (
        "favicon-16x16.png",
        "icon",
        " type=\"image/png\" sizes=\"16x16\"",
    ),
    (
        "apple-touch-icon.png",
        "apple-touch-icon",
        " sizes=\"180x180\"",
    ),
    ("site.webmanifest", "manifest", ""),
];

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
        let csp = crate::csp::policy(
            crate::csp::inline_scripts(&html)?
                .iter()
                .map(String::as_str),
        );
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
        let scripts = crate::csp::inline_scripts(&self.html).map_err(|m| self.error(m))?;
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

    /// Links the site's own icons and web manifest from every page: those of
    /// [`SITE_ICONS`] that `static_dir` (Hugo's `static/`, copied to the site root)
    /// holds. When one of them is an icon, the app's `<link rel="icon">` goes, so the
    /// browser shows the site's. Returns the files linked, in [`SITE_ICONS`]' order.
    pub fn use_site_icons(
        &mut self,
        base_path: &str,
        static_dir: &Path,
    ) -> Result<Vec<&'static str>, SiteError> {
        let found: Vec<&(&str, &str, &str)> = SITE_ICONS
            .iter()
            .filter(|(file, ..)| static_dir.join(file).is_file())
            .collect();
        if found.is_empty() {
            return Ok(Vec::new());
        }
        let replaces_icon = found.iter().any(|(_, rel, _)| *rel == "icon");
        let tags: String = found
            .iter()
            .map(|(file, rel, attrs)| {
                let href = escape(&format!("{base_path}{file}"));
                format!("<link rel=\"{rel}\" href=\"{href}\"{attrs}>\n")
            })
            .collect();
        let html = rewrite(
            &self.html,
            vec![
                element!("head link[rel~=icon]", |el| {
                    if replaces_icon {
                        el.remove();
                    }
                    Ok(())
                }),
                element!("head", |el| {
                    el.append(&tags, ContentType::Html);
                    Ok(())
                }),
            ],
        )
        .map_err(|m| self.error(m))?;
        self.html = html;
        Ok(found.iter().map(|(file, ..)| *file).collect())
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
pub(crate) fn rewrite<'h>(
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
