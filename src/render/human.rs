//! `--format human`: `path:line:column: severity[code]: message`, then a summary line.

use std::io::{self, Write};

use super::{FileReport, Summary};

pub(super) fn render(files: &[FileReport], out: &mut dyn Write) -> io::Result<()> {
    for file in files {
        for d in file.report.diagnostics() {
            match (d.line, d.column) {
                (Some(line), Some(column)) => write!(out, "{}:{line}:{column}: ", file.path)?,
                _ => write!(out, "{}: ", file.path)?,
            }
            writeln!(out, "{}[{}]: {}", d.severity, d.code, d.message)?;
        }
    }
    let s = Summary::of(files);
    writeln!(
        out,
        "{} {} checked: {} valid, {} {}, {} {}",
        s.files,
        plural(s.files, "file", "files"),
        s.valid,
        s.errors,
        plural(s.errors, "error", "errors"),
        s.warnings,
        plural(s.warnings, "warning", "warnings"),
    )
}

fn plural(n: usize, one: &'static str, many: &'static str) -> &'static str {
    if n == 1 { one } else { many }
}
