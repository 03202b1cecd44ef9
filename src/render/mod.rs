//! Output formats. The model never renders and renderers never judge: each format turns the
//! same [`FileReport`]s into text, and validity comes from the reports alone.
//!
//! Output is written a file at a time ([`Renderer`]), in the order files are given, so that
//! memory holds the files being linted, not the whole run; [`render`] writes a slice at once.
//! A [`FileReport`] keeps, of its source text, only the window of each line shown under a
//! finding (masked, at most 120 characters), never the text itself.
//!
//! Every string that reaches the output passes through the escaping function of its channel
//! ([`escape`]): no output carries a raw control or bidi character from a payload, a file name
//! or a chart schema.
//!
//! ```
//! use cce_release::render::{self, FileReport, Format};
//! use cce_release::{Kind, Validator};
//!
//! let source = "{\"name\": \"koi-neo4j\"}\n";
//! let report = Validator::new(Kind::CreateRequest).validate_bytes(source.as_bytes());
//! let files = [FileReport::new("release.json", Some(source), report)];
//! let mut out = Vec::new();
//! render::render(Format::Github, &files, &mut out).unwrap();
//! let text = String::from_utf8(out).unwrap();
//! assert!(text.starts_with("::error file=release.json,line=1,col=1,title=cce-release-lint (missing_field)::"));
//! ```

mod diff;
pub mod escape;
mod excerpt;
mod github;
mod human;
mod json;
mod sarif;

pub use diff::diff;

use std::io::{self, Write};
use std::path::PathBuf;

use crate::Report;
use excerpt::Excerpt;

/// The result of linting one input.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct FileReport {
    /// How the input is named in the output: the path as given, or `<stdin>`.
    pub path: String,
    /// Its findings.
    pub report: Report,
    /// Per finding (same index), the window of its source line shown under it.
    excerpts: Vec<Option<Excerpt>>,
}

impl FileReport {
    /// The result of one input. With its `source` text, the `human` format shows the line of
    /// each finding (values under secret-looking keys masked, cut to a window around the
    /// column); only those windows are kept, not the text.
    pub fn new(path: impl Into<String>, source: Option<&str>, report: Report) -> Self {
        let excerpts = match source {
            Some(text) if !report.is_empty() => excerpt::excerpts(text, report.diagnostics()),
            _ => Vec::new(),
        };
        FileReport {
            path: path.into(),
            report,
            excerpts,
        }
    }

    /// [`new`](Self::new) for a YAML input: source lines are masked by the YAML parser's reading
    /// of the text (values under secret-looking keys, block scalars whole).
    #[cfg(feature = "yaml")]
    pub fn yaml(path: impl Into<String>, source: Option<&str>, report: Report) -> Self {
        let excerpts = match source {
            Some(text) if !report.is_empty() => {
                excerpt::excerpts_with(text, report.diagnostics(), |text, lines| {
                    crate::redact::masked_lines_with(text, lines, crate::yaml::secret_ranges)
                })
            }
            _ => Vec::new(),
        };
        FileReport {
            path: path.into(),
            report,
            excerpts,
        }
    }

