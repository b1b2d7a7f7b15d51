//! The search page: its box, its results and their comment snippets.

use serde_json::json;

use super::Reader;

/// The search page's box.
pub const SEARCH_INPUT: &str = "input[type=search]";
/// The search results once the current query is answered.
pub const SEARCH_DONE: &str = ".search-results[data-state=done]";
/// A comment snippet: a link to the post with the card's `#cN`.
pub const SEARCH_SNIPPET: &str = "a.search-snippet";
/// The header's link to the search page.
pub const HEADER_SEARCH_LINK: &str = ".site-search-link";

impl Reader<'_> {
    /// Moves the mouse pointer onto the header's search link, without clicking.
    pub async fn point_at_header_search_link(&self) {
        use fantoccini::actions::{InputSource, MouseActions, PointerAction};
        let link = self
            .browser
            .client
            .find(fantoccini::Locator::Css(HEADER_SEARCH_LINK))
            .await
            .expect("the header's search link");
        let hover = MouseActions::new("mouse".into()).then(PointerAction::MoveToElement {
            element: link,
            duration: None,
            x: 0.0,
            y: 0.0,
        });
        self.browser
            .client
            .perform_actions(hover)
            .await
            .expect("move the pointer onto the header's search link");
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

    /// The results' `data-state` and the status line now.
    pub async fn search_state_now(&self) -> (String, String) {
        let v = self
            .run(
                r#"
const r = document.querySelector('.search-results');
const s = document.querySelector('[role=status]');
return [r ? r.dataset.state || '' : '', s ? text(s) : ''];"#,
            )
            .await;
        let at = |i: usize| v[i].as_str().unwrap_or_default().to_string();
        (at(0), at(1))
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

    /// The filters' chosen values now: (tag, month); `""` is すべて.
    pub async fn search_filter_values(&self) -> (String, String) {
        let v = self
            .run(
                "return [...document.querySelectorAll('.search-filter select')].map(s => s.value);",
            )
            .await;
        let at = |i: usize| v[i].as_str().unwrap_or_default().to_string();
        (at(0), at(1))
    }
}
