//! Optional analytics (`analytics` in build.json): off unless configured. When on, each
//! page gets one small inline script, pinned by its hash in the page's CSP, that adds
//! the service's script after the page has loaded and the browser is idle, so it never
//! competes with the first paint; the CSP then allows exactly that service's origins.

use matome_model::{Analytics, AnalyticsProvider};

use crate::csp::Extra;

/// Plausible's own script when `src` is left out.
const PLAUSIBLE_SRC: &str = "https://plausible.io/js/script.js";
/// Google's tag script.
const GTAG_SRC: &str = "https://www.googletagmanager.com/gtag/js";

/// `https://host` of an https URL.
fn origin(url: &str) -> String {
    let rest = url.strip_prefix("https://").unwrap_or(url);
    let host = rest.split(['/', '?', '#']).next().unwrap_or(rest);
    format!("https://{host}")
}

/// A JavaScript string literal of `s` (ids and URLs are checked by the config loader;
/// this escapes anyway so no value can end the string or the script).
fn js_string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            '<' | '>' | '&' | '\'' => out.push_str(&format!("\\u{:04x}", c as u32)),
            c if c.is_control() => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The inline loader script and the origins the CSP must allow for it.
pub fn loader(a: &Analytics) -> (String, Extra) {
    let id = js_string(&a.id);
    let (src, attribute, setup, extra) = match a.provider {
        AnalyticsProvider::Google => {
            let src = format!("{GTAG_SRC}?id={}", a.id);
            let setup = format!(
                "window.dataLayer=window.dataLayer||[];window.gtag=function(){{dataLayer.push(arguments)}};\
                 gtag(\"js\",new Date());gtag(\"config\",{id});"
            );
            let extra = Extra {
                script: vec!["https://www.googletagmanager.com".into()],
                connect: vec![
                    "https://*.google-analytics.com".into(),
                    "https://*.analytics.google.com".into(),
                    "https://*.googletagmanager.com".into(),
                ],
                img: vec![
                    "https://*.google-analytics.com".into(),
                    "https://*.googletagmanager.com".into(),
                ],
            };
            (src, None, setup, extra)
        }
        AnalyticsProvider::Plausible | AnalyticsProvider::Umami => {
            let src = a.src.clone().unwrap_or_else(|| PLAUSIBLE_SRC.to_string());
            let o = origin(&src);
            let attribute = if a.provider == AnalyticsProvider::Plausible {
                "data-domain"
            } else {
                "data-website-id"
            };
            let extra = Extra {
                script: vec![o.clone()],
                connect: vec![o],
                img: vec![],
            };
            (src, Some(attribute), String::new(), extra)
        }
    };
    let attribute = attribute
        .map(|name| format!("s.setAttribute(\"{name}\",{id});"))
        .unwrap_or_default();
    let script = format!(
        "addEventListener(\"load\",function(){{var go=function(){{{setup}var s=document.createElement(\"script\");\
         s.async=true;s.src={};{attribute}document.head.appendChild(s)}};\
         if(window.requestIdleCallback)requestIdleCallback(go,{{timeout:3000}});else setTimeout(go,1000)}})",
        js_string(&src)
    );
    (script, extra)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn analytics(provider: AnalyticsProvider, id: &str, src: Option<&str>) -> Analytics {
        Analytics {
            provider,
            id: id.into(),
            src: src.map(Into::into),
        }
    }

    // Google: gtag.js with the id, configured, Google's origins allowed.
    #[test]
    fn google_loads_gtag_after_load() {
        let (script, extra) = loader(&analytics(AnalyticsProvider::Google, "G-ABC123", None));
        assert!(script.starts_with("addEventListener(\"load\""), "{script}");
        assert!(
            script.contains("https://www.googletagmanager.com/gtag/js?id=G-ABC123"),
            "{script}"
        );
        assert!(script.contains("gtag(\"config\",\"G-ABC123\")"), "{script}");
        assert_eq!(extra.script, ["https://www.googletagmanager.com"]);
        assert!(extra
            .connect
            .iter()
            .any(|o| o.contains("google-analytics.com")));
    }

    // Plausible and Umami: their script with the site's id attribute, their origin only.
    #[test]
    fn plausible_and_umami_name_their_origin() {
        let (script, extra) = loader(&analytics(
            AnalyticsProvider::Plausible,
            "example.com",
            None,
        ));
        assert!(
            script.contains("s.src=\"https://plausible.io/js/script.js\""),
            "{script}"
        );
        assert!(
            script.contains("s.setAttribute(\"data-domain\",\"example.com\")"),
            "{script}"
        );
        assert_eq!(extra.script, ["https://plausible.io"]);
        let (script, extra) = loader(&analytics(
            AnalyticsProvider::Umami,
            "3f6a-1b2c",
            Some("https://stats.example.org/u/script.js"),
        ));
        assert!(
            script.contains("s.setAttribute(\"data-website-id\",\"3f6a-1b2c\")"),
            "{script}"
        );
        assert_eq!(extra.connect, ["https://stats.example.org"]);
    }

    // Nothing in a value can close the string or the script element.
    #[test]
    fn values_cannot_break_out() {
        assert_eq!(js_string("a\"</script>"), "\"a\\\"\\u003c/script\\u003e\"");
    }
}
