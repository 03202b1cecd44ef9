//! `--format sarif`: one SARIF 2.1.0 log, as GitHub code scanning takes it. One rule per code
//! (its explanation as descriptions and help), one result per finding, with the file as a
//! URI relative to the repository root (`%SRCROOT%`) and a fingerprint that survives edits
//! elsewhere in the file.

use std::collections::BTreeMap;
use std::hash::Hasher;
use std::io::{self, Write};
use std::path::{Component, Path};

use fnv::FnvHasher;
use serde_sarif::sarif::{
    ArtifactLocation, Location, Message, MultiformatMessageString, PhysicalLocation, Region,
    ReportingConfiguration, ReportingDescriptor, Result as SarifResult, ResultLevel, Run, Sarif,
    Tool, ToolComponent,
};

use super::FileReport;
use crate::{Code, Diagnostic, Severity};

const SCHEMA: &str =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";
const TOOL: &str = "cce-release-lint";
/// The key of our fingerprint in `partialFingerprints`; the suffix versions the recipe.
const FINGERPRINT: &str = "cceReleaseLint/v1";

pub(super) fn render(
    files: &[FileReport],
    root: Option<&Path>,
    out: &mut dyn Write,
) -> io::Result<()> {
    let mut results = Vec::new();
    for file in files {
        let uri = uri(&file.path, root);
        for d in file.report.diagnostics() {
            results.push(result(&uri, d));
        }
    }
    let driver = ToolComponent::builder()
        .name(TOOL)
        .version(env!("CARGO_PKG_VERSION"))
        .semantic_version(env!("CARGO_PKG_VERSION"))
        .rules(Code::ALL.iter().map(|&code| rule(code)).collect::<Vec<_>>())
        .build();
    let run = Run::builder()
        .tool(Tool::builder().driver(driver).build())
        // Columns count characters, as everywhere in this crate (SARIF's default is UTF-16).
        .column_kind(serde_json::json!("unicodeCodePoints"))
        .results(results)
        .build();
    let log = Sarif::builder()
        .schema(SCHEMA)
        .version(serde_json::json!("2.1.0"))
        .runs(vec![run])
        .build();
    serde_json::to_writer_pretty(&mut *out, &log)?;
    writeln!(out)
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Warning => "warning",
        _ => "error",
    }
}

fn rule(code: Code) -> ReportingDescriptor {
    let e = code.explanation();
    let text = format!(
        "{}\n\nWhy it matters: {}\n\nExample: {}\n\nFix: {}",
        e.what, e.why, e.example, e.fix
    );
    let markdown = format!(
        "{}\n\n**Why it matters.** {}\n\n**Example**\n\n```\n{}\n```\n\n**Fix.** {}",
        e.what, e.why, e.example, e.fix
    );
    ReportingDescriptor::builder()
        .id(code.as_str())
        .name(camel_case(code.as_str()))
        .short_description(MultiformatMessageString::builder().text(e.summary).build())
        .full_description(MultiformatMessageString::builder().text(e.what).build())
        .help(
            MultiformatMessageString::builder()
                .text(text)
                .markdown(markdown)
                .build(),
        )
        .default_configuration(
            ReportingConfiguration::builder()
                .level(serde_json::json!(level(code.default_severity())))
                .build(),
        )
        .build()
}

fn result(uri: &str, d: &Diagnostic) -> SarifResult {
    let mut physical = PhysicalLocation::builder()
        .artifact_location(
            ArtifactLocation::builder()
                .uri(uri)
                .uri_base_id("%SRCROOT%")
                .build(),
        )
        .build();
    if let (Some(line), Some(column)) = (d.line, d.column) {
        physical.region = Some(
            Region::builder()
                .start_line(i64::from(line))
                .start_column(i64::from(column))
                .build(),
        );
    }
    let rule_index = Code::ALL.iter().position(|&c| c == d.code);
    let mut result = SarifResult::builder()
        .rule_id(d.code.as_str())
        .level(match d.severity {
            Severity::Warning => ResultLevel::Warning,
            _ => ResultLevel::Error,
        })
        .message(Message::builder().text(d.message.as_str()).build())
        .locations(vec![
            Location::builder().physical_location(physical).build(),
        ])
        .partial_fingerprints(BTreeMap::from([(
            FINGERPRINT.to_owned(),
            fingerprint(uri, d),
        )]))
        .build();
    result.rule_index = rule_index.and_then(|i| i64::try_from(i).ok());
    result
}

