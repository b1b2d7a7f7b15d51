//! Limits: oversized, binary and oddly encoded posts fail fast with a positioned error
//! (or are accepted, for a BOM, CRLF and U+2028), never a panic or a slow death. The big
//! inputs are generated here, never committed.

use crate::common;

use common::Scratch;
use matome_compiler::limits::{MAX_COMMENTS, MAX_ERRORS, MAX_FILE_BYTES, MAX_LINE_BYTES};
use matome_compiler::{compile, parse_post, ContentError, ErrorKind, Mode};
use matome_model::{Block, Inline};

const FILE: &str = "content/posts/2025_04/x/index.md";
const FM: &str = "+++\ntitle = 't'\ndate = '2025-01-01'\n+++\n\n";

fn card(body: &str) -> String {
    format!("{{{{<matomeQuote body=\"{body}\" userName=\"u\" createdAt=\"2025-01-01T00:00:00\" color=\"\">}}}}\n")
}

fn errors(src: &str) -> Vec<ContentError> {
    parse_post(FILE, src).expect_err("should fail")
}

fn first_error(src: &str) -> ContentError {
    errors(src).into_iter().next().unwrap()
}

/// The one error of a build over `content/posts/2025_04/x/index.md` holding `bytes`.
fn build_error(bytes: &[u8]) -> ContentError {
    let s = Scratch::new("limits");
    s.write("content/2025_04/x/index.md", bytes);
    let report = compile(&s.config(), Mode::Build, None).unwrap();
    assert!(
        !s.path().join("out").exists(),
        "nothing is written when a post fails"
    );
    assert_eq!(report.errors.len(), 1, "{:?}", report.errors);
    report.errors.into_iter().next().unwrap()
}

// A 50 MB post is refused from its size, before it is read, naming the file.
#[test]
fn refuses_a_fifty_megabyte_post() {
    let mut src = String::from(FM);
    let line = card(&"あ".repeat(1000));
    while src.len() < 50 << 20 {
        src.push_str(&line);
    }
    let e = build_error(src.as_bytes());
    assert_eq!(
        e.kind,
        ErrorKind::FileTooLarge {
            bytes: src.len() as u64,
            limit: MAX_FILE_BYTES
        }
    );
    assert!(e.path.ends_with("2025_04/x/index.md"), "{}", e.path);
    assert!(
        e.to_string().contains(&format!(
            "index.md:1:1: file is {} bytes (expected at most {MAX_FILE_BYTES} bytes",
            src.len()
        )),
        "{e}"
    );
    // The same text handed to the parser directly.
    assert_eq!(
        first_error(&src).kind,
        ErrorKind::FileTooLarge {
            bytes: src.len() as u64,
            limit: MAX_FILE_BYTES
        }
    );
}

// 100,000 cards: an error at the first card past the limit, before any card is built.
#[test]
fn refuses_a_hundred_thousand_comments_at_the_first_card_too_many() {
    let mut src = String::from(FM);
    for i in 0..100_000 {
        src.push_str(&card(&format!("c{i}")));
    }
    let e = first_error(&src);
    assert_eq!(e.kind, ErrorKind::TooManyComments(MAX_COMMENTS));
    // Front matter and blank line: 5 lines, then one card per line.
    assert_eq!((e.line, e.column), (5 + MAX_COMMENTS as u32 + 1, 1));
    assert!(
        e.to_string().starts_with(&format!(
            "{FILE}:{}:1: more than {MAX_COMMENTS} comment cards",
            e.line
        )),
        "{e}"
    );

    // Exactly the limit is fine, and every card is there.
    let mut src = String::from(FM);
    for i in 0..MAX_COMMENTS {
        src.push_str(&card(&format!("c{i}")));
    }
    let post = parse_post(FILE, &src).unwrap();
    assert_eq!(post.body.comments as usize, MAX_COMMENTS);
}

