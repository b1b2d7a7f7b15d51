//! The reading features of a post page: keyboard and current card, ハイライトのみ, font
//! size, 新着 marks, permalinks, share links, the shortcuts dialog and the theme.

use serde_json::json;

use super::{strings, Reader, COMMENT_CARD};

/// The card the keyboard is on: `aria-current="true"` (DESIGN.md, reading hooks).
pub const CURRENT_CARD: &str = ".comment-card[aria-current=\"true\"]";
/// A coloured (highlighted) comment card.
pub const ACCENT_CARD: &str = ".comment-card.has-accent";
/// A comment card's number: its permalink, which copies the link once the app is live.
pub const CARD_PERMALINK: &str = ".comment-card-number";
/// The ハイライトのみ switch of a post.
pub const DIGEST_TOGGLE: &str = ".digest-toggle";
/// A font-size step (`data-font` is `s`, `m` or `l`).
pub const FONT_SIZE_BUTTON: &str = ".font-size-button";
/// A comment card's share button (shows the card's share links).
pub const CARD_SHARE_BUTTON: &str = ".comment-card-share";
/// The post's own share links (a scope for [`Reader::share_links`]).
pub const POST_SHARE: &str = ".post-share";
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
        self.run(&format!(
            "const s = document.querySelector({}); if (s) scrollTo(0, s.getBoundingClientRect().top + scrollY - 80);",
            json!(POST_SHARE)
        ))
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
