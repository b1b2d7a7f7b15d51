//! Mapping the merged configuration onto `build.json`'s keys ([`map`]), with a
//! [`Report`] of what was used and what was left out.

use matome_model::{Analytics, Author};
use serde::Serialize;

use super::config::Site;
use super::services::{analytics, author};

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
    /// Hugo's `static/` (`staticDir`), when the site has one.
    #[serde(rename = "static", skip_serializing_if = "Option::is_none")]
    pub static_dir: Option<String>,
    /// Blowfish's home page hero: `params.homepage.homepageImage` and the author's
    /// image, headline and bio.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub home: Option<HomeJson>,
}

/// build.json's `home`: image paths relative to `assets`, as Blowfish reads them.
#[derive(Serialize, Debug, Default, PartialEq, Eq)]
pub struct HomeJson {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub image: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub author_image: Option<String>,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub headline: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub bio: String,
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
    "staticDir",
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
    "homepage",
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

    // Hugo copies `static/` to the site root as it is; so does `matome publish`.
    let (static_name, static_from) = match site.find_str(&["staticDir"]) {
        Some((d, from)) => (d.to_string(), from),
        None => ("static".to_string(), "Hugo's default static/".to_string()),
    };
    let static_root = site.dir.join(static_name);
    let static_dir = static_root.is_dir().then(|| {
        let mut files = Vec::new();
        list_files(&static_root, &mut files);
        let icons: Vec<&str> = matome_site::template::SITE_ICONS
            .iter()
            .map(|(file, ..)| *file)
            .filter(|file| static_root.join(file).is_file())
            .collect();
        let linked = if icons.is_empty() {
            String::new()
        } else {
            format!(
                "; linked from every page instead of matome's icon: {}",
                icons.join(", ")
            )
        };
        r.mapped.push((
            "static",
            format!(
                "{static_from}: {} files, copied to the site root over matome's own{linked}",
                files.len()
            ),
        ));
        static_root.to_string_lossy().into_owned()
    });

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
    let home = home(site, &assets, &mut r);

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
    let author_rest = unused(
        site.keys(&["params", "author"]),
        &["name", "links", "image", "headline", "bio"],
    );
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
        static_dir,
        home,
    };
    Ok((json, r))
}

/// Blowfish's home page hero: the banner (`params.homepage.homepageImage`) and the
/// author's picture (`params.author.image`), both files below the assets folder, and the
/// author's headline and bio (shown as plain text). The home layout itself is matome's.
fn home(site: &Site, assets: &std::path::Path, r: &mut Report) -> Option<HomeJson> {
    let mut image = |keys: &[&str], key: &'static str| -> Option<String> {
        let (path, from) = site.find_str(keys)?;
        let rel = path.trim().trim_start_matches('/');
        let inside = !rel.is_empty()
            && std::path::Path::new(rel)
                .components()
                .all(|c| matches!(c, std::path::Component::Normal(_)));
        if inside && assets.join(rel).is_file() {
            r.mapped.push((key, from));
            Some(rel.to_string())
        } else {
            r.not_mapped.push(format!(
                "{from}: {path:?} is not a file below the assets folder ({}); not shown",
                assets.display()
            ));
            None
        }
    };
    let home = HomeJson {
        image: image(&["params", "homepage", "homepageImage"], "home.image"),
        author_image: image(&["params", "author", "image"], "home.author_image"),
        ..HomeJson::default()
    };
    let mut text = |keys: &[&str], key: &'static str| -> String {
        match site.find_str(keys) {
            Some((t, from)) if !t.trim().is_empty() => {
                r.mapped.push((key, format!("{from} (as plain text)")));
                t.trim().to_string()
            }
            _ => String::new(),
        }
    };
    let home = HomeJson {
        headline: text(&["params", "author", "headline"], "home.headline"),
        bio: text(&["params", "author", "bio"], "home.bio"),
        ..home
    };
    let rest: Vec<String> = site
        .keys(&["params", "homepage"])
        .into_iter()
        .filter(|k| !k.eq_ignore_ascii_case("homepageImage"))
        .collect();
    if !rest.is_empty() {
        r.not_mapped.push(format!(
            "params.homepage (matome's home has one layout): {}",
            rest.join(", ")
        ));
    }
    (home != HomeJson::default()).then_some(home)
}

/// Every file under `dir` (following no links), for the report.
fn list_files(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        match entry.file_type() {
            Ok(t) if t.is_dir() => list_files(&entry.path(), out),
            Ok(t) if t.is_file() => out.push(entry.path()),
            _ => {}
        }
    }
}