    /// The excerpt shown under the `index`-th finding, if any.
    fn excerpt(&self, index: usize) -> Option<&Excerpt> {
        self.excerpts.get(index).and_then(Option::as_ref)
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
pub struct Settings {
    /// Colour the `human` format with ANSI escapes (the caller decides: a terminal, no `NO_COLOR`).
    pub color: bool,
    /// The directory SARIF artifact URIs and GitHub `file=` paths are relative to (the
    /// repository root), absolute. SARIF names it `%SRCROOT%` in `originalUriBaseIds`; a file
    /// outside it is an absolute `file://` URI. Without it, relative paths are used as they are.
    pub root: Option<PathBuf>,
    /// The directory relative file names are relative to (the linter's current directory),
    /// absolute; without it, relative names are taken as relative to `root`.
    pub current_dir: Option<PathBuf>,
    /// `human`: no summary line (only the findings).
    pub quiet: bool,
}

impl Settings {
    /// Colour the `human` format, or not.
    pub fn color(mut self, color: bool) -> Self {
        self.color = color;
        self
    }

    /// The directory SARIF artifact URIs and GitHub file paths are relative to.
    pub fn root(mut self, root: impl Into<PathBuf>) -> Self {
        self.root = Some(root.into());
        self
    }

    /// The directory relative file names are relative to.
    pub fn current_dir(mut self, dir: impl Into<PathBuf>) -> Self {
        self.current_dir = Some(dir.into());
        self
    }

    /// Leave out the summary line of `human`.
    pub fn quiet(mut self, quiet: bool) -> Self {
        self.quiet = quiet;
        self
    }

    /// Where the file named `path` is, relative to [`root`](Self::root) (`/`-separated), or
    /// `None` when it is outside it (or there is no root).
    pub(crate) fn relative(&self, path: &str) -> Option<String> {
        let root = self.root.as_deref()?;
        let path = std::path::Path::new(path);
        let absolute = if path.is_absolute() {
            path.to_path_buf()
        } else {
            self.current_dir.as_deref().unwrap_or(root).join(path)
        };
        let mut normal = PathBuf::new();
        for component in absolute.components() {
            match component {
                std::path::Component::CurDir => {}
                std::path::Component::ParentDir => {
                    normal.pop();
                }
                other => normal.push(other),
            }
        }
        let rest = normal.strip_prefix(root).ok()?;
        let names: Vec<String> = rest
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        Some(names.join("/"))
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
        let mut summary = Summary::default();
        for file in files {
            summary.add(&file.report);
        }
        summary
    }

    /// Counts one more input.
    pub fn add(&mut self, report: &Report) {
        self.files += 1;
        self.valid += usize::from(report.is_valid());
        self.errors += report.error_count();
        self.warnings += report.warning_count();
    }
}

/// Writes the results in `format`, without colour.
pub fn render(format: Format, files: &[FileReport], out: &mut dyn Write) -> io::Result<()> {
    render_with(format, files, &Settings::default(), out)
}

/// Writes the results in `format`, shown as `options` say.
pub fn render_with(
    format: Format,
    files: &[FileReport],
    options: &Settings,
    out: &mut dyn Write,
) -> io::Result<()> {
    let mut renderer = Renderer::new(format, options.clone());
    for file in files {
        renderer.file(file, out)?;
    }
    renderer.finish(out).map(drop)
}

/// Writes results a file at a time, as they are linted: the start of the document with the
/// first file, each file's part as it comes, the rest (a summary, the SARIF rules) at
/// [`finish`](Renderer::finish). What it writes for a run is exactly what [`render_with`]
/// writes for the same files.
///
/// ```
/// use cce_release::render::{FileReport, Format, Settings, Renderer};
/// use cce_release::{Kind, Validator};
///
/// let validator = Validator::new(Kind::CreateRequest);
/// let mut renderer = Renderer::new(Format::Json, Settings::default());
/// let mut out = Vec::new();
/// for (path, text) in [("a.json", "{}"), ("b.json", "[]")] {
///     let report = validator.validate_bytes(text.as_bytes());
///     renderer.file(&FileReport::new(path, Some(text), report), &mut out).unwrap();
/// }
/// let summary = renderer.finish(&mut out).unwrap();
/// assert_eq!((summary.files, summary.valid), (2, 0));
/// let document: serde_json::Value = serde_json::from_slice(&out).unwrap();
/// assert_eq!(document["files"][1]["path"], "b.json");
/// ```
#[derive(Debug)]
pub struct Renderer {
    format: Format,
    options: Settings,
    summary: Summary,
    /// Findings written so far (SARIF results).
    findings: usize,
}

impl Renderer {
    /// A renderer of `format`, shown as `options` say.
    pub fn new(format: Format, options: Settings) -> Self {
        Renderer {
            format,
            options,
            summary: Summary::default(),
            findings: 0,
        }
    }

    /// Writes one file's results.
    pub fn file(&mut self, file: &FileReport, out: &mut dyn Write) -> io::Result<()> {
        let (first, before) = (self.summary.files == 0, self.findings);
        self.summary.add(&file.report);
        self.findings += file.report.len();
        match self.format {
            Format::Human => human::file(file, self.options.color, out),
            Format::Json => json::file(file, first, out),
            Format::Sarif => sarif::file(file, !first, before, &self.options, out),
            Format::Github => github::file(file, &self.options, out),
        }
    }

    /// Writes the end of the output, and gives the totals of the files written.
    pub fn finish(self, out: &mut dyn Write) -> io::Result<Summary> {
        let s = self.summary;
        match self.format {
            Format::Human if self.options.quiet => {}
            Format::Human => human::finish(&s, self.options.color, out)?,
            Format::Json => json::finish(&s, out)?,
            Format::Sarif => sarif::finish(s.files > 0, self.findings, &self.options, out)?,
            Format::Github => {}
        }
        Ok(s)
    }
}
