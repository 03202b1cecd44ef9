//! `--format human`: `path:line:column: severity[code]: message`, the source line with a caret
//! under the column in a rustc-like gutter, then a summary line:
//!
//! ```text
//! releases/a.json:2:11: error[pattern_mismatch]: `name` must start with a lowercase letter, …
//!   |
//! 2 |   "name": "Koi_Neo4j",
//!   |           ^
//!
//! 1 file checked: 0 valid, 1 error, 0 warnings
//! ```
//!
//! A line longer than the window is cut around the column, with `…` where it was cut, so the
//! output grows with the findings, not with the findings times the line's length. Every piece
//! of text goes through [`escape::terminal`]; tabs show as four spaces, and the caret is placed
//! by display width (wide characters take two columns).

use std::io::{self, Write};

use unicode_width::UnicodeWidthChar;

use super::excerpt::Excerpt;
use super::{FileReport, Summary, escape};
use crate::{Diagnostic, Severity};

/// ANSI styles, or nothing when colour is off.
#[derive(Clone, Copy)]
struct Styles {
    bold: &'static str,
    error: &'static str,
    warning: &'static str,
    gutter: &'static str,
    reset: &'static str,
}

impl Styles {
    fn new(color: bool) -> Self {
        if color {
            Styles {
                bold: "\x1b[1m",
                error: "\x1b[1m\x1b[91m",
                warning: "\x1b[1m\x1b[93m",
                gutter: "\x1b[1m\x1b[94m",
                reset: "\x1b[0m",
            }
        } else {
            Styles {
                bold: "",
                error: "",
                warning: "",
                gutter: "",
                reset: "",
            }
        }
    }

    fn severity(&self, severity: Severity) -> &'static str {
        match severity {
            Severity::Warning => self.warning,
            _ => self.error,
        }
    }
}

pub(super) fn file(file: &FileReport, color: bool, out: &mut dyn Write) -> io::Result<()> {
    let styles = Styles::new(color);
    let path = escape::terminal(&file.path);
    for (index, d) in file.report.diagnostics().iter().enumerate() {
        header(&path, d, &styles, out)?;
        if let Some(excerpt) = file.excerpt(index) {
            snippet(excerpt, d.severity, &styles, out)?;
        }
    }
    Ok(())
}

pub(super) fn finish(s: &Summary, color: bool, out: &mut dyn Write) -> io::Result<()> {
    let styles = Styles::new(color);
    writeln!(
        out,
        "{}{} {} checked: {} valid, {} {}, {} {}{}",
        styles.bold,
        s.files,
        plural(s.files, "file", "files"),
        s.valid,
        s.errors,
        plural(s.errors, "error", "errors"),
        s.warnings,
        plural(s.warnings, "warning", "warnings"),
        styles.reset,
    )
}

/// `path:line:column: severity[code]: message`, or `path: severity[code]: message`.
fn header(path: &str, d: &Diagnostic, styles: &Styles, out: &mut dyn Write) -> io::Result<()> {
    let (bold, reset) = (styles.bold, styles.reset);
    write!(out, "{bold}{path}")?;
    if let (Some(line), Some(column)) = (d.line, d.column) {
        write!(out, ":{line}:{column}")?;
    }
    let severity = styles.severity(d.severity);
    writeln!(
        out,
        ":{reset} {severity}{}[{}]{reset}{bold}: {}{reset}",
        d.severity,
        d.code,
        escape::terminal(&d.message)
    )
}

