//! Bad input: one test per error class, asserting the kind, the line and the column.

use crate::common;

use common::Scratch;
use matome_compiler::{compile, parse_post, ContentError, ErrorKind, Mode};

const FM: &str = "+++\ntitle = 't'\ndate = '2025-01-01'\n+++\n\n";

/// The first error of a post whose body (after a valid front matter) is `body`.
fn body_error(body: &str) -> ContentError {
    file_error(&format!("{FM}{body}"))
}

fn file_error(src: &str) -> ContentError {
    let errors = parse_post("content/posts/2025_04/x/index.md", src).expect_err("should fail");
    errors.into_iter().next().unwrap()
}

fn quote(args: &str) -> String {
    format!("{{{{<matomeQuote {args}>}}}}\n")
}

fn pos(e: &ContentError) -> (u32, u32) {
    (e.line, e.column)
}

// A misspelt shortcode name is reported at the name.
#[test]
fn errors_on_unknown_shortcode_with_line_and_column() {
    let e = body_error("{{<matomeQoute body=\"x\">}}\n");
    assert_eq!(e.kind, ErrorKind::UnknownShortcode("matomeQoute".into()));
    assert_eq!(pos(&e), (6, 4));
}

// The message names the file, position, expected names, and shows the line with a caret.
#[test]
fn formats_errors_with_path_line_column_and_caret() {
    let e = body_error("あ {{<matomeQoute body=\"x\">}}\n");
    let shown = e.to_string();
    let lines: Vec<&str> = shown.lines().collect();
    assert_eq!(
        lines[0],
        "content/posts/2025_04/x/index.md:6:6: unknown shortcode \"matomeQoute\" (expected one of: matomeQuote, details, ref, list)"
    );
    assert_eq!(lines[1], "    あ {{<matomeQoute body=\"x\">}}");
    // `あ` is two columns wide, so the caret sits under `m` at display column 7.
    assert_eq!(lines[2], "          ^");
}

// A details block still open at the end of the file is reported at its opener.
#[test]
fn errors_on_unclosed_details_with_line_and_column() {
    let e = body_error(&format!(
        "{{{{< details summary=\"s\">}}}}\n{}",
        quote("body=\"b\" userName=\"u\" createdAt=\"2025-01-01T00:00:00\" color=\"\"")
    ));
    assert_eq!(e.kind, ErrorKind::UnclosedDetails);
    assert_eq!(pos(&e), (6, 1));
}

// A closer with no open details is reported where it stands.
#[test]
fn errors_on_stray_details_closer_with_line_and_column() {
    let e = body_error("\n  {{</details>}}\n");
    assert_eq!(e.kind, ErrorKind::StrayCloser("details".into()));
    assert_eq!(pos(&e), (7, 3));
}

// A quoted value running into the end of the line is reported at its opening quote.
#[test]
fn errors_on_unterminated_quote_with_line_and_column() {
    let e = body_error("{{<matomeQuote body=\"abc<br>def >}}\n\nmore \"text\"\n");
    assert_eq!(e.kind, ErrorKind::UnterminatedQuote('"'));
    assert_eq!(pos(&e), (6, 21));
}

// A shortcode without its `>}}` on the same line is reported at its start.
#[test]
fn errors_on_unterminated_shortcode_with_line_and_column() {
    let e = body_error("text\n{{< list limit=2\n");
    assert_eq!(e.kind, ErrorKind::UnterminatedShortcode(">}}"));
    assert_eq!(pos(&e), (7, 1));
}

// A key without a value is malformed.
#[test]
fn errors_on_malformed_arguments_with_line_and_column() {
    let e = body_error("{{< list limit= >}}\n");
    assert_eq!(e.kind, ErrorKind::MalformedArguments);
    assert_eq!(pos(&e), (6, 16));
}

// No title in the front matter.
#[test]
fn errors_on_missing_title_with_line_and_column() {
    let e = file_error("+++\ndate = '2025-01-01'\n+++\n");
    assert_eq!(e.kind, ErrorKind::MissingField("title"));
    assert_eq!(pos(&e), (1, 1));
}

// No date in the front matter.
#[test]
fn errors_on_missing_date_with_line_and_column() {
    let e = file_error("+++\ntitle = 't'\n+++\n");
    assert_eq!(e.kind, ErrorKind::MissingField("date"));
    assert_eq!(pos(&e), (1, 1));
}

