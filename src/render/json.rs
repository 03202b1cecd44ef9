//! `--format json`: one document, `{"files": [...], "summary": {...}}`.

use std::io::{self, Write};

use serde::Serialize;

use super::{FileReport, Summary};
use crate::Diagnostic;

#[derive(Serialize)]
struct Document<'a> {
    files: Vec<File<'a>>,
    summary: SummaryOut,
}

#[derive(Serialize)]
struct File<'a> {
    path: &'a str,
    valid: bool,
    diagnostics: &'a [Diagnostic],
}

#[derive(Serialize)]
struct SummaryOut {
    files: usize,
    valid: usize,
    errors: usize,
    warnings: usize,
}

pub(super) fn render(files: &[FileReport], out: &mut dyn Write) -> io::Result<()> {
    let s = Summary::of(files);
    let document = Document {
        files: files
            .iter()
            .map(|f| File {
                path: &f.path,
                valid: f.report.is_valid(),
                diagnostics: f.report.diagnostics(),
            })
            .collect(),
        summary: SummaryOut {
            files: s.files,
            valid: s.valid,
            errors: s.errors,
            warnings: s.warnings,
        },
    };
    serde_json::to_writer_pretty(&mut *out, &document)?;
    writeln!(out)
}