/// The excerpt in a gutter, a caret under its column, and a blank line.
fn snippet(
    excerpt: &Excerpt,
    severity: Severity,
    styles: &Styles,
    out: &mut dyn Write,
) -> io::Result<()> {
    let (gutter, reset) = (styles.gutter, styles.reset);
    let number = excerpt.line.to_string();
    let pad = " ".repeat(number.len());
    let (shown, before, caret) = shown(excerpt);
    writeln!(out, "{pad} {gutter}|{reset}")?;
    if shown.is_empty() {
        writeln!(out, "{gutter}{number}{reset} {gutter}|{reset}")?;
    } else {
        writeln!(out, "{gutter}{number}{reset} {gutter}|{reset} {shown}")?;
    }
    let carets = "^".repeat(caret.max(1));
    writeln!(
        out,
        "{pad} {gutter}|{reset} {}{}{carets}{reset}",
        " ".repeat(before),
        styles.severity(severity)
    )?;
    writeln!(out)
}

/// The excerpt as shown (tabs as four spaces, unsafe characters escaped, `…` where cut), the
/// display width before the caret's character, and that character's width.
fn shown(excerpt: &Excerpt) -> (String, usize, usize) {
    let mut text = String::with_capacity(excerpt.text.len() + 8);
    let mut width = 0;
    let (mut before, mut caret) = (None, 1);
    if excerpt.cut_before {
        text.push('…');
        width += 1;
    }
    for (index, c) in excerpt.text.chars().enumerate() {
        let start = width;
        if c == '\t' {
            text.push_str("    ");
            width += 4;
        } else if escape::is_unsafe(c) {
            let mut buffer = [0; 4];
            let escaped = escape::terminal(c.encode_utf8(&mut buffer));
            text.push_str(&escaped);
            width += escaped.len();
        } else {
            text.push(c);
            width += c.width().unwrap_or(0);
        }
        if index == excerpt.caret {
            before = Some(start);
            caret = width - start;
        }
    }
    let before = before.unwrap_or(width);
    if excerpt.cut_after {
        text.push('…');
    }
    (text, before, caret)
}