/// FNV-1a 64 of the file, the code and the pointer: stable across runs and across edits that
/// move the finding to another line.
fn fingerprint(uri: &str, d: &Diagnostic) -> String {
    let mut hasher = FnvHasher::default();
    for part in [uri, d.code.as_str(), d.pointer.as_str()] {
        hasher.write(part.as_bytes());
        hasher.write_u8(0);
    }
    format!("{:016x}", hasher.finish())
}

/// `missing_field` → `MissingField`, SARIF's customary form of a rule name.
fn camel_case(id: &str) -> String {
    id.split('_')
        .flat_map(|word| {
            let mut chars = word.chars();
            chars
                .next()
                .map(|c| c.to_ascii_uppercase())
                .into_iter()
                .chain(chars)
        })
        .collect()
}

/// The path as a URI reference: relative to `root` when it is under it (or relative already),
/// with forward slashes and percent-encoding; an absolute path elsewhere becomes a `file:` URI.
fn uri(path: &str, root: Option<&Path>) -> String {
    let path = Path::new(path);
    match root.and_then(|root| path.strip_prefix(root).ok()) {
        Some(relative) => segments(relative),
        None if path.is_absolute() => format!("file:///{}", segments(path)),
        None => segments(path),
    }
}

/// The path's names, percent-encoded, joined with `/` (`.` and the root left out).
fn segments(path: &Path) -> String {
    let names: Vec<String> = path
        .components()
        .filter_map(|c| match c {
            Component::Normal(name) => Some(encode(&name.to_string_lossy())),
            Component::ParentDir => Some("..".to_owned()),
            _ => None,
        })
        .collect();
    names.join("/")
}

/// Percent-encodes everything but RFC 3986's unreserved characters in one path segment.
fn encode(segment: &str) -> String {
    let mut encoded = String::with_capacity(segment.len());
    for byte in segment.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            encoded.push(char::from(byte));
        } else {
            encoded.push_str(&format!("%{byte:02X}"));
        }
    }
    encoded
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris_are_relative_with_forward_slashes() {
        let root = Path::new("/repo");
        assert_eq!(uri("releases/a.json", Some(root)), "releases/a.json");
        assert_eq!(uri("./releases//a.json", Some(root)), "releases/a.json");
        assert_eq!(uri("/repo/releases/a.json", Some(root)), "releases/a.json");
        assert_eq!(uri("../other/a b.json", Some(root)), "../other/a%20b.json");
        assert_eq!(
            uri("/elsewhere/a.json", Some(root)),
            "file:///elsewhere/a.json"
        );
        assert_eq!(uri("/elsewhere/a.json", None), "file:///elsewhere/a.json");
        assert_eq!(uri("<stdin>", Some(root)), "%3Cstdin%3E");
        assert_eq!(uri("ré.json", None), "r%C3%A9.json");
    }

    #[test]
    fn rule_names_are_camel_case() {
        assert_eq!(camel_case("missing_field"), "MissingField");
        assert_eq!(camel_case("invalid_json"), "InvalidJson");
    }

    #[test]
    fn fingerprints_ignore_the_position() {
        let d: Diagnostic = serde_json::from_value(serde_json::json!({
            "severity": "error", "code": "missing_field", "location": "body", "pointer": "/name",
            "line": 1, "column": 1, "message": "missing mandatory field `name`"
        }))
        .unwrap();
        let mut moved = d.clone();
        moved.line = Some(9);
        assert_eq!(fingerprint("a.json", &d), fingerprint("a.json", &moved));
        assert_ne!(fingerprint("a.json", &d), fingerprint("b.json", &d));
        assert_eq!(fingerprint("a.json", &d).len(), 16);
    }
}
