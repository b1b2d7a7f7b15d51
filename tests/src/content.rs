//! What the tests expect, read straight from the markdown sources (never from the
//! bundle the app reads): titles, dates, tags, months and how many comment cards each
//! post and each folded section holds.

use std::path::{Path, PathBuf};

use matome_model::rules::is_hex_colour;

/// One source post, as far as the browser tests need it.
#[derive(Clone, Debug)]
pub struct SourcePost {
    /// Folder below `content/posts/`, e.g. `2025_04/2025_04_14_x`.
    pub path: String,
    /// The `index.md` file.
    pub file: PathBuf,
    /// Title from the front matter.
    pub title: String,
    /// Date from the front matter, as written (sortable: `YYYY-MM-DDTHH:MM:SS`).
    pub date: String,
    /// `yyyy/mm` from `months`, else from the date.
    pub month: String,
    /// Tags in front-matter order.
    pub tags: Vec<String>,
    /// `draft = true` posts are not published.
    pub draft: bool,
    /// Number of `{{<matomeQuote` shortcodes in the whole file.
    pub quotes: usize,
    /// Folded sections in source order: (summary label, number of quotes inside).
    pub sections: Vec<(String, usize)>,
    /// The whole file.
    pub source: String,
}

impl SourcePost {
    /// Whether the post carries `tag`, compared case-insensitively (as Hugo does).
    pub fn has_tag(&self, tag: &str) -> bool {
        self.tags
            .iter()
            .any(|t| t.to_lowercase() == tag.to_lowercase())
    }

    /// Ids (`cN`) of the post's coloured cards: the quotes whose `color` is a colour.
    pub fn coloured_ids(&self) -> Vec<String> {
        let colours = coloured_quotes(&self.source);
        assert_eq!(
            colours.len(),
            self.quotes,
            "{}: every quote parsed",
            self.path
        );
        colours
            .iter()
            .enumerate()
            .filter(|(_, c)| **c)
            .map(|(i, _)| format!("c{}", i + 1))
            .collect()
    }
}

/// For each `matomeQuote` of a post's source, in order, whether its `color` is a colour.
fn coloured_quotes(source: &str) -> Vec<bool> {
    let mut out = Vec::new();
    let mut rest = source;
    while let Some(i) = rest.find("matomeQuote") {
        rest = &rest[i + "matomeQuote".len()..];
        let mut colour = None;
        // Attributes `key="value"` up to `>}}`; a value ends at an unescaped `"`.
        loop {
            rest = rest.trim_start();
            if rest.starts_with(">}}") || rest.is_empty() {
                break;
            }
            let Some(eq) = rest.find('=') else { break };
            let key = rest[..eq].trim().to_string();
            rest = &rest[eq + 1..];
            let Some(body) = rest.strip_prefix('"') else {
                break;
            };
            let mut end = 0;
            let bytes = body.as_bytes();
            while end < bytes.len()
                && !(bytes[end] == b'"' && (end == 0 || bytes[end - 1] != b'\\'))
            {
                end += 1;
            }
            if key == "color" {
                colour = Some(body[..end].to_string());
            }
            rest = &body[(end + 1).min(body.len())..];
        }
        out.push(colour.is_some_and(|c| is_hex_colour(&c)));
    }
    out
}

/// Every published post under `posts_dir`, newest first.
pub fn load_posts(posts_dir: &Path) -> Vec<SourcePost> {
    let mut files = Vec::new();
    collect_index_files(posts_dir, &mut files);
    assert!(
        !files.is_empty(),
        "no index.md under {}: the content dir is empty",
        posts_dir.display()
    );
    let mut posts: Vec<SourcePost> = files
        .iter()
        .map(|file| parse_post(posts_dir, file))
        .filter(|p| !p.draft)
        .collect();
    posts.sort_by(|a, b| b.date.cmp(&a.date).then(a.path.cmp(&b.path)));
    posts
}

fn collect_index_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let entries = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("read content dir {}: {e}", dir.display()));
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect_index_files(&path, out);
        } else if path.file_name().is_some_and(|n| n == "index.md") {
            out.push(path);
        }
    }
}

/// Reads one post; panics with the file name on front matter the tests cannot read.
pub fn parse_post(posts_dir: &Path, file: &Path) -> SourcePost {
    let source =
        std::fs::read_to_string(file).unwrap_or_else(|e| panic!("read {}: {e}", file.display()));
    let path = file
        .parent()
        .unwrap()
        .strip_prefix(posts_dir)
        .unwrap()
        .to_string_lossy()
        .replace('\\', "/");
    let fm = front_matter(&source)
        .unwrap_or_else(|| panic!("{}: no +++ or --- front matter", file.display()));
    let title = fm
        .title
        .unwrap_or_else(|| panic!("{}: no title", file.display()));
    let date = fm
        .date
        .unwrap_or_else(|| panic!("{}: no date", file.display()));
    let month = fm
        .months
        .unwrap_or_else(|| format!("{}/{}", &date[0..4], &date[5..7]));
    SourcePost {
        path,
        file: file.to_path_buf(),
        title,
        date,
        month,
        tags: fm.tags,
        draft: fm.draft,
        quotes: count_quotes(&source),
        sections: sections(&source),
        source,
    }
}

#[derive(Default)]
struct FrontMatter {
    title: Option<String>,
    date: Option<String>,
    months: Option<String>,
    tags: Vec<String>,
    draft: bool,
}