fn plural(n: usize, one: &'static str, many: &'static str) -> &'static str {
    if n == 1 { one } else { many }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Report;

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
        for f in files {
            file(f, color, &mut out).unwrap();
        }
        finish(&Summary::of(files), color, &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    /// One finding at `column` of the one-line `source`, rendered without colour, less the
    /// header and the summary.
    fn snippet_of(source: &str, line: u32, column: u32) -> String {
        let text = "\n".repeat(line as usize - 1) + source;
        let files = [FileReport::new(
            "a.json",
            Some(&text),
            Report::new(vec![finding(Some(line), Some(column))]),
        )];
        let out = rendered(&files, false);
        let lines: Vec<&str> = out.lines().collect();
        lines[1..lines.len() - 1].join("\n")
    }

    #[test]
    fn findings_without_a_position_or_a_source_have_no_snippet() {
        let files = [
            FileReport::new("a.json", Some("{}"), Report::new(vec![finding(None, None)])),
            FileReport::new("b.json", None, Report::new(vec![finding(Some(1), Some(2))])),
        ];
        assert_eq!(
            rendered(&files, false),
            "a.json: error[cluster_id_mismatch]: the cluster ids differ\n\
             b.json:1:2: error[cluster_id_mismatch]: the cluster ids differ\n\
             2 files checked: 0 valid, 2 errors, 0 warnings\n"
        );
    }

    /// The layout `annotate-snippets` 0.12 drew before this renderer replaced it, case by case.
    #[test]
    fn the_gutter_and_caret_are_drawn_as_before() {
        let cases: &[(&str, u32, u32, &str)] = &[
            (
                "  \"name\": \"Koi\",",
                2,
                11,
                "  |\n2 |   \"name\": \"Koi\",\n  |           ^\n",
            ),
            ("", 1, 1, "  |\n1 |\n  | ^\n"),
            ("{}", 1, 3, "  |\n1 | {}\n  |   ^\n"),
            ("{}", 1, 9, "  |\n1 | {}\n  |   ^\n"),
            ("\t\"a\":\t1", 3, 2, "  |\n3 |     \"a\":    1\n  |     ^\n"),
            (
                "\t\"a\":\t1",
                3,
                6,
                "  |\n3 |     \"a\":    1\n  |         ^^^^\n",
            ),
            (
                "{\"名前\": \"値\", \"x\": 1}",
                1,
                10,
                "  |\n1 | {\"名前\": \"値\", \"x\": 1}\n  |             ^\n",
            ),
            ("x", 10, 1, "   |\n10 | x\n   | ^\n"),
            ("x", 100, 1, "    |\n100 | x\n    | ^\n"),
            ("{\"a\": 1}  ", 1, 3, "  |\n1 | {\"a\": 1}  \n  |   ^\n"),
            (
                "{\"a\": \"\u{fe0f}e\u{301}\"}",
                1,
                10,
                "  |\n1 | {\"a\": \"\u{fe0f}e\u{301}\"}\n  |         ^\n",
            ),
        ];
        for &(source, line, column, expected) in cases {
            assert_eq!(
                snippet_of(source, line, column),
                expected,
                "{source:?} {line}:{column}"
            );
        }
    }

    #[test]
    fn long_lines_show_a_window_with_the_caret_under_the_column() {
        let source = format!("{}X{}", "a".repeat(10_000), "b".repeat(10_000));
        let shown = snippet_of(&source, 1, 10_001);
        let lines: Vec<&str> = shown.lines().collect();
        assert!(
            lines[1].starts_with("1 | …a") && lines[1].ends_with("b…"),
            "{shown}"
        );
        assert_eq!(
            lines[1].chars().count(),
            "1 | ".len() + 2 + super::super::excerpt::WIDTH
        );
        let caret = lines[2].find('^').unwrap();
        assert_eq!(lines[1].chars().nth(caret), Some('X'), "{shown}");
    }

    #[test]
    fn control_and_bidi_characters_in_a_source_line_are_escaped() {
        let shown = snippet_of("{\"a\": \"\u{1b}[2J\u{7}\u{202e}x\u{85}\", }", 1, 14);
        assert!(
            !shown.chars().any(|c| c != '\n' && escape::is_unsafe(c)),
            "{shown:?}"
        );
        let lines: Vec<&str> = shown.lines().collect();
        assert_eq!(
            lines[1],
            "1 | {\"a\": \"\\u{1b}[2J\\u{7}\\u{202e}x\\u{85}\", }"
        );
        let caret = lines[2].find('^').unwrap();
        assert_eq!(&lines[1][caret..caret + 1], "x", "{shown}");
    }

    #[test]
    fn headers_escape_file_names_and_messages() {
        let mut d = finding(Some(1), Some(1));
        d.message = "`50%\r\n\u{1b}[2J\u{202e}`".into();
        let files = [FileReport::new(
            "a\n::error file=x::forged\u{7}.json",
            None,
            Report::new(vec![d]),
        )];
        let out = rendered(&files, false);
        assert_eq!(
            out.lines().next().unwrap(),
            "a\\n::error file=x::forged\\u{7}.json:1:1: error[cluster_id_mismatch]: \
             `50%\\r\\n\\u{1b}[2J\\u{202e}`"
        );
        assert!(!out.chars().any(|c| c != '\n' && escape::is_unsafe(c)));
    }

    #[test]
    fn colour_only_when_asked() {
        let files = [FileReport::new(
            "a.json",
            Some("{}"),
            Report::new(vec![finding(Some(1), Some(2))]),
        )];
        let plain = rendered(&files, false);
        assert!(!plain.contains('\u{1b}'));
        assert!(plain.contains("1 | {}\n  |  ^\n"), "{plain}");
        let coloured = rendered(&files, true);
        assert!(
            coloured.contains("\u{1b}[1m\u{1b}[94m1\u{1b}[0m \u{1b}[1m\u{1b}[94m|\u{1b}[0m {}"),
            "{coloured:?}"
        );
        assert!(
            coloured.contains("\u{1b}[1m\u{1b}[91m^\u{1b}[0m"),
            "{coloured:?}"
        );
    }
}