// A 1 MB line (one huge comment) is refused at the start of that line.
#[test]
fn refuses_a_one_megabyte_line() {
    let body = "x".repeat(1 << 20);
    let src = format!("{FM}{}{}", card("short"), card(&body));
    let e = first_error(&src);
    let len = card(&body).len() - 1;
    assert_eq!(
        e.kind,
        ErrorKind::LineTooLong {
            bytes: len,
            limit: MAX_LINE_BYTES
        }
    );
    assert_eq!((e.line, e.column), (7, 1));
    assert!(
        e.to_string().starts_with(&format!(
            "{FILE}:7:1: line is {len} bytes long (expected at most {MAX_LINE_BYTES}"
        )),
        "{e}"
    );
    // A long line in the front matter too.
    let e = first_error(&format!(
        "+++\ntitle = '{}'\ndate = '2025-01-01'\n+++\n",
        "t".repeat(MAX_LINE_BYTES)
    ));
    assert!(matches!(e.kind, ErrorKind::LineTooLong { .. }), "{e}");
    assert_eq!((e.line, e.column), (2, 1));
}

// Lines just under the limit made of syntax that never closes (the worst case of a
// scanner that searches ahead from every opener) still parse, and stay text.
#[test]
fn parses_pathological_lines_at_the_limit() {
    let n = MAX_LINE_BYTES - 200;
    for unit in [
        "[",
        "<a ",
        "*a ",
        "_a ",
        "**a ",
        "`",
        "``a ",
        "```a<br>",
        "&#",
        "https://",
        "<br",
        "](",
        "[a](",
        "<https:",
        "\\a",
        "[a",
        "<a href=”https://a.org”>x",
    ] {
        let body = unit.repeat(n / unit.len());
        let src = format!("{FM}{}", card(&body.replace('"', "")));
        let post = parse_post(FILE, &src).unwrap_or_else(|e| panic!("{unit:?}: {}", e[0]));
        let Block::Comment(c) = &post.body.blocks[0] else {
            panic!("{unit:?}: not a card")
        };
        assert!(!c.body.is_empty(), "{unit:?}");
    }
}

// A NUL byte is an error at its position (a binary or UTF-16 file), not text.
#[test]
fn refuses_nul_bytes_at_their_position() {
    let src = format!("{FM}{}", card("ab\0c"));
    let e = first_error(&src);
    assert_eq!(e.kind, ErrorKind::NulByte);
    assert_eq!((e.line, e.column), (6, 24));
    let e = build_error(src.as_bytes());
    assert_eq!((e.kind, e.line, e.column), (ErrorKind::NulByte, 6, 24));
    // UTF-16 is mostly NUL bytes.
    let utf16: Vec<u8> = FM.encode_utf16().flat_map(u16::to_le_bytes).collect();
    let e = build_error(&utf16);
    assert_eq!((e.kind, e.line, e.column), (ErrorKind::NulByte, 1, 2));
}

// Invalid UTF-8: an error naming the file and the byte, with its line and column.
#[test]
fn refuses_invalid_utf8_naming_file_and_byte() {
    let mut bytes = format!("{FM}あいう").into_bytes();
    let bad = bytes.len();
    bytes.extend_from_slice(b"\xff\xfe tail\n");
    let e = build_error(&bytes);
    assert_eq!(e.kind, ErrorKind::NotUtf8 { byte: bad });
    assert_eq!((e.line, e.column), (6, 4));
    let shown = e.to_string();
    assert!(
        shown.contains(&format!(
            "2025_04/x/index.md:6:4: invalid UTF-8 at byte {bad} (expected UTF-8 text"
        )),
        "{shown}"
    );
    // Cut in the middle of a character, and a lone continuation byte on line 1.
    let cut = &"+++\ntitle = 'あ'".as_bytes()[..15];
    assert_eq!(build_error(cut).kind, ErrorKind::NotUtf8 { byte: 13 });
    let e = build_error(b"\x80+++\n");
    assert_eq!(
        (e.kind, e.line, e.column),
        (ErrorKind::NotUtf8 { byte: 0 }, 1, 1)
    );
}

fn sample_post() -> String {
    format!(
        "+++\ntitle = 'タイトル'\ndate = '2025-01-01'\ntags = ['a']\n+++\n\n> タイトル\n\n引用元：[https://example.com/](https://example.com/)\n\n{}{{{{< details summary=\"もっと\" >}}}}\n{}{{{{< /details >}}}}\n\n本文の段落\n続き\n",
        card("一行目<br>二行目"),
        card("中")
    )
}

