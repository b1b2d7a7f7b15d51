//! Whole-page checks any page answers: its layout width, its scripts and anything in it
//! that could run code, its text, its head (tab title, meta description, canonical link,
//! OpenGraph title, description and URL).

use serde_json::{json, Value};

use super::{strings, Reader};

/// A page's head as a reader and a search engine see it: the tab's title and the
/// `<meta name="description">`'s content (`None` without one).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Head {
    /// `document.title`.
    pub title: String,
    /// The meta description.
    pub description: Option<String>,
    /// `<link rel="canonical">`'s `href` as written (`None` without one).
    pub canonical: Option<String>,
    /// `og:title`.
    pub og_title: Option<String>,
    /// `og:description`.
    pub og_description: Option<String>,
    /// `og:url`.
    pub og_url: Option<String>,
}

impl Head {
    fn from_js(v: &Value) -> Head {
        Head {
            title: v["title"].as_str().unwrap_or("").to_string(),
            description: v["description"].as_str().map(str::to_string),
            canonical: v["canonical"].as_str().map(str::to_string),
            og_title: v["ogTitle"].as_str().map(str::to_string),
            og_description: v["ogDescription"].as_str().map(str::to_string),
            og_url: v["ogUrl"].as_str().map(str::to_string),
        }
    }
}

/// The head of the document `doc` as a `{title, description, canonical, ogTitle,
/// ogDescription, ogUrl}` object (attributes as written, `null` for a missing tag).
const READ_HEAD: &str = r#"
const readHead = (doc) => {
  const attr = (sel, name) => { const el = doc.querySelector(sel); return el ? el.getAttribute(name) : null; };
  return {
    title: doc.title,
    description: attr('meta[name=description]', 'content'),
    canonical: attr('link[rel=canonical]', 'href'),
    ogTitle: attr('meta[property="og:title"]', 'content'),
    ogDescription: attr('meta[property="og:description"]', 'content'),
    ogUrl: attr('meta[property="og:url"]', 'content'),
  };
};"#;

