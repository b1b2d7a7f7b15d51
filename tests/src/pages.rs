//! Page objects: the only place that knows the app's selectors and markup. Tests speak in
//! terms of post cards, comment cards, folded sections, chips and errors.
//!
//! The selectors are the stable hooks of DESIGN.md ("Stable hooks for tests") plus the
//! routes of its URL table; where the app has a more specific class it is listed too.

use fantoccini::elements::{Element, ElementRef};
use serde_json::{json, Value};

use crate::driver::Browser;
use crate::server::StaticServer;

/// A post card in a list; holds a link to the post.
pub const POST_CARD: &str = ".post-card";
/// A comment card (`id` like `c12`).
pub const COMMENT_CARD: &str = ".comment-card";
/// A folded "もっとコメントを表示" section: `<details>` or a disclosure with `aria-expanded`.
pub const MORE_COMMENTS: &str = ".more-comments";
/// A post's title: the page's only `h1`.
pub const TITLE: &str = "h1";
/// Text of the control that opens every folded section.
pub const EXPAND_ALL_TEXT: &str = "すべて展開";
/// Tag chips (also recognised by their `/tags/<slug>/` route).
pub const TAG_CHIP: &str = ".tag-chip";
/// The error view shown when a fetch failed.
pub const ERROR_VIEW: &str = ".error-view, [role=alert]";
/// Text of the retry button in the error view.
pub const RETRY_TEXT: &str = "再試行";
/// The search page's box.
pub const SEARCH_INPUT: &str = "input[type=search]";
/// The search results once the current query is answered.
pub const SEARCH_DONE: &str = ".search-results[data-state=done]";
/// A comment snippet: a link to the post with the card's `#cN`.
pub const SEARCH_SNIPPET: &str = "a.search-snippet";
/// The not-found page.
pub const NOT_FOUND: &str = ".not-found, [data-not-found]";

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

/// One folded section as the page shows it.
#[derive(Clone, Debug, PartialEq)]
pub struct Section {
    /// Text of its summary/toggle.
    pub label: String,
    /// Comment cards inside.
    pub cards: usize,
    /// Of those, how many are visible.
    pub visible_cards: usize,
    /// `open` / `aria-expanded`.
    pub expanded: bool,
}

