//! Errors and warnings of the compiler.
//!
//! Passes record a byte offset into the file ([`Spanned`]); [`ContentError::at`] turns it
//! into a line and column only when the error is reported, so the hot path never counts
//! lines.

use std::fmt;
use std::ops::Range;

/// What went wrong in one content file. Tests match on this.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ErrorKind {
    /// The file could not be read.
    #[error("cannot read file: {0}")]
    Unreadable(String),
    /// The file is not valid UTF-8 (the position is the first bad byte).
    #[error("invalid UTF-8 at byte {byte} (expected UTF-8 text; was the file saved as Shift_JIS or UTF-16?)")]
    NotUtf8 {
        /// Offset of the first bad byte in the file.
        byte: usize,
    },
    /// The file is larger than [`crate::limits::MAX_FILE_BYTES`].
    #[error("file is {bytes} bytes (expected at most {limit} bytes; split the post)")]
    FileTooLarge {
        /// Size of the file.
        bytes: u64,
        /// The limit.
        limit: usize,
    },
    /// A line longer than [`crate::limits::MAX_LINE_BYTES`].
    #[error("line is {bytes} bytes long (expected at most {limit} bytes per line, one comment included)")]
    LineTooLong {
        /// Length of the line without its newline.
        bytes: usize,
        /// The limit.
        limit: usize,
    },
    /// A NUL byte, which text never contains.
    #[error("NUL byte (expected text; is this a binary or UTF-16 file?)")]
    NulByte,
    /// More comment cards than [`crate::limits::MAX_COMMENTS`] (at the first one too many).
    #[error("more than {0} comment cards in one post (expected at most {0}; split the post)")]
    TooManyComments(usize),
    /// Errors past [`crate::limits::MAX_ERRORS`] in one file, counted, not shown.
    #[error("{0} more errors in this file not shown")]
    TooManyErrors(usize),
    /// Two posts map to the same path (compared case-insensitively).
    #[error("duplicate post path \"{path}\" (also used by {other})")]
    DuplicatePath {
        /// The post path.
        path: String,
        /// The other file using it.
        other: String,
    },
    /// The file does not start with `+++` or `---`.
    #[error(
        "missing front matter (expected the file to start with a `+++` TOML or `---` YAML block)"
    )]
    MissingFrontMatter,
    /// The front matter block has no closing delimiter.
    #[error("unclosed front matter (expected a closing `{0}` line)")]
    UnclosedFrontMatter(&'static str),
    /// The TOML front matter does not parse.
    #[error("invalid TOML front matter: {0}")]
    BadToml(String),
    /// The YAML front matter does not parse.
    #[error("invalid YAML front matter: {0}")]
    BadYaml(String),
    /// A required front matter field is absent.
    #[error("missing front matter field `{0}`")]
    MissingField(&'static str),
    /// A front matter field has the wrong type or shape.
    #[error("invalid front matter field `{field}` (expected {expected})")]
    InvalidField {
        /// The field.
        field: &'static str,
        /// What it should look like.
        expected: &'static str,
    },
    /// `date` is not a valid date.
    #[error("invalid date \"{0}\" (expected YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS)")]
    InvalidDate(String),
    /// A shortcode name we do not know.
    #[error("unknown shortcode \"{0}\" (expected one of: matomeQuote, details, ref, list)")]
    UnknownShortcode(String),
    /// `{{<` without a matching `>}}` (or `{{%` without `%}}`).
    #[error("unterminated shortcode (expected `{0}` before the end of the line)")]
    UnterminatedShortcode(&'static str),
    /// A quoted argument value without its closing quote on the same line.
    #[error("unterminated quoted value (expected a closing `{0}` on the same line)")]
    UnterminatedQuote(char),
    /// Shortcode arguments that do not parse.
    #[error("malformed shortcode arguments (expected name=\"value\" pairs)")]
    MalformedArguments,
    /// A required argument is absent.
    #[error("shortcode {shortcode} is missing its `{arg}` argument")]
    MissingArgument {
        /// The shortcode.
        shortcode: &'static str,
        /// The argument.
        arg: &'static str,
    },
    /// An argument the shortcode does not take.
    #[error("shortcode {shortcode} does not take the argument `{arg}` (expected: {expected})")]
    UnexpectedArgument {
        /// The shortcode.
        shortcode: &'static str,
        /// The argument as written (`"…"` for a positional one).
        arg: String,
        /// The arguments it takes.
        expected: &'static str,
    },
    /// A `details` opener without its closer.
    #[error("unclosed details (expected `{{{{< /details >}}}}` before the end of the file)")]
    UnclosedDetails,
    /// A closer without an opener (`{{< /details >}}` at top level, `{{< /matomeQuote >}}`).
    #[error("stray closing shortcode /{0} (no open {0} to close)")]
    StrayCloser(String),
    /// A shortcode where it cannot stand (`details` or `list` inside `details`).
    #[error("shortcode {0} is not allowed inside details (expected matomeQuote or the closer)")]
    MisplacedShortcode(&'static str),
    /// Non-whitespace text inside a `details` block, which holds only comment cards.
    #[error("text inside details (a details block holds only matomeQuote cards)")]
    TextInDetails,
    /// `createdAt` in neither accepted shape.
    #[error("invalid createdAt \"{0}\" (expected 2025-04-14T18:04:41 or 2025/04/14 18:04:41)")]
    InvalidCreatedAt(String),
    /// `color` that is neither empty nor a CSS hex colour.
    #[error("invalid color \"{0}\" (expected \"\" or a CSS hex colour like #38d3d3)")]
    InvalidColor(String),
    /// `list limit=` that is not a positive integer.
    #[error("invalid limit \"{0}\" (expected a positive integer)")]
    InvalidLimit(String),
    /// `{{% ref "…" %}}` to a page the site does not have.
    #[error("ref to \"{0}\" does not resolve (expected /posts/, /tags/, /months/ or a post path)")]
    BrokenRef(String),
}

/// An error kind with the byte range it points at, before line/column conversion.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Spanned {
    /// Byte offset into the whole file.
    pub offset: usize,
    /// What went wrong.
    pub kind: ErrorKind,
}

impl Spanned {
    /// An error at `offset`.
    pub fn new(offset: usize, kind: ErrorKind) -> Self {
        Spanned { offset, kind }
    }

    /// An error at the start of `range`.
    pub fn at(range: &Range<usize>, kind: ErrorKind) -> Self {
        Spanned {
            offset: range.start,
            kind,
        }
    }
}

/// A content error with its file, 1-based line and column (in characters).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ContentError {
    /// File path as given on the command line (content dir joined with the post folder).
    pub path: String,
    /// 1-based line.
    pub line: u32,
    /// 1-based column, counted in characters.
    pub column: u32,
    /// The offending line (without its newline), empty when unknown.
    pub line_text: String,
    /// What went wrong.
    pub kind: ErrorKind,
}

impl ContentError {
    /// Converts `offset` in `src` into line and column.
    pub fn at(path: &str, src: &str, offset: usize, kind: ErrorKind) -> Self {
        let offset = floor_char_boundary(src, offset.min(src.len()));
        let line_start = src[..offset].rfind('\n').map_or(0, |i| i + 1);
        let line = memchr::memchr_iter(b'\n', &src.as_bytes()[..line_start]).count() + 1;
        Self::on_line(path, src, offset, line_start, line, kind)
    }

    /// Converts many errors of one file at once, in one pass over `src` however many
    /// there are: sorted by position, at most [`MAX_ERRORS`](crate::limits::MAX_ERRORS)
    /// of them, the rest counted in a last [`ErrorKind::TooManyErrors`].
    pub fn at_all(path: &str, src: &str, mut errors: Vec<Spanned>) -> Vec<ContentError> {
        errors.sort_by_key(|e| e.offset);
        let limit = crate::limits::MAX_ERRORS;
        if errors.len() > limit {
            let more = errors.len() - limit;
            let at = errors[limit].offset;
            errors.truncate(limit);
            errors.push(Spanned::new(at, ErrorKind::TooManyErrors(more)));
        }
        let (mut line, mut line_start) = (1, 0);
        errors
            .into_iter()
            .map(|e| {
                let offset = floor_char_boundary(src, e.offset.min(src.len()));
                line += memchr::memchr_iter(b'\n', &src.as_bytes()[line_start..offset]).count();
                line_start = src[..offset]
                    .rfind('\n')
                    .map_or(0, |i| i + 1)
                    .max(line_start);
                Self::on_line(path, src, offset, line_start, line, e.kind)
            })
            .collect()
    }

    /// The error at `offset`, on the line `line` that starts at `line_start`. A byte
    /// order mark is not a column.
    fn on_line(
        path: &str,
        src: &str,
        offset: usize,
        line_start: usize,
        line: usize,
        kind: ErrorKind,
    ) -> Self {
        let line_end = src[offset..].find('\n').map_or(src.len(), |i| offset + i);
        let text_start = if line_start == 0 && src.starts_with('\u{feff}') {
            3.min(offset)
        } else {
            line_start
        };
        let column = src[text_start..offset].chars().count() + 1;
        ContentError {
            path: path.to_string(),
            line: line as u32,
            column: column as u32,
            line_text: src[text_start..line_end]
                .trim_start_matches('\u{feff}')
                .trim_end_matches('\r')
                .to_string(),
            kind,
        }
    }

    /// An error about the whole file (line 1, column 1, no excerpt).
    pub fn whole_file(path: &str, kind: ErrorKind) -> Self {
        ContentError {
            path: path.to_string(),
            line: 1,
            column: 1,
            line_text: String::new(),
            kind,
        }
    }
}

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Display: `path:line:col: message`, then the line and a caret under the column.
impl fmt::Display for ContentError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}",
            self.path, self.line, self.column, self.kind
        )?;
        if !self.line_text.is_empty() {
            // Very long lines (one comment is one line) are cut around the column.
            let chars: Vec<char> = self.line_text.chars().collect();
            let col = (self.column as usize).saturating_sub(1).min(chars.len());
            let start = col.saturating_sub(40);
            let end = (col + 60).min(chars.len());
            let shown: String = chars[start..end].iter().collect();
            let pad: usize = chars[start..col].iter().map(|c| display_width(*c)).sum();
            let lead = if start > 0 { "…" } else { "" };
            let tail = if end < chars.len() { "…" } else { "" };
            write!(
                f,
                "\n    {lead}{shown}{tail}\n    {}{}^",
                if start > 0 { " " } else { "" },
                " ".repeat(pad)
            )?;
        }
        Ok(())
    }
}

impl std::error::Error for ContentError {}

/// Terminal columns a character takes, so the caret lands under CJK text too.
fn display_width(c: char) -> usize {
    unicode_width::UnicodeWidthChar::width(c)
        .unwrap_or(0)
        .max(if c == '\t' { 4 } else { 0 })
}

/// A problem that does not fail the build (missing thumbnail, skipped file).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Warning {
    /// The file concerned.
    pub path: String,
    /// What is wrong and what was done instead.
    pub message: String,
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: warning: {}", self.path, self.message)
    }
}