// A byte order mark and CRLF line endings are accepted and change nothing.
#[test]
fn accepts_bom_and_crlf_as_if_they_were_not_there() {
    let lf = sample_post();
    let expected = parse_post(FILE, &lf).unwrap();
    for variant in [
        format!("\u{feff}{lf}"),
        lf.replace('\n', "\r\n"),
        format!("\u{feff}{}", lf.replace('\n', "\r\n")),
    ] {
        let post =
            parse_post(FILE, &variant).unwrap_or_else(|e| panic!("{:?}: {}", &variant[..8], e[0]));
        assert_eq!(post.front, expected.front);
        assert_eq!(post.body.lead, expected.body.lead);
        assert_eq!(post.body.source, expected.body.source);
        assert_eq!(post.body.comments, 2);
        assert_eq!(post.body.blocks.len(), expected.body.blocks.len());
        for (a, b) in post.body.blocks.iter().zip(&expected.body.blocks) {
            match (a, b) {
                (Block::Paragraph(a), Block::Paragraph(b)) => {
                    let text = |n: &[Inline]| {
                        let mut s = String::new();
                        matome_compiler::text::plain_text(n, &mut s);
                        s.replace('\r', "")
                    };
                    assert_eq!(text(a), text(b));
                }
                (a, b) => assert_eq!(a, b),
            }
        }
    }
}

// With a BOM and CRLF, errors keep the positions of the plain file.
#[test]
fn keeps_error_positions_with_bom_and_crlf() {
    let lf = format!(
        "{FM}x\n{}",
        card("b").replace("color=\"\"", "color=\"red\"")
    );
    let plain = first_error(&lf);
    let column = lf.lines().nth(6).unwrap().find("red").unwrap() as u32 + 1;
    assert_eq!(
        (&plain.kind, plain.line, plain.column),
        (&ErrorKind::InvalidColor("red".into()), 7, column)
    );
    for variant in [
        format!("\u{feff}{lf}"),
        lf.replace('\n', "\r\n"),
        format!("\u{feff}{}", lf.replace('\n', "\r\n")),
    ] {
        let e = first_error(&variant);
        assert_eq!(
            (&e.kind, e.line, e.column, &e.line_text),
            (&plain.kind, plain.line, plain.column, &plain.line_text)
        );
    }
    // On the first line, the mark is not a column.
    let e = first_error("\u{feff}title = 't'\n");
    assert_eq!(
        (e.kind, e.line, e.column, e.line_text.as_str()),
        (ErrorKind::MissingFrontMatter, 1, 1, "title = 't'")
    );
    let e = first_error("\u{feff}+++\ntitle = 't'\n+++\n");
    assert_eq!(
        (e.kind, e.line, e.column),
        (ErrorKind::MissingField("date"), 1, 1)
    );
}

// U+2028 and U+2029 inside a body are text, not line breaks, and survive the bundle.
#[test]
fn keeps_line_and_paragraph_separators_as_text() {
    let src = format!("{FM}{}", card("前\u{2028}後\u{2029}終"));
    let post = parse_post(FILE, &src).unwrap();
    let Block::Comment(c) = &post.body.blocks[0] else {
        panic!("not a card")
    };
    assert_eq!(c.body, vec![Inline::Text("前\u{2028}後\u{2029}終".into())]);
    let json = serde_json::to_string(&post.body.blocks).unwrap();
    assert_eq!(
        serde_json::from_str::<Vec<Block>>(&json).unwrap(),
        post.body.blocks
    );
    // Line numbers count `\n` only.
    let e = first_error(&format!("{FM}a\u{2028}b\n{{{{<nope>}}}}\n"));
    assert_eq!((e.line, e.column), (7, 4));
}

// Thousands of errors in one file: the first ones with positions, then a count.
#[test]
fn reports_at_most_the_error_limit_then_a_count() {
    let mut src = String::from(FM);
    for _ in 0..20_000 {
        src.push_str("{{<nope>}}\n");
    }
    let all = errors(&src);
    assert_eq!(all.len(), MAX_ERRORS + 1);
    for (i, e) in all[..MAX_ERRORS].iter().enumerate() {
        assert_eq!(
            (&e.kind, e.line, e.column),
            (&ErrorKind::UnknownShortcode("nope".into()), 6 + i as u32, 4)
        );
    }
    let last = &all[MAX_ERRORS];
    assert_eq!(
        (&last.kind, last.line, last.column),
        (
            &ErrorKind::TooManyErrors(20_000 - MAX_ERRORS),
            6 + MAX_ERRORS as u32,
            4
        )
    );
}