// An impossible date is reported at its value.
#[test]
fn errors_on_invalid_date_with_line_and_column() {
    let e = file_error("+++\ntitle = 't'\ndate = '2025-02-30'\n+++\n");
    assert_eq!(e.kind, ErrorKind::InvalidDate("2025-02-30".into()));
    assert_eq!(pos(&e), (3, 8));
}

// A field of the wrong type is reported at its value.
#[test]
fn errors_on_invalid_field_type_with_line_and_column() {
    let e = file_error("+++\ntitle = 't'\ndate = '2025-01-01'\ntags = 'a'\ndraft = 'no'\n+++\n");
    assert_eq!(
        e.kind,
        ErrorKind::InvalidField {
            field: "draft",
            expected: "true or false"
        }
    );
    assert_eq!(pos(&e), (5, 9));
}

// The position is the value's own, as the TOML parser saw it: a `date = …` line inside a
// multi-line string, a dotted key or spaces around `=` do not mislead it.
#[test]
fn errors_on_invalid_toml_value_at_the_parsers_span() {
    let e = file_error(
        "+++\ntitle = \"\"\"\ndate = 'quoted in the title'\n\"\"\"\n\"date\"   =   '2025-02-30'\n+++\n",
    );
    assert_eq!(e.kind, ErrorKind::InvalidDate("2025-02-30".into()));
    assert_eq!(pos(&e), (5, 14));
    let e = file_error("+++\ntitle = 't'\ndate = '2025-01-01'\ndraft = [\n  'no',\n]\n+++\n");
    assert!(matches!(
        e.kind,
        ErrorKind::InvalidField { field: "draft", .. }
    ));
    assert_eq!(pos(&e), (4, 9));
}

// TOML syntax errors keep the TOML parser's position, shifted to the file.
#[test]
fn errors_on_bad_toml_with_line_and_column() {
    let e = file_error("+++\ntitle = 't'\ndate = '2025-01-01'\ntags = [\"a\" \"b\"]\n+++\n");
    assert!(matches!(e.kind, ErrorKind::BadToml(_)), "{e}");
    assert_eq!(pos(&e), (4, 13));
}

// YAML the minimal reader does not understand is an error, not a guess.
#[test]
fn errors_on_bad_yaml_with_line_and_column() {
    let e = file_error("---\ntitle: t\ndate: 2025-01-01\nparams:\n  nested: x\n---\n");
    assert!(matches!(e.kind, ErrorKind::BadYaml(_)), "{e}");
    assert_eq!(pos(&e), (5, 3));
}

// A file that does not start with a front matter block.
#[test]
fn errors_on_missing_front_matter_with_line_and_column() {
    let e = file_error("# title\n\ntext\n");
    assert_eq!(e.kind, ErrorKind::MissingFrontMatter);
    assert_eq!(pos(&e), (1, 1));
}

// A front matter block that never closes.
#[test]
fn errors_on_unclosed_front_matter_with_line_and_column() {
    let e = file_error("+++\ntitle = 't'\ndate = '2025-01-01'\n\n> t\n");
    assert_eq!(e.kind, ErrorKind::UnclosedFrontMatter("+++"));
    assert_eq!(pos(&e), (1, 1));
}

// createdAt in neither accepted shape is reported at its value.
#[test]
fn errors_on_invalid_created_at_with_line_and_column() {
    let e = body_error(&quote(
        "body=\"b\" userName=\"u\" createdAt=\"2025-04-14 18:04\" color=\"\"",
    ));
    assert_eq!(
        e.kind,
        ErrorKind::InvalidCreatedAt("2025-04-14 18:04".into())
    );
    assert_eq!(pos(&e), (6, 49));
}

// A colour that is not CSS hex is reported at its value.
#[test]
fn errors_on_invalid_color_with_line_and_column() {
    let e = body_error(&quote(
        "body=\"b\" userName=\"u\" createdAt=\"2025-04-14T18:04:41\" color=\"red\"",
    ));
    assert_eq!(e.kind, ErrorKind::InvalidColor("red".into()));
    assert_eq!(pos(&e), (6, 77));
}

// `list limit=0` is not a positive number.
#[test]
fn errors_on_invalid_list_limit_with_line_and_column() {
    let e = body_error("{{< list limit=0 >}}\n");
    assert_eq!(e.kind, ErrorKind::InvalidLimit("0".into()));
    assert_eq!(pos(&e), (6, 16));
}

