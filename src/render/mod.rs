//! Output formats. The model never renders and renderers never judge: each format turns the
//! same [`FileReport`]s into text, and validity comes from the reports alone.

mod human;
mod json;

use std::io::{self, Write};

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
}

impl Format {
    /// Every format, as the command line names them.
    pub const ALL: &'static [(&'static str, Format)] =
        &[("human", Format::Human), ("json", Format::Json)];
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

/// Writes the results in `format`.
pub fn render(format: Format, files: &[FileReport], out: &mut dyn Write) -> io::Result<()> {
    match format {
        Format::Human => human::render(files, out),
        Format::Json => json::render(files, out),
    }
}
