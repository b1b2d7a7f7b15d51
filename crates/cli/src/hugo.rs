//! A Hugo site's configuration, read and merged the way Hugo does, and mapped onto the
//! keys of `build.json` (`matome init --from-hugo`).
//!
//! Steps: `load` (root `hugo.toml`/`config.toml` and `config/_default/*.toml`, merged)
//! → `Site::language` (the default language's table overrides the root) → `map` (each
//! build.json key from its Hugo setting, with what was used and what was not).

use std::fmt;
use std::path::{Path, PathBuf};

use matome_model::rules::{is_analytics_id, is_author_link, is_script_url, is_web_url};
use matome_model::{Analytics, AnalyticsProvider, Author, Link};
use serde::Serialize;
use toml::{Table, Value};

/// A configuration file that cannot be read or parsed, or a site without one.
#[derive(Debug)]
pub struct ConfigError {
    /// The file (or the site folder when no configuration was found).
    pub path: PathBuf,
    /// 1-based line and column, when toml gives a position.
    pub position: Option<(usize, usize)>,
    pub message: String,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.path.display())?;
        if let Some((line, col)) = self.position {
            write!(f, ":{line}:{col}")?;
        }
        write!(f, ": {}", self.message)
    }
}

/// The merged configuration of a Hugo site.
pub struct Site {
    /// The site folder.
    pub dir: PathBuf,
    /// The files read, in merge order.
    pub files: Vec<PathBuf>,
    root: Table,
    /// The default language and its `languages.<lang>` table.
    lang: Option<(String, Table)>,
    /// Other configured languages (not built: matome builds one language).
    pub other_languages: Vec<String>,
    /// Files found but not read (YAML/JSON beside TOML, unknown names).
    pub skipped: Vec<PathBuf>,
}

/// Reads `dir`'s configuration: `config/_default/*.toml` merged the way Hugo merges a
/// config folder (`params.toml` under `params`, `languages.ja.toml` under
/// `languages.ja`, `menus.ja.toml` under `languages.ja.menus`), then the root
/// `hugo.toml` (or `config.toml`) over it.
pub fn load(dir: &Path) -> Result<Site, ConfigError> {
    if !dir.is_dir() {
        return Err(ConfigError {
            path: dir.to_path_buf(),
            position: None,
            message: "not a folder".into(),
        });
    }
    let mut root = Table::new();
    let mut files = Vec::new();
    let mut skipped = Vec::new();
    let config_dir = dir.join("config/_default");
    if config_dir.is_dir() {
        let mut entries: Vec<PathBuf> = std::fs::read_dir(&config_dir)
            .map_err(|e| io_error(&config_dir, e))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.is_file())
            .collect();
        entries.sort();
        // hugo.toml/config.toml first, so the files named after a key go over it.
        entries.sort_by_key(|p| !matches!(stem(p).as_str(), "hugo" | "config"));
        for path in entries {
            if path.extension().and_then(|e| e.to_str()) != Some("toml") {
                skipped.push(path);
                continue;
            }
            let stem = stem(&path);
            let parts: Vec<&str> = stem.split('.').collect();
            let at: Vec<&str> = match parts.as_slice() {
                ["hugo" | "config"] => vec![],
                [key] => vec![key],
                ["languages", lang] => vec!["languages", lang],
                [key, lang] => vec!["languages", lang, key],
                _ => {
                    skipped.push(path);
                    continue;
                }
            };
            let table = read_toml(&path)?;
            merge(&mut root, &at, table);
            files.push(path);
        }
    }
    if let Some(path) = ["hugo.toml", "config.toml"]
        .iter()
        .map(|n| dir.join(n))
        .find(|p| p.is_file())
    {
        let table = read_toml(&path)?;
        merge(&mut root, &[], table);
        files.push(path);
    }
    if files.is_empty() {
        let other = [
            "hugo.yaml",
            "hugo.yml",
            "hugo.json",
            "config.yaml",
            "config.yml",
            "config.json",
        ]
        .iter()
        .find(|n| dir.join(n).is_file());
        let message = match other {
            Some(name) => format!("{name}: only TOML configurations are read (hugo.toml, config.toml or config/_default/*.toml)"),
            None => "no Hugo configuration here (hugo.toml, config.toml or config/_default/*.toml)".into(),
        };
        return Err(ConfigError {
            path: dir.to_path_buf(),
            position: None,
            message,
        });
    }
    let languages: Vec<(String, Table, i64)> = get(&root, &["languages"])
        .and_then(Value::as_table)
        .map(|t| {
            t.iter()
                .filter_map(|(k, v)| {
                    let table = v.as_table()?.clone();
                    let weight = get(&table, &["weight"])
                        .and_then(Value::as_integer)
                        .unwrap_or(i64::MAX);
                    Some((k.clone(), table, weight))
                })
                .collect()
        })
        .unwrap_or_default();
    // Hugo's default is `en`; a site whose only languages are others is read in the
    // one with the lowest weight.
    let wanted = get(&root, &["defaultContentLanguage"])
        .and_then(Value::as_str)
        .unwrap_or("en")
        .to_string();
    let chosen = languages
        .iter()
        .find(|(k, _, _)| k.eq_ignore_ascii_case(&wanted))
        .or_else(|| languages.iter().min_by_key(|(k, _, w)| (*w, k.clone())))
        .map(|(k, t, _)| (k.clone(), t.clone()));
    let other_languages = languages
        .iter()
        .map(|(k, _, _)| k.clone())
        .filter(|k| chosen.as_ref().is_none_or(|(c, _)| c != k))
        .collect();
    Ok(Site {
        dir: dir.to_path_buf(),
        files,
        root,
        lang: chosen,
        other_languages,
        skipped,
    })
}

