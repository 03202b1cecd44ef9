//! `--format github`: GitHub Actions workflow commands, one per finding, which the runner turns
//! into annotations on the pull request:
//! `::error file=a.json,line=1,col=1,title=cce-release-lint (missing_field)::a.json:1:1: …`.
//!
//! The message repeats the position, as the job log shows only the message. Properties and
//! data are escaped by [`escape::github_property`] and [`escape::github_data`]: one command
//! per line, whatever a file name or a message holds.

use std::fmt::Write as _;
use std::io::{self, Write};

use super::escape;
use super::{FileReport, Settings};
use crate::Severity;

/// `file=` is relative to the repository root (`settings.root`) when the file is inside it, as
/// GitHub resolves annotations against the repository; the message keeps the name as given.
pub(super) fn file(file: &FileReport, settings: &Settings, out: &mut dyn Write) -> io::Result<()> {
    let relative = settings.relative(&file.path);
    let path = escape::github_property(relative.as_deref().unwrap_or(&file.path));
    for d in file.report.diagnostics() {
        let command = match d.severity {
            Severity::Warning => "warning",
            _ => "error",
        };
        let mut properties = format!("file={path}");
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
            escape::github_property(&title),
            escape::github_data(&text)
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Code, Diagnostic, Location, Report};

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
        let files = FileReport::new("dir,1/a:b.json", None, report);
        let mut out = Vec::new();
        file(&files, &Settings::default(), &mut out).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "::warning file=dir%2C1/a%3Ab.json,title=cce-release-lint (missing_field)::\
             dir,1/a:b.json: warning[missing_field]: missing mandatory field `name`,%0Asee: 100%25\n\
             ::error file=dir%2C1/a%3Ab.json,line=3,col=7,title=cce-release-lint (missing_field)::\
             dir,1/a:b.json:3:7: error[missing_field]: missing mandatory field `name`,%0Asee: 100%25\n"
        );
    }

    #[test]
    fn file_paths_are_relative_to_the_repository_root() {
        let report = Report::new(vec![finding(Severity::Error, Some(1), Some(1))]);
        let files = FileReport::new("prod/web.json", None, report);
        let settings = Settings::default()
            .root("/repo")
            .current_dir("/repo/releases");
        let mut out = Vec::new();
        file(&files, &settings, &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(
            text.starts_with("::error file=releases/prod/web.json,line=1,col=1,"),
            "{text}"
        );
        assert!(text.contains("::prod/web.json:1:1: error"), "{text}");
    }

    #[test]
    fn a_forged_command_in_a_file_name_stays_on_its_line() {
        let report = Report::new(vec![finding(Severity::Error, Some(1), Some(1))]);
        let forged = FileReport::new("a\n::error file=x::forged\u{1b}[2J\u{7}.json", None, report);
        let mut out = Vec::new();
        file(&forged, &Settings::default(), &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert_eq!(text.lines().count(), 1, "{text}");
        assert!(
            text.starts_with(
                "::error file=a%0A%3A%3Aerror file=x%3A%3Aforged\\u{1b}[2J\\u{7}.json,"
            )
        );
        assert!(!text.trim_end().chars().any(escape::is_unsafe));
    }
}
