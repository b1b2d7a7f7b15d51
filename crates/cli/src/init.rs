//! `matome init`: a build.json from a Hugo site (`--from-hugo`) and a deployment
//! workflow (`--ci github`).

use std::path::{Component, Path, PathBuf};
use std::process::ExitCode;

use crate::{ci, hugo};

pub struct InitOptions<'a> {
    pub from_hugo: Option<&'a Path>,
    pub out: &'a Path,
    pub ci: Option<ci::Provider>,
    pub out_dir: &'a Path,
    pub force: bool,
    /// `--matome-repo`, `--matome-ref`: where the workflow gets matome from.
    pub matome_repo: Option<&'a str>,
    pub matome_ref: Option<&'a str>,
}

fn fail(code: u8, msg: impl std::fmt::Display) -> ExitCode {
    eprintln!("matome: {msg}");
    ExitCode::from(code)
}

pub fn run(opts: &InitOptions) -> ExitCode {
    if opts.from_hugo.is_none() && opts.ci.is_none() {
        eprintln!("matome: init needs --from-hugo PATH, --ci github, or both\nrun `matome help init` for usage");
        return ExitCode::from(2);
    }
    let workflow = opts.ci.map(|c| {
        if opts.out_dir == Path::new(".") {
            PathBuf::from(c.path())
        } else {
            opts.out_dir.join(c.path())
        }
    });
    // Refuse before writing anything, so a half-done init never happens.
    let targets = opts
        .from_hugo
        .map(|_| opts.out)
        .into_iter()
        .chain(workflow.as_deref());
    for path in targets {
        if path.exists() && !opts.force {
            return fail(
                2,
                format!(
                    "{} exists; not overwritten (use --force to replace it)",
                    path.display()
                ),
            );
        }
    }
    // The workflow's source is checked before anything is written, too.
    let source = match opts.ci {
        Some(_) => match ci::source(opts.matome_repo, opts.matome_ref) {
            Ok(s) => Some(s),
            Err(e) => return fail(e.code, e.message),
        },
        None => None,
    };
    if let Some(site_dir) = opts.from_hugo {
        if let Err(code) = from_hugo(site_dir, opts.out) {
            return code;
        }
    }
    if let (Some(provider), Some(path), Some(source)) = (opts.ci, workflow, source) {
        if !opts.out.is_file() {
            return fail(
                2,
                format!(
                    "--ci github: no {} to build with (write it with --from-hugo, or give --out)",
                    opts.out.display()
                ),
            );
        }
        if let Err(e) = ci::write(provider, &path, opts.out_dir, opts.out, &source) {
            return fail(e.code, e.message);
        }
    }
    ExitCode::SUCCESS
}

/// Writes build.json; returns its base path and content folder (as written).
fn from_hugo(site_dir: &Path, out: &Path) -> Result<(Option<String>, String), ExitCode> {
    let site = hugo::load(site_dir).map_err(|e| fail(2, format!("Hugo config {e}")))?;
    let (mut json, report) = hugo::map(&site).map_err(|e| fail(2, e))?;
    let out_dir = match out.parent().filter(|p| !p.as_os_str().is_empty()) {
        Some(p) => p.to_path_buf(),
        None => PathBuf::from("."),
    };
    std::fs::create_dir_all(&out_dir)
        .map_err(|e| fail(1, format!("cannot create {}: {e}", out_dir.display())))?;
    json.content = relative(Path::new(&json.content), &out_dir);
    json.assets = relative(Path::new(&json.assets), &out_dir);
    json.static_dir = json
        .static_dir
        .map(|dir| relative(Path::new(&dir), &out_dir));
    let mut text = serde_json::to_string_pretty(&json).expect("build.json serialises");
    text.push('\n');
    std::fs::write(out, text)
        .map_err(|e| fail(1, format!("cannot write {}: {e}", out.display())))?;

    let files: Vec<String> = site.files.iter().map(|f| f.display().to_string()).collect();
    println!("wrote {} from {}", out.display(), files.join(", "));
    if let Some(lang) = site.language() {
        println!("language: {lang} (its settings override the root ones)");
    }
    println!("mapped:");
    for (key, from) in &report.mapped {
        println!("  {key:<14} ← {from}");
    }
    println!(
        "  {:<14} ← matome's default, 10 (Hugo's page size is kept as hugo_paginate)",
        "page_size"
    );
    if !report.not_mapped.is_empty() {
        println!("not mapped:");
        for line in &report.not_mapped {
            println!("  {line}");
        }
    }
    let config = if out == Path::new("build.json") {
        String::new()
    } else {
        format!(" --config {}", out.display())
    };
    let bp = json.base_path.as_deref().unwrap_or("/");
    println!(
        "next: matome build{config}   (the site for {bp}, into public/ beside build.json; \
         its bundle and caches go to target/ there: add both to .gitignore)"
    );
    println!(
        "      matome serve{config}   (the site on http://127.0.0.1:8080/, reloaded on each save)"
    );
    Ok((json.base_path, json.content))
}

/// `target` written relative to `base` when both resolve; otherwise absolute.
pub fn relative(target: &Path, base: &Path) -> String {
    let resolve = |p: &Path| p.canonicalize().or_else(|_| std::path::absolute(p));
    let (Ok(t), Ok(b)) = (resolve(target), resolve(base)) else {
        return target.to_string_lossy().into_owned();
    };
    let tc: Vec<Component> = t.components().collect();
    let bc: Vec<Component> = b.components().collect();
    let common = tc.iter().zip(&bc).take_while(|(x, y)| x == y).count();
    // Nothing in common (another drive): keep it absolute.
    if common == 0 {
        return t.to_string_lossy().into_owned();
    }
    let mut rel = PathBuf::new();
    for _ in common..bc.len() {
        rel.push("..");
    }
    for c in &tc[common..] {
        rel.push(c.as_os_str());
    }
    if rel.as_os_str().is_empty() {
        ".".into()
    } else {
        rel.to_string_lossy().into_owned()
    }
}
