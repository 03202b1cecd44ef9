//! `--format github`: GitHub Actions workflow commands, one per finding, which the runner turns
//! into annotations on the pull request:
//! `::error file=a.json,line=1,col=1,title=cce-release-lint (missing_field)::a.json:1:1: …`.
//!
//! The message repeats the position, as the job log shows only the message.

use std::fmt::Write as _;
use std::io::{self, Write};

use super::FileReport;
use crate::Severity;

pub(super) fn render(files: &[FileReport], out: &mut dyn Write) -> io::Result<()> {
    for file in files {
        for d in file.report.diagnostics() {
            let command = match d.severity {
                Severity::Warning => "warning",
                _ => "error",
            };
            let mut properties = format!("file={}", property(&file.path));
            let mut position = String::new();
            if let (Some(line), Some(column)) = (d.line, d.column) {
                let _ = write!(properties, ",line={line},col={column}");
                position = format!(":{line}:{column}");
            }
            let title = format!("cce-release-lint ({})", d.code);
            let text = format!(
                "{}{position}: {}[{}]: {}",
                file.path, d.severity, d.code, d.message
            );
            writeln!(
                out,
                "::{command} {properties},title={}::{}",
                property(&title),
                data(&text)
            )?;
        }
    }
    Ok(())
}

/// Escapes a command's message: `%`, carriage return and line feed.
fn data(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '%' => escaped.push_str("%25"),
            '\r' => escaped.push_str("%0D"),
            '\n' => escaped.push_str("%0A"),
            c => escaped.push(c),
        }
    }
    escaped
}

/// Escapes a property value: as a message, and `:` and `,` too.
fn property(text: &str) -> String {
    data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Code, Diagnostic, Location, Report};

    #[test]
    fn messages_escape_percent_and_line_breaks() {
        assert_eq!(data("100% sure\r\nnext: a,b"), "100%25 sure%0D%0Anext: a,b");
        assert_eq!(data("%0A stays literal"), "%250A stays literal");
    }

    #[test]
    fn properties_also_escape_colon_and_comma() {
        assert_eq!(
            property("C:\\payloads\\a,b%\n.json"),
            "C%3A\\payloads\\a%2Cb%25%0A.json"
        );
    }

    fn finding(severity: Severity, line: Option<u32>, column: Option<u32>) -> Diagnostic {
        let mut d: Diagnostic = serde_json::from_value(serde_json::json!({
            "severity": "error", "code": "missing_field", "location": "body", "pointer": "/name",
            "message": "missing mandatory field `name`,\nsee: 100%"
        }))
        .unwrap();
        d.severity = severity;
        d.line = line;
        d.column = column;
        d
    }

    #[test]
    fn one_command_per_finding_escaped() {
        let report = Report::new(vec![
            finding(Severity::Error, Some(3), Some(7)),
            finding(Severity::Warning, None, None),
        ]);
        assert_eq!(report.diagnostics()[0].location, Location::Body);
        assert_eq!(report.diagnostics()[0].code, Code::MissingField);
        let files = [FileReport::new("dir,1/a:b.json", None, report)];
        let mut out = Vec::new();
        render(&files, &mut out).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "::warning file=dir%2C1/a%3Ab.json,title=cce-release-lint (missing_field)::\
             dir,1/a:b.json: warning[missing_field]: missing mandatory field `name`,%0Asee: 100%25\n\
             ::error file=dir%2C1/a%3Ab.json,line=3,col=7,title=cce-release-lint (missing_field)::\
             dir,1/a:b.json:3:7: error[missing_field]: missing mandatory field `name`,%0Asee: 100%25\n"
        );
    }
}