// A quote without userName names the missing argument at the shortcode.
#[test]
fn errors_on_missing_argument_with_line_and_column() {
    let e = body_error(&quote(
        "body=\"b\" createdAt=\"2025-04-14T18:04:41\" color=\"\"",
    ));
    assert_eq!(
        e.kind,
        ErrorKind::MissingArgument {
            shortcode: "matomeQuote",
            arg: "userName"
        }
    );
    assert_eq!(pos(&e), (6, 1));
}

// An argument matomeQuote does not take is reported at its key.
#[test]
fn errors_on_unexpected_argument_with_line_and_column() {
    let e = body_error(&quote(
        "body=\"b\" user=\"u\" userName=\"u\" createdAt=\"2025-04-14T18:04:41\" color=\"\"",
    ));
    assert!(
        matches!(&e.kind, ErrorKind::UnexpectedArgument { shortcode: "matomeQuote", arg, .. } if arg == "user"),
        "{e}"
    );
    assert_eq!(pos(&e), (6, 25));
}

// Text inside a details block would be lost, so it is an error.
#[test]
fn errors_on_text_inside_details_with_line_and_column() {
    let e = body_error("{{< details summary=\"s\">}}\n\n  stray text\n{{< /details >}}\n");
    assert_eq!(e.kind, ErrorKind::TextInDetails);
    assert_eq!(pos(&e), (8, 3));
}

// Details blocks do not nest.
#[test]
fn errors_on_nested_details_with_line_and_column() {
    let e = body_error("{{< details summary=\"a\">}}\n{{< details summary=\"b\">}}\n{{< /details >}}\n{{< /details >}}\n");
    assert_eq!(e.kind, ErrorKind::MisplacedShortcode("details"));
    assert_eq!(pos(&e), (7, 1));
}

// Every problem of a file is listed, not only the first.
#[test]
fn lists_every_error_of_a_file() {
    let src = format!(
        "{FM}{{{{<matomeQoute>}}}}\n{}{{{{< /details >}}}}\n",
        quote("body=\"b\" userName=\"u\" createdAt=\"2025-04-14T18:04:41\" color=\"blue\"")
    );
    let errors = parse_post("x", &src).unwrap_err();
    let kinds: Vec<(u32, &ErrorKind)> = errors.iter().map(|e| (e.line, &e.kind)).collect();
    assert_eq!(kinds.len(), 3, "{kinds:?}");
    assert!(matches!(kinds[0], (6, ErrorKind::UnknownShortcode(_))));
    assert!(matches!(kinds[1], (7, ErrorKind::InvalidColor(_))));
    assert!(matches!(kinds[2], (8, ErrorKind::StrayCloser(_))));
}

// A file that is not UTF-8 is reported at its first bad byte.
#[test]
fn errors_on_non_utf8_file_with_line_and_column() {
    let s = Scratch::new("utf8");
    let mut bytes = format!("{FM}ab").into_bytes();
    bytes.extend_from_slice(&[0xff, 0xfe, b'\n']);
    s.write("content/2025_01/bad/index.md", bytes);
    let report = compile(&s.config(), Mode::Check, None).unwrap();
    assert_eq!(report.errors.len(), 1);
    assert_eq!(
        report.errors[0].kind,
        ErrorKind::NotUtf8 { byte: FM.len() + 2 }
    );
    assert_eq!(pos(&report.errors[0]), (6, 3));
}

// A post file that cannot be read (here a dangling symlink) is an error, not a skip.
#[cfg(unix)]
#[test]
fn errors_on_unreadable_file() {
    let s = Scratch::new("unreadable");
    std::fs::create_dir_all(s.path().join("content/2025_01/gone")).unwrap();
    std::os::unix::fs::symlink(
        s.path().join("nowhere.md"),
        s.path().join("content/2025_01/gone/index.md"),
    )
    .unwrap();
    let report = compile(&s.config(), Mode::Check, None).unwrap();
    assert_eq!(report.errors.len(), 1, "{:?}", report.errors);
    assert!(matches!(report.errors[0].kind, ErrorKind::Unreadable(_)));
    assert!(report.errors[0].path.ends_with("gone/index.md"));
    assert_eq!(pos(&report.errors[0]), (1, 1));
}