fn stem(path: &Path) -> String {
    path.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

fn io_error(path: &Path, e: std::io::Error) -> ConfigError {
    ConfigError {
        path: path.to_path_buf(),
        position: None,
        message: e.to_string(),
    }
}

fn read_toml(path: &Path) -> Result<Table, ConfigError> {
    let text = std::fs::read_to_string(path).map_err(|e| io_error(path, e))?;
    text.parse::<Table>().map_err(|e| {
        let position = e.span().map(|span| line_col(&text, span.start));
        ConfigError {
            path: path.to_path_buf(),
            position,
            message: e.message().trim().to_string(),
        }
    })
}

/// 1-based line and column (in characters) of a byte offset.
fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
    (line, col)
}

/// Hugo's keys are case-insensitive (`baseURL`, `baseurl`).
fn get<'a>(table: &'a Table, path: &[&str]) -> Option<&'a Value> {
    let (first, rest) = path.split_first()?;
    let value = table
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(first))
        .map(|(_, v)| v)?;
    if rest.is_empty() {
        Some(value)
    } else {
        get(value.as_table()?, rest)
    }
}

/// `get`, with the keys as the configuration spells them (for the report).
fn get_spelled<'a>(table: &'a Table, path: &[&str]) -> Option<(&'a Value, Vec<String>)> {
    let (first, rest) = path.split_first()?;
    let (key, value) = table.iter().find(|(k, _)| k.eq_ignore_ascii_case(first))?;
    if rest.is_empty() {
        return Some((value, vec![key.clone()]));
    }
    let (v, mut keys) = get_spelled(value.as_table()?, rest)?;
    keys.insert(0, key.clone());
    Some((v, keys))
}

/// Deep-merges `over` into the table at `at` (created when missing); `over` wins.
fn merge(table: &mut Table, at: &[&str], over: Table) {
    let Some((first, rest)) = at.split_first() else {
        for (k, v) in over {
            let existing = table.keys().find(|e| e.eq_ignore_ascii_case(&k)).cloned();
            match (existing.and_then(|e| table.get_mut(&e)), v) {
                (Some(Value::Table(old)), Value::Table(new)) => merge(old, &[], new),
                (Some(old), new) => *old = new,
                (None, new) => {
                    table.insert(k, new);
                }
            }
        }
        return;
    };
    let key = table
        .keys()
        .find(|e| e.eq_ignore_ascii_case(first))
        .cloned()
        .unwrap_or_else(|| first.to_string());
    let entry = table
        .entry(key)
        .or_insert_with(|| Value::Table(Table::new()));
    if !entry.is_table() {
        *entry = Value::Table(Table::new());
    }
    if let Value::Table(inner) = entry {
        merge(inner, rest, over);
    }
}