impl Reader<'_> {
    /// `(document.documentElement.scrollWidth, innerWidth)` now.
    pub async fn page_widths(&self) -> (u64, u64) {
        let v = self
            .run("return [document.documentElement.scrollWidth, window.innerWidth];")
            .await;
        (v[0].as_u64().unwrap(), v[1].as_u64().unwrap())
    }

    /// The widest elements sticking out to the right (for failure messages).
    pub async fn overflowing_elements(&self) -> Vec<String> {
        strings(
            &self
                .run(
                    r#"
const w = window.innerWidth;
return [...document.querySelectorAll('body *')]
  .filter(el => el.getBoundingClientRect().right > w + 0.5)
  .slice(0, 8)
  .map(el => `${el.tagName.toLowerCase()}.${[...el.classList].join('.')} right=${Math.round(el.getBoundingClientRect().right)}`);"#,
                )
                .await,
        )
    }

    /// Replaces `alert`, `confirm` and `prompt` with recorders (survives in-app navigation,
    /// not a page load).
    pub async fn install_dialog_trap(&self) {
        self.run(
            r#"
window.__e2eDialogs = [];
for (const name of ['alert', 'confirm', 'prompt']) {
  window[name] = (msg) => { window.__e2eDialogs.push(name + ': ' + msg); return null; };
}
return true;"#,
        )
        .await;
    }

    /// What the trap recorded; `None` when the trap is gone (a full page load happened).
    pub async fn trapped_dialogs(&self) -> Option<Vec<String>> {
        let v = self.run("return window.__e2eDialogs || null;").await;
        (!v.is_null()).then(|| strings(&v))
    }

    /// Every `<script>` in the document: (type, src, first 200 chars of its text).
    pub async fn scripts(&self) -> Vec<(String, String, String)> {
        let v = self
            .run(
                r#"
return [...document.querySelectorAll('script')].map(s =>
  [s.type || '', s.getAttribute('src') || '', (s.textContent || '').slice(0, 200)]);"#,
            )
            .await;
        v.as_array()
            .unwrap()
            .iter()
            .map(|s| {
                (
                    s[0].as_str().unwrap().to_string(),
                    s[1].as_str().unwrap().to_string(),
                    s[2].as_str().unwrap().to_string(),
                )
            })
            .collect()
    }

    /// Attributes that could run code: `on*` handlers and `javascript:` URLs anywhere.
    pub async fn script_carrying_attributes(&self) -> Vec<String> {
        strings(
            &self
                .run(
                    r#"
const found = [];
for (const el of document.querySelectorAll('*')) {
  for (const a of el.attributes) {
    const v = a.value.replace(/[\u0000-\u0020]/g, '').toLowerCase();
    if (/^on/i.test(a.name)) found.push(`<${el.tagName.toLowerCase()} ${a.name}>`);
    else if (v.startsWith('javascript:')) found.push(`<${el.tagName.toLowerCase()} ${a.name}="${a.value}">`);
  }
  if (el.href && typeof el.href === 'string' && /^javascript:/i.test(el.href))
    found.push(`<${el.tagName.toLowerCase()}> resolves to ${el.href}`);
}
return found;"#,
                )
                .await,
        )
    }

    /// Links inside comment cards whose target is not http(s).
    pub async fn non_http_links_in_comments(&self) -> Vec<String> {
        strings(
            &self
                .run(
                    r#"
return [...document.querySelectorAll('.comment-card a[href]')]
  .filter(a => !a.classList.contains('comment-card-number') && !route(a.href))
  .map(a => a.getAttribute('href'))
  .filter(h => !/^https?:\/\//i.test(h));"#,
                )
                .await,
        )
    }

    /// The page's visible text.
    pub async fn body_text(&self) -> String {
        self.run("return document.body.innerText;")
            .await
            .as_str()
            .unwrap_or("")
            .to_string()
    }

    /// The tab's title (`document.title`).
    pub async fn document_title(&self) -> String {
        self.run("return document.title;")
            .await
            .as_str()
            .unwrap_or("")
            .to_string()
    }

    /// The head of the current page.
    pub async fn head(&self) -> Head {
        Head::from_js(
            &self
                .run(&format!("{READ_HEAD}\nreturn readHead(document);"))
                .await,
        )
    }

    /// The head of the HTML the server answers for `route`: the prerendered page a link
    /// to it opens, parsed by the browser, no script run.
    pub async fn served_head(&self, route: &str) -> Head {
        let script = format!(
            r#"{READ_HEAD}
const done = arguments[arguments.length - 1];
fetch(new URL({route}, document.baseURI), {{ cache: 'no-store' }})
  .then(r => r.text())
  .then(html => done(readHead(new DOMParser().parseFromString(html, 'text/html'))))
  .catch(e => done({{ title: 'fetch failed: ' + e, description: null }}));"#,
            route = json!(route)
        );
        let v = self
            .browser
            .client
            .execute_async(&script, vec![])
            .await
            .unwrap_or_else(|e| panic!("fetch /{route}: {e}"));
        Head::from_js(&v)
    }

    /// Blanks the tab's title, the meta description, the canonical link and the
    /// OpenGraph title, description and URL, so what they show after a navigation is
    /// what the app set for the new page.
    pub async fn blank_head(&self) {
        self.run(
            "document.title = '(blank)'; \
             for (const [sel, name] of [['meta[name=description]', 'content'], \
                 ['link[rel=canonical]', 'href'], ['meta[property=\"og:title\"]', 'content'], \
                 ['meta[property=\"og:description\"]', 'content'], ['meta[property=\"og:url\"]', 'content']]) { \
               const el = document.querySelector(sel); if (el) el.setAttribute(name, '(blank)'); \
             }",
        )
        .await;
    }
}
