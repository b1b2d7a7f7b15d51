//! Page objects: the only place that knows the app's selectors and markup. Tests speak in
//! terms of post cards, comment cards, folded sections, chips and errors.
//!
//! The selectors are the stable hooks of DESIGN.md ("Stable hooks for tests") plus the
//! routes of its URL table; where the app has a more specific class it is listed too.
//!
//! One [`Reader`] drives the app; its methods live with the page they read: this file
//! holds loading a route and the script plumbing, the files below one page each.

mod errors;
mod inspect;
mod lists;
mod offline;
mod post;
mod reading;
mod search;

pub use errors::{ERROR_VIEW, NOT_FOUND, RETRY_TEXT};
pub use inspect::Head;
pub use lists::{Chip, CLEAR_READ_MARKS, MONTH_RANKING_ITEM, POST_CARD, READ_POST_CARD, TAG_CHIP};
pub use offline::{OFFLINE_VIEW, POSTS_CACHE, UPDATE_NOTICE};
pub use post::{Section, COMMENT_CARD, EXPAND_ALL_TEXT, MORE_COMMENTS, POST_NAV_LINK, TITLE};
pub use reading::{
    CurrentCard, ACCENT_CARD, CARD_PERMALINK, CARD_SHARE_BUTTON, CURRENT_CARD, DIGEST_TOGGLE,
    FONT_SIZE_BUTTON, POST_SHARE, READ_MARKS_KEY, SHORTCUTS_DIALOG,
};
pub use search::{SEARCH_DONE, SEARCH_INPUT, SEARCH_SNIPPET};

use fantoccini::elements::{Element, ElementRef};
use serde_json::{json, Value};

use crate::driver::Browser;
use crate::server::StaticServer;

/// JS prelude: `MOUNT` (arguments[0]), `route(href)` relative to the mount, `visible(el)`,
/// `postPath(route)` for post routes (`posts/<section>/<slug>/`).
const PRELUDE: &str = r#"
const MOUNT = arguments[0];
const route = (href) => {
  try {
    const u = new URL(href, location.href);
    if (u.origin !== location.origin) return null;
    const p = decodeURIComponent(u.pathname);
    return p.startsWith(MOUNT) ? p.slice(MOUNT.length) : null;
  } catch (e) { return null; }
};
const postPath = (r) => {
  const m = r && /^posts\/(?!page\/)(.+\/.+)\/$/.exec(r);
  return m ? m[1] : null;
};
const visible = (el) => el.checkVisibility
  ? el.checkVisibility({ visibilityProperty: true, opacityProperty: true })
  : el.getClientRects().length > 0;
const text = (el) => (el.innerText || el.textContent || '').replace(/\s+/g, ' ').trim();
"#;
/// The reader app as served by one server, driven by one browser.
pub struct Reader<'a> {
    /// The browser session.
    pub browser: &'a Browser,
    /// The server the site is on.
    pub server: &'a StaticServer,
    /// Whether pages run scripts (the app takes prerendered pages over).
    scripts: bool,
}
/// Whether the app has taken the page over (`<html data-app="live">`).
pub const LIVE: &str = "return document.documentElement.dataset.app === 'live';";

impl<'a> Reader<'a> {
    /// The app at `server` in `browser`.
    pub fn new(browser: &'a Browser, server: &'a StaticServer) -> Self {
        Reader {
            browser,
            server,
            scripts: true,
        }
    }

    /// The site at `server` in a `browser` that runs no scripts: the prerendered pages.
    pub fn without_scripts(browser: &'a Browser, server: &'a StaticServer) -> Self {
        Reader {
            browser,
            server,
            scripts: false,
        }
    }

    async fn run(&self, body: &str) -> Value {
        self.browser
            .js(
                &format!("{PRELUDE}\n{body}"),
                vec![json!(self.server.mount())],
            )
            .await
    }

    async fn wait(&self, what: &str, body: &str) -> Value {
        let script = format!("{PRELUDE}\n{body}");
        let mount = json!(self.server.mount());
        self.browser
            .wait_for(what, || async {
                match self
                    .browser
                    .client
                    .execute(&script, vec![mount.clone()])
                    .await
                {
                    Ok(Value::Null) | Ok(Value::Bool(false)) | Err(_) => None,
                    Ok(v) => Some(v),
                }
            })
            .await
    }

    fn element(&self, v: &Value) -> Element {
        let id = v
            .get("element-6066-11e4-a52e-4f735466cecf")
            .and_then(|id| id.as_str())
            .unwrap_or_else(|| panic!("not an element: {v}"));
        Element::from_element_id(
            self.browser.client.clone(),
            ElementRef::from(id.to_string()),
        )
    }

    /// Clicks like a user: scrolled to the middle of the viewport, then a WebDriver click.
    async fn click(&self, v: &Value, what: &str) {
        let el = self.element(v);
        self.browser
            .js(
                "arguments[0].scrollIntoView({block: 'center', inline: 'nearest'});",
                vec![v.clone()],
            )
            .await;
        el.click()
            .await
            .unwrap_or_else(|e| panic!("click {what}: {e}"));
    }

    /// Clicks the element `selector` (scrolled into view first), waiting for it.
    async fn click_selector(&self, selector: &str, what: &str) {
        let el = self
            .wait(
                &format!("a visible {what} ({selector})"),
                &format!(
                    "return [...document.querySelectorAll({})].find(visible) || null;",
                    json!(selector)
                ),
            )
            .await;
        self.click(&el, what).await;
    }

    /// Loads a route (`""`, `posts/a/b/`) as a fresh page load; with scripts, waits until
    /// the app has taken the prerendered page over (what a test then finds is live).
    pub async fn open(&self, route: &str) {
        self.open_prerendered(route).await;
        if self.scripts {
            self.wait_live().await;
        }
    }

    /// Loads a route and returns as soon as the prerendered page is there.
    pub async fn open_prerendered(&self, route: &str) {
        self.browser.goto(&self.server.url(route)).await;
    }

    /// Waits until the app has taken the page over.
    pub async fn wait_live(&self) {
        self.browser
            .wait_js("the app to take the page over", LIVE)
            .await;
    }

    /// The current route relative to the site root.
    pub async fn current_route(&self) -> String {
        self.run("return route(location.href);")
            .await
            .as_str()
            .unwrap_or("")
            .to_string()
    }

    /// Clicks the first visible link (anywhere) to `route`.
    pub async fn click_link_to(&self, route: &str) {
        let link = self
            .wait(
                &format!("a visible link to /{route}"),
                &format!(
                    r#"
return [...document.querySelectorAll('a[href]')]
  .find(a => route(a.href) === {route} && visible(a)) || null;"#,
                    route = json!(route)
                ),
            )
            .await;
        self.click(&link, &format!("link to /{route}")).await;
    }

    /// Follows a link to `route` inside the running app (as a reader clicking a link to
    /// it would: the link is added to the page's main content, then clicked).
    pub async fn go_in_app(&self, route: &str) {
        let link = self
            .run(&format!(
                r#"
const a = document.createElement('a');
a.href = new URL({route}, document.baseURI).href;
a.textContent = 'test link';
document.querySelector('main').prepend(a);
return a;"#,
                route = json!(route)
            ))
            .await;
        self.click(&link, &format!("in-app link to /{route}")).await;
    }
}

fn strings(v: &Value) -> Vec<String> {
    v.as_array()
        .map(|a| {
            a.iter()
                .map(|s| s.as_str().unwrap_or("").to_string())
                .collect()
        })
        .unwrap_or_default()
}