impl Site {
    /// The language read (`defaultContentLanguage`), when the site configures languages.
    pub fn language(&self) -> Option<&str> {
        self.lang.as_ref().map(|(l, _)| l.as_str())
    }

    /// A setting and where it was found: the default language's table first, then the
    /// root (Hugo lets a language override any root setting).
    fn find(&self, path: &[&str]) -> Option<(&Value, String)> {
        if let Some((lang, table)) = &self.lang {
            if let Some((v, keys)) = get_spelled(table, path) {
                return Some((v, format!("languages.{lang}.{}", keys.join("."))));
            }
        }
        get_spelled(&self.root, path).map(|(v, keys)| (v, keys.join(".")))
    }

    fn find_str(&self, path: &[&str]) -> Option<(&str, String)> {
        self.find(path)
            .and_then(|(v, from)| v.as_str().map(|s| (s, from)))
            .filter(|(s, _)| !s.trim().is_empty())
    }

    /// Keys of a table at `path`, from the language and the root, without case duplicates.
    fn keys(&self, path: &[&str]) -> Vec<String> {
        let mut keys: Vec<String> = Vec::new();
        let tables = self.lang.iter().map(|(_, t)| t).chain([&self.root]);
        for table in tables {
            let inner = if path.is_empty() {
                Some(table)
            } else {
                get(table, path).and_then(Value::as_table)
            };
            for k in inner.into_iter().flat_map(|t| t.keys()) {
                if !keys.iter().any(|e| e.eq_ignore_ascii_case(k)) {
                    keys.push(k.clone());
                }
            }
        }
        keys
    }
}

/// `build.json` as `init` writes it (paths still absolute; the caller relativises them).
#[derive(Serialize)]
pub struct BuildJson {
    pub content: String,
    pub assets: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub base_url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub base_path: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub analytics: Option<Analytics>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub author: Option<Author>,
    pub hugo_paginate: u32,
}