/// A link to a tag or month page.
#[derive(Clone, Debug, PartialEq)]
pub struct Chip {
    /// Link text.
    pub text: String,
    /// Route relative to the site root, e.g. `tags/rust/`.
    pub route: String,
}

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

    /// Waits for at least one post card and returns the post paths of all cards, in order.
    pub async fn post_cards(&self) -> Vec<String> {
        let v = self
            .wait(
                "post cards (.post-card with a link to a post)",
                r#"
const cards = [...document.querySelectorAll('.post-card')];
if (!cards.length) return null;
return cards.map(c => {
  const a = [...c.querySelectorAll('a[href]')].find(a => postPath(route(a.href)));
  return a ? postPath(route(a.href)) : '';
});"#,
            )
            .await;
        strings(&v)
    }

    /// Post paths of the post cards now (possibly none), in order.
    pub async fn post_cards_now(&self) -> Vec<String> {
        strings(
            &self
                .run(
                    r#"
return [...document.querySelectorAll('.post-card')].map(c => {
  const a = [...c.querySelectorAll('a[href]')].find(a => postPath(route(a.href)));
  return a ? postPath(route(a.href)) : '';
});"#,
                )
                .await,
        )
    }

    /// Clicks the link of the post card for `path`.
    pub async fn click_post_card(&self, path: &str) {
        let link = self
            .run(&format!(
                r#"
return [...document.querySelectorAll('.post-card a[href]')]
  .find(a => postPath(route(a.href)) === {path} && visible(a)) || null;"#,
                path = json!(path)
            ))
            .await;
        assert!(!link.is_null(), "no visible post card links to {path}");
        self.click(&link, &format!("post card {path}")).await;
    }

    /// Waits until the page's `h1` reads `title`; also checks it is the only `h1`.
    pub async fn wait_for_title(&self, title: &str) {
        let want = json!(title.trim());
        let h1s = self
            .wait(
                &format!("h1 to read {title:?}"),
                &format!(
                    r#"
const h1s = [...document.querySelectorAll('h1')].map(text);
return h1s.includes({want}) ? h1s : null;"#
                ),
            )
            .await;
        assert_eq!(
            strings(&h1s).len(),
            1,
            "a page has exactly one h1, found {h1s}"
        );
    }

    /// Texts of the page's `h1` elements (now, without waiting).
    pub async fn h1s(&self) -> Vec<String> {
        strings(
            &self
                .run("return [...document.querySelectorAll('h1')].map(text);")
                .await,
        )
    }

    /// Waits until `n` comment cards are in the DOM; returns how many are visible.
    pub async fn wait_for_comment_cards(&self, n: usize) -> usize {
        self.wait(
            &format!("{n} comment cards (.comment-card)"),
            &format!(
                r#"
const cards = [...document.querySelectorAll('.comment-card')];
return cards.length === {n} ? {{ visible: cards.filter(visible).length }} : null;"#
            ),
        )
        .await["visible"]
            .as_u64()
            .unwrap() as usize
    }

    /// Comment cards now: (in the DOM, visible, ids).
    pub async fn comment_cards(&self) -> (usize, usize, Vec<String>) {
        let v = self
            .run(
                r#"
const cards = [...document.querySelectorAll('.comment-card')];
return [cards.length, cards.filter(visible).length, cards.map(c => c.id)];"#,
            )
            .await;
        (
            v[0].as_u64().unwrap() as usize,
            v[1].as_u64().unwrap() as usize,
            strings(&v[2]),
        )
    }

    /// The folded sections in page order.
    pub async fn sections(&self) -> Vec<Section> {
        let v = self
            .run(
                r#"
return [...document.querySelectorAll('.more-comments')].map(s => {
  const ctl = s.matches('[aria-expanded]') ? s : s.querySelector('[aria-expanded]');
  let region = s;
  if (s.tagName !== 'DETAILS' && ctl && ctl.getAttribute('aria-controls')) {
    region = document.getElementById(ctl.getAttribute('aria-controls')) || s;
  }
  const cards = [...region.querySelectorAll('.comment-card')];
  const expanded = s.tagName === 'DETAILS' ? s.open : !!ctl && ctl.getAttribute('aria-expanded') === 'true';
  const label = s.tagName === 'DETAILS' ? s.querySelector('summary') : (ctl || s);
  return { label: label ? text(label) : '', cards: cards.length,
           visible: cards.filter(visible).length, expanded };
});"#,
            )
            .await;
        v.as_array()
            .unwrap()
            .iter()
            .map(|s| Section {
                label: s["label"].as_str().unwrap_or("").to_string(),
                cards: s["cards"].as_u64().unwrap() as usize,
                visible_cards: s["visible"].as_u64().unwrap() as usize,
                expanded: s["expanded"].as_bool().unwrap_or(false),
            })
            .collect()
    }

    /// Clicks the toggle (summary or disclosure button) of section `i`.
    pub async fn toggle_section(&self, i: usize) {
        let toggle = self
            .run(&format!(
                r#"
const s = document.querySelectorAll('.more-comments')[{i}];
if (!s) return null;
if (s.tagName === 'DETAILS') return s.querySelector('summary');
return s.matches('[aria-expanded]') ? s : s.querySelector('[aria-expanded]');"#
            ))
            .await;
        assert!(
            !toggle.is_null(),
            "section {i} has no summary or aria-expanded toggle"
        );
        self.click(&toggle, &format!("toggle of section {i}")).await;
    }

    /// Clicks the すべて展開 control.
    pub async fn expand_all(&self) {
        let control = self
            .wait(
                "a visible すべて展開 control",
                &format!(
                    r#"
return [...document.querySelectorAll('button, a, [role=button], summary')]
  .find(el => text(el).includes({t}) && visible(el)) || null;"#,
                    t = json!(EXPAND_ALL_TEXT)
                ),
            )
            .await;
        self.click(&control, EXPAND_ALL_TEXT).await;
    }

    /// Links to tag (`kind = "tags"`) or month (`"months"`) pages outside post cards and
    /// the site header: the chips of the current page.
    pub async fn chips(&self, kind: &str) -> Vec<Chip> {
        let pattern = match kind {
            "tags" => r"^tags\/[^/]+\/$",
            "months" => r"^months\/\d{4}\/\d{2}\/$",
            other => panic!("unknown chip kind {other}"),
        };
        let v = self
            .run(&format!(
                r#"
const re = /{pattern}/;
return [...document.querySelectorAll('a[href]')]
  .filter(a => !a.closest('.post-card, .site-header, header[role=banner]'))
  .map(a => ({{ text: text(a), route: route(a.href) }}))
  .filter(c => c.route && re.test(c.route));"#
            ))
            .await;
        v.as_array()
            .unwrap()
            .iter()
            .map(|c| Chip {
                text: c["text"].as_str().unwrap_or("").to_string(),
                route: c["route"].as_str().unwrap_or("").to_string(),
            })
            .collect()
    }

    /// Waits until the search page has answered the current query
    /// (`.search-results[data-state=done]`); returns its status line.
    pub async fn wait_for_search_to_finish(&self) -> String {
        let v = self
            .wait(
                "the search results to be done (.search-results[data-state=done])",
                &format!(
                    r#"
const done = document.querySelector({done});
const s = document.querySelector('[role=status]');
return done && s ? text(s) : null;"#,
                    done = json!(SEARCH_DONE)
                ),
            )
            .await;
        v.as_str().unwrap_or_default().to_string()
    }

    /// Types `text` into the search box, key by key as a reader would.
    pub async fn type_search(&self, text: &str) {
        let input = self
            .wait(
                "the search box (input[type=search])",
                &format!(
                    "return document.querySelector({}) || null;",
                    json!(SEARCH_INPUT)
                ),
            )
            .await;
        self.element(&input)
            .send_keys(text)
            .await
            .unwrap_or_else(|e| panic!("type {text:?}: {e}"));
    }

    /// The comment snippets shown now: (post route, fragment, marked texts), in order.
    pub async fn search_snippets_now(&self) -> Vec<(String, String, Vec<String>)> {
        let v = self
            .run(&format!(
                r#"
return [...document.querySelectorAll({sel})].map(a => [
  route(a.href) || '', new URL(a.href).hash, [...a.querySelectorAll('mark')].map(text)]);"#,
                sel = json!(SEARCH_SNIPPET)
            ))
            .await;
        v.as_array()
            .into_iter()
            .flatten()
            .map(|s| {
                let marks = s[2]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .map(|m| m.as_str().unwrap_or("").to_string())
                    .collect();
                (
                    s[0].as_str().unwrap_or("").to_string(),
                    s[1].as_str().unwrap_or("").to_string(),
                    marks,
                )
            })
            .collect()
    }

    /// Clicks the first snippet linking to `route` with `fragment` (`#c12`).
    pub async fn click_search_snippet(&self, route: &str, fragment: &str) {
        let link = self
            .wait(
                &format!("a snippet linking to /{route}{fragment}"),
                &format!(
                    r#"
return [...document.querySelectorAll({sel})]
  .find(a => route(a.href) === {route} && new URL(a.href).hash === {fragment}) || null;"#,
                    sel = json!(SEARCH_SNIPPET),
                    route = json!(route),
                    fragment = json!(fragment)
                ),
            )
            .await;
        self.click(&link, "search snippet").await;
    }

    /// Waits until the comment card `id` is visible in the viewport (scrolled to), with
    /// every folded section around it open.
    pub async fn wait_for_targeted_card(&self, id: &str) {
        self.wait(
            &format!("card #{id} scrolled to, visible and unfolded"),
            &format!(
                r#"
const card = document.getElementById({id});
if (!card || !card.matches({card}) || !visible(card)) return null;
const box = card.getBoundingClientRect();
if (box.bottom < 0 || box.top > innerHeight) return null;
for (let el = card.parentElement; el; el = el.parentElement) {{
  if (el.tagName === 'DETAILS' && !el.open) return null;
}}
return !!card.closest({more});"#,
                id = json!(id),
                card = json!(COMMENT_CARD),
                more = json!(MORE_COMMENTS)
            ),
        )
        .await;
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

    /// Waits for the error view; returns its text. Panics if it has no retry button.
    pub async fn wait_for_error_with_retry(&self) -> String {
        let v = self
            .wait(
                "an error view with a retry button",
                &format!(
                    r#"
const box = [...document.querySelectorAll({sel})].find(visible);
if (!box) return null;
const retry = [...document.querySelectorAll('button')].find(b => text(b).includes({retry}) && visible(b));
return retry ? text(box) : null;"#,
                    sel = json!(ERROR_VIEW),
                    retry = json!(RETRY_TEXT)
                ),
            )
            .await;
        v.as_str().unwrap_or("").to_string()
    }

    /// Clicks the retry button.
    pub async fn click_retry(&self) {
        self.click_button(RETRY_TEXT).await;
    }

    /// Clicks the visible button whose text holds `label`.
    pub async fn click_button(&self, label: &str) {
        let button = self
            .run(&format!(
                "return [...document.querySelectorAll('button')].find(b => text(b).includes({}) && visible(b)) || null;",
                json!(label)
            ))
            .await;
        assert!(!button.is_null(), "no visible {label} button");
        self.click(&button, label).await;
    }

    /// Waits until the not-found page shows (its marker or an h1 saying so).
    pub async fn wait_for_not_found(&self) {
        self.wait(
            "the 404 page",
            &format!(
                r#"
const marker = [...document.querySelectorAll({sel})].find(visible);
const h1 = [...document.querySelectorAll('h1')].map(text).join(' ');
return !!marker || /見つかりません|404|not found/i.test(h1);"#,
                sel = json!(NOT_FOUND)
            ),
        )
        .await;
    }

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

    /// Text of all comment cards, joined.
    pub async fn comment_text(&self) -> String {
        self.run("return [...document.querySelectorAll('.comment-card')].map(c => c.textContent).join('\\n');")
            .await
            .as_str()
            .unwrap_or("")
            .to_string()
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

/// The card the keyboard is on: `aria-current="true"` (DESIGN.md, reading hooks).
pub const CURRENT_CARD: &str = ".comment-card[aria-current=\"true\"]";
/// A coloured (highlighted) comment card.
pub const ACCENT_CARD: &str = ".comment-card.has-accent";
/// A post card of a post opened before on this device.
pub const READ_POST_CARD: &str = ".post-card[data-read]";
/// A comment card's number: its permalink, which copies the link once the app is live.
pub const CARD_PERMALINK: &str = ".comment-card-number";
/// The ハイライトのみ switch of a post.
pub const DIGEST_TOGGLE: &str = ".digest-toggle";
/// A font-size step (`data-font` is `s`, `m` or `l`).
pub const FONT_SIZE_BUTTON: &str = ".font-size-button";
/// The footer control that forgets every read mark.
pub const CLEAR_READ_MARKS: &str = ".read-clear";
/// A comment card's share button (shows the card's share links).
pub const CARD_SHARE_BUTTON: &str = ".comment-card-share";
/// The shortcuts dialog (`?`).
pub const SHORTCUTS_DIALOG: &str = "dialog#shortcuts";
/// localStorage key of the read marks: lines `cards<TAB>post path`, oldest first.
pub const READ_MARKS_KEY: &str = "matome-read";

/// Where the keyboard's current card is.
#[derive(Clone, Debug, PartialEq)]
pub struct CurrentCard {
    /// Ids of every card with `aria-current="true"` (one when all is well).
    pub ids: Vec<String>,
    /// Whether the (first) current card is visible and inside the viewport.
    pub in_view: bool,
    /// Whether every folded section around it is open.
    pub unfolded: bool,
}

impl Reader<'_> {
    /// Presses keys on the page (no element focused by the test), one after another.
    pub async fn press_keys(&self, keys: &str) {
        use fantoccini::actions::{InputSource, KeyAction, KeyActions};
        let mut actions = KeyActions::new("keyboard".to_string());
        for c in keys.chars() {
            actions = actions
                .then(KeyAction::Down { value: c })
                .then(KeyAction::Up { value: c });
        }
        self.browser
            .client
            .perform_actions(actions)
            .await
            .unwrap_or_else(|e| panic!("press {keys:?}: {e}"));
    }

    /// Presses `key` with Control held.
    pub async fn press_with_control(&self, key: char) {
        use fantoccini::actions::{InputSource, KeyAction, KeyActions};
        use fantoccini::key::Key;
        let ctrl: char = Key::Control.into();
        let actions = KeyActions::new("keyboard".to_string())
            .then(KeyAction::Down { value: ctrl })
            .then(KeyAction::Down { value: key })
            .then(KeyAction::Up { value: key })
            .then(KeyAction::Up { value: ctrl });
        self.browser
            .client
            .perform_actions(actions)
            .await
            .unwrap_or_else(|e| panic!("press ctrl+{key}: {e}"));
    }

    /// The current card now.
    pub async fn current_card(&self) -> CurrentCard {
        let v = self
            .run(&format!(
                r#"
const cards = [...document.querySelectorAll({sel})];
const c = cards[0];
let unfolded = !!c, inView = false;
if (c) {{
  for (let el = c.parentElement; el; el = el.parentElement) if (el.tagName === 'DETAILS' && !el.open) unfolded = false;
  const r = c.getBoundingClientRect();
  inView = visible(c) && r.top < innerHeight && r.bottom > 0;
}}
return {{ ids: cards.map(c => c.id), inView, unfolded }};"#,
                sel = json!(CURRENT_CARD)
            ))
            .await;
        CurrentCard {
            ids: strings(&v["ids"]),
            in_view: v["inView"].as_bool().unwrap_or(false),
            unfolded: v["unfolded"].as_bool().unwrap_or(false),
        }
    }

    /// Waits until the current card is `id`, alone, unfolded and in view.
    pub async fn wait_for_current_card(&self, id: &str) -> CurrentCard {
        let want = CurrentCard {
            ids: vec![id.to_string()],
            in_view: true,
            unfolded: true,
        };
        self.browser
            .eventually_eq(
                &format!("card #{id} to be current, unfolded and in view"),
                &want,
                || self.current_card(),
            )
            .await;
        want
    }

    /// Ids of the post's cards in page order, and of its coloured ones.
    pub async fn card_ids(&self) -> (Vec<String>, Vec<String>) {
        let v = self
            .run(&format!(
                "return [[...document.querySelectorAll({all})].map(c => c.id), [...document.querySelectorAll({acc})].map(c => c.id)];",
                all = json!(COMMENT_CARD),
                acc = json!(ACCENT_CARD)
            ))
            .await;
        (strings(&v[0]), strings(&v[1]))
    }

    /// For each folded section in page order, the ids of its cards.
    pub async fn section_card_ids(&self) -> Vec<Vec<String>> {
        let v = self
            .run(&format!(
                "return [...document.querySelectorAll({more})].map(s => [...s.querySelectorAll({card})].map(c => c.id));",
                more = json!(MORE_COMMENTS),
                card = json!(COMMENT_CARD)
            ))
            .await;
        v.as_array().into_iter().flatten().map(strings).collect()
    }

    /// Ids of the comment cards a reader can see now.
    pub async fn visible_card_ids(&self) -> Vec<String> {
        strings(
            &self
                .run(&format!(
                    "return [...document.querySelectorAll({})].filter(visible).map(c => c.id);",
                    json!(COMMENT_CARD)
                ))
                .await,
        )
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

    /// Clicks ハイライトのみ.
    pub async fn toggle_digest(&self) {
        self.click_selector(DIGEST_TOGGLE, "ハイライトのみ switch")
            .await;
    }

    /// Clicks the font-size step `size` (`s`, `m`, `l`).
    pub async fn choose_font_size(&self, size: &str) {
        self.click_selector(
            &format!("{FONT_SIZE_BUTTON}[data-font={size}]"),
            "font-size step",
        )
        .await;
    }

    /// The root font size in px and the pressed font-size step (`data-font`).
    pub async fn font_size(&self) -> (f64, String) {
        let v = self
            .run(&format!(
                r#"
const b = document.querySelector({sel} + '[aria-pressed=true]');
return [parseFloat(getComputedStyle(document.documentElement).fontSize), b ? b.dataset.font : ''];"#,
                sel = json!(FONT_SIZE_BUTTON)
            ))
            .await;
        (
            v[0].as_f64().unwrap_or(0.0),
            v[1].as_str().unwrap_or("").to_string(),
        )
    }

    /// Post paths of the post cards marked read (`.post-card[data-read]` showing 既読).
    pub async fn read_post_cards(&self) -> Vec<String> {
        strings(
            &self
                .run(&format!(
                    r#"
return [...document.querySelectorAll({sel})].filter(c => text(c).includes('既読')).map(c => {{
  const a = [...c.querySelectorAll('a[href]')].find(a => postPath(route(a.href)));
  return a ? postPath(route(a.href)) : '';
}});"#,
                    sel = json!(READ_POST_CARD)
                ))
                .await,
        )
    }

    /// Clicks the footer's control that forgets the read marks.
    pub async fn clear_read_marks(&self) {
        self.click_selector(CLEAR_READ_MARKS, "clear read marks control")
            .await;
    }

    /// Rewrites the read marks so that the last visit of `path` saw `cards` cards (as if
    /// cards were added to the post since).
    pub async fn pretend_last_visit_saw(&self, path: &str, cards: usize) {
        self.run(&format!(
            r#"
const key = {key}, path = {path};
const lines = (localStorage.getItem(key) || '').split('\n').filter(l => l && l.split('\t')[1] !== path);
lines.push({cards} + '\t' + path);
localStorage.setItem(key, lines.join('\n') + '\n');"#,
            key = json!(READ_MARKS_KEY),
            path = json!(path)
        ))
        .await;
    }

    /// The href of card `id`'s permalink (its number).
    pub async fn card_permalink(&self, id: &str) -> String {
        let sel = format!("#{id} {CARD_PERMALINK}");
        let v = self
            .run(&format!(
                "return document.querySelector({})?.href ?? '';",
                json!(sel)
            ))
            .await;
        v.as_str().unwrap_or("").to_string()
    }

    /// Clicks card `id`'s permalink (its number).
    pub async fn click_card_permalink(&self, id: &str) {
        let sel = format!("#{id} {CARD_PERMALINK}");
        let el = self
            .run(&format!("return document.querySelector({});", json!(sel)))
            .await;
        assert!(!el.is_null(), "no permalink in card {id}");
        self.click(&el, "a card's permalink").await;
    }

    /// What card `id` says about its copied link (empty when nothing).
    pub async fn card_copy_notice(&self, id: &str) -> String {
        let v = self
            .run(&format!(
                "return text(document.querySelector({}) || document.createElement('i'));",
                json!(format!("#{id} .comment-card-copied"))
            ))
            .await;
        v.as_str().unwrap_or("").to_string()
    }

    /// Ids of the cards marked 新着.
    pub async fn new_card_ids(&self) -> Vec<String> {
        strings(
            &self
                .run(&format!(
                    "return [...document.querySelectorAll({})].filter(c => text(c.querySelector('.comment-card-meta')).includes('新着')).map(c => c.id);",
                    json!(COMMENT_CARD)
                ))
                .await,
        )
    }

    /// The share links inside `scope` (a CSS selector): (`data-share`, href).
    pub async fn share_links(&self, scope: &str) -> Vec<(String, String)> {
        let v = self
            .run(&format!(
                r#"
const s = document.querySelector({scope});
return s ? [...s.querySelectorAll('a[data-share]')].filter(visible).map(a => [a.dataset.share, a.href]) : [];"#,
                scope = json!(scope)
            ))
            .await;
        v.as_array()
            .into_iter()
            .flatten()
            .map(|p| {
                (
                    p[0].as_str().unwrap_or("").to_string(),
                    p[1].as_str().unwrap_or("").to_string(),
                )
            })
            .collect()
    }

    /// Clicks the share button of card `id`.
    pub async fn open_card_share(&self, id: &str) {
        self.click_selector(&format!("#{id} {CARD_SHARE_BUTTON}"), "card share button")
            .await;
    }

    /// Whether the shortcuts dialog is open.
    pub async fn shortcuts_open(&self) -> bool {
        self.run(&format!(
            "const d = document.querySelector({}); return !!d && d.open && visible(d);",
            json!(SHORTCUTS_DIALOG)
        ))
        .await
        .as_bool()
        .unwrap_or(false)
    }

    /// Puts a text field at the top of the page (as a form on the page would be), clicks
    /// it and types `text` into it.
    pub async fn type_in_a_text_field(&self, text: &str) {
        let input = self
            .run(
                r#"
const i = document.createElement('input');
i.type = 'text'; i.id = 'e2e-field'; i.setAttribute('aria-label', 'e2e');
document.body.prepend(i);
return i;"#,
            )
            .await;
        self.click(&input, "text field").await;
        self.element(&input)
            .send_keys(text)
            .await
            .unwrap_or_else(|e| panic!("type {text:?}: {e}"));
    }

    /// Clicks the header's theme switch (light ⇄ dark); returns the theme now in effect.
    pub async fn switch_theme(&self) -> String {
        self.click_selector(".theme-toggle", "theme switch").await;
        let v = self
            .run("return document.documentElement.dataset.theme || '';")
            .await;
        v.as_str().unwrap_or("").to_string()
    }

    /// Scrolls so that the post's share links are near the top of the viewport.
    pub async fn scroll_to_post_share_links(&self) {
        self.run(
            "const s = document.querySelector('.post-share'); if (s) scrollTo(0, s.getBoundingClientRect().top + scrollY - 80);",
        )
        .await;
    }

    /// Number of browser windows (tabs) open.
    pub async fn window_count(&self) -> usize {
        self.browser
            .client
            .windows()
            .await
            .map(|w| w.len())
            .unwrap_or(0)
    }
}

/// The month page's 「コメントが多い記事」 entries.
pub const MONTH_RANKING_ITEM: &str = ".month-ranking-item";
/// Links to the previous and next posts on a post page.
pub const POST_NAV_LINK: &str = "a.post-nav-link";
/// The service worker's page for a route it has not saved (offline).
pub const OFFLINE_VIEW: &str = "[data-error=offline]";
/// The notice of a new deployment (`新しい版があります` with `再読み込み`).
pub const UPDATE_NOTICE: &str = ".update-notice";
/// The cache the service worker saves posts in.
pub const POSTS_CACHE: &str = "matome-posts";

/// Offline reading (the service worker) and the month ranking.
impl Reader<'_> {
    /// Waits for 「コメントが多い記事」 and returns its entries in order: (title, count text).
    pub async fn month_ranking(&self) -> Vec<(String, String)> {
        let v = self
            .wait(
                "the month's ranking (コメントが多い記事)",
                &format!(
                    r#"
const items = [...document.querySelectorAll({sel})].filter(visible);
if (!items.length) return null;
return items.map(li => [text(li.querySelector('a')), text(li.querySelector('.month-ranking-count'))]);"#,
                    sel = json!(MONTH_RANKING_ITEM)
                ),
            )
            .await;
        v.as_array()
            .unwrap()
            .iter()
            .map(|p| {
                (
                    p[0].as_str().unwrap().to_string(),
                    p[1].as_str().unwrap().to_string(),
                )
            })
            .collect()
    }

    /// Routes of the post page's previous/next links.
    pub async fn neighbour_routes(&self) -> Vec<String> {
        let v = self
            .run(&format!(
                "return [...document.querySelectorAll({})].map(a => route(a.href));",
                json!(POST_NAV_LINK)
            ))
            .await;
        v.as_array()
            .unwrap()
            .iter()
            .filter_map(|r| r.as_str().map(String::from))
            .collect()
    }

    /// Waits until a service worker controls the page.
    pub async fn wait_for_service_worker(&self) {
        self.wait(
            "a service worker controlling the page",
            "return !!(navigator.serviceWorker && navigator.serviceWorker.controller);",
        )
        .await;
    }

    /// Whether the service worker saved the page of `route` (and, for a post, its data).
    pub async fn saved(&self, route: &str, data: Option<&str>) -> bool {
        let v = self
            .run(&format!(
                r#"
return (async () => {{
  const c = await caches.open({cache});
  const page = await c.match(new URL(MOUNT + {route}, location.href).href);
  const data = {data} === null || await c.match(new URL(MOUNT + 'data/posts/' + {data} + '.json', location.href).href);
  return !!page && !!data;
}})();"#,
                cache = json!(POSTS_CACHE),
                route = json!(route),
                data = json!(data)
            ))
            .await;
        v.as_bool().unwrap_or(false)
    }

    /// Waits until [`Reader::saved`] holds.
    pub async fn wait_until_saved(&self, route: &str, data: Option<&str>) {
        self.browser
            .wait_for(
                &format!("the service worker to save /{route} (data {data:?})"),
                || async { self.saved(route, data).await.then_some(()) },
            )
            .await;
    }

    /// Waits for the offline page; returns (its text, routes of the links it shows).
    pub async fn wait_for_offline_page(&self) -> (String, Vec<String>) {
        let v = self
            .wait(
                "the offline page",
                &format!(
                    r#"
const box = document.querySelector({sel});
return box && visible(box) ? [text(box), [...box.querySelectorAll('a')].map(a => route(a.href))] : null;"#,
                    sel = json!(OFFLINE_VIEW)
                ),
            )
            .await;
        let links = v[1]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r.as_str().unwrap_or("?").to_string())
            .collect();
        (v[0].as_str().unwrap().to_string(), links)
    }

    /// Waits for the update notice; returns its text.
    pub async fn wait_for_update_notice(&self) -> String {
        let v = self
            .wait(
                "the update notice",
                &format!(
                    "const n = document.querySelector({sel}); return n && visible(n) ? text(n) : null;",
                    sel = json!(UPDATE_NOTICE)
                ),
            )
            .await;
        v.as_str().unwrap().to_string()
    }

    /// Whether the update notice shows now.
    pub async fn update_notice_shown(&self) -> bool {
        self.run(&format!(
            "const n = document.querySelector({}); return !!n && visible(n);",
            json!(UPDATE_NOTICE)
        ))
        .await
        .as_bool()
        .unwrap_or(false)
    }

    /// Names of the caches the site's service worker keeps.
    pub async fn cache_names(&self) -> Vec<String> {
        let v = self.run("return caches.keys();").await;
        v.as_array()
            .unwrap()
            .iter()
            .filter_map(|n| n.as_str().map(String::from))
            .collect()
    }
}
