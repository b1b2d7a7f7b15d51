//! The analytics and author settings of Hugo themes (Google Analytics, Plausible,
//! Umami; Blowfish's `params.author`) as the model's [`Analytics`] and [`Author`].

use matome_model::rules::{is_analytics_id, is_author_link, is_script_url, is_web_url};
use matome_model::{Analytics, AnalyticsProvider, Author, Link};
use toml::{Table, Value};

use super::config::{get, Site};
use super::map::Report;

/// The first of `keys` set to a non-empty string in `table` (Hugo themes spell the same
/// setting several ways).
fn first_str<'a>(table: &'a Table, keys: &[&str]) -> Option<&'a str> {
    keys.iter()
        .find_map(|k| get(table, &[k]).and_then(Value::as_str))
        .map(str::trim)
        .filter(|s| !s.is_empty())
}

/// The first analytics configured: Google Analytics 4, then Plausible, then Umami.
pub(super) fn analytics(site: &Site, r: &mut Report) -> Option<Analytics> {
    let mut found: Vec<(Analytics, String)> = Vec::new();
    let google = site
        .find_str(&["services", "googleAnalytics", "ID"])
        .or_else(|| site.find_str(&["googleAnalytics"]));
    if let Some((id, from)) = google {
        let id = id.trim();
        if id.to_ascii_uppercase().starts_with("G-") && is_analytics_id(id) {
            found.push((
                Analytics {
                    provider: AnalyticsProvider::Google,
                    id: id.to_string(),
                    src: None,
                },
                from,
            ));
        } else {
            r.not_mapped.push(format!(
                "{from}: {id:?} is not a Google Analytics 4 id (G-…)"
            ));
        }
    }
    if let Some((table, from)) = site
        .find(&["params", "plausibleAnalytics"])
        .and_then(|(v, f)| Some((v.as_table()?, f)))
    {
        let field = |keys: &[&str]| first_str(table, keys);
        let domain = field(&["domain", "site", "dataDomain"]);
        let src = field(&["script", "scriptURL", "scriptSrc", "src"])
            .unwrap_or("https://plausible.io/js/script.js");
        match domain {
            Some(d) if !is_analytics_id(d) => r
                .not_mapped
                .push(format!("{from}: {d:?} is not a plain domain")),
            Some(d) if is_script_url(src) => found.push((
                Analytics {
                    provider: AnalyticsProvider::Plausible,
                    id: d.to_string(),
                    src: Some(src.to_string()),
                },
                from,
            )),
            Some(_) => r
                .not_mapped
                .push(format!("{from}: script {src:?} is not an https URL")),
            None => r.not_mapped.push(format!("{from}: no domain")),
        }
    }
    if let Some((table, from)) = site
        .find(&["params", "umamiAnalytics"])
        .and_then(|(v, f)| Some((v.as_table()?, f)))
    {
        let field = |keys: &[&str]| first_str(table, keys);
        let id = field(&["websiteid", "websiteId", "id", "site"]);
        // Blowfish builds the script URL from `domain` and `scriptName`.
        let src = field(&["script", "scriptURL", "scriptSrc", "src"])
            .map(str::to_string)
            .unwrap_or_else(|| {
                let host = field(&["domain"]).unwrap_or("analytics.umami.is");
                let host = host.trim_end_matches('/');
                let host = if is_web_url(host) {
                    host.to_string()
                } else {
                    format!("https://{host}")
                };
                format!(
                    "{host}/{}",
                    field(&["scriptName"])
                        .unwrap_or("script.js")
                        .trim_start_matches('/')
                )
            });
        match id {
            Some(id) if !is_analytics_id(id) => r
                .not_mapped
                .push(format!("{from}: {id:?} is not a website id")),
            Some(id) if is_script_url(&src) => found.push((
                Analytics {
                    provider: AnalyticsProvider::Umami,
                    id: id.to_string(),
                    src: Some(src),
                },
                from,
            )),
            Some(_) => r
                .not_mapped
                .push(format!("{from}: script {src:?} is not an https URL")),
            None => r.not_mapped.push(format!("{from}: no websiteid")),
        }
    }
    let mut found = found.into_iter();
    let first = found.next();
    for (a, from) in found {
        r.not_mapped.push(format!(
            "{from}: {} analytics not used, matome loads one ({} kept)",
            a.provider.name(),
            first.as_ref().map_or("", |f| f.0.provider.name())
        ));
    }
    first.map(|(a, from)| {
        r.mapped
            .push(("analytics", format!("{from} ({})", a.provider.name())));
        a
    })
}

/// A label for a link key of Blowfish's `params.author.links`.
fn link_label(key: &str) -> String {
    let known = [
        ("x", "X"),
        ("twitter", "Twitter"),
        ("youtube", "YouTube"),
        ("tiktok", "TikTok"),
        ("github", "GitHub"),
        ("gitlab", "GitLab"),
        ("instagram", "Instagram"),
        ("facebook", "Facebook"),
        ("mastodon", "Mastodon"),
        ("bluesky", "Bluesky"),
        ("threads", "Threads"),
        ("linkedin", "LinkedIn"),
        ("reddit", "Reddit"),
        ("discord", "Discord"),
        ("twitch", "Twitch"),
        ("rss", "RSS"),
        ("email", "Email"),
        ("note", "note"),
        ("qiita", "Qiita"),
        ("zenn", "Zenn"),
        ("hatena", "はてな"),
        ("pixiv", "pixiv"),
        ("link", "Link"),
        ("website", "Website"),
    ];
    if let Some((_, label)) = known.iter().find(|(k, _)| k.eq_ignore_ascii_case(key)) {
        return label.to_string();
    }
    let mut chars = key.chars();
    chars
        .next()
        .map_or_else(String::new, |c| c.to_uppercase().chain(chars).collect())
}

/// The author's name and links (`params.author`).
pub(super) fn author(site: &Site, r: &mut Report) -> Option<Author> {
    let name = site
        .find_str(&["params", "author", "name"])
        .map(|(n, from)| {
            r.mapped.push(("author.name", from));
            n.trim().to_string()
        });
    let mut links = Vec::new();
    if let Some((value, from)) = site.find(&["params", "author", "links"]) {
        // Blowfish: an array of one-key tables (keeps the order); a plain table also works.
        let pairs: Vec<(String, &Value)> = match value {
            Value::Array(items) => items
                .iter()
                .filter_map(Value::as_table)
                .flat_map(|t| t.iter().map(|(k, v)| (k.clone(), v)))
                .collect(),
            Value::Table(t) => t.iter().map(|(k, v)| (k.clone(), v)).collect(),
            _ => Vec::new(),
        };
        let mut kept = Vec::new();
        for (key, v) in pairs {
            let url = v.as_str().map(str::trim).unwrap_or("");
            if is_author_link(url) {
                links.push(Link {
                    label: link_label(&key),
                    url: url.to_string(),
                });
                kept.push(key);
            } else {
                r.not_mapped.push(format!(
                    "{from}.{key}: {url:?} is not an http(s) or mailto URL"
                ));
            }
        }
        if !kept.is_empty() {
            r.mapped
                .push(("author.links", format!("{from} ({})", kept.join(", "))));
        }
    }
    (name.is_some() || !links.is_empty()).then(|| Author {
        name: name.unwrap_or_default(),
        links,
    })
}