/// What `map` did: the keys written (key, Hugo setting) and the settings left out.
#[derive(Default)]
pub struct Report {
    pub mapped: Vec<(&'static str, String)>,
    pub not_mapped: Vec<String>,
}

/// Root settings `map` reads, or that only steer how it reads (not reported as unused).
const USED_ROOT: &[&str] = &[
    "baseURL",
    "title",
    "contentDir",
    "assetDir",
    "description",
    "googleAnalytics",
    "pagination",
    "paginate",
    "params",
    "languages",
    "defaultContentLanguage",
];
/// Language metadata (not settings of the site).
const LANGUAGE_META: &[&str] = &[
    "languageName",
    "languageCode",
    "weight",
    "label",
    "languageDirection",
];
const USED_PARAMS: &[&str] = &[
    "description",
    "author",
    "plausibleAnalytics",
    "umamiAnalytics",
];

/// Maps the site's settings onto build.json keys. `content`/`assets` are absolute or
/// relative to the current folder (the site folder joined with Hugo's settings).
pub fn map(site: &Site) -> Result<(BuildJson, Report), String> {
    let mut r = Report::default();

    let (content_dir, content_from) = match site.find_str(&["contentDir"]) {
        Some((d, from)) => (d.to_string(), from),
        None => ("content".to_string(), "Hugo's default content/".to_string()),
    };
    let content_root = site.dir.join(&content_dir);
    if !content_root.is_dir() {
        return Err(format!(
            "no content folder at {} ({content_from})",
            content_root.display()
        ));
    }
    let posts = content_root.join("posts");
    let content = if posts.is_dir() {
        r.mapped
            .push(("content", format!("{content_from} + posts/")));
        posts
    } else {
        r.mapped.push(("content", content_from));
        content_root
    };
    let (asset_dir, assets_from) = match site.find_str(&["assetDir"]) {
        Some((d, from)) => (d.to_string(), from),
        None => ("assets".to_string(), "Hugo's default assets/".to_string()),
    };
    let assets = site.dir.join(asset_dir);
    if !assets.is_dir() {
        r.not_mapped.push(format!(
            "assets: {} does not exist; featureimage paths will not resolve",
            assets.display()
        ));
    }
    r.mapped.push(("assets", assets_from));

    let title = site.find_str(&["title"]).map(|(t, from)| {
        r.mapped.push(("title", from));
        t.to_string()
    });

    let (base_url, base_path) = match site.find_str(&["baseURL"]) {
        Some((url, from)) => {
            let mut url = url.trim().to_string();
            if !url.ends_with('/') {
                url.push('/');
            }
            let path = matome_compiler::config::normalise_base_path(&url);
            r.mapped.push(("base_url", from.clone()));
            r.mapped.push(("base_path", format!("the path of {from}")));
            (Some(url), Some(path))
        }
        None => {
            r.not_mapped
                .push("baseURL: not set; base_url and base_path left at their defaults".into());
            (None, None)
        }
    };

    let description = site
        .find_str(&["params", "description"])
        .or_else(|| site.find_str(&["description"]))
        .map(|(d, from)| {
            r.mapped.push(("description", from));
            d.to_string()
        });

    let analytics = analytics(site, &mut r);
    let author = author(site, &mut r);

    let (hugo_paginate, from) = match site
        .find(&["pagination", "pagerSize"])
        .or_else(|| site.find(&["paginate"]))
        .and_then(|(v, from)| {
            Some((
                u32::try_from(v.as_integer()?).ok().filter(|n| *n > 0)?,
                from,
            ))
        }) {
        Some((n, from)) => (n, from),
        None => (10, "Hugo's default, 10".to_string()),
    };
    r.mapped.push(("hugo_paginate", from));

    // Everything else, by name: theme parameters and settings matome has no use for.
    let unused = |keys: Vec<String>, used: &[&str]| -> Vec<String> {
        keys.into_iter()
            .filter(|k| !used.iter().any(|u| u.eq_ignore_ascii_case(k)))
            .collect()
    };
    let params = unused(site.keys(&["params"]), USED_PARAMS);
    if !params.is_empty() {
        r.not_mapped.push(format!(
            "params (theme parameters matome has no use for): {}",
            params.join(", ")
        ));
    }
    let author_rest = unused(site.keys(&["params", "author"]), &["name", "links"]);
    if !author_rest.is_empty() {
        r.not_mapped
            .push(format!("params.author: {}", author_rest.join(", ")));
    }
    let mut root_used: Vec<&str> = USED_ROOT.to_vec();
    root_used.extend(LANGUAGE_META);
    let mut settings = unused(site.keys(&[]), &root_used);
    if let Some(i) = settings
        .iter()
        .position(|k| k.eq_ignore_ascii_case("services"))
    {
        let rest = unused(site.keys(&["services"]), &["googleAnalytics"]);
        settings.remove(i);
        settings.extend(rest.into_iter().map(|k| format!("services.{k}")));
    }
    if !settings.is_empty() {
        r.not_mapped.push(format!(
            "settings matome has no use for: {}",
            settings.join(", ")
        ));
    }
    if !site.other_languages.is_empty() {
        r.not_mapped.push(format!(
            "languages {}: matome builds one language ({})",
            site.other_languages.join(", "),
            site.language().unwrap_or("the root settings")
        ));
    }
    for path in &site.skipped {
        r.not_mapped.push(format!(
            "{}: not read (only TOML, named after a setting)",
            path.display()
        ));
    }

    let json = BuildJson {
        content: content.to_string_lossy().into_owned(),
        assets: assets.to_string_lossy().into_owned(),
        title,
        description,
        base_url,
        base_path,
        analytics,
        author,
        hugo_paginate,
    };
    Ok((json, r))
}

/// The first of `keys` set to a non-empty string in `table` (Hugo themes spell the same
/// setting several ways).
fn first_str<'a>(table: &'a Table, keys: &[&str]) -> Option<&'a str> {
    keys.iter()
        .find_map(|k| get(table, &[k]).and_then(Value::as_str))
        .map(str::trim)
        .filter(|s| !s.is_empty())
}

/// The first analytics configured: Google Analytics 4, then Plausible, then Umami.
fn analytics(site: &Site, r: &mut Report) -> Option<Analytics> {
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

fn author(site: &Site, r: &mut Report) -> Option<Author> {
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
