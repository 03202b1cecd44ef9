//! `--format json`: one document, `{"files": [...], "summary": {...}}`, written a file at a
//! time; byte for byte what `serde_json::to_writer_pretty` writes for the whole document.

use std::io::{self, Write};

use serde::Serialize;

use super::escape::write_json;
use super::{FileReport, Summary};
use crate::Diagnostic;

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

/// The document up to the first file.
const START: &[u8] = b"{\n  \"files\": [";

pub(super) fn file(file: &FileReport, first: bool, out: &mut dyn Write) -> io::Result<()> {
    if first {
        out.write_all(START)?;
    }
    out.write_all(if first { b"\n    " } else { b",\n    " })?;
    let entry = File {
        path: &file.path,
        valid: file.report.is_valid(),
        diagnostics: file.report.diagnostics(),
    };
    write_json(out, 2, &entry)
}

pub(super) fn finish(s: &Summary, out: &mut dyn Write) -> io::Result<()> {
    if s.files == 0 {
        out.write_all(START)?;
        out.write_all(b"]")?;
    } else {
        out.write_all(b"\n  ]")?;
    }
    out.write_all(b",\n  \"summary\": ")?;
    let summary = SummaryOut {
        files: s.files,
        valid: s.valid,
        errors: s.errors,
        warnings: s.warnings,
    };
    write_json(out, 1, &summary)?;
    out.write_all(b"\n}\n")
}
