//! Output formats. The model never renders and renderers never judge: each format turns the
//! same [`FileReport`]s into text, and validity comes from the reports alone.
//!
//! ```
//! use cce_release::render::{self, FileReport, Format};
//! use cce_release::{Kind, Validator};
//!
//! let source = "{\"name\": \"koi-neo4j\"}\n";
//! let report = Validator::new(Kind::CreateRequest).validate_bytes(source.as_bytes());
//! let files = [FileReport::new("release.json", Some(source.to_owned()), report)];
//! let mut out = Vec::new();
//! render::render(Format::Github, &files, &mut out).unwrap();
//! let text = String::from_utf8(out).unwrap();
//! assert!(text.starts_with("::error file=release.json,line=1,col=1,title=cce-release-lint (missing_field)::"));
//! ```

mod github;
mod human;
mod json;
mod sarif;

use std::io::{self, Write};
use std::path::PathBuf;

use crate::Report;

/// The result of linting one input.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct FileReport {
    /// How the input is named in the output: the path as given, or `<stdin>`.
    pub path: String,
    /// The input as text, when it was UTF-8 (for source lines under findings).
    pub source: Option<String>,
    /// Its findings.
    pub report: Report,
}

impl FileReport {
    /// The result of one input.
    pub fn new(path: impl Into<String>, source: Option<String>, report: Report) -> Self {
        FileReport {
            path: path.into(),
            source,
            report,
        }
    }
}

/// An output format of the linter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Format {
    /// `path:line:column: severity[code]: message`, for people.
    Human,
    /// One JSON document (published as `schemas/lint-output.schema.json`).
    Json,
    /// SARIF 2.1.0, for GitHub code scanning and other SARIF viewers.
    Sarif,
    /// GitHub Actions workflow commands (`::error file=…,line=…,col=…,title=…::…`).
    Github,
}

impl Format {
    /// Every format, as the command line names them.
    pub const ALL: &'static [(&'static str, Format)] = &[
        ("human", Format::Human),
        ("json", Format::Json),
        ("sarif", Format::Sarif),
        ("github", Format::Github),
    ];

    /// The format's name on the command line: `human`, `json`, `sarif`, `github`.
    pub const fn name(self) -> &'static str {
        match self {
            Format::Human => "human",
            Format::Json => "json",
            Format::Sarif => "sarif",
            Format::Github => "github",
        }
    }

    /// One line: what the format is for.
    pub const fn summary(self) -> &'static str {
        match self {
            Format::Human => {
                "`path:line:column: severity[code]: message` with the source line, for people"
            }
            Format::Json => "one JSON document (schemas/lint-output.schema.json), for scripts",
            Format::Sarif => "SARIF 2.1.0, for GitHub code scanning and other SARIF viewers",
            Format::Github => "GitHub Actions workflow commands: annotations on the pull request",
        }
    }
}

/// How to render, beyond the format: nothing here changes what is said, only how it is shown.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Options {
    /// Colour the `human` format with ANSI escapes (the caller decides: a terminal, no `NO_COLOR`).
    pub color: bool,
    /// The directory SARIF artifact URIs are relative to (the repository root, usually the
    /// current directory). Absolute paths under it are made relative to it; without it, only
    /// relative paths are relative URIs.
    pub root: Option<PathBuf>,
}

impl Options {
    /// Colour the `human` format, or not.
    pub fn color(mut self, color: bool) -> Self {
        self.color = color;
        self
    }

    /// The directory SARIF artifact URIs are relative to.
    pub fn root(mut self, root: impl Into<PathBuf>) -> Self {
        self.root = Some(root.into());
        self
    }
}

/// Totals over all inputs.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Summary {
    /// Inputs linted.
    pub files: usize,
    /// Inputs without an error.
    pub valid: usize,
    /// Error findings.
    pub errors: usize,
    /// Warning findings.
    pub warnings: usize,
}

impl Summary {
    /// Totals of these results.
    pub fn of(files: &[FileReport]) -> Self {
        files.iter().fold(Summary::default(), |s, f| Summary {
            files: s.files + 1,
            valid: s.valid + usize::from(f.report.is_valid()),
            errors: s.errors + f.report.error_count(),
            warnings: s.warnings + f.report.warning_count(),
        })
    }
}

/// Writes the results in `format`, without colour.
pub fn render(format: Format, files: &[FileReport], out: &mut dyn Write) -> io::Result<()> {
    render_with(format, files, &Options::default(), out)
}

/// Writes the results in `format`, shown as `options` say.
pub fn render_with(
    format: Format,
    files: &[FileReport],
    options: &Options,
    out: &mut dyn Write,
) -> io::Result<()> {
    match format {
        Format::Human => human::render(files, options.color, out),
        Format::Json => json::render(files, out),
        Format::Sarif => sarif::render(files, options.root.as_deref(), out),
        Format::Github => github::render(files, out),
    }
}
