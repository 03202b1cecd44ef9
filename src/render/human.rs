//! `--format human`: `path:line:column: severity[code]: message`, the source line with a caret
//! under the column (drawn by `annotate-snippets`, as rustc does), then a summary line.

use std::io::{self, Write};
use std::ops::Range;

use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};
use anstyle::{AnsiColor, Style};

use super::{FileReport, Summary};
use crate::{Diagnostic, Severity};

pub(super) fn render(files: &[FileReport], color: bool, out: &mut dyn Write) -> io::Result<()> {
    let styles = Styles::new(color);
    let renderer = if color {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    for file in files {
        let lines = source_lines(file);
        for d in file.report.diagnostics() {
            header(file, d, &styles, out)?;
            if let Some(snippet) = snippet(&lines, d, &renderer) {
                writeln!(out, "{snippet}")?;
                writeln!(out)?;
            }
        }
    }
    let s = Summary::of(files);
    writeln!(
        out,
        "{}{} {} checked: {} valid, {} {}, {} {}{}",
        styles.summary.render(),
        s.files,
        plural(s.files, "file", "files"),
        s.valid,
        s.errors,
        plural(s.errors, "error", "errors"),
        s.warnings,
        plural(s.warnings, "warning", "warnings"),
        styles.summary.render_reset(),
    )
}

struct Styles {
    path: Style,
    error: Style,
    warning: Style,
    message: Style,
    summary: Style,
}

impl Styles {
    fn new(color: bool) -> Self {
        if !color {
            let plain = Style::new();
            return Styles {
                path: plain,
                error: plain,
                warning: plain,
                message: plain,
                summary: plain,
            };
        }
        let bold = Style::new().bold();
        Styles {
            path: bold,
            error: bold.fg_color(Some(AnsiColor::BrightRed.into())),
            warning: bold.fg_color(Some(AnsiColor::BrightYellow.into())),
            message: bold,
            summary: bold,
        }
    }
}

/// `path:line:column: severity[code]: message`, or `path: severity[code]: message`.
fn header(
    file: &FileReport,
    d: &Diagnostic,
    styles: &Styles,
    out: &mut dyn Write,
) -> io::Result<()> {
    let path = styles.path;
    write!(out, "{path}{}", printable(&file.path))?;
    if let (Some(line), Some(column)) = (d.line, d.column) {
        write!(out, ":{line}:{column}")?;
    }
    let severity = match d.severity {
        Severity::Warning => styles.warning,
        _ => styles.error,
    };
    let message = styles.message;
    writeln!(
        out,
        ":{path:#} {severity}{}[{}]{severity:#}{message}: {}{message:#}",
        d.severity,
        d.code,
        printable(&d.message)
    )
}

/// The text with control characters escaped (`\n`, `\u{1b}`): a message quotes keys and
/// values from the payload, which must neither break the one-line header nor drive the terminal.
fn printable(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.chars().any(char::is_control) {
        return text.into();
    }
    text.chars()
        .map(|c| {
            if c.is_control() {
                c.escape_debug().to_string()
            } else {
                c.to_string()
            }
        })
        .collect::<String>()
        .into()
}

/// The source lines the findings point at (and only those: a file can be large), by line
/// number, with every value under a secret-looking key masked.
fn source_lines(file: &FileReport) -> std::collections::BTreeMap<usize, String> {
    let mut lines = std::collections::BTreeMap::new();
    let Some(source) = file.source.as_deref() else {
        return lines;
    };
    let wanted: std::collections::BTreeSet<usize> = file
        .report
        .iter()
        .filter_map(|d| usize::try_from(d.line?).ok())
        .collect();
    let wanted: Vec<usize> = wanted.into_iter().collect();
    lines.extend(crate::redact::masked_lines(source, &wanted));
    lines
}

/// The finding's source line with a caret under its column, or `None` when there is no
/// position or no text (a file that is not UTF-8).
fn snippet(
    lines: &std::collections::BTreeMap<usize, String>,
    d: &Diagnostic,
    renderer: &Renderer,
) -> Option<String> {
    let (line, column) = (
        usize::try_from(d.line?).ok()?,
        usize::try_from(d.column?).ok()?,
    );
    let text = lines.get(&line)?.as_str();
    let text = text.strip_suffix('\r').unwrap_or(text);
    // Columns are counted after a byte-order mark, which is invisible anyway.
    let text = if line == 1 {
        text.strip_prefix('\u{feff}').unwrap_or(text)
    } else {
        text
    };
    let level = match d.severity {
        Severity::Warning => Level::WARNING,
        _ => Level::ERROR,
    };
    let group = Group::with_level(level).element(
        Snippet::source(text)
            .line_start(line)
            .annotation(AnnotationKind::Primary.span(caret(text, column))),
    );
    Some(renderer.render(&[group]))
}

/// The byte range of the character at the 1-based `column` (empty past the end of the line).
fn caret(text: &str, column: usize) -> Range<usize> {
    match text.char_indices().nth(column.saturating_sub(1)) {
        Some((start, c)) => start..start + c.len_utf8(),
        None => text.len()..text.len(),
    }
}

fn plural(n: usize, one: &'static str, many: &'static str) -> &'static str {
    if n == 1 { one } else { many }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Report;

    #[test]
    fn caret_spans_one_character_counted_in_characters() {
        assert_eq!(caret("{\"é\": 1}", 1), 0..1);
        assert_eq!(caret("{\"é\": 1}", 3), 2..4);
        assert_eq!(caret("{\"é\": 1}", 4), 4..5);
        assert_eq!(caret("{}", 3), 2..2);
        assert_eq!(caret("", 1), 0..0);
    }

    fn finding(line: Option<u32>, column: Option<u32>) -> Diagnostic {
        let mut d: Diagnostic = serde_json::from_value(serde_json::json!({
            "severity": "error", "code": "cluster_id_mismatch", "location": "path",
            "pointer": "/cluster_id", "message": "the cluster ids differ"
        }))
        .unwrap();
        d.line = line;
        d.column = column;
        d
    }

    fn rendered(files: &[FileReport], color: bool) -> String {
        let mut out = Vec::new();
        render(files, color, &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn findings_without_a_position_or_a_source_have_no_snippet() {
        let files = [
            FileReport::new(
                "a.json",
                Some("{}".into()),
                Report::new(vec![finding(None, None)]),
            ),
            FileReport::new("b.json", None, Report::new(vec![finding(Some(1), Some(2))])),
        ];
        assert_eq!(
            rendered(&files, false),
            "a.json: error[cluster_id_mismatch]: the cluster ids differ\n\
             b.json:1:2: error[cluster_id_mismatch]: the cluster ids differ\n\
             2 files checked: 0 valid, 2 errors, 0 warnings\n"
        );
    }

    #[test]
    fn colour_only_when_asked() {
        let files = [FileReport::new(
            "a.json",
            Some("{}".into()),
            Report::new(vec![finding(Some(1), Some(2))]),
        )];
        let plain = rendered(&files, false);
        assert!(!plain.contains('\u{1b}'));
        assert!(plain.contains("1 | {}\n  |  ^\n"), "{plain}");
        let coloured = rendered(&files, true);
        assert!(coloured.contains("\u{1b}["), "{coloured}");
    }

    #[test]
    fn control_characters_are_escaped() {
        assert_eq!(printable("unknown field `a`"), "unknown field `a`");
        assert_eq!(printable("`50%\r\n\u{1b}[2J`"), "`50%\\r\\n\\u{1b}[2J`");
    }
}