// Two posts whose paths differ only in case (or `x.md` beside `x/index.md`) collide.
#[test]
fn errors_on_duplicate_post_paths() {
    let s = Scratch::new("dup");
    let text = common::post("t", "2025-01-01", &[], 1);
    s.write("content/2025_01/post/index.md", &text);
    s.write("content/2025_01/Post/index.md", &text);
    s.write("content/2025_02/other.md", &text);
    s.write("content/2025_02/other/index.md", &text);
    let report = compile(&s.config(), Mode::Check, None).unwrap();
    let dups: Vec<&str> = report
        .errors
        .iter()
        .filter_map(|e| match &e.kind {
            ErrorKind::DuplicatePath { path, .. } => Some(path.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(dups.len(), 2, "{:?}", report.errors);
    assert!(report.errors.iter().all(|e| pos(e) == (1, 1)));
    assert!(dups.contains(&"2025_02/other"));
    assert!(dups.iter().any(|d| d.eq_ignore_ascii_case("2025_01/post")));
}

// A ref to a page the site does not have is reported at its target.
#[test]
fn errors_on_broken_ref_with_line_and_column() {
    let s = Scratch::new("ref");
    let text = format!("{FM}[old]({{{{% ref \"/posts/2024_01/missing\" %}}}})\n");
    s.write("content/2025_01/a/index.md", &text);
    let report = compile(&s.config(), Mode::Check, None).unwrap();
    assert_eq!(report.errors.len(), 1, "{:?}", report.errors);
    assert_eq!(
        report.errors[0].kind,
        ErrorKind::BrokenRef("/posts/2024_01/missing/".into())
    );
    assert_eq!(pos(&report.errors[0]), (6, 16));
}

// An empty folder in build.json is an error (it would mean the config's own folder, which
// `build` replaces as a whole); a missing key takes its default.
#[test]
fn config_rejects_empty_folders_and_defaults_missing_ones() {
    let s = Scratch::new("config-empty");
    for key in ["content", "assets", "output", "cache", "static"] {
        let file = s.write("build.json", format!(r#"{{"{key}": " "}}"#));
        let e = matome_compiler::Config::load(&file).unwrap_err();
        assert!(
            e.message.contains(&format!("`{key}` must not be empty")),
            "{e}"
        );
    }
    let file = s.write("site/build.json", "{}");
    let config = matome_compiler::Config::load(&file).unwrap();
    assert_eq!(config.output, s.path().join("site/target/bundle"));
    assert_eq!(config.content, s.path().join("site/content/posts"));
    assert_eq!(config.static_dir, None);
}

// `static` (Hugo's static/, copied to the site root) is relative to build.json and must
// be a folder: a missing one is named, not skipped.
#[test]
fn config_static_is_a_folder_beside_build_json() {
    let s = Scratch::new("config-static");
    let file = s.write("site/build.json", r#"{"static": "static"}"#);
    let e = matome_compiler::Config::load(&file).unwrap_err();
    assert!(
        e.message.contains("static: expected a folder") && e.message.contains("site/static"),
        "{e}"
    );
    s.write("site/static/favicon.ico", "icon");
    let config = matome_compiler::Config::load(&file).unwrap();
    assert_eq!(config.static_dir, Some(s.path().join("site/static")));
}

// `home`'s images are files below `assets`: a path leaving it or naming nothing is an
// error that names the key and the path.
#[test]
fn config_home_images_are_files_below_the_assets_folder() {
    let s = Scratch::new("config-home");
    let write = |home: &str| {
        s.write(
            "site/build.json",
            format!(r#"{{"assets": "assets", "home": {home}}}"#),
        )
    };
    let file = write(r#"{"image": "../outside.jpg"}"#);
    let e = matome_compiler::Config::load(&file).unwrap_err();
    assert!(
        e.message
            .contains("home.image: expected an image path inside the assets folder")
            && e.message.contains("outside.jpg"),
        "{e}"
    );
    let file = write(r#"{"author_image": "img/me.jpg"}"#);
    let e = matome_compiler::Config::load(&file).unwrap_err();
    assert!(
        e.message
            .contains("home.author_image: expected an image file")
            && e.message.contains("site/assets/img/me.jpg"),
        "{e}"
    );
    let file = write(r#"{"headline": "x", "colour": "red"}"#);
    let e = matome_compiler::Config::load(&file).unwrap_err();
    assert!(e.message.contains("colour"), "{e}");
    s.write("site/assets/img/me.jpg", "jpeg");
    let file = write(r#"{"author_image": "img/me.jpg"}"#);
    let config = matome_compiler::Config::load(&file).unwrap();
    assert_eq!(
        config.home.unwrap().author_image,
        Some(s.path().join("site/assets/img/me.jpg"))
    );
}
