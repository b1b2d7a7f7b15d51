//! Offline reading: the service worker, what it saved, its offline page and the notice of
//! a new deployment.

use serde_json::json;

use super::Reader;

/// The service worker's page for a route it has not saved (offline).
pub const OFFLINE_VIEW: &str = "[data-error=offline]";
/// The notice of a new deployment (`新しい版があります` with `再読み込み`).
pub const UPDATE_NOTICE: &str = ".update-notice";
/// The cache the service worker saves posts in.
pub const POSTS_CACHE: &str = "matome-posts";

impl Reader<'_> {
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
