//! A post page: its title, comment cards, folded sections, すべて展開 and the links to
//! the neighbouring posts.

use serde_json::json;

use super::{strings, Reader, ACCENT_CARD};

/// A post's title: the page's only `h1`.
pub const TITLE: &str = "h1";
/// A comment card (`id` like `c12`).
pub const COMMENT_CARD: &str = ".comment-card";
/// A folded "もっとコメントを表示" section: `<details>` or a disclosure with `aria-expanded`.
pub const MORE_COMMENTS: &str = ".more-comments";
/// Text of the control that opens every folded section.
pub const EXPAND_ALL_TEXT: &str = "すべて展開";
/// Links to the previous and next posts on a post page.
pub const POST_NAV_LINK: &str = "a.post-nav-link";
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

impl Reader<'_> {
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

    /// Text of all comment cards, joined.
    pub async fn comment_text(&self) -> String {
        self.run("return [...document.querySelectorAll('.comment-card')].map(c => c.textContent).join('\\n');")
            .await
            .as_str()
            .unwrap_or("")
            .to_string()
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
}
