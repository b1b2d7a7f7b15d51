//! Lists of posts (home, tag, month pages): post cards, chips, the month ranking and the
//! read marks on cards.

use serde_json::json;

use super::{strings, Reader};

/// A post card in a list; holds a link to the post.
pub const POST_CARD: &str = ".post-card";
/// Tag chips (also recognised by their `/tags/<slug>/` route).
pub const TAG_CHIP: &str = ".tag-chip";
/// A post card of a post opened before on this device.
pub const READ_POST_CARD: &str = ".post-card[data-read]";
/// The footer control that forgets every read mark.
pub const CLEAR_READ_MARKS: &str = ".read-clear";
/// The tag index's tags, in the order shown.
pub const TAG_LIST_NAME: &str = ".tag-cloud > li .tag-cloud-name";
/// The tag index's sort buttons (`data-sort` is `count` or `name`).
pub const TAG_SORT_BUTTON: &str = ".sort-button[data-sort]";
/// The month page's 「コメントが多い記事」 entries.
pub const MONTH_RANKING_ITEM: &str = ".month-ranking-item";
/// A link to a tag or month page.
#[derive(Clone, Debug, PartialEq)]
pub struct Chip {
    /// Link text.
    pub text: String,
    /// Route relative to the site root, e.g. `tags/rust/`.
    pub route: String,
}

impl Reader<'_> {
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

    /// Waits for the tag index and returns its tag names in the order shown.
    pub async fn tag_names(&self) -> Vec<String> {
        strings(
            &self
                .wait(
                    "the tag index's tags",
                    &format!(
                        r#"
const names = [...document.querySelectorAll({sel})].map(text);
return names.length ? names : null;"#,
                        sel = json!(TAG_LIST_NAME)
                    ),
                )
                .await,
        )
    }

    /// The order the tag index's sort switch shows as chosen (`count`, `name`; several
    /// joined by `,` if more than one button says it is pressed).
    pub async fn tag_sort_pressed(&self) -> String {
        self.run(&format!(
            r#"
return [...document.querySelectorAll({sel})]
  .filter(b => b.getAttribute('aria-pressed') === 'true').map(b => b.dataset.sort).join(',');"#,
            sel = json!(TAG_SORT_BUTTON)
        ))
        .await
        .as_str()
        .unwrap_or("")
        .to_string()
    }

    /// Clicks the tag index's sort button for `order` (`count` or `name`).
    pub async fn sort_tags_by(&self, order: &str) {
        self.click_selector(
            &format!(".sort-button[data-sort={order}]"),
            &format!("sort by {order}"),
        )
        .await;
    }
}
