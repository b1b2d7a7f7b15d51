//! Reading a Hugo site's configuration files and merging them the way Hugo does
//! ([`load`]), and looking settings up in the result ([`Site`]).

use std::fmt;
use std::path::{Path, PathBuf};

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
pub(super) fn get<'a>(table: &'a Table, path: &[&str]) -> Option<&'a Value> {
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
    pub(super) fn find(&self, path: &[&str]) -> Option<(&Value, String)> {
        if let Some((lang, table)) = &self.lang {
            if let Some((v, keys)) = get_spelled(table, path) {
                return Some((v, format!("languages.{lang}.{}", keys.join("."))));
            }
        }
        get_spelled(&self.root, path).map(|(v, keys)| (v, keys.join(".")))
    }

    pub(super) fn find_str(&self, path: &[&str]) -> Option<(&str, String)> {
        self.find(path)
            .and_then(|(v, from)| v.as_str().map(|s| (s, from)))
            .filter(|(s, _)| !s.trim().is_empty())
    }

    /// Keys of a table at `path`, from the language and the root, without case duplicates.
    pub(super) fn keys(&self, path: &[&str]) -> Vec<String> {
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
