//! What a reader sees when something is missing or failed: the error view with its retry
//! button and the not-found page.

use serde_json::json;

use super::Reader;

/// The error view shown when a fetch failed.
pub const ERROR_VIEW: &str = ".error-view, [role=alert]";
/// Text of the retry button in the error view.
pub const RETRY_TEXT: &str = "再試行";
/// The not-found page.
pub const NOT_FOUND: &str = ".not-found, [data-not-found]";

impl Reader<'_> {
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

    /// Waits for the error view; returns its kind (`data-error`: offline, network,
    /// status, decode, update) and its text.
    pub async fn wait_for_error_view(&self) -> (String, String) {
        let v = self
            .wait(
                "the error view",
                &format!(
                    r#"
const box = [...document.querySelectorAll({sel})].find(visible);
return box ? [box.getAttribute('data-error') || '', text(box)] : null;"#,
                    sel = json!(ERROR_VIEW)
                ),
            )
            .await;
        let part = |i: usize| v[i].as_str().unwrap_or("").to_string();
        (part(0), part(1))
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
}
