//! The property every output format keeps, whatever the findings and the source text: the
//! output is UTF-8, and every line of it is well formed for its channel. `human` and `github`
//! lines carry no raw control or bidi character (colour escapes aside), each `github` line is
//! one workflow command, `json` and `sarif` are one JSON document each, with one entry per
//! file and per finding and no raw C1, DEL or bidi character.
//!
//! Shared by the `render_formats` fuzz target and the `render_properties` property test.

use cce_release::render::escape::is_unsafe;
use cce_release::render::{FileReport, Format, Renderer, Settings};
use cce_release::{Code, Diagnostic, Kind, Report, Validator};

/// Reads files from arbitrary bytes and checks every format on them.
pub fn check(data: &[u8]) {
    let files = files(data);
    for &(_, format) in Format::ALL {
        check_format(format, &files, false);
    }
    check_format(Format::Human, &files, true);
}

/// `data` as files: the first byte is a count of made-up findings; then a file name up to the
/// first zero byte; the rest is the source. The source is linted as a create request (real
/// findings at real positions), and made-up findings with positions anywhere (past the end of
/// a line or of the text) and messages cut from the source are added. The same report is also
/// rendered without its text.
pub fn files(data: &[u8]) -> Vec<FileReport> {
    let (&count, rest) = data.split_first().unwrap_or((&0, &[]));
    let (name, source) = match rest.iter().position(|&b| b == 0) {
        Some(at) => (&rest[..at], &rest[at + 1..]),
        None => (&b"payload.json"[..], rest),
    };
    let name = String::from_utf8_lossy(name).into_owned();
    let validator = Validator::new(Kind::CreateRequest).max_findings(64);
    let mut diagnostics = validator.validate_bytes(source).into_diagnostics();
    let text = String::from_utf8_lossy(source);
    let chunks: Vec<&[u8]> = source.chunks(7).collect();
    for i in 0..usize::from(count % 16) {
        let chunk = chunks.get(i).copied().unwrap_or_default();
        let byte = |n: usize| u32::from(chunk.get(n).copied().unwrap_or(0));
        let code = Code::ALL[byte(0) as usize % Code::ALL.len()];
        let finding = serde_json::json!({
            "severity": if byte(1) % 2 == 0 { "error" } else { "warning" },
            "code": code.as_str(),
            "location": "body",
            "pointer": String::from_utf8_lossy(chunk),
            "line": 1 + byte(2) % 4,
            "column": 1 + byte(3) * 256 + byte(4),
            "message": text.chars().skip(i * 5).take(40).collect::<String>(),
        });
        if let Ok(d) = serde_json::from_value::<Diagnostic>(finding) {
            diagnostics.push(d);
        }
    }
    let report = Report::new(diagnostics);
    let source = std::str::from_utf8(source).ok();
    vec![
        FileReport::new(name.clone(), source, report.clone()),
        FileReport::new(format!("{name}\n::error file=x::forged"), None, report),
    ]
}

/// Renders `files` in `format` a file at a time and checks every line.
pub fn check_format(format: Format, files: &[FileReport], color: bool) {
    let mut renderer = Renderer::new(format, Settings::default().color(color).root("/repo"));
    let mut out = Vec::new();
    for file in files {
        renderer.file(file, &mut out).expect("writes to a vector");
    }
    let summary = renderer.finish(&mut out).expect("writes to a vector");
    assert_eq!(summary.files, files.len());
    let text = String::from_utf8(out).expect("the output is UTF-8");
    assert!(text.ends_with('\n') || text.is_empty(), "{text:?}");
    let findings: usize = files.iter().map(|f| f.report.len()).sum();
    match format {
        Format::Human => {
            for line in text.split('\n') {
                let line = if color {
                    strip_colour(line)
                } else {
                    line.to_owned()
                };
                assert!(!line.chars().any(is_unsafe), "{format:?}: {line:?}");
            }
            assert!(text.contains(&format!("{} files checked", files.len())));
        }
        Format::Github => {
            let lines: Vec<&str> = text.split_terminator('\n').collect();
            assert_eq!(lines.len(), findings);
            for line in lines {
                assert!(!line.chars().any(is_unsafe), "{line:?}");
                assert!(
                    line.starts_with("::error file=") || line.starts_with("::warning file="),
                    "{line:?}"
                );
                let (properties, _) = line[2..].split_once("::").expect("a command has data");
                assert!(properties.contains(",title=cce-release-lint ("), "{line:?}");
            }
        }
        Format::Json | Format::Sarif => {
            assert!(
                !text.chars().any(|c| c != '\n' && is_unsafe(c)),
                "{format:?}: {text:?}"
            );
            let doc: serde_json::Value = serde_json::from_str(&text).expect("one JSON document");
            if format == Format::Json {
                let out = doc["files"].as_array().expect("files");
                assert_eq!(out.len(), files.len());
                for (shown, file) in out.iter().zip(files) {
                    assert_eq!(shown["path"], file.path.as_str());
                    assert_eq!(
                        shown["diagnostics"].as_array().map(Vec::len),
                        Some(file.report.len())
                    );
                }
            } else {
                let results = doc["runs"][0]["results"].as_array().expect("results");
                assert_eq!(results.len(), findings);
                assert_eq!(doc["version"], "2.1.0");
            }
        }
        _ => {}
    }
}

/// The line without the SGR sequences the `human` format writes for colour.
fn strip_colour(line: &str) -> String {
    let mut out = line.to_owned();
    for sgr in [
        "\u{1b}[1m",
        "\u{1b}[91m",
        "\u{1b}[93m",
        "\u{1b}[94m",
        "\u{1b}[0m",
    ] {
        out = out.replace(sgr, "");
    }
    out
}