fn front_matter(source: &str) -> Option<FrontMatter> {
    let mut lines = source.lines();
    let fence = lines.next()?.trim_end();
    let body: Vec<&str> = lines.take_while(|l| l.trim_end() != fence).collect();
    let body = body.join("\n");
    match fence {
        "+++" => Some(toml_front_matter(&body)),
        "---" => Some(yaml_front_matter(&body)),
        _ => None,
    }
}

fn toml_front_matter(body: &str) -> FrontMatter {
    let table: toml::Table = body
        .parse()
        .unwrap_or_else(|e| panic!("front matter is not TOML: {e}"));
    let string = |key: &str| {
        table.get(key).map(|v| match v {
            toml::Value::String(s) => s.clone(),
            other => other.to_string(),
        })
    };
    FrontMatter {
        title: string("title"),
        date: string("date"),
        months: string("months"),
        tags: table
            .get("tags")
            .and_then(|t| t.as_array())
            .map(|a| {
                a.iter()
                    .filter_map(|v| v.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default(),
        draft: table
            .get("draft")
            .and_then(|d| d.as_bool())
            .unwrap_or(false),
    }
}

/// Enough YAML for front matter: `key: value`, `key: [a, b]` and `- item` lists.
fn yaml_front_matter(body: &str) -> FrontMatter {
    let unquote = |s: &str| s.trim().trim_matches(['"', '\'']).to_string();
    let mut fm = FrontMatter::default();
    let mut in_tags = false;
    for line in body.lines() {
        if let Some(item) = line.trim_start().strip_prefix("- ") {
            if in_tags {
                fm.tags.push(unquote(item));
            }
            continue;
        }
        in_tags = false;
        let Some((key, value)) = line.split_once(':') else {
            continue;
        };
        let value = value.trim();
        match key.trim() {
            "title" => fm.title = Some(unquote(value)),
            "date" => fm.date = Some(unquote(value)),
            "months" => fm.months = Some(unquote(value)),
            "draft" => fm.draft = value == "true",
            "tags" if value.is_empty() => in_tags = true,
            "tags" => {
                fm.tags = value
                    .trim_matches(['[', ']'])
                    .split(',')
                    .map(unquote)
                    .filter(|t| !t.is_empty())
                    .collect()
            }
            _ => {}
        }
    }
    fm
}

/// Start of a quote shortcode: `{{<matomeQuote` (Hugo also allows a space after `{{<`).
fn is_quote_at(s: &str) -> bool {
    s.strip_prefix("{{<")
        .map(|r| r.trim_start().starts_with("matomeQuote"))
        .unwrap_or(false)
}

fn count_quotes(source: &str) -> usize {
    source
        .match_indices("{{<")
        .filter(|(i, _)| is_quote_at(&source[*i..]))
        .count()
}

/// `details` sections in order with the number of quotes each holds.
fn sections(source: &str) -> Vec<(String, usize)> {
    let mut out = Vec::new();
    let mut open: Option<(String, usize)> = None;
    for line in source.lines() {
        let t = line.trim();
        let Some(inner) = t.strip_prefix("{{<").map(str::trim_start) else {
            continue;
        };
        if inner.starts_with("/details") || inner.starts_with("/ details") {
            if let Some(section) = open.take() {
                out.push(section);
            }
        } else if inner.starts_with("details") {
            let label = inner
                .split_once("summary=\"")
                .and_then(|(_, rest)| rest.split_once('"'))
                .map(|(label, _)| label.to_string())
                .unwrap_or_default();
            open = Some((label, 0));
        } else if inner.starts_with("matomeQuote") {
            if let Some((_, n)) = open.as_mut() {
                *n += count_quotes(t);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    // Front matter, quote count and folded sections come out of a post as written.
    #[test]
    fn reads_front_matter_quotes_and_sections() {
        let dir = std::env::temp_dir().join(format!("matome-e2e-content-{}", std::process::id()));
        let post = dir.join("2025_04/x");
        std::fs::create_dir_all(&post).unwrap();
        std::fs::write(
            post.join("index.md"),
            "+++\ndate = '2025-04-14T00:00:00'\nmonths = '2025/04'\ndraft = false\n\
             title = 'T'\ntags = [\"AI\", \"Rust\"]\n+++\n\n> T\n\n\
             {{<matomeQuote body=\"a\" userName=\"u\" createdAt=\"x\" color=\"\">}}\n\
             {{< details summary=\"もっとコメントを表示（1）\">}}\n\
             {{<matomeQuote body=\"b\" userName=\"u\" createdAt=\"x\" color=\"\">}}\n\
             {{< matomeQuote body=\"c\" userName=\"u\" createdAt=\"x\" color=\"\">}}\n\
             {{< /details >}}\n",
        )
        .unwrap();
        let posts = load_posts(&dir);
        let _ = std::fs::remove_dir_all(&dir);
        assert_eq!(posts.len(), 1);
        let p = &posts[0];
        assert_eq!((p.path.as_str(), p.title.as_str()), ("2025_04/x", "T"));
        assert_eq!(p.quotes, 3);
        assert_eq!(
            p.sections,
            vec![("もっとコメントを表示（1）".to_string(), 2)]
        );
        assert!(p.has_tag("ai") && !p.has_tag("go"));
        assert_eq!(p.month, "2025/04");
    }
}
